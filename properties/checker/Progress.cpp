#include "checker/Progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "checker/Causes.hpp"
#include "ksim/flags.h"
#include "model/Kernel.hpp"
#include "model/Signals.hpp"
#include "model/State.hpp"
#include "sim/Check.hpp"
#include "sim/Graph.hpp"
#include "sim/Parallel.hpp"

namespace properties {

namespace {

using model::State;

// The judgement's stop request (judgeProgress's `stop`: a Ctrl-C while the
// properties are judged), polled for each state and edge the judgement
// goes over: judging a graph of tens of millions of states takes minutes,
// and a stop must not wait for it.  A poll is one relaxed load.
class StopPoll {
 public:
  struct Stopped {};  // thrown once the stop is requested; judgeProgress catches it
  explicit StopPoll(const std::atomic<bool>* flag = nullptr) : flag_(flag) {}
  void operator()() const {
    if (flag_ != nullptr && flag_->load(std::memory_order_relaxed)) throw Stopped{};
  }
  const std::atomic<bool>* flag() const { return flag_; }

 private:
  const std::atomic<bool>* flag_;
};

// A good state for each progress property.  A panic is no way out: it is
// reported by kernel-assertion, and runs nothing more.
bool ownerClear(const State& s, std::uint16_t uid);
bool undoClear(const State& s, std::uint16_t uid);

bool good(PropertyId id, const State& s) {
  if (s.panicked) return false;
  if (id == PropertyId::OwnerCanLeaveTraceState) {
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
      if (s.world.proc[i].ruid != 0 && !ownerClear(s, s.world.proc[i].ruid)) return false;
    return true;
  }
  if (id == PropertyId::RootCanUndo) {
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
      if (!undoClear(s, s.world.proc[i].ruid)) return false;
    return true;
  }
  for (const ksim_proc_rec& p : s.world.proc) {
    if (!model::isLive(p)) continue;
    if (id == PropertyId::StoppedDebuggeeCanResume && (p.flag & KSIM_P_STOPPED_TRACE) != 0) return false;
    if (id == PropertyId::VforkParentWakes && p.pc == KSIM_PC_VFORK_WAIT) return false;
  }
  return true;
}

// A process whose death is already decided: a pending signal kills it,
// and no debugger can cancel that.  A fatal signal, SIGKILL included
// (which a debugger's resume with 0 throws away, as any other), does not
// stop a process that is untraced, whose
// debugger passed the signal on (PT_CONTINUE with it), or that is a
// vforked child which asked its sleeping parent to trace it (P_PPTRACE:
// issignal() of 2014 skips ptracestop() for it, kernel/PROVENANCE.md
// section 12).  The process has nothing to do but take the signal.
bool deathDecided(const ksim_proc_rec& p) {
  // A signal the process catches or ignores is no death, nor one it blocks
  // (it may never let it in); neither happens in a world without the
  // opt-in signal families, where every terminating signal is fatal.
  // SIGKILL is fatal whatever the disposition and cannot be blocked.
  const std::uint16_t pendingBits = model::pendingSignals(p);
  if (pendingBits == 0) return false;  // the common case, and the dispositions cost a loop
  std::uint16_t fatal =
      pendingBits & (model::fatalSignalBits(p) | KSIM_SIGBIT_KILL) & ~model::blockedSignals(p);
  if (fatal == 0) return false;
  bool stopsForDebugger =
      (p.flag & KSIM_P_TRACED) != 0 && (p.flag & KSIM_P_PPTRACE) == 0 && (p.sigflags & KSIM_SIGF_NOSTOP) == 0;
  if (!stopsForDebugger) return fatal != 0;
  // With the signal queue (signal-queue, kernel/PROVENANCE.md section 18)
  // the mark of a signal passed on is the signal's: a traced process takes
  // the next signal (model::nextSignalToTake) without a stop only if that
  // one is marked, and its death is decided only if that one is fatal.
  // Without the family only SIGKILL has a mark (KSIM_SIGF_NOSTOP).
  const model::SignalSpec* next = model::nextSignalToTake(p);
  return next != nullptr && model::passedMark(p, *next) && (fatal & next->bit) != 0;
}

// A process the model will never run again, so that nothing it could do
// counts: its death is decided; or it is stopped by a signal, or about to
// be (a SIGSTOP pending, untraced), and no SIGCONT is explored (the
// default; with kill-signals a SIGCONT could set it running, and so can a
// PT_ATTACH, which clears the stop: kernel/PROVENANCE.md section 3.3; then
// this judgement may miss a trap through such a process, never invent one).
bool outOfPlay(const ksim_proc_rec& p) {
  bool traced = (p.flag & KSIM_P_TRACED) != 0;
  bool signalStopped = (p.flag & KSIM_P_STOPPED_SIG) != 0 || ((p.sigpend & KSIM_SIGBIT_STOP) != 0 && !traced);
  return deathDecided(p) || signalStopped;
}

// A trace state of a running process that its owner (uid) is answerable
// for: traced by its real parent or by one of the owner's processes (a
// debugger of another user needed privilege, and is that user's to
// undo), ktraced with the owner's credential, or tracing disabled.
std::string ownedTraceState(const State& s, unsigned slot, std::uint16_t uid, const Namer& name) {
  const ksim_proc_rec& p = s.world.proc[slot];
  if (slot < KSIM_FIRST_USER_SLOT || p.state != KSIM_PRS_NORMAL || p.ruid != uid) return {};
  // Its trace state goes with it.  The owner cannot get there by a step of
  // its own: a step that puts a process out of play counts no more than a
  // death (ownerStepCounts).
  if (outOfPlay(p)) return {};
  if ((p.flag & KSIM_P_TRACED) != 0 && p.pptr < KSIM_NSLOTS &&
      (p.pptr == p.oppid || s.world.proc[p.pptr].ruid == uid))
    return fmt::format("{} is traced by {}", name(slot), name(p.pptr));
  if (p.traceflag != 0 && p.ktr_uid == uid) return fmt::format("{} is ktraced", name(slot));
  if ((p.flag2 & (KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC)) != 0)
    return fmt::format("{} has tracing disabled", name(slot));
  return {};
}

bool ownerClear(const State& s, std::uint16_t uid) {
  if (s.panicked) return false;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (!ownedTraceState(s, i, uid, Namer{}).empty()) return false;
  return true;
}

// A trace state of a running process of uid that root-can-undo asks its
// owner's and root's processes together to be able to clear: tracing
// disabled (whoever disabled it), or a trace set up by a third user who is
// not root: traced by a process of that user, ktraced with that user's
// credential.  A trace by the owner or by root is theirs to end and is not
// counted; nor is a process out of play (its trace state goes with it).
// Root's own processes count too, init included: an unprivileged user may
// leave them in a trace state as well.
enum class Undoable : std::uint8_t { None, TracedByThirdUser, KtracedByThirdUser, Disabled };

Undoable undoableKind(const State& s, unsigned slot, std::uint16_t uid) {
  const ksim_proc_rec& p = s.world.proc[slot];
  if (p.state != KSIM_PRS_NORMAL || p.ruid != uid || outOfPlay(p)) return Undoable::None;
  // A system process (the swapper) is never debugged (ptrace: EINVAL)
  // and never dumps core: its P2_NOTRACE restricts nobody.
  if ((p.flag & KSIM_P_SYSTEM) != 0) return Undoable::None;
  if ((p.flag & KSIM_P_TRACED) != 0 && p.pptr < KSIM_NSLOTS) {
    const std::uint16_t tracer = s.world.proc[p.pptr].ruid;
    if (tracer != uid && tracer != 0) return Undoable::TracedByThirdUser;
  }
  if (p.traceflag != 0 && p.ktr_uid != uid && p.ktr_uid != 0) return Undoable::KtracedByThirdUser;
  if ((p.flag2 & (KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC)) != 0) return Undoable::Disabled;
  return Undoable::None;
}

// The same in words, for messages only (formatting it for every state of a
// large graph would cost more than judging it).
std::string undoableTraceState(const State& s, unsigned slot, std::uint16_t uid, const Namer& name) {
  const ksim_proc_rec& p = s.world.proc[slot];
  switch (undoableKind(s, slot, uid)) {
    case Undoable::None:
      return {};
    case Undoable::TracedByThirdUser:
      return fmt::format("{} is traced by {}, a process of {}", name(slot), name(p.pptr),
                         model::userName(s.world.proc[p.pptr].ruid));
    case Undoable::KtracedByThirdUser:
      return fmt::format("{} is ktraced with the credential of {}", name(slot), model::userName(p.ktr_uid));
    case Undoable::Disabled:
      return fmt::format("{} has tracing disabled", name(slot));
  }
  return {};
}

bool undoClear(const State& s, std::uint16_t uid) {
  if (s.panicked) return false;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (undoableKind(s, i, uid) != Undoable::None) return false;
  return true;
}

// The two properties judged per owner: owner-can-leave-trace-state (the
// owner's processes alone, the owner's own trace states) and root-can-undo
// (the owner's and root's processes, the trace states above).
bool ownerGoal(PropertyId id, const State& s, std::uint16_t uid) {
  return id == PropertyId::RootCanUndo ? undoClear(s, uid) : ownerClear(s, uid);
}
// Whether a step of a process of actorUid counts for owner uid.
bool helpsOwner(PropertyId id, std::uint16_t actorUid, std::uint16_t uid) {
  return actorUid == uid || (id == PropertyId::RootCanUndo && actorUid == 0);
}

// The unprivileged users that own a process somewhere in the graph, ascending.
std::vector<std::uint16_t> owners(const sim::ExploredGraph<model::Action, State>& graph,
                                  const StopPoll& stop) {
  std::vector<std::uint16_t> uids;
  for (sim::StateIndex k = 0; k < graph.stateCount(); ++k) {
    stop();
    const State s = graph.state(k);
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
      const std::uint16_t uid = s.world.proc[i].ruid;
      if (s.world.proc[i].state != KSIM_PRS_NORMAL || uid == 0) continue;
      const auto at = std::lower_bound(uids.begin(), uids.end(), uid);
      if (at == uids.end() || *at != uid) uids.insert(at, uid);
    }
  }
  return uids;
}

// A debuggee whose tracer is out of play: if the tracer dies, exit1 kills
// its debuggees; if it is stopped for good, nothing resumes them.  That is
// how signals work (or what the model leaves out), not a trap the design
// set.
bool tracerOutOfPlay(const State& s) {
  for (const ksim_proc_rec& p : s.world.proc)
    if (model::isLive(p) && (p.flag & KSIM_P_TRACED) != 0 && p.pptr < KSIM_NSLOTS &&
        outOfPlay(s.world.proc[p.pptr]))
      return true;
  return false;
}

// A process asleep in vfork for a child whose death is decided: the parent
// wakes when the child dies, which nobody can prevent, and only then.  Such
// a state is excused, not counted as good: steps in which a process dies
// still do not count (killing a process is neither resuming nor untracing
// it), and the state after the death is judged in its turn, so a trap that
// does not hang on the dying child is still reported there; so are the
// states before the fatal signal was sent.
bool vforkChildDies(const State& s) {
  for (const ksim_proc_rec& p : s.world.proc)
    if (model::isLive(p) && p.pc == KSIM_PC_VFORK_WAIT && p.pc_arg < KSIM_NSLOTS &&
        deathDecided(s.world.proc[p.pc_arg]))
      return true;
  return false;
}

// Processes that exist and have not died (PRS_NEW or PRS_NORMAL).
unsigned aliveCount(const State& s) {
  unsigned n = 0;
  for (const ksim_proc_rec& p : s.world.proc) n += p.state == KSIM_PRS_NEW || p.state == KSIM_PRS_NORMAL;
  return n;
}

// Live processes that are not out of play.
unsigned inPlayCount(const State& s) {
  unsigned n = 0;
  for (const ksim_proc_rec& p : s.world.proc)
    n += (p.state == KSIM_PRS_NEW || p.state == KSIM_PRS_NORMAL) && !outOfPlay(p);
  return n;
}

// Whether a step of the owner's process can count for
// owner-can-leave-trace-state: nobody dies in it, and nobody's death
// becomes decided (or a stop for good): killing a process is not leaving
// its trace state, and a fatal signal is how a process is killed.  Both
// counts only fall by such steps (a fork raises both).
bool ownerStepCounts(unsigned aliveBefore, unsigned inPlayBefore, unsigned aliveAfter, unsigned inPlayAfter) {
  return aliveAfter >= aliveBefore && inPlayAfter >= inPlayBefore;
}

// Per state, what the edge filters below read of it (the graph keeps its states compressed:
// decompressing both ends of every edge would cost more than the search).
struct StateFacts {
  std::vector<std::uint8_t> alive;         // aliveCount
  std::vector<std::uint8_t> inPlay;        // inPlayCount
  std::vector<std::uint8_t> slotsOfOwner;  // bit i: slot i belongs to the owner asked for
  std::vector<bool> goal;
  std::vector<bool> excused;  // panicked, a tracer out of play, or a vfork child dying: never reported stuck
};

StateFacts stateFacts(const sim::ExploredGraph<model::Action, State>& graph,
                      const std::function<bool(const State&)>& goal, std::optional<std::uint16_t> owner,
                      PropertyId id, const StopPoll& stop) {
  static_assert(KSIM_NSLOTS <= 8, "slotsOfOwner holds one bit per slot");
  const std::size_t n = graph.stateCount();
  StateFacts facts;
  facts.alive.resize(n);
  facts.inPlay.resize(n);
  if (owner) facts.slotsOfOwner.resize(n);
  facts.goal.resize(n);
  facts.excused.resize(n);
  for (sim::StateIndex k = 0; k < n; ++k) {
    stop();
    const State s = graph.state(k);
    facts.alive[k] = static_cast<std::uint8_t>(aliveCount(s));
    facts.inPlay[k] = static_cast<std::uint8_t>(inPlayCount(s));
    if (owner) {
      std::uint8_t mask = 0;
      for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
        if (helpsOwner(id, s.world.proc[i].ruid, *owner)) mask = static_cast<std::uint8_t>(mask | (1u << i));
      facts.slotsOfOwner[k] = mask;
    }
    facts.goal[k] = goal(s);
    facts.excused[k] = s.panicked != 0 || tracerOutOfPlay(s) || vforkChildDies(s);
  }
  return facts;
}

// A process of the owner that another user's debugger holds: traced by a
// process of another user, and stopped for it or with a signal to take
// that stops it.  Only that user can let it go on, so whatever the owner
// needs it for (to wake its parent sleeping in vfork, to detach a debuggee
// of its own) is that user's to give, as a trace that user set up is
// theirs to undo (ownedTraceState).  The state is excused for this owner,
// never made good: the states after the debugger resumes or detaches the
// process are judged, and so are those before it was attached.
bool heldByAnotherUsersDebugger(const State& s, std::uint16_t uid) {
  for (const ksim_proc_rec& p : s.world.proc) {
    if (!model::isLive(p) || p.ruid != uid || (p.flag & KSIM_P_TRACED) == 0 || p.pptr >= KSIM_NSLOTS ||
        s.world.proc[p.pptr].ruid == uid)
      continue;
    if ((p.flag & KSIM_P_STOPPED_TRACE) != 0 || model::signalsToTake(p) != 0) return true;
  }
  return false;
}

// A process of the owner with tracing disabled that another user traces or
// ktraces (with that user's credential: root's, since no one else may).
// Re-enabling tracing is refused while it is traced or ktraced (EBUSY in
// every design that has the command), and the trace is the other user's
// to end, as ownedTraceState counts it: the owner's wait is that user's
// doing.  Excused for this owner like heldByAnotherUsersDebugger; once the
// other user lets go, the state is judged again.
bool disabledUnderAnotherUsersTrace(const State& s, std::uint16_t uid) {
  for (const ksim_proc_rec& p : s.world.proc) {
    if (!model::isLive(p) || p.ruid != uid || (p.flag2 & (KSIM_P2_NOTRACE | KSIM_P2_NOTRACE_EXEC)) == 0)
      continue;
    const bool tracedByAnother =
        (p.flag & KSIM_P_TRACED) != 0 && p.pptr < KSIM_NSLOTS && s.world.proc[p.pptr].ruid != uid;
    const bool ktracedByAnother = p.traceflag != 0 && p.ktr_uid != uid;
    if (tracedByAnother || ktracedByAnother) return true;
  }
  return false;
}

// Whether the owner's trace state is excused in s (above).
bool ownerExcused(const State& s, std::uint16_t uid) {
  return heldByAnotherUsersDebugger(s, uid) || disabledUnderAnotherUsersTrace(s, uid);
}

}  // namespace

