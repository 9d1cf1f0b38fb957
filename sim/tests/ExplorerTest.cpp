// Behaviour of sim::explore on the hand-made ToyModel (exact expectations) and tiny ad-hoc models.

#include "ToyModel.hpp"

#include "sim/Explorer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sim::test {
namespace {

using Cx = Counterexample<ToyAction, ToyState>;

std::vector<int> ids(const std::vector<ToyState>& states) {
  std::vector<int> out;
  for (const auto& s : states) out.push_back(s.id);
  return out;
}

/// The graph's states, depths and flags as vectors.
template <class G>
std::vector<int> stateIds(const G& g) {
  std::vector<int> out;
  for (StateIndex i = 0; i < g.stateCount(); ++i) out.push_back(g.state(i).id);
  return out;
}
template <class G, class F>
auto perState(const G& g, F f) {
  std::vector<decltype(f(g, StateIndex{0}))> out;
  for (StateIndex i = 0; i < g.stateCount(); ++i) out.push_back(f(g, i));
  return out;
}

Result<ToyModel> exploreToy(ToyConfig config = {}, Options options = {}) {
  return explore(ToyModel(config), options);
}

/// A chain 0 -> 1 -> ... -> length-1; the last state has no successor (a deadlock).
class ChainModel {
 public:
  using State = std::uint32_t;
  using Action = std::uint32_t;
  explicit ChainModel(std::uint32_t length) : length_(length) {}
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return s; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (s + 1 < length_) emit(s, s + 1);
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return {}; }

 private:
  std::uint32_t length_;
};

/// Reports a Finding for a property it does not have.
struct OutOfRangePropertyModel {
  using State = int;
  using Action = int;
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return static_cast<std::uint64_t>(s); }
  void expand(const State&, Emitter<Action, State>&) const {}
  void stateFindings(const State&, std::vector<Finding>& out) const { out.push_back(Finding{7, "bad"}); }
  std::size_t propertyCount() const { return 1; }
  std::string propertyName(PropertyIndex) const { return "p"; }
};

/// Emits state 1 once as terminal and once as non-terminal.
struct InconsistentTerminalModel {
  using State = int;
  using Action = int;
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return static_cast<std::uint64_t>(s); }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    if (s == 0) {
      emit(0, 1, {}, true);
      emit(1, 1, {}, false);
    }
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return {}; }
};

struct MissingHashModel {
  using State = int;
  using Action = int;
  State initial() const { return 0; }
  void expand(const State&, Emitter<Action, State>&) const {}
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return {}; }
};

// A model with a template expand(State, Emit&) is accepted as well as one taking sim::Emitter.
struct TemplateExpandModel {
  using State = int;
  using Action = int;
  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return static_cast<std::uint64_t>(s); }
  template <class Emit>
  void expand(const State& s, Emit& emit) const {
    if (s < 3) emit(s, s + 1);
  }
  void stateFindings(const State&, std::vector<Finding>&) const {}
  std::size_t propertyCount() const { return 0; }
  std::string propertyName(PropertyIndex) const { return {}; }
};

// Emitter::unchanged reaches a handler that takes the Unchanged tag as such, with the action,
// findings and terminal flag it was given, and any other handler as the expanded state itself.
TEST(ExplorerTest, UnchangedReachesATaggedHandlerAsTheTagAndAnyOtherAsTheState) {
  struct Seen {
    bool tagged = false;
    ToyAction action = 0;
    ToyState next{};
    std::vector<Finding> findings;
    bool terminal = false;
  };
  const ToyState expanded{5};
  const std::vector<Finding> findings{Finding{ToyModel::kNoPanic, "x", 7}};

  Seen plain;
  auto plainHandler = [&](ToyAction&& a, ToyState&& next, std::vector<Finding>&& f, bool terminal) {
    plain = Seen{false, a, next, f, terminal};
  };
  Emitter<ToyAction, ToyState> plainEmit(plainHandler);
  plainEmit.unchanged('i', expanded, findings, true);
  EXPECT_FALSE(plain.tagged);
  EXPECT_EQ(plain.action, 'i');
  EXPECT_EQ(plain.next, expanded);
  EXPECT_EQ(plain.findings, findings);
  EXPECT_TRUE(plain.terminal);

  Seen tagged;
  Overloaded taggedHandler{[&](ToyAction&& a, ToyState&& next, std::vector<Finding>&& f, bool terminal) {
                             tagged = Seen{false, a, next, f, terminal};
                           },
                           [&](Unchanged, ToyAction&& a, std::vector<Finding>&& f, bool terminal) {
                             tagged = Seen{true, a, ToyState{-1}, f, terminal};
                           }};
  Emitter<ToyAction, ToyState> taggedEmit(taggedHandler);
  taggedEmit.unchanged('i', expanded, findings, false);
  EXPECT_TRUE(tagged.tagged);
  EXPECT_EQ(tagged.action, 'i');
  EXPECT_EQ(tagged.findings, findings);
  EXPECT_FALSE(tagged.terminal);
  taggedEmit('a', ToyState{1});
  EXPECT_FALSE(tagged.tagged);
  EXPECT_EQ(tagged.next, ToyState{1});
}

