// The calls a process can take and the families the explorer can leave
// out, as enums and constexpr tables made from the rows of Syscall.def (the
// one place either is written).  Code that treats calls differently goes by
// a column here (the argument grammar, the result, the origin) or switches
// over Call without a default, which -Werror=switch makes complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

namespace model {

enum class Call : std::uint8_t {
#define KSIM_CALL(name, keyword, origin, arguments, result, sys, code, narg, doc) name,
#include "model/Syscall.def"
};

/// Groups of actions the explorer can leave out (Config::omitted).
enum class CallFamily : std::uint8_t {
#define KSIM_FAMILY(name, keyword, call, doc) name,
#include "model/Syscall.def"
};

/// Who takes a call.
enum class CallOrigin : std::uint8_t {
  Process,  ///< a process makes it: the explorer and the program generator choose it
  Kernel,   ///< the continuation of a call in progress, taken when the kernel requires it
};

/// What follows the keyword in a scenario step (README, "Scenario files").
enum class CallArguments : std::uint8_t {
  None,             ///< nothing
  ChildName,        ///< [CHILD]: the name the child goes by
  ExecImage,        ///< [setuid-root]
  ExitCode,         ///< [CODE]: 0 to 255, default 0
  OptionalChild,    ///< [CHILD] [WNOHANG]: the child to wait for (none: any), and whether not to sleep
  PtraceRequest,    ///< PT_TRACE_ME | PT_ATTACH P | PT_DETACH P | PT_CONTINUE P [SIGQUIT] | PT_KILL P
  KtraceOperation,  ///< set|set-inherit|clear P
  Signal,           ///< P SIGQUIT
  Procctl,          ///< P_PID|P_PGID ID COMMAND [VALUE] [BADADDR]
  SignalAction,     ///< SIGNAL SIG_DFL|SIG_IGN|handler
  SignalMask,       ///< SIG_BLOCK|SIG_UNBLOCK SIGNAL
  Descriptor,       ///< P: the process whose descriptor (pdfork) the caller closes
};

/// What a call returns when it does not fail.
enum class CallResult : std::uint8_t {
  SleepsForChild,  ///< sleeps in the middle of the call; its value is the new child's pid
  Sleeps,          ///< sleeps in the middle of the call
  Process,         ///< a pid, printed as the process's name
  Zero,            ///< 0
  TraceStatus,     ///< 0, or for PROC_TRACE_STATUS -1, 0 or the debugger's pid
};

/// The FreeBSD system call a process call enters by: PT_LWPINFO's
/// pl_syscall_code and pl_syscall_narg at a system-call stop.
struct FreebsdSyscall {
  std::string_view name;  ///< as in syscalls.master (SYS_<name>); empty for a kernel continuation
  int code = -1;          ///< SYS_<name>
  int narg = -1;          ///< sy_narg; -1 where the model does not say
};

struct CallSpec {
  Call call;
  std::string_view keyword;  ///< in scenario files and ksim list
  CallOrigin origin;
  CallArguments arguments;
  CallResult result;
  FreebsdSyscall syscall;
  std::string_view doc;
};

inline constexpr CallSpec kCalls[] = {
#define KSIM_CALL(name, keyword, origin, arguments, result, sys, code, narg, doc)                \
  {Call::name,        keyword, CallOrigin::origin, CallArguments::arguments, CallResult::result, \
   {sys, code, narg}, doc},
#include "model/Syscall.def"
};
inline constexpr std::size_t kCallCount = std::size(kCalls);

struct FamilySpec {
  CallFamily family;
  std::string_view name;  ///< for --omit and "omit"
  Call call;              ///< the call all of the family's actions make
  std::string_view doc;
  /// Left out unless asked for, and written only when in ("include NAME").
  bool optIn;
  /// No actions of its own: while in, existing steps behave differently
  /// (KSIM_OPT_IN_BEHAVIOUR).
  bool behaviour = false;
};

inline constexpr FamilySpec kFamilies[] = {
#define KSIM_FAMILY(name, keyword, call, doc) {CallFamily::name, keyword, Call::call, doc, false},
#define KSIM_OPT_IN_FAMILY(name, keyword, call, doc) {CallFamily::name, keyword, Call::call, doc, true},
#define KSIM_OPT_IN_BEHAVIOUR(name, keyword, call, doc) {CallFamily::name, keyword, Call::call, doc, true, true},
#include "model/Syscall.def"
};
inline constexpr unsigned kCallFamilyCount = std::size(kFamilies);

/// A set of families, a bit each (Config::omitted).
using FamilySet = std::uint64_t;
static_assert(kCallFamilyCount <= 64, "FamilySet has a bit per family");

/// The one-family set.
constexpr FamilySet familyBit(CallFamily f) { return FamilySet{1} << static_cast<unsigned>(f); }

/// The opt-in families.
inline constexpr FamilySet kOptInFamilies = [] {
  FamilySet mask = 0;
  for (const FamilySpec& f : kFamilies)
    if (f.optIn) mask |= familyBit(f.family);
  return mask;
}();

constexpr const CallSpec& callSpec(Call call) { return kCalls[static_cast<std::size_t>(call)]; }
constexpr std::string_view callKeyword(Call call) { return callSpec(call).keyword; }
constexpr const FamilySpec& familySpec(CallFamily f) { return kFamilies[static_cast<std::size_t>(f)]; }
constexpr std::string_view familyName(CallFamily f) { return familySpec(f).name; }

/// The call with this scenario keyword.
constexpr std::optional<Call> findCall(std::string_view keyword) {
  for (const CallSpec& c : kCalls)
    if (c.keyword == keyword) return c.call;
  return std::nullopt;
}

/// The system call with this number (a process call's), if the model has it.
constexpr std::optional<FreebsdSyscall> findFreebsdSyscall(int code) {
  for (const CallSpec& c : kCalls)
    if (c.syscall.code == code && code >= 0) return c.syscall;
  return std::nullopt;
}

/// The system call with this name (syscalls.master's), if the model has it.
constexpr std::optional<FreebsdSyscall> findFreebsdSyscall(std::string_view name) {
  for (const CallSpec& c : kCalls)
    if (c.syscall.name == name && !name.empty()) return c.syscall;
  return std::nullopt;
}

/// The family with this name.
constexpr std::optional<CallFamily> findFamily(std::string_view name) {
  for (const FamilySpec& f : kFamilies)
    if (f.name == name) return f.family;
  return std::nullopt;
}

namespace detail {
// Rows in enum order, and no keyword or family name twice: lookups by name
// find the one row.
constexpr bool tablesConsistent() {
  for (std::size_t i = 0; i < kCallCount; ++i) {
    if (static_cast<std::size_t>(kCalls[i].call) != i || findCall(kCalls[i].keyword) != kCalls[i].call)
      return false;
  }
  for (std::size_t i = 0; i < kCallFamilyCount; ++i) {
    if (static_cast<std::size_t>(kFamilies[i].family) != i ||
        findFamily(kFamilies[i].name) != kFamilies[i].family)
      return false;
  }
  // A process call enters the kernel by a system call; a continuation does not.
  for (const CallSpec& c : kCalls)
    if ((c.origin == CallOrigin::Process) != (c.syscall.code >= 0 && !c.syscall.name.empty())) return false;
  return true;
}
}  // namespace detail
static_assert(detail::tablesConsistent(), "Syscall.def: a keyword or family name is written twice");

}  // namespace model