namespace {

// The states from which owner uid's goal cannot be reached, excused or not
// (excused: whether each is, for this property and owner).  Only the
// owner's processes act (a setuid image run by the owner is still the
// owner's), and root's for root-can-undo; nobody dies or is doomed
// (ownerStepCounts).
std::vector<bool> ownerCannotReach(const sim::ExploredGraph<model::Action, State>& graph, std::uint16_t uid,
                                   PropertyId id, std::vector<bool>* excused, const StopPoll& stop) {
  const StateFacts facts = stateFacts(
      graph, [&](const State& s) { return ownerGoal(id, s, uid); }, uid, id, stop);
  std::vector<bool> stuck =
      sim::statesThatReachAlong(graph, facts.goal, [&](const sim::Edge<model::Action>& e) {
        stop();
        return (facts.slotsOfOwner[e.source] >> e.action.actor & 1u) != 0 &&
               ownerStepCounts(facts.alive[e.source], facts.inPlay[e.source], facts.alive[e.target],
                               facts.inPlay[e.target]);
      });
  stuck.flip();
  if (excused != nullptr) *excused = facts.excused;
  return stuck;
}

std::vector<bool> ownerStuckStatesFor(const sim::ExploredGraph<model::Action, State>& graph,
                                      std::uint16_t uid, PropertyId id, const StopPoll& stop = StopPoll{}) {
  std::vector<bool> excused;
  std::vector<bool> stuck = ownerCannotReach(graph, uid, id, &excused, stop);
  // root-can-undo excuses no owner-specific state: what another user's
  // debugger holds, and a disable under root's trace, are what it judges.
  for (sim::StateIndex i = 0; i < stuck.size(); ++i)
    if (stuck[i] &&
        (excused[i] || (id == PropertyId::OwnerCanLeaveTraceState && ownerExcused(graph.state(i), uid))))
      stuck[i] = false;
  return stuck;
}

// ownerStuckStatesFor when the search renames interchangeable users
// (Kernel::canonicalize): a step's canonical successor may give the owner's
// role to another user, so "which owner" is followed along each edge.  The
// reverse search runs on pairs (state, owner); an edge of the owner's
// process leads from (s, u) to (t, r(u)), r the user renaming of that
// step's canonicalisation, which the search wrote on the edge's action
// (Action::userRenaming).  Steps that canonicalise back to s itself are no
// edges of the graph, yet may rename the owner ((s, u) to (s, r(u))): the
// search's expansions reported them (CheckedModel::renamingSelfLoops), one
// expansion per expanded state in index order.  Both are what taking every
// step again after the search would find, without taking it again.
// Whether owner j of the pair graph below reaches its goal from each
// state: reaches[k * m + j], uids[j] the owner; excused[k * m + j], state
// k is never reported stuck for owner j.
struct OwnerPairs {
  std::vector<std::uint16_t> uids;
  std::vector<bool> reaches, excused;
  std::uint64_t ownerAt(std::uint16_t uid) const {
    auto at = std::lower_bound(uids.begin(), uids.end(), uid);
    KSIM_VERIFY(at != uids.end() && *at == uid, "an owner missing from the owner list");
    return static_cast<std::uint64_t>(at - uids.begin());
  }
};

OwnerPairs ownerPairs(const sim::ExploredGraph<model::Action, State>& graph, const CheckedModel& checked,
                      PropertyId id, const StopPoll& stop) {
  const model::Kernel& kernel = checked.kernel();
  OwnerPairs pairs;
  std::vector<std::uint16_t>& uids = pairs.uids;
  uids = owners(graph, stop);
  for (const model::User& u : kernel.config().interchangeableUsers()) uids.push_back(u.uid);
  if (id == PropertyId::RootCanUndo) uids.push_back(0);
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  const std::uint64_t m = uids.size();
  const std::size_t n = graph.stateCount();
  std::vector<std::uint8_t> alive(n), inPlay(n);
  std::vector<bool>& reaches = pairs.reaches;
  std::vector<bool>& excused = pairs.excused;
  reaches.assign(n * m, false);
  excused.resize(n * m);
  std::uint64_t expandedCount = 0;
  for (sim::StateIndex k = 0; k < n; ++k) {
    stop();
    const State s = graph.state(k);
    alive[k] = static_cast<std::uint8_t>(aliveCount(s));
    inPlay[k] = static_cast<std::uint8_t>(inPlayCount(s));
    const bool excusedForAll = s.panicked != 0 || tracerOutOfPlay(s) || vforkChildDies(s);
    for (std::uint64_t j = 0; j < m; ++j)
      excused[k * m + j] =
          excusedForAll || (id == PropertyId::OwnerCanLeaveTraceState && ownerExcused(s, uids[j]));
    expandedCount += graph.expanded(k);
    const bool unknownSuccessors = !graph.expanded(k) && !graph.terminal(k);
    for (std::uint64_t j = 0; j < m; ++j)
      if (unknownSuccessors || ownerGoal(id, s, uids[j])) reaches[k * m + j] = true;
  }
  // A search stopped in the middle of an expansion absorbed it, yet left
  // its state unexpanded; anything else means the model explored another
  // graph too.
  KSIM_VERIFY(
      checked.expansionsAbsorbed() == expandedCount || checked.expansionsAbsorbed() == expandedCount + 1,
      "the checked model's expansions are not this graph's");
  // The renaming self-loops' states.  The loops come by expansion, and the
  // expansions by state index: the state of each is found walking the
  // states along with them.  The unfinished expansion's loops are left out.
  const std::vector<CheckedModel::RenamingSelfLoop>& loops = checked.renamingSelfLoops();
  std::vector<sim::StateIndex> loopStates;
  {
    sim::StateIndex next = 0;                 // the next state to walk past
    std::uint64_t expansionsPassed = 0;       // expansions of the states before it
    sim::StateIndex expanded = 0;             // the last expanded state walked past
    std::optional<std::uint64_t> expandedAs;  // ... and its expansion
    for (const CheckedModel::RenamingSelfLoop& loop : loops) {
      if (loop.expansion >= expandedCount) break;
      KSIM_VERIFY(!expandedAs || loop.expansion >= *expandedAs, "renaming self-loops out of expansion order");
      for (; expandedAs != loop.expansion; ++next)
        if (graph.expanded(next)) {
          expanded = next;
          expandedAs = expansionsPassed++;
        }
      KSIM_VERIFY(model::hashState(graph.state(expanded)) == loop.stateHash,
                  "a renaming self-loop reported for another state");
      loopStates.push_back(expanded);
    }
  }
  // The steps that count, taken backwards in passes (sim::reachBackwardInPasses), so that no
  // step is kept: a step of a process of owner a leads from (s, a) to (t, r(a)), r the step's
  // user renaming; for root-can-undo a step of root's leads from (s, u) to (t, r(u)) for every
  // owner u.
  const std::vector<model::UserRenaming>& renamings = kernel.userRenamings();
  std::vector<std::uint64_t> renamedOwner(renamings.size() * m);  // [r * m + j]: owner j renamed by r
  for (std::size_t r = 0; r < renamings.size(); ++r)
    for (std::uint64_t j = 0; j < m; ++j) renamedOwner[r * m + j] = pairs.ownerAt(renamings[r].uid(uids[j]));
  auto pullStep = [&](const std::vector<bool>& reached, const auto& mark, sim::StateIndex from,
                      sim::StateIndex to, std::uint16_t actorUid, std::uint8_t renaming) {
    if (actorUid == 0 && id != PropertyId::RootCanUndo) return;
    KSIM_VERIFY(renaming < renamings.size(), "a step's user renaming is not the kernel's");
    const std::uint64_t* renamed = &renamedOwner[renaming * m];
    if (actorUid != 0) {
      const std::uint64_t j = pairs.ownerAt(actorUid);
      if (reached[to * m + renamed[j]]) mark(from * m + j);
      return;
    }
    for (std::uint64_t j = 0; j < m; ++j)
      if (reached[to * m + renamed[j]]) mark(from * m + j);
  };
  // Whether a pair of state k is unmarked, or marked.
  auto anyPair = [&](const std::vector<bool>& reached, sim::StateIndex k, bool marked) {
    for (std::uint64_t j = 0; j < m; ++j)
      if (reached[k * m + j] == marked) return true;
    return false;
  };
  State source;
  std::optional<sim::StateIndex> sourceIndex;
  sim::reachBackwardInPasses(reaches, [&](const std::vector<bool>& reached, const auto& mark) {
    for (std::size_t i = 0; i < loopStates.size(); ++i) {
      stop();
      pullStep(reached, mark, loopStates[i], loopStates[i], loops[i].actorUid, loops[i].userRenaming);
    }
    graph.forEachEdgeBackward([&](const sim::Edge<model::Action>& e) {
      stop();
      // Only a step that may mark a pair needs its source unpacked.
      if (!anyPair(reached, e.source, false) || !anyPair(reached, e.target, true) ||
          !ownerStepCounts(alive[e.source], inPlay[e.source], alive[e.target], inPlay[e.target]))
        return;
      if (sourceIndex != e.source) {
        source = graph.state(e.source);
        sourceIndex = e.source;
      }
      pullStep(reached, mark, e.source, e.target, source.proc(e.action.actor).ruid, e.action.userRenaming);
    });
  });
  return pairs;
}

// ownerStuckStatesFor when the search renames interchangeable users: on
// the pairs (state, owner) of ownerPairs, whose comment says how.
std::vector<bool> ownerStuckStatesRenamed(const sim::ExploredGraph<model::Action, State>& graph,
                                          const CheckedModel& checked, const StopPoll& stop) {
  const OwnerPairs pairs = ownerPairs(graph, checked, PropertyId::OwnerCanLeaveTraceState, stop);
  const std::uint64_t m = pairs.uids.size();
  std::vector<bool> stuck(graph.stateCount());
  for (sim::StateIndex k = 0; k < graph.stateCount(); ++k)
    for (std::uint64_t j = 0; j < m; ++j)
      if (!pairs.reaches[k * m + j] && !pairs.excused[k * m + j]) stuck[k] = true;
  return stuck;
}

}  // namespace

