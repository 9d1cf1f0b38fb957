// Scenario files: plain text, one step per line, that name processes, a
// call with symbolic arguments and, optionally, the expected result.
// Counterexamples are written in this form; users write "what if" runs in
// it by hand.  The grammar is in the README ("Scenario files").
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/Action.hpp"
#include "model/Config.hpp"
#include "model/Format.hpp"
#include "model/Kernel.hpp"

namespace model {

/// A malformed scenario: what() is "FILE:LINE: reason", one line.
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The result a step claims, after "=".
struct Expectation {
  enum class Kind : std::uint8_t { None, Errno, Number, Process, Sleeping, Panic, Hang, LwpInfo };
  Kind kind = Kind::None;
  int number = 0;       ///< Errno value, Number, or LwpInfo's pl_flags
  std::string process;  ///< Process: the result is that process's pid; LwpInfo: the forked child, if any
  /// wait: the status word (FreeBSD's encoding), compared when written.
  std::optional<int> status;
  /// PT_LWPINFO at a stop for a signal: pl_siginfo.si_signo, written
  /// "si_signo SIG" after the flags; compared when written.
  std::optional<int> siginfoSigno;
  /// PROC_REAP_STATUS and PROC_REAP_KILL: the out-structure's fields
  /// written after the result ("reaper A children 1 ..."), KEY and VALUE in
  /// the order written; each is compared, the others are not.
  std::vector<std::pair<std::string, std::string>> fields;
};

struct ScenarioStep {
  int line = 0;
  std::string actor;
  Call call = Call::Fork;
  std::string target;  ///< process name or a pid in decimal; empty if the call takes none
  std::uint8_t op = 0;
  std::uint8_t idtype = 0;
  std::int8_t data = 0;
  bool goodAddress = true;
  std::uint8_t reapKillFlags = 0;  ///< PROC_REAP_KILL: REAPER_KILL_CHILDREN
  std::string child;  ///< fork/vfork: the name the child goes by
  Expectation expect;
};

/// Without configuration lines a scenario runs in the default world
/// (process A, alice) with room for kMaxUserProcs processes.
struct Scenario {
  std::string fileName;
  std::optional<std::string> variant;
  int variantLine = 0;  ///< the line of `variant`, for errors about its name
  Config config = Config::defaults();
  std::vector<ScenarioStep> steps;
};

/// Parses a scenario; throws ScenarioError naming the first bad line.
Scenario parseScenario(std::istream& in, const std::string& fileName);

/// The limits parseScenarioFile enforces: a scenario is a short text, so
/// anything beyond them is a mistake (a wrong path, a device, a binary).
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxScenarioLineBytes = 4096;

/// Reads and parses the scenario file at path.  Refuses, with a
/// ScenarioError naming the file (and the line where there is one), what
/// is not a regular file, a read error, a file over kMaxScenarioBytes and
/// a line over kMaxScenarioLineBytes; never takes an error for the end.
Scenario parseScenarioFile(const std::string& path);

/// A decimal int as scenarios and sysctl settings write it: an optional
/// minus, digits, no leading zero ("010" would read as octal to a C
/// programmer), within int; nullopt otherwise.
std::optional<int> parseDecimalInt(std::string_view text);
/// PT_LWPINFO's si_code as a scenario writes it (a name, or 0): FreeBSD's
/// number.
std::optional<int> siCodeValue(const std::string& word);

/// The step's line in scenario syntax, without the expectation.
std::string formatStep(const ScenarioStep& step);
/// " = EPERM", " = 0", " = A.1", " = sleeping", " = panic".
std::string formatExpectation(const Expectation& e);
/// A ptrace request's and a ktrace operation's word in scenario syntax
/// ("PT_ATTACH", "set-inherit"); an unknown one as its number.
std::string ptraceRequestName(std::uint8_t request);
std::string ktraceOperationName(std::uint8_t operation);
/// The configuration lines that open a scenario file.
std::vector<std::string> formatConfig(const Config& config, const std::string& variant);

/// The action a step denotes in a state, given the run's process names;
/// throws ScenarioError if it names no process.
Action resolveStep(const ScenarioStep& step, const ProcessNames& names, const State& state,
                   const std::string& fileName);

/// The step (with its observed result as expectation) for an action.
ScenarioStep stepFromAction(const Action& a, const StepResult& r, const ProcessNames& names,
                            const std::string& childName);

/// What a step observed, as an expectation.
Expectation observed(const Action& a, const StepResult& r, const ProcessNames& namesAfter);

/// Whether an observed result meets an expectation.
bool meets(const Expectation& want, const Expectation& got, const ProcessNames& names, const State& after);

}  // namespace model
