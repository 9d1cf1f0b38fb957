// RapidCheck programs explored in every interleaving (Programs.hpp): a
// hand-written program finds its violation in the interleaving that shows
// it, shortest first; a campaign on a variant with a bug finds the bug,
// shrinks the program, and the shrunk interleaving replays.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <tuple>

#include "checker/Checker.hpp"
#include "checker/Programs.hpp"
#include "ksim/flags.h"
#include "ksim/registry.h"
#include "model/Scenario.hpp"
#include "model/TargetedCalls.hpp"
#include "ModelTestSupport.hpp"

namespace properties::programs {
namespace {

using model::Call;

using model::test::variantNamed;

Op disable(ProcessRef who) {
  return Op{.call = Call::Procctl,
            .target = who,
            .op = model::kProcTraceEnable,
            .idtype = KSIM_P_PID,
            .data = KSIM_PROC_TRACE_SET_DISABLED};
}

ProcessRef thread(std::uint8_t t) { return {ProcessRef::Kind::Thread, t}; }

// Replays a trace's scenario text and returns ksim replay's exit code.
int replay(const ConcreteTrace& trace, const model::Config& config, const std::string& variant) {
  std::istringstream in(formatScenarioFile(trace, config, variant, {}));
  model::Scenario sc = model::parseScenario(in, "program.scenario");
  model::Kernel kernel(variantNamed(variant), sc.config);
  std::ostringstream out;
  return replayScenario(sc, kernel, out);
}

TEST(ProgramsTest, TraceMeAfterDisableIsFoundInTheInterleavingThatShowsIt) {
  // A disables tracing, its child asks to be traced by A; in rfc-2014 the
  // child's PT_TRACE_ME succeeds and it is traced with P2_NOTRACE.
  Program program;
  program.initialUsers = {"alice"};
  program.threads = {{disable(thread(0)), Op{.call = Call::Fork, .target = {}, .child = 1}},
                     {Op{.call = Call::Ptrace, .target = {}, .op = model::kPtTraceMe}}};
  auto verdict = explore(variantNamed("rfc-2014"), program, {PropertyId::NotraceNeverTraced});
  ASSERT_TRUE(verdict.complete);
  ASSERT_TRUE(verdict.violation.has_value());
  EXPECT_EQ(verdict.violation->property, "notrace-never-traced");
  // DISABLE, fork, fork-finish, PT_TRACE_ME.
  EXPECT_EQ(verdict.violation->steps.size(), 4u);
  EXPECT_EQ(replay(*verdict.violation, programConfig(program), "rfc-2014"), kReplayViolation);
}

TEST(ProgramsTest, ProgramWithoutTheBugHasNoViolation) {
  // The same calls with PT_TRACE_ME before the disable: the disable then
  // fails with EBUSY in every interleaving where it comes second.
  Program program;
  program.initialUsers = {"alice"};
  program.threads = {{Op{.call = Call::Ptrace, .target = {}, .op = model::kPtTraceMe}, disable(thread(0))}};
  auto verdict = explore(variantNamed("rfc-2014"), program, {PropertyId::NotraceNeverTraced});
  EXPECT_TRUE(verdict.complete);
  EXPECT_FALSE(verdict.violation.has_value());
}

TEST(ProgramsTest, ThreadsThatNoForkStartsNeverRun) {
  Program program;
  program.initialUsers = {"alice"};
  program.threads = {{}, {disable(thread(1))}};
  auto verdict = explore(variantNamed("rfc-2014"), program, programProperties());
  EXPECT_EQ(verdict.states, 1u);
  EXPECT_FALSE(verdict.violation.has_value());
}

TEST(ProgramsTest, CampaignFindsShrinksAndReplaysAnRfcViolation) {
  CampaignOptions options;
  options.seed = 7;
  options.programs = 300;
  auto result = runCampaign(variantNamed("rfc-2014"), {PropertyId::NotraceNeverTraced}, options);
  ASSERT_TRUE(result.failed) << "no program traced a no-trace process in " << result.programsRun;
  ASSERT_TRUE(result.verdict.violation.has_value());
  // Shrinking ends in a local minimum, not necessarily at the exhaustive
  // check's 2 steps (DISABLE; PT_TRACE_ME): every call of the shrunk
  // program is needed, so taking any one out leaves no violation.
  const std::vector<PropertyId> traced = {PropertyId::NotraceNeverTraced};
  for (std::size_t t = 0; t < result.minimal.threads.size(); ++t)
    for (std::size_t i = 0; i < result.minimal.threads[t].size(); ++i) {
      Program without = result.minimal;
      without.threads[t].erase(without.threads[t].begin() + static_cast<std::ptrdiff_t>(i));
      EXPECT_FALSE(explore(variantNamed("rfc-2014"), without, traced).violation.has_value())
          << "call " << i << " of thread " << t << " is not needed in\n" << describe(result.minimal);
    }
  EXPECT_EQ(replay(*result.verdict.violation, result.config, "rfc-2014"), kReplayViolation);
}

TEST(ProgramsTest, CampaignIsDeterministicForASeed) {
  CampaignOptions options;
  options.seed = 11;
  options.programs = 40;
  auto a = runCampaign(variantNamed("rfc-2014"), programProperties(), options);
  auto b = runCampaign(variantNamed("rfc-2014"), programProperties(), options);
  EXPECT_EQ(a.failed, b.failed);
  EXPECT_EQ(a.programsRun, b.programsRun);
  EXPECT_EQ(describe(a.minimal), describe(b.minimal));
}

// bug-grandchild-drops-notrace: fork passes P2_NOTRACE on only when the
// parent is a child of init, so only a grandchild starts traceable.  The
// default check (one process that may fork once) has no grandchildren and
// cannot see it; programs, with more processes, find it, and the shrunk
// program's interleaving is within one step of the shortest counterexample
// that an exhaustive search of the same world finds.
TEST(ProgramsTest, BugOnlyProgramsFindFirstShrinksToNearTheShortest) {
  const ksim_variant& buggy = variantNamed("bug-grandchild-drops-notrace");
  const PropertyId inherits = PropertyId::ForkInheritsNotrace;

  model::Kernel defaultWorld(buggy, model::Config::defaults());
  CheckedModel defaultCheck(defaultWorld, {inherits});
  auto exhaustive = sim::explore(defaultCheck, sim::Options{});
  ASSERT_EQ(exhaustive.completion, sim::Completion::Complete);
  EXPECT_EQ(exhaustive.verdicts[0], sim::Verdict::Holds) << "the default check already sees the bug";

  CampaignOptions options;
  options.seed = 1;
  options.programs = 500;
  options.users = {"alice"};
  auto found = runCampaign(buggy, {inherits}, options);
  ASSERT_TRUE(found.failed) << "seed 1: no program made a grandchild";
  ASSERT_TRUE(found.verdict.violation.has_value());
  std::size_t shrunk = found.verdict.violation->steps.size();
  EXPECT_EQ(replay(*found.verdict.violation, found.config, "bug-grandchild-drops-notrace"), kReplayViolation);

  // Every behaviour of the program's world, breadth first to the shrunk
  // length: the first counterexample found is a shortest one.
  model::Kernel programWorld(buggy, found.config);
  CheckedModel everyBehaviour(programWorld, {inherits});
  sim::Options bounded;
  bounded.bounds.maxDepth = shrunk;
  auto shortest = sim::explore(everyBehaviour, bounded);
  ASSERT_EQ(shortest.verdicts[0], sim::Verdict::Violated);
  std::size_t best = shortest.counterexamples[0].actions.size();
  EXPECT_LE(shrunk, best + 1) << describe(found.minimal);
  EXPECT_GE(shrunk, best);
}

/* The program generator makes every call a process makes that the default search tries (not getppid, which
 * changes nothing), and no continuation */
TEST(ProgramsTest, GeneratorMakesEveryCallAProcessMakes) {
  properties::programs::CampaignOptions options;
  options.seed = 1;
  options.programs = 300;
  std::set<model::Call> made;
  for (const auto& program : properties::programs::samplePrograms(options))
    for (const auto& thread : program.threads)
      for (const auto& op : thread) made.insert(op.call);
  for (const model::CallSpec& c : model::kCalls) {
    bool wanted =
        c.origin == model::CallOrigin::Process && !model::Config::defaults().omitsEveryFamilyOf(c.call);
    EXPECT_EQ(made.count(c.call) == 1, wanted)
        << c.keyword << (wanted ? " is never generated" : " is generated");
  }
  EXPECT_EQ(made.count(model::Call::Getppid), 0u);
}

/* ... and every request and signal the default search aims at a target (PT_KILL, PT_FOLLOW_FORK, the event
 * masks, ktrace with inheritance, ...), none that it leaves out (PT_LWPINFO, kill's other signals) */
TEST(ProgramsTest, GeneratorMakesEveryTargetedRequestTheSearchTries) {
  properties::programs::CampaignOptions options;
  options.seed = 1;
  options.programs = 300;
  std::set<std::tuple<model::Call, std::uint8_t, std::int8_t>> made;
  for (const auto& program : properties::programs::samplePrograms(options))
    for (const auto& thread : program.threads)
      for (const auto& op : thread) made.insert({op.call, op.op, op.data});
  const model::Config defaults = model::Config::defaults();
  for (const model::TargetedCall& t : model::kTargetedCalls) {
    bool wanted = !defaults.omits(t.family) && !defaults.omits(t.needs);
    EXPECT_EQ(made.count({t.call, t.op, t.data}) == 1, wanted)
        << model::callKeyword(t.call) << " " << int(t.op) << " " << int(t.data) << " of family "
        << model::familyName(t.family) << (wanted ? " is never generated" : " is generated");
  }
}

}  // namespace
}  // namespace properties::programs