namespace {

// A step of root-can-undo's counterexample: a process of an unprivileged
// user (the culprit: euid and real uid not 0) takes owner u (another user,
// root included) from a state in which u's and root's processes can clear
// u's trace states to one in which they cannot.
struct CulpritStep {
  sim::StateIndex source = 0;
  model::Action action;
  sim::StateIndex target = 0;
  std::uint16_t ownerInSource = 0, ownerInTarget = 0;  // the owner, named as in each state
  // The graph shows the owner stuck after the step: every continuation of
  // the target by the owner's and root's processes was expanded and none
  // clears the owner's trace states.  Always so on a complete graph.
  bool stuckAfterShown = false;
  // The graph does not decide the step (a bounded graph that does not show
  // the owner stuck after it, or free before it): it is to be confirmed on
  // its own continuations (judgeRootCanUndo).
  bool toConfirm = false;
  // The step's cause (stepCause), when culpritSteps kept the first decided
  // step of each cause (CulpritsKept); 0 otherwise.
  std::uint64_t cause = 0;
};

// The candidate culprit steps (culpritSteps), in a deque: a bounded graph
// may have millions, and a vector's doubling would hold twice as many.
struct CulpritSteps {
  std::deque<CulpritStep> steps;
  bool toConfirmLeftOut = false;  // more steps to confirm than culpritSteps was asked to keep
};

// Which candidates culpritSteps keeps: all of them (stuckStates names
// every step's target), or what judgeRootCanUndo's loop can use: of the
// steps the graph decides, the first of each cause (a later one adds no
// cause and no shorter counterexample), and the first `toConfirm` steps to
// confirm (it searches no more).  So the steps kept do not grow with the
// graph, but for the causes.
struct CulpritsKept {
  bool firstOfEachDecidedCause = false;
  std::size_t toConfirm = std::numeric_limits<std::size_t>::max();
};

// Whether each owner's and root's processes can clear the owner's trace
// states from each state of a graph whose users are not renamed
// (Kernel::userRenamings() has only the identity): one reverse search per
// owner, as ownerCannotReach, but every state decompressed once for all
// owners (the graph keeps its states compressed, and decompressing them
// costs more than the searches).
struct UndoReach {
  std::vector<std::uint16_t> uids;         // the owners: root, then every unprivileged user, ascending
  std::vector<std::uint8_t> unprivileged;  // bit i: slot i's process has neither real nor effective uid 0
  std::vector<std::vector<std::uint8_t>> slotsOf;  // [j][k] bit i: slot i's real uid is uids[j]
  std::vector<std::vector<bool>> reaches;          // [j][k]: owner j's goal reachable from state k
  std::vector<bool> excused;  // panicked, a tracer out of play, or a vfork child dying
};

UndoReach undoReach(const sim::ExploredGraph<model::Action, State>& graph, const StopPoll& stop) {
  static_assert(KSIM_NSLOTS <= 8, "a slot mask holds one bit per slot");
  UndoReach r;
  r.uids = owners(graph, stop);
  r.uids.insert(r.uids.begin(), 0);
  const std::size_t m = r.uids.size(), n = graph.stateCount();
  std::vector<std::uint8_t> alive(n), inPlay(n);
  std::vector<std::vector<bool>> clear(m, std::vector<bool>(n));
  r.unprivileged.resize(n);
  r.slotsOf.assign(m, std::vector<std::uint8_t>(n));
  r.excused.resize(n);
  for (sim::StateIndex k = 0; k < n; ++k) {
    stop();
    const State s = graph.state(k);
    alive[k] = static_cast<std::uint8_t>(aliveCount(s));
    inPlay[k] = static_cast<std::uint8_t>(inPlayCount(s));
    r.excused[k] = s.panicked != 0 || tracerOutOfPlay(s) || vforkChildDies(s);
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
      const ksim_proc_rec& p = s.world.proc[i];
      const auto bit = static_cast<std::uint8_t>(1u << i);
      if (p.ruid != 0 && p.euid != 0) r.unprivileged[k] |= bit;
      for (std::size_t j = 0; j < m; ++j)
        if (p.ruid == r.uids[j]) r.slotsOf[j][k] |= bit;
    }
    for (std::size_t j = 0; j < m; ++j) clear[j][k] = undoClear(s, r.uids[j]);
  }
  r.reaches.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    // The owner's processes and root's act (helpsOwner); nobody dies or is
    // doomed (ownerStepCounts).
    const std::vector<std::uint8_t>& own = r.slotsOf[j];
    const std::vector<std::uint8_t>& root = r.slotsOf[0];
    r.reaches[j] = sim::statesThatReachAlong(graph, clear[j], [&](const sim::Edge<model::Action>& e) {
      stop();
      return ((own[e.source] | root[e.source]) >> e.action.actor & 1u) != 0 &&
             ownerStepCounts(alive[e.source], inPlay[e.source], alive[e.target], inPlay[e.target]);
    });
  }
  return r;
}

