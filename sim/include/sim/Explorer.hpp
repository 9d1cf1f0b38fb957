#pragma once

// sim::explore — deterministic breadth-first exploration of an ExplorableModel.
//
// Contract (see also sim/README.md):
//  * The model (sim/Model.hpp) is a const object whose members are pure. It hands out canonical
//    states; the engine identifies two states iff they are equal: model.hash() agrees AND
//    operator== holds (the plain store), or their bytes are equal (the compressed store, for
//    states whose bytes are their value: for canonical states the same thing). The fingerprint
//    store (opt-in) identifies states by a 64-bit fingerprint and may miss some (sim/Storage.hpp).
//  * explore() runs a BFS from model.initial(). Every distinct state is stored once, in discovery
//    order (state index 0 = initial), with its parent index and the action that first reached it.
//    stateFindings() is called exactly once per new state (including the initial state, depth 0).
//    Transition findings are collected on every emitted transition, including transitions to
//    already-known states. States emitted with terminal == true are stored, counted and checked
//    but never expanded. The engine keeps going after violations. A transition whose next state
//    equals (operator==) the state being expanded is a self-loop: the engine counts it and keeps
//    its findings without looking it up (the store would find that state).
//  * Counterexamples: for each violated property the FIRST finding is kept. Because BFS meets
//    states and transitions in order of path length, it is a shortest one: a state finding on a
//    state at depth d has d actions; a transition finding on an edge from depth d has d+1 actions.
//  * Causes (Finding::cause): the search counts the distinct causes of each property's findings
//    (Result::causeCounts) and, with Options::allCauses, keeps the first finding of each cause
//    too: a shortest counterexample per cause, by the same argument. State findings are
//    classified by the step that first reached the state, where the model can
//    (ModelClassifyingStateFindings); a fingerprint search keeps no parents and counts none.
//  * Bounds: states at depth == maxDepth are stored and checked but not expanded; if any of them
//    is non-terminal the run is DepthBound. If storing a new state would make the number of
//    stored states exceed maxStates, the search stops at once (the rest of that expansion is
//    ignored) and the run is StateBound. If storing a new state or edge would make the search's own
//    accounting of its memory (memoryBytes below) exceed maxMemory, the search stops the same way
//    and the run is MemoryBound; a std::bad_alloc during the search ends it as MemoryBound too (a
//    last resort: that stop point depends on the machine). If *stopRequested is true when a state
//    is about to be expanded, the search stops there: Interrupted. Otherwise the frontier ran
//    empty: Complete.
//  * Memory accounting: the bytes of every container the search stores into (the state store
//    with its tables and hash indexes, parents, first actions, terminal flags, the action table,
//    the edge stream; sim/Storage.hpp), from their capacities, which the engine grows itself (by
//    chunks, or doubling); while a buffer grows, it and its successor both count (a hash index is
//    rebuilt after its old slots are freed: only the new one counts). With recordGraph the graph
//    is handed over without a copy, and what the caller's analysis of it needs
//    (Options::graphAnalysisBytes; by default what statesThatCannotReach in sim/Graph.hpp needs)
//    is reserved: at every step the need is what is held plus, if larger than the indexes freed
//    at the end, that reserve minus those indexes. It depends only on the model, the options and
//    the element sizes, never on the allocator or the machine, so a cap gives the same stop point
//    on every run. Memory a State owns on the heap is not counted.
//  * Verdicts: Violated if a counterexample exists; else Holds if Complete; else Unknown.
//    A bounded run never yields Holds. A fingerprint search sets Result::missProbability: its
//    Holds means "not violated in the states reached".
//  * Determinism: the result depends only on the model and the options. The engine never reads a
//    clock or a random source, never uses pointer values, never iterates an unordered container.
//  * Threads: with Bounds::threads = N > 1, N threads expand states (model.expand, or a
//    per-thread model Expander: sim/Model.hpp) ahead of the search, up to kExpansionsInFlight
//    per thread, into buffers of emitted transitions; the calling thread (one of the N) hands
//    those to the transition handler in BFS order, exactly as a one-thread search meets them.
//    Everything else (storing, the visited set, stateFindings, bounds, counterexamples, progress
//    callbacks) stays on the calling thread, in order. So the Result, the progress calls and the
//    absorbed Expander effects do not depend on N. Expansions done ahead of a stop are discarded;
//    the buffers are not in the memory accounting (their size depends on N, not on the search).
//  * Model contract breaches (a Finding with an out-of-range property, the same state emitted
//    both terminal and non-terminal -- the initial state counts as non-terminal --, more than
//    2^32-2 states) are internal bugs: KSIM_VERIFY aborts.
//  * Stats: memoryBytes = the most the accounting above needed at once (<= maxMemory); states = stored
//  states; transitions = emitted transitions handled (after a StateBound
//    stop further emits are ignored; the one that hit the bound is counted); maxDepth = deepest
//    stored state; terminalStates; deadlockStates = expanded non-terminal states with no successor.

#include "sim/Check.hpp"
#include "sim/Model.hpp"
#include "sim/Storage.hpp"

#include <algorithm>
#include <atomic>
#include <set>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace sim {

struct Bounds {
  std::uint64_t maxDepth = 0;   ///< 0: unlimited. States at this depth are not expanded.
  std::uint64_t maxStates = 0;  ///< 0: unlimited. Never store more than this many states.
  /// 0: unlimited. Never let the search's own accounting of its memory (Stats::memoryBytes,
  /// deterministic) exceed this many bytes.
  std::uint64_t maxMemory = 0;
  /// Optional: when it reads true the search stops before the next expansion (Interrupted).
  /// Set from outside (a signal handler, another thread); the engine only reads it.
  const std::atomic<bool>* stopRequested = nullptr;
  /// Threads that expand states (0 counts as 1). The result is the same for any number: see
  /// "Threads" above.
  unsigned threads = 1;

  bool operator==(const Bounds&) const = default;
};

enum class Completion { Complete, DepthBound, StateBound, MemoryBound, Interrupted, StoppedAtViolation };

constexpr std::string_view to_string(Completion completion) noexcept {
  switch (completion) {
    case Completion::Complete:
      return "COMPLETE";
    case Completion::DepthBound:
      return "BOUNDED (depth)";
    case Completion::StateBound:
      return "BOUNDED (states)";
    case Completion::MemoryBound:
      return "BOUNDED (memory)";
    case Completion::Interrupted:
      return "BOUNDED (interrupted)";
    case Completion::StoppedAtViolation:
      return "STOPPED (at a violation)";
  }
  return "?";
}

