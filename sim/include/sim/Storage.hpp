#pragma once

// The search's storage (see sim/Explorer.hpp for the search, sim/README.md for the figures):
// where stored states, their parents, first actions and terminal flags, the visited set and the
// recorded graph live, and what each of them costs by the engine's deterministic accounting.
//
// Three state stores, chosen by Options::stateStorage:
//  * TreeStore (StateStorage::Compressed, the default for states whose bytes are their value):
//    recursive collapse compression. The state's bytes are cut into components (the model's
//    stateComponents() hook, or fixed chunks); every distinct component is interned once in a
//    table of its position, and pairs of component (or pair) indices are interned in the same
//    way up a balanced binary tree. The root table holds one 8-byte pair per distinct state: its
//    position is the state's index and its hash index is the visited set. Two states are one
//    state iff their bytes are equal: for canonical states (the engine's contract) that is
//    operator==. Nothing is approximated.
//  * PlainStore (StateStorage::Plain, and the fallback for other state types): every state whole
//    in a chunked arena, its hash, and an open-addressing set keyed by the model's hash; the
//    representation the engine used before compression.
//  * FingerprintStore (StateStorage::Fingerprint, opt-in): hash compaction. Only a 64-bit
//    fingerprint per state is kept (a set of fingerprints), plus the states not yet expanded;
//    two distinct states with the same fingerprint are taken for one (the second is missed), so
//    the search may be incomplete (Result::missProbability). Counterexample states are
//    re-derived by replaying, from the initial state, the emission ordinal of each step.
//
// Every big array is chunked (ChunkedArray), so it grows by one chunk without copying: no
// doubling peak. Hash indexes are rebuilt from the entries they index when they grow: the old
// slots are freed before the new ones are allocated, so only the new index counts.

#include "sim/Check.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace sim {

/// Index of a stored state: its position in BFS discovery order (0 = the initial state).
using StateIndex = std::uint32_t;

/// A byte range of a State (model hook stateComponents(), see sim/README.md).
struct StateComponent {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

/// How the search stores states (Options::stateStorage).
enum class StateStorage {
  Compressed,   ///< exact; collapse-compressed when the state type allows it, else Plain
  Plain,        ///< exact; every state whole (the uncompressed reference)
  Fingerprint,  ///< hash compaction: 64-bit fingerprints only; may miss states
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

/// Spreads 64 bits over 64 bits (a bijection: distinct inputs never collide).
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

/// Append-only array of fixed-capacity chunks of `kChunkBytes`: elements never move (a model's
/// expand() reads a stored state while the engine appends new ones), growing costs one chunk and
/// no copy, and a prefix of whole chunks can be freed (the fingerprint store's frontier).
template <class T, std::size_t kChunkBytes = std::size_t{1} << 16>
class ChunkedArray {
 public:
  static constexpr std::size_t kChunkShift = [] {
    const std::size_t perChunk = std::max<std::size_t>(64, kChunkBytes / sizeof(T));
    return static_cast<std::size_t>(std::bit_width(perChunk) - 1);
  }();
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkShift;

  std::size_t size() const noexcept { return size_; }
  const T& operator[](std::size_t i) const noexcept {
    return chunks_[i >> kChunkShift][i & (kChunkSize - 1)];
  }
  T& operator[](std::size_t i) noexcept { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }

  std::uint64_t bytes() const noexcept {
    return std::uint64_t{liveChunks_} * kChunkSize * sizeof(T) + bufferBytes(chunks_);
  }
  /// Bytes reserveOneMore() allocates.
  std::uint64_t growthBytes() const noexcept {
    if (size_ < chunks_.size() * kChunkSize) return 0;
    return std::uint64_t{kChunkSize} * sizeof(T) + detail::growthBytes(chunks_);
  }
  /// Makes room for one more element; if an allocation fails the array is unchanged.
  void reserveOneMore() {
    if (size_ < chunks_.size() * kChunkSize) return;
    detail::reserveOneMore(chunks_);
    std::vector<T> chunk;
    chunk.reserve(kChunkSize);  // never reallocates afterwards: addresses stay put
    chunks_.push_back(std::move(chunk));
    ++liveChunks_;
  }
  /// Bytes reserve(extra) allocates.
  std::uint64_t growthBytes(std::size_t extra) const noexcept {
    const std::size_t capacity = chunks_.size() * kChunkSize;
    if (size_ + extra <= capacity) return 0;
    const std::size_t chunks = (size_ + extra - capacity + kChunkSize - 1) / kChunkSize;
    std::uint64_t pointers = 0;
    if (chunks_.size() + chunks > chunks_.capacity())
      pointers =
          std::uint64_t{std::max(chunks_.size() + chunks, grownCapacity(chunks_))} * sizeof(chunks_[0]);
    return std::uint64_t{chunks} * kChunkSize * sizeof(T) + pointers;
  }
  /// Makes room for `extra` more elements.
  void reserve(std::size_t extra) {
    while (size_ + extra > chunks_.size() * kChunkSize) {
      if (chunks_.size() == chunks_.capacity())
        chunks_.reserve(std::max(chunks_.size() + 1, grownCapacity(chunks_)));
      std::vector<T> chunk;
      chunk.reserve(kChunkSize);
      chunks_.push_back(std::move(chunk));
      ++liveChunks_;
    }
  }
  /// Needs room (reserveOneMore).
  void push_back(T value) {
    chunks_[size_ >> kChunkShift].push_back(std::move(value));
    ++size_;
  }
  /// Frees the chunks whose elements all lie below `index` (they may not be read any more).
  void releaseBelow(std::size_t index) noexcept {
    for (std::size_t c = released_; c < chunks_.size() && (c + 1) * kChunkSize <= index; ++c) {
      std::vector<T>().swap(chunks_[c]);
      --liveChunks_;
      released_ = c + 1;
    }
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
  std::size_t liveChunks_ = 0;
  std::size_t released_ = 0;
};


/// Append-only flags, one bit each (a state's terminal flag), in chunks of 64-bit words.
class BitArray {
 public:
  std::size_t size() const noexcept { return size_; }
  bool operator[](std::size_t i) const noexcept { return ((words_[i >> 6] >> (i & 63)) & 1u) != 0; }
  std::uint64_t bytes() const noexcept { return words_.bytes(); }
  /// Bytes reserveOneMore() allocates.
  std::uint64_t growthBytes() const noexcept { return (size_ & 63) == 0 ? words_.growthBytes() : 0; }
  /// Makes room for one more flag; if an allocation fails the array is unchanged.
  void reserveOneMore() {
    if ((size_ & 63) == 0) words_.reserveOneMore();
  }
  /// Needs room (reserveOneMore).
  void push_back(bool flag) {
    if ((size_ & 63) == 0) words_.push_back(0);
    if (flag) words_[size_ >> 6] |= std::uint64_t{1} << (size_ & 63);
    ++size_;
  }

