#pragma once

// sim::exploreDistributed — the breadth-first search of sim/Explorer.hpp, shared by the K ranks
// of a sim::Transport (K threads of one process, or K MPI processes), with the same Result as
// explore() (Stats::memoryBytes and the memory bound excepted). The argument is in sim/README.md,
// "Distributed search". In short:
//
//  * Rank hash(state) % K owns a state: it alone stores it, looks it up and checks it.
//  * The search is level-synchronous. The states of depth L are the global indices [a, b). Each
//    rank expands those it owns, in index order, and sends every transition (its source index,
//    its ordinal in that expansion, the action, the next state, the terminal flag) to the next
//    state's owner, in batches. A self-loop stays with the expanding rank, as do all transition
//    findings (the rank has the action and the next state a counterexample needs). Where a
//    state's bytes are its value, a batch carries each next state as the runs of bytes in which it
//    differs from its source (a step changes a few fields), and each source state, once, as its
//    difference from the batch's previous source (an empty state for the first).
//  * explore() numbers a new state when it first meets it, that is, at the smallest
//    (source index, ordinal) of the transitions reaching it. The owner keeps that key per new
//    state; the ranks gather the sorted keys, and a new state's index is b + the number of keys
//    smaller than its own. So indices, parents, first actions and depths are explore()'s.
//  * Every event of the search has such a key (EventKey below): a transition and its findings, the
//    storing of the state it discovers, that state's findings. explore() meets events in key
//    order, and stops (maxStates, stopAtViolationOf, ...) at one. A level is expanded whole; then
//    the ranks agree on the level's first stopping event and keep exactly the events up to it.
//  * At the end the ranks gather the kept findings and rebuild each counterexample's path by
//    asking, level by level, the owners of the states on it. Every rank returns the same Result,
//    except the graph (Options::recordGraph), which is gathered onto rank 0 only.
//
// Not supported (yet): StateStorage::Fingerprint, progress callbacks, Bounds::threads (each rank
// expands on one thread). The memory bound is per rank and its stop point depends on K.
//
// Each rank calls the model's members (expand or its Expander, hash, stateFindings,
// classifyStateFindings, absorb) on its own. With the in-process transport the K ranks are K
// threads: give each rank its own model unless those members may run concurrently. A model's
// absorbed Expander effects are spread over the ranks (each absorbs its own expansions, in index
// order); together they are explore()'s. A model that numbers its effects by the order they were
// absorbed cannot tell its place from that: it may offer absorbExpansionOf(state index, effects)
// (ModelAbsorbingByIndex below), which the distributed search calls instead of absorb with the
// expanded state's global index, explore()'s order.

#include "sim/Explorer.hpp"
#include "sim/Transport.hpp"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace sim {

struct DistributedOptions {
  /// A rank sends the transitions it has produced once they take this many bytes (and at the end
  /// of each level), and its part of the graph in rounds of this many: it bounds the exchange
  /// buffers, not the result.
  std::size_t batchBytes = std::size_t{1} << 20;
};

/// A model with an Expander that also accepts an expansion's effects with the global index of the
/// expanded state (see the header comment): the distributed search absorbs through it.
template <class M>
concept ModelAbsorbingByIndex =
    ModelWithExpander<M> && requires(const M& model, StateIndex state, typename detail::ExpanderTypes<M>::Effects&& effects) {
      model.absorbExpansionOf(state, std::move(effects));
    };

namespace detail {

/// Where an event falls in the order a one-process search meets it: the expansion it happens in
/// (0 for the initial state; 1 + the expanded state's index), the emit's ordinal in that
/// expansion, and the step within that emit: the transition's findings (kTransitionStep +
/// position), storing the state it discovers (kStoreStep), that state's findings
/// (kStateFindingStep + position). Ordered as explore() meets events.
struct EventKey {
  std::uint64_t expansion = 0;
  std::uint32_t ordinal = 0;
  std::uint32_t step = 0;

  auto operator<=>(const EventKey&) const = default;
};

inline constexpr std::uint32_t kTransitionStep = 0;
inline constexpr std::uint32_t kStoreStep = 1u << 30;
inline constexpr std::uint32_t kStateFindingStep = 2u << 30;
inline constexpr EventKey kNoEvent{~std::uint64_t{0}, ~std::uint32_t{0}, ~std::uint32_t{0}};

inline EventKey transitionKey(StateIndex source, std::uint32_t ordinal, std::uint32_t step) noexcept {
  return EventKey{std::uint64_t{source} + 1, ordinal, step};
}

/// The last event a search that stops at `trigger` still takes part in. explore() notes every
/// finding of the emit or state it stops at (its loops over a finding list go on), but stores
/// nothing more: a stop at a transition finding or at a refused store ends after the emit's
/// transition findings, one at a state finding after that state's findings.
inline EventKey lastEventBefore(EventKey trigger) noexcept {
  if (trigger == kNoEvent) return kNoEvent;
  return EventKey{trigger.expansion, trigger.ordinal, trigger.step < kStateFindingStep ? kStoreStep - 1 : ~0u};
}

/// The rank owning a state of mixed hash `hash` (re-mixed: the visited sets index by the same hash,
/// and every state a rank holds sharing its residue would crowd their slots).
inline int ownerOf(std::uint64_t hash, int ranks) noexcept {
  return static_cast<int>(mix64(hash ^ 0x9e3779b97f4a7c15ull) % static_cast<std::uint64_t>(ranks));
}

template <ExplorableModel M, class Store>
class DistributedSearch {
 public:
  using State = typename M::State;
  using Action = typename M::Action;
  using Cx = Counterexample<Action, State>;
  using Effects = typename ThreadExpander<M>::Effects;

  DistributedSearch(const M& model, const Options& options, const DistributedOptions& distributed,
                    Transport& transport)
      : model_(model),
        options_(options),
        distributed_(distributed),
        transport_(transport),
        rank_(transport.rank()),
        ranks_(transport.size()),
        store_(makeStore()),
        expander_(model) {}