// Whether step a from source may leave another user's process in a trace
// state (givesTraceState): a procctl(2) on a process group, or a procctl,
// ptrace or ktrace on another user's process.  Read from the source alone,
// so that the step's target state is unpacked only for these steps.
bool mayGiveTraceState(const State& source, const model::Action& a) {
  return (a.call == model::Call::Procctl && a.idtype == KSIM_P_PGID) ||
         ((a.call == model::Call::Procctl || a.call == model::Call::Ptrace || a.call == model::Call::Ktrace) &&
          a.target < KSIM_NSLOTS && source.proc(a.target).ruid != source.proc(a.actor).ruid);
}

// Whether a step gives another user's process a trace state for
// root-can-undo (more of them after it than before, for some owner other
// than the actor's user): only procctl, ptrace and ktrace naming another
// user's process, or a process group, can.
std::optional<std::pair<std::uint16_t, std::uint16_t>> givesTraceState(
    const State& source, const model::Action& a, const State& target, const model::UserRenaming& renaming,
    const std::vector<std::uint16_t>& uids) {
  if (!mayGiveTraceState(source, a)) return std::nullopt;
  const ksim_proc_rec& actor = source.proc(a.actor);
  for (const std::uint16_t u : uids) {
    const std::uint16_t renamed = renaming.uid(u);
    if (u == actor.ruid) continue;
    unsigned before = 0, after = 0;
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
      before += undoableKind(source, i, u) != Undoable::None;
      after += undoableKind(target, i, renamed) != Undoable::None;
    }
    if (after > before) return std::make_pair(u, renamed);
  }
  return std::nullopt;
}

// Whether every state of the graph was expanded or is terminal: the graph
// of a complete search.
bool graphComplete(const sim::ExploredGraph<model::Action, State>& graph) {
  for (sim::StateIndex k = 0; k < graph.stateCount(); ++k)
    if (!graph.expanded(k) && !graph.terminal(k)) return false;
  return true;
}

// Every candidate culprit step that `kept` asks for, by source index
// (breadth-first order: the first has a shallowest source, so it ends a
// shortest counterexample).
// On a complete graph the graph decides each step exactly: the candidates
// are the steps that take an owner from a state that reaches its goal to
// one that does not and is not excused, each stuckAfterShown.  A bounded
// search counts its unexpanded states as ways out, so its graph may show
// a state free that is not (the trap set earlier, by someone else) and
// cannot show a trap from which root's processes can still go on to the
// frontier; there the steps that give another user's process a trace
// state are candidates too, to be confirmed on their own continuations
// (judgeRootCanUndo), and so is a step the graph shows stuck after but not
// free before.
CulpritSteps culpritSteps(const sim::ExploredGraph<model::Action, State>& graph, const CheckedModel& checked,
                          const StopPoll& stop, const CulpritsKept& kept = {}) {
  const model::Kernel& kernel = checked.kernel();
  const bool complete = graphComplete(graph);
  CulpritSteps out;
  std::size_t keptToConfirm = 0;
  std::set<std::uint64_t> decidedCauses;
  State source;
  std::optional<sim::StateIndex> sourceIndex;
  auto sourceOf = [&](const sim::Edge<model::Action>& e) -> const State& {
    if (sourceIndex != e.source) {
      source = graph.state(e.source);
      sourceIndex = e.source;
    }
    return source;
  };
  auto add = [&](const sim::Edge<model::Action>& e, std::uint16_t ownerInSource, std::uint16_t ownerInTarget,
                 bool stuckAfterShown) {
    const bool toConfirm =
        !complete && (!stuckAfterShown || !ownerGoal(PropertyId::RootCanUndo, sourceOf(e), ownerInSource));
    if (toConfirm && keptToConfirm == kept.toConfirm) {
      out.toConfirmLeftOut = true;
      return;
    }
    std::uint64_t cause = 0;
    if (!toConfirm && kept.firstOfEachDecidedCause) {
      const State& before = sourceOf(e);
      cause = stepCause(before, e.action, kernel.step(before, e.action));
      if (!decidedCauses.insert(cause).second) return;
    }
    keptToConfirm += toConfirm;
    out.steps.push_back(
        {e.source, e.action, e.target, ownerInSource, ownerInTarget, stuckAfterShown, toConfirm, cause});
  };
  if (kernel.userRenamings().size() == 1) {
    const UndoReach r = undoReach(graph, stop);
    const std::size_t m = r.uids.size();
    const model::UserRenaming& identity = kernel.userRenamings().front();
    graph.forEachEdge([&](const sim::Edge<model::Action>& e) {
      stop();
      const unsigned actorBit = 1u << e.action.actor;
      if ((r.unprivileged[e.source] & actorBit) == 0) return;
      for (std::size_t j = 0; j < m; ++j) {
        if ((r.slotsOf[j][e.source] & actorBit) != 0 || !r.reaches[j][e.source]) continue;
        if (r.reaches[j][e.target] || r.excused[e.target]) continue;
        add(e, r.uids[j], r.uids[j], true);
        return;
      }
      if (complete || !mayGiveTraceState(sourceOf(e), e.action)) return;
      if (auto owner = givesTraceState(sourceOf(e), e.action, graph.state(e.target), identity, r.uids))
        add(e, owner->first, owner->second, false);
    });
  } else {
    const OwnerPairs pairs = ownerPairs(graph, checked, PropertyId::RootCanUndo, stop);
    const std::uint64_t m = pairs.uids.size();
    graph.forEachEdge([&](const sim::Edge<model::Action>& e) {
      stop();
      const ksim_proc_rec& actor = sourceOf(e).proc(e.action.actor);
      if (actor.euid == 0 || actor.ruid == 0) return;
      const model::UserRenaming& renaming = kernel.userRenamings().at(e.action.userRenaming);
      for (std::uint64_t j = 0; j < m; ++j) {
        if (pairs.uids[j] == actor.ruid || !pairs.reaches[e.source * m + j]) continue;
        const std::uint64_t at = e.target * m + pairs.ownerAt(renaming.uid(pairs.uids[j]));
        if (pairs.reaches[at] || pairs.excused[at]) continue;
        add(e, pairs.uids[j], renaming.uid(pairs.uids[j]), true);
        return;
      }
      if (complete || !mayGiveTraceState(sourceOf(e), e.action)) return;
      if (auto owner = givesTraceState(sourceOf(e), e.action, graph.state(e.target), renaming, pairs.uids))
        add(e, owner->first, owner->second, false);
    });
  }
  // The graph's edges come by source, ascending (sim/Explorer.hpp): so do the steps.
  return out;
}