// The concept accepts well-formed models and rejects non-models and models missing a member.
TEST(ExplorerTest, ConceptAcceptsModelsAndRejectsIncompleteOnes) {
  static_assert(ExplorableModel<ToyModel>);
  static_assert(ExplorableModel<ChainModel>);
  static_assert(ExplorableModel<TemplateExpandModel>);
  static_assert(!ExplorableModel<int>);
  static_assert(!ExplorableModel<MissingHashModel>);
  EXPECT_EQ(explore(TemplateExpandModel{}).stats.states, 4u);
}

// Exploring the whole toy graph visits exactly its six reachable states and eight transitions.
TEST(ExplorerTest, CompleteRunHasExactStatsForToyGraph) {
  const auto result = exploreToy();
  EXPECT_EQ(result.completion, Completion::Complete);
  EXPECT_EQ(result.stats.states, 6u);
  EXPECT_EQ(result.stats.transitions, 8u);
  EXPECT_EQ(result.stats.maxDepth, 3u);
  EXPECT_EQ(result.stats.terminalStates, 1u);
  EXPECT_EQ(result.stats.deadlockStates, 0u);
}

// S3 is reachable by a-c and by b-d; BFS reports the first shortest path, a-c.
TEST(ExplorerTest, ShortestCounterexampleForStateProperty) {
  const auto result = exploreToy();
  const Cx* cx = result.counterexampleFor(ToyModel::kS3Unreachable);
  ASSERT_NE(cx, nullptr);
  EXPECT_EQ(cx->actions, (std::vector<ToyAction>{'a', 'c'}));
  EXPECT_EQ(ids(cx->states), (std::vector<int>{0, 1, 3}));
  EXPECT_FALSE(cx->viaTransition);
  EXPECT_EQ(cx->message, "reached S3");
}

// The panicking transition f leaves S3 (depth 2), so the shortest witness is a-c-f, ending in S4.
TEST(ExplorerTest, ShortestCounterexampleForTransitionProperty) {
  const auto result = exploreToy();
  const Cx* cx = result.counterexampleFor(ToyModel::kNoPanic);
  ASSERT_NE(cx, nullptr);
  EXPECT_EQ(cx->actions, (std::vector<ToyAction>{'a', 'c', 'f'}));
  EXPECT_EQ(ids(cx->states), (std::vector<int>{0, 1, 3, 4}));
  EXPECT_TRUE(cx->viaTransition);
  EXPECT_EQ(cx->message, "panic: f");
}

// A complete run gives Violated for found properties and Holds for the others, with
// counterexamples sorted by property index.
TEST(ExplorerTest, CompleteRunVerdictsAreViolatedOrHolds) {
  const auto result = exploreToy();
  EXPECT_EQ(result.verdicts,
            (std::vector<Verdict>{Verdict::Violated, Verdict::Violated, Verdict::Holds, Verdict::Holds}));
  ASSERT_EQ(result.counterexamples.size(), 2u);
  EXPECT_EQ(result.counterexamples[0].property, ToyModel::kS3Unreachable);
  EXPECT_EQ(result.counterexamples[1].property, ToyModel::kNoPanic);
}

// S4 is terminal: its successor S6 is never generated, so "S6 unreachable" holds.
TEST(ExplorerTest, TerminalStatesAreNotExpanded) {
  const auto result = exploreToy({}, Options{.recordGraph = true});
  EXPECT_EQ(result.verdicts[ToyModel::kS6Unreachable], Verdict::Holds);
  ASSERT_TRUE(result.graph.has_value());
  for (const int id : stateIds(*result.graph)) EXPECT_NE(id, 6);
  for (const auto& e : result.graph->edges()) EXPECT_NE(e.action, 'g');
}

// A finding on the initial state is reported with an empty action list and the initial state alone.
TEST(ExplorerTest, FindingOnInitialStateGivesEmptyCounterexample) {
  const auto result = exploreToy(ToyConfig{.initialViolates = true});
  EXPECT_EQ(result.verdicts[ToyModel::kInitialSane], Verdict::Violated);
  const Cx* cx = result.counterexampleFor(ToyModel::kInitialSane);
  ASSERT_NE(cx, nullptr);
  EXPECT_TRUE(cx->actions.empty());
  EXPECT_EQ(ids(cx->states), (std::vector<int>{0}));
  EXPECT_FALSE(cx->viaTransition);
}

