// The MPI transport (sim/MpiTransport.hpp).

#include "sim/MpiTransport.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <thread>

namespace sim {
namespace {

void check(int code, const char* what) {
  KSIM_VERIFY(code == MPI_SUCCESS, std::string("MPI call failed: ") + what);
}

/// MPI's counts and displacements are ints, so one call moves less than 2 GiB in all. A larger
/// message (rank 0 gathering a big graph) goes in rounds: in round k every buffer sends its bytes
/// [k * piece, (k + 1) * piece), with piece small enough that a round's K buffers fit an int.
std::size_t pieceFor(std::size_t wanted, int ranks) {
  const auto most = static_cast<std::size_t>(std::numeric_limits<int>::max()) / static_cast<std::size_t>(ranks);
  return std::max<std::size_t>(1, std::min(wanted, most));
}

/// The bytes of a buffer of `size` bytes that round `round` moves: [begin, begin + count).
struct Slice {
  std::size_t begin = 0;
  std::size_t count = 0;
};

Slice sliceOf(std::uint64_t size, std::uint64_t round, std::size_t piece) {
  const std::uint64_t begin = round * piece;
  if (begin >= size) return {};
  return {static_cast<std::size_t>(begin), static_cast<std::size_t>(std::min<std::uint64_t>(piece, size - begin))};
}

std::uint64_t roundsFor(std::uint64_t size, std::size_t piece) { return (size + piece - 1) / piece; }

/// Waits for a non-blocking collective without holding a core: MPI's blocking collectives poll
/// at full speed, and a rank that waits for the others (its share of a level done, or rank 0
/// judging the progress properties at the end) would take the core a busy rank on the same
/// machine needs, or rank 0's judging threads. A short spin keeps quick rounds quick.
void await(MPI_Request& request, const char* what) {
  for (unsigned polls = 0;; ++polls) {
    int done = 0;
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
    if (done != 0) return;
    if (polls >= 64) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) { check(MPI_Init(argc, argv), "MPI_Init"); }

MpiSession::~MpiSession() { MPI_Finalize(); }

MpiTransport::MpiTransport(std::size_t pieceBytes) {
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  piece_ = pieceFor(pieceBytes, size_);
  MPI_Comm machine = MPI_COMM_NULL;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &machine),
        "MPI_Comm_split_type");
  check(MPI_Comm_size(machine, &ranksHere_), "MPI_Comm_size");
  MPI_Comm_free(&machine);
}

std::vector<Bytes> MpiTransport::exchange(std::vector<Bytes> outgoing) {
  const auto n = static_cast<std::size_t>(size_);
  KSIM_VERIFY(outgoing.size() == n, "exchange: one buffer per rank");
  std::vector<std::uint64_t> sendSizes(n), receiveSizes(n);
  for (std::size_t r = 0; r < n; ++r) sendSizes[r] = outgoing[r].size();
  MPI_Request request = MPI_REQUEST_NULL;
  check(MPI_Ialltoall(sendSizes.data(), 1, MPI_UINT64_T, receiveSizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD,
                      &request),
        "MPI_Ialltoall");
  await(request, "MPI_Ialltoall");
  std::uint64_t myRounds = 0;
  for (std::size_t r = 0; r < n; ++r) {
    myRounds = std::max({myRounds, roundsFor(sendSizes[r], piece_), roundsFor(receiveSizes[r], piece_)});
    if (r != static_cast<std::size_t>(rank_)) countSent(sendSizes[r]);
  }
  std::uint64_t rounds = 0;
  check(MPI_Iallreduce(&myRounds, &rounds, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD, &request), "MPI_Iallreduce");
  await(request, "MPI_Iallreduce");

  std::vector<Bytes> incoming(n);
  for (std::size_t r = 0; r < n; ++r) incoming[r].resize(receiveSizes[r]);
  std::vector<int> sendCounts(n), sendDispl(n), receiveCounts(n), receiveDispl(n);
  Bytes send, receive;
  for (std::uint64_t round = 0; round < rounds; ++round) {
    int sendTotal = 0, receiveTotal = 0;
    for (std::size_t r = 0; r < n; ++r) {
      sendCounts[r] = static_cast<int>(sliceOf(sendSizes[r], round, piece_).count);
      sendDispl[r] = sendTotal;
      sendTotal += sendCounts[r];
      receiveCounts[r] = static_cast<int>(sliceOf(receiveSizes[r], round, piece_).count);
      receiveDispl[r] = receiveTotal;
      receiveTotal += receiveCounts[r];
    }
    send.resize(static_cast<std::size_t>(sendTotal));
    for (std::size_t r = 0; r < n; ++r) {
      const Slice slice = sliceOf(sendSizes[r], round, piece_);
      if (slice.count != 0) std::memcpy(send.data() + sendDispl[r], outgoing[r].data() + slice.begin, slice.count);
    }
    receive.resize(static_cast<std::size_t>(receiveTotal));
    check(MPI_Ialltoallv(send.data(), sendCounts.data(), sendDispl.data(), MPI_BYTE, receive.data(),
                         receiveCounts.data(), receiveDispl.data(), MPI_BYTE, MPI_COMM_WORLD, &request),
          "MPI_Ialltoallv");
    await(request, "MPI_Ialltoallv");
    for (std::size_t r = 0; r < n; ++r) {
      const Slice slice = sliceOf(receiveSizes[r], round, piece_);
      if (slice.count != 0) std::memcpy(incoming[r].data() + slice.begin, receive.data() + receiveDispl[r], slice.count);
    }
  }
  return incoming;
}

std::vector<Bytes> MpiTransport::allgather(std::span<const std::byte> mine) {
  const auto n = static_cast<std::size_t>(size_);
  const std::uint64_t mySize = mine.size();
  std::vector<std::uint64_t> sizes(n);
  MPI_Request request = MPI_REQUEST_NULL;
  check(MPI_Iallgather(&mySize, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD, &request),
        "MPI_Iallgather");
  await(request, "MPI_Iallgather");
  countSent(mySize * (n - 1));
  std::uint64_t rounds = 0;
  for (const std::uint64_t size : sizes) rounds = std::max(rounds, roundsFor(size, piece_));

  std::vector<Bytes> parts(n);
  for (std::size_t r = 0; r < n; ++r) parts[r].resize(sizes[r]);
  std::vector<int> counts(n), displ(n);
  Bytes all;
  for (std::uint64_t round = 0; round < rounds; ++round) {
    int total = 0;
    for (std::size_t r = 0; r < n; ++r) {
      counts[r] = static_cast<int>(sliceOf(sizes[r], round, piece_).count);
      displ[r] = total;
      total += counts[r];
    }
    all.resize(static_cast<std::size_t>(total));
    const Slice own = sliceOf(mySize, round, piece_);
    check(MPI_Iallgatherv(mine.data() + own.begin, static_cast<int>(own.count), MPI_BYTE, all.data(), counts.data(),
                          displ.data(), MPI_BYTE, MPI_COMM_WORLD, &request),
          "MPI_Iallgatherv");
    await(request, "MPI_Iallgatherv");
    for (std::size_t r = 0; r < n; ++r) {
      const Slice slice = sliceOf(sizes[r], round, piece_);
      if (slice.count != 0) std::memcpy(parts[r].data() + slice.begin, all.data() + displ[r], slice.count);
    }
  }
  return parts;
}

void MpiTransport::barrier() {
  MPI_Request request = MPI_REQUEST_NULL;
  check(MPI_Ibarrier(MPI_COMM_WORLD, &request), "MPI_Ibarrier");
  await(request, "MPI_Ibarrier");
}

void MpiTransport::abort(std::string_view why) noexcept {
  std::fprintf(stderr, "[ksim] rank %d failed: %.*s\n", rank_, static_cast<int>(why.size()), why.data());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
}

}  // namespace sim
