// SPDX-License-Identifier: BSD-2-Clause
// ksim's command line as a function, so that a test or a fuzzer can drive
// it without a process of its own.
#pragma once

namespace ksim::cli {

enum class CommandLineMode {
  Run,        ///< parse, then do what the command says: the ksim program
  ParseOnly,  ///< parse and check the options' names and world, do nothing
};

/// Parses argv as `ksim` does and, in Run mode, runs the command.  Returns
/// the exit code (cli/Session.hpp: 2 bad input, 70 a bug of ksim).
int runCommandLine(int argc, char** argv, CommandLineMode mode);

}  // namespace ksim::cli