 private:
  ChunkedArray<std::uint64_t> words_;
  std::size_t size_ = 0;
};

/// Append-only non-decreasing sequence of state indices: a breadth-first search's parents (a
/// state is discovered while its parent is expanded, and states are expanded in index order).
/// Each value is written as its gap to the one before in unary (that many one-bits, then a
/// zero-bit), so n values up to m take n + m bits; the value and bit position after every
/// kSampleEvery-th value are sampled, so reading one decodes at most kSampleEvery - 1 gaps.
/// About half a byte per value in a search (m < n), instead of four.
class MonotoneIndexArray {
 public:
  static constexpr std::size_t kSampleEvery = 64;

  std::size_t size() const noexcept { return size_; }
  StateIndex operator[](std::size_t i) const noexcept {
    const Sample& sample = samples_[i / kSampleEvery];
    StateIndex value = sample.value;
    std::uint64_t at = sample.bitAfter;
    std::size_t gaps = i % kSampleEvery;  // zero-bits still to pass
    while (gaps != 0) {
      const unsigned shift = static_cast<unsigned>(at & 63);
      const unsigned width = 64 - shift;
      const std::uint64_t zeros = ~(words_[at >> 6] >> shift) & (width == 64 ? ~std::uint64_t{0}
                                                                             : (std::uint64_t{1} << width) - 1);
      const auto count = static_cast<std::size_t>(std::popcount(zeros));
      if (count < gaps) {
        value += static_cast<StateIndex>(width - count);
        gaps -= count;
        at += width;
        continue;
      }
      std::uint64_t rest = zeros;
      for (std::size_t k = 1; k < gaps; ++k) rest &= rest - 1;  // drop the zero-bits before the last
      const auto last = static_cast<unsigned>(std::countr_zero(rest));
      value += static_cast<StateIndex>(last + 1 - gaps);  // the one-bits among the first last + 1
      gaps = 0;
    }
    return value;
  }
  std::uint64_t bytes() const noexcept { return words_.bytes() + samples_.bytes(); }
  /// Bytes reserveFor(value) allocates.
  std::uint64_t growthBytes(StateIndex value) const noexcept {
    return words_.growthBytes(wordsAfter(value) - words_.size()) +
           (size_ % kSampleEvery == 0 ? samples_.growthBytes() : 0);
  }
  /// Makes room for `value` (at least the last one); if an allocation fails nothing changes.
  void reserveFor(StateIndex value) {
    words_.reserve(wordsAfter(value) - words_.size());
    if (size_ % kSampleEvery == 0) samples_.reserveOneMore();
  }
  /// Needs room (reserveFor(value)); `value` is at least the last one.
  void push_back(StateIndex value) {
    const std::uint64_t ones = size_ == 0 ? 0 : std::uint64_t{value} - last_;
    const std::size_t words = wordsAfter(value);
    while (words_.size() < words) words_.push_back(0);
    for (std::uint64_t k = 0; k < ones; ++k, ++bits_) words_[bits_ >> 6] |= std::uint64_t{1} << (bits_ & 63);
    ++bits_;  // the zero-bit that ends the value
    if (size_ % kSampleEvery == 0) samples_.push_back(Sample{bits_, value});
    last_ = value;
    ++size_;
  }