  Result<M> run() {
    const std::size_t propertyCount = model_.propertyCount();
    KSIM_VERIFY(propertyCount <= std::size_t{0xffffffffu}, "model reports too many properties");
    first_.resize(propertyCount);
    causeKeys_.resize(propertyCount);
    causeRecords_.resize(propertyCount);
    settled_ = std::make_unique<std::atomic<bool>[]>(propertyCount);

    if (!storeInitial()) return finish(Completion::MemoryBound, kNoEvent, 0);
    levelStarts_ = {0};
    // A watched violation at the initial state stops the search before it stores anything more
    // (explore() still expands the state, ignoring its emits: its effects are absorbed).
    if (const EventKey violation = firstWatchedViolation(); violation != kNoEvent) {
      if (ownerOf(initialHash_, ranks_) == rank_) {
        auto ignore = [](Action&&, State&&, std::vector<Finding>&&, bool) {};
        Emitter<Action, State> emit(ignore);
        const State initial = store_[0];
        absorb(0, expander_.expand(initial, emit));
      }
      return finish(Completion::StoppedAtViolation, lastEventBefore(violation), 0);
    }

    std::uint64_t stateCount = 1;
    for (;;) {
      const std::uint64_t levelStart = levelStarts_.back();
      const std::uint64_t depth = levelStarts_.size() - 1;
      expandingDepth_ = depth;
      if (levelStart == stateCount) return finish(Completion::Complete, kNoEvent, stateCount);
      if (options_.bounds.maxDepth != 0 && depth >= options_.bounds.maxDepth) {
        bool unexpanded = false;
        for (std::size_t i = frontierBegin_; i < globalOf_.size(); ++i) unexpanded |= terminal_[i] == 0;
        const bool bounded = allreduceOr(transport_, unexpanded);
        return finish(bounded ? Completion::DepthBound : Completion::Complete, kNoEvent, levelStart);
      }
      const auto* stop = options_.bounds.stopRequested;
      if (allreduceOr(transport_, stop != nullptr && stop->load(std::memory_order_relaxed)))
        return finish(Completion::Interrupted, kNoEvent, levelStart);

      expandLevel();
      const LevelOutcome outcome = settleLevel(stateCount);
      // An empty level ends the loop at its start (and finish() drops it).
      levelStarts_.push_back(stateCount);
      stateCount += outcome.newStates;
      if (outcome.completion) return finish(*outcome.completion, outcome.lastEvent, outcome.expandedPrefix);
    }
  }

 private:
  /// Hands an expansion's effects to the model, with the expanded state's global index if the
  /// model takes it.
  void absorb(StateIndex source, Effects&& effects) {
    if constexpr (ModelAbsorbingByIndex<M>) {
      model_.absorbExpansionOf(source, std::move(effects));
    } else {
      expander_.absorb(std::move(effects));
    }
  }

  /// What the search keeps of a finding until the end: enough to rebuild its counterexample.
  struct FindingRecord {
    EventKey key;
    PropertyIndex property = 0;
    std::uint64_t cause = 0;
    std::string message;
    StateIndex end = 0;  // the state the path leads to
    std::optional<Action> lastAction;  // a transition finding: the step after `end`
    std::optional<State> lastState;
  };

  /// A state first met in the level being expanded, at its owner, with the smallest key of the
  /// transitions reaching it so far.
  struct Candidate {
    StateIndex source = 0;
    std::uint32_t ordinal = 0;
    Action action;
    bool terminal = false;
    std::uint64_t hash = 0;
    bool hasFindings = false;  // the model reports state findings of it (its parent is then kept)
    StateIndex index = 0;      // its global index, once the level is numbered

    std::pair<StateIndex, std::uint32_t> key() const noexcept { return {source, ordinal}; }
  };

  /// An edge (recordGraph) received by the owner of its target.
  struct PendingEdge {
    StateIndex source = 0;
    std::uint32_t ordinal = 0;
    StateIndex target = 0;  // a global index, or (toCandidate) a position in candidates_
    bool toCandidate = false;
    Action action;
  };

  struct LevelOutcome {
    std::optional<Completion> completion;  // set: the search ends here
    EventKey lastEvent = kNoEvent;
    std::uint64_t expandedPrefix = 0;
    std::uint64_t newStates = 0;
  };

  static constexpr bool kClassifies = ModelClassifyingStateFindings<M>;
  /// Whether a next state travels as its difference from its source (sent once per batch).
  static constexpr bool kSendsDeltas = kBytesAreValue<State> && std::is_default_constructible_v<State>;
  static constexpr StateIndex kNoContext = 0xffffffffu;
  static constexpr std::uint8_t kSourceTag = 0;
  static constexpr std::uint8_t kTransitionTag = 1;

  Store makeStore() const {
    if constexpr (std::is_same_v<Store, TreeStore<State>>) {
      return Store(stateLayout(model_));
    } else {
      return Store{};
    }
  }

  std::uint64_t hashOf(const State& s) const { return mixHash(model_.hash(s)); }

  // ---- storing ----------------------------------------------------------------------------

  std::uint64_t heldBytes() const noexcept {
    return store_.bytes() + bufferBytes(globalOf_) + bufferBytes(parentOf_) + bufferBytes(firstAction_) +
           bufferBytes(terminal_) + bufferBytes(candidateStates_) + candidateIndex_.bytes() + bufferBytes(candidates_) +
           bufferBytes(pendingEdges_);
  }

  /// Whether one more owned state fits the rank's cap; records the need.
  bool roomForOneMore() noexcept {
    const std::uint64_t need = heldBytes() + store_.growthBytes() + growthBytes(globalOf_) +
                               growthBytes(parentOf_) + growthBytes(firstAction_) + growthBytes(terminal_);
    if (options_.bounds.maxMemory != 0 && need > options_.bounds.maxMemory) return false;
    peakBytes_ = std::max(peakBytes_, need);
    return true;
  }

  /// Stores a state this rank owns (the one the last store_.find() looked up; needs room).
  void storeOwned(State&& state, StateIndex index, StateIndex parent, std::optional<Action> action,
                  bool terminal) {
    store_.reserveOneMore();
    reserveOneMore(globalOf_);
    reserveOneMore(parentOf_);
    reserveOneMore(firstAction_);
    reserveOneMore(terminal_);
    store_.insert(std::move(state));
    globalOf_.push_back(index);
    parentOf_.push_back(parent);
    firstAction_.push_back(std::move(action));
    terminal_.push_back(terminal ? 1 : 0);
  }

  /// The initial state, at its owner; false if it fits no rank's cap (then nothing is known).
  bool storeInitial() {
    State initial = model_.initial();
    initialHash_ = hashOf(initial);
    bool fits = true;
    if (ownerOf(initialHash_, ranks_) == rank_) {
      (void)store_.find(initial, initialHash_, kNoContext);
      fits = roomForOneMore();
      if (fits) {
        storeOwned(State(initial), 0, 0, std::nullopt, false);
        std::vector<Finding> findings;
        model_.stateFindings(initial, findings);
        if constexpr (kClassifies) {
          if (!findings.empty()) model_.classifyStateFindings(nullptr, nullptr, initial, findings);
        }
        for (std::uint32_t i = 0; i < findings.size(); ++i)
          note(std::move(findings[i]), EventKey{0, 0, kStateFindingStep + i}, 0, nullptr, nullptr);
      }
    }
    return !allreduceOr(transport_, !fits);
  }

  // ---- findings ---------------------------------------------------------------------------

