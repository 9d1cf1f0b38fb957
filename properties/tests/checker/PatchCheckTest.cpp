// The whole-patch check (checker/PatchCheck.hpp) without the command line:
// the contract's vocabulary covers every clause, the seed's comparison
// findings are the expected ones whether or not mandoc is installed, the
// check says the same twice, and bad input is refused naming its line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "checker/PatchCheck.hpp"
#include "spec/Properties.hpp"

namespace {

using ksim::patch::builtInInputs;
using ksim::patch::checkPatch;
using ksim::patch::InputError;

/// PATH pointed at no folder for the scope, so that mandoc is not found:
/// what is checked apart from the lint does not depend on mandoc.
class NoMandoc {
 public:
  NoMandoc() {
    if (const char* p = std::getenv("PATH")) saved_ = p;
    setenv("PATH", "/nonexistent", 1);
  }
  ~NoMandoc() {
    if (saved_) setenv("PATH", saved_->c_str(), 1);
    else unsetenv("PATH");
  }

 private:
  std::optional<std::string> saved_;
};

std::vector<std::string> subjects(const ksim::patch::Result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.part + ": " + f.subject);
  return out;
}

/* Every contract clause with an error is a term of the vocabulary, so the page comparison sees it. */
TEST(PatchCheckTest, VocabularyHasAnErrorForEveryContractClause) {
  for (const auto& p : properties::allProperties()) {
    if (p.kind != properties::PropertyKind::ContractClause || p.id == properties::PropertyId::ContractEffect)
      continue;
    bool found = false;
    for (const auto& t : properties::contractVocabulary())
      found |= t.kind == properties::PageTermKind::Error && t.checkedBy == p.id;
    EXPECT_TRUE(found) << p.name << " has no ERRORS term in contractVocabulary()";
  }
}

/* Without mandoc: the C hunk and the comparison still give their findings; the lint is not judged. */
TEST(PatchCheckTest, SeedFindingsWithoutMandoc) {
  NoMandoc noMandoc;
  auto r = checkPatch(builtInInputs());
  EXPECT_FALSE(r.lintJudged);
  EXPECT_EQ(subjects(r), (std::vector<std::string>{
                             "c-hunk: sys/compat/freebsd32/freebsd32_misc.c does not compile (freebsd32 ABI)",
                             "documented-unchecked: interface hwpmc 4",
                             "documented-unchecked: value PROC_TRACE_STATUS of PROC_TRACE_ENABLE",
                             "documented-unchecked: error EINVAL (a generic entry of procctl(2))",
                             "checked-undocumented: command PROC_TRACE_STATUS",
                         }));
  EXPECT_NE(r.text.find("NOT JUDGED: mandoc is not installed"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("error: 'PROT_TRACE_STATUS' undeclared"), std::string::npos) << r.text;
}

/* The same inputs, the same report, byte for byte. */
TEST(PatchCheckTest, SameInputsSameReport) {
  auto a = checkPatch(builtInInputs());
  auto b = checkPatch(builtInInputs());
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.json.dump(), b.json.dump());
  EXPECT_EQ(a.patchedPage, b.patchedPage);
}

/* The patched page is the base page with the hunk's 45 + 19 lines added and the date changed. */
TEST(PatchCheckTest, PatchedPageHasTheHunksLines) {
  NoMandoc noMandoc;
  auto in = builtInInputs();
  auto r = checkPatch(in);
  auto count = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  EXPECT_EQ(count(r.patchedPage), count(in.basePageText) + 45 + 19);
  EXPECT_NE(r.patchedPage.find(".Dd December 29, 2014\n"), std::string::npos);
  EXPECT_EQ(r.patchedPage.find(".Dd December 16, 2014\n"), std::string::npos);
}

/* A base page the hunk no longer fits is bad input naming the seed's hunk header. */
TEST(PatchCheckTest, HunkThatNoLongerAppliesIsRefused) {
  auto in = builtInInputs();
  in.basePageText.replace(in.basePageText.find(".Dd December 16, 2014"), 21, ".Dd December 17, 2014");
  try {
    checkPatch(in);
    FAIL() << "the changed page was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("kernel/patch/0ca0ac4dd8a2e50e.txt:85: hunk does not apply to "
                                          "kernel/patch/procctl.2.base at line 29: line 32 is",
                                          0),
              0u)
        << e.what();
  }
}

/* A hunk cut short (the mail's text interrupts it) is refused, not applied in part. */
TEST(PatchCheckTest, HunkCutShortIsRefused) {
  auto in = builtInInputs();
  std::size_t at = in.seedText.find("> +.It Dv PROC_TRACE_SET_ENABLED\n");
  ASSERT_NE(at, std::string::npos);
  in.seedText.insert(at, "An interjection that is not quoted.\n");
  EXPECT_THROW(checkPatch(in), InputError);
}

/* Something that is not a quoted patch is refused. */
TEST(PatchCheckTest, TextWithoutAQuotedDiffIsRefused) {
  auto in = builtInInputs();
  in.seedText = "no patch here\n";
  EXPECT_THROW(checkPatch(in), InputError);
}

}  // namespace
