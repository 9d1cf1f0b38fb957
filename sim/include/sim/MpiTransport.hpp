#pragma once

// sim::MpiTransport — the Transport (sim/Transport.hpp) of K MPI processes: one rank per process
// of MPI_COMM_WORLD. Built only with KSIM_WITH_MPI (library ksim_sim_mpi); this header does not
// include <mpi.h>, so that users need not see MPI's headers.

#include "sim/Transport.hpp"

namespace sim {

/// Initialises MPI for the life of the object (MPI_Init ... MPI_Finalize). One per process,
/// created before any MpiTransport.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

class MpiTransport final : public Transport {
 public:
  /// What one MPI call moves at most from one buffer. MPI counts bytes in ints, so a collective
  /// whose buffers are larger goes in rounds of this many bytes per buffer (fewer, if K buffers of
  /// it would pass 2 GiB). Tests make it small to exercise the rounds.
  static constexpr std::size_t kDefaultPieceBytes = std::size_t{256} << 20;

  /// Needs an MpiSession.
  explicit MpiTransport(std::size_t pieceBytes = kDefaultPieceBytes);

  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return size_; }
  /// The ranks of MPI_COMM_WORLD that can share memory with this one (MPI_COMM_TYPE_SHARED).
  int ranksOnThisMachine() const noexcept override { return ranksHere_; }
  std::vector<Bytes> exchange(std::vector<Bytes> outgoing) override;
  std::vector<Bytes> allgather(std::span<const std::byte> mine) override;
  void barrier() override;
  /// Prints "[ksim] rank R failed: WHY" to stderr and ends every process of the job (MPI_Abort):
  /// MPI has no portable way to make the other ranks' pending collectives fail instead.
  void abort(std::string_view why) noexcept override;

 private:
  int rank_ = 0;
  int size_ = 1;
  int ranksHere_ = 1;
  std::size_t piece_ = kDefaultPieceBytes;
};

}  // namespace sim