/// Unknown: not violated, but the search was bounded. Never report Unknown as a pass.
enum class Verdict { Holds, Violated, Unknown };

constexpr std::string_view to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::Holds:
      return "HOLDS";
    case Verdict::Violated:
      return "VIOLATED";
    case Verdict::Unknown:
      return "UNKNOWN";
  }
  return "?";
}

struct Stats {
  std::uint64_t states = 0;          ///< distinct states stored (reached)
  std::uint64_t transitions = 0;     ///< emitted transitions handled (including to known states)
  std::uint64_t maxDepth = 0;        ///< largest BFS depth of a stored state
  /// Breadth first, every path of up to this many steps was taken: the depth of the states whose
  /// expansion a bounded search did not finish (all shallower ones it did), or maxDepth for a
  /// complete one. A state or transition finding this close to the initial state was found.
  std::uint64_t completeDepth = 0;
  std::uint64_t terminalStates = 0;  ///< stored states reached with terminal == true
  std::uint64_t deadlockStates = 0;  ///< non-terminal states that were expanded and had no successor
  /// The search's accounting of the most bytes it needed at once (container capacities, a
  /// buffer and the one replacing it while it grows, the graph handed out at the end; not RSS;
  /// deterministic). Never above Bounds::maxMemory; memoryBytes / states is what a stored state
  /// cost.
  std::uint64_t memoryBytes = 0;

  bool operator==(const Stats&) const = default;
};

template <class Action, class State>
struct Counterexample {
  PropertyIndex property = 0;
  std::string message;
  std::vector<Action> actions;  ///< from the initial state
  std::vector<State> states;    ///< states[0] = initial; states[i+1] reached by actions[i]
  bool viaTransition = false;   ///< true: the last action violated; false: the last state does
  std::uint64_t cause = 0;      ///< the finding's Finding::cause

  bool operator==(const Counterexample&) const = default;
};

template <class Action>
struct Edge {
  StateIndex source = 0;
  StateIndex target = 0;
  Action action;

  bool operator==(const Edge&) const = default;
};

/// The explored state graph (only with Options::recordGraph), read from the search's own compact
/// storage (no copy): states are decompressed on demand. Indexed by StateIndex.
///
/// Edges: every handled transition between two DIFFERENT stored states, with its action, in the
/// order handled (so by source ascending). Self-loops (transitions that leave the state as it
/// was: most failing calls) are not recorded: reachability, the only use of the graph, cannot
/// change through them. Parallel edges (same endpoints, different actions) are kept.
template <class Action, class State>
class ExploredGraph {
 public:
  /// What the search hands over.
  struct Parts {
    std::shared_ptr<const detail::StateSource<State>> states;
    detail::MonotoneIndexArray parents;  ///< state 0: itself
    detail::NarrowIdArray firstActions;  ///< [i-1]: action id of state i's tree edge
    detail::BitArray terminal;
    std::vector<std::uint64_t> levelStarts;  ///< levelStarts[d]: the first state at depth d
    std::size_t expandedPrefix = 0;          ///< states below it were expanded unless terminal
    detail::EdgeStream edges;
    detail::ActionTable<Action> actions;
  };

  explicit ExploredGraph(std::shared_ptr<const Parts> parts) : parts_(std::move(parts)) {}

  std::size_t stateCount() const noexcept { return parts_->parents.size(); }
  /// A copy of stored state i (decompressed).
  State state(StateIndex i) const { return parts_->states->state(i); }
  /// BFS depth (states are numbered in BFS order, so depths never decrease with the index).
  std::uint64_t depth(StateIndex i) const noexcept {
    const auto& starts = parts_->levelStarts;
    return static_cast<std::uint64_t>(std::upper_bound(starts.begin(), starts.end(), std::uint64_t{i}) -
                                      starts.begin()) -
           1;
  }
  /// Reached with terminal == true (never expanded).
  bool terminal(StateIndex i) const noexcept { return parts_->terminal[i]; }
  /// All successors were enumerated (false for terminal states and for the unexplored frontier
  /// of a bounded run).
  bool expanded(StateIndex i) const noexcept { return i < parts_->expandedPrefix && !terminal(i); }
  /// The breadth-first tree: the state that first reached i (i itself for 0) and the action.
  StateIndex parent(StateIndex i) const noexcept { return parts_->parents[i]; }
  const Action& firstAction(StateIndex i) const noexcept {
    return parts_->actions[parts_->firstActions[i - 1]];
  }

  std::uint64_t edgeCount() const noexcept { return parts_->edges.count(); }
  /// f(const Edge<Action>&) for every recorded edge, in order.
  template <class F>
  void forEachEdge(F&& f) const {
    parts_->edges.forEach([&](StateIndex source, StateIndex target, std::uint32_t action, bool) {
      f(Edge<Action>{source, target, parts_->actions[action]});
    });
  }
  /// f(const Edge<Action>&) for every recorded edge, from the last to the first (so by source
  /// descending), with no reversed copy of the edges (EdgeStream::forEachBackward).
  template <class F>
  void forEachEdgeBackward(F&& f) const {
    parts_->edges.forEachBackward([&](StateIndex source, StateIndex target, std::uint32_t action, bool) {
      f(Edge<Action>{source, target, parts_->actions[action]});
    });
  }
  /// Every recorded edge, in order (materialised: for small graphs and tests).
  std::vector<Edge<Action>> edges() const {
    std::vector<Edge<Action>> out;
    forEachEdge([&](const Edge<Action>& e) { out.push_back(e); });
    return out;
  }

  friend bool operator==(const ExploredGraph& a, const ExploredGraph& b) {
    const std::size_t n = a.stateCount();
    if (n != b.stateCount() || a.edgeCount() != b.edgeCount()) return false;
    for (StateIndex i = 0; i < n; ++i) {
      if (!(a.state(i) == b.state(i)) || a.depth(i) != b.depth(i) || a.terminal(i) != b.terminal(i) ||
          a.expanded(i) != b.expanded(i) || a.parent(i) != b.parent(i) ||
          (i != 0 && !(a.firstAction(i) == b.firstAction(i))))
        return false;
    }
    return a.edges() == b.edges();
  }

 private:
  std::shared_ptr<const Parts> parts_;
};

template <ExplorableModel M>
struct Result {
  using Action = typename M::Action;
  using State = typename M::State;

