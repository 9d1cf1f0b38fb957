// Progress properties ("something good stays reachable"), judged on the
// explored state graph with Boost.Graph: reverse reachability from the good
// states finds the states from which nothing good can ever happen, and the
// shallowest of them gives the shortest path into the trap.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

#include "checker/Checker.hpp"

namespace properties {

/// Whether any selected property needs the explored graph.
bool needsGraph(const CheckedModel& checked);

/// For each selected progress property: sets its verdict and, if some
/// reachable state can never reach a good state, adds (in property order)
/// the shortest path to such a state as a counterexample; with allCauses,
/// the shortest path to a trap of each cause (trapCause), shortest first.
/// Sets the property's count of causes where result counts them.  result
/// must carry the explored graph (sim::Options::recordGraph).  `threads`:
/// how many properties are judged at once (at most kJudgementsAtOnce), and
/// how many of the searches that confirm root-can-undo's candidates on a
/// bounded graph run at once;
/// the outcome is the same for any number.  `stop` (optional): once it
/// reads true, the judgements still running end at their next state or
/// edge, and their properties are left UNKNOWN, without counterexamples;
/// returns whether every property was judged to its end.
bool judgeProgress(const CheckedModel& checked, sim::Result<CheckedModel>& result, bool allCauses = false,
                   unsigned threads = 1, const std::atomic<bool>* stop = nullptr);

/// The most properties judgeProgress judges at once, whatever `threads`:
/// the search reserves memory for that many (JudgementReserve), and a
/// reserve that grew with the threads would make a memory cap stop the
/// search at another state for another number of threads.
inline constexpr unsigned kJudgementsAtOnce = 2;

/// The most judgeProgress(checked, …) allocates on a graph of `states`
/// states and `edges` edges, beyond the graph itself: what the
/// kJudgementsAtOnce judgements that keep the most per state keep (none
/// keeps anything per edge: they pass over the search's own edges), and
/// the renaming self-loops the search keeps for them.  The
/// search's memory accounting reserves it (sim::Options::graphAnalysisBytes),
/// so that a memory cap bounds the whole check.  Not counted, as they do not
/// grow with the graph: the causes, at most kMaxCounterexamplesPerProperty
/// counterexamples per property, and root-can-undo's confirming searches
/// (at most 20 000 states each, one per thread).  Cheap to call (the search
/// asks at every new state): what depends only on `checked` is worked out
/// once.
class JudgementReserve {
 public:
  explicit JudgementReserve(const CheckedModel& checked);
  std::uint64_t operator()(std::uint64_t states, std::uint64_t edges) const;

 private:
  enum class Job { OwnerPairs, UndoReach, EachOwner, Traps };  // how a property is judged
  const CheckedModel* checked_;
  std::uint64_t renamings_;
  std::uint64_t owners_ = 0;  // the most owners a judgement follows, root included
  std::vector<Job> jobs_;
};

/// The cause of a trap (Causes.hpp): the shapes of the processes it is
/// stuck on: for stopped-debuggee-can-resume, who traces each process
/// stopped for its tracer; for vfork-parent-wakes, who traces the child a
/// parent sleeps for and whether it is stopped; for
/// owner-can-leave-trace-state, the kinds of trace state the owner cannot
/// leave; each with the process's P2_NOTRACE, P2_NOTRACE_EXEC and ktrace.
std::uint64_t trapCause(PropertyId id, const model::State& trap);
/// A trap cause in words.
std::string describeTrapCause(PropertyId id, std::uint64_t cause);

/// The breadth-first tree path from the initial state to the first state
/// (in discovery order, so a shallowest one) that `pick` accepts, as a
/// counterexample with an empty message; nullopt if none is accepted.
std::optional<sim::Counterexample<model::Action, model::State>> shortestPathTo(
    const sim::ExploredGraph<model::Action, model::State>& graph,
    const std::vector<sim::StateIndex>& candidates, const std::function<bool(const model::State&)>& pick);

/// The states from which the property's good states cannot be reached by
/// steps in which no process dies.  The graph is the one search of
/// `checked` (its canonicalisation may rename users along edges, which the
/// search's actions and absorbed expansions record).
std::vector<sim::StateIndex> stuckStates(const sim::ExploredGraph<model::Action, model::State>& graph,
                                         PropertyId id, const CheckedModel& checked);

/// Whether `state` is a trap for the progress property: it is not good and
/// no good state is reachable from it by steps in which no process dies.
/// Explores every continuation of `state` (what `ksim replay` uses to
/// reproduce a progress counterexample); `explored` receives their number.
/// For owner-can-leave-trace-state and root-can-undo the search of an
/// owner's continuations ends at the first that meets the owner's goal:
/// the owner is then not stuck, and the answer is false.
/// The search stops after maxStates states: then the answer is nullopt
/// (undecided), never a guess.  root-can-undo judges the step that led to
/// `state` (the state before it and its action): without them, false.
std::optional<bool> isTrap(const model::Kernel& kernel, const model::State& state, PropertyId id,
                           std::uint64_t maxStates, std::uint64_t* explored = nullptr,
                           const model::State* before = nullptr, const model::Action* last = nullptr);

/// Why a state is a trap for a progress property, naming processes.
std::string progressMessage(PropertyId id, const model::State& s, const Namer& name);

}  // namespace properties
