// What the ksim command needs around a search and is no part of the engine:
// strict numbers and sizes on the command line, the default memory cap from
// what the machine has, Ctrl-C and SIGTERM as a stop request, and the
// classification of a failure as bad input (exit 2) or a bug of ksim
// (exit 70, "internal error").
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ksim::cli {

/// Exit codes of failures (the others are the commands' verdicts).
constexpr int kExitUsage = 2;      ///< bad input: options, files, scenarios
constexpr int kExitInternal = 70;  ///< EX_SOFTWARE: a bug of ksim itself

/// Bad input: one line on stderr, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A count in decimal: digits only, no sign, no prefix, no leading zero
/// ("010" looks octal); nullopt for anything else or a value beyond 64 bits.
std::optional<std::uint64_t> parseCount(std::string_view text);

/// A size in bytes: a count, optionally followed by K, M, G or T (powers of
/// 1024, either case, optionally with "B" or "iB": 512M, 3G, 3GiB);
/// nullopt for anything else or a value beyond 64 bits.
std::optional<std::uint64_t> parseByteSize(std::string_view text);

/// "3.00 GiB", "512.00 MiB", "800 bytes".
std::string formatBytes(std::uint64_t bytes);

/// The memory cap a search gets and where it comes from.
struct MemoryCap {
  std::uint64_t bytes = 0;  ///< 0: none
  std::string origin;       ///< "--max-memory", "50 % of MemAvailable, 21.16 GiB", ...
};

/// The share of the memory available that a check gets by default.  The
/// cap bounds the search's own accounting (sim::Bounds::maxMemory), which
/// reserves what judging the progress properties will take on the graph
/// (properties::JudgementReserve): the review world capped at 300 MiB
/// peaked at 266 MiB on two threads and 270 MiB on four, two alice
/// processes with room to fork capped at 1 GiB at 839 MiB.  What the
/// accounting leaves out (the program itself, the threads' expansion
/// buffers, the allocator's slack, root-can-undo's small confirming
/// searches) stays within a few tens of MiB: half is a safe share, and
/// leaves the other half to the rest of the machine.
constexpr unsigned kDefaultMemoryPercent = 50;

/// The default cap from the text of /proc/meminfo (its MemAvailable) and,
/// if the process is in a cgroup v2 with a limit, of memory.max and
/// memory.current (the limit less the usage): kDefaultMemoryPercent of the
/// smaller.  No cap if neither says anything.
MemoryCap defaultMemoryCap(std::string_view meminfo, std::string_view cgroupMax,
                           std::string_view cgroupCurrent);
/// The same, reading /proc/meminfo and /sys/fs/cgroup/memory.{max,current}.
MemoryCap defaultMemoryCap();

/// The cores this process may run on (its CPU affinity; at least 1): the
/// default of --threads.
unsigned availableCores();

/// Set by the first SIGINT or SIGTERM once installInterruptHandlers() ran:
/// the searches' sim::Bounds::stopRequested (ksim::interruption()).  A
/// signal while the progress properties are judged stops the judgement
/// instead, the first time; any other ends ksim at once, as the signal
/// would without the handler.
const std::atomic<bool>& interruptRequested();
void installInterruptHandlers();

/// What ksim is doing, for the message of an internal error: an Activity
/// names it for its lifetime ("checking rfc-2014"); they nest.  One ended
/// by an exception stays current, so that the handler in main() that
/// classifies the exception still names it.
class Activity {
 public:
  explicit Activity(std::string what);
  ~Activity();
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;
  /// The innermost activity's description, or "starting".
  static std::string current();

 private:
  std::string previous_;
  int exceptionsBefore_;
};

/// How a command that threw ends: its exit code and its one line on stderr.
struct Failure {
  int exitCode = kExitInternal;
  std::string line;
};

/// UsageError and a scenario's error are bad input (2, "ksim: WHAT").
/// Anything else is a bug of ksim (70, "ksim: internal error while
/// ACTIVITY: WHAT ..."), an exhausted memory included: the searches keep
/// within their cap, so running out elsewhere means ksim's accounting missed
/// something.
Failure classifyFailure(std::exception_ptr error, const std::string& activity);

/// Makes a failed KSIM_VERIFY (sim/Check.hpp), after its own line, say
/// "ksim: internal error while ACTIVITY" and exit 70 instead of aborting.
void installInternalBugHandler();

}  // namespace ksim::cli