  Completion completion = Completion::Complete;
  Stats stats;
  std::vector<Verdict> verdicts;  ///< one per property
  /// One per violated property: the first found (a shortest one), sorted by property index.
  /// With Options::allCauses, after each property's first, the first of each of its other causes
  /// in the order found (so by length), up to kMaxCounterexamplesPerProperty.
  std::vector<Counterexample<Action, State>> counterexamples;
  /// Per property: how many distinct causes its findings had (0 if it was not violated); empty
  /// when the search did not classify (a fingerprint search).
  std::vector<std::uint64_t> causeCounts;
  std::optional<ExploredGraph<Action, State>> graph;  ///< set iff Options::recordGraph
  /// Set iff the search stored fingerprints (StateStorage::Fingerprint): an estimate of the
  /// probability that two distinct states shared a fingerprint, so that one was never explored
  /// (n^2 / 2^65 for n states). Every verdict but VIOLATED carries that caveat.
  std::optional<double> missProbability;

  /// The counterexample for `property`, or nullptr if it was not violated.
  const Counterexample<Action, State>* counterexampleFor(PropertyIndex property) const {
    for (const auto& cx : counterexamples) {
      if (cx.property == property) return &cx;
    }
    return nullptr;
  }

  bool operator==(const Result&) const = default;
};

/// What onProgress sees: every Options::progressEvery new states, and at each property's first
/// counterexample (then `violated` is set), whatever progressEvery is.
struct Progress {
  std::uint64_t states = 0;               ///< stored so far
  std::uint64_t transitions = 0;          ///< handled so far
  std::uint64_t depth = 0;                ///< depth of the state being expanded
  std::uint64_t frontier = 0;             ///< stored but not yet fully expanded (incl. the current one)
  std::uint64_t memoryBytes = 0;          ///< the search's accounting of the bytes it holds
  std::optional<PropertyIndex> violated;  ///< set: this property's first counterexample was just found
  std::uint64_t violationLength = 0;      ///< its number of actions
};

/// What statesThatReachAlong (sim/Graph.hpp) allocates on a graph of `states` states, beside
/// its caller's goal flags: its answer, a flag per state, and the buffer it reads the edges
/// backwards through (EdgeStream::forEachBackward).
inline std::uint64_t statesThatReachBytes(std::uint64_t states) noexcept {
  return (states + 63) / 64 * 8 + detail::EdgeStream::kBackwardBufferBytes;
}

/// What statesThatCannotReachAlong allocates: statesThatReachAlong's and its answer, at most a
/// state index per state.
inline std::uint64_t statesThatCannotReachBytes(std::uint64_t states) noexcept {
  return statesThatReachBytes(states) + states * sizeof(StateIndex);
}

struct Options {
  Bounds bounds = {};
  std::uint64_t progressEvery = 0;  ///< call onProgress every N new states; 0 = only at violations
  bool recordGraph = false;         ///< fill Result::graph (not with StateStorage::Fingerprint)
  /// With recordGraph: the most the caller allocates to analyse the handed-over graph of `states`
  /// states and `edges` edges, reserved by the memory accounting (see "Memory accounting" above).
  /// Unset: what statesThatCannotReach (sim/Graph.hpp) allocates. Called on the searching
  /// thread; the answer must depend only on its arguments and on what the search did before.
  std::function<std::uint64_t(std::uint64_t states, std::uint64_t edges)> graphAnalysisBytes;
  /// How states are stored (sim/Storage.hpp): Compressed and Plain are exact and give equal
  /// results; Fingerprint may miss states (Result::missProbability).
  StateStorage stateStorage = StateStorage::Compressed;
  /// Per property: stop the search at its first violation (a shortest
  /// one: states are expanded in depth order).  Empty: never stop early.
  /// Properties without a counterexample are then Unknown.
  std::vector<bool> stopAtViolationOf = {};
  /// Keep a shortest counterexample for every cause of a property (Finding::cause), not only
  /// for its first finding.
  bool allCauses = false;
};

/// With Options::allCauses, the most counterexamples kept per property (its causes are still
/// all counted): a model that classifies too finely must not fill the memory with paths.
inline constexpr std::size_t kMaxCounterexamplesPerProperty = 256;

namespace detail {

/// Spreads a model hash over all 64 bits (models may return weak hashes, e.g. small integers).
inline std::uint64_t mixHash(std::uint64_t modelHash) noexcept {
  return XXH3_64bits(&modelHash, sizeof modelHash);
}

template <class Store>
inline constexpr bool kStoreKeepsIndices = true;
template <class State>
inline constexpr bool kStoreKeepsIndices<FingerprintStore<State>> = false;

template <class Store>
inline constexpr bool kStoreHashesBytes = false;
template <class State>
inline constexpr bool kStoreHashesBytes<TreeStore<State>> = true;
template <class State>
inline constexpr bool kStoreHashesBytes<FingerprintStore<State>> = kBytesAreValue<State>;

struct NoEffects {};

/// A model's Expander and what its expand() returns; NoEffects for a model without one.
template <class M>
struct ExpanderTypes {
  using Expander = NoEffects;
  using Effects = NoEffects;
};
template <ModelWithExpander M>
struct ExpanderTypes<M> {
  using Expander = typename M::Expander;
  using Effects = decltype(std::declval<Expander&>().expand(
      std::declval<const typename M::State&>(),
      std::declval<Emitter<typename M::Action, typename M::State>&>()));
};

/// One thread's way of expanding states: the model's Expander if it has one, else the model's
/// own (concurrently callable) expand().
template <ExplorableModel M>
class ThreadExpander {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  using Effects = typename ExpanderTypes<M>::Effects;

  explicit ThreadExpander(const M& model) : model_(model), expander_(make(model)) {}

  Effects expand(const State& state, Emitter<Action, State>& emit) {
    if constexpr (ModelWithExpander<M>) {
      return expander_.expand(state, emit);
    } else {
      model_.expand(state, emit);
      return NoEffects{};
    }
  }

  /// On the search's own thread, in BFS order.
  void absorb(Effects&& effects) const {
    if constexpr (ModelWithExpander<M>) model_.absorb(std::move(effects));
  }

 private:
  static typename ExpanderTypes<M>::Expander make(const M& model) {
    if constexpr (ModelWithExpander<M>) {
      return model.expander();
    } else {
      return {};
    }
  }

  const M& model_;
  typename ExpanderTypes<M>::Expander expander_;
};

/// How many expansions each thread may have done ahead of the search (see "Threads" above).
inline constexpr std::size_t kExpansionsInFlight = 16;

/// Expands states on worker threads ahead of the search, which consumes the results in BFS
/// order. The search publishes states by consecutive number (0, 1, 2, ...: its state indices);
/// threads claim the lowest published unclaimed number, expand it into its slot of a ring of
/// buffers and mark it ready. A slot is reused for number i + window only after the search
/// consumed i, so the search must publish at most window() numbers beyond what it consumed.
template <ExplorableModel M>
class ParallelExpansion {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Expander = ThreadExpander<M>;
  using Effects = typename Expander::Effects;

