// The checker can fail: every seeded-bug variant (kernel/mutants/) is
// caught, by the property it breaks, with the expected shortest
// counterexample, while rfc-2014 passes the same search.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/Checker.hpp"
#include "ksim/registry.h"
#include "model/Kernel.hpp"
#include "model/Scenario.hpp"
#include "ModelTestSupport.hpp"

namespace {

using model::test::variantNamed;

struct SeededBug {
  std::string variant;
  std::string property;
  std::vector<std::string> steps;  ///< the expected shortest counterexample, in scenario syntax
  std::string message;
};

void PrintTo(const SeededBug& bug, std::ostream* os) { *os << bug.variant << " / " << bug.property; }

struct Outcome {
  sim::Result<properties::CheckedModel> result;
  std::vector<std::string> steps;
  std::string message;
};

// A BFS in the default world, checking one property, deep enough to find
// a counterexample `depth` steps long.
Outcome search(const std::string& variant, const std::string& property, std::uint64_t depth) {
  model::Kernel kernel(variantNamed(variant), model::Config::defaults());
  const auto* info = properties::findProperty(property);
  EXPECT_NE(info, nullptr) << property;
  properties::CheckedModel checked(kernel, {info->id});
  sim::Options options;
  options.bounds.maxDepth = depth;
  Outcome out{sim::explore(checked, options), {}, {}};
  if (!out.result.counterexamples.empty()) {
    auto trace = properties::concretize(checked, out.result.counterexamples[0]);
    for (const auto& st : trace.steps)
      out.steps.push_back(model::formatStep(st) + model::formatExpectation(st.expect));
    out.message = trace.message;
  }
  return out;
}

class SeededBugTest : public testing::TestWithParam<SeededBug> {};

/* Each mutant: the search finds its bug as a violation of the named property, by the expected shortest path.
 */
TEST_P(SeededBugTest, IsCaughtWithTheExpectedShortestCounterexample) {
  const SeededBug& bug = GetParam();
  Outcome found = search(bug.variant, bug.property, bug.steps.size() + 1);
  ASSERT_EQ(found.result.verdicts.size(), 1u);
  EXPECT_EQ(found.result.verdicts[0], sim::Verdict::Violated);
  EXPECT_EQ(found.steps, bug.steps);
  EXPECT_EQ(found.message, bug.message);
}

/* The same search on rfc-2014 finds nothing as short: the mutant's change is what the checker caught. */
TEST_P(SeededBugTest, PatchAsPostedHasNoSuchShortCounterexample) {
  const SeededBug& bug = GetParam();
  Outcome found = search("rfc-2014", bug.property, bug.steps.size() + 1);
  if (found.result.verdicts[0] == sim::Verdict::Violated)
    EXPECT_GT(found.steps.size(), bug.steps.size()) << "rfc-2014 violates " << bug.property << " as soon";
  else
    EXPECT_EQ(found.result.verdicts[0], sim::Verdict::Unknown);
}

const SeededBug kSeededBugs[] = {
    {"bug-candebug-ignores-notrace",
     "attach-refused-while-notrace",
     {"A fork A.1 = sleeping", "A fork-finish = A.1",
      "A.1 procctl P_PID A.1 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0", "A ptrace PT_ATTACH A.1 = 0"},
     "A (pid 102) attached to A.1 (pid 103), which has P2_NOTRACE"},
    {"bug-coredump-ignores-notrace",
     "no-core-while-notrace",
     {"A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0", "A kill A SIGQUIT = 0"},
     "a core file was written for A (pid 102), which has P2_NOTRACE"},
    {"bug-disable-exec-forgets-notrace",
     "notrace-exec-implies-notrace",
     {"A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0"},
     "swapper (pid 0) has P2_NOTRACE_EXEC without P2_NOTRACE"},
    {"bug-trace-enable-ignores-tracer",
     "disable-refused-while-traced",
     {"A ptrace PT_TRACE_ME = 0", "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0"},
     "PROC_TRACE_ENABLE set P2_NOTRACE on A (pid 102), which is ptraced"},
    {"bug-procctl-keeps-tree-lock",
     "kernel-assertion",
     {"A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = panic"},
     "panic: userret: Returning with 1 locks held"},
    {"bug-pgrp-walk-never-advances",
     "kernel-hang",
     {"A procctl P_PGID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = hang"},
     "kernel hang: one step did more than 10000 units of work (locks taken, list elements visited)"},
    {"bug-fork-drops-notrace",
     "fork-inherits-notrace",
     {"A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0", "A fork A.1 = sleeping"},
     "A (pid 102) forked A.1 (pid 103) with p_flag2 0, its own being P2_NOTRACE"},
    {"bug-exec-always-clears-notrace",
     "exec-keeps-notrace-only-with-exec-flag",
     {"A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0", "A exec = sleeping",
      "A exec-finish = 0"},
     "A (pid 102) has p_flag2 P2_NOTRACE_EXEC after exec, P2_NOTRACE|P2_NOTRACE_EXEC before"},
    {"bug-status-hides-notrace",
     "status-reports-truthfully",
     {"A procctl P_PID 0 PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED = 0",
      "A procctl P_PID 0 PROC_TRACE_STATUS = 0"},
     "PROC_TRACE_STATUS of swapper (pid 0) said 0, the truth is -1"},
    {"bug-trace-enable-eperm-for-traced",
     "contract-ebusy",
     {"A ptrace PT_TRACE_ME = 0", "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = EPERM"},
     "expected EBUSY, got EPERM"},
    {"bug-enable-keeps-notrace-exec",
     "contract-effect",
     {"A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED_EXEC = 0",
      "A procctl P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_ENABLED = 0"},
     "A (pid 102) has p_flag2 P2_NOTRACE_EXEC after the call, the page says 0"},
    // The tracer can no more kill than resume its stopped debuggee (the
    // progress verdict is ProgressTest's); one step shorter than
    // rfc-2014's own trap (DISABLE first), which needs no mutant.
    {"bug-candebug-refuses-stopped-debuggee",
     "debugger-can-kill",
     {"A fork A.1 = sleeping", "A fork-finish = A.1", "A.1 ptrace PT_TRACE_ME = 0",
      "A.1 kill A.1 SIGQUIT = 0", "A wait A.1 = A.1 stopped SIGQUIT", "A ptrace PT_KILL A.1 = EBUSY"},
     "A (pid 102) cannot PT_KILL A.1 (pid 103), stopped for it and waited: EBUSY"},
};

INSTANTIATE_TEST_SUITE_P(Mutants, SeededBugTest, testing::ValuesIn(kSeededBugs), [](const auto& info) {
  // A mutant may break more than one property: the property makes the name unique.
  std::string name = info.param.variant + "__" + info.param.property;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
});

/* PT_KILL answered 0 must end the debuggee.  In the December 2014 kernel it only left SIGKILL in
 * td_xsig, which syscallret() drops at an exec's stop: the kill is lost and the process runs on,
 * traced.  pre-patch, which has no P2_NOTRACE to refuse anything, shows it alone; proposed marks
 * the process P_WKILLED as FreeBSD later did (design PT_KILL_WKILLED), and keeps the property. */
TEST(DebuggerCanKillTest, AKillLostAtAnExecStopIsCaughtAndP_WKILLEDRemovesIt) {
  const std::vector<std::string> lost = {"A fork A.1 = sleeping",
                                         "A fork-finish = A.1",
                                         "A.1 ptrace PT_TRACE_ME = 0",
                                         "A.1 exec = sleeping",
                                         "A.1 exec-finish = 0",
                                         "A.1 take-signal = 0",
                                         "A wait A.1 = A.1 stopped SIGTRAP",
                                         "A ptrace PT_KILL A.1 = 0"};
  Outcome prePatch = search("pre-patch", "debugger-can-kill", lost.size() + 1);
  ASSERT_EQ(prePatch.result.verdicts.size(), 1u);
  EXPECT_EQ(prePatch.result.verdicts[0], sim::Verdict::Violated);
  EXPECT_EQ(prePatch.steps, lost);
  EXPECT_EQ(
      prePatch.message,
      "A (pid 102) PT_KILLed A.1 (pid 103), stopped for it and waited, and was answered 0, but A.1 (pid 103) "
      "runs on with no SIGKILL to act on");
  Outcome proposed = search("proposed", "debugger-can-kill", lost.size() + 1);
  ASSERT_EQ(proposed.result.verdicts.size(), 1u);
  EXPECT_EQ(proposed.result.verdicts[0], sim::Verdict::Unknown) << testing::PrintToString(proposed.steps);
}

/* Every mutant the build registers has an expectation here: a new seeded bug cannot go unchecked. */
TEST(SeededBugCatalogueTest, EveryMutantVariantIsCovered) {
  for (unsigned i = 0; i < ksim_variant_count; ++i) {
    if (std::string(ksim_variant_table[i].kind) != "mutant") continue;
    // Progress bugs are judged on the whole graph: ProgressTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-candebug-refuses-stopped-debuggee") continue;
    // Beyond the default bounds, found first by programs: ProgramsTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-grandchild-drops-notrace") continue;
    // Needs a root process, which the default world lacks: PrivilegeTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-notrace-denies-root") continue;
    // Needs two users, which the default world lacks: PrivilegeTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-candebug-ignores-credentials") continue;
    // Need a tunable set against FreeBSD's default, which the default world keeps: PrivilegeTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-candebug-ignores-unprivileged-proc-debug")
      continue;
    if (std::string(ksim_variant_table[i].variant->name) == "bug-candebug-ignores-securelevel") continue;
    if (std::string(ksim_variant_table[i].variant->name) == "bug-coredump-ignores-kern-coredump") continue;
    // Needs a setuid-root image, which the default world omits: PrivilegeTest.
    if (std::string(ksim_variant_table[i].variant->name) == "bug-coredump-ignores-sugid") continue;
    bool covered = false;
    for (const auto& bug : kSeededBugs) covered |= bug.variant == ksim_variant_table[i].variant->name;
    EXPECT_TRUE(covered) << ksim_variant_table[i].variant->name << " has no expected counterexample";
  }
}

}  // namespace
