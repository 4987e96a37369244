#include "net/secure_random.h"

#include <random>

namespace adda::net {

std::string RandomHex(int bytes) {
  static const char kHex[] = "0123456789abcdef";
  thread_local std::random_device rd;
  std::string s;
  s.reserve(static_cast<size_t>(bytes) * 2);
  for (int i = 0; i < bytes; ++i) {
    const unsigned v = rd();
    s.push_back(kHex[(v >> 4) & 15]);
    s.push_back(kHex[v & 15]);
  }
  return s;
}

}  // namespace adda::net