  /// One emit. Its next state is the expanded state itself (a self-loop: a step that changed
  /// nothing, most of them in the kernel model) or a copy kept in the slot: the expanding thread
  /// writes one state less per self-loop, and the search neither reads nor looks it up. A
  /// self-loop with no finding that is not terminal (a bare one: all the search does is count it)
  /// is not kept at all, only counted in the next emit's `bareSelfLoopsBefore` (or the slot's
  /// `bareSelfLoopsAfter`). Findings are kept in the slot's own buffer, reused from one state to
  /// the next, so that no thread frees what another allocated for every emit.
  struct Emitted {
    Action action;
    bool terminal;
    std::uint32_t next;           // kExpandedState, or the position in Slot::nexts
    std::uint32_t findingsBegin;  // this emit's findings: Slot::findings[begin, end)
    std::uint32_t findingsEnd;
    std::uint32_t bareSelfLoopsBefore;  // bare self-loops emitted just before this one
    std::uint64_t hash;  // mixHash(model.hash(next)) if wanted and not a self-loop (else 0), computed by
                         // the expanding thread
  };
  static constexpr std::uint32_t kExpandedState = ~std::uint32_t{0};

  /// `threads` >= 2: the calling thread and threads - 1 workers.  `hashNext`: whether the
  /// search's store wants the model's hash of each next state (one that hashes the state's bytes
  /// itself does not, and the workers then skip hashing every transition).
  /// `settled`: the search's flags of properties it keeps a counterexample for (Emitter::wanted).
  ParallelExpansion(const M& model, unsigned threads, bool hashNext,
                    std::span<const std::atomic<bool>> settled)
      : model_(model),
        hashNext_(hashNext),
        settled_(settled),
        ownExpander_(model),
        slots_(kExpansionsInFlight * threads) {
    workers_.reserve(threads - 1);
    try {
      for (unsigned t = 1; t < threads; ++t) workers_.emplace_back([this, &model] { work(model); });
    } catch (...) {
      stop();  // the workers already started would wait for work forever
      throw;
    }
  }

  ParallelExpansion(const ParallelExpansion&) = delete;
  ParallelExpansion& operator=(const ParallelExpansion&) = delete;

  ~ParallelExpansion() { stop(); }

  std::size_t window() const noexcept { return slots_.size(); }
  /// How many numbers were published.
  std::uint64_t published() const noexcept { return publishedCount_; }

  /// Publishes the next number: `state` is to be expanded (copied: the workers never touch the
  /// search's storage), nullptr if it is not (terminal).
  void publish(const State* state) {
    Slot& slot = slotOf(publishedCount_);
    if (state != nullptr) {
      slot.input = *state;
    } else {
      slot.input.reset();
    }
    ++publishedCount_;
  }

  /// Lets the workers see what publish() added.
  void announce() {
    if (publishedCount_ == announced_) return;
    announced_ = publishedCount_;
    published_.store(publishedCount_, std::memory_order_release);
    published_.notify_all();
  }

  /// Waits for number i's expansion (expanding others meanwhile), hands each emitted transition
  /// in emission order to `handle(emitted, findings, next, expanded)`, and each run of bare
  /// self-loops to `countBare(n)`, until one returns false; then absorbs the expansion's effects
  /// and frees the slot: `next` is the emitted next state, nullptr if it equals the expanded state
  /// (a self-loop), and `expanded` is the state number i. An exception the expansion threw is
  /// rethrown here, after its emits.
  template <class Handle, class CountBare>
  void consume(std::uint64_t i, Handle&& handle, CountBare&& countBare) {
    Slot& slot = slotOf(i);
    while (!slot.ready.load(std::memory_order_acquire)) {
      if (const std::uint64_t j = claim(false); j != kNothing) {
        expandInto(j, ownExpander_);
      } else {
        slot.ready.wait(false, std::memory_order_acquire);
      }
    }
    bool going = true;
    for (Emitted& e : slot.emitted) {
      if (e.bareSelfLoopsBefore != 0 && !countBare(e.bareSelfLoopsBefore)) {
        going = false;
        break;
      }
      const std::span<Finding> findings(slot.findings.data() + e.findingsBegin,
                                        e.findingsEnd - e.findingsBegin);
      if (!handle(e, findings, e.next == kExpandedState ? nullptr : &slot.nexts[e.next], *slot.input)) {
        going = false;
        break;
      }
    }
    if (going && slot.bareSelfLoopsAfter != 0) countBare(slot.bareSelfLoopsAfter);
    std::exception_ptr error = std::move(slot.error);
    slot.error = nullptr;
    slot.emitted.clear();
    slot.findings.clear();
    slot.bareSelfLoopsAfter = 0;
    slot.nexts.clear();
    slot.ready.store(false, std::memory_order_relaxed);
    if (error) std::rethrow_exception(error);
    if (slot.input) ownExpander_.absorb(std::move(slot.effects));  // a terminal state was not expanded
  }

 private:
  struct Slot {
    std::optional<State> input;  // empty: nothing to expand
    std::vector<Emitted> emitted;
    std::vector<Finding> findings;         // the emits' findings (Emitted::findingsBegin)
    std::uint32_t bareSelfLoopsAfter = 0;  // bare self-loops after the last kept emit
    std::vector<State> nexts;              // the next states of emits that are not `input`
    Effects effects{};
    std::exception_ptr error;
    std::atomic<bool> ready{false};
  };

  static constexpr std::uint64_t kQuit = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kNothing = ~std::uint64_t{0};

  void stop() noexcept {
    published_.fetch_or(kQuit, std::memory_order_release);
    published_.notify_all();
    workers_.clear();  // joins
  }

  Slot& slotOf(std::uint64_t i) noexcept { return slots_[i % slots_.size()]; }

  /// The lowest published unclaimed number, now claimed; kNothing if there is none (and `block`
  /// is false) or the expansion is shutting down.
  std::uint64_t claim(bool block) {
    for (;;) {
      const std::uint64_t published = published_.load(std::memory_order_acquire);
      if ((published & kQuit) != 0) return kNothing;
      std::uint64_t next = next_.load(std::memory_order_relaxed);
      while (next < published) {
        if (next_.compare_exchange_weak(next, next + 1, std::memory_order_relaxed)) return next;
      }
      if (!block) return kNothing;
      published_.wait(published, std::memory_order_acquire);
    }
  }