 private:
  struct Sample {
    std::uint64_t bitAfter;  // where the next value's bits start
    StateIndex value;
  };
  /// Words the bits take once `value` is appended.
  std::size_t wordsAfter(StateIndex value) const noexcept {
    const std::uint64_t ones = size_ == 0 ? 0 : std::uint64_t{value} - last_;
    return static_cast<std::size_t>((bits_ + ones + 1 + 63) / 64);
  }

  ChunkedArray<std::uint64_t> words_;
  ChunkedArray<Sample> samples_;
  std::uint64_t bits_ = 0;
  StateIndex last_ = 0;
  std::size_t size_ = 0;
};

/// Append-only array of 32-bit ids that are nearly always below 2^16 (a state's first action,
/// an id in the search's table of distinct actions, or a transition's ordinal): two bytes each,
/// and the rare larger id in a sorted side list.
class NarrowIdArray {
 public:
  std::size_t size() const noexcept { return low_.size(); }
  std::uint32_t operator[](std::size_t i) const noexcept {
    const std::uint16_t low = low_[i];
    if (low != kWide) return low;
    const auto it = std::lower_bound(wide_.begin(), wide_.end(), Wide{static_cast<std::uint64_t>(i), 0},
                                     [](const Wide& a, const Wide& b) { return a.index < b.index; });
    return it->id;
  }
  std::uint64_t bytes() const noexcept { return low_.bytes() + bufferBytes(wide_); }
  /// Bytes reserveFor(id) allocates.
  std::uint64_t growthBytes(std::uint32_t id) const noexcept {
    return low_.growthBytes() + (id >= kWide ? detail::growthBytes(wide_) : 0);
  }
  /// Makes room for `id`; if an allocation fails nothing changes.
  void reserveFor(std::uint32_t id) {
    low_.reserveOneMore();
    if (id >= kWide) detail::reserveOneMore(wide_);
  }
  /// Needs room (reserveFor(id)).
  void push_back(std::uint32_t id) {
    if (id >= kWide) wide_.push_back(Wide{low_.size(), id});
    low_.push_back(id >= kWide ? kWide : static_cast<std::uint16_t>(id));
  }

 private:
  static constexpr std::uint16_t kWide = 0xffff;  // the id is in wide_
  struct Wide {
    std::uint64_t index;
    std::uint32_t id;
  };
  ChunkedArray<std::uint16_t> low_;
  std::vector<Wide> wide_;
};
/// Append-only records of a size fixed at run time, in chunks of about 64 KiB holding whole
/// records (the leaf entries of a TreeStore).
class RecordArena {
 public:
  RecordArena() = default;
  explicit RecordArena(std::uint32_t recordSize)
      : size_(recordSize),
        shift_(static_cast<std::uint32_t>(
            std::bit_width(std::max<std::size_t>(1, (std::size_t{1} << 16) / recordSize)) - 1)) {}

  std::size_t size() const noexcept { return count_; }
  const unsigned char* operator[](std::size_t i) const noexcept {
    return chunks_[i >> shift_].get() + (i & ((std::size_t{1} << shift_) - 1)) * size_;
  }
  std::uint64_t bytes() const noexcept {
    return std::uint64_t{chunks_.size()} * chunkBytes() + bufferBytes(chunks_);
  }
  std::uint64_t growthBytes() const noexcept {
    return count_ < (chunks_.size() << shift_) ? 0 : chunkBytes() + detail::growthBytes(chunks_);
  }
  void reserveOneMore() {
    if (count_ < (chunks_.size() << shift_)) return;
    detail::reserveOneMore(chunks_);
    chunks_.push_back(std::make_unique<unsigned char[]>(chunkBytes()));
  }
  /// Needs room (reserveOneMore).
  void push_back(const unsigned char* record) noexcept {
    std::memcpy(chunks_[count_ >> shift_].get() + (count_ & ((std::size_t{1} << shift_) - 1)) * size_, record,
                size_);
    ++count_;
  }

 private:
  std::uint64_t chunkBytes() const noexcept { return (std::uint64_t{1} << shift_) * size_; }

  std::uint32_t size_ = 1;
  std::uint32_t shift_ = 0;
  std::vector<std::unique_ptr<unsigned char[]>> chunks_;
  std::size_t count_ = 0;
};

/// Open-addressing (linear probing) set of entry positions (uint32 + 1; 0 = empty) of some
/// append-only table; the caller hashes and compares entries. At most 3/4 full. Growing frees the
/// old slots first and reinserts every entry from its hash (the entries are the only copy that
/// matters), so only the new slots count. Only ever probed, never iterated.
class IndexSlots {
 public:
  IndexSlots() : slots_(kInitialSlots, 0), mask_(kInitialSlots - 1) {}

