// The process model: the 2014 kernel's fork, vfork, exec, exit/wait,
// credentials, ptrace, ktrace and signals, around the kernel C of one
// variant.  Decisions the patch touches (permission checks, the flag
// words at fork and exec, the coredump gate, procctl, PT_TRACE_ME's own
// checks) run the variant's C code; process-table bookkeeping (slots,
// parents, groups, sleeping) is here.
//
// step() is pure: the same state and action give the same result.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ksim/kernel.h"
#include "model/Action.hpp"
#include "model/Config.hpp"
#include "model/Signals.hpp"
#include "model/State.hpp"

namespace model {

/// How a step ended.
enum class Outcome : std::uint8_t {
  Returned,  ///< the system call returned (error or value below)
  Sleeping,  ///< the call went to sleep; the process continues later
  Panic,     ///< panic(), or a failed KASSERT, MPASS or lock assertion under INVARIANTS
  Hang,      ///< the step did not finish within its work bound
};

/// PROC_REAP_STATUS's answer (struct procctl_reaper_status), the fields
/// the model has; processes as slots, kNoTarget for rs_pid's -1.
struct ReaperStatus {
  int flags = 0;  ///< rs_flags: KSIM_REAPER_STATUS_OWNED, _REALINIT
  std::uint8_t reaper = kNoTarget;
  int children = 0;
  int descendants = 0;
  std::uint8_t pid = kNoTarget;  ///< rs_pid: a child (or descendant) of the reaper; none: -1
};

/// What PROC_REAP_KILL writes back (struct procctl_reaper_kill's out
/// fields): how many were signalled, and the first that could not be
/// (rk_fpid; kNoTarget for -1).
struct ReaperKillReport {
  int killed = 0;
  std::uint8_t failed = kNoTarget;
};

/// What an observer can see of one step, besides the next state.
struct StepResult {
  StepResult() = default;
  /// A step about to run from `before`: `next` starts as a copy of it, without first being cleared.
  explicit StepResult(const State& before) : next(before) {}

  State next;
  Outcome outcome = Outcome::Returned;
  int error = 0;             ///< errno, when Returned
  std::optional<int> value;  ///< return value on success (pid, status word)
  std::string message;       ///< panic or hang text
  /// A production kernel (Config::kernel): the first assertion that
  /// failed and was passed over ("KASSERT: text"), the step having gone
  /// on as the kernel without INVARIANTS does; empty if none failed.
  std::string assertion;
  const char* assertionFile = nullptr;  ///< its source site, as siteFile
  int assertionLine = 0;
  /// Slot of a process that had a core file written in this step.
  std::optional<std::uint8_t> coreWritten;
  /// Its p_flag2 when the core was written (the slot may be reaped by the
  /// end of the step).
  std::uint32_t coreWrittenFlag2 = 0;
  /// PT_LWPINFO of a stop for a fork: the child it reports (pl_child_pid).
  std::optional<std::uint8_t> reportedChild;
  /// PT_LWPINFO of a stop for a signal (PL_FLAG_SI): pl_siginfo.si_signo.
  std::optional<std::uint8_t> siginfoSigno;
  /// Its si_code where the model knows it: 0 at a SIGSTOP or SIGKILL stop
  /// (sigqueue_add() queues no ksiginfo for them), TRAP_TRACE at PT_STEP's
  /// trap; unset at the other signals' stops, whose code depends on who
  /// sent them, which the pending set does not keep.
  std::optional<int> siginfoCode;
  /// PT_LWPINFO at a system-call stop (TDB_SCE or TDB_SCX): the call
  /// (pl_syscall_code, pl_syscall_narg).  Unset at other stops, where
  /// FreeBSD reports 0 and 0, and in the 2014 designs, whose
  /// ptrace_lwpinfo has no such fields (kernel/PROVENANCE.md section 3.9).
  std::optional<FreebsdSyscall> lwpSyscall;
  /// wait: the status word it reports, FreeBSD's encoding (<sys/wait.h>).
  std::optional<int> waitStatus;
  /// PROC_REAP_STATUS: its answer, when it succeeded.
  std::optional<ReaperStatus> reaperStatus;
  /// PROC_REAP_KILL: its out fields, once the kernel has set them (it
  /// copies them out on error too; not for an argument it refused).
  std::optional<ReaperKillReport> reaperKill;
  /// The kernel source line the step last passed (ksim_site: a lock
  /// operation, or the failed assertion of a panic), as the compiler named
  /// the file; nullptr when the step ran no kernel C code.
  const char* siteFile = nullptr;
  int siteLine = 0;
};

/// A slot renumbering: canonical[concrete slot] and its inverse; and the
/// renaming of interchangeable users that goes with it (an index into
/// Kernel::userRenamings(); 0 renames nobody).
struct Relabeling {
  std::array<std::uint8_t, KSIM_NSLOTS> toCanonical{};
  std::array<std::uint8_t, KSIM_NSLOTS> toConcrete{};
  std::uint8_t userRenaming = 0;
};

/// A permutation of interchangeable users: user from[i] becomes to[i]
/// (uid and gid together).  Users not listed keep their names.
struct UserRenaming {
  std::vector<User> from, to;
  std::uint16_t uid(std::uint16_t u) const {
    for (std::size_t i = 0; i < from.size(); ++i)
      if (from[i].uid == u) return to[i].uid;
    return u;
  }
  std::uint16_t gid(std::uint16_t g) const {
    for (std::size_t i = 0; i < from.size(); ++i)
      if (from[i].gid == g) return to[i].gid;
    return g;
  }
};

class Kernel {
 public:
  Kernel(const ksim_variant& variant, Config config);

