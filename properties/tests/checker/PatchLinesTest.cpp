// The modelled kernel code cannot drift from the patch: every line the
// seed adds to a kernel file stands, in order, in the rfc-2014 sources.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kSource = KSIM_SOURCE_DIR;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Whitespace collapsed to single spaces, trimmed.
std::string normalise(const std::string& line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> nonBlankLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (auto n = normalise(line); !n.empty()) lines.push_back(n);
  return lines;
}

// Runs of consecutive added lines, per file of the seed's diff.  The seed
// is a quoted mail: diff lines start with "> ".
std::map<std::string, std::vector<std::vector<std::string>>> addedRuns() {
  std::map<std::string, std::vector<std::vector<std::string>>> runs;
  std::istringstream in(readFile(kSource + "/kernel/patch/0ca0ac4dd8a2e50e.txt"));
  std::string file;
  bool inHunk = false, inRun = false;
  for (std::string raw; std::getline(in, raw);) {
    if (raw.rfind(">", 0) != 0) {
      inHunk = inRun = false;
      continue;
    }
    std::string line = raw.size() >= 2 ? raw.substr(2) : "";
    if (line.rfind("diff --git a/", 0) == 0) {
      file = line.substr(line.find(" b/") + 3);
      inHunk = inRun = false;
      continue;
    }
    if (line.rfind("@@", 0) == 0) {
      inHunk = true;
      inRun = false;
      continue;
    }
    if (!inHunk || line.rfind("+++", 0) == 0) continue;
    if (!line.empty() && line[0] == '+') {
      std::string added = normalise(line.substr(1));
      if (added.empty()) continue;  // blank lines carry no logic
      if (!inRun) runs[file].emplace_back();
      runs[file].back().push_back(added);
      inRun = true;
    } else {
      inRun = false;
    }
  }
  return runs;
}

// Where each of the seed's files lives in the rfc-2014 variant.
const std::map<std::string, std::string> kModelledFiles = {
    {"sys/kern/kern_procctl.c", "kernel/variants/rfc-2014/kern_procctl.c"},
    {"sys/kern/kern_prot.c", "kernel/variants/rfc-2014/kern_prot.c"},
    {"sys/kern/kern_fork.c", "kernel/variants/rfc-2014/kern_fork.c"},
    {"sys/kern/kern_exec.c", "kernel/variants/rfc-2014/kern_exec.c"},
    {"sys/kern/kern_sig.c", "kernel/variants/rfc-2014/kern_sig.c"},
    {"sys/sys/procctl.h", "kernel/shim/sys/procctl.h"},
    {"sys/sys/proc.h", "kernel/shim/sys/proc.h"},
    {"sys/compat/freebsd32/freebsd32_misc.c", "kernel/variants/rfc-2014/freebsd32_misc.as-posted.c"},
};

bool containsRun(const std::vector<std::string>& lines, const std::vector<std::string>& run) {
  for (std::size_t i = 0; i + run.size() <= lines.size(); ++i) {
    std::size_t k = 0;
    while (k < run.size() && lines[i + k] == run[k]) ++k;
    if (k == run.size()) return true;
  }
  return false;
}

class PatchLinesTest : public testing::TestWithParam<std::pair<const std::string, std::string>> {};

/* For each kernel file of the seed: each run of "+" lines stands, contiguous and in order, in the variant. */
TEST_P(PatchLinesTest, EveryAddedLineStandsInTheVariant) {
  const auto& [seedFile, ourFile] = GetParam();
  auto runs = addedRuns();
  ASSERT_TRUE(runs.count(seedFile)) << "the seed has no hunk for " << seedFile;
  auto lines = nonBlankLines(readFile(kSource + "/" + ourFile));
  for (const auto& run : runs.at(seedFile)) {
    std::string text;
    for (const auto& l : run) text += "\n  + " + l;
    EXPECT_TRUE(containsRun(lines, run))
        << ourFile << " lacks these lines of the seed's " << seedFile << ":" << text;
  }
}

INSTANTIATE_TEST_SUITE_P(SeedFiles, PatchLinesTest, testing::ValuesIn(kModelledFiles), [](const auto& info) {
  std::string name = info.param.first.substr(info.param.first.rfind('/') + 1);
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
});

/* The seed parses into the hunks it has: a parser that found nothing would pass vacuously. */
TEST(PatchSeedTest, SeedHasAddedLinesForEveryModelledFile) {
  auto runs = addedRuns();
  std::size_t total = 0;
  for (const auto& [seedFile, ourFile] : kModelledFiles) {
    ASSERT_TRUE(runs.count(seedFile)) << seedFile;
    for (const auto& run : runs.at(seedFile)) total += run.size();
  }
  EXPECT_EQ(runs.at("sys/kern/kern_procctl.c").size(), 11u);
  EXPECT_EQ(total, 95u);  // counted independently: grep "^> +" less blank lines
}

/* freebsd32_misc.c as used differs from the seed's text in exactly the PROT_TRACE_STATUS identifier. */
TEST(Freebsd32Test, CorrectedCopyChangesOnlyTheUndefinedIdentifier) {
  auto body = [](const std::string& text) {
    return nonBlankLines(text.substr(text.find("int\nfreebsd32_procctl")));
  };
  auto posted = body(readFile(kSource + "/kernel/variants/rfc-2014/freebsd32_misc.as-posted.c"));
  auto used = body(readFile(kSource + "/kernel/variants/rfc-2014/freebsd32_misc.c"));
  ASSERT_EQ(posted.size(), used.size());
  std::vector<std::pair<std::string, std::string>> differences;
  for (std::size_t i = 0; i < posted.size(); ++i)
    if (posted[i] != used[i]) differences.emplace_back(posted[i], used[i]);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].first, "case PROT_TRACE_STATUS:");
  EXPECT_EQ(differences[0].second, "case PROC_TRACE_STATUS:");
}

/* The build tried the as-posted text and recorded the compiler's refusal. */
TEST(Freebsd32Test, BuildRecordedThatTheAsPostedTextDoesNotCompile) {
  std::string log = readFile(std::string(KSIM_BINARY_DIR) + "/freebsd32-as-posted.log");
  EXPECT_NE(log.find("PROT_TRACE_STATUS"), std::string::npos) << log;
  EXPECT_NE(log.find("error"), std::string::npos) << log;
}

}  // namespace
