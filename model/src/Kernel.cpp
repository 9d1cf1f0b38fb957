// The process model.  See Kernel.hpp for the split between this file and
// the kernel C; kernel/PROVENANCE.md for the FreeBSD semantics it follows.
#include "model/Kernel.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "ksim/flags.h"
#include "ksim/hooks.h"
#include "model/SignalQueue.hpp"
#include "model/Signals.hpp"
#include "model/TargetedCalls.hpp"
#include "sim/Check.hpp"

namespace model {

namespace {

constexpr std::uint8_t kInit = KSIM_SLOT_INIT;
constexpr std::uint8_t kSwapper = KSIM_SLOT_SWAPPER;
constexpr std::uint8_t kNone = KSIM_NOSLOT;
/// The uid a canonical state gives an unprivileged ktrace credential.
constexpr std::uint16_t kUnprivilegedTracer = 65534;

bool isStopped(const ksim_proc_rec& p) { return (p.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) != 0; }

ksim_proc_rec freeRecord() {
  ksim_proc_rec r{};
  r.state = KSIM_PRS_FREE;
  r.pptr = r.oppid = r.pgid = r.pgnext = r.pc_arg = r.reaper = kNone;
  return r;
}

void unlinkFromGroup(ksim_world& w, unsigned slot) {
  std::uint8_t g = w.proc[slot].pgid;
  std::uint8_t* link = &w.pgrp_head[g];
  while (*link != kNone && *link != slot) link = &w.proc[*link].pgnext;
  KSIM_VERIFY(*link == slot, "process missing from its group list");
  *link = w.proc[slot].pgnext;
  w.proc[slot].pgnext = kNone;
}

}  // namespace

bool isLive(const ksim_proc_rec& p) { return p.state != KSIM_PRS_FREE; }

std::uint8_t realParent(const ksim_proc_rec& p) {
  if ((p.flag & KSIM_P_TRACED) == 0 || p.oppid == kNone) return p.pptr;
  return p.oppid == KSIM_OPPID_REAPER ? p.reaper : p.oppid;
}

std::uint16_t signalsToTake(const ksim_proc_rec& p) {
  // issignal() looks only at the signals the thread does not block
  // (td_sigmask; kernel/PROVENANCE.md section 16): a blocked one stays
  // pending, and a traced process does not stop for it until it is let in.
  auto pending = static_cast<std::uint16_t>(pendingSignals(p) & ~blockedSignals(p));
  // A followed fork's SIGSTOP is fork_return's stop for the debugger, not
  // a signal issignal() masks: the vforked child takes it at once.
  if ((p.flag & KSIM_P_PPWAIT) != 0 && (p.ptstop & KSIM_PTSTOP_CHILD) == 0)
    return static_cast<std::uint16_t>(pending & ~KSIM_SIGBIT_STOP);
  return pending;
}

const SignalSpec* nextSignalToTake(const ksim_proc_rec& p) {
  const std::uint16_t pending = signalsToTake(p);
  if ((pending & KSIM_SIGBIT_KILL) != 0 && (p.sigflags & KSIM_SIGF_NOSTOP) != 0) return findSignal(KSIM_SIGKILL);
  if ((p.flag2 & KSIM_P2_PTRACE_FSTP) != 0 && (p.flag & (KSIM_P_TRACED | KSIM_P_PPTRACE)) == KSIM_P_TRACED &&
      (pending & KSIM_SIGBIT_STOP) != 0)
    return findSignal(KSIM_SIGSTOP);
  for (const SignalSpec& s : kSignals)
    if ((pending & s.bit) != 0) return &s;
  return nullptr;
}

bool stopsBeforeVforkWait(const ksim_proc_rec& p) {
  return p.state == KSIM_PRS_NORMAL && !isStopped(p) && p.pc == KSIM_PC_VFORK_WAIT &&
         (p.ptstop & (KSIM_PTSTOP_FORKED | KSIM_PTSTOP_SCX)) != 0 && (p.sigpend & KSIM_SIGBIT_TRAP) != 0;
}

bool stepTrapDue(const ksim_proc_rec& p) {
  return p.state == KSIM_PRS_NORMAL && !isStopped(p) && (p.sigflags & KSIM_SIGF_STEP) != 0 &&
         signalsToTake(p) == 0;
}

bool forkChildStopDue(const ksim_proc_rec& p) {
  return p.state == KSIM_PRS_NORMAL && !isStopped(p) && (p.flag & KSIM_P_TRACED) != 0 &&
         (p.sigpend & KSIM_SIGBIT_STOP) != 0 && (p.ptstop & KSIM_PTSTOP_CHILD) != 0;
}

bool execEventHeld(const ksim_proc_rec& p) {
  return p.pc == KSIM_PC_NONE && p.pc_arg == static_cast<std::uint8_t>(Call::Exec);
}

// Asked of every process in every state (enabledActions, canAct): the
// common conditions once, then which stop.
bool syscallEventStopDue(const ksim_proc_rec& p) {
  if (p.state != KSIM_PRS_NORMAL || isStopped(p)) return false;
  if ((p.sigpend & KSIM_SIGBIT_TRAP) != 0 &&
      ((p.ptstop & (KSIM_PTSTOP_SCX | KSIM_PTSTOP_VFORK | KSIM_PTSTOP_FORKED)) != 0 || execEventHeld(p)))
    return true;
  return forkChildStopDue(p);
}

bool pcArgIsCall(const ksim_proc_rec& p) {
  return p.pc == KSIM_PC_SYSCALL_ENTRY || (p.pc == KSIM_PC_NONE && p.pc_arg != kNone);
}

std::uint8_t pdHolders(const ksim_proc_rec& p) {
  if ((p.treeflag & KSIM_TREE_PD_HOLDERS) == 0) return 0;  // the common case: no descriptor
  std::uint8_t slots = 0;
  for (unsigned s = KSIM_FIRST_USER_SLOT; s < KSIM_NSLOTS; ++s)
    if ((p.treeflag & KSIM_TREE_PD_HOLDER(s)) != 0) slots |= static_cast<std::uint8_t>(1u << s);
  return slots;
}

void setPdHolders(ksim_proc_rec& p, std::uint8_t slots) {
  std::uint8_t bits = 0;
  for (unsigned s = KSIM_FIRST_USER_SLOT; s < KSIM_NSLOTS; ++s)
    if ((slots & (1u << s)) != 0) bits |= static_cast<std::uint8_t>(KSIM_TREE_PD_HOLDER(s));
  p.treeflag = static_cast<std::uint8_t>((p.treeflag & ~KSIM_TREE_PD_HOLDERS) | bits);
}

std::uint8_t exitKind(const ksim_proc_rec& p) { return p.xstat_rank & KSIM_XSTAT_MASK; }

void setExitKind(ksim_proc_rec& p, std::uint8_t kind) {
  p.xstat_rank = static_cast<std::uint8_t>((p.xstat_rank & ~KSIM_XSTAT_MASK) | (kind & KSIM_XSTAT_MASK));
}

std::uint8_t siblingRank(const ksim_proc_rec& p) { return p.xstat_rank >> KSIM_RANK_SHIFT; }

namespace {

void setSiblingRank(ksim_proc_rec& p, unsigned rank) {
  p.xstat_rank = static_cast<std::uint8_t>((p.xstat_rank & KSIM_XSTAT_MASK) | rank << KSIM_RANK_SHIFT);
}

// LIST_REMOVE(child, p_sibling): the younger siblings move down one.
void unlinkChild(State& s, unsigned child) {
  ksim_proc_rec& c = s.proc(child);
  const std::uint8_t rank = siblingRank(c);
  for (unsigned i = KSIM_SLOT_INIT; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec& q = s.proc(i);
    if (i != child && isLive(q) && q.pptr == c.pptr && siblingRank(q) > rank) setSiblingRank(q, siblingRank(q) - 1u);
  }
  setSiblingRank(c, 0);
}

// LIST_INSERT_HEAD(&parent->p_children, child, p_sibling): the child is
// the newest.
void linkChild(State& s, unsigned child, std::uint8_t parent) {
  ksim_proc_rec& c = s.proc(child);
  c.pptr = parent;
  unsigned rank = 0;
  for (unsigned i = KSIM_SLOT_INIT; i < KSIM_NSLOTS; ++i)
    if (i != child && isLive(s.proc(i)) && s.proc(i).pptr == parent) ++rank;
  setSiblingRank(c, rank);
}

}  // namespace

// proc_reparent(): to the same parent it does nothing, else the child
// leaves its parent's list and goes to the head of the new parent's.
void reparent(State& s, unsigned child, std::uint8_t parent) {
  if (s.proc(child).pptr == parent) return;
  unlinkChild(s, child);
  linkChild(s, child, parent);
}

// The children of `parent` in the order of its p_children list, newest
// first.
SlotList childrenNewestFirst(const State& s, unsigned parent) {
  SlotList out;
  for (unsigned i = KSIM_SLOT_INIT; i < KSIM_NSLOTS; ++i) {
    if (i == parent || !isLive(s.proc(i)) || s.proc(i).pptr != parent) continue;
    // Insertion by rank, highest first.  Ranks are distinct among
    // siblings, except in the explorer's states, which drop them
    // (normalize): there slot order decides.
    unsigned j = out.count++;
    for (; j > 0 && siblingRank(s.proc(out.slots[j - 1])) < siblingRank(s.proc(i)); --j)
      out.slots[j] = out.slots[j - 1];
    out.slots[j] = static_cast<std::uint8_t>(i);
  }
  return out;
}

bool isRunnable(const ksim_proc_rec& p) {
  return p.state == KSIM_PRS_NORMAL && !isStopped(p) && p.pc != KSIM_PC_VFORK_WAIT &&
         (p.flag & KSIM_P_SYSTEM) == 0 && (p.flag2 & KSIM_P2_SUSPENDED_UNREPORTED) == 0;
}

Kernel::Kernel(const ksim_variant& variant, Config config) : variant_(variant), config_(std::move(config)) {
  initialNames_.assign(KSIM_NSLOTS, "");
  initialNames_[kSwapper] = "swapper";
  initialNames_[kInit] = "init";
  for (std::size_t i = 0; i < config_.processes.size(); ++i)
    initialNames_[KSIM_FIRST_USER_SLOT + i] = config_.processes[i].name;
  // Every permutation of the interchangeable users; the identity comes
  // first because their list starts sorted.
  std::vector<User> users = config_.interchangeableUsers();
  std::vector<std::size_t> order(users.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  do {
    UserRenaming renaming;
    renaming.from = users;
    for (std::size_t i : order) renaming.to.push_back(users[i]);
    userRenamings_.push_back(std::move(renaming));
  } while (std::next_permutation(order.begin(), order.end()));
}

State Kernel::initial() const {
  State s;
  for (auto& r : s.world.proc) r = freeRecord();
  std::fill(std::begin(s.world.pgrp_head), std::end(s.world.pgrp_head), kNone);

  auto makeProc = [&](unsigned slot, std::uint8_t parent, std::uint16_t uid, std::uint16_t gid,
                      std::uint32_t flag) {
    ksim_proc_rec& r = s.world.proc[slot];
    r.state = KSIM_PRS_NORMAL;
    r.pptr = parent;
    r.ruid = r.euid = r.svuid = uid;
    r.gid = gid;
    r.flag = KSIM_P_INMEM | flag;
  };
  makeProc(kSwapper, kNone, 0, 0, KSIM_P_SYSTEM);
  s.world.proc[kSwapper].pgid = kSwapper;
  s.world.pgrp_head[kSwapper] = kSwapper;
  makeProc(kInit, kSwapper, 0, 0, 0);
  s.world.proc[kInit].pgid = kInit;
  s.world.pgrp_head[kInit] = kInit;
  // proc0_init() and create_init(): both are reapers, the swapper its own
  // and init's (kernel/PROVENANCE.md section 15).  Every design keeps
  // these fields; only one with the reaper lets another process become one,
  // so elsewhere every user process's reaper stays init.
  s.world.proc[kSwapper].treeflag = s.world.proc[kInit].treeflag = KSIM_P_TREE_REAPER;
  s.world.proc[kSwapper].reaper = s.world.proc[kInit].reaper = kSwapper;

  for (std::size_t i = 0; i < config_.processes.size(); ++i) {
    const ProcessSpec& spec = config_.processes[i];
    unsigned slot = KSIM_FIRST_USER_SLOT + static_cast<unsigned>(i);
    User user = *findUser(spec.user);
    makeProc(slot, kNone, user.uid, user.gid, 0);
    // init forked them in the order the configuration names them.
    linkChild(s, slot, kInit);
    s.world.proc[slot].reaper = kInit;
    unsigned leader = slot;
    for (std::size_t j = 0; j < config_.processes.size(); ++j)
      if (config_.processes[j].name == spec.group) leader = KSIM_FIRST_USER_SLOT + static_cast<unsigned>(j);
    s.world.proc[slot].pgid = static_cast<std::uint8_t>(leader);
    // Append, so the group lists in the order the configuration names them.
    std::uint8_t* link = &s.world.pgrp_head[leader];
    while (*link != kNone) link = &s.world.proc[*link].pgnext;
    *link = static_cast<std::uint8_t>(slot);
  }
  return s;
}

ksim_call Kernel::makeCall(State& s, unsigned td) const {
  ksim_call c{};
  c.world = &s.world;
  c.sysctls = &config_.sysctls;
  c.td = td;
  c.production = config_.kernel == KernelBuild::Production;
  return c;
}

// Ends r for a panic or hang; returns true if the call returned normally.
// A step may run several kernel calls: the first assertion passed over
// in any of them is the step's.
bool Kernel::finishCall(const ksim_call& c, StepResult& r) const {
  if (c.assertion[0] != '\0' && r.assertion.empty()) {
    r.assertion = c.assertion;
    r.assertionFile = c.assertion_file;
    r.assertionLine = c.assertion_line;
  }
  if (c.end == KSIM_END_RETURNED) return true;
  r.outcome = c.end == KSIM_END_PANIC ? Outcome::Panic : Outcome::Hang;
  r.message = c.message;
  r.next.panicked = 1;
  return false;
}

std::optional<std::uint8_t> Kernel::allocateSlot(const State& s) const {
  unsigned used = 0;
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
    if (isLive(s.proc(i))) ++used;
  if (used >= config_.maxUserProcs) return std::nullopt;
  // A pid still naming a process group is not reused (as in FreeBSD).
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
    if (!isLive(s.proc(i)) && s.world.pgrp_head[i] == kNone) return static_cast<std::uint8_t>(i);
  return std::nullopt;
}

namespace {

// A child wait4() can report now: a zombie, or stopped for its tracer and
// not yet reported.
bool waitReady(const ksim_proc_rec& q) {
  return q.state == KSIM_PRS_ZOMBIE ||
         ((q.flag & KSIM_P_STOPPED_TRACE) != 0 && (q.flag & KSIM_P_WAITED) == 0);
}

// init is a child too while a debugger has attached it (PT_ATTACH made the
// debugger its p_pptr); the swapper never is.
bool isChildOf(const State& s, unsigned slot, unsigned parent) {
  return slot >= KSIM_SLOT_INIT && slot < KSIM_NSLOTS && isLive(s.proc(slot)) &&
         s.proc(slot).state != KSIM_PRS_NEW && s.proc(slot).pptr == parent;
}

// On the parent's orphan list (p_orphans): its child, traced by another
// process, which PT_ATTACH made the child's p_pptr.
bool isOrphanOf(const State& s, unsigned slot, unsigned parent) {
  if (slot < KSIM_SLOT_INIT || slot >= KSIM_NSLOTS) return false;
  const ksim_proc_rec& q = s.proc(slot);
  return isLive(q) && q.state != KSIM_PRS_NEW && (q.flag & KSIM_P_TRACED) != 0 && q.oppid == parent &&
         q.pptr != parent;
}

std::uint16_t signalBit(int signal) {
  const SignalSpec* s = findSignal(signal);
  KSIM_VERIFY(s != nullptr, "a signal the model does not have");
  return s->bit;
}

// The child a stop for a fork event reports (PT_LWPINFO's pl_child_pid),
// kept in ptstop's upper bits; kNone if there is none.
std::uint8_t forkedChild(const ksim_proc_rec& p) {
  unsigned n = p.ptstop >> KSIM_PTSTOP_CHILD_SHIFT;
  return n == 0 ? kNone : static_cast<std::uint8_t>(n - 1);
}

void setForkedChild(ksim_proc_rec& p, std::uint8_t child) {
  p.ptstop = static_cast<std::uint8_t>((p.ptstop & ((1u << KSIM_PTSTOP_CHILD_SHIFT) - 1)) |
                                       (child == kNone ? 0u : (child + 1u) << KSIM_PTSTOP_CHILD_SHIFT));
}

// The events a stop for `signal` reports, resumed: TDB_FORK and TDB_SCX
// go with a SIGTRAP stop, TDB_CHILD with the child's SIGSTOP.  A vfork
// parent whose wait ended before it took its fork or exit stop
// (KSIM_PTSTOP_VFORK beside them) has the vfork-done stop still to make
// (fork_rfppwait() runs after that stop).
void clearStopEvents(ksim_proc_rec& p, int signal) {
  if (signal == KSIM_SIGTRAP) {
    bool vforkDoneNext = (p.ptstop & KSIM_PTSTOP_VFORK) != 0 &&
                         (p.ptstop & (KSIM_PTSTOP_FORKED | KSIM_PTSTOP_SCX)) != 0 && p.pc != KSIM_PC_SYSCALL_ENTRY;
    p.ptstop &= static_cast<std::uint8_t>(~(KSIM_PTSTOP_FORKED | KSIM_PTSTOP_SCX));
    setForkedChild(p, kNone);
    // The call whose exit it stopped at is done with.
    if (p.pc == KSIM_PC_NONE) p.pc_arg = kNone;
    if (vforkDoneNext && (p.flag & KSIM_P_TRACED) != 0)
      p.sigpend |= KSIM_SIGBIT_TRAP;
    else
      p.ptstop &= static_cast<std::uint8_t>(~KSIM_PTSTOP_VFORK);
  }
  if (signal == KSIM_SIGSTOP) p.ptstop &= static_cast<std::uint8_t>(~KSIM_PTSTOP_CHILD);
}

// TDB_VFORK: a vfork parent from the fork until its wait for the child
// ended and, if asked, it stopped for that (fork_rfppwait()).
bool inVfork(const ksim_proc_rec& p) {
  return p.pc == KSIM_PC_VFORK || p.pc == KSIM_PC_VFORK_WAIT || (p.ptstop & KSIM_PTSTOP_VFORK) != 0;
}

// PT_LWPINFO's pl_flags for a process stopped for its debugger: a system
// call's entry (PL_FLAG_SCE), the fork events of its stop (a vfork's with
// PL_FLAG_VFORKED), a system call's exit with no event (PL_FLAG_SCX
// alone), the end of a vfork's wait (PL_FLAG_VFORK_DONE), an exec's stop
// (PL_FLAG_EXEC), else a stop for a signal (PL_FLAG_SI), SIGTRAP sent with
// kill(2) included.  Event stops happen at the system call's exit
// (PL_FLAG_SCX) but the vfork-done one, made after syscallret() cleared
// TDB_SCX; a forked child's says so only since its stop moved into the
// syscall-exit path (today's fork_return).  kernel/PROVENANCE.md sections
// 3.6 and 3.8.
int lwpinfoFlags(const ksim_proc_rec& p, unsigned design) {
  // PT_STEP's trap is a signal (trapsignal()): issignal() stops for it
  // with its ksiginfo.
  if ((p.sigflags & KSIM_SIGF_STEPPED) != 0) return kPlFlagSi;
  if (p.xsig == KSIM_SIGTRAP && p.pc == KSIM_PC_SYSCALL_ENTRY) return kPlFlagSce;
  if (p.xsig == KSIM_SIGTRAP && (p.ptstop & KSIM_PTSTOP_FORKED) != 0)
    return kPlFlagForked | kPlFlagScx |
           (inVfork(p) && (design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0 ? kPlFlagVforked : 0);
  if (p.xsig == KSIM_SIGSTOP && (p.ptstop & KSIM_PTSTOP_CHILD) != 0)
    return kPlFlagChild | ((design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0 ? kPlFlagScx : 0);
  if (p.xsig == KSIM_SIGTRAP && (p.ptstop & KSIM_PTSTOP_SCX) != 0) return kPlFlagScx;
  if (p.xsig == KSIM_SIGTRAP && (p.ptstop & KSIM_PTSTOP_VFORK) != 0) return kPlFlagVforkDone;
  if (p.xsig == KSIM_SIGTRAP && execEventHeld(p)) return kPlFlagExec | kPlFlagScx;
  return kPlFlagSi;
}

// PT_LWPINFO's pl_syscall_code and pl_syscall_narg: td_sa's call at a stop
// with TDB_SCE or TDB_SCX (PL_FLAG_SCE or PL_FLAG_SCX), nothing (0 and 0)
// at any other; the 2014 ptrace_lwpinfo has no such fields
// (kernel/PROVENANCE.md section 3.9).  At a fork's stops the call is the
// fork or vfork that made them, for the new child too (do_fork() copies
// the parent's td_sa into the child's thread), which a vforked child
// still shows by P_PPWAIT; the parent's is a vfork while inVfork() says
// so (the case lwpinfoFlags leaves out PL_FLAG_VFORKED in is off here
// too).  At an exit stop without an event the call is kept in pc_arg
// (a vfork parent's is its vfork); an exec's stop is execve's exit.
// fork or pdfork: a child made by pdfork starts held by its parent (the
// parent may have closed the descriptor since; the model then says fork).
Call forkCallOf(const State& s, std::uint8_t child, std::uint8_t parent) {
  if (child >= KSIM_NSLOTS || parent >= KSIM_NSLOTS) return Call::Fork;
  return (pdHolders(s.proc(child)) & (1u << parent)) != 0 ? Call::Pdfork : Call::Fork;
}

std::optional<FreebsdSyscall> lwpinfoSyscall(const State& s, unsigned self, unsigned design) {
  const ksim_proc_rec& p = s.proc(self);
  if ((design & KSIM_DESIGN_PTRACE_EVENT_MASKS) == 0) return std::nullopt;
  int flags = lwpinfoFlags(p, design);
  if ((flags & (kPlFlagSce | kPlFlagScx)) == 0) return std::nullopt;
  Call call;
  if ((flags & kPlFlagSce) != 0)
    call = static_cast<Call>(p.pc_arg);
  else if ((flags & kPlFlagForked) != 0)
    call = inVfork(p) ? Call::Vfork : forkCallOf(s, forkedChild(p), self);
  else if ((flags & kPlFlagChild) != 0)
    call = (p.flag & KSIM_P_PPWAIT) != 0 ? Call::Vfork : forkCallOf(s, self, realParent(p));
  else if ((flags & kPlFlagExec) != 0)
    call = Call::Exec;
  else if (p.pc == KSIM_PC_VFORK_WAIT)
    call = Call::Vfork;
  else if (pcArgIsCall(p))
    call = static_cast<Call>(p.pc_arg);
  else
    return std::nullopt;
  return callSpec(call).syscall;
}

// What a wait4() by `actor` for `target` (kNoTarget: any child) finds, as
// kern_wait6() looks: first the children, then the orphans.  An orphan
// keeps the wait from failing with ECHILD; whether a zombie orphan is
// reported at once is the design's era (KSIM_DESIGN_WAIT_LEAVES_ORPHANS_TO_DEBUGGER).
struct WaitFound {
  enum class Kind : std::uint8_t { Report, Sleep, NoChild } kind;
  std::uint8_t child = kNoTarget;
};

// proc_to_reap() for a wait for any child (P_ALL): a process with a
// process descriptor is passed over, not even counted, unless the caller
// is its parent and it is traced; exit1() cleared a zombie's P_TRACED,
// which the model keeps on it (kernel/PROVENANCE.md section 17).
bool waitAnyPassesOver(const State& s, unsigned c, unsigned actor) {
  const ksim_proc_rec& q = s.proc(c);
  if (pdHolders(q) == 0) return false;
  return !(q.pptr == actor && (q.flag & KSIM_P_TRACED) != 0 && q.state != KSIM_PRS_ZOMBIE);
}

WaitFound waitOutcome(const State& s, unsigned actor, std::uint8_t target, unsigned design) {
  bool found = false;
  // kern_wait6() walks the list of children from its head, the newest.
  for (std::uint8_t c : childrenNewestFirst(s, actor)) {
    if ((target != kNoTarget && c != target) || !isChildOf(s, c, actor)) continue;
    if (target == kNoTarget && waitAnyPassesOver(s, c, actor)) continue;
    if (waitReady(s.proc(c))) return {WaitFound::Kind::Report, static_cast<std::uint8_t>(c)};
    found = true;
  }
  for (unsigned c = KSIM_SLOT_INIT; c < KSIM_NSLOTS; ++c) {
    if ((target != kNoTarget && c != target) || !isOrphanOf(s, c, actor)) continue;
    if (target == kNoTarget && waitAnyPassesOver(s, c, actor)) continue;
    if ((design & KSIM_DESIGN_WAIT_LEAVES_ORPHANS_TO_DEBUGGER) == 0 && s.proc(c).state == KSIM_PRS_ZOMBIE)
      return {WaitFound::Kind::Report, static_cast<std::uint8_t>(c)};
    found = true;
  }
  return {found ? WaitFound::Kind::Sleep : WaitFound::Kind::NoChild};
}

}  // namespace

bool Kernel::canAct(const State& s, const Action& a) const {
  // The swapper never acts.  init makes no calls: its only modelled work,
  // reaping, happens inside the steps that orphan its children.  But it
  // takes the signals sent to it, so that a debugger that attached it sees
  // it stop (kernel/PROVENANCE.md section 14).
  if (s.panicked || a.actor < KSIM_SLOT_INIT || a.actor >= KSIM_NSLOTS) return false;
  const ksim_proc_rec& p = s.proc(a.actor);
  if (a.actor == kInit) return a.call == Call::TakeSignal && isRunnable(p) && signalsToTake(p) != 0;
  if (stopsBeforeVforkWait(p)) return a.call == Call::TakeSignal;
  if (!isRunnable(p)) return false;
  if (p.pc == KSIM_PC_EXEC_PLAIN || p.pc == KSIM_PC_EXEC_SETUID) return a.call == Call::ExecFinish;
  if (p.pc == KSIM_PC_FORK || p.pc == KSIM_PC_VFORK) return a.call == Call::ForkFinish;
  if (a.call == Call::ExecFinish || a.call == Call::ForkFinish) return false;
  if (syscallEventStopDue(p)) return a.call == Call::TakeSignal;
  // Resumed from a stop at a system call's entry: that call runs now, and
  // pending signals wait for its return to user mode (syscallenter()).
  if (p.pc == KSIM_PC_SYSCALL_ENTRY) {
    if (a.call != static_cast<Call>(p.pc_arg)) return false;
  } else {
    if (signalsToTake(p) != 0 || stepTrapDue(p)) return a.call == Call::TakeSignal;
    if (a.call == Call::TakeSignal) return false;
  }
  // A wait that would sleep is not a step: it completes later.  With
  // WNOHANG it returns 0 instead.
  if (a.call == Call::Wait)
    return (a.op & kWaitNohang) != 0 ||
           waitOutcome(s, a.actor, a.target, variant_.design).kind != WaitFound::Kind::Sleep;
  return true;
}

void Kernel::enabledActions(const State& s, std::vector<Action>& out) const {
  out.clear();
  if (s.panicked) return;
  // procctl is aimed at every live process and a pid no process has;
  // ptrace, ktrace and kill at the user processes, and, in their *-system
  // families, at the rest of what they can name: init, the swapper
  // (not kill: its pid 0 means the caller's group) and a missing pid.
  std::vector<std::uint8_t> userTargets, systemTargets, allTargets, groups;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    if (!isLive(s.proc(i))) continue;
    allTargets.push_back(static_cast<std::uint8_t>(i));
    (i >= KSIM_FIRST_USER_SLOT ? userTargets : systemTargets).push_back(static_cast<std::uint8_t>(i));
  }
  allTargets.push_back(kTargetMissing);
  systemTargets.push_back(kTargetMissing);
  for (unsigned g = KSIM_FIRST_USER_SLOT; g < KSIM_NSLOTS; ++g)
    if (s.world.pgrp_head[g] != kNone) groups.push_back(static_cast<std::uint8_t>(g));

  for (unsigned actor = KSIM_FIRST_USER_SLOT; actor < KSIM_NSLOTS; ++actor) {
    const ksim_proc_rec& p = s.proc(actor);
    // Resumed from a system call's entry stop, only that call can run.
    bool entered = p.pc == KSIM_PC_SYSCALL_ENTRY;
    auto add = [&](Action a) {
      if (entered && a.call != static_cast<Call>(p.pc_arg)) return;
      a.actor = static_cast<std::uint8_t>(actor);
      out.push_back(a);
    };
    if (stopsBeforeVforkWait(p) || syscallEventStopDue(p)) {
      add({.call = Call::TakeSignal});
      continue;
    }
    if (!isRunnable(p)) continue;
    if (p.pc == KSIM_PC_EXEC_PLAIN || p.pc == KSIM_PC_EXEC_SETUID) {
      add({.call = Call::ExecFinish});
      continue;
    }
    if (p.pc == KSIM_PC_FORK || p.pc == KSIM_PC_VFORK) {
      add({.call = Call::ForkFinish});
      continue;
    }
    if (!entered && (signalsToTake(p) != 0 || stepTrapDue(p))) {
      add({.call = Call::TakeSignal});
      continue;
    }
    auto on = [&](CallFamily f) { return !config_.omits(f); };
    if (on(CallFamily::Fork)) add({.call = Call::Fork});
    if (on(CallFamily::Vfork)) add({.call = Call::Vfork});
    if (on(CallFamily::Exec)) add({.call = Call::Exec, .op = kImagePlain});
    if (on(CallFamily::ExecSetuid)) add({.call = Call::Exec, .op = kImageSetuidRoot});
    if (on(CallFamily::Exit)) add({.call = Call::Exit});
    if (on(CallFamily::Getppid)) add({.call = Call::Getppid});
    if (on(CallFamily::Getpid)) add({.call = Call::Getpid});
    // Process descriptors: pdfork, and close of each one the process
    // holds, in a design that has them.
    if ((variant_.design & KSIM_DESIGN_PROCDESC) != 0) {
      if (on(CallFamily::Pdfork)) add({.call = Call::Pdfork});
      if (on(CallFamily::PdClose))
        for (unsigned t = KSIM_FIRST_USER_SLOT; t < KSIM_NSLOTS; ++t)
          if (isLive(s.proc(t)) && (pdHolders(s.proc(t)) & (1u << actor)) != 0)
            add({.call = Call::Close, .target = static_cast<std::uint8_t>(t)});
    }
    // The opt-in signal families: each disposition and block bit of each
    // signal that has an action slot, on the process itself.
    for (const SignalSpec& sig : kSignals) {
      if (sig.actionSlot == kNoActionSlot) continue;
      auto number = static_cast<std::int8_t>(sig.signal);
      if (on(CallFamily::SignalActions))
        for (unsigned action : {KSIM_SIGACT_DFL, KSIM_SIGACT_IGN, KSIM_SIGACT_CATCH})
          add({.call = Call::Sigaction, .op = static_cast<std::uint8_t>(action), .data = number});
      if (on(CallFamily::SignalMasks))
        for (std::uint8_t how : {kSigBlock, kSigUnblock}) add({.call = Call::Sigprocmask, .op = how, .data = number});
    }
    // wait: for each child that can be reported now, or ECHILD without
    // children.  WNOHANG is not tried: where wait would sleep it answers 0
    // and changes nothing; elsewhere it is wait.
    if (on(CallFamily::Wait)) {
      // What waitOutcome() would report for each target, in one pass.
      bool reapsOrphans = (variant_.design & KSIM_DESIGN_WAIT_LEAVES_ORPHANS_TO_DEBUGGER) == 0;
      for (unsigned c = KSIM_SLOT_INIT; c < KSIM_NSLOTS; ++c)
        if ((isChildOf(s, c, actor) && waitReady(s.proc(c))) ||
            (reapsOrphans && isOrphanOf(s, c, actor) && s.proc(c).state == KSIM_PRS_ZOMBIE))
          add({.call = Call::Wait, .target = static_cast<std::uint8_t>(c)});
      if (waitOutcome(s, actor, kNoTarget, variant_.design).kind == WaitFound::Kind::NoChild)
        add({.call = Call::Wait});
    }
    if (on(CallFamily::Ptrace)) add({.call = Call::Ptrace, .op = kPtTraceMe});
    for (std::uint8_t t : userTargets)
      for (const TargetedCall& c : kTargetedCalls)
        if (on(c.family) && on(c.needs)) add({.call = c.call, .target = t, .op = c.op, .data = c.data});
    for (std::uint8_t t : systemTargets)
      for (const TargetedCall& c : kTargetedCalls)
        if (on(c.family) && on(c.needs) && on(c.system) &&
            (t != kSwapper || canNameTheSwapper(c.call)))
          add({.call = c.call, .target = t, .op = c.op, .data = c.data});
    // The reaper family: the requests that change the tree, by the process
    // on itself (PROC_REAP_STATUS only reads, and is left out like the
    // ptrace queries).  Only a design with the reaper has them.
    if (on(CallFamily::Reaper) && (variant_.design & KSIM_DESIGN_REAPER) != 0) {
      auto self = static_cast<std::uint8_t>(actor);
      add({.call = Call::Procctl, .target = self, .op = kProcReapAcquire, .idtype = KSIM_P_PID});
      add({.call = Call::Procctl, .target = self, .op = kProcReapRelease, .idtype = KSIM_P_PID});
      for (unsigned flags : {0u, unsigned{KSIM_REAPER_KILL_CHILDREN}})
        add({.call = Call::Procctl,
             .target = self,
             .op = kProcReapKill,
             .idtype = KSIM_P_PID,
             .data = KSIM_SIGQUIT,
             .goodAddress = withReapKillFlags(true, flags)});
    }
    if (!on(CallFamily::Procctl)) continue;
    for (std::uint8_t t : allTargets) {
      for (int value :
           {KSIM_PROC_TRACE_SET_ENABLED, KSIM_PROC_TRACE_SET_DISABLED, KSIM_PROC_TRACE_SET_DISABLED_EXEC})
        add({.call = Call::Procctl,
             .target = t,
             .op = kProcTraceEnable,
             .idtype = KSIM_P_PID,
             .data = static_cast<std::int8_t>(value)});
      add({.call = Call::Procctl, .target = t, .op = kProcTraceStatus, .idtype = KSIM_P_PID});
    }
    for (std::uint8_t g : groups)
      for (int value :
           {KSIM_PROC_TRACE_SET_ENABLED, KSIM_PROC_TRACE_SET_DISABLED, KSIM_PROC_TRACE_SET_DISABLED_EXEC})
        add({.call = Call::Procctl,
             .target = g,
             .op = kProcTraceEnable,
             .idtype = KSIM_P_PGID,
             .data = static_cast<std::int8_t>(value)});
    if (!on(CallFamily::BadArguments)) continue;
    // Bad arguments, on the process itself: an invalid value, a bad data
    // pointer for each command, STATUS by group.
    add({.call = Call::Procctl,
         .target = static_cast<std::uint8_t>(actor),
         .op = kProcTraceEnable,
         .idtype = KSIM_P_PID,
         .data = 0});
    add({.call = Call::Procctl,
         .target = static_cast<std::uint8_t>(actor),
         .op = kProcTraceEnable,
         .idtype = KSIM_P_PID,
         .data = KSIM_PROC_TRACE_SET_DISABLED,
         .goodAddress = 0});
    add({.call = Call::Procctl,
         .target = static_cast<std::uint8_t>(actor),
         .op = kProcTraceStatus,
         .idtype = KSIM_P_PID,
         .goodAddress = 0});
    add({.call = Call::Procctl, .target = p.pgid, .op = kProcTraceStatus, .idtype = KSIM_P_PGID});
  }
  // init's one step: a signal sent to it (canAct).  Last, so that the user
  // processes' actions keep their order.
  if (canAct(s, {.actor = kInit, .call = Call::TakeSignal})) out.push_back({.actor = kInit, .call = Call::TakeSignal});
}

StepResult Kernel::step(const State& s, const Action& a) const {
  KSIM_VERIFY(canAct(s, a), "step() on an action that cannot be taken");
  return stepEnabled(s, a);
}

StepResult Kernel::stepEnabled(const State& s, const Action& a) const {
  StepResult r(s);
  ksim_site_reset();
  if (stopsAtEntry(s.proc(a.actor), a)) {
    stopAtEntry(r, a);
    return r;
  }
  // Resumed from its entry stop, the call runs now.
  if (s.proc(a.actor).pc == KSIM_PC_SYSCALL_ENTRY) {
    r.next.proc(a.actor).pc = KSIM_PC_NONE;
    r.next.proc(a.actor).pc_arg = kNone;
  }
  switch (a.call) {
    case Call::Fork:
    case Call::Vfork:
    case Call::Pdfork:
      doFork(r, a);
      break;
    case Call::Close:
      doClose(r, a);
      break;
    case Call::ForkFinish:
      doForkFinish(r, a);
      break;
    case Call::Exec:
      doExec(r, a);
      break;
    case Call::ExecFinish:
      doExecFinish(r, a);
      break;
    case Call::Exit:
      exitProcess(r.next, a.actor, KSIM_XSTAT_EXITED, a.op);
      break;
    case Call::Wait:
      doWait(r, a);
      break;
    case Call::Getppid: {
      // 2014: p_pptr, the debugger of a traced process; today p_oppid,
      // the real parent (kernel/PROVENANCE.md section 3.7).
      const ksim_proc_rec& p = s.proc(a.actor);
      std::uint8_t parent = p.pptr;
      if ((variant_.design & KSIM_DESIGN_GETPPID_REPORTS_REAL_PARENT) != 0 && (p.flag & KSIM_P_TRACED) != 0 &&
          p.oppid != kNone)
        parent = realParent(p);
      r.value = ksim_slot_pid(parent);
      break;
    }
    case Call::Getpid:
      r.value = ksim_slot_pid(a.actor);
      break;
    case Call::Ptrace:
      doPtrace(r, a);
      break;
    case Call::Ktrace:
      doKtrace(r, a);
      break;
    case Call::Kill:
      doKill(r, a);
      break;
    case Call::TakeSignal:
      doTakeSignal(r, a);
      break;
    case Call::Sigaction:
      doSigaction(r, a);
      break;
    case Call::Sigprocmask:
      doSigprocmask(r, a);
      break;
    case Call::Procctl:
    case Call::Procctl32:
      doProcctl(r, a);
      break;
  }
  if (returnsToUser(a, r)) {
    // fork-finish returns from the fork or vfork the parent was in.
    Call returning = a.call;
    if (a.call == Call::ForkFinish)
      returning =
          s.proc(a.actor).pc == KSIM_PC_VFORK ? Call::Vfork : forkCallOf(s, s.proc(a.actor).pc_arg, a.actor);
    stopAtExitIfAsked(r.next.proc(a.actor), returning);
  }
  normalizeSignalQueue(r.next);
  r.siteFile = ksim_site_file();
  r.siteLine = ksim_site_line();
  return r;
}

// syscallenter(): a traced process whose debugger asked for system call
// entries (PTRACE_SCE; in 2014 p_stops' S_PT_SCE) stops before the call
// runs, once: resumed, it runs the call (kernel/PROVENANCE.md section 3.8).
// Only calls a process makes stop; the kernel's continuations of a call
// (fork-finish, exec-finish) and take-signal are not system calls.
bool Kernel::stopsAtEntry(const ksim_proc_rec& p, const Action& a) const {
  return callSpec(a.call).origin == CallOrigin::Process && (p.flag & KSIM_P_TRACED) != 0 &&
         (p.ptevents & KSIM_PTRACE_SCE) != 0 && p.pc != KSIM_PC_SYSCALL_ENTRY;
}

// ptracestop(SIGTRAP) from syscallenter(): stopped for the debugger,
// which sees SIGTRAP and PL_FLAG_SCE; the call it stopped in is kept.
void Kernel::stopAtEntry(StepResult& r, const Action& a) const {
  ksim_proc_rec& p = r.next.proc(a.actor);
  p.flag2 &= ~static_cast<std::uint32_t>(KSIM_P2_PTRACE_FSTP);  // a first stop ends the attach ritual
  p.flag |= KSIM_P_STOPPED_TRACE;
  p.flag &= ~KSIM_P_WAITED;
  p.xsig = KSIM_SIGTRAP;
  p.pc = KSIM_PC_SYSCALL_ENTRY;
  p.pc_arg = static_cast<std::uint8_t>(a.call);
  r.outcome = Outcome::Sleeping;
}

// Whether this step ends a system call with the return to user mode,
// where syscallret() runs: a call that returned (not fork, vfork and
// execve, whose parent or image returns in fork-finish and exec-finish;
// not _exit), and the continuations that return.
bool Kernel::returnsToUser(const Action& a, const StepResult& r) const {
  if (r.outcome != Outcome::Returned || r.next.panicked) return false;
  const ksim_proc_rec& p = r.next.proc(a.actor);
  if (p.state != KSIM_PRS_NORMAL) return false;
  switch (a.call) {
    case Call::Fork:
    case Call::Vfork:
    case Call::Pdfork:
    case Call::Exec:
    case Call::Exit:
    case Call::TakeSignal:
      return false;
    // exec-finish makes its own stop (doExecFinish): syscallret() stops
    // once for TDB_EXEC and PTRACE_SCX together.
    case Call::ExecFinish:
      return false;
    case Call::ForkFinish:
    case Call::Wait:
    case Call::Ptrace:
    case Call::Ktrace:
    case Call::Kill:
    case Call::Procctl:
    case Call::Procctl32:
    case Call::Getppid:
    case Call::Getpid:
    case Call::Close:
    case Call::Sigaction:
    case Call::Sigprocmask:
      return true;
  }
  return false;
}

// Whether syscallret() stops the process for PTRACE_SCX (in 2014 p_stops'
// S_PT_SCX): traced, asked for, and not PT_KILLed (ptracestop() does not
// stop a P_WKILLED process, which the model marks by the debugger's
// SIGKILL pending with KSIM_SIGF_NOSTOP).
bool stopsAtExit(const ksim_proc_rec& p) {
  bool killed = (p.sigpend & KSIM_SIGBIT_KILL) != 0 && (p.sigflags & KSIM_SIGF_NOSTOP) != 0;
  return (p.flag & KSIM_P_TRACED) != 0 && (p.ptevents & KSIM_PTRACE_SCX) != 0 && !killed;
}

// The stop at a system call's exit, due before the return to user mode
// acts on any signal.  A fork event's stop is the same stop
// (PL_FLAG_FORKED|PL_FLAG_SCX) and already due.
// The call is kept (pc_arg) for PT_LWPINFO's pl_syscall_code, unless the
// process sleeps in its vfork, whose call that is.
void Kernel::stopAtExitIfAsked(ksim_proc_rec& p, Call call) const {
  if (!stopsAtExit(p) || (p.sigpend & KSIM_SIGBIT_TRAP) != 0) return;
  p.sigpend |= KSIM_SIGBIT_TRAP;
  p.ptstop |= KSIM_PTSTOP_SCX;
  if (p.pc == KSIM_PC_NONE) p.pc_arg = static_cast<std::uint8_t>(call);
}

// fork1(), first step: allocate, link into the tree and the parent's group
// (right after the parent, as FreeBSD inserts it), copy the credential and
// an inherited ktrace, and let the kernel code set the flag words.  The
// child stays PRS_NEW while the parent copies its memory (vm_forkproc may
// sleep): other processes can meet it in its group, and must skip it.
void Kernel::doFork(StepResult& r, const Action& a) const {
  State& s = r.next;
  bool procdesc = (variant_.design & KSIM_DESIGN_PROCDESC) != 0;
  if (a.call == Call::Pdfork && !procdesc) {
    r.error = KSIM_ENOSYS;
    return;
  }
  auto slot = allocateSlot(s);
  if (!slot) {
    r.error = KSIM_EAGAIN;
    return;
  }
  unsigned c = *slot;
  ksim_proc_rec& parent = s.proc(a.actor);
  ksim_proc_rec& child = s.proc(c);
  child = freeRecord();
  child.state = KSIM_PRS_NEW;
  linkChild(s, c, static_cast<std::uint8_t>(a.actor));
  // do_fork(): the child's reaper is its parent if that is a reaper, else
  // the parent's reaper.
  child.reaper =
      (parent.treeflag & KSIM_P_TREE_REAPER) != 0 ? static_cast<std::uint8_t>(a.actor) : parent.reaper;
  child.ruid = parent.ruid;
  child.euid = parent.euid;
  child.svuid = parent.svuid;
  child.gid = parent.gid;
  // fork1() copies the dispositions (sigacts_copy) and the thread's
  // signal mask; nothing pending.
  child.sigact = parent.sigact;
  for (const SignalSpec& sig : kSignals) child.sigflags |= static_cast<std::uint8_t>(parent.sigflags & blockFlag(sig));
  child.pgid = parent.pgid;
  child.pgnext = parent.pgnext;
  parent.pgnext = static_cast<std::uint8_t>(c);
  if ((parent.traceflag & KSIM_KTRFAC_INHERIT) != 0) {
    child.traceflag = parent.traceflag;
    child.ktr_uid = parent.ktr_uid;
    child.ktr_priv = parent.ktr_priv;
  }
  bool vfork = a.call == Call::Vfork;
  ksim_call call = makeCall(s, a.actor);
  variant_.fork(&call, c, vfork);
  if (!finishCall(call, r)) return;
  // The child's descriptor table is a copy of the parent's (fdcopy()): it
  // holds every process descriptor the parent holds.  pdfork's own
  // descriptor is installed in the parent only: fdcopy() passes over it,
  // not yet finit()ed (kernel/PROVENANCE.md section 17).
  for (unsigned q = KSIM_FIRST_USER_SLOT; q < KSIM_NSLOTS; ++q)
    if (q != c && isLive(s.proc(q)) && (pdHolders(s.proc(q)) & (1u << a.actor)) != 0)
      setPdHolders(s.proc(q), static_cast<std::uint8_t>(pdHolders(s.proc(q)) | 1u << c));
  if (a.call == Call::Pdfork) setPdHolders(child, static_cast<std::uint8_t>(1u << a.actor));
  parent.pc = vfork ? KSIM_PC_VFORK : KSIM_PC_FORK;
  parent.pc_arg = static_cast<std::uint8_t>(c);
  r.outcome = Outcome::Sleeping;
  r.value = ksim_slot_pid(c);
}

// fork1(), second step: the child runs; a vfork parent now sleeps until
// the child execs or exits.
void Kernel::doForkFinish(StepResult& r, const Action& a) const {
  ksim_proc_rec& parent = r.next.proc(a.actor);
  unsigned c = parent.pc_arg;
  ksim_proc_rec& child = r.next.proc(c);
  child.state = KSIM_PRS_NORMAL;
  // PT_FOLLOW_FORK (kernel/PROVENANCE.md section 3.6): a traced parent
  // that asked for its forks hands the child to its debugger (p_pptr),
  // traced and with its real parent in p_oppid, without p_candebug() or
  // P2_NOTRACE being asked; the child stops with SIGSTOP when it first
  // runs (PL_FLAG_CHILD), the parent with SIGTRAP as fork returns
  // (PL_FLAG_FORKED, naming the child).  Today the attach happens in
  // do_fork, in 2014 in fork_return while the parent waited for it: the
  // same outcome, as the child runs only now.
  if ((parent.flag & KSIM_P_TRACED) != 0 && (parent.ptevents & KSIM_PTRACE_FORK) != 0) {
    child.flag |= KSIM_P_TRACED;
    child.oppid = static_cast<std::uint8_t>(a.actor);
    reparent(r.next, c, parent.pptr);
    if ((variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0) child.ptevents = KSIM_PTRACE_EXEC;
    child.sigpend |= KSIM_SIGBIT_STOP;
    child.ptstop |= KSIM_PTSTOP_CHILD;
    parent.sigpend |= KSIM_SIGBIT_TRAP;
    parent.ptstop |= KSIM_PTSTOP_FORKED;
    setForkedChild(parent, static_cast<std::uint8_t>(c));
  }
  if (parent.pc == KSIM_PC_VFORK) {
    parent.pc = KSIM_PC_VFORK_WAIT;
  } else {
    parent.pc = KSIM_PC_NONE;
    parent.pc_arg = kNone;
  }
  r.value = ksim_slot_pid(c);
}

// close(2) of the caller's process descriptor of a.target: EBADF where it
// holds none (a descriptor whose process was reaped is forgotten with it:
// kernel/PROVENANCE.md section 17).  The last close is procdesc_close().
void Kernel::doClose(StepResult& r, const Action& a) const {
  State& s = r.next;
  unsigned t = a.target;
  if (t >= KSIM_NSLOTS || !isLive(s.proc(t)) || (pdHolders(s.proc(t)) & (1u << a.actor)) == 0) {
    r.error = KSIM_EBADF;
    return;
  }
  setPdHolders(s.proc(t), static_cast<std::uint8_t>(pdHolders(s.proc(t)) & ~(1u << a.actor)));
  if (pdHolders(s.proc(t)) == 0) lastClose(s, t);
  r.value = 0;
}

// procdesc_close() with no descriptor left: the process loses it.  A
// zombie is reaped (proc_reap(), which hands a traced one back to its
// real parent first, as wait does); a live process untraced goes to its
// reaper, a traced one keeps its debugger and gets its reaper as real
// parent (as exit1() gives a dying parent's orphans), and either is sent
// SIGKILL (no PD_DAEMON).
void Kernel::lastClose(State& s, unsigned slot) const {
  ksim_proc_rec& q = s.proc(slot);
  bool reapers = (variant_.design & KSIM_DESIGN_REAPER) != 0;
  std::uint8_t reaper = reapers ? q.reaper : kInit;
  if (q.state == KSIM_PRS_ZOMBIE) {
    // proc_reap()'s hand-back, as in doWait: to proc_realparent(),
    // whatever its state.
    if ((q.flag & KSIM_P_TRACED) != 0 && q.oppid != kNone && q.oppid != q.pptr) {
      reparent(s, slot, realParent(q));
      q.oppid = kNone;
      q.flag &= ~KSIM_P_TRACED;
      if (q.pptr == kInit) reapProcess(s, slot);
      return;
    }
    reapProcess(s, slot);
    return;
  }
  if ((q.flag & KSIM_P_TRACED) == 0)
    reparent(s, slot, reaper);
  else
    q.oppid = reaper;
  postSignal(s, slot, KSIM_SIGKILL);
}

void Kernel::doExec(StepResult& r, const Action& a) const {
  ksim_call call = makeCall(r.next, a.actor);
  variant_.exec_begin(&call);
  if (!finishCall(call, r)) return;
  r.next.proc(a.actor).pc = a.op == kImageSetuidRoot ? KSIM_PC_EXEC_SETUID : KSIM_PC_EXEC_PLAIN;
  r.outcome = Outcome::Sleeping;
}

void Kernel::doExecFinish(StepResult& r, const Action& a) const {
  State& s = r.next;
  ksim_proc_rec& p = s.proc(a.actor);
  bool setuid = p.pc == KSIM_PC_EXEC_SETUID;
  bool wasVforked = (p.flag & KSIM_P_PPWAIT) != 0;
  ksim_call call = makeCall(s, a.actor);
  variant_.exec_commit(&call, setuid);
  if (!finishCall(call, r)) return;
  p.pc = KSIM_PC_NONE;
  // execsigs(): a caught signal goes back to its default action (the
  // handler is gone with the old image); ignored ones and the mask stay.
  for (const SignalSpec& sig : kSignals)
    if (sig.actionSlot != kNoActionSlot && signalAction(p, sig) == KSIM_SIGACT_CATCH)
      setSignalAction(p, sig, KSIM_SIGACT_DFL);
  if (wasVforked && (p.flag & KSIM_P_PPWAIT) == 0) wakeVforkParent(s, a.actor);
  // A traced process stops with SIGTRAP before the new image runs: in
  // 2014 always, today if its debugger asked for exec events (the default)
  // or for system call exits (syscallret() stops for PTRACE_SCX with
  // TDB_EXEC set: the same stop).
  if ((p.flag & KSIM_P_TRACED) != 0 && ((variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) == 0 ||
                                        (p.ptevents & KSIM_PTRACE_EXEC) != 0 || stopsAtExit(p))) {
    // That stop is syscallret()'s (TDB_EXEC), not a signal's: do_execve()
    // sends no SIGTRAP, in 2014 or today.  It comes before the return to
    // user mode acts on a pending signal (syscallEventStopDue), and it is
    // known by the exec kept as the call it stops at (kernel/PROVENANCE.md
    // section 3.8).
    p.sigpend |= KSIM_SIGBIT_TRAP;
    p.pc_arg = static_cast<std::uint8_t>(Call::Exec);
  }
}

// The vfork wait ends.  A traced parent whose debugger asked for
// PTRACE_VFORK then stops with SIGTRAP (fork_rfppwait(), since 2017:
// PL_FLAG_VFORK_DONE); if its stop for the fork or the call's exit is
// still to come or to be resumed, the vfork-done stop follows that one
// (clearStopEvents).
void Kernel::wakeVforkParent(State& s, unsigned child) const {
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec& q = s.proc(i);
    if (isLive(q) && q.pc == KSIM_PC_VFORK_WAIT && q.pc_arg == child) {
      q.pc = KSIM_PC_NONE;
      // An exit stop still to be taken or resumed keeps its call.
      q.pc_arg = (q.ptstop & KSIM_PTSTOP_SCX) != 0 ? static_cast<std::uint8_t>(Call::Vfork) : kNone;
      if ((q.flag & KSIM_P_TRACED) == 0 || (q.ptevents & KSIM_PTRACE_VFORK) == 0) continue;
      bool syscallStopFirst = (q.ptstop & (KSIM_PTSTOP_FORKED | KSIM_PTSTOP_SCX)) != 0;
      q.ptstop |= KSIM_PTSTOP_VFORK;
      if (!syscallStopFirst) q.sigpend |= KSIM_SIGBIT_TRAP;
    }
  }
}

// exit1(): the process becomes a zombie for its parent; its children go to
// init (today: to their reaper), and those it was tracing are untraced and
// killed; a vfork parent waiting for it wakes.  init reaps its zombie
// children at once.
void Kernel::exitProcess(State& s, unsigned slot, std::uint8_t xstat, std::uint8_t code) const {
  // fdescfree(): the descriptors it holds are closed first, each last
  // close a procdesc_close() (kernel/PROVENANCE.md section 17).
  for (unsigned q = KSIM_FIRST_USER_SLOT; q < KSIM_NSLOTS; ++q) {
    if (q == slot || !isLive(s.proc(q)) || (pdHolders(s.proc(q)) & (1u << slot)) == 0) continue;
    setPdHolders(s.proc(q), static_cast<std::uint8_t>(pdHolders(s.proc(q)) & ~(1u << slot)));
    if (pdHolders(s.proc(q)) == 0) lastClose(s, q);
  }
  ksim_proc_rec& p = s.proc(slot);
  p.state = KSIM_PRS_ZOMBIE;
  setExitKind(p, xstat);
  p.flag |= KSIM_P_WEXIT;
  p.flag &= ~(KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG | KSIM_P_INEXEC);
  p.pc = KSIM_PC_NONE;
  p.pc_arg = kNone;
  clearPendingSignals(p);
  p.sigflags = 0;  // the block bits too: a zombie takes no signals
  p.sigact = 0;
  p.xsig = code;    // what wait(2) will report
  p.traceflag = 0;  // ktrprocexit
  p.ktr_uid = 0;
  p.ktr_priv = 0;
  p.ptevents = 0;
  p.ptstop = 0;
  if ((p.flag & KSIM_P_PPWAIT) != 0) {
    p.flag &= ~(KSIM_P_PPWAIT | KSIM_P_PPTRACE);
    wakeVforkParent(s, slot);
  }
  // init is among the children when the dying process had attached it.
  // The 2014 exit1 gives it, like every child, to initproc: init becomes
  // its own parent (kernel/PROVENANCE.md section 14); today's sends a
  // traced child back to its real parent, the swapper for init.
  bool reapers = (variant_.design & KSIM_DESIGN_REAPER) != 0;
  // exit1() walks its list of children from the head, the newest first,
  // and proc_reparent() puts each at the head of its new parent's list.
  for (std::uint8_t i : childrenNewestFirst(s, slot)) {
    ksim_proc_rec& q = s.proc(i);
    // With the reaper (kernel/PROVENANCE.md section 15) a child goes to
    // its p_reaper.  That is the dying process itself when it is a
    // reaper: proc_reparent() to the same parent does nothing, so its
    // children stay the children of a zombie until it is reaped
    // (abandonReaperChildren).
    std::uint8_t heir = reapers ? q.reaper : kInit;
    // A zombie is no longer traced: exit1() cleared its P_TRACED when it
    // exited.  Today that sends it, like any untraced child, to the
    // reaper, whose wait frees it: its real parent never sees it.  (In
    // 2014 every child went to init anyway.)
    if ((variant_.design & KSIM_DESIGN_EXIT_RETURNS_TRACED_CHILDREN) != 0 && q.state == KSIM_PRS_ZOMBIE &&
        (q.flag & KSIM_P_TRACED) != 0) {
      q.flag &= ~(KSIM_P_TRACED | KSIM_P_WAITED);
      q.oppid = kNone;
    }
    if ((q.flag & KSIM_P_TRACED) != 0) {
      // Today a traced child goes back to its real parent, unless that
      // is the dying debugger itself (proc_realparent); in 2014 to init,
      // which 10.x's proc_realparent answered for a process whose real
      // parent is not its debugger (init too, whose real parent is the
      // swapper), or to its reaper if the debugger was the real parent.
      // Either way: "Traced processes are killed since their existence
      // means someone is screwing up."
      if ((variant_.design & KSIM_DESIGN_EXIT_RETURNS_TRACED_CHILDREN) != 0) {
        if (q.oppid != kNone && q.oppid != slot) heir = realParent(q);
      } else if (q.oppid != slot) {
        heir = kInit;
      }
      q.flag &= ~(KSIM_P_TRACED | KSIM_P_STOPPED_TRACE | KSIM_P_WAITED);
      // Untraced, the SIGKILL below wakes a thread suspended in
      // ptracestop() with no stop recorded (runfast: thread_unsuspend).
      q.flag2 &= ~static_cast<std::uint32_t>(KSIM_P2_PTRACE_FSTP | KSIM_P2_SUSPENDED_UNREPORTED);
      q.oppid = kNone;
      if (q.state == KSIM_PRS_NORMAL) q.xsig = 0;  // a zombie's is its exit status
      q.ptstop = 0;
      if (q.pc == KSIM_PC_NONE) q.pc_arg = kNone;  // no exit stop to report a call for
      // Today the event mask goes too; 2014 left P_FOLLOWFORK set.
      if ((variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0) q.ptevents = 0;
      if (q.state == KSIM_PRS_NORMAL) q.sigpend |= KSIM_SIGBIT_KILL;
    }
    reparent(s, i, heir);
  }
  for (unsigned i = KSIM_SLOT_INIT; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec& q = s.proc(i);
    if (!isLive(q) || i == slot) continue;
    // Traced by someone else, with this process as its real parent: it
    // leaves the orphan list, and its p_oppid becomes its reaper's pid
    // (kernel/PROVENANCE.md sections 3.7 and 15).  proc_realparent(),
    // which PT_DETACH, a debugger's exit and proc_reap() ask, then answers
    // p_pptr if its pid is p_oppid, else p_reaper, whichever process that
    // is by then (KSIM_OPPID_REAPER).  A reaper that is the debugger, or
    // init (which never stops reaping), stays the answer: kept as its
    // slot, as for an orphan of theirs.
    if (q.oppid == slot) {
      const bool fixed = !reapers || q.reaper == q.pptr || q.reaper == kInit;
      q.oppid = !reapers ? kInit : fixed ? q.reaper : KSIM_OPPID_REAPER;
    }
  }
  // A zombie with a process descriptor is not init's to wait for (its
  // P_ALL wait passes over it); the last close reaps it.
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& q = s.proc(i);
    if (q.state == KSIM_PRS_ZOMBIE && q.pptr == kInit && pdHolders(q) == 0) reapProcess(s, i);
  }
}

void Kernel::reapProcess(State& s, unsigned slot) const {
  // proc_reap(): a reaper's descendants and remaining children go to its
  // own reaper (reaper_abandon_children(p, true)) before it is freed.
  if ((variant_.design & KSIM_DESIGN_REAPER) != 0) abandonReaperChildren(s, slot, true);
  unlinkFromGroup(s.world, slot);
  unlinkChild(s, slot);
  s.proc(slot) = freeRecord();
}

// wait4() for one child: a zombie is reaped (or, if its tracer is not its
// real parent, handed back to the real parent, as proc_reap() does); a
// child stopped for its tracer is reported once (P_WAITED).  A zombie
// orphan that the 2014 kernel reports to its real parent comes back to it
// the same way, through proc_reap(), and stays a zombie until its next
// wait.  With WNOHANG a wait that would sleep answers 0.
void Kernel::doWait(StepResult& r, const Action& a) const {
  State& s = r.next;
  WaitFound found = waitOutcome(s, a.actor, a.target, variant_.design);
  if (found.kind == WaitFound::Kind::NoChild) {
    r.error = KSIM_ECHILD;
    return;
  }
  if (found.kind == WaitFound::Kind::Sleep) {
    r.value = 0;
    return;
  }
  unsigned c = found.child;
  ksim_proc_rec& q = s.proc(c);
  r.value = ksim_slot_pid(c);
  // The status word: exited (code << 8), killed (the signal, with
  // WCOREFLAG 0x80 for a core), stopped ((signal << 8) | 0177).
  if (q.state == KSIM_PRS_ZOMBIE)
    r.waitStatus =
        exitKind(q) == KSIM_XSTAT_EXITED ? q.xsig << 8 : q.xsig | (exitKind(q) == KSIM_XSTAT_CORE ? 0x80 : 0);
  else
    r.waitStatus = q.xsig << 8 | 0177;
  if (q.pptr != a.actor) {
    reparent(s, c, static_cast<std::uint8_t>(a.actor));
    q.oppid = kNone;
    q.flag &= ~KSIM_P_TRACED;
    return;
  }
  if (q.state == KSIM_PRS_ZOMBIE) {
    // proc_reap(): a zombie that was traced goes back to
    // proc_realparent() instead of being freed, and waits there for its
    // next wait.  Today only one whose debugger is not its real parent
    // (p_oppid other than p_pptr's pid), and that process may be a zombie
    // reaper, or the caller itself once it became the reaper.  In 2014
    // any live process p_oppid names (pfind() finds no zombie), the caller
    // included: a child that PT_TRACE_ME'd, or that its parent attached,
    // is reported to the parent twice (9.3, and head into 2015).
    const std::uint8_t back = realParent(q);
    const bool today = (variant_.design & KSIM_DESIGN_EXIT_RETURNS_TRACED_CHILDREN) != 0;
    if ((q.flag & KSIM_P_TRACED) != 0 && q.oppid != kNone &&
        (today ? q.oppid != a.actor : s.proc(back).state == KSIM_PRS_NORMAL)) {
      reparent(s, c, back);
      q.oppid = kNone;
      q.flag &= ~KSIM_P_TRACED;
      if (q.pptr == kInit) reapProcess(s, c);
      return;
    }
    reapProcess(s, c);
    return;
  }
  q.flag |= KSIM_P_WAITED;
}

// kern_ptrace() of 2014: look up the target (pfind: no zombies), refuse an
// exiting one, p_cansee (ESRCH), p_candebug, system processes; then the
// request's own checks.  The checks of PT_TRACE_ME and PT_ATTACH are the
// variant's C (sys_process.c): later kernels and ksim's proposed design
// changed them.
void Kernel::doPtrace(StepResult& r, const Action& a) const {
  State& s = r.next;
  unsigned t = a.op == kPtTraceMe ? a.actor : a.target;
  if (t >= KSIM_NSLOTS || s.proc(t).state != KSIM_PRS_NORMAL) {
    r.error = KSIM_ESRCH;
    return;
  }
  ksim_proc_rec& p = s.proc(t);
  if ((p.flag & KSIM_P_WEXIT) != 0) {
    r.error = KSIM_ESRCH;
    return;
  }
  ksim_call call = makeCall(s, a.actor);
  variant_.p_cansee(&call, t);
  if (!finishCall(call, r)) return;
  if (call.error != 0) {
    r.error = KSIM_ESRCH;
    return;
  }
  variant_.p_candebug(&call, t);
  if (!finishCall(call, r)) return;
  if (call.error != 0) {
    r.error = call.error;
    return;
  }
  if ((p.flag & KSIM_P_SYSTEM) != 0) {
    r.error = KSIM_EINVAL;
    return;
  }
  switch (a.op) {
    case kPtTraceMe:
      // Always legal in 2014; later kernels refuse a traced process and a
      // child of init (kernel/PROVENANCE.md section 3.2).
      variant_.ptrace_trace_me(&call);
      if (!finishCall(call, r)) return;
      if (call.error != 0) {
        r.error = call.error;
        return;
      }
      p.flag |= KSIM_P_TRACED;
      if ((p.flag & KSIM_P_PPWAIT) != 0) p.flag |= KSIM_P_PPTRACE;
      p.oppid = p.pptr;
      // proc_set_traced(): the default event mask (2014: none; a stale
      // P_FOLLOWFORK stays).
      if ((variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0) p.ptevents = KSIM_PTRACE_EXEC;
      r.value = 0;
      return;
    case kPtAttach:
      // Self, already traced, and the walk up the caller's p_pptr chain
      // ("can't trace an ancestor if you're being traced"), which a cycle
      // of p_pptr hangs in 2014 and today: the variant's C.
      variant_.ptrace_attach(&call, t);
      if (!finishCall(call, r)) return;
      if (call.error != 0) {
        r.error = call.error;
        return;
      }
      p.flag |= KSIM_P_TRACED;
      p.oppid = p.pptr;
      reparent(s, t, static_cast<std::uint8_t>(a.actor));
      if ((p.flag & KSIM_P_STOPPED_SIG) != 0) {
        // Stopped by a stop signal: the stop is cleared and the process
        // set running (thread_unsuspend()).  Since 10.4 (2017) and today
        // the SIGSTOP follows, and the process, traced now, stops on it
        // for its debugger; 9.3's sendsig path sent none, so the process
        // ran on with no stop coming (kernel/PROVENANCE.md section 3.3).
        p.flag &= ~(KSIM_P_STOPPED_SIG | KSIM_P_WAITED);
        if ((variant_.design & KSIM_DESIGN_ATTACH_SIGNALS_STOPPED) != 0) p.sigpend |= KSIM_SIGBIT_STOP;
      } else {
        p.sigpend |= KSIM_SIGBIT_STOP;
      }
      if ((variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0) p.ptevents = KSIM_PTRACE_EXEC;
      // proc_set_traced(p, true): the attach's SIGSTOP comes first.
      if ((variant_.design & KSIM_DESIGN_PTRACE_FIRST_STOP) != 0) p.flag2 |= KSIM_P2_PTRACE_FSTP;
      r.value = 0;
      return;
    default:
      break;
  }
  // PT_DETACH, PT_CONTINUE, PT_KILL: only the tracer, only while stopped
  // and waited.
  if ((p.flag & KSIM_P_TRACED) == 0) {
    r.error = KSIM_EPERM;
    return;
  }
  if (p.pptr != a.actor) {
    r.error = KSIM_EBUSY;
    return;
  }
  if (!isStopped(p) || (p.flag & KSIM_P_WAITED) == 0) {
    r.error = KSIM_EBUSY;
    return;
  }
  bool masks = (variant_.design & KSIM_DESIGN_PTRACE_EVENT_MASKS) != 0;
  switch (a.op) {
    case kPtFollowFork:
      if (a.data != 0)
        p.ptevents |= KSIM_PTRACE_FORK;
      else
        p.ptevents &= static_cast<std::uint8_t>(~KSIM_PTRACE_FORK);
      r.value = 0;
      return;
    case kPtLwpEvents:
      // Since 2015 (2014: an unknown request); today a bit of the event
      // mask, PTRACE_LWP, which reports threads' births and deaths.  A
      // process of one thread never has either, so the bit is kept and
      // reported and changes nothing (kernel/PROVENANCE.md section 3.9).
      if (!masks) {
        r.error = KSIM_EINVAL;
        return;
      }
      if (a.data != 0)
        p.ptevents |= KSIM_PTRACE_LWP;
      else
        p.ptevents &= static_cast<std::uint8_t>(~KSIM_PTRACE_LWP);
      r.value = 0;
      return;
    case kPtLwpinfo:
      r.value = lwpinfoFlags(p, variant_.design);
      if ((p.ptstop & KSIM_PTSTOP_FORKED) != 0 && p.xsig == KSIM_SIGTRAP) r.reportedChild = forkedChild(p);
      // A signal's stop carries the siginfo issignal() took with it
      // (td_si); its si_signo is the signal the process stopped for.
      if ((r.value.value_or(0) & kPlFlagSi) != 0) {
        r.siginfoSigno = p.xsig;
        // si_code: the trap's TRAP_TRACE (amd64 trap(): T_TRCTRAP); for
        // SIGSTOP and SIGKILL, sigqueue_add() queues no ksiginfo, so
        // issignal()'s zeroed one is reported.  Other signals carry their
        // sender's code (SI_USER, SI_LWP, ...), which the model does not
        // keep (kernel/PROVENANCE.md section 3.10).
        if ((p.sigflags & KSIM_SIGF_STEPPED) != 0)
          r.siginfoCode = kTrapTrace;
        else if (p.xsig == KSIM_SIGSTOP || p.xsig == KSIM_SIGKILL)
          r.siginfoCode = kSiNoinfo;
      }
      r.lwpSyscall = lwpinfoSyscall(s, t, variant_.design);
      return;
    case kPtGetEventMask:
    case kPtSetEventMask:
      // No event masks before 2016: an unknown request.
      if (!masks) {
        r.error = KSIM_EINVAL;
        return;
      }
      if (a.op == kPtGetEventMask)
        r.value = p.ptevents;
      else
        p.ptevents = static_cast<std::uint8_t>(a.data), r.value = 0;
      return;
    default:
      break;
  }
  // PT_TO_SCE, PT_TO_SCX and PT_SYSCALL resume as PT_CONTINUE does, adding
  // their events to the mask (p_ptevents today, p_stops in 2014), which no
  // later resume takes away (kernel/PROVENANCE.md section 3.8).
  if (a.op == kPtToSce) p.ptevents |= KSIM_PTRACE_SCE;
  if (a.op == kPtToScx) p.ptevents |= KSIM_PTRACE_SCX;
  if (a.op == kPtSyscall) p.ptevents |= KSIM_PTRACE_SCE | KSIM_PTRACE_SCX;
  // PT_STEP's trap is a signal's stop, not an event's: a signal passed
  // there replaces the SIGTRAP as at any signal stop.
  bool stepStop = (p.sigflags & KSIM_SIGF_STEPPED) != 0;
  p.sigflags &= static_cast<std::uint8_t>(~KSIM_SIGF_STEPPED);
  // A stop that ptracestop() makes at a system call's boundary (its
  // entry, its exit, a fork's or an exec's event at its exit, the end of a
  // vfork's wait, and with SIGSTOP a followed child's first return,
  // fork_return()), where it has no siginfo and its caller drops what it
  // returns, before clearStopEvents() forgets which it was.  Every other
  // stop, SIGTRAP's included (one sent with kill(2); PT_STEP's trap), is a
  // signal's, taken by issignal().
  bool boundaryStop = !stepStop && (p.flag & KSIM_P_STOPPED_TRACE) != 0 &&
                      ((p.xsig == KSIM_SIGTRAP &&
                        (p.pc == KSIM_PC_SYSCALL_ENTRY || execEventHeld(p) ||
                         (p.ptstop & (KSIM_PTSTOP_SCX | KSIM_PTSTOP_FORKED | KSIM_PTSTOP_VFORK)) != 0)) ||
                       (p.xsig == KSIM_SIGSTOP && (p.ptstop & KSIM_PTSTOP_CHILD) != 0));
  if (!stepStop) clearStopEvents(p, p.xsig);
  int stoppedSignal = (p.flag & KSIM_P_STOPPED_TRACE) != 0 ? p.xsig : 0;
  if (a.op == kPtDetach) {
    if (p.oppid != p.pptr) {
      // proc_realparent(): the real parent, or the reaper its exit left
      // in p_oppid; were that one gone too, today's p_reaper (10.1's: init).
      std::uint8_t back = realParent(p);
      if (back == kNone || s.proc(back).state != KSIM_PRS_NORMAL)
        back = (variant_.design & KSIM_DESIGN_REAPER) != 0 ? p.reaper : kInit;
      reparent(s, t, back);
    }
    p.oppid = kNone;
    p.flag &= ~(KSIM_P_TRACED | KSIM_P_WAITED);
    // The event mask (2014: P_FOLLOWFORK) goes with the debugger.
    p.ptevents = 0;
  }
  p.flag &= ~(KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG | KSIM_P_WAITED);
  p.xsig = 0;
  // PT_STEP sets the trace flag (ptrace_single_step()); no later resume
  // clears it, PT_DETACH included: only the trap does (amd64 trap()).
  if (a.op == kPtStep) p.sigflags |= KSIM_SIGF_STEP;
  // PT_KILL resumes it with SIGKILL to act on (the same sendsig path as
  // PT_CONTINUE's signal, in 2014 and today).  Today it also marks it
  // P_WKILLED, so the kill holds at any stop and no stop follows; in 2014
  // SIGKILL was only td_xsig, which a boundary stop's caller drops
  // (kernel/PROVENANCE.md section 13).
  const bool killHolds = (variant_.design & KSIM_DESIGN_PT_KILL_WKILLED) != 0 || !boundaryStop;
  if (a.op == kPtKill && killHolds) {
    p.sigpend |= KSIM_SIGBIT_KILL;
    p.sigflags |= KSIM_SIGF_NOSTOP;
  } else if (a.op == kPtKill) {
    // Lost, as a signal passed there is (below): the process runs on.
  } else if (boundaryStop && a.data != 0 && (variant_.design & KSIM_DESIGN_PTRACE_DEFERS_SIGNALS) != 0) {
    // Since 2017 ptracestop() sends a signal passed at a stop that is not
    // a signal's (si == NULL) as a new one, marked KSI_PTRACE so that
    // issignal() does not stop for it again; it waits, pending, for the
    // return to user mode: after the call, and after its exit stop
    // (kernel/PROVENANCE.md section 3.8).
    if (queueing()) {
      queueSignal(s, t, a.data, true);
    } else {
      addPendingSignals(p, signalBit(a.data));
      p.sigflags |= KSIM_SIGF_NOSTOP;
    }
  } else if (boundaryStop) {
    // In 2014 syscallenter() and syscallret() call ptracestop() at a
    // system call's entry and exit and for a fork's or an exec's event,
    // and fork_return() at a followed child's first return, and all drop
    // what it returns, so a signal passed on there is lost
    // (kernel/PROVENANCE.md sections 3.6 and 3.8).
  } else if (a.data == KSIM_SIGSTOP && a.op != kPtDetach) {
    // SIGSTOP passed on at a signal's stop: ptracestop() hands it back to
    // issignal(), whose default action for a stop signal is to ignore it
    // in a traced process ("Traced or exiting processes should ignore
    // stops", 9.3 and today).  It is gone: no stop, nothing pending.
  } else if (a.data != 0) {
    // The signal passed on: the process acts on it without stopping again.
    // With 0 the signal it stopped for is thrown away, SIGKILL sent with
    // kill(2) included: issignal() looks for signals again when
    // ptracestop() returns 0, in 2014 and today, and only a P_WKILLED
    // process (PT_KILL, which never stops) is made to take SIGKILL
    // regardless (ptrace_test.c's event_mask_sigkill_discard;
    // kernel/PROVENANCE.md section 13).
    const SignalSpec* passed = findSignal(a.data);
    const bool requeuedBlocked = a.data != stoppedSignal && (p.sigflags & blockFlag(*passed)) != 0;
    if (requeuedBlocked && (variant_.design & KSIM_DESIGN_PTRACE_DEFERS_SIGNALS) == 0) {
      // 2014's issignal() puts a new signal the process blocks back on the
      // queue as a plain one (there was no KSI_PTRACE yet) and looks on:
      // let in later, it stops the process for its debugger again
      // ("If traced, always stop"; section 16).
      if (queueing())
        queueSignal(s, t, a.data, false);
      else
        addPendingSignals(p, signalBit(a.data));
    } else if (queueing()) {
      // The signal resumed unchanged goes back at the head of the queue;
      // another is sent marked KSI_PTRACE (ptracestop()), on the thread's
      // queue, taken before the process's.  A new one the process blocks
      // is also queued again by issignal() ("If the signal became
      // masked, re-queue it"), as sent: two instances (section 18).
      queueSignal(s, t, a.data, true);
      if (requeuedBlocked) queueSignal(s, t, a.data, false);
    } else {
      addPendingSignals(p, signalBit(a.data));
      p.sigflags |= KSIM_SIGF_NOSTOP;
    }
  }
  r.value = 0;
}

// ktrace(2) by pid: pfind and p_cansee (ESRCH), then ktrcanset(): a trace
// set by root needs root, and the caller must be able to debug the target.
// A target it may not trace is skipped, and "nothing changed" is EPERM.
void Kernel::doKtrace(StepResult& r, const Action& a) const {
  State& s = r.next;
  unsigned t = a.target;
  if (t >= KSIM_NSLOTS || s.proc(t).state != KSIM_PRS_NORMAL) {
    r.error = KSIM_ESRCH;
    return;
  }
  ksim_proc_rec& p = s.proc(t);
  const ksim_proc_rec& me = s.proc(a.actor);
  ksim_call call = makeCall(s, a.actor);
  variant_.p_cansee(&call, t);
  if (!finishCall(call, r)) return;
  if (call.error != 0) {
    r.error = KSIM_ESRCH;
    return;
  }
  bool callerPrivileged = me.euid == 0;
  bool canSet = true;
  if ((p.traceflag & KSIM_KTRFAC_ROOT) != 0 && !callerPrivileged) canSet = false;
  if (canSet) {
    variant_.p_candebug(&call, t);
    if (!finishCall(call, r)) return;
    canSet = call.error == 0;
  }
  if (!canSet) {
    r.error = KSIM_EPERM;
    return;
  }
  if ((p.flag & KSIM_P_WEXIT) != 0) {
    r.value = 0;
    return;
  }
  if (a.op == kKtrClear) {
    p.traceflag &= ~static_cast<std::uint32_t>(KSIM_KTRFAC_SYSCALL);
    if ((p.traceflag & KSIM_KTRFAC_MASK) == 0) {
      p.traceflag = 0;
      p.ktr_uid = 0;
      p.ktr_priv = 0;
    }
  } else {
    p.traceflag |= KSIM_KTRFAC_SYSCALL;
    if (a.op == kKtrSetInherit) p.traceflag |= KSIM_KTRFAC_INHERIT;
    if (callerPrivileged) p.traceflag |= KSIM_KTRFAC_ROOT;
    p.ktr_uid = me.euid;
    p.ktr_priv = callerPrivileged;
  }
  r.value = 0;
}

// kill(2): a zombie can be "signalled" to no effect; a live target gets the
// signal pending, and a process signalling itself acts on it before
// returning to user mode.
void Kernel::doKill(StepResult& r, const Action& a) const {
  State& s = r.next;
  unsigned t = a.target;
  if (t >= KSIM_NSLOTS || !isLive(s.proc(t)) || s.proc(t).state == KSIM_PRS_NEW) {
    r.error = KSIM_ESRCH;
    return;
  }
  ksim_call call = makeCall(s, a.actor);
  variant_.p_cansignal(&call, t, a.data);
  if (!finishCall(call, r)) return;
  if (call.error != 0) {
    r.error = call.error;
    return;
  }
  r.value = 0;
  if (s.proc(t).state == KSIM_PRS_ZOMBIE) return;
  postSignal(s, t, a.data);
  // raise(): the caller acts on its own signal before kill returns, unless
  // it stops at the call's exit first (syscallret() runs before the return
  // to user mode acts on signals).
  if (t == a.actor && !stopsAtExit(s.proc(t)) && signalsToTake(s.proc(t)) != 0) takeSignal(r, t);
}

// tdsendsignal(): what sending does at once, before anyone takes the
// signal (kernel/PROVENANCE.md section 12).  SIGCONT drops pending stop
// signals and a stop signal drops a pending SIGCONT.  A process stopped
// for its debugger keeps the signal pending and stays stopped; one stopped
// by a signal is set running by SIGKILL (to die) and by SIGCONT (which,
// its default action being to ignore, is then dropped), and keeps any
// other signal pending.
void Kernel::postSignal(State& s, unsigned slot, int signal) const {
  ksim_proc_rec& p = s.proc(slot);
  std::uint16_t bit = signalBit(signal);
  // An ignored signal is forgotten at once, traced or not: tdsendsignal()
  // drops it before anything else (9.3 and today; only the 4.4BSD-era
  // psignal() kept it for a debugger).  kernel/PROVENANCE.md section 16.
  if (signalAction(p, *findSignal(signal)) == KSIM_SIGACT_IGN) return;
  if (signal == KSIM_SIGCONT) removePendingSignals(p, KSIM_SIGBIT_STOP);
  if (signal == KSIM_SIGSTOP) removePendingSignals(p, KSIM_SIGBIT_CONT);
  if ((p.flag & KSIM_P_STOPPED_SIG) != 0 && (p.flag & KSIM_P_TRACED) == 0) {
    if (signal == KSIM_SIGKILL) p.flag &= ~KSIM_P_STOPPED_SIG;
    if (signal == KSIM_SIGCONT) {
      p.flag &= ~KSIM_P_STOPPED_SIG;
      return;
    }
    if (signal == KSIM_SIGSTOP) return;
  }
  // With the queue, each send is one more instance (sigqueue_add()).
  if (queueing())
    queueSignal(s, slot, signal, false);
  else
    addPendingSignals(p, bit);
}

void Kernel::doTakeSignal(StepResult& r, const Action& a) const { takeSignal(r, a.actor); }

// sigaction(2) (kernel/PROVENANCE.md section 16): the new disposition.
// Setting SIG_IGN drops the signal if it is pending ("never to be seen
// again"), traced or not.
void Kernel::doSigaction(StepResult& r, const Action& a) const {
  ksim_proc_rec& p = r.next.proc(a.actor);
  const SignalSpec* sig = findSignal(a.data);
  KSIM_VERIFY(sig != nullptr && sig->actionSlot != kNoActionSlot, "sigaction of a signal without an action slot");
  setSignalAction(p, *sig, a.op);
  if (a.op == KSIM_SIGACT_IGN) removePendingSignals(p, sig->bit);
  r.value = 0;
}

// sigprocmask(2): block or let in one signal.  A pending signal let in is
// acted on before the call returns to user mode (reschedule_signals() and
// the AST), as raise() is, unless the call stops at its exit first.
void Kernel::doSigprocmask(StepResult& r, const Action& a) const {
  ksim_proc_rec& p = r.next.proc(a.actor);
  const SignalSpec* sig = findSignal(a.data);
  KSIM_VERIFY(sig != nullptr && sig->actionSlot != kNoActionSlot, "sigprocmask of a signal without an action slot");
  if (a.op == kSigBlock)
    p.sigflags |= blockFlag(*sig);
  else
    p.sigflags &= static_cast<std::uint8_t>(~blockFlag(*sig));
  r.value = 0;
  if (!stopsAtExit(p) && signalsToTake(p) != 0) takeSignal(r, a.actor);
}

// issignal(): the signal nextSignalToTake() names (a SIGKILL its debugger
// passed on, today's attach SIGSTOP, else the lowest-numbered; never a
// stop signal during a vfork: signalsToTake).
void Kernel::takeSignal(StepResult& r, unsigned slot) const {
  ksim_proc_rec& p = r.next.proc(slot);
  int signal = 0;
  if (stopsBeforeVforkWait(p) || syscallEventStopDue(p)) {
    // The fork event's stop comes first: syscallret() calls ptracestop()
    // for TDB_FORK after userret(), which acts on no signal, then sleeps
    // until a vforked child execs or exits, and only then does the return
    // to user mode (ast()) act on pending signals (kernel/PROVENANCE.md
    // section 3.6).  So a vfork parent never dies before its wait ends,
    // whatever is pending.  So do the stops at a system call's exit and
    // at the end of a vfork's wait (section 3.8), and the followed child's
    // first stop: fork_return() calls ptracestop(td, SIGSTOP) before
    // userret(), in 2014 and today.
    const int event = forkChildStopDue(p) ? KSIM_SIGSTOP : KSIM_SIGTRAP;
    p.sigpend &= static_cast<std::uint8_t>(~signalBit(event));
    deliver(r, slot, event, false);
    return;
  }
  if (const SignalSpec* next = nextSignalToTake(p)) signal = next->signal;
  if (signal == 0 && (p.sigflags & KSIM_SIGF_STEP) != 0) {
    // PT_STEP's trap: after the signals pending at the resume, the one
    // instruction runs and the debug exception clears the trace flag and
    // sends SIGTRAP with TRAP_TRACE (amd64 trap(), trapsignal()), which
    // stops a traced process like any signal; untraced, it dumps core.
    p.sigflags &= static_cast<std::uint8_t>(~KSIM_SIGF_STEP);
    deliver(r, slot, KSIM_SIGTRAP, false);
    if ((r.next.proc(slot).flag & KSIM_P_STOPPED_TRACE) != 0) r.next.proc(slot).sigflags |= KSIM_SIGF_STEPPED;
    return;
  }
  KSIM_VERIFY(signal != 0, "take-signal without a signal to take");
  // issignal() took the attach's SIGSTOP as such (TDB_FSTP) if it chose
  // SIGSTOP while P2_PTRACE_FSTP was set.
  const bool attachStop = signal == KSIM_SIGSTOP && (p.flag2 & KSIM_P2_PTRACE_FSTP) != 0;
  if (queueing()) {
    // sigqueue_get(): one instance; the signal stays pending while
    // another is queued.  One the debugger passed on (KSI_PTRACE) does not
    // stop the process again.
    bool passed = takeQueuedSignal(r.next, slot, signal);
    deliver(r, slot, signal, passed && signal != KSIM_SIGSTOP, attachStop);
    return;
  }
  bool noStop = (p.sigflags & KSIM_SIGF_NOSTOP) != 0 && signal != KSIM_SIGSTOP;
  removePendingSignals(p, signalBit(signal));
  if (noStop) p.sigflags &= static_cast<std::uint8_t>(~KSIM_SIGF_NOSTOP);
  deliver(r, slot, signal, noStop, attachStop);
}

// The process acts on a signal: a traced process stops for its tracer,
// SIGKILL from kill(2) included (unless the tracer passed the signal on,
// PT_KILL among them, which ptracestop() knows by P_WKILLED, or it is
// P_PPTRACE, as issignal() has it); SIGSTOP stops, SIGCONT is ignored;
// the others kill, the core-dumping ones through sigexit() and its
// coredump gate.
void Kernel::deliver(StepResult& r, unsigned slot, int signal, bool noStop, bool attachStop) const {
  State& s = r.next;
  ksim_proc_rec& p = s.proc(slot);
  r.value = 0;
  // A fork's or an exec's event whose debugger is gone (it died: SIGKILL
  // is on its way) stops nothing; it was never a signal (syscallret()
  // stops only a process still P_TRACED).
  if (signal == KSIM_SIGTRAP &&
      ((p.ptstop & (KSIM_PTSTOP_FORKED | KSIM_PTSTOP_SCX | KSIM_PTSTOP_VFORK)) != 0 || execEventHeld(p)) &&
      (p.flag & KSIM_P_TRACED) == 0) {
    clearStopEvents(p, signal);
    return;
  }
  // A vforked child that asked its (sleeping) parent to trace it
  // (P_PPTRACE) does not stop: its tracer could never answer.
  if ((p.flag & KSIM_P_TRACED) != 0 && (p.flag & KSIM_P_PPTRACE) == 0 && !noStop) {
    // Today's ptracestop() records a stop only for the attach's SIGSTOP
    // (TDB_FSTP) or once P2_PTRACE_FSTP is clear; any other stop first
    // suspends the thread with nothing recorded (world.h).
    if ((p.flag2 & KSIM_P2_PTRACE_FSTP) != 0 && !attachStop) {
      p.flag2 |= KSIM_P2_SUSPENDED_UNREPORTED;
      return;
    }
    // ptracestop(): the attach ritual is over at the first stop.
    p.flag2 &= ~static_cast<std::uint32_t>(KSIM_P2_PTRACE_FSTP);
    p.flag |= KSIM_P_STOPPED_TRACE;
    p.flag &= ~KSIM_P_WAITED;
    p.xsig = static_cast<std::uint8_t>(signal);
    return;
  }
  // The disposition (sigaction(2), kernel/PROVENANCE.md section 16): an
  // ignored signal is dropped; a caught one runs its handler, which the
  // model does not run as code: the process simply runs on, and its next
  // steps are the handler's body and what follows its return.
  unsigned action = signalAction(p, *findSignal(signal));
  if (action == KSIM_SIGACT_IGN || action == KSIM_SIGACT_CATCH) return;
  // issignal(): "Don't take default actions on system processes": init
  // (pid 1) drops every signal it takes untraced, or that its debugger
  // passed on, SIGKILL and SIGSTOP included (kernel/PROVENANCE.md section
  // 14).  The model has no handlers, so init's own are not modelled.
  if (slot == kInit) return;
  if (signal == KSIM_SIGSTOP) {
    p.flag |= KSIM_P_STOPPED_SIG;
    return;
  }
  // SIGCONT's default action: ignore (its work was done when it was sent).
  if (signal == KSIM_SIGCONT) return;
  ksim_call call = makeCall(s, slot);
  variant_.sigexit(&call, signal);
  if (!finishCall(call, r)) return;
  std::uint8_t xstat = KSIM_XSTAT_KILLED;
  if (call.core_written) {
    r.coreWritten = static_cast<std::uint8_t>(slot);
    r.coreWrittenFlag2 = p.flag2;
    xstat = KSIM_XSTAT_CORE;
  }
  exitProcess(s, slot, xstat, static_cast<std::uint8_t>(signal));
}

void Kernel::doProcctl(StepResult& r, const Action& a) const {
  if ((variant_.design & KSIM_DESIGN_REAPER) != 0 && isReaperCommand(a.op)) {
    doReaper(r, a);
    return;
  }
  State& s = r.next;
  std::int64_t id;
  if (a.target == kTargetMissing)
    id = kMissingPid;
  else
    id = ksim_slot_pid(a.target);
  ksim_call call = makeCall(s, a.actor);
  call.uword = a.data;
  variant_.procctl(&call, a.call == Call::Procctl32, a.idtype, id, a.op,
                   (a.goodAddress & 1u) != 0 ? KSIM_UADDR_GOOD : KSIM_UADDR_BAD);
  if (!finishCall(call, r)) return;
  r.error = call.error;
  if (call.error == 0) r.value = a.op == kProcTraceStatus ? call.uword : 0;
}

Action Kernel::relabel(const Action& a, const std::array<std::uint8_t, KSIM_NSLOTS>& map) {
  Action out = a;
  out.actor = map[a.actor];
  if (a.target < KSIM_NSLOTS) out.target = map[a.target];
  return out;
}

namespace {

std::uint8_t mapSlot(std::uint8_t slot, const std::array<std::uint8_t, KSIM_NSLOTS>& map) {
  return slot < KSIM_NSLOTS ? map[slot] : slot;
}

State applyRelabeling(const State& s, const std::array<std::uint8_t, KSIM_NSLOTS>& toNew) {
  State out = s;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec r = s.world.proc[i];
    r.pptr = mapSlot(r.pptr, toNew);
    r.oppid = mapSlot(r.oppid, toNew);
    r.pgid = mapSlot(r.pgid, toNew);
    r.pgnext = mapSlot(r.pgnext, toNew);
    // At a system call's entry or exit stop pc_arg is the call, not a slot.
    if (!pcArgIsCall(r)) r.pc_arg = mapSlot(r.pc_arg, toNew);
    r.reaper = mapSlot(r.reaper, toNew);
    setForkedChild(r, mapSlot(forkedChild(r), toNew));
    // Nearly every process holds no process descriptor: nothing to map.
    if (const std::uint8_t held = pdHolders(r); held != 0) {
      std::uint8_t holders = 0;
      for (unsigned h = 0; h < KSIM_NSLOTS; ++h)
        if ((held & (1u << h)) != 0) holders |= static_cast<std::uint8_t>(1u << toNew[h]);
      setPdHolders(r, holders);
    }
    out.world.proc[toNew[i]] = r;
    out.world.pgrp_head[toNew[i]] = mapSlot(s.world.pgrp_head[i], toNew);
  }
  for (SignalQueueCell& c : out.sigq)
    if (!queueCellEmpty(c)) c.key = queueCellKey(toNew[queueCellSlot(c)], queueCellSignal(c));
  sortQueueCells(out);
  return out;
}

// What a slot looks like with every reference to another user slot blanked
// out: renumbering cannot change it, so it orders slots before the search.
std::array<std::uint8_t, sizeof(ksim_proc_rec) + 1> slotSignature(const State& s, unsigned i) {
  ksim_proc_rec r = s.world.proc[i];
  auto blank = [&](std::uint8_t& ref) {
    if (ref != KSIM_NOSLOT && ref >= KSIM_FIRST_USER_SLOT) ref = ref == i ? 0xfc : 0xfd;
  };
  blank(r.pptr);
  blank(r.oppid);
  blank(r.pgid);
  blank(r.pgnext);
  if (!pcArgIsCall(r)) blank(r.pc_arg);
  blank(r.reaper);
  std::uint8_t child = forkedChild(r);
  if (child != kNone) r.ptstop |= 0xf0;  // another user slot, whichever
  // The holders of its descriptor: how many, whichever they are.
  setPdHolders(r,
               static_cast<std::uint8_t>(((1u << std::popcount(pdHolders(r))) - 1u) << KSIM_FIRST_USER_SLOT));
  std::array<std::uint8_t, sizeof(ksim_proc_rec) + 1> sig{};
  // Free slots sort last, so live processes take the low slots.
  sig[0] = static_cast<std::uint8_t>((r.state == KSIM_PRS_FREE ? 2 : 0) |
                                     (s.world.pgrp_head[i] != KSIM_NOSLOT ? 1 : 0));
  std::memcpy(sig.data() + 1, &r, sizeof(r));
  return sig;
}

}  // namespace

// Clears what no modelled behaviour reads, so states that differ only there
// count once: P_EXEC (set by every exec, tested by nothing modelled), how a
// zombie died and its exit code or signal (only wait's status reports
// them, which no property reads) and which unprivileged user
// set a ktrace (only whether that credential is privileged matters).
static State normalize(const State& in) {
  State s = in;
  for (ksim_proc_rec& p : s.world.proc) {
    p.flag &= ~static_cast<std::uint32_t>(KSIM_P_EXEC);
    // The place among siblings too.  It decides which child a wait for
    // any child reports, which the explorer asks only where there is none
    // (enabledActions), and no next state otherwise: PROC_REAP_KILL's
    // walk of p_children signals every child whatever the order (only
    // rk_fpid, and the error where refusals differ, follow it).
    p.xstat_rank = 0;
    if (p.state == KSIM_PRS_ZOMBIE) p.xsig = 0;
    if (p.traceflag != 0) p.ktr_uid = p.ktr_priv ? 0 : kUnprivilegedTracer;
  }
  return s;
}

// The least state among the renumberings of s's user slots; toCanonical
// receives the renumbering that gets there.
static State canonicalSlots(const State& s, std::array<std::uint8_t, KSIM_NSLOTS>& toCanonical) {
  constexpr unsigned kFirst = KSIM_FIRST_USER_SLOT;
  constexpr unsigned kUsers = KSIM_NSLOTS - kFirst;
  std::array<std::array<std::uint8_t, sizeof(ksim_proc_rec) + 1>, KSIM_NSLOTS> sigs;
  std::array<std::uint8_t, kUsers> order;
  for (unsigned i = 0; i < kUsers; ++i) {
    order[i] = static_cast<std::uint8_t>(kFirst + i);
    sigs[kFirst + i] = slotSignature(s, kFirst + i);
  }
  auto compare = [&](std::uint8_t x, std::uint8_t y) {
    return std::memcmp(sigs[x].data(), sigs[y].data(), sigs[x].size());
  };
  auto unreferenced = [&](std::uint8_t slot) {
    return s.world.proc[slot].state == KSIM_PRS_FREE && s.world.pgrp_head[slot] == kNone;
  };
  // Most states are in canonical slot order already (a step renumbers
  // nothing unless it frees or fills a slot out of order): slots in strictly
  // increasing signature order, or equal only where nothing refers to them.
  // One pass over neighbours settles that, with nothing to sort or move.
  bool inOrder = true;
  for (unsigned i = 1; i < kUsers && inOrder; ++i) {
    const int c = compare(order[i - 1], order[i]);
    inOrder = c < 0 || (c == 0 && unreferenced(order[i - 1]));
  }
  if (inOrder) {
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i) toCanonical[i] = static_cast<std::uint8_t>(i);
    return s;
  }
  // A stable insertion sort: a handful of slots, mostly in order already.
  for (unsigned i = 1; i < kUsers; ++i)
    for (unsigned j = i; j > 0 && compare(order[j - 1], order[j]) > 0; --j) std::swap(order[j - 1], order[j]);
  // Slots with equal signatures can only be told apart by how they refer
  // to each other: try every order within each run of equals and keep the
  // least state.  Runs are short (a handful of alike processes).  Free
  // slots that name no group are interchangeable outright: nothing refers
  // to them, so their order cannot matter.
  std::array<std::pair<unsigned, unsigned>, kUsers> runs{};
  unsigned runCount = 0;
  for (unsigned i = 0; i < kUsers;) {
    unsigned j = i + 1;
    while (j < kUsers && compare(order[j], order[i]) == 0) ++j;
    if (j - i > 1 && !unreferenced(order[i])) runs[runCount++] = {i, j};
    i = j;
  }
  auto build = [&](const std::array<std::uint8_t, kUsers>& ord,
                   std::array<std::uint8_t, KSIM_NSLOTS>& toNew) {
    for (unsigned i = 0; i < kFirst; ++i) toNew[i] = static_cast<std::uint8_t>(i);
    for (unsigned i = 0; i < kUsers; ++i) toNew[ord[i]] = static_cast<std::uint8_t>(kFirst + i);
    return applyRelabeling(s, toNew);
  };
  std::array<std::uint8_t, KSIM_NSLOTS> bestMap{}, map{};
  State best = build(order, bestMap);
  if (runCount > 0) {
    // Enumerate the product of permutations of every run (odometer order).
    std::array<std::uint8_t, kUsers> ord = order;
    for (;;) {
      unsigned k = 0;
      for (; k < runCount; ++k) {
        auto [b, e] = runs[k];
        if (std::next_permutation(ord.begin() + b, ord.begin() + e)) break;
        // next_permutation wrapped this run back to sorted; carry on.
      }
      if (k == runCount) break;
      State candidate = build(ord, map);
      if (std::memcmp(&candidate, &best, sizeof(State)) < 0) {
        best = candidate;
        bestMap = map;
      }
    }
  }
  toCanonical = bestMap;
  return best;
}

// The state with every user identity it carries renamed: real, effective
// and saved uids, the group, and the credential a ktrace was set with.
static State renameUsers(const State& s, const UserRenaming& renaming) {
  State out = s;
  for (ksim_proc_rec& p : out.world.proc) {
    p.ruid = renaming.uid(p.ruid);
    p.euid = renaming.uid(p.euid);
    p.svuid = renaming.uid(p.svuid);
    p.gid = renaming.gid(p.gid);
    if (p.traceflag != 0) p.ktr_uid = renaming.uid(p.ktr_uid);
  }
  return out;
}

// User symmetry.  Why renaming interchangeable users is sound: a user is
// nothing but the uid and gid its processes carry (and the ktrace
// credential, whose uid is a copy of one).  The kernel code (kern_prot.c's
// p_cansee/p_candebug/p_cansignal, cr_seeotheruids/gids, the exec and
// coredump paths) and this model only ever compare two identities for
// equality, or an identity with 0 (root, privileged); nothing orders them
// or tests a particular non-zero value.  The sysctls treat every
// unprivileged user alike (see_other_uids compares two ruids), and the
// Config names a user only through the processes that start as it.  Root
// is never renamed, and a setuid-root image only ever makes root.  Each
// known user's gid is its own and moves with its uid, so every equality
// between identities, uid against uid, gid against gid or the ktrace
// credential's uid-as-gid, holds after a renaming exactly when it held
// before.  Hence, for a renaming r of interchangeable users, step(r(s), a)
// = r(step(s, a)) with the same result (errors, values, panics; pids are
// slots, untouched), and every property's verdict on r(s) is its verdict
// on s: the properties test identities for equality and against 0 too
// (the owner-progress property, which follows one owner along paths, is
// judged with the renaming of each edge; properties/checker/Progress.cpp).
// Slot renumberings commute with user renamings, so the least state over
// the product of both groups is a canonical form of the orbit; the search
// keeps one state per orbit.  The initial state need not be fixed by a
// renaming: the reduction only needs the transitions to commute with it.
// Replays never canonicalise: concretize() maps each explorer action back
// through the slot renumbering (actions name slots, never users), so every
// printed path is the real world's, users included.
State Kernel::canonicalize(const State& in, Relabeling* relabeling) const {
  const State s = normalize(in);
  std::array<std::uint8_t, KSIM_NSLOTS> bestMap{}, map{};
  State best = canonicalSlots(s, bestMap);
  std::uint8_t bestRenaming = 0;
  for (std::size_t k = 1; k < userRenamings_.size(); ++k) {
    State candidate = canonicalSlots(renameUsers(s, userRenamings_[k]), map);
    if (std::memcmp(&candidate, &best, sizeof(State)) < 0) {
      best = candidate;
      bestMap = map;
      bestRenaming = static_cast<std::uint8_t>(k);
    }
  }
  if (relabeling != nullptr) {
    relabeling->toCanonical = bestMap;
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
      relabeling->toConcrete[bestMap[i]] = static_cast<std::uint8_t>(i);
    relabeling->userRenaming = bestRenaming;
  }
  return best;
}

}  // namespace model
