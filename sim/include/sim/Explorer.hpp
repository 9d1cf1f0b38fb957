#pragma once

// sim::explore — deterministic breadth-first exploration of an ExplorableModel.
//
// Contract (see also sim/README.md):
//  * The model (sim/Model.hpp) is a const object whose members are pure. It hands out canonical
//    states; the engine identifies two states iff model.hash() agrees AND operator== holds.
//  * explore() runs a BFS from model.initial(). Every distinct state is stored once, in discovery
//    order (state index 0 = initial), with its parent index and the action that first reached it.
//    stateFindings() is called exactly once per new state (including the initial state, depth 0).
//    Transition findings are collected on every emitted transition, including transitions to
//    already-known states. States emitted with terminal == true are stored, counted and checked
//    but never expanded. The engine keeps going after violations.
//  * Counterexamples: for each violated property the FIRST finding is kept. Because BFS meets
//    states and transitions in order of path length, it is a shortest one: a state finding on a
//    state at depth d has d actions; a transition finding on an edge from depth d has d+1 actions.
//  * Bounds: states at depth == maxDepth are stored and checked but not expanded; if any of them
//    is non-terminal the run is DepthBound. If storing a new state would make the number of
//    stored states exceed maxStates, the search stops at once (the rest of that expansion is
//    ignored) and the run is StateBound. Otherwise the frontier ran empty: Complete.
//  * Verdicts: Violated if a counterexample exists; else Holds if Complete; else Unknown.
//    A bounded run never yields Holds.
//  * Determinism: the result depends only on the model and the options. The engine never reads a
//    clock or a random source, never uses pointer values, never iterates an unordered container.
//  * Model contract breaches (a Finding with an out-of-range property, the same state emitted
//    both terminal and non-terminal -- the initial state counts as non-terminal --, more than
//    2^32-2 states) are internal bugs: KSIM_VERIFY aborts.
//  * Stats: states = stored states; transitions = emitted transitions handled (after a StateBound
//    stop further emits are ignored; the one that hit the bound is counted); maxDepth = deepest
//    stored state; terminalStates; deadlockStates = expanded non-terminal states with no successor.

#include "sim/Check.hpp"
#include "sim/Model.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace sim {

/// Index of a stored state: its position in BFS discovery order (0 = the initial state).
using StateIndex = std::uint32_t;

struct Bounds {
  std::uint64_t maxDepth = 0;   ///< 0: unlimited. States at this depth are not expanded.
  std::uint64_t maxStates = 0;  ///< 0: unlimited. Never store more than this many states.

  bool operator==(const Bounds&) const = default;
};

enum class Completion { Complete, DepthBound, StateBound, StoppedAtViolation };