  void note(Finding&& finding, EventKey key, StateIndex end, const Action* lastAction, const State* lastState) {
    const PropertyIndex p = finding.property;
    KSIM_VERIFY(p < first_.size(), "model reported a Finding with an out-of-range property index");
    auto [at, inserted] = causeKeys_[p].try_emplace(finding.cause, key);
    if (!inserted) at->second = std::min(at->second, key);
    const bool firstOfProperty = !first_[p] || key < first_[p]->key;
    bool firstOfCause = false;
    if (options_.allCauses) {
      const auto known = causeRecords_[p].find(finding.cause);
      firstOfCause = known == causeRecords_[p].end() || key < known->second.key;
    }
    if (!firstOfProperty && !firstOfCause) return;
    FindingRecord record{key, p, finding.cause, std::move(finding.message), end, std::nullopt, std::nullopt};
    if (lastAction != nullptr) {
      record.lastAction = *lastAction;
      record.lastState = *lastState;
    }
    if (firstOfCause) causeRecords_[p].insert_or_assign(record.cause, record);
    if (firstOfProperty) first_[p] = std::move(record);
    // Every finding this rank meets later has a larger key, so none can be the first (Emitter::wanted).
    if (!options_.allCauses) settled_[p].store(true, std::memory_order_relaxed);
  }

  /// Collective: the smallest key of a finding of a property in Options::stopAtViolationOf, over
  /// all ranks (kNoEvent if none). Also tells each rank which properties some rank has a finding of.
  EventKey firstWatchedViolation() {
    EventKey mine = kNoEvent;
    const auto& watched = options_.stopAtViolationOf;
    Bytes out;
    ByteWriter writer(out);
    for (PropertyIndex p = 0; p < first_.size(); ++p) {
      if (first_[p] && p < watched.size() && watched[p]) mine = std::min(mine, first_[p]->key);
    }
    writer.put(mine.expansion).put(mine.ordinal).put(mine.step);
    for (PropertyIndex p = 0; p < first_.size(); ++p) writer.put(static_cast<std::uint8_t>(first_[p] ? 1 : 0));
    EventKey all = kNoEvent;
    for (const Bytes& in : transport_.allgather(out)) {
      ByteReader reader(in);
      EventKey theirs;
      theirs.expansion = reader.get<std::uint64_t>();
      theirs.ordinal = reader.get<std::uint32_t>();
      theirs.step = reader.get<std::uint32_t>();
      all = std::min(all, theirs);
      for (PropertyIndex p = 0; p < first_.size(); ++p) {
        // A property some rank has a finding of: every finding of a later level comes after it.
        if (reader.get<std::uint8_t>() != 0 && !options_.allCauses) settled_[p].store(true, std::memory_order_relaxed);
      }
    }
    return all;
  }

  // ---- next states as differences ----------------------------------------------------------

  /// Two runs of changed bytes closer than this are sent as one (a run's header costs 4 bytes).
  static constexpr std::size_t kJoinedGap = 4;

  /// Appends `to` as the runs of bytes in which it differs from `from`: a 16-bit run count, then
  /// per run its 16-bit offset, 16-bit length and bytes.
  static void putDifference(Bytes& out, const State& from, const State& to) {
    static_assert(sizeof(State) < 0x10000, "a state too large for 16-bit offsets");
    const auto* a = reinterpret_cast<const std::byte*>(&from);
    const auto* b = reinterpret_cast<const std::byte*>(&to);
    const std::size_t countAt = out.size();
    ByteWriter writer(out);
    writer.put(std::uint16_t{0});
    std::uint16_t runs = 0;
    for (std::size_t i = 0; i < sizeof(State);) {
      if (a[i] == b[i]) {
        ++i;
        continue;
      }
      const std::size_t start = i;
      std::size_t end = i + 1;  // one past the run's last changed byte
      for (std::size_t j = end; j < sizeof(State) && j < end + kJoinedGap; ++j)
        if (a[j] != b[j]) end = j + 1;
      writer.put(static_cast<std::uint16_t>(start)).put(static_cast<std::uint16_t>(end - start));
      out.insert(out.end(), b + start, b + end);
      ++runs;
      i = end;
    }
    std::memcpy(out.data() + countAt, &runs, sizeof runs);
  }

  /// Turns the source state `s` into the next state putDifference() wrote.
  static void applyDifference(ByteReader& reader, State& s) {
    auto* bytes = reinterpret_cast<std::byte*>(&s);
    for (auto runs = reader.get<std::uint16_t>(); runs != 0; --runs) {
      const auto offset = reader.get<std::uint16_t>();
      const auto length = reader.get<std::uint16_t>();
      KSIM_VERIFY(std::size_t{offset} + length <= sizeof(State), "distributed search: a message is garbled");
      reader.getBytes(std::span<std::byte>(bytes + offset, length));
    }
  }

  // ---- one level ----------------------------------------------------------------------------

  /// Expands the frontier this rank owns and delivers every transition to its next state's owner,
  /// in batches, until every rank is done.
  void expandLevel() {
    candidateStates_.clear();
    candidateIndex_ = VisitedSet{};
    candidates_.clear();
    findingParents_.clear();
    levelEdgesBegin_ = pendingEdges_.size();
    expansions_.clear();
    levelEffects_.clear();

    std::vector<Bytes> outgoing(static_cast<std::size_t>(ranks_));
    std::vector<std::int64_t> lastSourceSent(static_cast<std::size_t>(ranks_), -1);
    // kSendsDeltas: the source state each batch sent last (what its next source is written against).
    std::vector<State> lastSourceState;
    if constexpr (kSendsDeltas) lastSourceState.assign(static_cast<std::size_t>(ranks_), State{});
    std::size_t outgoingBytes = 0;
    std::size_t next = frontierBegin_;
    const std::size_t frontierEnd = globalOf_.size();
    const std::span<const std::atomic<bool>> settled(settled_.get(), first_.size());

    for (;;) {
      while (next < frontierEnd && outgoingBytes < distributed_.batchBytes) {
        const std::size_t local = next++;
        if (terminal_[local] != 0) continue;
        const StateIndex source = globalOf_[local];
        const State state = store_[static_cast<StateIndex>(local)];  // a store may give a copy
        std::uint32_t ordinal = 0;
        auto handler = [&](Action&& action, State&& nextState, std::vector<Finding>&& findings, bool terminal) {
          const std::uint32_t at = ordinal++;
          const bool selfLoop = nextState == state;
          if (selfLoop) KSIM_VERIFY(!terminal, "model emitted the same state both as terminal and as non-terminal");
          for (std::uint32_t i = 0; i < findings.size(); ++i)
            note(std::move(findings[i]), transitionKey(source, at, kTransitionStep + i), source, &action,
                 selfLoop ? &state : &nextState);
          if (selfLoop) return;  // counted here, never looked up
          const std::uint64_t hash = hashOf(nextState);
          const auto owner = static_cast<std::size_t>(ownerOf(hash, ranks_));
          Bytes& out = outgoing[owner];
          const std::size_t before = out.size();
          ByteWriter writer(out);
          if (lastSourceSent[owner] != std::int64_t{source}) {
            lastSourceSent[owner] = source;
            writer.put(kSourceTag).put(source);
            if constexpr (kSendsDeltas) {
              putDifference(out, lastSourceState[owner], state);
              lastSourceState[owner] = state;
            } else if constexpr (kClassifies) {
              writer.put(state);
            }
          }
          writer.put(kTransitionTag).put(at).put(static_cast<std::uint8_t>(terminal ? 1 : 0)).put(action);
          if constexpr (kSendsDeltas) {
            putDifference(out, state, nextState);  // the owner hashes it again
          } else {
            writer.put(hash).put(nextState);
          }
          outgoingBytes += out.size() - before;
        };
        Emitter<Action, State> emit(handler, settled);
        Effects effects = expander_.expand(state, emit);
        if constexpr (ModelWithExpander<M>) levelEffects_.emplace_back(source, std::move(effects));
        expansions_.emplace_back(source, ordinal);
      }
      const bool done = next == frontierEnd;
      std::vector<Bytes> incoming = transport_.exchange(std::move(outgoing));
      outgoing.assign(static_cast<std::size_t>(ranks_), Bytes{});
      std::fill(lastSourceSent.begin(), lastSourceSent.end(), -1);
      if constexpr (kSendsDeltas) std::fill(lastSourceState.begin(), lastSourceState.end(), State{});
      outgoingBytes = 0;
      for (const Bytes& in : incoming) receive(in);
      if (!allreduceOr(transport_, !done)) break;
    }
  }

