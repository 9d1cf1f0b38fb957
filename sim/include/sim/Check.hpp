#pragma once

// Always-on checks for bugs in ksim itself (the engine, or a model that breaks
// its contract). A failed check prints
//     [ksim internal bug] FILE:LINE: MESSAGE
// to stderr and aborts (or, after that line, calls the handler a program
// installed with setInternalBugHandler, e.g. to exit with its own code for
// an internal error). These are NEVER used for findings about the system
// under study: a violated property is data (sim::Finding), not a crash.

#include <string_view>

namespace sim {

/// Called by a failed check after its line is printed, in place of abort(). It must not return
/// (if it does, abort() follows). nullptr (the default): abort().
using InternalBugHandler = void (*)() noexcept;
void setInternalBugHandler(InternalBugHandler handler) noexcept;

}  // namespace sim

namespace sim::detail {

/// Prints the internal-bug line to stderr, calls the handler, and aborts. Defined in src/Check.cpp.
[[noreturn]] void internalBug(const char* file, int line, std::string_view message) noexcept;

}  // namespace sim::detail

/// KSIM_VERIFY(cond, msg): if !cond, report an internal bug and abort. msg is anything
/// convertible to std::string_view (a literal or a std::string); it is only evaluated on failure.
#define KSIM_VERIFY(cond, msg)                               \
  do {                                                       \
    if (!(cond)) [[unlikely]] {                              \
      ::sim::detail::internalBug(__FILE__, __LINE__, (msg)); \
    }                                                        \
  } while (false)

/// KSIM_UNREACHABLE(msg): control must never get here; report an internal bug and abort.
#define KSIM_UNREACHABLE(msg) ::sim::detail::internalBug(__FILE__, __LINE__, (msg))
