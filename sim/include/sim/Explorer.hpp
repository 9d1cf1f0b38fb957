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
//    ignored) and the run is StateBound. If storing a new state or edge would make the search's own
//    accounting of its memory (memoryBytes below) exceed maxMemory, the search stops the same way
//    and the run is MemoryBound; a std::bad_alloc during the search ends it as MemoryBound too (a
//    last resort: that stop point depends on the machine). If *stopRequested is true when a state
//    is about to be expanded, the search stops there: Interrupted. Otherwise the frontier ran
//    empty: Complete.
//  * Memory accounting: the bytes of every container the search stores into (states, hashes,
//    parents, actions, terminal flags, the visited set, edges), from their capacities, which the
//    engine grows itself (doubling); plus, with recordGraph, what finish() allocates to hand out
//    the graph and what statesThatCannotReach (sim/Graph.hpp) needs on it; while a buffer grows,
//    it and its successor both count. It depends only on the model, the options and the element
//    sizes, never on the allocator or the machine, so a cap gives the same stop point on every
//    run. Memory a State owns on the heap is not counted.
//  * Verdicts: Violated if a counterexample exists; else Holds if Complete; else Unknown.
//    A bounded run never yields Holds.
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

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace sim {

/// Index of a stored state: its position in BFS discovery order (0 = the initial state).
using StateIndex = std::uint32_t;

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

struct Options {
  Bounds bounds = {};
  std::uint64_t progressEvery = 0;  ///< call onProgress every N new states; 0 = only at violations
  bool recordGraph = false;         ///< fill Result::graph
  /// Per property: stop the search at its first violation (a shortest
  /// one: states are expanded in depth order).  Empty: never stop early.
  /// Properties without a counterexample are then Unknown.
  std::vector<bool> stopAtViolationOf = {};
};

namespace detail {

/// Bytes of a vector's buffer.
template <class T>
std::uint64_t bufferBytes(const std::vector<T>& v) noexcept {
  return std::uint64_t{v.capacity()} * sizeof(T);
}

/// The capacity `v` gets when one more element does not fit: the engine grows its containers
/// itself, doubling, so that their sizes (and the memory accounting) do not depend on the
/// standard library's growth policy.
template <class T>
std::size_t grownCapacity(const std::vector<T>& v) noexcept {
  return std::max<std::size_t>(16, v.capacity() * 2);
}

/// Bytes a push_back on `v` allocates (0 if it fits).
template <class T>
std::uint64_t growthBytes(const std::vector<T>& v) noexcept {
  return v.size() < v.capacity() ? 0 : std::uint64_t{grownCapacity(v)} * sizeof(T);
}

/// Makes room for one more element. Strong guarantee: if the allocation fails, `v` is unchanged.
template <class T>
void reserveOneMore(std::vector<T>& v) {
  if (v.size() == v.capacity()) v.reserve(grownCapacity(v));
}

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

  std::uint64_t bytes() const noexcept {
    return std::uint64_t{chunks_.size()} * kChunkSize * sizeof(T) + bufferBytes(chunks_);
  }
  /// Bytes reserveOneMore() allocates.
  std::uint64_t growthBytes() const noexcept {
    if (size_ < chunks_.size() * kChunkSize) return 0;
    return std::uint64_t{kChunkSize} * sizeof(T) + detail::growthBytes(chunks_);
  }
  /// Makes room for one more element; if an allocation fails the arena is unchanged.
  void reserveOneMore() {
    if (size_ < chunks_.size() * kChunkSize) return;
    detail::reserveOneMore(chunks_);
    std::vector<T> chunk;
    chunk.reserve(kChunkSize);  // never reallocates afterwards: addresses stay put
    chunks_.push_back(std::move(chunk));
  }

  /// Needs room (reserveOneMore).
  void push_back(T&& value) {
    chunks_[size_ >> kChunkShift].push_back(std::move(value));
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
/// It holds at most half as many indices as it has slots.
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

  std::uint64_t bytes() const noexcept { return bufferBytes(slots_); }
  /// Bytes growForOneMore() allocates (0 if one more index fits).
  std::uint64_t growthBytes() const noexcept {
    return fitsOneMore() ? 0 : std::uint64_t{slots_.size()} * 2 * sizeof(std::uint64_t);
  }
  /// Makes room for one more index; `hashes[i]` is the hash of state i. Returns whether the
  /// table grew (slots returned by earlier probes are then stale). If the allocation fails the
  /// set is unchanged.
  bool growForOneMore(const std::vector<std::uint64_t>& hashes) {
    if (fitsOneMore()) return false;
    std::vector<std::uint64_t> grown(slots_.size() * 2, 0);
    const std::uint64_t mask = grown.size() - 1;
    for (const std::uint64_t slot : slots_) {  // iteration order only affects slot placement
      if (slot == 0) continue;
      const auto index = static_cast<StateIndex>((slot & 0xffffffffu) - 1);
      std::uint64_t pos = hashes[index] & mask;
      while (grown[pos] != 0) pos = (pos + 1) & mask;
      grown[pos] = slot;
    }
    slots_.swap(grown);
    mask_ = mask;
    return true;
  }

  /// Inserts at the slot a failed probe() returned; needs room (growForOneMore).
  void insertAt(std::uint64_t pos, std::uint64_t hash, StateIndex index) noexcept {
    slots_[pos] = (hash & 0xffffffff00000000ull) | (std::uint64_t{index} + 1);
    ++count_;
  }

  /// Frees the table; only for a search that has ended.
  void release() noexcept {
    std::vector<std::uint64_t>().swap(slots_);
    count_ = 0;
  }

 private:
  static constexpr std::size_t kInitialSlots = 1024;

  bool fitsOneMore() const noexcept { return (count_ + 1) * 2 <= slots_.size(); }

  std::vector<std::uint64_t> slots_;
  std::uint64_t mask_;
  std::size_t count_ = 0;
};

/// Spreads a model hash over all 64 bits (models may return weak hashes, e.g. small integers).
inline std::uint64_t mixHash(std::uint64_t modelHash) noexcept {
  return XXH3_64bits(&modelHash, sizeof modelHash);
}

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

  /// One emit. Its next state is the expanded state itself (a step that changed nothing: most of
  /// them in the kernel model) or a copy kept in the slot: the expanding thread writes, and the
  /// search reads, one state less per such step.
  struct Emitted {
    Action action;
    std::vector<Finding> findings;
    bool terminal;
    std::uint32_t next;  // kExpandedState, or the position in Slot::nexts
    std::uint64_t hash;  // mixHash(model.hash(next)), computed by the expanding thread
  };
  static constexpr std::uint32_t kExpandedState = ~std::uint32_t{0};

  /// `threads` >= 2: the calling thread and threads - 1 workers.
  ParallelExpansion(const M& model, unsigned threads)
      : model_(model), ownExpander_(model), slots_(kExpansionsInFlight * threads) {
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
  /// to `handle(emitted, next state)` in emission order until it returns false, absorbs the expansion's
  /// effects and frees the slot. An exception the expansion threw is rethrown here, after its emits.
  template <class Handle>
  void consume(std::uint64_t i, Handle&& handle) {
    Slot& slot = slotOf(i);
    while (!slot.ready.load(std::memory_order_acquire)) {
      if (const std::uint64_t j = claim(false); j != kNothing) {
        expandInto(j, ownExpander_);
      } else {
        slot.ready.wait(false, std::memory_order_acquire);
      }
    }
    for (Emitted& e : slot.emitted) {
      if (!handle(e, e.next == kExpandedState ? State(*slot.input) : std::move(slot.nexts[e.next]))) break;
    }
    std::exception_ptr error = std::move(slot.error);
    slot.error = nullptr;
    slot.emitted.clear();
    slot.nexts.clear();
    slot.ready.store(false, std::memory_order_relaxed);
    if (error) std::rethrow_exception(error);
    if (slot.input) ownExpander_.absorb(std::move(slot.effects));  // a terminal state was not expanded
  }

 private:
  struct Slot {
    std::optional<State> input;  // empty: nothing to expand
    std::vector<Emitted> emitted;
    std::vector<State> nexts;  // the next states of emits that are not `input`
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
      try {
        auto keep = [this, &slot](Action&& action, State&& next, std::vector<Finding>&& findings,
                                  bool terminal) {
          const std::uint64_t hash = mixHash(model_.hash(next));
          std::uint32_t at = kExpandedState;
          if (!(next == *slot.input)) {
            at = static_cast<std::uint32_t>(slot.nexts.size());
            slot.nexts.push_back(std::move(next));
          }
          slot.emitted.push_back(Emitted{std::move(action), std::move(findings), terminal, at, hash});
        };
        Emitter<Action, State> emit(keep);
        slot.effects = expander.expand(*slot.input, emit);
      } catch (...) {
        slot.error = std::current_exception();
      }
    }
    slot.ready.store(true, std::memory_order_release);
    slot.ready.notify_one();
  }

  const M& model_;
  Expander ownExpander_;  // the calling thread's
  std::vector<Slot> slots_;
  std::uint64_t publishedCount_ = 0;  // the calling thread's count
  std::uint64_t announced_ = 0;       // what published_ says (without kQuit)
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> next_{0};
  std::vector<std::jthread> workers_;  // last: joined before the rest is destroyed
};

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

    Completion completion = Completion::Complete;
    std::size_t head = 0;  // next state to expand; states [head, size) are the frontier
    try {
      // The initial state: depth 0, its own parent, never terminal.
      {
        State initial = model_.initial();
        const std::uint64_t hash = mixHash(model_.hash(initial));
        if (!roomForNewState()) {
          // Not even the initial state fits: nothing is known.
          stats_.memoryBytes = peakBytes_;
          return finish(Completion::MemoryBound, 0);
        }
        reserveForStore();
        visited_.growForOneMore(hashes_);
        const auto probe = visited_.probe(hash, [](StateIndex) { return false; });
        store(std::move(initial), hash, 0, false);
        visited_.insertAt(probe.value, hash, 0);
        checkNewState(0);
      }

      auto handler = [this](Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal) {
        onTransition(std::move(action), std::move(next), std::move(findings), terminal,
                     mixHash(model_.hash(next)));
      };
      Emitter<Action, State> emit(handler);
      // One thread expands with `expander`; more expand ahead of the search in `parallel` and
      // the loop below replays their emits to onTransition (see "Threads" above).
      ThreadExpander<M> expander(model_);
      std::optional<ParallelExpansion<M>> parallel;
      if (options_.bounds.threads > 1) parallel.emplace(model_, options_.bounds.threads);
      auto replay = [this](typename ParallelExpansion<M>::Emitted& e, State&& next) {
        onTransition(std::move(e.action), std::move(next), std::move(e.findings), e.terminal, e.hash);
        return !stopped_ && !stoppedAtViolation_;
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
            if (terminal_[i] == 0) {
              completion = Completion::DepthBound;
              break;
            }
          }
          break;
        }
        if (parallel) publishAhead(*parallel, head, levelEnd);
        if (terminal_[head] != 0) {
          if (parallel) parallel->consume(head, [](auto&, State&&) { return false; });
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
          parallel->consume(head, replay);
        } else {
          expander.absorb(expander.expand(states_[head], emit));
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
    for (std::uint64_t i = parallel.published(); i < limit; ++i)
      parallel.publish(terminal_[i] != 0 ? nullptr : &states_[i]);
    parallel.announce();
  }

  /// `hash` = mixHash(model_.hash(next)).
  void onTransition(Action&& action, State&& next, std::vector<Finding>&& findings, bool terminal,
                    std::uint64_t hash) {
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

    // The slot tag already matched 32 hash bits: compare the states directly (one memory access).
    auto same = [&](StateIndex index) { return states_[index] == next; };
    auto probe = visited_.probe(hash, same);
    if (probe.found) {
      const auto target = static_cast<StateIndex>(probe.value);
      KSIM_VERIFY((terminal_[target] != 0) == terminal,
                  "model emitted the same state both as terminal and as non-terminal");
      if (options_.recordGraph) {
        if (const std::uint64_t extra = growthBytes(edges_); extra != 0) {
          if (!roomFor(extra, states_.size(), grownCapacity(edges_))) return stopForMemory();
          reserveOneMore(edges_);
        }
        edges_.push_back(Edge<Action>{current_, target, std::move(action)});
      }
      return;
    }
    if (options_.bounds.maxStates != 0 && states_.size() >= options_.bounds.maxStates) {
      stopped_ = true;
      return;
    }
    KSIM_VERIFY(states_.size() < std::size_t{0xfffffffeu}, "more than 2^32-2 states: StateIndex overflows");
    if (!roomForNewState()) return stopForMemory();
    const auto index = static_cast<StateIndex>(states_.size());
    // Every allocation first, so that a failed one leaves the search consistent.
    if (options_.recordGraph) reserveOneMore(edges_);
    reserveOneMore(actions_);
    reserveForStore();
    if (visited_.growForOneMore(hashes_)) probe = visited_.probe(hash, same);
    if (options_.recordGraph) edges_.push_back(Edge<Action>{current_, index, action});
    actions_.push_back(std::move(action));
    store(std::move(next), hash, current_, terminal);
    visited_.insertAt(probe.value, hash, index);
    stats_.maxDepth = std::max(stats_.maxDepth, depth_ + 1);
    checkNewState(index);
  }

  /// Needs room: reserveForStore().
  void store(State&& state, std::uint64_t hash, StateIndex parent, bool terminal) {
    states_.push_back(std::move(state));
    hashes_.push_back(hash);
    parents_.push_back(parent);
    terminal_.push_back(terminal ? 1 : 0);
    ++stats_.states;
    if (terminal) ++stats_.terminalStates;
  }

  void reserveForStore() {
    states_.reserveOneMore();
    reserveOneMore(hashes_);
    reserveOneMore(parents_);
    reserveOneMore(terminal_);
  }

  /// What the search holds, by its own deterministic accounting.
  std::uint64_t heldBytes() const noexcept {
    return states_.bytes() + bufferBytes(hashes_) + bufferBytes(parents_) + bufferBytes(actions_) +
           bufferBytes(terminal_) + visited_.bytes() + bufferBytes(edges_);
  }

  /// What finish() allocates to hand out the graph of `stateCount` states (with recordGraph):
  /// the states copied out of the arena, their depths and two flag vectors; and what
  /// statesThatCannotReach (sim/Graph.hpp) needs on it afterwards: 4 bytes per edge (of
  /// `edgeCapacity`), 24 per state and a flag vector.
  std::uint64_t graphHandoverBytes(std::uint64_t stateCount, std::uint64_t edgeCapacity) const noexcept {
    if (!options_.recordGraph) return 0;
    const std::uint64_t flagVector = (stateCount + 63) / 64 * 8;
    return stateCount * (sizeof(State) + sizeof(std::uint64_t)) + 2 * flagVector + stateCount * 24 +
           flagVector + edgeCapacity * sizeof(StateIndex);
  }

  /// Whether allocating `extra` bytes now, with `stateCount` states stored afterwards, keeps the
  /// accounting (including the graph handover at the end) within Bounds::maxMemory. A buffer
  /// being grown and its successor both count (the copy needs both).
  /// Records the largest such need in peakBytes_.
  bool roomFor(std::uint64_t extra, std::uint64_t stateCount, std::uint64_t edgeCapacity) noexcept {
    const std::uint64_t need = heldBytes() + extra + graphHandoverBytes(stateCount, edgeCapacity);
    if (options_.bounds.maxMemory != 0 && need > options_.bounds.maxMemory) return false;
    peakBytes_ = std::max(peakBytes_, need);
    return true;
  }

  bool roomForNewState() noexcept {
    std::uint64_t extra = states_.growthBytes() + growthBytes(hashes_) + growthBytes(parents_) +
                          growthBytes(terminal_) + visited_.growthBytes();
    if (states_.size() != 0) extra += growthBytes(actions_);  // the initial state has no action
    std::uint64_t edgeCapacity = edges_.capacity();
    if (options_.recordGraph && states_.size() != 0 && growthBytes(edges_) != 0) {
      extra += growthBytes(edges_);
      edgeCapacity = grownCapacity(edges_);
    }
    return roomFor(extra, states_.size() + 1, edgeCapacity);
  }

  void stopForMemory() noexcept {
    stopped_ = true;
    stoppedForMemory_ = true;
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
      onProgress_(progress());
    }
  }

  Progress progress() const {
    return Progress{stats_.states, stats_.transitions, depth_, states_.size() - current_, heldBytes(), {}, 0};
  }

  void noteFirstViolation(PropertyIndex property) {
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
    // The search is over: what only finds states is no longer needed.
    visited_.release();
    std::vector<std::uint64_t>().swap(hashes_);

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
  detail::Search<M> search(model, options, onProgress);
  return search.run();
}

}  // namespace sim