// maxDepth 2 leaves non-terminal S3 and S5 unexpanded: DepthBound, and nothing unviolated Holds.
TEST(ExplorerTest, DepthBoundGivesUnknownNeverHolds) {
  const auto result = exploreToy({}, Options{.bounds = {.maxDepth = 2}});
  EXPECT_EQ(result.completion, Completion::DepthBound);
  EXPECT_EQ(result.stats.states, 5u);
  EXPECT_EQ(result.stats.transitions, 5u);
  EXPECT_EQ(result.stats.maxDepth, 2u);
  EXPECT_EQ(result.verdicts,
            (std::vector<Verdict>{Verdict::Violated, Verdict::Unknown, Verdict::Unknown, Verdict::Unknown}));
}

// Stopping at the first violation of "no panic" (a c f): S3 was stored while expanding S1, the
// violation is found while expanding S3, and nothing after it is explored; other verdicts are
// Unknown except the one already violated.
TEST(ExplorerTest, StopAtViolationEndsTheSearchAtTheFirstShortestCounterexample) {
  Options options;
  options.stopAtViolationOf = {false, true, false, false};
  const auto result = exploreToy({}, options);
  EXPECT_EQ(result.completion, Completion::StoppedAtViolation);
  EXPECT_EQ(result.verdicts,
            (std::vector<Verdict>{Verdict::Violated, Verdict::Violated, Verdict::Unknown, Verdict::Unknown}));
  const Cx* cx = result.counterexampleFor(ToyModel::kNoPanic);
  ASSERT_NE(cx, nullptr);
  EXPECT_EQ(cx->actions, (std::vector<ToyAction>{'a', 'c', 'f'}));
  EXPECT_LT(result.stats.states, exploreToy().stats.states);
}

// A property that is never violated never stops the search.
TEST(ExplorerTest, StopAtViolationOfAHoldingPropertyRunsToTheEnd) {
  Options options;
  options.stopAtViolationOf = {false, false, true, false};
  const auto result = exploreToy({}, options);
  EXPECT_EQ(result.completion, Completion::Complete);
  EXPECT_EQ(result.stats, exploreToy().stats);
}

// maxDepth 3: the only depth-3 state is the terminal S4, so nothing was cut off: Complete.
TEST(ExplorerTest, DepthBoundWhoseLastLevelIsTerminalIsComplete) {
  const auto result = exploreToy({}, Options{.bounds = {.maxDepth = 3}});
  EXPECT_EQ(result.completion, Completion::Complete);
  EXPECT_EQ(result.stats, exploreToy().stats);
  EXPECT_EQ(result.verdicts[ToyModel::kS6Unreachable], Verdict::Holds);
}

// maxStates 3: storing S3 (the 4th state, via c) would exceed the bound, so the search stops there.
TEST(ExplorerTest, StateBoundGivesUnknownNeverHolds) {
  const auto result = exploreToy({}, Options{.bounds = {.maxStates = 3}});
  EXPECT_EQ(result.completion, Completion::StateBound);
  EXPECT_EQ(result.stats.states, 3u);
  EXPECT_EQ(result.stats.transitions, 3u);  // a, b, and c which hit the bound
  EXPECT_EQ(result.verdicts, (std::vector<Verdict>(4, Verdict::Unknown)));
  EXPECT_TRUE(result.counterexamples.empty());
}

// completeDepth: every path of up to that many steps was taken. The depth of the state being
// expanded when the search stopped (S1 and S2 at depth 1, S3 and S5 at 2), the bound for a depth
// bound, and the deepest state for a complete search.
TEST(ExplorerTest, CompleteDepthIsTheLevelTheSearchStoppedIn) {
  EXPECT_EQ(exploreToy().stats.completeDepth, 3u);
  EXPECT_EQ(exploreToy({}, Options{.bounds = {.maxDepth = 2}}).stats.completeDepth, 2u);
  EXPECT_EQ(exploreToy({}, Options{.bounds = {.maxDepth = 1}}).stats.completeDepth, 1u);
  // Stopped at the initial state (S1 would be the second state): no step taken.
  EXPECT_EQ(exploreToy({}, Options{.bounds = {.maxStates = 1}}).stats.completeDepth, 0u);
  // Storing S3 from S1, then S5 from S2: both while expanding depth 1.
  EXPECT_EQ(exploreToy({}, Options{.bounds = {.maxStates = 3}}).stats.completeDepth, 1u);
  EXPECT_EQ(exploreToy({}, Options{.bounds = {.maxStates = 4}}).stats.completeDepth, 1u);
  // Storing S4 from S3, at depth 2: every path of two steps was taken, not yet S3's f.
  const auto five = exploreToy({}, Options{.bounds = {.maxStates = 5}});
  EXPECT_EQ(five.completion, Completion::StateBound);
  EXPECT_EQ(five.stats.maxDepth, 2u);
  EXPECT_EQ(five.stats.completeDepth, 2u);
  // The first violation of "no panic" is f, taken from S3.
  Options stop;
  stop.stopAtViolationOf = {false, true, false, false};
  EXPECT_EQ(exploreToy({}, stop).stats.completeDepth, 2u);
}