  /// Handles the transitions another rank (or this one) sent to this rank, the owner of their next
  /// states.
  void receive(std::span<const std::byte> in) {
    ByteReader reader(in);
    StateIndex source = 0;
    std::optional<State> parent;
    if constexpr (kSendsDeltas) parent.emplace();  // the batch's sources are written against it
    [[maybe_unused]] bool sourceKnown = false;
    while (!reader.done()) {
      const auto tag = reader.get<std::uint8_t>();
      if (tag == kSourceTag) {
        source = reader.get<StateIndex>();
        sourceKnown = true;
        if constexpr (kSendsDeltas) {
          applyDifference(reader, *parent);
        } else if constexpr (kClassifies) {
          parent = reader.get<State>();
        }
        continue;
      }
      KSIM_VERIFY(tag == kTransitionTag, "distributed search: a message is garbled");
      const auto ordinal = reader.get<std::uint32_t>();
      const bool terminal = reader.get<std::uint8_t>() != 0;
      Action action = reader.get<Action>();
      std::uint64_t hash = 0;
      State next = [&] {
        if constexpr (kSendsDeltas) {
          KSIM_VERIFY(sourceKnown, "distributed search: a message is garbled");
          State s = *parent;
          applyDifference(reader, s);
          hash = hashOf(s);
          return s;
        } else {
          hash = reader.get<std::uint64_t>();
          return reader.get<State>();
        }
      }();

      if (const auto probe = store_.find(next, hash, kNoContext); probe.found) {
        KSIM_VERIFY((terminal_[probe.index] != 0) == terminal,
                    "model emitted the same state both as terminal and as non-terminal");
        if (options_.recordGraph) {
          reserveOneMore(pendingEdges_);
          pendingEdges_.push_back(PendingEdge{source, ordinal, globalOf_[probe.index], false, std::move(action)});
        }
        continue;
      }
      const auto known =
          candidateIndex_.probe(hash, [&](StateIndex i) { return candidateStates_[i] == next; });
      auto position = static_cast<StateIndex>(known.value);
      if (known.found) {
        Candidate& candidate = candidates_[position];
        KSIM_VERIFY(candidate.terminal == terminal,
                    "model emitted the same state both as terminal and as non-terminal");
        if (std::pair{source, ordinal} < candidate.key()) {
          candidate.source = source;
          candidate.ordinal = ordinal;
          candidate.action = action;
          if constexpr (kClassifies) {
            if (candidate.hasFindings) findingParents_.insert_or_assign(position, *parent);
          }
        }
      } else {
        position = static_cast<StateIndex>(candidates_.size());
        // Whether the state has findings does not depend on how it is reached: asked once here,
        // so that only the (rare) states with findings keep a parent for classifyStateFindings.
        std::vector<Finding> findings;
        model_.stateFindings(next, findings);
        reserveOneMore(candidateStates_);
        candidateIndex_.growForOneMore([this](StateIndex i) { return candidates_[i].hash; });
        reserveOneMore(candidates_);
        candidateIndex_.insert(hash, position);
        candidateStates_.push_back(std::move(next));
        candidates_.push_back(Candidate{source, ordinal, action, terminal, hash, !findings.empty(), 0});
        if constexpr (kClassifies) {
          if (!findings.empty()) findingParents_.insert_or_assign(position, *parent);
        }
      }
      if (options_.recordGraph) {
        reserveOneMore(pendingEdges_);
        pendingEdges_.push_back(PendingEdge{source, ordinal, position, true, std::move(action)});
      }
    }
  }

  /// Numbers the level's new states, checks them, finds the level's first stopping event (if any)
  /// and stores the new states before it.
  LevelOutcome settleLevel(std::uint64_t levelStart) {
    // Number: b + the count of all ranks' keys below a candidate's own.
    std::vector<std::size_t> order(candidates_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t x, std::size_t y) { return candidates_[x].key() < candidates_[y].key(); });
    Bytes out;
    {
      ByteWriter writer(out);
      for (const std::size_t i : order) writer.put(candidates_[i].source).put(candidates_[i].ordinal);
    }
    std::vector<std::pair<StateIndex, std::uint32_t>> allKeys;
    for (const Bytes& in : transport_.allgather(out)) {
      ByteReader reader(in);
      while (!reader.done()) {
        const auto source = reader.get<StateIndex>();
        allKeys.emplace_back(source, reader.get<std::uint32_t>());
      }
    }
    std::sort(allKeys.begin(), allKeys.end());
    KSIM_VERIFY(levelStart + allKeys.size() < std::uint64_t{0xfffffffeu},
                "more than 2^32-2 states: StateIndex overflows");
    for (Candidate& candidate : candidates_) {
      const auto below = std::lower_bound(allKeys.begin(), allKeys.end(), candidate.key()) - allKeys.begin();
      candidate.index = static_cast<StateIndex>(levelStart + static_cast<std::uint64_t>(below));
    }

    // explore() refuses to store the state numbered maxStates.
    EventKey trigger = kNoEvent;
    Completion completion = Completion::Complete;
    const std::uint64_t maxStates = options_.bounds.maxStates;
    if (maxStates != 0 && levelStart + allKeys.size() > maxStates) {
      const auto& [source, ordinal] = allKeys[maxStates - levelStart];
      trigger = transitionKey(source, ordinal, kStoreStep);
      completion = Completion::StateBound;
    }

    // Check the new states before that point, in key order (findings are noted by key anyway).
    for (const std::size_t i : order) {
      const Candidate& candidate = candidates_[i];
      if (transitionKey(candidate.source, candidate.ordinal, kStoreStep) >= trigger) break;
      if (!candidate.hasFindings) continue;
      std::vector<Finding> findings;
      const State& state = candidateStates_[i];
      model_.stateFindings(state, findings);
      if constexpr (kClassifies) {
        model_.classifyStateFindings(&findingParents_.at(static_cast<StateIndex>(i)), &candidate.action, state,
                                     findings);
      }
      for (std::uint32_t f = 0; f < findings.size(); ++f)
        note(std::move(findings[f]), transitionKey(candidate.source, candidate.ordinal, kStateFindingStep + f),
             candidate.index, nullptr, nullptr);
    }
    if (const EventKey violation = firstWatchedViolation(); violation < trigger) {
      trigger = violation;
      completion = Completion::StoppedAtViolation;
    }