  /// `same(position)` says whether entry `position` is the probed value. Returns its position or
  /// kAbsent.
  static constexpr std::uint32_t kAbsent = 0xffffffffu;
  template <class Same>
  std::uint32_t find(std::uint64_t hash, Same&& same) const {
    for (std::uint64_t pos = hash & mask_;; pos = (pos + 1) & mask_) {
      const std::uint32_t slot = slots_[pos];
      if (slot == 0) return kAbsent;
      if (same(slot - 1)) return slot - 1;
    }
  }
  /// Needs room (growForOneMore); `position` must be absent.
  void insert(std::uint64_t hash, std::uint32_t position) noexcept {
    std::uint64_t pos = hash & mask_;
    while (slots_[pos] != 0) pos = (pos + 1) & mask_;
    slots_[pos] = position + 1;
    ++count_;
  }
  std::uint64_t bytes() const noexcept { return bufferBytes(slots_); }
  /// Bytes growForOneMore() adds to bytes() (the old slots are freed first).
  std::uint64_t growthBytes() const noexcept { return fitsOneMore() ? 0 : bytes(); }
  /// Makes room for one more; `hashOf(position)` rehashes entry `position`.
  template <class HashOf>
  void growForOneMore(HashOf&& hashOf) {
    if (fitsOneMore()) return;
    const std::size_t grown = slots_.size() * 2;
    const std::size_t count = count_;
    release();
    slots_.assign(grown, 0);
    mask_ = grown - 1;
    for (std::size_t p = 0; p < count; ++p)
      insert(hashOf(static_cast<std::uint32_t>(p)), static_cast<std::uint32_t>(p));
  }
  void release() noexcept {
    std::vector<std::uint32_t>().swap(slots_);
    count_ = 0;
  }

 private:
  static constexpr std::size_t kInitialSlots = 256;
  bool fitsOneMore() const noexcept { return (count_ + 1) * 4 <= slots_.size() * 3; }

  std::vector<std::uint32_t> slots_;
  std::uint64_t mask_;
  std::size_t count_ = 0;
};

/// Open-addressing (linear probing) set of state indices keyed by a well-mixed 64-bit hash
/// (PlainStore). Slot layout: high 32 bits = hash tag, low 32 bits = state index + 1 (0 = empty).
/// It holds at most half as many indices as it has slots.
class VisitedSet {
 public:
  struct Probe {
    bool found;
    std::uint64_t value;  ///< the state index if found, else the empty slot to insert at
  };

  VisitedSet() : slots_(kInitialSlots, 0), mask_(kInitialSlots - 1) {}

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
  /// Bytes growForOneMore() allocates (the old and the new table both count while it grows).
  std::uint64_t growthBytes() const noexcept {
    return fitsOneMore() ? 0 : std::uint64_t{slots_.size()} * 2 * sizeof(std::uint64_t);
  }
  /// Makes room for one more index; `hashOf(i)` is the hash of state i.
  template <class HashOf>
  void growForOneMore(HashOf&& hashOf) {
    if (fitsOneMore()) return;
    std::vector<std::uint64_t> grown(slots_.size() * 2, 0);
    const std::uint64_t mask = grown.size() - 1;
    for (const std::uint64_t slot : slots_) {  // iteration order only affects slot placement
      if (slot == 0) continue;
      const auto index = static_cast<StateIndex>((slot & 0xffffffffu) - 1);
      std::uint64_t pos = hashOf(index) & mask;
      while (grown[pos] != 0) pos = (pos + 1) & mask;
      grown[pos] = slot;
    }
    slots_.swap(grown);
    mask_ = mask;
  }
  void insert(std::uint64_t hash, StateIndex index) noexcept {
    std::uint64_t pos = hash & mask_;
    while (slots_[pos] != 0) pos = (pos + 1) & mask_;
    slots_[pos] = (hash & 0xffffffff00000000ull) | (std::uint64_t{index} + 1);
    ++count_;
  }
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

/// What the recorded graph and the counterexamples read back: a stored state by index.
template <class State>
class StateSource {
 public:
  virtual ~StateSource() = default;
  virtual State state(StateIndex index) const = 0;
};

/// Whether a State's bytes are its value, so that it can be compressed or fingerprinted by them.
template <class T>
inline constexpr bool kBytesAreValue =
    std::is_trivially_copyable_v<T>&& std::has_unique_object_representations_v<T>;

/// The model's component hook, if it has one.
template <class M>
concept HasStateComponents = requires(const M& model) {
  { model.stateComponents() } -> std::convertible_to<std::vector<StateComponent>>;
};

/// The components a TreeStore cuts a State into: the model's (checked to cover the state, in the
/// order the tree pairs them: neighbours share a table, so components that change together
/// should be apart), else chunks of kDefaultChunk bytes.
template <class M>
std::vector<StateComponent> stateLayout(const M& model) {
  using State = typename M::State;
  constexpr std::uint32_t kDefaultChunk = 16;
  std::vector<StateComponent> layout;
  if constexpr (HasStateComponents<M>) {
    layout = model.stateComponents();
    std::vector<StateComponent> sorted = layout;
    std::sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a.offset < b.offset; });
    std::uint32_t at = 0;
    for (const StateComponent& c : sorted) {
      KSIM_VERIFY(c.offset == at && c.size != 0, "stateComponents() must cut the state into disjoint parts");
      at += c.size;
    }
    KSIM_VERIFY(at == sizeof(State), "stateComponents() must cover the whole state");
  } else {
    for (std::uint32_t at = 0; at < sizeof(State); at += kDefaultChunk)
      layout.push_back({at, std::min<std::uint32_t>(kDefaultChunk, sizeof(State) - at)});
  }
  return layout;
}

/// Collapse compression over a binary tree of intern tables (see the header comment).
template <class State>
class TreeStore final : public StateSource<State> {
 public:
  explicit TreeStore(const std::vector<StateComponent>& layout) {
    nodes_.reserve(2 * layout.size());
    build(layout, 0, layout.size());
    found_.resize(nodes_.size());
    context_.resize(nodes_.size());
  }