  void work(const M& model) {
    Expander expander(model);
    for (std::uint64_t i = claim(true); i != kNothing; i = claim(true)) expandInto(i, expander);
  }

  void expandInto(std::uint64_t i, Expander& expander) {
    Slot& slot = slotOf(i);
    if (slot.input) {
      std::uint32_t bare = 0;  // bare self-loops since the last kept emit
      try {
        // A self-loop is not looked up: it needs no hash.
        auto keepEmit = [&slot, &bare](Action&& action, std::vector<Finding>& findings, bool terminal,
                                       std::uint32_t next, std::uint64_t hash) {
          if (next == kExpandedState && findings.empty() && !terminal) {
            ++bare;
            return;
          }
          const auto begin = static_cast<std::uint32_t>(slot.findings.size());
          for (Finding& f : findings) slot.findings.push_back(std::move(f));
          slot.emitted.push_back(Emitted{std::move(action), terminal, next, begin,
                                         static_cast<std::uint32_t>(slot.findings.size()), bare, hash});
          bare = 0;
        };
        Overloaded keep{
            [this, &slot, &keepEmit](Action&& action, State&& next, std::vector<Finding>&& findings,
                                     bool terminal) {
              std::uint64_t hash = 0;
              std::uint32_t at = kExpandedState;
              if (!(next == *slot.input)) {
                if (hashNext_) hash = mixHash(model_.hash(next));
                at = static_cast<std::uint32_t>(slot.nexts.size());
                slot.nexts.push_back(std::move(next));
              }
              keepEmit(std::move(action), findings, terminal, at, hash);
            },
            [&keepEmit](Unchanged, Action&& action, std::vector<Finding>&& findings, bool terminal) {
              keepEmit(std::move(action), findings, terminal, kExpandedState, 0);
            }};
        Emitter<Action, State> emit(keep, settled_);
        slot.effects = expander.expand(*slot.input, emit);
      } catch (...) {
        slot.error = std::current_exception();
      }
      slot.bareSelfLoopsAfter = bare;  // (those before an exception are counted before it)
    }
    slot.ready.store(true, std::memory_order_release);
    slot.ready.notify_one();
  }

  const M& model_;
  const bool hashNext_;
  const std::span<const std::atomic<bool>> settled_;
  Expander ownExpander_;  // the calling thread's
  std::vector<Slot> slots_;
  std::uint64_t publishedCount_ = 0;  // the calling thread's count
  std::uint64_t announced_ = 0;       // what published_ says (without kQuit)
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> next_{0};
  std::vector<std::jthread> workers_;  // last: joined before the rest is destroyed
};

template <ExplorableModel M, class Store>
class Search {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Cx = Counterexample<Action, State>;
  using Graph = ExploredGraph<Action, State>;

  Search(const M& model, const Options& options, const std::function<void(const Progress&)>& onProgress,
         Store store)
      : model_(model), options_(options), onProgress_(onProgress), states_(std::move(store)) {}

  Result<M> run() {
    const std::size_t propertyCount = model_.propertyCount();
    KSIM_VERIFY(propertyCount <= std::size_t{0xffffffffu}, "model reports too many properties");
    firstCx_.resize(propertyCount);
    causesMet_.resize(propertyCount);
    otherCauseCxCount_.resize(propertyCount);
    settled_ = std::make_unique<std::atomic<bool>[]>(propertyCount);
    const std::span<const std::atomic<bool>> settled(settled_.get(), propertyCount);

    Completion completion = Completion::Complete;
    std::size_t head = 0;  // next state to expand; states [head, size) are the frontier
    try {
      // The initial state: depth 0, its own parent, never terminal.
      {
        State initial = model_.initial();
        const std::uint64_t hash = modelHash(initial);
        if (!roomForNewState(0)) {
          // Not even the initial state fits: nothing is known.
          stats_.memoryBytes = peakBytes_;
          return finish(Completion::MemoryBound, 0);
        }
        (void)states_.find(initial, hash, kNoContext);
        reserveForStore(0);
        store(std::move(initial), 0, false);
        checkNewState(0);
      }

      const State* expanding = nullptr;  // the state a one-thread search is expanding
      Overloaded handler{
          [this, &expanding](Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal) {
            if (next == *expanding) return onSelfLoop(action, *expanding, findings, terminal);
            const std::uint64_t hash = modelHash(next);
            onTransition(std::move(action), std::move(next), findings, terminal, hash);
          },
          [this, &expanding](Unchanged, Action&& action, std::vector<Finding>&& findings, bool terminal) {
            onSelfLoop(action, *expanding, findings, terminal);
          }};
      Emitter<Action, State> emit(handler, settled);
      // One thread expands with `expander`; more expand ahead of the search in `parallel` and
      // the loop below replays their emits to onTransition (see "Threads" above).
      ThreadExpander<M> expander(model_);
      std::optional<ParallelExpansion<M>> parallel;
      if (options_.bounds.threads > 1)
        parallel.emplace(model_, options_.bounds.threads, !kStoreHashesBytes<Store>, settled);
      auto replay = [this](typename ParallelExpansion<M>::Emitted& e, std::span<Finding> findings,
                           State* next, const State& expanded) {
        if (next == nullptr) {
          onSelfLoop(e.action, expanded, findings, e.terminal);
        } else {
          onTransition(std::move(e.action), std::move(*next), findings, e.terminal, e.hash);
        }
        return !stopped_ && !stoppedAtViolation_;
      };
      // A run of self-loops with no findings, as onSelfLoop counts each.
      auto countBare = [this](std::uint32_t n) {
        if (stopped_ || stoppedAtViolation_) return false;
        stats_.transitions += n;
        emittedFromCurrent_ += n;
        return true;
      };

      std::size_t levelEnd = 1;  // first index of the level after the one `head` is in
      while (head < states_.size()) {
        if (head == levelEnd) {
          ++depth_;
          levelEnd = states_.size();
        }
        if (options_.bounds.maxDepth != 0 && depth_ >= options_.bounds.maxDepth) {
          // Everything left is at depth == maxDepth and stays unexpanded.
          for (std::size_t i = head; i < states_.size(); ++i) {
            if (!terminal_[i]) {
              completion = Completion::DepthBound;
              break;
            }
          }
          break;
        }
        if (parallel) publishAhead(*parallel, head, levelEnd);
        if (terminal_[head]) {
          if (parallel)
            parallel->consume(
                head, [](auto&, std::span<Finding>, State*, const State&) { return false; },
                [](std::uint32_t) { return false; });
          ++head;
          continue;
        }
        if (options_.bounds.stopRequested != nullptr &&
            options_.bounds.stopRequested->load(std::memory_order_relaxed)) {
          completion = Completion::Interrupted;
          break;
        }
        current_ = static_cast<StateIndex>(head);
        emittedFromCurrent_ = 0;
        if (parallel) {
          parallel->consume(head, replay, countBare);
        } else {
          const State state = states_[head];  // a store may give a decompressed copy
          expanding = &state;
          expander.absorb(expander.expand(state, emit));
        }
        if (stoppedAtViolation_) {
          completion = Completion::StoppedAtViolation;
          break;
        }
        if (stopped_) {
          completion = stoppedForMemory_ ? Completion::MemoryBound : Completion::StateBound;
          break;
        }
        if (emittedFromCurrent_ == 0) ++stats_.deadlockStates;
        ++head;
      }
      // Leaving the scope stops and joins the expansion threads; what they did ahead is dropped.
    } catch (const std::bad_alloc&) {
      // The last resort when the accounting above did not keep the search within what the
      // machine has: keep what was found (every container is consistent: each allocation
      // happens before anything is stored) and free what the result does not need.
      completion = Completion::MemoryBound;
      std::vector<Finding>().swap(findingsBuffer_);
    }
    stats_.memoryBytes = std::max(peakBytes_, heldBytes());
    return finish(completion, head);
  }

