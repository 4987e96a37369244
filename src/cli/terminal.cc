#include "cli/terminal.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace adda::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void OnSignal(int sig) {
  g_interrupted.store(true);
  std::signal(sig, SIG_DFL);
}

}  // namespace

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), tty_(::isatty(STDERR_FILENO) == 1),
      start_(RealTime::now()), last_() {}

void ProgressLine::Update(int64_t done, int64_t total) {
  if (!tty_) return;
  const auto now = RealTime::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double frac = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const int width = 30;
  const int filled = static_cast<int>(frac * width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '.');
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r[%s] %3.0f%%  %s / %s %s  %.1f s", bar.c_str(), frac * 100,
               Thousands(done).c_str(), Thousands(total).c_str(), label_.c_str(), secs);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Finish() {
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

const std::atomic<bool>* InstallInterruptFlag() {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  return &g_interrupted;
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace adda::cli
