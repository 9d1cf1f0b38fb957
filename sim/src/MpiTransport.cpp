// The MPI transport (sim/MpiTransport.hpp).

#include "sim/MpiTransport.hpp"

#include <mpi.h>

#include <cstdio>
#include <limits>
#include <string>

namespace sim {
namespace {

void check(int code, const char* what) {
  KSIM_VERIFY(code == MPI_SUCCESS, std::string("MPI call failed: ") + what);
}

/// MPI counts and displacements are ints: a batch must stay below 2 GiB (DistributedOptions keeps
/// them far below; a whole-graph gather onto rank 0 is the one place this can bite).
int asCount(std::size_t n) {
  KSIM_VERIFY(n <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
              "an MPI message of 2 GiB or more (the first version sends each in one piece)");
  return static_cast<int>(n);
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) { check(MPI_Init(argc, argv), "MPI_Init"); }

MpiSession::~MpiSession() { MPI_Finalize(); }

MpiTransport::MpiTransport() {
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
}

std::vector<Bytes> MpiTransport::exchange(std::vector<Bytes> outgoing) {
  const auto n = static_cast<std::size_t>(size_);
  KSIM_VERIFY(outgoing.size() == n, "exchange: one buffer per rank");
  std::vector<std::uint64_t> sendSizes(n), receiveSizes(n);
  for (std::size_t r = 0; r < n; ++r) sendSizes[r] = outgoing[r].size();
  check(MPI_Alltoall(sendSizes.data(), 1, MPI_UINT64_T, receiveSizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
        "MPI_Alltoall");
  std::vector<int> sendCounts(n), sendDispl(n), receiveCounts(n), receiveDispl(n);
  std::size_t sendTotal = 0, receiveTotal = 0;
  for (std::size_t r = 0; r < n; ++r) {
    sendCounts[r] = asCount(sendSizes[r]);
    sendDispl[r] = asCount(sendTotal);
    sendTotal += sendSizes[r];
    receiveCounts[r] = asCount(receiveSizes[r]);
    receiveDispl[r] = asCount(receiveTotal);
    receiveTotal += receiveSizes[r];
  }
  (void)asCount(sendTotal);
  (void)asCount(receiveTotal);
  Bytes send;
  send.reserve(sendTotal);
  for (const Bytes& b : outgoing) send.insert(send.end(), b.begin(), b.end());
  Bytes receive(receiveTotal);
  check(MPI_Alltoallv(send.data(), sendCounts.data(), sendDispl.data(), MPI_BYTE, receive.data(),
                      receiveCounts.data(), receiveDispl.data(), MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Alltoallv");
  std::vector<Bytes> incoming(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto from = receive.begin() + receiveDispl[r];
    incoming[r].assign(from, from + receiveCounts[r]);
  }
  return incoming;
}

std::vector<Bytes> MpiTransport::allgather(std::span<const std::byte> mine) {
  const auto n = static_cast<std::size_t>(size_);
  const std::uint64_t mySize = mine.size();
  std::vector<std::uint64_t> sizes(n);
  check(MPI_Allgather(&mySize, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD), "MPI_Allgather");
  std::vector<int> counts(n), displ(n);
  std::size_t total = 0;
  for (std::size_t r = 0; r < n; ++r) {
    counts[r] = asCount(sizes[r]);
    displ[r] = asCount(total);
    total += sizes[r];
  }
  (void)asCount(total);
  Bytes all(total);
  check(MPI_Allgatherv(mine.data(), asCount(mine.size()), MPI_BYTE, all.data(), counts.data(), displ.data(),
                       MPI_BYTE, MPI_COMM_WORLD),
        "MPI_Allgatherv");
  std::vector<Bytes> parts(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto from = all.begin() + displ[r];
    parts[r].assign(from, from + counts[r]);
  }
  return parts;
}

void MpiTransport::barrier() { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

void MpiTransport::abort(std::string_view why) noexcept {
  std::fprintf(stderr, "[ksim] rank %d failed: %.*s\n", rank_, static_cast<int>(why.size()), why.data());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
}

}  // namespace sim
