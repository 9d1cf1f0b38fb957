// What Ctrl-C and SIGTERM ask of the checks of this process.  Header only:
// the signal handler (cli/Session.cpp) writes it without linking the
// checks, which read it.
#pragma once

#include <atomic>

namespace ksim {

/// Written by the signal handler, read by the searches (stopSearch is
/// their sim::Bounds::stopRequested) and by performCheck's progress
/// judgement, which sets `judging` while it runs, so that the handler knows
/// which of the two a signal stops.
struct Interruption {
  std::atomic<bool> stopSearch{false};
  std::atomic<bool> stopJudgement{false};
  std::atomic<bool> judging{false};
};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler stores into an Interruption");

/// The process's one (signals are per process).  Constant-initialised
/// (std::atomic's constructor is constexpr), so a signal handler may reach
/// it before anything else has.
namespace detail {
inline Interruption processInterruption;
}  // namespace detail
inline Interruption& interruption() { return detail::processInterruption; }

}  // namespace ksim
