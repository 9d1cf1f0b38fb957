// SPDX-License-Identifier: BSD-2-Clause
// The ksim program: its command line is cli/Commands.cpp.
#include "cli/Commands.hpp"

#ifdef KSIM_WITH_MPI
#include <cstdlib>

#include "sim/MpiTransport.hpp"

namespace {

// Whether an MPI launcher started this process: Open MPI's mpirun, MPICH's Hydra and PMIx
// launchers (srun) set these. Alone, ksim never initialises MPI, which some libraries make slow or
// noisy without a launcher.
bool startedByMpiLauncher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace
#endif

int main(int argc, char** argv) {
#ifdef KSIM_WITH_MPI
  if (startedByMpiLauncher()) {
    sim::MpiSession session(&argc, &argv);
    sim::MpiTransport ranks;
    return ksim::cli::runCommandLine(argc, argv, ksim::cli::CommandLineMode::Run, &ranks);
  }
#endif
  return ksim::cli::runCommandLine(argc, argv, ksim::cli::CommandLineMode::Run);
}