    // Store the new states up to there, in index order, while they fit this rank's cap.
    EventKey lastEvent = lastEventBefore(trigger);
    EventKey memoryTrigger = kNoEvent;
    const std::size_t ownedBefore = globalOf_.size();
    for (const std::size_t i : order) {
      Candidate& candidate = candidates_[i];
      const EventKey key = transitionKey(candidate.source, candidate.ordinal, kStoreStep);
      if (key > lastEvent) break;
      State state = candidateStates_[i];
      const auto probe = store_.find(state, candidate.hash, kNoContext);
      KSIM_VERIFY(!probe.found, "distributed search: a new state is already stored");
      if (!roomForOneMore()) {
        memoryTrigger = key;
        break;
      }
      storeOwned(std::move(state), candidate.index, candidate.source, candidate.action, candidate.terminal);
    }
    if (const EventKey memory = minOverRanks(memoryTrigger); memory < trigger) {
      trigger = memory;
      completion = Completion::MemoryBound;
      lastEvent = lastEventBefore(trigger);
    }

    // Keep exactly the events up to the stop (all of them if there is none).
    std::uint64_t kept = 0;
    for (const auto& [source, ordinal] : allKeys) kept += transitionKey(source, ordinal, kStoreStep) <= lastEvent;
    while (globalOf_.size() > ownedBefore && globalOf_.back() >= levelStart + kept) {
      // Stored beyond another rank's memory stop: no longer part of the search, which ends here.
      globalOf_.pop_back();
      parentOf_.pop_back();
      firstAction_.pop_back();
      terminal_.pop_back();
    }
    for (std::size_t local = ownedBefore; local < globalOf_.size(); ++local) terminalStates_ += terminal_[local];
    for (const auto& [source, emitted] : expansions_) {
      const EventKey whole = transitionKey(source, ~0u, ~0u);
      if (whole <= lastEvent) {
        transitions_ += emitted;
        if (emitted == 0) ++deadlockStates_;
      } else if (transitionKey(source, 0, 0) <= lastEvent) {
        transitions_ += std::min<std::uint64_t>(emitted, std::uint64_t{lastEvent.ordinal} + 1);
      }
    }
    if constexpr (ModelWithExpander<M>) {
      // explore() absorbs the expansion it stops in (whose later emits it ignores).
      for (auto& [source, effects] : levelEffects_)
        if (transitionKey(source, 0, 0) <= lastEvent) absorb(source, std::move(effects));
      levelEffects_.clear();
    }
    if (options_.recordGraph) {
      for (std::size_t e = levelEdgesBegin_; e < pendingEdges_.size(); ++e) {
        PendingEdge& edge = pendingEdges_[e];
        if (edge.toCandidate) edge.target = candidates_[edge.target].index;
        edge.toCandidate = false;
      }
    }
    frontierBegin_ = ownedBefore;

    LevelOutcome outcome;
    outcome.newStates = kept;
    if (trigger != kNoEvent) {
      outcome.completion = completion;
      outcome.lastEvent = lastEvent;
      outcome.expandedPrefix = trigger.expansion - 1;  // explore() stops in that expansion
    }
    return outcome;
  }

  EventKey minOverRanks(EventKey mine) {
    EventKey all = kNoEvent;
    for (const auto& theirs : allgatherValue(transport_, mine)) all = std::min(all, theirs);
    return all;
  }

  // ---- the end ------------------------------------------------------------------------------

  void putRecord(ByteWriter& writer, const FindingRecord& r) const {
    writer.put(r.key.expansion).put(r.key.ordinal).put(r.key.step).put(r.property).put(r.cause).put(r.message);
    writer.put(r.end).put(static_cast<std::uint8_t>(r.lastAction ? 1 : 0));
    if (r.lastAction) writer.put(*r.lastAction).put(*r.lastState);
  }

  FindingRecord getRecord(ByteReader& reader) const {
    FindingRecord r;
    r.key.expansion = reader.get<std::uint64_t>();
    r.key.ordinal = reader.get<std::uint32_t>();
    r.key.step = reader.get<std::uint32_t>();
    r.property = reader.get<PropertyIndex>();
    r.cause = reader.get<std::uint64_t>();
    r.message = reader.get<std::string>();
    r.end = reader.get<StateIndex>();
    if (reader.get<std::uint8_t>() != 0) {
      r.lastAction = reader.get<Action>();
      r.lastState = reader.get<State>();
    }
    return r;
  }