  std::size_t size() const noexcept { return nodes_.back().count(); }
  State operator[](StateIndex index) const { return state(index); }
  State state(StateIndex index) const override {
    State out;
    unpack(nodes_.size() - 1, index, reinterpret_cast<unsigned char*>(&out));
    return out;
  }

  struct Found {
    bool found;
    StateIndex index;
  };
  /// Looks `s` up. `context` (a stored state, e.g. the one being expanded) speeds it up: the
  /// components `s` shares with it are not hashed. Leaves what insert() needs.
  Found find(const State& s, std::uint64_t /*modelHash: the bytes are hashed*/, StateIndex context) {
    setContext(context);
    const auto* bytes = reinterpret_cast<const unsigned char*>(&s);
    bool complete = true;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      Node& node = nodes_[k];
      std::uint32_t position;
      if (node.leaf) {
        const unsigned char* mine = bytes + node.offset;
        if (hasContext_ && std::memcmp(mine, node.entry(context_[k]), node.size) == 0) {
          position = context_[k];
        } else {
          node.hash = XXH3_64bits(mine, node.size);
          position = node.index.find(
              node.hash, [&](std::uint32_t p) { return std::memcmp(mine, node.entry(p), node.size) == 0; });
        }
      } else {
        const std::uint32_t l = found_[node.left], r = found_[node.right];
        if (l == IndexSlots::kAbsent || r == IndexSlots::kAbsent) {
          position = IndexSlots::kAbsent;
        } else if (hasContext_ && l == context_[node.left] && r == context_[node.right]) {
          position = context_[k];
        } else {
          const std::uint64_t pair = (std::uint64_t{l} << 32) | r;
          node.hash = mix64(pair);
          position = node.index.find(node.hash, [&](std::uint32_t p) { return node.pairs[p] == pair; });
        }
      }
      found_[k] = position;
      if (position == IndexSlots::kAbsent) complete = false;
    }
    pending_ = &s;
    return {complete, complete ? found_.back() : 0};
  }

  /// Bytes reserveOneMore() may allocate: every table gaining one entry.
  std::uint64_t growthBytes() const noexcept {
    std::uint64_t total = 0;
    for (const Node& node : nodes_) total += node.growthBytes();
    return total;
  }
  void reserveOneMore() {
    for (Node& node : nodes_) node.reserveOneMore();
  }
  /// Stores `s`, the state of the last find() (which did not find it); needs room (reserveOneMore).
  StateIndex insert(State&& s) {
    pending_ = &s;
    const auto* bytes = reinterpret_cast<const unsigned char*>(pending_);
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      Node& node = nodes_[k];
      if (found_[k] != IndexSlots::kAbsent) continue;
      const auto position = static_cast<std::uint32_t>(node.count());
      if (node.leaf) {
        const unsigned char* mine = bytes + node.offset;
        node.hash = XXH3_64bits(mine, node.size);
        node.bytes.push_back(mine);
      } else {
        const std::uint64_t pair = (std::uint64_t{found_[node.left]} << 32) | found_[node.right];
        node.hash = mix64(pair);
        node.pairs.push_back(pair);
      }
      node.index.insert(node.hash, position);
      found_[k] = position;
    }
    return found_.back();
  }

  std::uint64_t bytes() const noexcept {
    std::uint64_t total = 0;
    for (const Node& node : nodes_) total += node.bytes.bytes() + node.pairs.bytes() + node.index.bytes();
    total += bufferBytes(nodes_);
    return total + bufferBytes(found_) + bufferBytes(context_);
  }
  /// Bytes releaseIndex() frees (the hash indexes: only finding states needs them).
  std::uint64_t indexBytes() const noexcept {
    std::uint64_t total = 0;
    for (const Node& node : nodes_) total += node.index.bytes();
    return total;
  }
  void releaseIndex() noexcept {
    for (Node& node : nodes_) node.index.release();
  }

 private:
  struct Node {
    bool leaf = false;
    std::uint32_t offset = 0, size = 0;  // leaf: the component
    std::size_t left = 0, right = 0;     // pair: child nodes
    RecordArena bytes;                   // leaf entries, `size` bytes each
    ChunkedArray<std::uint64_t> pairs;   // pair entries: left position << 32 | right position
    IndexSlots index;
    std::uint64_t hash = 0;  // of the value last looked up

    std::size_t count() const noexcept { return leaf ? bytes.size() : pairs.size(); }
    const unsigned char* entry(std::uint32_t p) const noexcept { return bytes[p]; }
    std::uint64_t growthBytes() const noexcept {
      return index.growthBytes() + (leaf ? bytes.growthBytes() : pairs.growthBytes());
    }
    void reserveOneMore() {
      if (leaf) {
        bytes.reserveOneMore();
      } else {
        pairs.reserveOneMore();
      }
      index.growForOneMore(
          [this](std::uint32_t p) { return leaf ? XXH3_64bits(entry(p), size) : mix64(pairs[p]); });
    }
  };

