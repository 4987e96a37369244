// adda audit verify: walks borger.db's access log and checks every hash link.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/commands.h"
#include "store/borger_store.h"
#include "store/sqlite.h"

namespace po = boost::program_options;

namespace adda::cli {

int RunAudit(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "verify") {
    std::fprintf(stderr, "usage: adda audit verify --db data/borger.db\n");
    return 2;
  }
  std::string db = "data/borger.db";
  po::options_description opts(
      "adda audit verify [options]\n\n"
      "Checks the access log's hash chain in a borger database from the first entry to\n"
      "the last. Exit 0 when every link holds; 1 naming the first broken entry.\n\noptions");
  opts.add_options()("help,h", "show this help")("db", po::value(&db)->default_value(db), "borger database");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end())).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "adda audit verify: %s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (!std::filesystem::exists(db)) {
    std::fprintf(stderr, "adda audit verify: %s does not exist\n", db.c_str());
    return 1;
  }
  try {
    store::Db d(db, store::OpenMode::kReadOnly);
    const auto r = store::VerifyAccessLog(d, store::AccessLogWriter::JournalPaths(db));
    if (r.ok) {
      std::printf("adda audit verify: %lld entries, chain intact\n", static_cast<long long>(r.entries));
      return 0;
    }
    std::printf("adda audit verify: BROKEN at entry %lld: %s\n", static_cast<long long>(r.first_broken_seq),
                r.problem.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda audit verify: %s\n", e.what());
    return 1;
  }
}

}  // namespace adda::cli