 private:
  /// Publishes the stored states the search will expand next (all before it expands any state
  /// it has not stored yet), as far as the window allows: those at the depth of `head` (below
  /// `levelEnd`) and, unless they are at maxDepth, those of the next level.
  void publishAhead(ParallelExpansion<M>& parallel, std::size_t head, std::size_t levelEnd) {
    std::uint64_t limit = std::min<std::uint64_t>(head + parallel.window(), states_.size());
    if (options_.bounds.maxDepth != 0 && depth_ + 1 >= options_.bounds.maxDepth)
      limit = std::min<std::uint64_t>(limit, levelEnd);
    for (std::uint64_t i = parallel.published(); i < limit; ++i) {
      if (terminal_[i]) {
        parallel.publish(nullptr);
      } else {
        const State state = states_[i];  // a store may give a decompressed copy
        parallel.publish(&state);
      }
    }
    parallel.announce();
  }

  /// Counts a transition and keeps its findings; false if the search stops (or had stopped).
  bool countTransition(const Action& action, const State& next, std::span<Finding> findings) {
    if (stopped_ || stoppedAtViolation_) return false;
    ++stats_.transitions;
    ++emittedFromCurrent_;
    for (Finding& finding : findings) noteFinding(finding, current_, &action, &next);
    return !stoppedAtViolation_;
  }

  /// A transition whose next state equals (operator==) `current`, the state being expanded: the
  /// store would find the current state, so it is not looked up; self-loops are no edges.
  void onSelfLoop(const Action& action, const State& current, std::span<Finding> findings, bool terminal) {
    if (!countTransition(action, current, findings)) return;
    if constexpr (kStoreKeepsIndices<Store>) {
      KSIM_VERIFY(!terminal, "model emitted the same state both as terminal and as non-terminal");
    }
  }

  /// `hash` = mixHash(model_.hash(next)); 0 for a store that hashes the state's bytes itself.
  void onTransition(Action&& action, State&& next, std::span<Finding> findings, bool terminal,
                    std::uint64_t hash) {
    if (!countTransition(action, next, findings)) return;

    const auto probe = states_.find(next, hash, current_);
    if (probe.found) {
      if constexpr (kStoreKeepsIndices<Store>) {
        const StateIndex target = probe.index;
        KSIM_VERIFY(terminal_[target] == terminal,
                    "model emitted the same state both as terminal and as non-terminal");
        if (options_.recordGraph && target != current_) {
          const std::uint32_t known = actionTable_.find(action);
          const std::uint64_t extra =
              edges_.growthBytes() + (known == ActionTable<Action>::kAbsent ? actionTable_.growthBytes() : 0);
          if (extra != 0 && !roomFor(extra, states_.size(), edges_.count() + 1)) return stopForMemory();
          edges_.reserveOneMore();
          edges_.push_back(current_, target, intern(action, known));
        }
      }
      return;
    }
    if (options_.bounds.maxStates != 0 && states_.size() >= options_.bounds.maxStates) {
      stopped_ = true;
      return;
    }
    KSIM_VERIFY(states_.size() < std::size_t{0xfffffffeu}, "more than 2^32-2 states: StateIndex overflows");
    const auto index = static_cast<StateIndex>(states_.size());
    const std::uint32_t known = kStoreKeepsIndices<Store> ? actionTable_.find(action) : 0;
    // A fingerprint search replays a counterexample: it keeps the transition's ordinal instead.
    const std::uint32_t plannedId =
        !kStoreKeepsIndices<Store>                ? static_cast<std::uint32_t>(emittedFromCurrent_ - 1)
        : known != ActionTable<Action>::kAbsent ? known
                                                  : static_cast<std::uint32_t>(actionTable_.size());
    if (!roomForNewState(plannedId)) return stopForMemory();
    // Every allocation first, so that a failed one leaves the search consistent.
    if (options_.recordGraph) edges_.reserveOneMore();
    actions_.reserveFor(plannedId);
    reserveForStore(current_);
    const std::uint32_t actionId = kStoreKeepsIndices<Store> ? intern(action, known) : plannedId;
    if (options_.recordGraph) edges_.push_back(current_, index, actionId);
    actions_.push_back(actionId);
    store(std::move(next), current_, terminal);
    stats_.maxDepth = std::max(stats_.maxDepth, depth_ + 1);
    checkNewState(index);
  }

  static constexpr StateIndex kNoContext = 0xffffffffu;

  /// The mixed model hash, if the store uses it.
  std::uint64_t modelHash(const State& s) const {
    if constexpr (kStoreHashesBytes<Store>) {
      return 0;
    } else {
      return mixHash(model_.hash(s));
    }
  }

  /// The id of `action`, given what actionTable_.find said; needs room if it was absent.
  std::uint32_t intern(const Action& action, std::uint32_t known) {
    if (known != ActionTable<Action>::kAbsent) return known;
    actionTable_.reserveOneMore();
    return actionTable_.append(action);
  }