  std::size_t build(const std::vector<StateComponent>& layout, std::size_t lo, std::size_t hi) {
    if (hi - lo == 1) {
      Node node;
      node.leaf = true;
      node.offset = layout[lo].offset;
      node.size = layout[lo].size;
      node.bytes = RecordArena(node.size);
      nodes_.push_back(std::move(node));
      return nodes_.size() - 1;
    }
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::size_t left = build(layout, lo, mid);
    const std::size_t right = build(layout, mid, hi);
    Node node;
    node.left = left;
    node.right = right;
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }

  void unpack(std::size_t k, std::uint32_t position, unsigned char* out) const {
    const Node& node = nodes_[k];
    if (node.leaf) {
      std::memcpy(out + node.offset, node.entry(position), node.size);
      return;
    }
    const std::uint64_t pair = node.pairs[position];
    unpack(node.left, static_cast<std::uint32_t>(pair >> 32), out);
    unpack(node.right, static_cast<std::uint32_t>(pair), out);
  }

  void setContext(StateIndex context) {
    hasContext_ = context < size();
    if (!hasContext_ || (contextValid_ && contextIndex_ == context)) return;
    // Walk down from the root, recording every node's position for `context`.
    context_.back() = context;
    for (std::size_t k = nodes_.size(); k-- > 0;) {
      const Node& node = nodes_[k];
      if (node.leaf) continue;
      const std::uint64_t pair = node.pairs[context_[k]];
      context_[node.left] = static_cast<std::uint32_t>(pair >> 32);
      context_[node.right] = static_cast<std::uint32_t>(pair);
    }
    contextIndex_ = context;
    contextValid_ = true;
  }

  std::vector<Node> nodes_;  // children before parents; the root last
  std::vector<std::uint32_t> found_;
  std::vector<std::uint32_t> context_;
  StateIndex contextIndex_ = 0;
  bool contextValid_ = false;
  bool hasContext_ = false;
  const State* pending_ = nullptr;
};

/// A store keeping every state whole (StateStorage::Plain): a chunked arena, each state's mixed
/// model hash, and a VisitedSet keyed by it.
template <class State>
class PlainStore final : public StateSource<State> {
 public:
  struct Found {
    bool found;
    StateIndex index;
  };

  std::size_t size() const noexcept { return states_.size(); }
  const State& operator[](StateIndex index) const noexcept { return states_[index]; }
  State state(StateIndex index) const override { return states_[index]; }

  Found find(const State& s, std::uint64_t hash, StateIndex /*context*/) {
    pending_ = hash;
    // The slot tag already matched 32 hash bits: compare the states directly.
    const auto probe = visited_.probe(hash, [&](StateIndex index) { return states_[index] == s; });
    return {probe.found, probe.found ? static_cast<StateIndex>(probe.value) : 0};
  }
  std::uint64_t growthBytes() const noexcept {
    return states_.growthBytes() + hashes_.growthBytes() + visited_.growthBytes();
  }
  void reserveOneMore() {
    states_.reserveOneMore();
    hashes_.reserveOneMore();
    visited_.growForOneMore([this](StateIndex index) { return hashes_[index]; });
  }
  /// Stores `s`, the state of the last find() (which did not find it); needs room.
  StateIndex insert(State&& s) {
    const auto index = static_cast<StateIndex>(states_.size());
    states_.push_back(std::move(s));
    hashes_.push_back(pending_);
    visited_.insert(pending_, index);
    return index;
  }
  std::uint64_t bytes() const noexcept { return states_.bytes() + hashes_.bytes() + visited_.bytes(); }
  std::uint64_t indexBytes() const noexcept { return hashes_.bytes() + visited_.bytes(); }
  void releaseIndex() noexcept {
    visited_.release();
    hashes_ = {};
  }

 private:
  ChunkedArray<State, std::size_t{1} << 20> states_;
  ChunkedArray<std::uint64_t> hashes_;  // to regrow visited_
  VisitedSet visited_;
  std::uint64_t pending_ = 0;
};

/// Hash compaction (StateStorage::Fingerprint): a set of 64-bit fingerprints, plus the states not
/// yet expanded (freed a chunk at a time as the search moves past them). Finding a fingerprint
/// does not say which state it belongs to.
template <class State>
class FingerprintStore {
 public:
  struct Found {
    bool found;
    StateIndex index;  ///< unknown (0): the set keeps no indices
  };

  FingerprintStore() : table_(kInitialSlots, 0) {}

  std::size_t size() const noexcept { return count_; }
  /// Only for states not yet passed by the search (the frontier), and the last one stored.
  const State& operator[](StateIndex index) const noexcept {
    return index < frontier_.size() ? frontier_[index] : last_;
  }

  /// The fingerprint of a state: XXH3 of its bytes when they are its value, else the mixed model
  /// hash; never 0 (the empty slot).
  static std::uint64_t fingerprint(const State& s, std::uint64_t mixedModelHash) noexcept {
    std::uint64_t fp = mixedModelHash;
    if constexpr (kBytesAreValue<State>) fp = XXH3_64bits(&s, sizeof s);
    return fp == 0 ? 1 : fp;
  }