// stuckStates, as a flag per state, stopped when `stop` asks.
std::vector<bool> stuckStatesUnlessStopped(const sim::ExploredGraph<model::Action, State>& graph,
                                           PropertyId id, const CheckedModel& checked, const StopPoll& stop) {
  if (id == PropertyId::RootCanUndo) {
    std::vector<bool> targets(graph.stateCount());
    for (const CulpritStep& step : culpritSteps(graph, checked, stop).steps) targets[step.target] = true;
    return targets;
  }
  if (id == PropertyId::OwnerCanLeaveTraceState) {
    if (checked.kernel().userRenamings().size() > 1) return ownerStuckStatesRenamed(graph, checked, stop);
    std::vector<bool> stuckForSome(graph.stateCount());  // one owner's flags at a time, not all of them
    for (std::uint16_t uid : owners(graph, stop)) {
      const std::vector<bool> stuck =
          ownerStuckStatesFor(graph, uid, PropertyId::OwnerCanLeaveTraceState, stop);
      for (sim::StateIndex i = 0; i < stuck.size(); ++i)
        if (stuck[i]) stuckForSome[i] = true;
    }
    return stuckForSome;
  }
  const StateFacts facts = stateFacts(
      graph, [&](const State& s) { return good(id, s); }, std::nullopt, id, stop);
  // A debuggee is resumed by its debugger, not set free by somebody's death
  // (a debugger's exit kills its debuggees): only steps in which no process
  // dies may lead to the good state.
  std::vector<bool> stuck =
      sim::statesThatReachAlong(graph, facts.goal, [&](const sim::Edge<model::Action>& e) {
        stop();
        return facts.alive[e.target] >= facts.alive[e.source];
      });
  // Panicked states are terminal (kernel-assertion reports them); the
  // other excused states wait for what the design cannot change.
  stuck.flip();
  for (sim::StateIndex i = 0; i < stuck.size(); ++i)
    if (facts.excused[i]) stuck[i] = false;
  return stuck;
}

}  // namespace

std::vector<sim::StateIndex> stuckStates(const sim::ExploredGraph<model::Action, State>& graph, PropertyId id,
                                         const CheckedModel& checked) {
  const std::vector<bool> stuck = stuckStatesUnlessStopped(graph, id, checked, StopPoll{});
  std::vector<sim::StateIndex> out;
  for (sim::StateIndex i = 0; i < stuck.size(); ++i)
    if (stuck[i]) out.push_back(i);
  return out;
}

std::string progressMessage(PropertyId id, const State& s, const Namer& name) {
  if (id == PropertyId::RootCanUndo) {
    std::string states;
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
      const ksim_proc_rec& p = s.world.proc[i];
      std::string state = undoableTraceState(s, i, p.ruid, name);
      if (!state.empty())
        states += fmt::format("{}{} (owner {})", states.empty() ? "" : "; ", state, model::userName(p.ruid));
    }
    return states +
           "; and no sequence of steps by the owner's processes and root's, in which no process dies or is "
           "doomed, clears it";
  }
  if (id == PropertyId::OwnerCanLeaveTraceState) {
    std::string states;
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
      const ksim_proc_rec& p = s.world.proc[i];
      if (p.ruid == 0) continue;
      std::string state = ownedTraceState(s, i, p.ruid, name);
      if (!state.empty())
        states += fmt::format("{}{} (owner {})", states.empty() ? "" : "; ", state, model::userName(p.ruid));
    }
    return states +
           "; and no sequence of steps by the owner's processes, in which no process dies or is doomed, "
           "clears it";
  }
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& p = s.world.proc[i];
    if (!model::isLive(p)) continue;
    if (id == PropertyId::StoppedDebuggeeCanResume && (p.flag & KSIM_P_STOPPED_TRACE) != 0)
      return fmt::format(
          "{} is stopped for its tracer {}, and no sequence of steps resumes it unless a process dies",
          name(i), name(p.pptr));
    if (id == PropertyId::VforkParentWakes && p.pc == KSIM_PC_VFORK_WAIT)
      return fmt::format("{} sleeps in vfork for {}, and only a process's death could wake it", name(i),
                         name(p.pc_arg));
  }
  return "stuck";
}

namespace {

// A trap's cause (Causes.hpp) is built from the shapes of the processes it
// is stuck on, one byte each: a relation in the low three bits, then
// P2_NOTRACE (P2_NOTRACE_EXEC implies it; the ktrace is another matter, not
// what holds a ptrace stop or a vfork), and one bit of the property's own.
enum ShapeBit : std::uint8_t { kNotraceBit = 1 << 3, kOwnBit = 1 << 4 };

// Who traces a traced process, as its stuck state depends on it.
enum class TracerRelation : std::uint8_t { Init, RealParent, SameUser, Roots, OtherUser, Untraced };

constexpr const char* kTracerWords[] = {"init", "its real parent", "another process of its user",
                                        "a process of root's", "a process of another user", "nobody"};

TracerRelation tracerOf(const State& s, const ksim_proc_rec& p) {
  if ((p.flag & KSIM_P_TRACED) == 0 || p.pptr >= KSIM_NSLOTS) return TracerRelation::Untraced;
  if (p.pptr == KSIM_SLOT_INIT) return TracerRelation::Init;
  if (p.pptr == p.oppid) return TracerRelation::RealParent;
  const ksim_proc_rec& tracer = s.world.proc[p.pptr];
  if (tracer.ruid == p.ruid) return TracerRelation::SameUser;
  if (tracer.euid == 0) return TracerRelation::Roots;
  return TracerRelation::OtherUser;
}

std::uint8_t traceShapeBits(const ksim_proc_rec& p) {
  return (p.flag2 & KSIM_P2_NOTRACE) != 0 ? kNotraceBit : 0;
}

// What an owner cannot leave (ownedTraceState's cases).
enum class OwnedKind : std::uint8_t { TracedByInit, TracedByRealParent, TracedByOwnProcess, Ktraced, Disabled };

constexpr const char* kOwnedWords[] = {"traced by init", "traced by its real parent",
                                       "traced by another process of its user",
                                       "ktraced with its user's credential", "with tracing disabled"};

// The shapes of the processes the trap is stuck on, sorted, without repeats.
std::vector<std::uint8_t> trapShapes(PropertyId id, const State& s) {
  std::vector<std::uint8_t> shapes;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const ksim_proc_rec& p = s.world.proc[i];
    if (!model::isLive(p)) continue;
    if (id == PropertyId::StoppedDebuggeeCanResume && (p.flag & KSIM_P_STOPPED_TRACE) != 0) {
      // The stop's tracer, and whether the process asked its vfork parent to trace it.
      shapes.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(tracerOf(s, p)) | traceShapeBits(p) |
                                                 ((p.flag & KSIM_P_PPTRACE) != 0 ? kOwnBit : 0)));
    } else if (id == PropertyId::VforkParentWakes && p.pc == KSIM_PC_VFORK_WAIT && p.pc_arg < KSIM_NSLOTS) {
      // The child the parent sleeps for: who traces it, and whether it is stopped.
      const ksim_proc_rec& child = s.world.proc[p.pc_arg];
      const bool stopped = (child.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) != 0;
      shapes.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(tracerOf(s, child)) |
                                                 traceShapeBits(child) | (stopped ? kOwnBit : 0)));
    } else if (id == PropertyId::OwnerCanLeaveTraceState && i >= KSIM_FIRST_USER_SLOT && p.ruid != 0 &&
               !ownedTraceState(s, i, p.ruid, Namer{}).empty()) {
      // ownedTraceState's cases, in its order; P2_NOTRACE matters to a trace (the debugger may
      // be refused), not to a process that has tracing disabled and nothing else.
      OwnedKind kind = OwnedKind::Disabled;
      if ((p.flag & KSIM_P_TRACED) != 0 && p.pptr < KSIM_NSLOTS &&
          (p.pptr == p.oppid || s.world.proc[p.pptr].ruid == p.ruid))
        kind = p.pptr == KSIM_SLOT_INIT ? OwnedKind::TracedByInit
               : p.pptr == p.oppid      ? OwnedKind::TracedByRealParent
                                        : OwnedKind::TracedByOwnProcess;
      else if (p.traceflag != 0 && p.ktr_uid == p.ruid)
        kind = OwnedKind::Ktraced;
      shapes.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(kind) |
                                                 (kind == OwnedKind::Disabled ? 0 : traceShapeBits(p))));
    }
  }
  std::sort(shapes.begin(), shapes.end());
  shapes.erase(std::unique(shapes.begin(), shapes.end()), shapes.end());
  return shapes;
}