  /// Needs room: reserveForStore(). The state is the one the last states_.find() looked up.
  void store(State&& state, StateIndex parent, bool terminal) {
    const std::uint64_t depth = states_.size() == 0 ? 0 : depth_ + 1;
    StateIndex index;
    if constexpr (kStoreKeepsIndices<Store>) {
      index = states_.insert(std::move(state));
    } else {
      // States at the depth bound are never expanded: the fingerprint store need not keep them.
      const std::uint64_t maxDepth = options_.bounds.maxDepth;
      index = states_.insert(std::move(state), maxDepth == 0 || depth < maxDepth);
    }
    parents_.push_back(parent);
    terminal_.push_back(terminal);
    if (levelStarts_.size() <= depth) levelStarts_.push_back(index);
    ++stats_.states;
    if (terminal) ++stats_.terminalStates;
  }

  /// Room for a new state reached from `parent`.
  void reserveForStore(StateIndex parent) {
    states_.reserveOneMore();
    parents_.reserveFor(parent);
    terminal_.reserveOneMore();
    reserveOneMore(levelStarts_);
  }

  /// What the search holds, by its own deterministic accounting.
  std::uint64_t heldBytes() const noexcept {
    return states_.bytes() + parents_.bytes() + actions_.bytes() + terminal_.bytes() +
           bufferBytes(levelStarts_) + actionTable_.bytes() + edges_.bytes();
  }

  /// What the caller's analysis allocates on the handed-out graph of `stateCount` states and
  /// `edgeCount` edges (with recordGraph; the graph itself is the search's storage, handed over
  /// without a copy): Options::graphAnalysisBytes if set, else statesThatCannotReach's own and
  /// its goal flags.
  std::uint64_t graphHandoverBytes(std::uint64_t stateCount, std::uint64_t edgeCount) const {
    if (!options_.recordGraph) return 0;
    if (options_.graphAnalysisBytes) return options_.graphAnalysisBytes(stateCount, edgeCount);
    return statesThatCannotReachBytes(stateCount) + (stateCount + 63) / 64 * 8;
  }

  /// Whether allocating `extra` bytes now, with `stateCount` states and `edgeCount` edges stored
  /// afterwards, keeps the accounting within Bounds::maxMemory: now, and after the search, when
  /// the indexes (only finding states needs them) are freed and the graph analysis runs.
  /// Records the largest such need in peakBytes_.
  bool roomFor(std::uint64_t extra, std::uint64_t stateCount, std::uint64_t edgeCount) noexcept {
    const std::uint64_t handover = graphHandoverBytes(stateCount, edgeCount);
    const std::uint64_t released = states_.indexBytes();
    const std::uint64_t need = heldBytes() + extra + (handover > released ? handover - released : 0);
    if (options_.bounds.maxMemory != 0 && need > options_.bounds.maxMemory) return false;
    peakBytes_ = std::max(peakBytes_, need);
    return true;
  }

  /// `actionId`: the id the new state's first action gets (ignored for the initial state).
  bool roomForNewState(std::uint32_t actionId) noexcept {
    std::uint64_t extra = states_.growthBytes() + parents_.growthBytes(current_) + terminal_.growthBytes() +
                          detail::growthBytes(levelStarts_);
    std::uint64_t edgeCount = edges_.count();
    if (states_.size() != 0) {  // the initial state has no action
      extra += actions_.growthBytes(actionId) + actionTable_.growthBytes();
      if (options_.recordGraph) {
        extra += edges_.growthBytes();
        ++edgeCount;
      }
    }
    return roomFor(extra, states_.size() + 1, edgeCount);
  }

  void stopForMemory() noexcept {
    stopped_ = true;
    stoppedForMemory_ = true;
  }

  void checkNewState(StateIndex index) {
    findingsBuffer_.clear();
    const State state = states_[index];  // a store may give a decompressed copy
    model_.stateFindings(state, findingsBuffer_);
    if constexpr (ModelClassifyingStateFindings<M> && kStoreKeepsIndices<Store>) {
      if (!findingsBuffer_.empty()) {
        if (index == 0) {
          model_.classifyStateFindings(nullptr, nullptr, state, findingsBuffer_);
        } else {
          const State parent = states_[parents_[index]];
          model_.classifyStateFindings(&parent, &actionTable_[actions_[index - 1]], state, findingsBuffer_);
        }
      }
    }
    for (Finding& finding : findingsBuffer_) noteFinding(finding, index, nullptr, nullptr);
    if (options_.progressEvery != 0 && onProgress_ && stats_.states % options_.progressEvery == 0) {
      onProgress_(progress());
    }
  }

  Progress progress() const {
    return Progress{stats_.states, stats_.transitions, depth_, states_.size() - current_, heldBytes(), {}, 0};
  }

  /// Counts the finding's cause and keeps the counterexample it ends, if it is the property's
  /// first or (allCauses) its cause's first. `end` is the state the path leads to; for a
  /// transition finding, the last action and state follow it.
  void noteFinding(Finding& finding, StateIndex end, const Action* lastAction, const State* lastState) {
    checkProperty(finding.property);
    const bool newCause = causesMet_[finding.property].insert(finding.cause).second;
    if (!firstCx_[finding.property]) {
      firstCx_[finding.property] =
          makeCounterexample(finding, std::move(finding.message), end, lastAction, lastState);
      noteFirstViolation(finding.property);
    } else if (newCause && options_.allCauses && ++otherCauseCxCount_[finding.property] <
                                                     kMaxCounterexamplesPerProperty) {
      otherCauseCx_.push_back(makeCounterexample(finding, std::move(finding.message), end, lastAction, lastState));
    }
  }

  void noteFirstViolation(PropertyIndex property) {
    // Expansions may now spare formatting its messages: only this first one is kept, unless every
    // cause's is. (An expansion that reads the flag set is of a state whose transitions are
    // handled after this one.)
    if (!options_.allCauses) settled_[property].store(true, std::memory_order_relaxed);
    if (onProgress_) {
      Progress p = progress();
      p.violated = property;
      p.violationLength = firstCx_[property]->actions.size();
      onProgress_(p);
    }
    const auto& stopOn = options_.stopAtViolationOf;
    if (property < stopOn.size() && stopOn[property]) stoppedAtViolation_ = true;
  }

  void checkProperty(PropertyIndex property) const {
    KSIM_VERIFY(property < firstCx_.size(), "model reported a Finding with an out-of-range property index");
  }

