// Runs a fuzz target (LLVMFuzzerTestOneInput) without libFuzzer, for
// builds whose compiler has none (GCC): every file of a corpus folder, in
// name order, then a fixed number of mutations of them, drawn from a
// seeded generator, so that a run is reproducible.  A finding aborts, as
// under libFuzzer; the input is written first to fuzz-crash-<N> in the
// working folder, and the target's stderr about it is in fuzz-stderr.  It is a smoke test of the target, not
// a fuzzer: the coverage-guided search is libFuzzer's (properties/tests/fuzz/README.md).
//
// Usage: DRIVER CORPUS_DIR MUTATIONS SEED
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// Words the targets know, so that mutations reach past the first token.
const char* const kDictionary[] = {"variant ",
                                   "kernel ",
                                   "production",
                                   "process ",
                                   "maxproc ",
                                   "sysctl ",
                                   "omit ",
                                   " = ",
                                   "EPERM",
                                   "EBUSY",
                                   "ESRCH",
                                   "sleeping",
                                   "panic",
                                   "hang",
                                   "PT_ATTACH",
                                   "PT_TRACE_ME",
                                   "PT_DETACH",
                                   "PT_CONTINUE",
                                   "procctl",
                                   "P_PID",
                                   "P_PGID",
                                   "PROC_TRACE_ENABLE",
                                   "PROC_TRACE_STATUS",
                                   "PROC_TRACE_SET_DISABLED",
                                   "ktrace",
                                   "fork",
                                   "vfork",
                                   "exec",
                                   "check",
                                   "replay",
                                   "diff",
                                   "ablate",
                                   "--max-states",
                                   "--max-depth",
                                   "--process",
                                   "--maxproc",
                                   "--sysctl",
                                   "--omit",
                                   "--variant",
                                   "--kernel",
                                   "--threads",
                                   "--max-memory",
                                   "-1",
                                   "0",
                                   "010",
                                   "18446744073709551616",
                                   "\n",
                                   "#",
                                   ":",
                                   "="};

std::string mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  const int edits = 1 + static_cast<int>(below(4));
  for (int e = 0; e < edits; ++e) {
    switch (below(6)) {
      case 0:  // flip a byte
        if (!input.empty()) input[below(input.size())] = static_cast<char>(rng());
        break;
      case 1:  // insert a byte
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(below(input.size() + 1)),
                     static_cast<char>(rng()));
        break;
      case 2:  // delete a range
        if (!input.empty()) {
          const std::size_t at = below(input.size());
          input.erase(at, 1 + below(std::min<std::size_t>(16, input.size() - at)));
        }
        break;
      case 3:  // insert a known word
        input.insert(below(input.size() + 1), kDictionary[below(std::size(kDictionary))]);
        break;
      case 4:  // splice in a piece of another input
        if (!corpus.empty()) {
          const std::string& other = corpus[below(corpus.size())];
          if (!other.empty()) {
            const std::size_t from = below(other.size());
            input.insert(below(input.size() + 1), other.substr(from, 1 + below(other.size() - from)));
          }
        }
        break;
      default:  // duplicate a line
        if (!input.empty()) {
          const std::size_t at = below(input.size());
          const std::size_t start =
              input.rfind('\n', at) == std::string::npos ? 0 : input.rfind('\n', at) + 1;
          const std::size_t end = input.find('\n', at);
          input.insert(start,
                       input.substr(start, (end == std::string::npos ? input.size() : end + 1) - start));
        }
        break;
    }
  }
  if (input.size() > 4096) input.resize(4096);
  return input;
}

// The target's stderr goes to this file, emptied before each input: after
// an abort it holds what the target said about that input alone.
int targetStderr = -1;

void run(const std::string& input, std::uint64_t number) {
  // Written first: an abort in the target leaves the input behind.
  const std::string name = "fuzz-crash-" + std::to_string(number);
  {
    std::ofstream out(name, std::ios::binary);
    out << input;
  }
  if (::ftruncate(targetStderr, 0) != 0 || ::lseek(targetStderr, 0, SEEK_SET) != 0) std::abort();
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  std::remove(name.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR MUTATIONS SEED\n", argv[0]);
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> corpus;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    corpus.push_back(text.str());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "%s: no corpus in %s\n", argv[0], argv[1]);
    return 2;
  }
  const std::uint64_t mutations = std::strtoull(argv[2], nullptr, 10);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  // The targets print (help, errors): stdout is dropped, stderr kept for
  // the last input only (fuzz-stderr), and this driver's line restored.
  std::fflush(stdout);
  const int savedErr = ::dup(2);
  const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  targetStderr = ::open("fuzz-stderr", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (devnull < 0 || targetStderr < 0 || savedErr < 0) {
    std::perror("fuzz driver: cannot redirect the target's output");
    return 2;
  }
  ::dup2(devnull, 1);
  ::dup2(targetStderr, 2);
  std::uint64_t number = 0;
  for (const std::string& input : corpus) run(input, number++);
  for (std::uint64_t i = 0; i < mutations; ++i)
    run(mutate(corpus[rng() % corpus.size()], corpus, rng), number++);
  ::dup2(savedErr, 2);
  std::remove("fuzz-stderr");
  std::fprintf(stderr, "%s: %zu corpus inputs and %llu mutations, no finding\n", argv[0], corpus.size(),
               static_cast<unsigned long long>(mutations));
  return 0;
}