  /// Collective: gathers what every rank kept up to `lastEvent` and builds the Result (the same on
  /// every rank; the graph on rank 0 only).
  Result<M> finish(Completion completion, EventKey lastEvent, std::uint64_t expandedPrefix) {
    const std::size_t propertyCount = first_.size();

    // Findings: each rank's first per property, its causes and (allCauses) its first per cause.
    Bytes out;
    {
      ByteWriter writer(out);
      for (PropertyIndex p = 0; p < propertyCount; ++p) {
        const bool keep = first_[p] && first_[p]->key <= lastEvent;
        writer.put(static_cast<std::uint8_t>(keep ? 1 : 0));
        if (keep) putRecord(writer, *first_[p]);
        std::uint64_t causes = 0;
        for (const auto& [cause, key] : causeKeys_[p]) causes += key <= lastEvent;
        writer.put(causes);
        for (const auto& [cause, key] : causeKeys_[p])
          if (key <= lastEvent) writer.put(cause);
        std::uint64_t records = 0;
        for (const auto& [cause, record] : causeRecords_[p]) records += record.key <= lastEvent;
        writer.put(records);
        for (const auto& [cause, record] : causeRecords_[p])
          if (record.key <= lastEvent) putRecord(writer, record);
      }
      writer.put(transitions_).put(terminalStates_).put(deadlockStates_).put(peakBytes_)
          .put(static_cast<std::uint64_t>(globalOf_.size()));
    }
    std::vector<std::optional<FindingRecord>> first(propertyCount);
    std::vector<std::set<std::uint64_t>> causes(propertyCount);
    std::vector<std::map<std::uint64_t, FindingRecord>> firstOfCause(propertyCount);
    Stats stats;
    for (const Bytes& in : transport_.allgather(out)) {
      ByteReader reader(in);
      for (PropertyIndex p = 0; p < propertyCount; ++p) {
        if (reader.get<std::uint8_t>() != 0) {
          FindingRecord record = getRecord(reader);
          if (!first[p] || record.key < first[p]->key) first[p] = std::move(record);
        }
        for (auto n = reader.get<std::uint64_t>(); n != 0; --n) causes[p].insert(reader.get<std::uint64_t>());
        for (auto n = reader.get<std::uint64_t>(); n != 0; --n) {
          FindingRecord record = getRecord(reader);
          const auto known = firstOfCause[p].find(record.cause);
          if (known == firstOfCause[p].end() || record.key < known->second.key)
            firstOfCause[p].insert_or_assign(record.cause, std::move(record));
        }
      }
      stats.transitions += reader.get<std::uint64_t>();
      stats.terminalStates += reader.get<std::uint64_t>();
      stats.deadlockStates += reader.get<std::uint64_t>();
      stats.memoryBytes = std::max(stats.memoryBytes, reader.get<std::uint64_t>());
      stats.states += reader.get<std::uint64_t>();
    }
    stats.maxDepth = 0;
    if (stats.states != 0) {
      // levelStarts_ may end with the start of an empty level (or of one cut off before its first state).
      while (levelStarts_.size() > 1 && levelStarts_.back() >= stats.states) levelStarts_.pop_back();
      stats.maxDepth = levelStarts_.size() - 1;
    } else {
      levelStarts_.clear();
    }
    // As explore(): the level being expanded when the search stopped (every shallower one whole).
    stats.completeDepth = completion == Completion::Complete ? stats.maxDepth : expandingDepth_;

    // Which findings end counterexamples: explore()'s first per property, then (allCauses) the
    // first of each other cause, in key order, up to the cap.
    std::vector<std::vector<const FindingRecord*>> chosen(propertyCount);
    for (PropertyIndex p = 0; p < propertyCount; ++p) {
      if (!first[p]) continue;
      chosen[p].push_back(&*first[p]);
      std::vector<const FindingRecord*> others;
      for (const auto& [cause, record] : firstOfCause[p])
        if (cause != first[p]->cause) others.push_back(&record);
      std::sort(others.begin(), others.end(), [](const auto* x, const auto* y) { return x->key < y->key; });
      if (others.size() > kMaxCounterexamplesPerProperty - 1) others.resize(kMaxCounterexamplesPerProperty - 1);
      chosen[p].insert(chosen[p].end(), others.begin(), others.end());
    }

    std::vector<StateIndex> ends;
    for (const auto& records : chosen)
      for (const FindingRecord* r : records) ends.push_back(r->end);
    const auto path = gatherPaths(ends);

    Result<M> result;
    result.completion = completion;
    result.stats = stats;
    for (PropertyIndex p = 0; p < propertyCount; ++p) {
      if (chosen[p].empty()) {
        result.verdicts.push_back(completion == Completion::Complete ? Verdict::Holds : Verdict::Unknown);
      } else {
        result.verdicts.push_back(Verdict::Violated);
      }
      for (const FindingRecord* r : chosen[p]) result.counterexamples.push_back(makeCounterexample(*r, path));
      result.causeCounts.push_back(causes[p].size());
    }
    if (options_.recordGraph) gatherGraph(result, lastEvent, expandedPrefix);
    return result;
  }

  struct PathStep {
    StateIndex parent = 0;
    std::optional<Action> action;
    State state;
  };

  /// Collective: the parent, first action and state of every state on the breadth-first paths
  /// to `ends`, asked of their owners one level at a time (every rank asks for the same indices).
  std::map<StateIndex, PathStep> gatherPaths(std::vector<StateIndex> wanted) {
    std::map<StateIndex, PathStep> known;
    for (;;) {
      std::sort(wanted.begin(), wanted.end());
      wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
      std::erase_if(wanted, [&](StateIndex i) { return known.contains(i); });
      if (!allreduceOr(transport_, !wanted.empty())) break;  // the same on every rank; kept collective
      Bytes out;
      ByteWriter writer(out);
      for (const StateIndex index : wanted) {
        const auto at = std::lower_bound(globalOf_.begin(), globalOf_.end(), index);
        if (at == globalOf_.end() || *at != index) continue;
        const auto local = static_cast<std::size_t>(at - globalOf_.begin());
        writer.put(index).put(parentOf_[local]).put(static_cast<std::uint8_t>(firstAction_[local] ? 1 : 0));
        if (firstAction_[local]) writer.put(*firstAction_[local]);
        writer.put(State(store_[static_cast<StateIndex>(local)]));
      }
      std::vector<StateIndex> next;
      for (const Bytes& in : transport_.allgather(out)) {
        ByteReader reader(in);
        while (!reader.done()) {
          const auto index = reader.get<StateIndex>();
          const auto parent = reader.get<StateIndex>();
          std::optional<Action> action;
          if (reader.get<std::uint8_t>() != 0) action = reader.get<Action>();
          known.insert_or_assign(index, PathStep{parent, std::move(action), reader.get<State>()});
          if (index != 0) next.push_back(parent);
        }
      }
      for (const StateIndex index : wanted) KSIM_VERIFY(known.contains(index), "distributed search: a state has no owner");
      wanted = std::move(next);
    }
    return known;
  }

  Cx makeCounterexample(const FindingRecord& r, const std::map<StateIndex, PathStep>& steps) const {
    std::vector<StateIndex> path;
    for (StateIndex i = r.end; i != 0; i = steps.at(i).parent) path.push_back(i);
    path.push_back(0);
    std::reverse(path.begin(), path.end());
    Cx cx;
    cx.property = r.property;
    cx.message = r.message;
    cx.cause = r.cause;
    cx.viaTransition = r.lastAction.has_value();
    for (const StateIndex i : path) {
      const PathStep& step = steps.at(i);
      cx.states.push_back(step.state);
      if (i != 0) cx.actions.push_back(*step.action);
    }
    if (r.lastAction) {
      cx.actions.push_back(*r.lastAction);
      cx.states.push_back(*r.lastState);
    }
    return cx;
  }

  /// One rank's part of the graph, as rank 0 reads it: the count of its states, then each (its
  /// index, parent, terminal flag, first action, and the state: with kSendsDeltas, its difference
  /// from the one before, an empty state first), then the count of its edges kept up to the last
  /// event, then each in key order (source, ordinal, target, action). Written a chunk of whole
  /// records at a time, so that no rank ever holds all of it at once.
  class GraphPartWriter {
   public:
    GraphPartWriter(DistributedSearch& search, EventKey lastEvent) : search_(search) {
      // explore() records an edge where it would store the state the transition discovers; rank 0
      // merges the ranks' edges in key order.
      std::vector<PendingEdge>& edges = search.pendingEdges_;
      std::erase_if(edges, [&](const PendingEdge& e) {
        return transitionKey(e.source, e.ordinal, kStoreStep) > lastEvent;
      });
      std::sort(edges.begin(), edges.end(), [](const PendingEdge& x, const PendingEdge& y) {
        return std::pair{x.source, x.ordinal} < std::pair{y.source, y.ordinal};
      });
      if constexpr (kSendsDeltas) previous_.emplace();
    }

