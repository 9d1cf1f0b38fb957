// SPDX-License-Identifier: BSD-2-Clause
// ksim's command line as a function, so that a test or a fuzzer can drive
// it without a process of its own.
#pragma once

namespace sim {
class Transport;
}

namespace ksim::cli {

enum class CommandLineMode {
  Run,        ///< parse, then do what the command says: the ksim program
  ParseOnly,  ///< parse and check the options' names and world, do nothing
};

/// Parses argv as `ksim` does and, in Run mode, runs the command.  Returns
/// the exit code (cli/Session.hpp: 2 bad input, 70 a bug of ksim).
/// `distribution`: the ranks of the MPI job this process is one of (main.cpp), if any; with two
/// or more they share `ksim check`'s search, and no other command runs.
int runCommandLine(int argc, char** argv, CommandLineMode mode, sim::Transport* distribution = nullptr);

}  // namespace ksim::cli
