// ModelPropertyTest's properties of model/tests/ModelPropertyTest.cpp
// that the properties judge (spec/) or ksim replay runs: they ask the
// checker, so they live here and the model's own tests need none of it.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "CheckedRunSupport.hpp"
#include "RandomPrograms.hpp"

namespace model::test {
namespace {

/// Whether the bytes and bits no field owns are all zero.
bool spareBytesAreZero(const State& s) {
  for (std::uint8_t b : s.spare)
    if (b != 0) return false;
  constexpr unsigned kEventBits = KSIM_PTRACE_EXEC | KSIM_PTRACE_FORK;
  constexpr unsigned kStopBits = KSIM_PTSTOP_FORKED | KSIM_PTSTOP_CHILD;
  for (const ksim_proc_rec& p : s.world.proc) {
    if ((p.ptevents & ~kEventBits) != 0) return false;
    if ((p.ptstop & ~kStopBits & ((1u << KSIM_PTSTOP_CHILD_SHIFT) - 1)) != 0) return false;
  }
  return true;
}

/* random world, random program of enabled actions: every step returns a value, the tree stays consistent */
RC_GTEST_PROP(ModelPropertyTest, RandomSyscallProgramsNeverBreakTheProcessTree, ()) {
  const Kernel k(rfc2014(), genWorld());
  const std::vector<Action> program = genProgram(k);
  RC_LOG() << scenarioText(k, program);
  State s = k.initial();
  RC_ASSERT(violatedInvariants(s).empty());
  for (const Action& a : program) {
    RC_ASSERT(k.canAct(s, a));
    const StepResult r = k.step(s, a);
    // A step either returns, sleeps, or (as a value) panics or hangs.
    RC_ASSERT((r.next.panicked != 0) == (r.outcome == Outcome::Panic || r.outcome == Outcome::Hang));
    if (r.outcome == Outcome::Returned) RC_ASSERT(r.error == 0 || !r.value.has_value());
    RC_ASSERT(!contains(violatedInvariants(r.next), "tree-consistent"));
    // Padding-clean: a copy hashes alike, and no byte outside the fields is set.
    const State copy = r.next;
    RC_ASSERT(hashState(copy) == hashState(r.next));
    RC_ASSERT(spareBytesAreZero(r.next));
    s = r.next;
  }
}

/* a program printed as a scenario (names as concretize gives them) parses and replays with exit code 0 or 1
 */
RC_GTEST_PROP(ModelPropertyTest, AProgramWrittenAsAScenarioReplaysWithEveryExpectationMet, ()) {
  const Kernel k(rfc2014(), genWorld());
  const std::vector<Action> program = genProgram(k);
  const std::string text = scenarioText(k, program);
  RC_LOG() << text;
  std::istringstream in(text);
  const Scenario sc = parseScenario(in, "generated.scn");
  RC_ASSERT(sc.steps.size() == program.size());
  const Kernel replayKernel(variantNamed(sc.variant.value_or("")), sc.config);
  std::ostringstream out;
  // Expectations are the point here; judging progress on the last state
  // (every continuation of it) is ProgressTest's and the results tests'.
  const int code = properties::replayScenario(sc, replayKernel, out, 0);
  RC_LOG() << out.str();
  RC_ASSERT(code == properties::kReplayClean || code == properties::kReplayViolation);
}

}  // namespace
}  // namespace model::test
