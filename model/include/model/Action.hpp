// One step of one process: a value type with equality, hash and a printed
// form (the scenario syntax, see Scenario.hpp).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>

#include "ksim/flags.h"
#include "model/Calls.hpp"

namespace model {

/// ptrace(2) requests (FreeBSD's numbers).
enum PtraceRequest : std::uint8_t {
  kPtTraceMe = 0,
  kPtContinue = 7,
  kPtKill = 8,
  kPtStep = 9,
  kPtAttach = 10,
  kPtDetach = 11,
  kPtLwpinfo = 13,
  kPtToSce = 20,
  kPtToScx = 21,
  kPtSyscall = 22,
  kPtFollowFork = 23,
  kPtLwpEvents = 24,
  kPtGetEventMask = 25,
  kPtSetEventMask = 26,
};

/// The requests that resume a stopped process, passing 0 or a signal:
/// PT_CONTINUE and PT_DETACH, PT_SYSCALL, PT_TO_SCE and PT_TO_SCX, which
/// also add system-call stops to the event mask, and PT_STEP, which also
/// makes the process trap after its next instruction.
constexpr bool ptraceResumesWithSignal(std::uint8_t request) {
  return request == kPtContinue || request == kPtDetach || request == kPtSyscall || request == kPtToSce ||
         request == kPtToScx || request == kPtStep;
}

/// pl_siginfo.si_code values (FreeBSD's <sys/signal.h>) a PT_LWPINFO
/// expectation can name; the model reports only kSiNoinfo (a SIGSTOP or
/// SIGKILL stop: no ksiginfo is queued for them) and kTrapTrace (PT_STEP's
/// trap).
inline constexpr int kSiNoinfo = 0;
inline constexpr int kTrapBrkpt = 1;
inline constexpr int kTrapTrace = 2;
inline constexpr int kSiUser = 0x10001;
inline constexpr int kSiKernel = 0x10006;
inline constexpr int kSiLwp = 0x10007;

/// PT_LWPINFO's pl_flags (FreeBSD's values) that the model reports.
inline constexpr int kPlFlagSce = 0x04;
inline constexpr int kPlFlagScx = 0x08;
inline constexpr int kPlFlagExec = 0x10;
inline constexpr int kPlFlagSi = 0x20;
inline constexpr int kPlFlagForked = 0x40;
inline constexpr int kPlFlagChild = 0x80;
inline constexpr int kPlFlagVforked = 0x400;
inline constexpr int kPlFlagVforkDone = 0x800;

/// ktrace(2) operations as the model distinguishes them.
enum KtraceOp : std::uint8_t {
  kKtrSet = 0,         ///< KTROP_SET, system-call facility
  kKtrSetInherit = 1,  ///< KTROP_SET with KTRFAC_INHERIT
  kKtrClear = 2,       ///< KTROP_CLEAR of the facility
};

/// wait options (FreeBSD's numbers): the only one a scenario can pass.
inline constexpr std::uint8_t kWaitNohang = 1;  // WNOHANG

/// sigprocmask(2)'s "how" (FreeBSD's numbers): the two a scenario can pass.
inline constexpr std::uint8_t kSigBlock = 1;    // SIG_BLOCK
inline constexpr std::uint8_t kSigUnblock = 2;  // SIG_UNBLOCK

/// exec image kinds.
enum ExecImage : std::uint8_t {
  kImagePlain = 0,
  kImageSetuidRoot = 1,
};

/// procctl commands the model issues; any other number is passed through.
inline constexpr int kProcTraceEnable = 7;  // PROC_TRACE_ENABLE
inline constexpr int kProcTraceStatus = 8;  // PROC_TRACE_STATUS
/// The reaper requests (FreeBSD's numbers, ksim/flags.h): the model runs
/// them itself in a design that has the reaper (model/src/Reaper.cpp).
inline constexpr int kProcReapAcquire = KSIM_PROC_REAP_ACQUIRE;
inline constexpr int kProcReapRelease = KSIM_PROC_REAP_RELEASE;
inline constexpr int kProcReapStatus = KSIM_PROC_REAP_STATUS;
inline constexpr int kProcReapKill = KSIM_PROC_REAP_KILL;
constexpr bool isReaperCommand(int op) {
  return op == kProcReapAcquire || op == kProcReapRelease || op == kProcReapStatus || op == kProcReapKill;
}

/// Action::goodAddress is a flag in bit 0; a PROC_REAP_KILL step keeps
/// its rk_flags (REAPER_KILL_CHILDREN, REAPER_KILL_SUBTREE) in the bits
/// above, so that the action stays eight bytes.
inline constexpr unsigned kReapKillFlagsShift = 1;
constexpr std::uint8_t reapKillFlags(std::uint8_t goodAddress) {
  return static_cast<std::uint8_t>(goodAddress >> kReapKillFlagsShift);
}
constexpr std::uint8_t withReapKillFlags(bool goodAddress, unsigned flags) {
  return static_cast<std::uint8_t>((goodAddress ? 1u : 0u) | flags << kReapKillFlagsShift);
}

/// Whether a call's successful value is a pid, which scenarios print as
/// the process's name: by its result column in Syscall.def.
constexpr bool valueIsPid(Call call, std::uint8_t op, int value) {
  switch (callSpec(call).result) {
    case CallResult::SleepsForChild:
      return true;
    case CallResult::Process:
      return value > 0;  // wait with WNOHANG answers 0: nothing to report yet
    case CallResult::Sleeps:
    case CallResult::Zero:
      return false;
    case CallResult::TraceStatus:
      return op == kProcTraceStatus && value > 0;
  }
  return false;
}

/// A target that is not a slot: a pid no process ever has.
inline constexpr std::uint8_t kTargetMissing = 0xfe;
inline constexpr std::uint8_t kNoTarget = 0xff;
inline constexpr int kMissingPid = 99;

struct Action {
  std::uint8_t actor = 0;  ///< slot of the acting process
  Call call = Call::Fork;
  std::uint8_t target = kNoTarget;  ///< slot, kTargetMissing or kNoTarget
  std::uint8_t op = 0;              ///< ptrace request, ktrace op, exec image, procctl command, wait options
  std::uint8_t idtype = 0;          ///< procctl: P_PID (0) or P_PGID (2)
  std::int8_t data = 0;             ///< procctl value; ptrace/kill signal
  /// procctl: the data pointer is mapped (bit 0); PROC_REAP_KILL's rk_flags
  /// above it (withReapKillFlags).
  std::uint8_t goodAddress = 1;
  /// Bookkeeping of the checked search only, never part of what a process
  /// does: the index (in Kernel::userRenamings()) of the user renaming that
  /// canonicalised this step's successor, so that the progress judgement
  /// can follow a user along a graph edge without taking the step again.
  /// Kernel::step ignores it; every action built from a scenario, a program
  /// or Kernel::enabledActions carries 0, and concretize() clears it.
  std::uint8_t userRenaming = 0;

  friend auto operator<=>(const Action&, const Action&) = default;
};

static_assert(sizeof(Action) == 8);

}  // namespace model

template <>
struct std::hash<model::Action> {
  std::size_t operator()(const model::Action& a) const noexcept {
    std::uint64_t bits = 0;
    static_assert(sizeof(bits) == sizeof(a));
    __builtin_memcpy(&bits, &a, sizeof(bits));
    return std::hash<std::uint64_t>{}(bits);
  }
};