  const Config& config() const { return config_; }
  const ksim_variant& variant() const { return variant_; }

  /// The configured world: swapper, init, and the initial processes.
  State initial() const;

  /// Every action the explorer tries in s, in a fixed order.
  void enabledActions(const State& s, std::vector<Action>& out) const;

  /// Whether the acting process can take this action now (it exists, is
  /// not stopped or asleep, and the action is its continuation if it is in
  /// the middle of a call).
  bool canAct(const State& s, const Action& a) const;

  /// Performs a.  Precondition: canAct(s, a), which it checks.
  StepResult step(const State& s, const Action& a) const;
  /// Performs a, one of enabledActions(s), without checking canAct(s, a)
  /// again: the explorer takes every enabled action of every state, and
  /// that check cost about 3 % of its time.  Every action enabledActions()
  /// lists passes canAct() (ModelPropertyTest checks it).
  StepResult stepEnabled(const State& s, const Action& a) const;

  /// The lexicographically least state among those that differ from s only
  /// by a renumbering of user slots and a renaming of interchangeable users
  /// (Config::interchangeableUsers), and the relabeling that gets there.
  /// Sound: such states behave identically up to the relabeling (the
  /// argument is at the definition).
  State canonicalize(const State& s, Relabeling* relabeling = nullptr) const;

  /// Every renaming of the interchangeable users, the identity first.
  const std::vector<UserRenaming>& userRenamings() const { return userRenamings_; }

  /// Maps the slots an action names through a renumbering.
  static Action relabel(const Action& a, const std::array<std::uint8_t, KSIM_NSLOTS>& map);

  /// Name of the initial process in a slot of the initial state.
  const std::vector<std::string>& initialNames() const { return initialNames_; }

 private:
  ksim_call makeCall(State& s, unsigned td) const;
  std::optional<std::uint8_t> allocateSlot(const State& s) const;
  /// `code`: the exit code (KSIM_XSTAT_EXITED) or the fatal signal.
  void exitProcess(State& s, unsigned slot, std::uint8_t xstat, std::uint8_t code) const;
  void reapProcess(State& s, unsigned slot) const;
  void wakeVforkParent(State& s, unsigned child) const;
  bool finishCall(const ksim_call& c, StepResult& r) const;
  bool stopsAtEntry(const ksim_proc_rec& p, const Action& a) const;
  void stopAtEntry(StepResult& r, const Action& a) const;
  bool returnsToUser(const Action& a, const StepResult& r) const;
  void stopAtExitIfAsked(ksim_proc_rec& p, Call call) const;

  void doFork(StepResult& r, const Action& a) const;
  void doClose(StepResult& r, const Action& a) const;
  /// procdesc_close() on the last descriptor of `slot` (section 17).
  void lastClose(State& s, unsigned slot) const;
  void doForkFinish(StepResult& r, const Action& a) const;
  void doExec(StepResult& r, const Action& a) const;
  void doExecFinish(StepResult& r, const Action& a) const;
  void doWait(StepResult& r, const Action& a) const;
  void doPtrace(StepResult& r, const Action& a) const;
  void doKtrace(StepResult& r, const Action& a) const;
  void doKill(StepResult& r, const Action& a) const;
  void doTakeSignal(StepResult& r, const Action& a) const;
  void doSigaction(StepResult& r, const Action& a) const;
  void doSigprocmask(StepResult& r, const Action& a) const;
  void takeSignal(StepResult& r, unsigned slot) const;
  void postSignal(State& s, unsigned slot, int signal) const;
  /// Whether the signal queue is modelled (the opt-in family
  /// signal-queue; kernel/PROVENANCE.md section 18).
  bool queueing() const { return !config_.omits(CallFamily::SignalQueue); }
  void doProcctl(StepResult& r, const Action& a) const;
  /// The reaper requests of procctl(2), in a design with the reaper
  /// (model/src/Reaper.cpp).
  void doReaper(StepResult& r, const Action& a) const;
  void reapKill(StepResult& r, const Action& a, unsigned reaper) const;
  /// reaper_abandon_children(): the reaper's descendants go to its own
  /// reaper; when it is being reaped, its children too.
  void abandonReaperChildren(State& s, unsigned reaper, bool reaped) const;
  void deliver(StepResult& r, unsigned slot, int signal, bool noStop, bool attachStop = false) const;

