#include "checker/Progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "checker/Causes.hpp"
#include "ksim/flags.h"
#include "model/Signals.hpp"
#include "model/State.hpp"
#include "sim/Check.hpp"
#include "sim/Graph.hpp"

namespace properties {

namespace {

using model::State;

// A good state for each progress property.  A panic is no way out: it is
// reported by kernel-assertion, and runs nothing more.
bool ownerClear(const State& s, std::uint16_t uid);

bool good(PropertyId id, const State& s) {
  if (s.panicked) return false;
  if (id == PropertyId::OwnerCanLeaveTraceState) {
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
      if (s.world.proc[i].ruid != 0 && !ownerClear(s, s.world.proc[i].ruid)) return false;
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
// and no debugger can cancel that.  SIGKILL may stop a traced process for
// its debugger, but no resume cancels it; the other fatal signals do not
// stop a process that is untraced, whose
// debugger passed the signal on (PT_CONTINUE with it), or that is a
// vforked child which asked its sleeping parent to trace it (P_PPTRACE:
// issignal() of 2014 skips ptracestop() for it, kernel/PROVENANCE.md
// section 12).  The process has nothing to do but take the signal.
bool deathDecided(const ksim_proc_rec& p) {
  if ((p.sigpend & KSIM_SIGBIT_KILL) != 0) return true;
  constexpr std::uint8_t kFatal = model::terminatingSignalBits();
  bool stopsForDebugger =
      (p.flag & KSIM_P_TRACED) != 0 && (p.flag & KSIM_P_PPTRACE) == 0 && (p.sigflags & KSIM_SIGF_NOSTOP) == 0;
  return (p.sigpend & kFatal) != 0 && !stopsForDebugger;
}

// A process the model will never run again, so that nothing it could do
// counts: its death is decided; or it is stopped by a signal, or about to
// be (a SIGSTOP pending, untraced), and no SIGCONT is explored (the
// default; with kill-signals a SIGCONT could set it running, and then this
// judgement may miss a trap through such a process, never invent one).
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

// The unprivileged users that own a process somewhere in the graph.
std::vector<std::uint16_t> owners(const sim::ExploredGraph<model::Action, State>& graph) {
  std::vector<std::uint16_t> uids;
  for (sim::StateIndex k = 0; k < graph.stateCount(); ++k) {
    const State s = graph.state(k);
    for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i)
      if (s.world.proc[i].state == KSIM_PRS_NORMAL && s.world.proc[i].ruid != 0)
        uids.push_back(s.world.proc[i].ruid);
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
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
                      const std::function<bool(const State&)>& goal, std::optional<std::uint16_t> owner) {
  static_assert(KSIM_NSLOTS <= 8, "slotsOfOwner holds one bit per slot");
  const std::size_t n = graph.stateCount();
  StateFacts facts;
  facts.alive.resize(n);
  facts.inPlay.resize(n);
  if (owner) facts.slotsOfOwner.resize(n);
  facts.goal.resize(n);
  facts.excused.resize(n);
  for (sim::StateIndex k = 0; k < n; ++k) {
    const State s = graph.state(k);
    facts.alive[k] = static_cast<std::uint8_t>(aliveCount(s));
    facts.inPlay[k] = static_cast<std::uint8_t>(inPlayCount(s));
    if (owner) {
      std::uint8_t mask = 0;
      for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
        if (s.world.proc[i].ruid == *owner) mask = static_cast<std::uint8_t>(mask | (1u << i));
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

std::vector<sim::StateIndex> ownerStuckStates(const sim::ExploredGraph<model::Action, State>& graph,
                                              std::uint16_t uid) {
  const StateFacts facts = stateFacts(
      graph, [&](const State& s) { return ownerClear(s, uid); }, uid);
  // Only the owner's processes act (a setuid image run by the owner is
  // still the owner's), and nobody dies or is doomed (ownerStepCounts).
  auto stuck = sim::statesThatCannotReachAlong(graph, facts.goal, [&](const sim::Edge<model::Action>& e) {
    return (facts.slotsOfOwner[e.source] >> e.action.actor & 1u) != 0 &&
           ownerStepCounts(facts.alive[e.source], facts.inPlay[e.source], facts.alive[e.target],
                           facts.inPlay[e.target]);
  });
  std::erase_if(stuck,
                [&](sim::StateIndex i) { return facts.excused[i] || ownerExcused(graph.state(i), uid); });
  return stuck;
}

namespace {

// ownerStuckStates when the search renames interchangeable users
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
std::vector<sim::StateIndex> ownerStuckStatesRenamed(const sim::ExploredGraph<model::Action, State>& graph,
                                                     const CheckedModel& checked) {
  const model::Kernel& kernel = checked.kernel();
  std::vector<std::uint16_t> uids = owners(graph);
  for (const model::User& u : kernel.config().interchangeableUsers()) uids.push_back(u.uid);
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  const std::uint64_t m = uids.size();
  const std::size_t n = graph.stateCount();
  auto ownerAt = [&](std::uint16_t uid) {
    auto at = std::lower_bound(uids.begin(), uids.end(), uid);
    KSIM_VERIFY(at != uids.end() && *at == uid, "an owner missing from the owner list");
    return static_cast<std::uint64_t>(at - uids.begin());
  };
  std::vector<std::uint8_t> alive(n), inPlay(n);
  // excused[k * m + j]: state k is never reported stuck for owner j, for
  // the reasons ownerStuckStates gives.
  std::vector<bool> reaches(n * m, false), excused(n * m);
  std::vector<std::uint64_t> queue;
  std::vector<sim::StateIndex> expandedStates;  // the k-th expansion's state
  for (sim::StateIndex k = 0; k < n; ++k) {
    const State s = graph.state(k);
    alive[k] = static_cast<std::uint8_t>(aliveCount(s));
    inPlay[k] = static_cast<std::uint8_t>(inPlayCount(s));
    const bool excusedForAll = s.panicked != 0 || tracerOutOfPlay(s) || vforkChildDies(s);
    for (std::uint64_t j = 0; j < m; ++j) excused[k * m + j] = excusedForAll || ownerExcused(s, uids[j]);
    if (graph.expanded(k)) expandedStates.push_back(k);
    const bool unknownSuccessors = !graph.expanded(k) && !graph.terminal(k);
    for (std::uint64_t j = 0; j < m; ++j)
      if (unknownSuccessors || ownerClear(s, uids[j])) {
        reaches[k * m + j] = true;
        queue.push_back(k * m + j);
      }
  }
  // A search stopped in the middle of an expansion absorbed it, yet left
  // its state unexpanded; anything else means the model explored another
  // graph too.
  KSIM_VERIFY(checked.expansionsAbsorbed() == expandedStates.size() ||
                  checked.expansionsAbsorbed() == expandedStates.size() + 1,
              "the checked model's expansions are not this graph's");
  // Reversed edges of the pair graph: (target pair, source pair).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reversed;
  for (const CheckedModel::RenamingSelfLoop& loop : checked.renamingSelfLoops()) {
    if (loop.expansion >= expandedStates.size()) continue;  // the unfinished expansion
    const sim::StateIndex k = expandedStates[loop.expansion];
    KSIM_VERIFY(model::hashState(graph.state(k)) == loop.stateHash,
                "a renaming self-loop reported for another state");
    reversed.emplace_back(k * m + ownerAt(loop.renamedUid), k * m + ownerAt(loop.actorUid));
  }
  State source;
  std::optional<sim::StateIndex> sourceIndex;
  graph.forEachEdge([&](const sim::Edge<model::Action>& e) {
    if (sourceIndex != e.source) {
      source = graph.state(e.source);
      sourceIndex = e.source;
    }
    const std::uint16_t owner = source.proc(e.action.actor).ruid;
    if (owner == 0 || !ownerStepCounts(alive[e.source], inPlay[e.source], alive[e.target], inPlay[e.target]))
      return;
    const std::uint16_t renamed = kernel.userRenamings().at(e.action.userRenaming).uid(owner);
    reversed.emplace_back(e.target * m + ownerAt(renamed), e.source * m + ownerAt(owner));
  });
  std::sort(reversed.begin(), reversed.end());
  for (std::size_t head = 0; head < queue.size(); ++head) {
    auto from =
        std::lower_bound(reversed.begin(), reversed.end(), std::make_pair(queue[head], std::uint64_t{0}));
    for (; from != reversed.end() && from->first == queue[head]; ++from)
      if (!reaches[from->second]) {
        reaches[from->second] = true;
        queue.push_back(from->second);
      }
  }
  std::vector<sim::StateIndex> stuck;
  for (sim::StateIndex k = 0; k < n; ++k) {
    for (std::uint64_t j = 0; j < m; ++j)
      if (!reaches[k * m + j] && !excused[k * m + j]) {
        stuck.push_back(k);
        break;
      }
  }
  return stuck;
}

}  // namespace

std::vector<sim::StateIndex> stuckStates(const sim::ExploredGraph<model::Action, State>& graph, PropertyId id,
                                         const CheckedModel& checked) {
  if (id == PropertyId::OwnerCanLeaveTraceState) {
    if (checked.kernel().userRenamings().size() > 1) return ownerStuckStatesRenamed(graph, checked);
    std::vector<sim::StateIndex> all;
    for (std::uint16_t uid : owners(graph)) {
      auto stuck = ownerStuckStates(graph, uid);
      all.insert(all.end(), stuck.begin(), stuck.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }
  const StateFacts facts = stateFacts(
      graph, [&](const State& s) { return good(id, s); }, std::nullopt);
  // A debuggee is resumed by its debugger, not set free by somebody's death
  // (a debugger's exit kills its debuggees): only steps in which no process
  // dies may lead to the good state.
  auto stuck = sim::statesThatCannotReachAlong(graph, facts.goal, [&](const sim::Edge<model::Action>& e) {
    return facts.alive[e.target] >= facts.alive[e.source];
  });
  // Panicked states are terminal (kernel-assertion reports them); the
  // other excused states wait for what the design cannot change.
  std::erase_if(stuck, [&](sim::StateIndex i) { return facts.excused[i]; });
  return stuck;
}

std::string progressMessage(PropertyId id, const State& s, const Namer& name) {
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

// The cause each stuck state is counted under.  A trap stuck on one kind
// of process is that kind's.  A trap stuck on several is a cause of its
// own only if one of its kinds is never a trap alone: two debuggees each
// stuck for its own reason are two known defects at once, not a third
// (such a state, when it is the shallowest trap, is shown under its first
// kind).
std::vector<std::uint64_t> attributeTraps(PropertyId id, const sim::ExploredGraph<model::Action, State>& graph,
                                          const std::vector<sim::StateIndex>& stuck) {
  std::vector<std::uint64_t> causes;
  causes.reserve(stuck.size());
  std::set<std::uint64_t> alone;
  for (const sim::StateIndex i : stuck) {
    causes.push_back(trapCause(id, graph.state(i)));
    if ((causes.back() >> 56 & 0x7) == 1) alone.insert(causes.back());
  }
  for (std::uint64_t& cause : causes) {
    const std::size_t n = cause >> 56 & 0x7;
    if (n <= 1) continue;
    bool known = true;
    for (std::size_t k = 0; k < n; ++k)
      known = known && alone.contains(singleShapeCause(static_cast<std::uint8_t>(cause >> (8 * k))));
    if (known) cause = singleShapeCause(static_cast<std::uint8_t>(cause));
  }
  return causes;
}

}  // namespace

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
// With an owner set, only that owner's processes act, and only steps that
// ownerStepCounts allows are taken: only those can count for
// owner-can-leave-trace-state.
class FromState {
 public:
  using State = model::State;
  using Action = model::Action;
  FromState(const CheckedModel& checked, const State& start, std::optional<std::uint16_t> owner)
      : checked_(checked), start_(start), owner_(owner) {}
  State initial() const { return checked_.kernel().canonicalize(start_); }
  std::uint64_t hash(const State& s) const { return checked_.hash(s); }
  void expand(const State& s, sim::Emitter<Action, State>& emit) const {
    if (!owner_) {
      checked_.expand(s, emit);
      return;
    }
    auto keep = [&](Action&& a, State&& next, std::vector<sim::Finding>&& findings, bool terminal) {
      if (s.world.proc[a.actor].ruid == *owner_ &&
          ownerStepCounts(aliveCount(s), inPlayCount(s), aliveCount(next), inPlayCount(next)))
        emit(std::move(a), std::move(next), std::move(findings), terminal);
    };
    sim::Emitter<Action, State> filtered(keep);
    checked_.expand(s, filtered);
  }
  void stateFindings(const State&, std::vector<sim::Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(sim::PropertyIndex) const { return {}; }

 private:
  const CheckedModel& checked_;
  State start_;
  std::optional<std::uint16_t> owner_;
};

}  // namespace

std::optional<bool> isTrap(const model::Kernel& kernel, const State& state, PropertyId id,
                           std::uint64_t maxStates, std::uint64_t* explored) {
  if (state.panicked || good(id, state)) return false;
  if (explored != nullptr) *explored = 0;
  if (id != PropertyId::OwnerCanLeaveTraceState) {
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
  // processes' steps alone, as ownerStuckStates judges it on the whole
  // graph: the other users' steps never count, so they are not taken (in
  // a world of three users they are most of the continuations).  Users
  // are not renamed: the owner is followed by name.
  model::Config config = kernel.config();
  config.reduction = false;
  const model::Kernel unrenamed(kernel.variant(), config);
  CheckedModel checked(unrenamed, {});
  std::vector<std::uint16_t> uids;
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
    const std::uint16_t uid = state.world.proc[i].ruid;
    if (uid != 0 && !ownedTraceState(state, i, uid, Namer{}).empty()) uids.push_back(uid);
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  bool undecided = false;
  for (std::uint16_t uid : uids) {
    FromState model(checked, state, uid);
    sim::Options options;
    options.recordGraph = true;
    options.bounds.maxStates = maxStates;
    auto result = sim::explore(model, options);
    if (explored != nullptr) *explored = std::max(*explored, result.stats.states);
    if (result.completion != sim::Completion::Complete) {
      undecided = true;
      continue;
    }
    auto stuck = ownerStuckStates(*result.graph, uid);
    if (!stuck.empty() && stuck.front() == 0) return true;
  }
  if (undecided) return std::nullopt;
  return false;
}

void judgeProgress(const CheckedModel& checked, sim::Result<CheckedModel>& result, bool allCauses) {
  KSIM_VERIFY(result.graph.has_value(), "judgeProgress needs the explored graph");
  const auto& graph = *result.graph;
  for (sim::PropertyIndex k = 0; k < checked.propertyCount(); ++k) {
    PropertyId id = checked.propertyAt(k);
    if (propertyInfo(id).judgedOn() != JudgedOn::Graph) continue;
    // States are numbered in breadth-first order: the first is a shallowest, and so is the
    // first of each cause.
    const auto stuck = stuckStates(graph, id, checked);
    const std::vector<std::uint64_t> causeOf = attributeTraps(id, graph, stuck);
    std::set<std::uint64_t> causes;
    std::vector<std::pair<sim::StateIndex, std::uint64_t>> firstOfCause;
    for (std::size_t n = 0; n < stuck.size(); ++n)
      if (causes.insert(causeOf[n]).second) firstOfCause.emplace_back(stuck[n], causeOf[n]);
    if (!result.causeCounts.empty()) result.causeCounts[k] = causes.size();
    if (firstOfCause.empty()) {
      result.verdicts[k] =
          result.completion == sim::Completion::Complete ? sim::Verdict::Holds : sim::Verdict::Unknown;
      continue;
    }
    if (!allCauses || firstOfCause.size() > sim::kMaxCounterexamplesPerProperty)
      firstOfCause.resize(allCauses ? sim::kMaxCounterexamplesPerProperty : 1);
    for (const auto& [i, cause] : firstOfCause) {
      auto cx = shortestPathTo(graph, {i}, [](const State&) { return true; });
      cx->property = k;
      cx->message = progressMessage(id, cx->states.back(), Namer{});
      cx->cause = cause;
      result.counterexamples.push_back(std::move(*cx));
    }
    result.verdicts[k] = sim::Verdict::Violated;
  }
  std::stable_sort(result.counterexamples.begin(), result.counterexamples.end(),
                   [](const auto& a, const auto& b) { return a.property < b.property; });
}

}  // namespace properties
