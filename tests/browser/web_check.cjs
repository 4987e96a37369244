// The citizen's pages in Debian's chromium, driven by playwright-core, checked by axe-core.
//   node web_check.cjs BORGER_URL CPR MUNICIPALITY OUT_DIR NODE_MODULES
// See web_check.sh. Exits 1 with every problem listed.
"use strict";
const fs = require("fs");
const path = require("path");
const [base, cpr, municipality, out, modules] = process.argv.slice(2);
const { chromium } = require(path.join(modules, "playwright-core"));
const axeSource = fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");
const axeVersion = require(path.join(modules, "axe-core", "package.json")).version;

const problems = [];
const checked = [];
const fail = (what) => problems.push(what);

// Every page: what the browser logged, and the assets it could not load. A page answered
// 401 or 404 on purpose makes chromium log "Failed to load resource" for the document
// itself; those are checked by status where they are expected, and every other resource
// (CSS, script, font, icon) that answers an error fails here.
function watch(page, label) {
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    if (/^Failed to load resource: the server responded with a status of/.test(m.text())) return;
    fail(`${label}: the browser logged ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail(`${label}: script error: ${e.message}`));
  page.on("requestfailed", (r) => fail(`${label}: could not load ${r.url()}: ${r.failure() && r.failure().errorText}`));
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) fail(`${label}: ${r.url()} answered ${r.status()}`);
  });
}

// axe-core's WCAG 2.1 A and AA rules on the page as it is now. Run through the DevTools
// protocol, so the page's own Content-Security-Policy (no inline script) stays in force.
async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  fs.writeFileSync(path.join(out, `${name}.axe.json`), JSON.stringify(result, null, 2));
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  for (const v of result.violations)
    fail(`${name} (${page.url()}): axe ${v.id} [${v.impact}] ${v.help}: ` +
         v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
  checked.push({ name, url: page.url().replace(base, ""), passes: result.passes.length, violations: result.violations.length });
}

function expect(cond, what) { if (!cond) fail(what); }

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  try {
    // 1. With JavaScript, by mouse: the test-user list, Mit Overblik, a case, a benefit.
    const ctx = await browser.newContext({ locale: "da-DK", viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    watch(page, "js");
    let r = await page.goto(`${base}/mit-overblik`);
    expect(page.url().startsWith(`${base}/log-ind`), `without a session /mit-overblik should lead to /log-ind, got ${page.url()}`);
    expect(r.headers()["content-security-policy"] || "", "no Content-Security-Policy on the login page");
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(/IBM Plex Sans/i.test(font), `Det Fælles Designsystem's font is not applied (font-family: ${font})`);
    expect(await page.evaluate(() => !!(window.DKFDS && window.DKFDS.init)), "dkfds.min.js did not load");
    await axe(page, "01-log-ind");
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
    expect(first === "Gå til sidens indhold", `the first Tab should reach the skip link, reached "${first}"`);
    await page.selectOption("#kommune", municipality);
    await page.fill("#q", cpr.slice(0, 6));
    await page.click("text=Vis testbrugere");
    await page.waitForLoadState("load");
    const rows = await page.locator("table tbody tr").count();
    expect(rows >= 1, `searching the test users for ${cpr.slice(0, 6)} should list them, listed ${rows}`);
    await page.locator("table tbody tr").first().locator("button").click();
    await page.waitForLoadState("load");
    expect(page.url() === `${base}/mit-overblik`, `logging in as a test user should land on /mit-overblik, got ${page.url()}`);
    expect(await page.locator("h1").innerText() === "Mit Overblik", "Mit Overblik has no h1 'Mit Overblik'");
    await axe(page, "02-mit-overblik");
    const caseLink = page.locator("a[href^='/mit-overblik/sag/']").first();
    if (await caseLink.count()) {
      await caseLink.click();
      await page.waitForLoadState("load");
      expect(/\/mit-overblik\/sag\//.test(page.url()), `a case link should open the case, got ${page.url()}`);
      await axe(page, "03-sag");
      await page.click("a.back-link");
      await page.waitForLoadState("load");
    } else fail("Mit Overblik lists no case for the chosen citizen");
    const grantLink = page.locator("a[href^='/mit-overblik/ydelse/']").first();
    if (await grantLink.count()) {
      await grantLink.click();
      await page.waitForLoadState("load");
      await axe(page, "04-ydelse");
      // "Ret eller tilføj": sent empty, the error summary takes focus; then sent properly, the receipt.
      await page.click("a:has-text('Ret eller tilføj')");
      await page.waitForLoadState("load");
      expect(/\/mit-overblik\/ret\/ydelse\//.test(page.url()), `"Ret eller tilføj" should open the form, got ${page.url()}`);
      await page.click("button:has-text('Send til kommunen')");
      await page.waitForLoadState("load");
      expect(/Skriv, hvad der er forkert eller mangler\./.test(await page.content()), "an empty contribution should say what is missing");
      const summary = await page.evaluate(() => document.activeElement && document.activeElement.hasAttribute("data-error-summary"));
      expect(summary, "the contribution form's error summary should take focus");
      await axe(page, "04a-ret-eller-tilfoej-fejl");
      await page.check("#type-correction");
      await page.selectOption("#felt", "payments");
      await page.fill("#tekst", "Udbetalingen i marts mangler. <b>Tak</b>");
      const counter = await page.locator(".character-limit").innerText();
      expect(/tegn tilbage/.test(counter), `the character limit should count down as I type, says "${counter}"`);
      await page.click("button:has-text('Send til kommunen')");
      await page.waitForLoadState("load");
      expect(/\/mit-overblik\/bidrag\?modtaget=/.test(page.url()), `sending should show the receipt, got ${page.url()}`);
      expect(/Tak\. Din besked er modtaget/.test(await page.content()), "the receipt should say the message was received");
      expect(/Udbetalingen i marts mangler\. &lt;b&gt;Tak&lt;\/b&gt;/.test(await page.content()), "my text should be shown as written, escaped");
      await axe(page, "04b-mine-bidrag");
    } else fail("Mit Overblik lists no benefit for the chosen citizen");
    // Din mening: sent empty, the error summary; then a rating, the ten SUS answers and
    // a text, by label as a person would, and the thanks.
    await page.goto(`${base}/mit-overblik`);
    await page.click("a:has-text('Giv din mening om Mit Overblik')");
    await page.waitForLoadState("load");
    await page.click("button:has-text('Send din vurdering')");
    await page.waitForLoadState("load");
    expect(/Giv en vurdering, svar på udsagnene/.test(await page.content()), "an empty feedback form should say what to give");
    await axe(page, "04c-din-mening-fejl");
    await page.check("#vurdering-4");
    for (let i = 1; i <= 10; i++) await page.check(`#sus${i}-${i % 2 ? 4 : 2}`);
    await page.fill("#tekst", "Let at finde mine sager.");
    await page.click("button:has-text('Send din vurdering')");
    await page.waitForLoadState("load");
    expect(/Tak for din vurdering/.test(await page.content()), "sent feedback should be thanked for");
    await axe(page, "04d-din-mening-tak");
    await page.goto(`${base}/mit-overblik/adgangslog`);
    expect((await page.locator("table tbody tr").count()) >= 2, "the access log should list the reads just made");
    await axe(page, "05-adgangslog");
    await page.goto(`${base}/tilgaengelighed`);
    await axe(page, "06-tilgaengelighed");
    r = await page.goto(`${base}/mit-overblik/sag/561/findes-ikke`);
    expect(r.status() === 404, `an unknown case should answer 404, answered ${r.status()}`);
    await axe(page, "07-ikke-fundet");
    // Narrow screen (a phone): the same page, still without violations.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/mit-overblik`);
    await axe(page, "08-mit-overblik-mobil");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click("button:has-text('Log af')");
    await page.waitForLoadState("load");
    expect(page.url().startsWith(`${base}/log-ind`), `logging out should land on /log-ind, got ${page.url()}`);
    expect(/Du er logget af/.test(await page.content()), "the login page should say 'Du er logget af.'");
    // A wrong CPR or password: the error summary, itself checked.
    await page.fill("#cpr", "0000000000");
    await page.fill("#password", "forkert");
    await page.press("#password", "Enter");
    await page.waitForLoadState("load");
    expect(/CPR-nummeret eller adgangskoden er forkert/.test(await page.content()), "a wrong login should say so");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.hasAttribute("data-error-summary") ? "error-summary" : (document.activeElement && document.activeElement.tagName));
    expect(/error-summary/.test(focused || ""), `the error summary should take focus, focus is on "${focused}"`);
    await axe(page, "09-log-ind-fejl");
    await ctx.close();

    // 2. Without JavaScript, by keyboard: typing a CPR, and the same walk.
    const plain = await browser.newContext({ javaScriptEnabled: false, locale: "da-DK" });
    const p2 = await plain.newPage();
    watch(p2, "no-js");
    await p2.goto(`${base}/log-ind`);
    await p2.fill("#cpr", "0000000000");
    await p2.fill("#password", "forkert");
    await p2.press("#password", "Enter");
    await p2.waitForLoadState("load");
    expect(/CPR-nummeret eller adgangskoden er forkert/.test(await p2.content()),
           "a wrong login without JavaScript should say so");
    await p2.fill("#cpr", cpr);
    await p2.fill("#password", "test");
    await p2.press("#password", "Enter");
    await p2.waitForLoadState("load");
    expect(p2.url() === `${base}/mit-overblik`, `logging in without JavaScript should land on /mit-overblik, got ${p2.url()}`);
    const href = await p2.locator("a[href^='/mit-overblik/sag/']").first().getAttribute("href");
    await p2.goto(`${base}${href}`);
    expect((await p2.locator("h2", { hasText: "Hvad betyder status" }).count()) === 1,
           "without JavaScript the case page should explain its status");
    // axe needs script in the page; without it, a screenshot to look at.
    await p2.screenshot({ path: path.join(out, "10-sag-uden-javascript.png"), fullPage: true });
    await plain.close();
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(out, "web-check.json"), JSON.stringify({ axe: axeVersion, pages: checked, problems }, null, 2));
  for (const c of checked) console.log(`web-check: ${c.name.padEnd(24)} ${c.url.padEnd(48)} axe ${c.passes} rules passed, ${c.violations} violated`);
  if (problems.length) {
    for (const p of problems) console.log(`web-check: FAIL ${p}`);
    process.exit(1);
  }
  console.log(`web-check: ${checked.length} pages, axe-core ${axeVersion} (WCAG 2.1 A/AA), no violations, no browser errors; screenshots in ${out}`);
}

main().catch((e) => { console.error(`web-check: ${e.stack || e}`); process.exit(1); });
