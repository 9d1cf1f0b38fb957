// SPDX-License-Identifier: BSD-2-Clause
// The ksim program: its command line is cli/Commands.cpp.
#include "cli/Commands.hpp"

int main(int argc, char** argv) {
  return ksim::cli::runCommandLine(argc, argv, ksim::cli::CommandLineMode::Run);
}
