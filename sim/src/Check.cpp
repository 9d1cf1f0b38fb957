#include "sim/Check.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace sim {
namespace {
std::atomic<InternalBugHandler> handler{nullptr};
}  // namespace

void setInternalBugHandler(InternalBugHandler h) noexcept { handler.store(h); }

}  // namespace sim

namespace sim::detail {

void internalBug(const char* file, int line, std::string_view message) noexcept {
  std::fprintf(stderr, "[ksim internal bug] %s:%d: %.*s\n", file, line, static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
  if (InternalBugHandler h = handler.load()) h();
  std::abort();
}

}  // namespace sim::detail
