// Built twice, once against each service's library alone (tests/CMakeLists.txt): borger.dk
// linked without KOMBIT's store, KOMBIT without borger.dk's. Constructing the service
// pulls in every file of it (its route table names every handler), so a call into the
// other database's store anywhere in a service is an undefined symbol here, and the
// build fails: the link graph itself says borger.dk reads case data only over HTTP.
#include <cstdlib>

#if defined(ADDA_LINK_BORGER)
#include "borger/service.h"
using Service = adda::borger::BorgerService;
using Options = adda::borger::BorgerOptions;
#else
#include "kombit/service.h"
using Service = adda::kombit::KombitService;
using Options = adda::kombit::KombitOptions;
#endif

int main(int argc, char**) {
  // Never run with arguments; the call must exist for the linker, not happen.
  if (argc > 99) {
    Service s{Options{}};
    return s.router().routes().empty() ? EXIT_FAILURE : EXIT_SUCCESS;
  }
  return EXIT_SUCCESS;
}