// A state bound equal to the number of reachable states is never exceeded: Complete.
TEST(ExplorerTest, StateBoundEqualToReachableCountIsComplete) {
  const auto result = exploreToy({}, Options{.bounds = {.maxStates = 6}});
  EXPECT_EQ(result.completion, Completion::Complete);
  EXPECT_EQ(result, exploreToy());
}

// maxStates 1 keeps only the initial state (and still checks it).
TEST(ExplorerTest, StateBoundOfOneStillChecksInitialState) {
  const auto result = exploreToy(ToyConfig{.initialViolates = true}, Options{.bounds = {.maxStates = 1}});
  EXPECT_EQ(result.completion, Completion::StateBound);
  EXPECT_EQ(result.stats.states, 1u);
  EXPECT_EQ(result.verdicts[ToyModel::kInitialSane], Verdict::Violated);
  EXPECT_EQ(result.verdicts[ToyModel::kS3Unreachable], Verdict::Unknown);
}

// Two runs of the same model and options give identical results, graph included.
TEST(ExplorerTest, RunsAreDeterministic) {
  const Options options{.recordGraph = true};
  EXPECT_EQ(exploreToy({}, options), exploreToy({}, options));
  EXPECT_EQ(exploreToy(ToyConfig{.initialViolates = true}), exploreToy(ToyConfig{.initialViolates = true}));
}

// When every state hashes alike, states are still told apart by operator== (the plain store
// keys its set by the model's hash; the compressed store hashes the state's bytes itself).
TEST(ExplorerTest, HashCollisionsAreResolvedByEquality) {
  for (const StateStorage storage : {StateStorage::Plain, StateStorage::Compressed}) {
    const Options options{.recordGraph = true, .stateStorage = storage};
    EXPECT_EQ(exploreToy(ToyConfig{.collidingHash = true}, options), exploreToy({}, options));
  }
}

// The recorded graph lists every transition between distinct states in exploration order (the
// self-loop i on S5 is not recorded), with BFS depths, flags and the breadth-first tree.
TEST(ExplorerTest, RecordedGraphHasExactEdgesAndDepths) {
  for (const StateStorage storage : {StateStorage::Plain, StateStorage::Compressed}) {
    const auto result = exploreToy({}, Options{.recordGraph = true, .stateStorage = storage});
    ASSERT_TRUE(result.graph.has_value());
    const auto& g = *result.graph;
    EXPECT_EQ(stateIds(g), (std::vector<int>{0, 1, 2, 3, 5, 4}));
    EXPECT_EQ(perState(g, [](const auto& h, StateIndex i) { return h.depth(i); }),
              (std::vector<std::uint64_t>{0, 1, 1, 2, 2, 3}));
    EXPECT_EQ(perState(g, [](const auto& h, StateIndex i) { return h.terminal(i); }),
              (std::vector<bool>{false, false, false, false, false, true}));
    EXPECT_EQ(perState(g, [](const auto& h, StateIndex i) { return h.expanded(i); }),
              (std::vector<bool>{true, true, true, true, true, false}));
    EXPECT_EQ(perState(g, [](const auto& h, StateIndex i) { return h.parent(i); }),
              (std::vector<StateIndex>{0, 0, 0, 1, 2, 3}));
    EXPECT_EQ(g.firstAction(5), 'f');
    using E = Edge<ToyAction>;
    EXPECT_EQ(
        g.edges(),
        (std::vector<E>{
            {0, 1, 'a'}, {0, 2, 'b'}, {1, 3, 'c'}, {2, 3, 'd'}, {2, 4, 'h'}, {3, 0, 'e'}, {3, 5, 'f'}}));
    EXPECT_EQ(g.edgeCount(), 7u);
  }
}

