#include "sim/Check.hpp"

#include <cstdio>
#include <cstdlib>

namespace sim::detail {

void internalBug(const char* file, int line, std::string_view message) noexcept {
  std::fprintf(stderr, "[ksim internal bug] %s:%d: %.*s\n", file, line, static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace sim::detail