    /// Appends whole records to `out` until it holds `budget` bytes or the part is written;
    /// returns whether the part is written.
    bool write(Bytes& out, std::size_t budget) {
      const DistributedSearch& s = search_;
      ByteWriter writer(out);
      while (phase_ != Phase::Written && out.size() < budget) {
        switch (phase_) {
          case Phase::StateCount:
            writer.put(static_cast<std::uint64_t>(s.globalOf_.size()));
            phase_ = Phase::States;
            break;
          case Phase::States:
            if (next_ == s.globalOf_.size()) {
              writer.put(static_cast<std::uint64_t>(s.pendingEdges_.size()));
              next_ = 0;
              phase_ = Phase::Edges;
              break;
            }
            writer.put(s.globalOf_[next_]).put(s.parentOf_[next_]).put(s.terminal_[next_]);
            if (s.firstAction_[next_]) writer.put(*s.firstAction_[next_]);
            if constexpr (kSendsDeltas) {
              State state = s.store_[static_cast<StateIndex>(next_)];
              putDifference(out, *previous_, state);
              previous_ = std::move(state);
            } else {
              writer.put(s.store_[static_cast<StateIndex>(next_)]);
            }
            ++next_;
            break;
          case Phase::Edges:
            if (next_ == s.pendingEdges_.size()) {
              phase_ = Phase::Written;
              break;
            }
            {
              const PendingEdge& e = s.pendingEdges_[next_++];
              writer.put(e.source).put(e.ordinal).put(e.target).put(e.action);
            }
            break;
          case Phase::Written:
            break;
        }
      }
      if (phase_ == Phase::Edges && next_ == s.pendingEdges_.size()) phase_ = Phase::Written;
      return phase_ == Phase::Written;
    }

   private:
    enum class Phase { StateCount, States, Edges, Written };
    const DistributedSearch& search_;
    Phase phase_ = Phase::StateCount;
    std::size_t next_ = 0;           // the next state (local position) or edge to write
    std::optional<State> previous_;  // kSendsDeltas: the state written last
  };

  /// Rank 0's reading of one rank's part (GraphPartWriter) from the chunks received so far. A
  /// record is never split between chunks, so one can be read whenever a byte is left.
  class GraphPartReader {
   public:
    enum class Phase { StateCount, States, EdgeCount, Edges, Read };

    GraphPartReader() {
      if constexpr (kSendsDeltas) previous_.emplace();
    }
    GraphPartReader(GraphPartReader&&) = delete;  // reader_ points into chunks_

    void receive(Bytes&& chunk) {
      if (chunk.empty()) return;
      chunks_.push_back(std::move(chunk));  // a deque: reader_'s chunk stays where it is
      if (!reader_) reader_.emplace(chunks_.front());
    }

    /// Reads up to the next state or edge record's body: false if that needs a chunk not yet
    /// received. Then phase() says which, or that the part is read.
    bool ready() {
      for (;;) {
        switch (phase_) {
          case Phase::StateCount:
            if (!readable()) return false;
            left_ = reader_->get<std::uint64_t>();
            phase_ = Phase::States;
            break;
          case Phase::States:
            if (left_ == 0) {
              phase_ = Phase::EdgeCount;
              break;
            }
            if (head_) return true;
            if (!readable()) return false;
            head_ = reader_->get<StateIndex>();
            return true;
          case Phase::EdgeCount:
            if (!readable()) return false;
            left_ = reader_->get<std::uint64_t>();
            phase_ = Phase::Edges;
            break;
          case Phase::Edges:
            if (left_ == 0) {
              phase_ = Phase::Read;
              break;
            }
            if (edge_) return true;
            if (!readable()) return false;
            {
              const auto source = reader_->get<StateIndex>();
              const auto ordinal = reader_->get<std::uint32_t>();
              const auto target = reader_->get<StateIndex>();
              edge_ = PendingEdge{source, ordinal, target, false, reader_->get<Action>()};
            }
            return true;
          case Phase::Read:
            return true;
        }
      }
    }

    Phase phase() const noexcept { return phase_; }
    /// Phase::States after ready(): the next state's index.
    StateIndex head() const noexcept { return *head_; }
    /// Phase::Edges after ready(): the next edge.
    const PendingEdge& edge() const noexcept { return *edge_; }

    /// Phase::States after ready(): the next state's record, consumed.
    struct StateRecord {
      StateIndex parent;
      bool terminal;
      std::optional<Action> action;
      State state;
    };
    StateRecord takeState() {
      StateRecord out{};
      out.parent = reader_->get<StateIndex>();
      out.terminal = reader_->get<std::uint8_t>() != 0;
      if (*head_ != 0) out.action = reader_->get<Action>();
      if constexpr (kSendsDeltas) {
        applyDifference(*reader_, *previous_);
        out.state = *previous_;
      } else {
        out.state = reader_->get<State>();
      }
      head_.reset();
      --left_;
      return out;
    }
    void dropEdge() {
      edge_.reset();
      --left_;
    }
    /// Whether every byte received was read.
    bool drained() { return !readable(); }

   private:
    bool readable() {
      while (reader_ && reader_->done()) {
        reader_.reset();
        chunks_.pop_front();
        if (!chunks_.empty()) reader_.emplace(chunks_.front());
      }
      return reader_.has_value();
    }

    std::deque<Bytes> chunks_;
    std::optional<ByteReader> reader_;  // on chunks_.front()
    Phase phase_ = Phase::StateCount;
    std::uint64_t left_ = 0;           // records left in the current section
    std::optional<StateIndex> head_;   // States: the next state's index, once read
    std::optional<PendingEdge> edge_;  // Edges: the next edge, once read
    std::optional<State> previous_;    // kSendsDeltas: the state read last
  };

  /// Rank 0 builds explore()'s graph from the ranks' parts as they arrive: the states in index
  /// order, then the edges in key order, each as soon as no part can still hold an earlier one.
  class GraphMerge {
   public:
    GraphMerge(const DistributedSearch& search, int ranks, std::uint64_t stateCount)
        : search_(search),
          parts_(static_cast<std::size_t>(ranks)),
          stateCount_(stateCount),
          graph_(std::make_shared<typename ExploredGraph<Action, State>::Parts>()),
          store_(search.makeStore()) {}

    void receive(std::vector<Bytes>&& incoming) {
      for (std::size_t r = 0; r < parts_.size(); ++r) parts_[r].receive(std::move(incoming[r]));
    }

    /// Merges what the chunks received so far allow. `all`: every chunk has been received, so the
    /// graph must now be whole.
    void advance(bool all) {
      while (next_ < stateCount_) {
        GraphPartReader* from = nullptr;
        for (GraphPartReader& part : parts_)
          if (part.ready() && part.phase() == GraphPartReader::Phase::States && part.head() == next_)
            from = &part;
        if (from == nullptr) {
          KSIM_VERIFY(!all, "distributed search: a state of the graph is missing");
          return;
        }
        addState(from->takeState());
      }
      for (;;) {
        GraphPartReader* first = nullptr;
        for (GraphPartReader& part : parts_) {
          if (!part.ready()) {
            KSIM_VERIFY(!all, "distributed search: a message ends too early");
            return;  // its next edge may come first
          }
          KSIM_VERIFY(part.phase() != GraphPartReader::Phase::States,
                      "distributed search: a rank sent a state beyond the graph");
          if (part.phase() != GraphPartReader::Phase::Edges) continue;
          const PendingEdge& e = part.edge();
          if (first == nullptr ||
              std::pair{e.source, e.ordinal} < std::pair{first->edge().source, first->edge().ordinal})
            first = &part;
        }
        if (first == nullptr) break;
        const PendingEdge& e = first->edge();
        const std::uint32_t id = idOf(e.action);
        graph_->edges.reserveOneMore();
        graph_->edges.push_back(e.source, e.target, id);
        first->dropEdge();
      }
      if (all)
        for (GraphPartReader& part : parts_)
          KSIM_VERIFY(part.drained(), "distributed search: a message is garbled");
    }

