#pragma once

// sim::Transport — what a distributed search (sim/Distributed.hpp) needs from the machinery that
// connects its K ranks: an all-to-all exchange of byte buffers, an allgather, a barrier, and a
// way to give up that does not leave the other ranks waiting. Two implementations: the
// in-process one below (K ranks are K threads of one process; for tests, always built) and MPI
// (sim/MpiTransport.hpp, built with KSIM_WITH_MPI).
//
// Every call but rank(), size() and abort() is collective: all K ranks make the same calls in
// the same order. The engine never relies on message timing: what a rank receives depends only
// on what the ranks sent, so the search stays deterministic.
//
// Also here: the byte encoding of the values the ranks exchange (WireCodec), which a model whose
// State or Action is not trivially copyable specialises.

#include "sim/Check.hpp"

#include <array>
#include <bit>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sim {

using Bytes = std::vector<std::byte>;

class Transport {
 public:
  virtual ~Transport() = default;

  virtual int rank() const noexcept = 0;
  virtual int size() const noexcept = 0;
  /// How many of the ranks (this one included) run on this rank's machine and share its memory.
  virtual int ranksOnThisMachine() const noexcept { return size(); }

  /// Collective: outgoing[r] (one buffer per rank, possibly empty) goes to rank r; returns
  /// incoming[r], what rank r sent to this rank.
  virtual std::vector<Bytes> exchange(std::vector<Bytes> outgoing) = 0;
  /// Collective: every rank's `mine`, indexed by rank.
  virtual std::vector<Bytes> allgather(std::span<const std::byte> mine) = 0;
  virtual void barrier() = 0;

  /// Not collective: this rank failed with `why` and will make no further call. The other ranks
  /// must not wait for it forever: the in-process transport makes their pending and later calls
  /// throw TransportAborted; MPI ends the whole job (MPI_Abort) after printing `why` with the rank.
  virtual void abort(std::string_view why) noexcept = 0;

  /// The payload bytes this rank has sent to other ranks so far (what it sends itself, and the
  /// sizes the collectives exchange first, are not counted): the communication volume a
  /// distributed search reports per state.
  std::uint64_t bytesSentToOthers() const noexcept { return bytesSent_; }

 protected:
  void countSent(std::uint64_t bytes) noexcept { bytesSent_ += bytes; }

 private:
  std::uint64_t bytesSent_ = 0;
};

/// Thrown by a collective call of a rank whose peer called Transport::abort().
class TransportAborted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How a value is written to and read from the bytes the ranks exchange. The primary template
/// copies the bytes of a trivially copyable type (ranks run the same binary on the same kind of
/// machine). A model whose State or Action owns memory specialises it.
template <class T>
struct WireCodec {
  static_assert(std::is_trivially_copyable_v<T>,
                "sim::WireCodec: specialise it for a State or Action that is not trivially copyable");
  static void put(Bytes& out, const T& value) {
    const auto* bytes = reinterpret_cast<const std::byte*>(&value);
    out.insert(out.end(), bytes, bytes + sizeof(T));
  }
  static T get(std::span<const std::byte> in, std::size_t& at) {
    KSIM_VERIFY(at + sizeof(T) <= in.size(), "distributed search: a message ends too early");
    std::array<std::byte, sizeof(T)> raw;
    std::memcpy(raw.data(), in.data() + at, sizeof(T));
    at += sizeof(T);
    return std::bit_cast<T>(raw);
  }
};

template <>
struct WireCodec<std::string> {
  static void put(Bytes& out, const std::string& value) {
    WireCodec<std::uint64_t>::put(out, value.size());
    const auto* bytes = reinterpret_cast<const std::byte*>(value.data());
    out.insert(out.end(), bytes, bytes + value.size());
  }
  static std::string get(std::span<const std::byte> in, std::size_t& at) {
    const auto length = WireCodec<std::uint64_t>::get(in, at);
    KSIM_VERIFY(length <= in.size() - at, "distributed search: a message ends too early");
    std::string value(reinterpret_cast<const char*>(in.data() + at), length);
    at += length;
    return value;
  }
};

/// Appends values to a buffer with their WireCodec.
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) noexcept : out_(out) {}
  template <class T>
  ByteWriter& put(const T& value) {
    WireCodec<T>::put(out_, value);
    return *this;
  }

 private:
  Bytes& out_;
};

/// Reads values back in the order they were written.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> in) noexcept : in_(in) {}
  template <class T>
  T get() {
    return WireCodec<T>::get(in_, at_);
  }
  /// The next into.size() bytes, as written.
  void getBytes(std::span<std::byte> into) {
    KSIM_VERIFY(into.size() <= in_.size() - at_, "distributed search: a message ends too early");
    std::memcpy(into.data(), in_.data() + at_, into.size());
    at_ += into.size();
  }
  bool done() const noexcept { return at_ == in_.size(); }

 private:
  std::span<const std::byte> in_;
  std::size_t at_ = 0;
};

/// Collective: every rank's value of a trivially copyable type, indexed by rank.
template <class T>
std::vector<T> allgatherValue(Transport& transport, const T& mine) {
  Bytes out;
  WireCodec<T>::put(out, mine);
  std::vector<T> all;
  for (const Bytes& in : transport.allgather(out)) {
    ByteReader reader(in);
    all.push_back(reader.get<T>());
  }
  return all;
}

inline std::uint64_t allreduceSum(Transport& transport, std::uint64_t mine) {
  std::uint64_t sum = 0;
  for (const std::uint64_t v : allgatherValue(transport, mine)) sum += v;
  return sum;
}

inline bool allreduceOr(Transport& transport, bool mine) {
  for (const bool v : allgatherValue(transport, mine))
    if (v) return true;
  return false;
}

/// K ranks as K threads of one process: what a distributed search does, without MPI (tests).
/// Each collective is a rendezvous of the K threads: every rank deposits its part, waits for the
/// others, takes what is addressed to it, and waits again so that the parts are not overwritten
/// while another rank still reads them.
class InProcessGroup {
 public:
  explicit InProcessGroup(int size);
  InProcessGroup(const InProcessGroup&) = delete;
  InProcessGroup& operator=(const InProcessGroup&) = delete;

  int size() const noexcept { return size_; }
  /// The transport of rank `rank`, used by that rank's thread only.
  Transport& transport(int rank) noexcept { return *transports_[static_cast<std::size_t>(rank)]; }

 private:
  friend class InProcessTransport;

  /// Waits until every rank arrived (or one aborted: then throws TransportAborted).
  void arrive();
  void abortAll(int rank, std::string_view why) noexcept;

  int size_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  int waiting_ = 0;
  std::uint64_t generation_ = 0;
  bool aborted_ = false;
  std::string abortReason_;
  std::vector<std::vector<Bytes>> parts_;  // parts_[from][to] (an allgather uses parts_[from][0])
  std::vector<std::unique_ptr<Transport>> transports_;
};

/// Runs `body(transport)` on `ranks` threads, one per rank of a fresh InProcessGroup, and waits
/// for all. A rank whose body throws aborts the group (the others' collectives then throw
/// TransportAborted); the lowest rank's original exception (not a TransportAborted caused by
/// another rank) is rethrown here.
void runInProcess(int ranks, const std::function<void(Transport&)>& body);

}  // namespace sim
