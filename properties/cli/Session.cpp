#include "cli/Session.hpp"

#include <fmt/format.h>

#include <sched.h>
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <thread>

#include "model/Scenario.hpp"
#include "report/Interruption.hpp"
#include "sim/Check.hpp"

namespace ksim::cli {

std::optional<std::uint64_t> parseCount(std::string_view text) {
  // "010" is refused, not read as ten: a C programmer would read eight.
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<std::uint64_t> parseByteSize(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  auto count = parseCount(text.substr(0, digits));
  if (!count) return std::nullopt;
  std::string_view unit = text.substr(digits);
  unsigned shift = 0;
  if (!unit.empty()) {
    switch (unit[0]) {
      case 'k':
      case 'K':
        shift = 10;
        break;
      case 'm':
      case 'M':
        shift = 20;
        break;
      case 'g':
      case 'G':
        shift = 30;
        break;
      case 't':
      case 'T':
        shift = 40;
        break;
      default:
        return std::nullopt;
    }
    unit.remove_prefix(1);
    if (unit != "" && unit != "B" && unit != "iB") return std::nullopt;
  }
  if (*count > (UINT64_MAX >> shift)) return std::nullopt;
  return *count << shift;
}

std::string formatBytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) value /= 1024, ++unit;
  return fmt::format("{:.2f} {}", value, kUnits[unit]);
}

namespace {

/// The value of "MemAvailable:   123 kB" in /proc/meminfo, in bytes.
std::optional<std::uint64_t> memAvailable(std::string_view meminfo) {
  std::istringstream in{std::string(meminfo)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string key, number, unit;
    fields >> key >> number >> unit;
    if (key != "MemAvailable:") continue;
    auto kib = parseCount(number);
    if (!kib || unit != "kB" || *kib > (UINT64_MAX >> 10)) return std::nullopt;
    return *kib << 10;
  }
  return std::nullopt;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return text;
}

std::string readSmallFile(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  return text.str();
}

}  // namespace

MemoryCap defaultMemoryCap(std::string_view meminfo, std::string_view cgroupMax,
                           std::string_view cgroupCurrent) {
  std::optional<std::uint64_t> available = memAvailable(meminfo);
  std::string where = "MemAvailable";
  // memory.max is "max" when the cgroup has no limit.
  if (auto limit = parseCount(trimmed(cgroupMax))) {
    std::uint64_t used = parseCount(trimmed(cgroupCurrent)).value_or(0);
    std::uint64_t left = used < *limit ? *limit - used : 0;
    if (!available || left < *available) available = left, where = "the cgroup's memory.max less its usage";
  }
  if (!available) return {0, "none: neither /proc/meminfo nor the cgroup says what is available"};
  // kDefaultMemoryPercent without overflow.
  std::uint64_t bytes =
      *available / 100 * kDefaultMemoryPercent + *available % 100 * kDefaultMemoryPercent / 100;
  return {bytes, fmt::format("{} % of {}, {}", kDefaultMemoryPercent, where, formatBytes(*available))};
}

MemoryCap defaultMemoryCap() {
  return defaultMemoryCap(readSmallFile("/proc/meminfo"), readSmallFile("/sys/fs/cgroup/memory.max"),
                          readSmallFile("/sys/fs/cgroup/memory.current"));
}

unsigned availableCores() {
  cpu_set_t cores;
  CPU_ZERO(&cores);
  if (sched_getaffinity(0, sizeof cores, &cores) == 0 && CPU_COUNT(&cores) > 0)
    return static_cast<unsigned>(CPU_COUNT(&cores));
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

// One line to stderr, from a signal handler (write(2) is async-signal-safe).
template <std::size_t N>
void sayFromHandler(const char (&line)[N]) {
  ssize_t ignored = write(STDERR_FILENO, line, N - 1);
  (void)ignored;
}

// The first signal stops the search at its next state; one that comes
// while the progress properties are judged (after a search that ended on
// its own, or after the one that stopped it) stops the judgement; any
// other ends ksim at once, as the signal would without the handler.
extern "C" void onInterrupt(int signal) {
  ksim::Interruption& stop = ksim::interruption();
  if (stop.judging.load()) {
    if (!stop.stopJudgement.exchange(true)) {
      stop.stopSearch.store(true);
      sayFromHandler(
          "\nksim: interrupted: stopping the progress judgement; a progress property not yet judged is "
          "UNKNOWN (again to quit at once)\n");
      return;
    }
  } else if (!stop.stopSearch.exchange(true)) {
    sayFromHandler(
        "\nksim: interrupted: stopping at the next state and reporting what was found (again to stop "
        "judging the progress properties, or to quit at once)\n");
    return;
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string& activityText() {
  static std::string text = "starting";
  return text;
}

}  // namespace

const std::atomic<bool>& interruptRequested() { return ksim::interruption().stopSearch; }

void installInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

Activity::Activity(std::string what)
    : previous_(std::move(activityText())), exceptionsBefore_(std::uncaught_exceptions()) {
  activityText() = std::move(what);
}

Activity::~Activity() {
  // Unwound by an exception: keep naming this activity, for the handler
  // that will classify the exception.
  if (std::uncaught_exceptions() > exceptionsBefore_) return;
  activityText() = std::move(previous_);
}

std::string Activity::current() { return activityText(); }

Failure classifyFailure(std::exception_ptr error, const std::string& activity) {
  auto internal = [&](const std::string& what) {
    return Failure{kExitInternal, fmt::format("ksim: internal error while {}: {} (a bug of ksim, not a "
                                              "finding about the kernel)",
                                              activity, what)};
  };
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {kExitUsage, std::string("ksim: ") + e.what()};
  } catch (const model::ScenarioError& e) {
    return {kExitUsage, std::string("ksim: ") + e.what()};
  } catch (const std::bad_alloc&) {
    return internal("out of memory outside the search's memory cap (--max-memory)");
  } catch (const std::exception& e) {
    return internal(e.what());
  } catch (...) {
    return internal("an exception that is not a std::exception");
  }
}

namespace {

void exitForInternalBug() noexcept {
  std::fprintf(stderr, "ksim: internal error while %s (a bug of ksim, not a finding about the kernel)\n",
               activityText().c_str());
  std::fflush(stderr);
  std::_Exit(kExitInternal);
}

}  // namespace

void installInternalBugHandler() { sim::setInternalBugHandler(exitForInternalBug); }

}  // namespace ksim::cli