constexpr std::size_t kShapesInKey = 7;

}  // namespace

std::uint64_t trapCause(PropertyId id, const State& trap) {
  const std::vector<std::uint8_t> shapes = trapShapes(id, trap);
  std::uint64_t key = std::uint64_t{static_cast<std::uint8_t>(CauseKind::Trap)} << 62;
  // More shapes than the key holds: the first seven (a finer split is no different defect).
  const std::size_t n = std::min(shapes.size(), kShapesInKey);
  key |= std::uint64_t{n} << 56;
  for (std::size_t k = 0; k < n; ++k) key |= std::uint64_t{shapes[k]} << (8 * k);
  return key;
}

std::string describeTrapCause(PropertyId id, std::uint64_t cause) {
  const std::size_t n = (cause >> 56) & 0x7;
  std::string out;
  for (std::size_t k = 0; k < n; ++k) {
    const auto shape = static_cast<std::uint8_t>(cause >> (8 * k));
    const unsigned relation = shape & 0x7;
    const std::string flags = (shape & kNotraceBit) != 0 ? ", P2_NOTRACE" : "";
    std::string what;
    if (id == PropertyId::StoppedDebuggeeCanResume) {
      what = fmt::format("a process stopped for {}{}{}", kTracerWords[std::min(relation, 5u)], flags,
                         (shape & kOwnBit) != 0 ? ", P_PPTRACE" : "");
    } else if (id == PropertyId::VforkParentWakes) {
      what = fmt::format("a parent asleep in vfork for a child traced by {}{}{}",
                         kTracerWords[std::min(relation, 5u)], flags, (shape & kOwnBit) != 0 ? ", stopped" : "");
    } else {
      what = fmt::format("a process {}{}", kOwnedWords[std::min(relation, 4u)], flags);
    }
    out += (out.empty() ? "" : "; ") + what;
  }
  return out.empty() ? "a trap" : out;
}

namespace {

std::uint64_t singleShapeCause(std::uint8_t shape) {
  return std::uint64_t{static_cast<std::uint8_t>(CauseKind::Trap)} << 62 | std::uint64_t{1} << 56 | shape;
}

// The causes the stuck states are counted under, and the first stuck state
// of each, in the stuck states' order.  A trap stuck on one kind of process
// is that kind's.  A trap stuck on several is a cause of its own only if
// one of its kinds is never a trap alone: two debuggees each stuck for its
// own reason are two known defects at once, not a third (such a state,
// when it is the shallowest trap, is shown under its first kind).  Each
// stuck state is unpacked twice, to learn the kinds that are traps alone
// and then to count it, instead of keeping 8 bytes per stuck state.
struct TrapCauses {
  std::size_t count = 0;
  std::vector<std::pair<sim::StateIndex, std::uint64_t>> firstOfCause;
};

TrapCauses attributeTraps(PropertyId id, const sim::ExploredGraph<model::Action, State>& graph,
                          const std::vector<bool>& stuck, const StopPoll& stop) {
  std::set<std::uint64_t> alone;
  for (sim::StateIndex i = 0; i < stuck.size(); ++i) {
    if (!stuck[i]) continue;
    stop();
    const std::uint64_t cause = trapCause(id, graph.state(i));
    if ((cause >> 56 & 0x7) == 1) alone.insert(cause);
  }
  std::set<std::uint64_t> causes;
  TrapCauses out;
  for (sim::StateIndex i = 0; i < stuck.size(); ++i) {
    if (!stuck[i]) continue;
    stop();
    std::uint64_t cause = trapCause(id, graph.state(i));
    const std::size_t n = cause >> 56 & 0x7;
    bool known = n > 1;
    for (std::size_t k = 0; k < n && known; ++k)
      known = alone.contains(singleShapeCause(static_cast<std::uint8_t>(cause >> (8 * k))));
    if (known) cause = singleShapeCause(static_cast<std::uint8_t>(cause));
    if (causes.insert(cause).second) out.firstOfCause.emplace_back(i, cause);
  }
  out.count = causes.size();
  return out;
}

}  // namespace

namespace {

std::uint64_t flagBytes(std::uint64_t flags) { return (flags + 63) / 64 * 8; }

// stateFacts: alive, inPlay (and slotsOfOwner, for an owner), goal, excused.
std::uint64_t stateFactsBytes(std::uint64_t n, bool forOwner) {
  return (forOwner ? 3 : 2) * n + 2 * flagBytes(n);
}

// ownerPairs, m owners, `loops` renaming self-loops: the pairs' reached
// and excused flags; while it runs, alive and inPlay, the loops' states
// and the buffer the edges are read backwards through; then its callers'
// answers, a flag per state.
std::uint64_t ownerPairsBytes(std::uint64_t n, std::uint64_t loops, std::uint64_t m) {
  return 2 * flagBytes(n * m) +
         std::max(2 * n + loops * sizeof(sim::StateIndex) + sim::detail::EdgeStream::kBackwardBufferBytes,
                  flagBytes(n));
}

// undoReach, m owners root included: alive and inPlay, each owner's clear,
// reached and slot flags, the unprivileged slots and excused flags, and
// the buffer of one reverse search at a time (whose answer is the owner's
// reached flags).
std::uint64_t undoReachBytes(std::uint64_t n, std::uint64_t m) {
  return 3 * n + m * n + (2 * m + 1) * flagBytes(n) + sim::detail::EdgeStream::kBackwardBufferBytes;
}

}  // namespace

JudgementReserve::JudgementReserve(const CheckedModel& checked)
    : checked_(&checked), renamings_(checked.kernel().userRenamings().size()) {
  // The owners a judgement may follow: every user an initial process runs
  // as (a process's real uid is its first ancestor's), and root.
  std::vector<std::uint16_t> uids{0};
  for (const model::ProcessSpec& p : checked.kernel().config().processes)
    if (const std::optional<model::User> u = model::findUser(p.user)) uids.push_back(u->uid);
  std::sort(uids.begin(), uids.end());
  owners_ = static_cast<std::uint64_t>(std::unique(uids.begin(), uids.end()) - uids.begin());
  for (sim::PropertyIndex k = 0; k < checked.propertyCount(); ++k) {
    const PropertyId id = checked.propertyAt(k);
    if (propertyInfo(id).judgedOn() != JudgedOn::Graph) continue;
    if (renamings_ > 1 && (id == PropertyId::RootCanUndo || id == PropertyId::OwnerCanLeaveTraceState))
      jobs_.push_back(Job::OwnerPairs);
    else if (id == PropertyId::RootCanUndo)
      jobs_.push_back(Job::UndoReach);
    else if (id == PropertyId::OwnerCanLeaveTraceState)
      jobs_.push_back(Job::EachOwner);
    else
      jobs_.push_back(Job::Traps);
  }
}

std::uint64_t JudgementReserve::operator()(std::uint64_t states, std::uint64_t /*edges*/) const {
  const std::uint64_t n = states, selfLoops = checked_->renamingSelfLoops().size();
  std::array<std::uint64_t, kPropertyCount> bytes{};  // each judgement's most, largest first
  for (std::size_t j = 0; j < jobs_.size(); ++j) {
    switch (jobs_[j]) {
      case Job::OwnerPairs:
        bytes[j] = ownerPairsBytes(n, selfLoops, owners_);
        break;
      case Job::UndoReach:
        bytes[j] = undoReachBytes(n, owners_);
        break;
      case Job::EachOwner:
        // The owners' stuck states united, the excused flags one owner's
        // search hands back, and that search.
        bytes[j] = 2 * flagBytes(n) + stateFactsBytes(n, true) + sim::statesThatReachBytes(n);
        break;
      case Job::Traps:
        bytes[j] = stateFactsBytes(n, false) + sim::statesThatReachBytes(n);
        break;
    }
  }
  const std::size_t atOnce = std::min<std::size_t>(jobs_.size(), kJudgementsAtOnce);
  std::partial_sort(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(atOnce),
                    bytes.begin() + static_cast<std::ptrdiff_t>(jobs_.size()), std::greater<>());
  // The self-loops' vector may hold twice as many as it has.
  std::uint64_t total = 2 * selfLoops * sizeof(CheckedModel::RenamingSelfLoop);
  for (std::size_t j = 0; j < atOnce; ++j) total += bytes[j];
  return total;
}

bool needsGraph(const CheckedModel& checked) {
  for (PropertyId id : checked.selected())
    if (propertyInfo(id).judgedOn() == JudgedOn::Graph) return true;
  return false;
}

std::optional<sim::Counterexample<model::Action, State>> shortestPathTo(
    const sim::ExploredGraph<model::Action, State>& graph, const std::vector<sim::StateIndex>& candidates,
    const std::function<bool(const State&)>& pick) {
  auto target = std::find_if(candidates.begin(), candidates.end(),
                             [&](sim::StateIndex i) { return pick(graph.state(i)); });
  if (target == candidates.end()) return std::nullopt;
  // The breadth-first tree: each state's parent and the action that first reached it.
  sim::Counterexample<model::Action, State> cx;
  for (sim::StateIndex at = *target; at != 0; at = graph.parent(at)) {
    cx.actions.push_back(graph.firstAction(at));
    cx.states.push_back(graph.state(at));
  }
  cx.states.push_back(graph.state(0));
  std::reverse(cx.actions.begin(), cx.actions.end());
  std::reverse(cx.states.begin(), cx.states.end());
  return cx;
}