  Found find(const State& s, std::uint64_t hash, StateIndex context) {
    pending_ = fingerprint(s, hash);
    context_ = context;
    for (std::uint64_t pos = mix64(pending_) & (table_.size() - 1);; pos = (pos + 1) & (table_.size() - 1)) {
      if (table_[pos] == 0) return {false, 0};
      if (table_[pos] == pending_) return {true, 0};
    }
  }
  std::uint64_t growthBytes() const noexcept {
    return frontier_.growthBytes() + (fitsOneMore() ? 0 : bufferBytes(table_) * 2);
  }
  void reserveOneMore() {
    frontier_.reserveOneMore();
    if (fitsOneMore()) return;
    std::vector<std::uint64_t> grown(table_.size() * 2, 0);
    for (const std::uint64_t fp : table_) {
      if (fp != 0) place(grown, fp);
    }
    table_.swap(grown);
  }
  /// Stores `s`, the state of the last find(); frees the frontier below that find's context.
  /// With `expandable` false (a state at the depth bound: it and every later one) the state is
  /// kept only until the next insert, for its findings.
  StateIndex insert(State&& s, bool expandable = true) {
    const auto index = static_cast<StateIndex>(count_);
    KSIM_VERIFY(!expandable || frontier_.size() == count_, "fingerprint frontier: only a suffix is left out");
    if (expandable) {
      frontier_.push_back(std::move(s));
    } else {
      last_ = std::move(s);
    }
    place(table_, pending_);
    ++count_;
    if (context_ < index) frontier_.releaseBelow(context_);  // (the initial state has no context)
    return index;
  }
  std::uint64_t bytes() const noexcept { return frontier_.bytes() + bufferBytes(table_); }
  std::uint64_t indexBytes() const noexcept { return bytes(); }
  void releaseIndex() noexcept {
    std::vector<std::uint64_t>().swap(table_);
    frontier_ = {};
  }

 private:
  static constexpr std::size_t kInitialSlots = 1024;
  bool fitsOneMore() const noexcept { return (count_ + 1) * 4 <= table_.size() * 3; }
  static void place(std::vector<std::uint64_t>& table, std::uint64_t fp) noexcept {
    std::uint64_t pos = mix64(fp) & (table.size() - 1);
    while (table[pos] != 0) pos = (pos + 1) & (table.size() - 1);
    table[pos] = fp;
  }

  ChunkedArray<State, std::size_t{1} << 20> frontier_;
  State last_{};  // the last state stored outside the frontier
  std::vector<std::uint64_t> table_;
  std::size_t count_ = 0;
  std::uint64_t pending_ = 0;
  StateIndex context_ = 0;
};

/// Distinct actions, each stored once; an action is then a 32-bit id. Actions whose bytes are not
/// their value cannot be hashed by them: each gets a new id.
template <class Action>
class ActionTable {
 public:
  static constexpr std::uint32_t kAbsent = IndexSlots::kAbsent;

  std::uint32_t find(const Action& a) const {
    if constexpr (kBytesAreValue<Action>) {
      return index_.find(hashOf(a), [&](std::uint32_t id) { return actions_[id] == a; });
    } else {
      return kAbsent;
    }
  }
  std::uint64_t growthBytes() const noexcept { return detail::growthBytes(actions_) + index_.growthBytes(); }
  void reserveOneMore() {
    detail::reserveOneMore(actions_);
    index_.growForOneMore([this](std::uint32_t id) { return hashOf(actions_[id]); });
  }
  /// Needs room (reserveOneMore); `a` must be absent.
  std::uint32_t append(const Action& a) {
    const auto id = static_cast<std::uint32_t>(actions_.size());
    actions_.push_back(a);
    if constexpr (kBytesAreValue<Action>) index_.insert(hashOf(a), id);
    return id;
  }
  const Action& operator[](std::uint32_t id) const noexcept { return actions_[id]; }
  /// Distinct actions held: the id the next append() gives.
  std::size_t size() const noexcept { return actions_.size(); }
  std::uint64_t bytes() const noexcept { return bufferBytes(actions_) + index_.bytes(); }
  void releaseIndex() noexcept { index_.release(); }

 private:
  static std::uint64_t hashOf(const Action& a) noexcept {
    if constexpr (kBytesAreValue<Action>) {
      return XXH3_64bits(&a, sizeof a);
    } else {
      return 0;
    }
  }

  std::vector<Action> actions_;
  IndexSlots index_;
};

