// ksim's command line, fuzzed: the input is split into arguments at
// newlines; parsing them (and checking names and the world, as each
// command does before any work) must end in an exit code, never in a
// crash, an uncaught exception or an internal error (70).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/Commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kMaxArguments = 32;
  std::vector<std::string> arguments{"ksim"};
  std::string current;
  for (std::size_t i = 0; i < size && arguments.size() <= kMaxArguments; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n') {
      arguments.push_back(current);
      current.clear();
    } else if (c != '\0') {
      current += c;
    }
  }
  if (!current.empty() && arguments.size() <= kMaxArguments) arguments.push_back(current);
  std::vector<char*> argv;
  for (std::string& a : arguments) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int code = ksim::cli::runCommandLine(static_cast<int>(arguments.size()), argv.data(),
                                             ksim::cli::CommandLineMode::ParseOnly);
  if (code != 0 && code != 2) {
    std::fprintf(stderr, "command-line fuzz: exit %d for:", code);
    for (std::size_t i = 1; i < arguments.size(); ++i) std::fprintf(stderr, " [%s]", arguments[i].c_str());
    std::fprintf(stderr, "\n");
    std::abort();
  }
  return 0;
}