namespace {

// The checked model, started from a given state instead of the initial one.
// With an owner set, only that owner's processes act (and root's, for
// root-can-undo), and only steps that ownerStepCounts allows are taken:
// only those can count for owner-can-leave-trace-state and root-can-undo.
// Every state such a search meets is then reached from the start by steps
// that count, so the first one at the owner's goal settles that the start
// is no trap (GoalWatch).
struct GoalWatch {
  std::atomic<bool> reached{false};  // a state at the owner's goal was met
  std::atomic<bool> ended{false};    // the search's stop flag: reached, or `stop` read true
  const std::atomic<bool>* stop = nullptr;
};

class FromState {
 public:
  using State = model::State;
  using Action = model::Action;
  FromState(const CheckedModel& checked, const State& start, std::optional<std::uint16_t> owner,
            PropertyId id = PropertyId::OwnerCanLeaveTraceState, GoalWatch* watch = nullptr)
      : checked_(checked), start_(start), owner_(owner), id_(id), watch_(watch) {}
  State initial() const { return checked_.kernel().canonicalize(start_); }
  std::uint64_t hash(const State& s) const { return checked_.hash(s); }
  void expand(const State& s, sim::Emitter<Action, State>& emit) const {
    if (!owner_) {
      checked_.expand(s, emit);
      return;
    }
    if (watch_ != nullptr && watch_->stop != nullptr && watch_->stop->load(std::memory_order_relaxed))
      watch_->ended.store(true, std::memory_order_relaxed);
    // root-can-undo asks only whether a goal is reachable: nothing after
    // one matters.
    if (id_ == PropertyId::RootCanUndo && ownerGoal(id_, s, *owner_)) return;
    const unsigned aliveBefore = aliveCount(s), inPlayBefore = inPlayCount(s);
    auto keep = [&](Action&& a, State&& next, std::vector<sim::Finding>&& findings, bool terminal) {
      if (!helpsOwner(id_, s.world.proc[a.actor].ruid, *owner_) ||
          !ownerStepCounts(aliveBefore, inPlayBefore, aliveCount(next), inPlayCount(next)))
        return;
      if (watch_ != nullptr && ownerGoal(id_, next, *owner_)) {
        watch_->reached.store(true, std::memory_order_relaxed);
        watch_->ended.store(true, std::memory_order_relaxed);
      }
      emit(std::move(a), std::move(next), std::move(findings), terminal);
    };
    // The other processes' steps never count: they are not taken.
    std::uint8_t helpers = 0;
    for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
      if (helpsOwner(id_, s.world.proc[i].ruid, *owner_))
        helpers = static_cast<std::uint8_t>(helpers | 1u << i);
    sim::Emitter<Action, State> filtered(keep);
    checked_.expandActing(s, filtered, helpers);
  }
  void stateFindings(const State&, std::vector<sim::Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(sim::PropertyIndex) const { return {}; }

 private:
  const CheckedModel& checked_;
  State start_;
  std::optional<std::uint16_t> owner_;
  PropertyId id_;
  GoalWatch* watch_;
};

}  // namespace

namespace {

// Whether owner uid is stuck in `from` for owner-can-leave-trace-state or
// root-can-undo, judged on the continuations of `from` by the owner's
// processes (and root's, for root-can-undo) alone, users not renamed;
// nullopt if more than maxStates states, or if `stop` reads true (the search
// then ends at its next state).  The search ends at the first state at the
// owner's goal: the owner is then not stuck, whatever is left unexplored.
std::optional<bool> ownerStuckFrom(const model::Kernel& kernel, const State& from, std::uint16_t uid,
                                   PropertyId id, std::uint64_t maxStates, std::uint64_t* explored,
                                   const std::atomic<bool>* stop = nullptr) {
  if (ownerGoal(id, from, uid)) return false;
  model::Config config = kernel.config();
  config.reduction = false;
  const model::Kernel unrenamed(kernel.variant(), config);
  CheckedModel checked(unrenamed, {});
  GoalWatch watch;
  watch.stop = stop;
  FromState model(checked, from, uid, id, &watch);
  sim::Options options;
  options.recordGraph = true;
  options.bounds.maxStates = maxStates;
  options.bounds.stopRequested = &watch.ended;
  auto result = sim::explore(model, options);
  if (explored != nullptr) *explored = std::max(*explored, result.stats.states);
  if (watch.reached.load(std::memory_order_relaxed)) return false;
  if (result.completion != sim::Completion::Complete) return std::nullopt;
  return ownerStuckStatesFor(*result.graph, uid, id)[0];
}

// A root-can-undo candidate confirmed on its two ends' own continuations:
// the owner is stuck after the step and was not before.  The search's
// graph decides this exactly when it is complete; a bounded one counts
// its unexpanded states as ways out, so a state before the step may look
// free when it is not (the trap set earlier, by someone else), and the
// step would be blamed for it.  nullopt: undecided within maxStates.
// When the graph already shows the owner stuck after the step
// (stuckAfterShown), that half is not searched again.  A stop (ownerStuckFrom)
// leaves it undecided.
std::optional<bool> culpritConfirmed(const model::Kernel& kernel, const State& before, const State& after,
                                     std::uint16_t ownerBefore, std::uint16_t ownerAfter,
                                     bool stuckAfterShown, std::uint64_t maxStates,
                                     const std::atomic<bool>* stop) {
  if (!stuckAfterShown) {
    if (ownerGoal(PropertyId::RootCanUndo, after, ownerAfter)) return false;
    const std::optional<bool> stuckAfter =
        ownerStuckFrom(kernel, after, ownerAfter, PropertyId::RootCanUndo, maxStates, nullptr, stop);
    if (!stuckAfter || !*stuckAfter) return stuckAfter;
  }
  if (ownerGoal(PropertyId::RootCanUndo, before, ownerBefore)) return true;
  const std::optional<bool> stuckBefore =
      ownerStuckFrom(kernel, before, ownerBefore, PropertyId::RootCanUndo, maxStates, nullptr, stop);
  if (!stuckBefore) return std::nullopt;
  return !*stuckBefore;
}

}  // namespace

std::optional<bool> isTrap(const model::Kernel& kernel, const State& state, PropertyId id,
                           std::uint64_t maxStates, std::uint64_t* explored, const State* before,
                           const model::Action* last) {
  if (state.panicked || good(id, state)) return false;
  if (explored != nullptr) *explored = 0;
  if (id != PropertyId::OwnerCanLeaveTraceState && id != PropertyId::RootCanUndo) {
    CheckedModel checked(kernel, {});
    FromState model(checked, state, std::nullopt);
    sim::Options options;
    options.recordGraph = true;
    options.bounds.maxStates = maxStates;
    auto result = sim::explore(model, options);
    if (explored != nullptr) *explored = result.stats.states;
    if (result.completion != sim::Completion::Complete) return std::nullopt;
    auto stuck = stuckStates(*result.graph, id, checked);
    return !stuck.empty() && stuck.front() == 0;
  }
  // Each owner with a trace state to answer for is judged on its own
  // processes' steps alone (and root's, for root-can-undo), as
  // ownerStuckStatesFor judges it on the whole graph: the other users' steps
  // never count, so they are not taken (in a world of three users they are
  // most of the continuations).  Users are not renamed: the owner is
  // followed by name.
  // Whether owner uid is stuck in `from`; nullopt if undecided.
  auto stuckFor = [&](const State& from, std::uint16_t uid) -> std::optional<bool> {
    return ownerStuckFrom(kernel, from, uid, id, maxStates, explored);
  };
  // root-can-undo judges a step: the last one, by a process of an
  // unprivileged user, must have left another user's process so.
  std::optional<std::uint16_t> culprit;
  if (id == PropertyId::RootCanUndo) {
    if (before == nullptr || last == nullptr) return false;
    const ksim_proc_rec& actor = before->proc(last->actor);
    if (actor.euid == 0 || actor.ruid == 0) return false;
    culprit = actor.ruid;
  }
  std::vector<std::uint16_t> uids;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    const std::uint16_t uid = state.world.proc[i].ruid;
    if (id == PropertyId::OwnerCanLeaveTraceState
            ? i >= KSIM_FIRST_USER_SLOT && uid != 0 && !ownedTraceState(state, i, uid, Namer{}).empty()
            : uid != *culprit && !undoableTraceState(state, i, uid, Namer{}).empty())
      uids.push_back(uid);
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  bool undecided = false;
  for (std::uint16_t uid : uids) {
    std::optional<bool> stuck = stuckFor(state, uid);
    if (stuck && *stuck && culprit) {
      const std::optional<bool> was = stuckFor(*before, uid);  // then not the culprit's doing
      stuck = was ? std::optional<bool>(!*was) : std::nullopt;
    }
    if (!stuck) {
      undecided = true;
      continue;
    }
    if (*stuck) return true;
  }
  if (undecided) return std::nullopt;
  return false;
}

namespace {

// One progress property's outcome, judged on its own (the properties'
// judgements are independent: judgeProgress runs them at once).  One
// stopped before its end (judgeProgress's `stop`) is left UNKNOWN.
struct ProgressJudgement {
  bool stopped = false;
  sim::Verdict verdict = sim::Verdict::Unknown;
  std::size_t causeCount = 0;
  std::vector<sim::Counterexample<model::Action, State>> counterexamples;
};

// root-can-undo's verdict and counterexamples: each ends with the culprit's
// step itself, and a violation is caused by that step's shape (stepCause),
// as a step property's is: the culprit's call, its target and its outcome
// are what a fix would refuse.  Culprit steps come shallowest source first,
// so the first of each cause ends a shortest counterexample of it.  A
// complete graph decides every candidate (culpritSteps); on a bounded one,
// a candidate the graph does not decide is confirmed on its own
// continuations, at most kMaxSearched of them with at most kMaxStatesEach
// states per search (each search may take seconds: root's processes act
// freely), and none once one is confirmed unless every cause is asked
// for; the verdict is UNKNOWN if none is confirmed and one is left
// undecided.  A bounded search's causes are those of the steps decided.
// The confirming searches are independent: up to `threads` of them run at
// once, on the candidates the loop would search next if none of them were
// confirmed, and the loop takes their answers in its own order; so the
// verdict and the counterexamples are the same for any number of threads,
// and only a search whose answer the loop no longer needs is work wasted.
ProgressJudgement judgeRootCanUndo(const CheckedModel& checked,
                                   const sim::ExploredGraph<model::Action, State>& graph, bool complete,
                                   sim::PropertyIndex k, bool allCauses, unsigned threads,
                                   const StopPoll& stop) {
  constexpr std::size_t kMaxSearched = 8;
  constexpr std::uint64_t kMaxStatesEach = 20'000;
  // The loop below searches at most the first kMaxSearched steps to confirm (any after them
  // leave the verdict undecided), and counts only the first step of each cause.
  const CulpritSteps candidates =
      culpritSteps(graph, checked, stop, {.firstOfEachDecidedCause = true, .toConfirm = kMaxSearched});
  const std::deque<CulpritStep>& steps = candidates.steps;
  std::map<std::size_t, std::optional<bool>> confirmedAt;  // by index into steps
  // Candidate n's confirmation, searched together with the next candidates, as many as there are
  // threads and as `budget` (searches the loop may still make) allows.
  auto confirm = [&](std::size_t n, std::size_t budget) {
    if (auto known = confirmedAt.find(n); known != confirmedAt.end()) return known->second;
    std::vector<std::size_t> batch;
    for (std::size_t next = n;
         next < steps.size() && batch.size() < std::min<std::size_t>(budget, std::max(threads, 1u)); ++next)
      if (steps[next].toConfirm) batch.push_back(next);
    std::vector<std::optional<bool>> answers(batch.size());
    sim::forEachIndex(batch.size(), threads, [&](std::size_t b) {
      const CulpritStep& step = steps[batch[b]];
      answers[b] = culpritConfirmed(checked.kernel(), graph.state(step.source), graph.state(step.target),
                                    step.ownerInSource, step.ownerInTarget, step.stuckAfterShown,
                                    kMaxStatesEach, stop.flag());
    });
    stop();  // a stopped search answered "undecided": not an answer to keep
    for (std::size_t b = 0; b < batch.size(); ++b) confirmedAt.emplace(batch[b], answers[b]);
    return confirmedAt.at(n);
  };
  std::set<std::uint64_t> causes;
  std::vector<std::pair<const CulpritStep*, std::uint64_t>> firstOfCause;
  std::size_t searched = 0;
  bool undecided = candidates.toConfirmLeftOut;
  for (std::size_t n = 0; n < steps.size(); ++n) {
    stop();
    const CulpritStep& step = steps[n];
    if (step.toConfirm) {
      if (searched == kMaxSearched || (!allCauses && !causes.empty())) {
        undecided = true;
        continue;
      }
      const std::optional<bool> ok = confirm(n, kMaxSearched - searched);
      ++searched;
      if (!ok) undecided = true;
      if (!ok || !*ok) continue;
    }
    std::uint64_t cause = step.cause;
    if (step.toConfirm) {  // unpacked only for a step confirmed: most are skipped after the first cause
      const State source = graph.state(step.source);
      cause = stepCause(source, step.action, checked.kernel().step(source, step.action));
    }
    if (causes.insert(cause).second) firstOfCause.emplace_back(&step, cause);
  }
  ProgressJudgement out;
  out.causeCount = causes.size();
  if (firstOfCause.empty()) {
    out.verdict = complete && !undecided ? sim::Verdict::Holds : sim::Verdict::Unknown;
    return out;
  }
  if (!allCauses || firstOfCause.size() > sim::kMaxCounterexamplesPerProperty)
    firstOfCause.resize(allCauses ? sim::kMaxCounterexamplesPerProperty : 1);
  for (const auto& [step, cause] : firstOfCause) {
    auto cx = shortestPathTo(graph, {step->source}, [](const State&) { return true; });
    KSIM_VERIFY(cx.has_value(), "a culprit step's source is not in the graph");
    cx->actions.push_back(step->action);
    cx->states.push_back(graph.state(step->target));
    cx->property = k;
    cx->message = progressMessage(PropertyId::RootCanUndo, cx->states.back(), Namer{});
    cx->cause = cause;
    out.counterexamples.push_back(std::move(*cx));
  }
  out.verdict = sim::Verdict::Violated;
  return out;
}

// A progress property other than root-can-undo: its traps, by cause.
// States are numbered in breadth-first order: the first is a shallowest,
// and so is the first of each cause.
ProgressJudgement judgeTraps(const CheckedModel& checked,
                             const sim::ExploredGraph<model::Action, State>& graph, bool complete,
                             sim::PropertyIndex k, bool allCauses, const StopPoll& stop) {
  const PropertyId id = checked.propertyAt(k);
  const auto stuck = stuckStatesUnlessStopped(graph, id, checked, stop);
  TrapCauses traps = attributeTraps(id, graph, stuck, stop);
  std::vector<std::pair<sim::StateIndex, std::uint64_t>>& firstOfCause = traps.firstOfCause;
  ProgressJudgement out;
  out.causeCount = traps.count;
  if (firstOfCause.empty()) {
    out.verdict = complete ? sim::Verdict::Holds : sim::Verdict::Unknown;
    return out;
  }
  if (!allCauses || firstOfCause.size() > sim::kMaxCounterexamplesPerProperty)
    firstOfCause.resize(allCauses ? sim::kMaxCounterexamplesPerProperty : 1);
  for (const auto& [i, cause] : firstOfCause) {
    auto cx = shortestPathTo(graph, {i}, [](const State&) { return true; });
    cx->property = k;
    cx->message = progressMessage(id, cx->states.back(), Namer{});
    cx->cause = cause;
    out.counterexamples.push_back(std::move(*cx));
  }
  out.verdict = sim::Verdict::Violated;
  return out;
}

}  // namespace

// The properties are judged at once (kJudgementsAtOnce of them at most),
// each into its own judgement, which are then taken in property order: the
// outcome is the same for any number of threads.  root-can-undo, the
// longest to judge on a bounded graph (its confirming searches), is
// started first.
bool judgeProgress(const CheckedModel& checked, sim::Result<CheckedModel>& result, bool allCauses,
                   unsigned threads, const std::atomic<bool>* stop) {
  KSIM_VERIFY(result.graph.has_value(), "judgeProgress needs the explored graph");
  const auto& graph = *result.graph;
  const bool complete = result.completion == sim::Completion::Complete;
  std::vector<sim::PropertyIndex> judged;
  for (sim::PropertyIndex k = 0; k < checked.propertyCount(); ++k)
    if (propertyInfo(checked.propertyAt(k)).judgedOn() == JudgedOn::Graph) judged.push_back(k);
  std::stable_partition(judged.begin(), judged.end(),
                        [&](sim::PropertyIndex k) { return checked.propertyAt(k) == PropertyId::RootCanUndo; });
  std::vector<ProgressJudgement> judgements(judged.size());
  const StopPoll poll(stop);
  sim::forEachIndex(judged.size(), std::min(threads, kJudgementsAtOnce), [&](std::size_t n) {
    const sim::PropertyIndex k = judged[n];
    try {
      judgements[n] = checked.propertyAt(k) == PropertyId::RootCanUndo
                          ? judgeRootCanUndo(checked, graph, complete, k, allCauses, threads, poll)
                          : judgeTraps(checked, graph, complete, k, allCauses, poll);
    } catch (const StopPoll::Stopped&) {
      judgements[n] = ProgressJudgement{};
      judgements[n].stopped = true;
    }
  });
  std::vector<std::size_t> order(judged.size());
  for (std::size_t n = 0; n < order.size(); ++n) order[n] = n;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return judged[a] < judged[b]; });
  for (const std::size_t n : order) {
    const sim::PropertyIndex k = judged[n];
    ProgressJudgement& judgement = judgements[n];
    result.verdicts[k] = judgement.verdict;
    if (!result.causeCounts.empty()) result.causeCounts[k] = judgement.causeCount;
    for (auto& cx : judgement.counterexamples) result.counterexamples.push_back(std::move(cx));
  }
  std::stable_sort(result.counterexamples.begin(), result.counterexamples.end(),
                   [](const auto& a, const auto& b) { return a.property < b.property; });
  return std::none_of(judgements.begin(), judgements.end(),
                      [](const ProgressJudgement& j) { return j.stopped; });
}

}  // namespace properties