/// The recorded edges between distinct states (self-loops are not recorded: see ExploredGraph),
/// in the order they were handled, which is by source ascending. A byte stream of varints, per
/// edge: the action id shifted left by two, bit 1 set if the source differs from the previous
/// edge's (its distance then follows), bit 0 set if the edge discovered its target (then the
/// target is implied: discovered states are numbered 1, 2, 3, ... in the order of these edges),
/// else the target's zigzag distance from the source. A kernel-model edge takes about 3.5 bytes.
/// Every kEdgesPerMark edges a mark keeps where the stream is (16 bytes), so that it can also be
/// read from the last edge back (forEachBackward) without a reversed copy.
class EdgeStream {
 public:
  static constexpr std::size_t kMaxEdgeBytes = 10 + 5 + 10;
  static constexpr std::uint64_t kEdgesPerMark = 1024;
  /// The most forEachBackward allocates.
  static constexpr std::uint64_t kBackwardBufferBytes = 16 * kEdgesPerMark;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t bytes() const noexcept { return bytes_.bytes() + marks_.bytes(); }
  std::uint64_t growthBytes() const noexcept {
    return bytes_.growthBytes(kMaxEdgeBytes) + (count_ % kEdgesPerMark == 0 ? marks_.growthBytes() : 0);
  }
  void reserveOneMore() {
    bytes_.reserve(kMaxEdgeBytes);
    if (count_ % kEdgesPerMark == 0) marks_.reserveOneMore();
  }
  /// Needs room (reserveOneMore); sources never decrease; a discovery edge's target is the next
  /// state discovered (1 for the first).
  void push_back(StateIndex source, StateIndex target, std::uint32_t action) {
    if (count_ % kEdgesPerMark == 0) marks_.push_back(Mark{bytes_.size(), lastSource_, nextDiscovered_});
    const bool newSource = count_ == 0 || source != lastSource_;
    const bool discovery = target == nextDiscovered_;
    put((std::uint64_t{action} << 2) | (newSource ? 2u : 0u) | (discovery ? 1u : 0u));
    if (newSource) put(source - lastSource_);
    if (discovery) {
      ++nextDiscovered_;
    } else {
      put(zigzag(std::int64_t{target} - std::int64_t{source}));
    }
    lastSource_ = source;
    ++count_;
  }
  /// f(source, target, action id, discovery) for every edge, in order; `discovery` is set for
  /// the edge that discovered its target (the breadth-first tree's edge into it).
  template <class F>
  void forEach(F&& f) const {
    Cursor at{0, 0, 1};
    for (std::uint64_t e = 0; e < count_; ++e) at.next(*this, f);
  }
  /// The same edges in the opposite order: the last first, so by source descending. Each mark's
  /// edges are read forward into a buffer (kEdgesPerMark of them), then handed out backwards.
  template <class F>
  void forEachBackward(F&& f) const {
    struct Read {
      StateIndex source, target;
      std::uint32_t action;
      bool discovery;
    };
    static_assert(sizeof(Read) * kEdgesPerMark <= kBackwardBufferBytes);
    std::vector<Read> buffer;
    buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count_, kEdgesPerMark)));
    for (std::size_t m = marks_.size(); m-- != 0;) {
      const Mark& mark = marks_[m];
      Cursor at{static_cast<std::size_t>(mark.at), mark.source, mark.discovered};
      const std::uint64_t first = std::uint64_t{m} * kEdgesPerMark;
      const std::uint64_t end = std::min(count_, first + kEdgesPerMark);
      buffer.clear();
      for (std::uint64_t e = first; e < end; ++e)
        at.next(*this, [&](StateIndex source, StateIndex target, std::uint32_t action, bool discovery) {
          buffer.push_back(Read{source, target, action, discovery});
        });
      for (auto r = buffer.rbegin(); r != buffer.rend(); ++r)
        f(r->source, r->target, r->action, r->discovery);
    }
  }

 private:
  // Where the stream stood before an edge: its byte, the previous edge's source, the next state
  // a discovery edge reaches.
  struct Mark {
    std::uint64_t at;
    StateIndex source, discovered;
  };
  struct Cursor {
    std::size_t at;
    StateIndex source, discovered;
    template <class F>
    void next(const EdgeStream& stream, F&& f) {
      const std::uint64_t head = stream.get(at);
      if ((head & 2) != 0) source = static_cast<StateIndex>(source + stream.get(at));
      StateIndex target;
      if ((head & 1) != 0) {
        target = discovered++;
      } else {
        const std::uint64_t zig = stream.get(at);
        const auto magnitude = static_cast<std::int64_t>((zig + 1) >> 1);
        target = static_cast<StateIndex>(std::int64_t{source} + ((zig & 1) != 0 ? -magnitude : magnitude));
      }
      f(source, target, static_cast<std::uint32_t>(head >> 2), (head & 1) != 0);
    }
  };

  static std::uint64_t zigzag(std::int64_t delta) noexcept {
    return delta < 0 ? (static_cast<std::uint64_t>(-delta) << 1) - 1 : static_cast<std::uint64_t>(delta) << 1;
  }
  void put(std::uint64_t v) {
    while (v >= 0x80) {
      bytes_.push_back(static_cast<unsigned char>(v | 0x80));
      v >>= 7;
    }
    bytes_.push_back(static_cast<unsigned char>(v));
  }
  std::uint64_t get(std::size_t& at) const noexcept {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      const unsigned char b = bytes_[at++];
      v |= std::uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
  }

  ChunkedArray<unsigned char> bytes_;
  ChunkedArray<Mark> marks_;
  std::uint64_t count_ = 0;
  StateIndex lastSource_ = 0;
  StateIndex nextDiscovered_ = 1;
};

}  // namespace detail
}  // namespace sim