// Without recordGraph no graph is kept.
TEST(ExplorerTest, GraphIsNotRecordedByDefault) { EXPECT_FALSE(exploreToy().graph.has_value()); }

// A depth-bounded recorded graph marks its unexpanded frontier.
TEST(ExplorerTest, RecordedGraphMarksUnexpandedFrontier) {
  const auto result = exploreToy({}, Options{.bounds = {.maxDepth = 2}, .recordGraph = true});
  ASSERT_TRUE(result.graph.has_value());
  EXPECT_EQ(perState(*result.graph, [](const auto& h, StateIndex i) { return h.expanded(i); }),
            (std::vector<bool>{true, true, true, false, false}));
}

// progressEvery = 2 reports at the 2nd, 4th and 6th new state.
TEST(ExplorerTest, ProgressCallbackFiresEveryNStates) {
  std::vector<std::uint64_t> seen;
  std::vector<std::uint64_t> depths;
  const auto result = explore(ToyModel{}, Options{.progressEvery = 2}, [&](const Progress& p) {
    if (p.violated) return;  // reported whatever progressEvery is (next test)
    seen.push_back(p.states);
    depths.push_back(p.depth);
  });
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{2, 4, 6}));
  EXPECT_EQ(depths, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(result, exploreToy());
}

// Each property's first counterexample is reported when it is found, with its length, even
// with progressEvery = 0; a second finding of the same property is not.
TEST(ExplorerTest, ProgressReportsEachFirstViolationWhenFound) {
  std::vector<std::pair<PropertyIndex, std::uint64_t>> found;  // property, length
  std::vector<std::uint64_t> statesThen;
  const auto result = explore(ToyModel{}, Options{}, [&](const Progress& p) {
    ASSERT_TRUE(p.violated.has_value());
    found.emplace_back(*p.violated, p.violationLength);
    statesThen.push_back(p.states);
  });
  // S3 (state 3) is found while expanding S1; f (S3 -> S4) while expanding S3.
  EXPECT_EQ(found, (std::vector<std::pair<PropertyIndex, std::uint64_t>>{{ToyModel::kS3Unreachable, 2},
                                                                         {ToyModel::kNoPanic, 3}}));
  EXPECT_EQ(statesThen, (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(result, exploreToy());
}

// A state with no successor that is not terminal is counted as a deadlock.
TEST(ExplorerTest, DeadlockStatesAreCounted) {
  const auto result = explore(ChainModel(10));
  EXPECT_EQ(result.completion, Completion::Complete);
  EXPECT_EQ(result.stats.states, 10u);
  EXPECT_EQ(result.stats.transitions, 9u);
  EXPECT_EQ(result.stats.maxDepth, 9u);
  EXPECT_EQ(result.stats.deadlockStates, 1u);
  EXPECT_TRUE(result.verdicts.empty());
}

// The arena keeps states valid across many chunks (long chain, > one chunk of states).
TEST(ExplorerTest, LongChainIsExploredToTheEnd) {
  const auto result = explore(ChainModel(300000), Options{.recordGraph = true});
  EXPECT_EQ(result.stats.states, 300000u);
  EXPECT_EQ(result.stats.maxDepth, 299999u);
  ASSERT_TRUE(result.graph.has_value());
  for (std::uint32_t i = 0; i < 300000; ++i) ASSERT_EQ(result.graph->state(i), i);
}

// Completion and Verdict print as the report expects.
TEST(ExplorerTest, ToStringNamesCompletionAndVerdict) {
  EXPECT_EQ(to_string(Completion::Complete), "COMPLETE");
  EXPECT_EQ(to_string(Completion::DepthBound), "BOUNDED (depth)");
  EXPECT_EQ(to_string(Completion::StateBound), "BOUNDED (states)");
  EXPECT_EQ(to_string(Verdict::Holds), "HOLDS");
  EXPECT_EQ(to_string(Verdict::Violated), "VIOLATED");
  EXPECT_EQ(to_string(Verdict::Unknown), "UNKNOWN");
}

// A model reporting a property index it does not have is a ksim bug: abort, not a finding.
TEST(ExplorerDeathTest, OutOfRangePropertyIsAnInternalBug) {
  EXPECT_DEATH(explore(OutOfRangePropertyModel{}), "\\[ksim internal bug\\] .*out-of-range property");
}

// A model emitting one state both as terminal and non-terminal is a ksim bug: abort.
TEST(ExplorerDeathTest, InconsistentTerminalFlagIsAnInternalBug) {
  EXPECT_DEATH(explore(InconsistentTerminalModel{}), "\\[ksim internal bug\\] .*terminal");
}

}  // namespace
}  // namespace sim::test