  /// Path from the initial state to `end`, plus (for a transition finding) one more step.
  Cx makeCounterexample(const Finding& finding, std::string message, StateIndex end, const Action* lastAction,
                        const State* lastState) const {
    std::vector<StateIndex> path;
    for (StateIndex i = end; i != 0; i = parents_[i]) path.push_back(i);
    path.push_back(0);
    std::reverse(path.begin(), path.end());

    Cx cx;
    cx.property = finding.property;
    cx.message = std::move(message);
    cx.cause = finding.cause;
    cx.viaTransition = lastAction != nullptr;
    cx.states.reserve(path.size() + 1);
    cx.actions.reserve(path.size());
    if constexpr (kStoreKeepsIndices<Store>) {
      for (const StateIndex i : path) {
        cx.states.push_back(states_.state(i));
        if (i != 0) cx.actions.push_back(actionTable_[actions_[i - 1]]);
      }
    } else {
      replay(path, cx);
    }
    if (lastAction != nullptr) {
      cx.actions.push_back(*lastAction);
      cx.states.push_back(*lastState);
    }
    return cx;
  }

  /// A fingerprint search keeps no states behind the frontier: the path's states are re-derived
  /// from the initial state, step i taking the actions_[i-1]-th transition its state emits.
  void replay(const std::vector<StateIndex>& path, Cx& cx) const {
    State at = model_.initial();
    cx.states.push_back(at);
    for (std::size_t k = 1; k < path.size(); ++k) {
      const std::uint32_t ordinal = actions_[path[k] - 1];
      std::optional<std::pair<Action, State>> taken;
      std::uint32_t seen = 0;
      auto pick = [&](Action&& action, State&& next, std::vector<Finding>&&, bool) {
        if (seen++ == ordinal) taken.emplace(std::move(action), std::move(next));
      };
      Emitter<Action, State> emit(pick);
      model_.expand(at, emit);
      KSIM_VERIFY(taken.has_value(), "replaying a fingerprint path: expand() is not pure");
      cx.actions.push_back(taken->first);
      at = std::move(taken->second);
      cx.states.push_back(at);
    }
  }

  Result<M> finish(Completion completion, std::size_t expandedPrefix) {
    // The search is over: what only finds states is no longer needed.
    states_.releaseIndex();
    actionTable_.releaseIndex();

    Result<M> result;
    result.completion = completion;
    result.stats = stats_;
    // depth_ is the depth of the state being expanded when the search stopped (for a depth bound,
    // the bound): every state above it was expanded whole.
    result.stats.completeDepth = completion == Completion::Complete ? stats_.maxDepth : depth_;
    result.verdicts.reserve(firstCx_.size());
    for (PropertyIndex p = 0; p < firstCx_.size(); ++p) {
      if (auto& cx = firstCx_[p]) {
        result.verdicts.push_back(Verdict::Violated);
        result.counterexamples.push_back(std::move(*cx));
        for (Cx& other : otherCauseCx_)
          if (other.property == p) result.counterexamples.push_back(std::move(other));
      } else {
        result.verdicts.push_back(completion == Completion::Complete ? Verdict::Holds : Verdict::Unknown);
      }
    }
    if constexpr (kStoreKeepsIndices<Store>) {
      for (const auto& causes : causesMet_) result.causeCounts.push_back(causes.size());
    }
    if constexpr (!kStoreKeepsIndices<Store>) {
      const double n = static_cast<double>(stats_.states);
      result.missProbability = std::min(1.0, n * n / 36893488147419103232.0);  // n^2 / 2^65
    } else {
      if (options_.recordGraph) {
        auto parts = std::make_shared<typename Graph::Parts>();
        parts->states = std::make_shared<Store>(std::move(states_));
        parts->parents = std::move(parents_);
        parts->firstActions = std::move(actions_);
        parts->terminal = std::move(terminal_);
        parts->levelStarts = std::move(levelStarts_);
        parts->expandedPrefix = expandedPrefix;
        parts->edges = std::move(edges_);
        parts->actions = std::move(actionTable_);
        result.graph.emplace(std::move(parts));
      }
    }
    return result;
  }

  const M& model_;
  const Options& options_;
  const std::function<void(const Progress&)>& onProgress_;

  Store states_;
  MonotoneIndexArray parents_;              // parent per state (state 0: itself)
  NarrowIdArray actions_;                   // actions_[i-1]: id (in actionTable_) of the action that
                                            // first reached state i; a fingerprint search: its ordinal
  BitArray terminal_;                       // per state
  std::vector<std::uint64_t> levelStarts_;  // levelStarts_[d]: the first state at depth d
  ActionTable<Action> actionTable_;
  EdgeStream edges_;  // with recordGraph

  std::vector<std::optional<Cx>> firstCx_;        // per property
  std::vector<std::set<std::uint64_t>> causesMet_;  // per property: the causes of its findings
  std::vector<Cx> otherCauseCx_;                  // allCauses: the first of each further cause, in order
  std::vector<std::size_t> otherCauseCxCount_;    // per property: further causes met (allCauses)
  std::unique_ptr<std::atomic<bool>[]> settled_;  // per property: firstCx_ is set (Emitter::wanted)
  std::vector<Finding> findingsBuffer_;

  Stats stats_;
  StateIndex current_ = 0;   // state being expanded
  std::uint64_t depth_ = 0;  // its depth
  std::uint64_t emittedFromCurrent_ = 0;
  std::uint64_t peakBytes_ = 0;      // the largest need roomFor() granted
  bool stopped_ = false;             // maxStates or maxMemory reached
  bool stoppedForMemory_ = false;    // ... and it was maxMemory
  bool stoppedAtViolation_ = false;  // Options::stopAtViolationOf fired
};

}  // namespace detail

/// Explores `model` breadth-first; see the contract at the top of this header and sim/README.md.
/// `onProgress` (optional) is called every options.progressEvery new states and at each first
/// counterexample of a property.
template <ExplorableModel M>
Result<M> explore(const M& model, const Options& options = {},
                  std::function<void(const Progress&)> onProgress = {}) {
  using State = typename M::State;
  switch (options.stateStorage) {
    case StateStorage::Fingerprint: {
      KSIM_VERIFY(!options.recordGraph, "a fingerprint search keeps no graph (recordGraph)");
      detail::Search<M, detail::FingerprintStore<State>> search(model, options, onProgress, {});
      return search.run();
    }
    case StateStorage::Compressed:
      if constexpr (detail::kBytesAreValue<State>) {
        detail::Search<M, detail::TreeStore<State>> search(
            model, options, onProgress, detail::TreeStore<State>(detail::stateLayout(model)));
        return search.run();
      }
      [[fallthrough]];
    case StateStorage::Plain:
      break;
  }
  detail::Search<M, detail::PlainStore<State>> search(model, options, onProgress, {});
  return search.run();
}

}  // namespace sim
