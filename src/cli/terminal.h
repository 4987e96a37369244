// Terminal helpers for long work: a progress line that redraws in place on a terminal
// and stays silent when output is piped (CI, tests), and a Ctrl-C flag.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/clock.h"

namespace adda::cli {

class ProgressLine {
 public:
  // `label` names the unit counted, e.g. "citizens".
  explicit ProgressLine(std::string label);
  // Redraws at most ~10 times a second; always draws the final state.
  void Update(int64_t done, int64_t total);
  // Ends the line (newline) if anything was drawn.
  void Finish();

 private:
  std::string label_;
  bool tty_;
  bool drawn_ = false;
  RealTime::time_point start_, last_;
};

// Installs SIGINT/SIGTERM handlers that set the returned flag (first signal) and
// restore the default action (second signal kills as usual).
const std::atomic<bool>* InstallInterruptFlag();

// "1.234.567" — thousands separated the Danish way.
std::string Thousands(int64_t n);

}  // namespace adda::cli