    ExploredGraph<Action, State> graph(std::uint64_t expandedPrefix) && {
      graph_->states = std::make_shared<Store>(std::move(store_));
      graph_->levelStarts = search_.levelStarts_;
      graph_->expandedPrefix = expandedPrefix;
      return ExploredGraph<Action, State>(std::move(graph_));
    }

   private:
    std::uint32_t idOf(const Action& action) {
      const std::uint32_t known = graph_->actions.find(action);
      if (known != ActionTable<Action>::kAbsent) return known;
      graph_->actions.reserveOneMore();
      return graph_->actions.append(action);
    }

    void addState(typename GraphPartReader::StateRecord&& r) {
      (void)store_.find(r.state, search_.hashOf(r.state), kNoContext);
      store_.reserveOneMore();
      store_.insert(std::move(r.state));
      graph_->parents.reserveFor(r.parent);
      graph_->parents.push_back(r.parent);
      graph_->terminal.reserveOneMore();
      graph_->terminal.push_back(r.terminal);
      if (r.action) {
        const std::uint32_t id = idOf(*r.action);
        graph_->firstActions.reserveFor(id);
        graph_->firstActions.push_back(id);
      }
      ++next_;
    }

    const DistributedSearch& search_;
    std::vector<GraphPartReader> parts_;
    const std::uint64_t stateCount_;
    std::shared_ptr<typename ExploredGraph<Action, State>::Parts> graph_;
    Store store_;
    StateIndex next_ = 0;  // the next state to add
  };

  /// Collective: every kept state and edge to rank 0, which builds explore()'s graph from them
  /// (rank 0 then holds the whole graph: the progress properties are judged on it there). The
  /// parts travel in rounds of at most a batch per rank, and rank 0 merges each round before the
  /// next: neither a rank nor rank 0 holds a whole part, only the graph being built.
  void gatherGraph(Result<M>& result, EventKey lastEvent, std::uint64_t expandedPrefix) {
    std::optional<GraphMerge> merge;
    if (rank_ == 0) merge.emplace(*this, ranks_, result.stats.states);
    {
      GraphPartWriter mine(*this, lastEvent);
      for (bool written = false;;) {
        std::vector<Bytes> outgoing(static_cast<std::size_t>(ranks_));
        if (!written) written = mine.write(outgoing[0], distributed_.batchBytes);
        std::vector<Bytes> incoming = transport_.exchange(std::move(outgoing));
        if (merge) {
          merge->receive(std::move(incoming));
          merge->advance(false);
        }
        if (!allreduceOr(transport_, !written)) break;
      }
    }
    std::vector<PendingEdge>().swap(pendingEdges_);  // written: the graph has them now
    if (!merge) return;
    merge->advance(true);
    result.graph.emplace(std::move(*merge).graph(expandedPrefix));
  }

  const M& model_;
  const Options& options_;
  const DistributedOptions& distributed_;
  Transport& transport_;
  const int rank_;
  const int ranks_;

  // The states this rank owns, in index order (so in level order): local position -> ...
  Store store_;
  std::vector<StateIndex> globalOf_;  // its global index (increasing)
  std::vector<StateIndex> parentOf_;  // its parent's global index (the initial state: 0)
  std::vector<std::optional<Action>> firstAction_;
  std::vector<std::uint8_t> terminal_;
  std::size_t frontierBegin_ = 0;  // the first owned state of the level to expand
  std::vector<PendingEdge> pendingEdges_;  // recordGraph: the edges into owned states
  std::uint64_t initialHash_ = 0;

  // Global: levelStarts_[d], the index of the first state at depth d.
  std::vector<std::uint64_t> levelStarts_;
  std::uint64_t expandingDepth_ = 0;  // the depth of the level being expanded

  // The level being expanded.
  // The new states this rank owns, parallel to candidates_, and their index by mixed hash (a
  // fresh small one per level: a PlainStore's first chunk would cost a MiB per level).
  std::vector<State> candidateStates_;
  VisitedSet candidateIndex_;
  std::vector<Candidate> candidates_;
  std::map<StateIndex, State> findingParents_;  // kClassifies: the parent of a candidate with findings
  std::size_t levelEdgesBegin_ = 0;                                 // the level's first in pendingEdges_
  std::vector<std::pair<StateIndex, std::uint32_t>> expansions_;  // (source, emits) in order
  std::vector<std::pair<StateIndex, Effects>> levelEffects_;       // absorbed once the level is settled

  ThreadExpander<M> expander_;
  std::unique_ptr<std::atomic<bool>[]> settled_;  // per property (Emitter::wanted)
  std::vector<std::optional<FindingRecord>> first_;                  // per property: the first this rank met
  std::vector<std::map<std::uint64_t, EventKey>> causeKeys_;        // per property: cause -> first key
  std::vector<std::map<std::uint64_t, FindingRecord>> causeRecords_;  // allCauses: cause -> first finding

  std::uint64_t transitions_ = 0;
  std::uint64_t terminalStates_ = 0;
  std::uint64_t deadlockStates_ = 0;
  std::uint64_t peakBytes_ = 0;
};

}  // namespace detail

/// Collective: explores `model` with the ranks of `transport` (every rank calls it with the same
/// model and options). Every rank returns the same Result, equal to explore(model, options)'s
/// except for Stats::memoryBytes (the largest of the ranks' own accountings) and, with maxMemory,
/// where the search stops; Result::graph (recordGraph) is set on rank 0 only. An exception on one
/// rank aborts the transport (see Transport::abort) and is rethrown on that rank.
template <ExplorableModel M>
Result<M> exploreDistributed(const M& model, const Options& options, Transport& transport,
                             const DistributedOptions& distributed = {}) {
  using State = typename M::State;
  KSIM_VERIFY(options.stateStorage != StateStorage::Fingerprint,
              "a distributed search does not support fingerprint storage yet");
  try {
    if (options.stateStorage == StateStorage::Compressed) {
      if constexpr (detail::kBytesAreValue<State>) {
        detail::DistributedSearch<M, detail::TreeStore<State>> search(model, options, distributed, transport);
        return search.run();
      }
    }
    detail::DistributedSearch<M, detail::PlainStore<State>> search(model, options, distributed, transport);
    return search.run();
  } catch (const TransportAborted&) {
    throw;  // another rank failed and said so
  } catch (const std::exception& e) {
    transport.abort(e.what());
    throw;
  } catch (...) {
    transport.abort("an exception that is not a std::exception");
    throw;
  }
}

}  // namespace sim
