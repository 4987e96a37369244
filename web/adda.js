// adda's pages work without JavaScript: plain links and POST-redirect-GET forms. This
// only enhances them: it starts Det Fælles Designsystem's components (accordions,
// details, the character limit of text fields) and puts focus on an error summary.
(function () {
  "use strict";
  function start() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") window.DKFDS.init();
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