constexpr std::string_view to_string(Completion completion) noexcept {
  switch (completion) {
    case Completion::Complete:
      return "COMPLETE";
    case Completion::DepthBound:
      return "BOUNDED (depth)";
    case Completion::StateBound:
      return "BOUNDED (states)";
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
  std::uint64_t terminalStates = 0;  ///< stored states reached with terminal == true
  std::uint64_t deadlockStates = 0;  ///< non-terminal states that were expanded and had no successor

  bool operator==(const Stats&) const = default;
};

template <class Action, class State>
struct Counterexample {
  PropertyIndex property = 0;
  std::string message;
  std::vector<Action> actions;  ///< from the initial state
  std::vector<State> states;    ///< states[0] = initial; states[i+1] reached by actions[i]
  bool viaTransition = false;   ///< true: the last action violated; false: the last state does

  bool operator==(const Counterexample&) const = default;
};

template <class Action>
struct Edge {
  StateIndex source = 0;
  StateIndex target = 0;
  Action action;

  bool operator==(const Edge&) const = default;
};

/// The explored state graph (only with Options::recordGraph). Indexed by StateIndex.
template <class Action, class State>
struct ExploredGraph {
  std::vector<State> states;         ///< BFS discovery order; states[0] = initial
  std::vector<std::uint64_t> depth;  ///< BFS depth of each state
  std::vector<bool> terminal;        ///< reached with terminal == true (never expanded)
  std::vector<bool> expanded;        ///< all successors were enumerated (false for terminal
                                     ///< states and for the unexplored frontier of a bounded run)
  std::vector<Edge<Action>> edges;   ///< every handled transition between stored states, in order

  bool operator==(const ExploredGraph&) const = default;
};

template <ExplorableModel M>
struct Result {
  using Action = typename M::Action;
  using State = typename M::State;

  Completion completion = Completion::Complete;
  Stats stats;
  std::vector<Verdict> verdicts;  ///< one per property
  /// One per violated property: the first found (a shortest one), sorted by property index.
  std::vector<Counterexample<Action, State>> counterexamples;
  std::optional<ExploredGraph<Action, State>> graph;  ///< set iff Options::recordGraph

  /// The counterexample for `property`, or nullptr if it was not violated.
  const Counterexample<Action, State>* counterexampleFor(PropertyIndex property) const {
    for (const auto& cx : counterexamples) {
      if (cx.property == property) return &cx;
    }
    return nullptr;
  }

  bool operator==(const Result&) const = default;
};

struct Progress {
  std::uint64_t states = 0;       ///< stored so far
  std::uint64_t transitions = 0;  ///< handled so far
  std::uint64_t depth = 0;        ///< depth of the state being expanded
  std::uint64_t frontier = 0;     ///< stored but not yet fully expanded (incl. the current one)
};

struct Options {
  Bounds bounds = {};
  std::uint64_t progressEvery = 0;  ///< call onProgress every N new states; 0 = never
  bool recordGraph = false;         ///< fill Result::graph
  /// Per property: stop the search at its first violation (a shortest
  /// one: states are expanded in depth order).  Empty: never stop early.
  /// Properties without a counterexample are then Unknown.
  std::vector<bool> stopAtViolationOf = {};
};

namespace detail {

/// Append-only storage with stable element addresses: a list of fixed-capacity chunks.
/// (A model's expand() reads a stored state while the engine appends new ones.)
template <class T>
class StableArena {
 public:
  static constexpr std::size_t kChunkShift = [] {
    constexpr std::size_t target = std::size_t{1} << 20;  // ~1 MiB per chunk
    const std::size_t perChunk = std::max<std::size_t>(64, target / sizeof(T));
    return static_cast<std::size_t>(std::bit_width(perChunk) - 1);
  }();
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkShift;

  std::size_t size() const noexcept { return size_; }
  const T& operator[](std::size_t i) const noexcept {
    return chunks_[i >> kChunkShift][i & (kChunkSize - 1)];
  }

  void push_back(T&& value) {
    if ((size_ & (kChunkSize - 1)) == 0) {
      chunks_.emplace_back();
      chunks_.back().reserve(kChunkSize);  // never reallocates afterwards: addresses stay put
    }
    chunks_.back().push_back(std::move(value));
    ++size_;
  }

  std::vector<T> takeAll() {
    std::vector<T> out;
    out.reserve(size_);
    for (auto& chunk : chunks_) {
      for (auto& value : chunk) out.push_back(std::move(value));
    }
    chunks_.clear();
    size_ = 0;
    return out;
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

/// Open-addressing (linear probing) set of state indices keyed by a well-mixed 64-bit hash.
/// Slot layout: high 32 bits = hash tag, low 32 bits = state index + 1 (0 = empty).
/// Only ever probed, never iterated, so it cannot leak an iteration order into results.
class VisitedSet {
 public:
  struct Probe {
    bool found;
    std::uint64_t value;  ///< the state index if found, else the empty slot to insert at
  };

  VisitedSet() : slots_(kInitialSlots, 0), mask_(kInitialSlots - 1) {}

  /// `same(index)` must say whether stored state `index` equals the probed state.
  template <class Same>
  Probe probe(std::uint64_t hash, Same&& same) const {
    const std::uint64_t tag = hash >> 32;
    std::uint64_t pos = hash & mask_;
    for (;;) {
      const std::uint64_t slot = slots_[pos];
      if (slot == 0) return {false, pos};
      if ((slot >> 32) == tag) {
        const std::uint64_t index = (slot & 0xffffffffu) - 1;
        if (same(static_cast<StateIndex>(index))) return {true, index};
      }
      pos = (pos + 1) & mask_;
    }
  }

  /// Inserts at the slot a failed probe() returned; `hashes[i]` is the hash of state i (for growing).
  void insertAt(std::uint64_t pos, std::uint64_t hash, StateIndex index,
                const std::vector<std::uint64_t>& hashes) {
    slots_[pos] = encode(hash, index);
    ++count_;
    if (count_ * 2 > slots_.size()) grow(hashes);
  }

 private:
  static constexpr std::size_t kInitialSlots = 1024;

  static std::uint64_t encode(std::uint64_t hash, StateIndex index) noexcept {
    return (hash & 0xffffffff00000000ull) | (std::uint64_t{index} + 1);
  }

  void grow(const std::vector<std::uint64_t>& hashes) {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (const std::uint64_t slot : old) {  // iteration order only affects slot placement
      if (slot == 0) continue;
      const auto index = static_cast<StateIndex>((slot & 0xffffffffu) - 1);
      std::uint64_t pos = hashes[index] & mask_;
      while (slots_[pos] != 0) pos = (pos + 1) & mask_;
      slots_[pos] = slot;
    }
  }

  std::vector<std::uint64_t> slots_;
  std::uint64_t mask_;
  std::size_t count_ = 0;
};

/// Spreads a model hash over all 64 bits (models may return weak hashes, e.g. small integers).
inline std::uint64_t mixHash(std::uint64_t modelHash) noexcept {
  return XXH3_64bits(&modelHash, sizeof modelHash);
}

template <ExplorableModel M>
class Search {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Cx = Counterexample<Action, State>;

  Search(const M& model, const Options& options, const std::function<void(const Progress&)>& onProgress)
      : model_(model), options_(options), onProgress_(onProgress) {}

  Result<M> run() {
    const std::size_t propertyCount = model_.propertyCount();
    KSIM_VERIFY(propertyCount <= std::size_t{0xffffffffu}, "model reports too many properties");
    firstCx_.resize(propertyCount);

    // The initial state: depth 0, its own parent, never terminal.
    {
      State initial = model_.initial();
      const std::uint64_t hash = mixHash(model_.hash(initial));
      const auto probe = visited_.probe(hash, [](StateIndex) { return false; });
      store(std::move(initial), hash, 0, false);
      visited_.insertAt(probe.value, hash, 0, hashes_);
      checkNewState(0);
    }

    auto handler = [this](Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal) {
      onTransition(std::move(action), std::move(next), std::move(findings), terminal);
    };
    Emitter<Action, State> emit(handler);

    Completion completion = Completion::Complete;
    std::size_t head = 0;      // next state to expand; states [head, size) are the frontier
    std::size_t levelEnd = 1;  // first index of the level after the one `head` is in
    while (head < states_.size()) {
      if (head == levelEnd) {
        ++depth_;
        levelEnd = states_.size();
      }
      if (options_.bounds.maxDepth != 0 && depth_ >= options_.bounds.maxDepth) {
        // Everything left is at depth == maxDepth and stays unexpanded.
        for (std::size_t i = head; i < states_.size(); ++i) {
          if (terminal_[i] == 0) {
            completion = Completion::DepthBound;
            break;
          }
        }
        break;
      }
      if (terminal_[head] != 0) {
        ++head;
        continue;
      }
      current_ = static_cast<StateIndex>(head);
      emittedFromCurrent_ = 0;
      model_.expand(states_[head], emit);
      if (stoppedAtViolation_) {
        completion = Completion::StoppedAtViolation;
        break;
      }
      if (stopped_) {
        completion = Completion::StateBound;
        break;
      }
      if (emittedFromCurrent_ == 0) ++stats_.deadlockStates;
      ++head;
    }
    return finish(completion, head);
  }

 private:
  void onTransition(Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal) {
    if (stopped_ || stoppedAtViolation_) return;
    ++stats_.transitions;
    ++emittedFromCurrent_;
    for (Finding& finding : findings) {
      checkProperty(finding.property);
      if (!firstCx_[finding.property]) {
        firstCx_[finding.property] =
            makeCounterexample(finding.property, std::move(finding.message), current_, &action, &next);
        noteFirstViolation(finding.property);
      }
    }
    if (stoppedAtViolation_) return;

    const std::uint64_t hash = mixHash(model_.hash(next));
    // The slot tag already matched 32 hash bits: compare the states directly (one memory access).
    const auto probe = visited_.probe(hash, [&](StateIndex index) { return states_[index] == next; });
    if (probe.found) {
      const auto target = static_cast<StateIndex>(probe.value);
      KSIM_VERIFY((terminal_[target] != 0) == terminal,
                  "model emitted the same state both as terminal and as non-terminal");
      if (options_.recordGraph) edges_.push_back(Edge<Action>{current_, target, std::move(action)});
      return;
    }
    if (options_.bounds.maxStates != 0 && states_.size() >= options_.bounds.maxStates) {
      stopped_ = true;
      return;
    }
    KSIM_VERIFY(states_.size() < std::size_t{0xfffffffeu}, "more than 2^32-2 states: StateIndex overflows");
    const auto index = static_cast<StateIndex>(states_.size());
    if (options_.recordGraph) edges_.push_back(Edge<Action>{current_, index, action});
    actions_.push_back(std::move(action));
    store(std::move(next), hash, current_, terminal);
    visited_.insertAt(probe.value, hash, index, hashes_);
    stats_.maxDepth = std::max(stats_.maxDepth, depth_ + 1);
    checkNewState(index);
  }

  void store(State&& state, std::uint64_t hash, StateIndex parent, bool terminal) {
    states_.push_back(std::move(state));
    hashes_.push_back(hash);
    parents_.push_back(parent);
    terminal_.push_back(terminal ? 1 : 0);
    ++stats_.states;
    if (terminal) ++stats_.terminalStates;
  }

  void checkNewState(StateIndex index) {
    findingsBuffer_.clear();
    model_.stateFindings(states_[index], findingsBuffer_);
    for (Finding& finding : findingsBuffer_) {
      checkProperty(finding.property);
      if (!firstCx_[finding.property]) {
        firstCx_[finding.property] =
            makeCounterexample(finding.property, std::move(finding.message), index, nullptr, nullptr);
        noteFirstViolation(finding.property);
      }
    }
    if (options_.progressEvery != 0 && onProgress_ && stats_.states % options_.progressEvery == 0) {
      onProgress_(Progress{stats_.states, stats_.transitions, depth_, states_.size() - current_});
    }
  }

  void noteFirstViolation(PropertyIndex property) {
    const auto& stopOn = options_.stopAtViolationOf;
    if (property < stopOn.size() && stopOn[property]) stoppedAtViolation_ = true;
  }

  void checkProperty(PropertyIndex property) const {
    KSIM_VERIFY(property < firstCx_.size(), "model reported a Finding with an out-of-range property index");
  }

  /// Path from the initial state to `end`, plus (for a transition finding) one more step.
  Cx makeCounterexample(PropertyIndex property, std::string message, StateIndex end, const Action* lastAction,
                        const State* lastState) const {
    std::vector<StateIndex> path;
    for (StateIndex i = end; i != 0; i = parents_[i]) path.push_back(i);
    path.push_back(0);
    std::reverse(path.begin(), path.end());

    Cx cx;
    cx.property = property;
    cx.message = std::move(message);
    cx.viaTransition = lastAction != nullptr;
    cx.states.reserve(path.size() + 1);
    cx.actions.reserve(path.size());
    for (const StateIndex i : path) {
      cx.states.push_back(states_[i]);
      if (i != 0) cx.actions.push_back(actions_[i - 1]);
    }
    if (lastAction != nullptr) {
      cx.actions.push_back(*lastAction);
      cx.states.push_back(*lastState);
    }
    return cx;
  }

  Result<M> finish(Completion completion, std::size_t expandedPrefix) {
    Result<M> result;
    result.completion = completion;
    result.stats = stats_;
    result.verdicts.reserve(firstCx_.size());
    for (auto& cx : firstCx_) {
      if (cx) {
        result.verdicts.push_back(Verdict::Violated);
        result.counterexamples.push_back(std::move(*cx));
      } else {
        result.verdicts.push_back(completion == Completion::Complete ? Verdict::Holds : Verdict::Unknown);
      }
    }
    if (options_.recordGraph) {
      ExploredGraph<Action, State> graph;
      const std::size_t n = states_.size();
      graph.depth.resize(n, 0);
      for (std::size_t i = 1; i < n; ++i) graph.depth[i] = graph.depth[parents_[i]] + 1;  // parent < child
      graph.terminal.resize(n);
      graph.expanded.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        graph.terminal[i] = terminal_[i] != 0;
        graph.expanded[i] = i < expandedPrefix && terminal_[i] == 0;
      }
      graph.edges = std::move(edges_);
      graph.states = states_.takeAll();
      result.graph = std::move(graph);
    }
    return result;
  }

  const M& model_;
  const Options& options_;
  const std::function<void(const Progress&)>& onProgress_;

  StableArena<State> states_;
  std::vector<std::uint64_t> hashes_;   // mixed hash per state (to regrow visited_)
  std::vector<StateIndex> parents_;     // parent per state (state 0: itself)
  std::vector<Action> actions_;         // actions_[i-1] first reached state i
  std::vector<std::uint8_t> terminal_;  // per state
  VisitedSet visited_;

  std::vector<std::optional<Cx>> firstCx_;  // per property
  std::vector<Finding> findingsBuffer_;
  std::vector<Edge<Action>> edges_;

  Stats stats_;
  StateIndex current_ = 0;   // state being expanded
  std::uint64_t depth_ = 0;  // its depth
  std::uint64_t emittedFromCurrent_ = 0;
  bool stopped_ = false;             // maxStates reached
  bool stoppedAtViolation_ = false;  // Options::stopAtViolationOf fired
};

}  // namespace detail

/// Explores `model` breadth-first; see the contract at the top of this header and sim/README.md.
/// `onProgress` (optional) is called every options.progressEvery new states.
template <ExplorableModel M>
Result<M> explore(const M& model, const Options& options = {},
                  std::function<void(const Progress&)> onProgress = {}) {
  detail::Search<M> search(model, options, onProgress);
  return search.run();
}

}  // namespace sim