  const ksim_variant& variant_;
  Config config_;
  std::vector<std::string> initialNames_;
  std::vector<UserRenaming> userRenamings_;
};

/// Slots of processes that exist (not free), in slot order.
bool isLive(const ksim_proc_rec& p);
/// A process that can run a system call now.
bool isRunnable(const ksim_proc_rec& p);
/// The pending signals the process must take before anything else: all of
/// them but SIGSTOP while it is a vforked child whose parent waits
/// (P_PPWAIT), for which issignal() masks the stop signals until the vfork
/// ends (kernel/PROVENANCE.md section 12), and none it blocks (section 16).
std::uint16_t signalsToTake(const ksim_proc_rec& p);
/// The signal issignal() acts on next among signalsToTake(p), nullptr if
/// none: a SIGKILL the debugger passed on (PT_KILL, or a resume with it:
/// KSIM_SIGF_NOSTOP), which ptracestop() hands back to be acted on at
/// once; else, right after today's attach (P2_PTRACE_FSTP), its SIGSTOP;
/// else the lowest-numbered (sig_ffs(); kill(2)'s SIGKILL has no
/// precedence; kernel/PROVENANCE.md sections 13 and 16).
const SignalSpec* nextSignalToTake(const ksim_proc_rec& p);
/// proc_realparent(): the real parent, the tracee's p_oppid while its
/// debugger holds it.
std::uint8_t realParent(const ksim_proc_rec& p);

/// A vfork parent whose debugger follows its forks: it stops for the
/// fork event (syscallret) before it sleeps waiting for the child, so its
/// one step is to take that stop (kernel/PROVENANCE.md section 3.6).
bool stopsBeforeVforkWait(const ksim_proc_rec& p);
/// A followed fork's new child has not yet made its first stop, which
/// fork_return() makes before userret(): SIGSTOP, PL_FLAG_CHILD.
bool forkChildStopDue(const ksim_proc_rec& p);
/// An exec's event stop (TDB_EXEC) is due or held: doExecFinish keeps the
/// exec as the call it stops at, until the stop is resumed.
bool execEventHeld(const ksim_proc_rec& p);
/// A stop the kernel makes before the return to user mode acts on any
/// pending signal: syscallret()'s at a system call's exit (PTRACE_SCX), for
/// a fork's or an exec's event (TDB_FORK, TDB_EXEC), or when a vfork's wait
/// ended (PTRACE_VFORK), and the followed child's first stop
/// (forkChildStopDue).  Its one step is to take that stop.
bool syscallEventStopDue(const ksim_proc_rec& p);
/// PT_STEP's trap is due: the process runs, its trace flag set, and has
/// taken every signal pending when it resumed.  Its one step is to take
/// the trap (kernel/PROVENANCE.md section 3.10).
bool stepTrapDue(const ksim_proc_rec& p);
/// Whether syscallret() stops the process at a system call's exit
/// (PTRACE_SCX, not PT_KILLed).
bool stopsAtExit(const ksim_proc_rec& p);
/// Whether pc_arg holds a call (a model::Call), not a slot: at a system
/// call's entry stop, and while a stop at a call's exit (PTRACE_SCX) is due
/// or held by a process back in user mode (KSIM_PC_NONE).
bool pcArgIsCall(const ksim_proc_rec& p);
/// The user processes holding a process descriptor of p (pdfork), a bit
/// per slot (1 << slot); and setting them.
std::uint8_t pdHolders(const ksim_proc_rec& p);
void setPdHolders(ksim_proc_rec& p, std::uint8_t slots);
/// How a zombie ended (KSIM_XSTAT_*), and setting it.
std::uint8_t exitKind(const ksim_proc_rec& p);
void setExitKind(ksim_proc_rec& p, std::uint8_t kind);
/// Its place among its parent's children (p_children), counted from the
/// one that has been there longest; the newest has the highest.
std::uint8_t siblingRank(const ksim_proc_rec& p);
/// proc_reparent(): the child goes to the head of the new parent's list
/// of children; nothing happens if that is its parent already.
void reparent(State& s, unsigned child, std::uint8_t parent);
/// Process slots, at most a table's worth, without allocating.
struct SlotList {
  std::array<std::uint8_t, KSIM_NSLOTS> slots{};
  unsigned count = 0;
  const std::uint8_t* begin() const { return slots.data(); }
  const std::uint8_t* end() const { return slots.data() + count; }
};
/// A process's children in the order of its list, newest first.
SlotList childrenNewestFirst(const State& s, unsigned parent);

}  // namespace model
