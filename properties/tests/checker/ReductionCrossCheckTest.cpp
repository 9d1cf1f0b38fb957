// The reductions (Config::reduction: today the user symmetry of
// Kernel::canonicalize) are sound on every world of ReductionWorlds.hpp:
// the reduced search and the unreduced one (--no-reduction) both complete
// and agree on the verdict of every property and on the length of every
// shortest counterexample; every reduced counterexample, concretised,
// replays from the real initial state as a scenario file and violates its
// property there (or, for an unspecified point, reaches it); and where users are interchangeable the reduced
// search keeps strictly fewer states (the reduction does something).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ReductionWorlds.hpp"
#include "checker/Checker.hpp"
#include "checker/Progress.hpp"
#include "ksim/registry.h"
#include "model/Kernel.hpp"
#include "model/Scenario.hpp"
#include "ModelTestSupport.hpp"

namespace {

using reduction_worlds::World;

using model::test::variantNamed;

model::Config configOf(const World& w, bool reduction) {
  model::Config c = model::Config::defaults();
  c.processes.clear();
  for (const std::string& spec : w.processes) {
    auto process = model::parseProcessSpec(spec);
    EXPECT_TRUE(process.has_value()) << spec;
    if (process) c.processes.push_back(std::move(*process));
  }
  c.maxUserProcs = w.maxproc;
  c.omitted = 0;
  for (const std::string& name : w.omit) {
    auto family = model::findFamily(name);
    EXPECT_TRUE(family.has_value()) << name;
    if (family) c.omitted |= model::familyBit(*family);
  }
  c.reduction = reduction;
  EXPECT_FALSE(c.validate().has_value()) << *c.validate();
  return c;
}

std::vector<properties::PropertyId> allPropertyIds() {
  std::vector<properties::PropertyId> ids;
  for (const auto& info : properties::allProperties()) ids.push_back(info.id);
  return ids;
}

// Both the search and the replay's judge of the graph properties stop here:
// a replay may need as many continuations as the world has states.
constexpr std::uint64_t kMaxStates = 2'000'000;

struct SearchOutcome {
  sim::Completion completion;
  std::uint64_t states;
  std::vector<sim::Verdict> verdicts;
  std::vector<std::size_t> shortest;  ///< per property: counterexample length, or 0 without one
  std::vector<properties::ConcreteTrace> traces;
};

// The check `ksim check` runs: every property, the graph's progress
// properties judged, every counterexample concretised.
SearchOutcome check(const World& w, bool reduction) {
  model::Kernel kernel(variantNamed(w.variant), configOf(w, reduction));
  properties::CheckedModel checked(kernel, allPropertyIds());
  sim::Options options;
  options.recordGraph = true;
  options.bounds.maxStates = kMaxStates;
  auto result = sim::explore(checked, options);
  properties::judgeProgress(checked, result);
  SearchOutcome run{result.completion, result.stats.states, result.verdicts, {}, {}};
  run.shortest.assign(checked.propertyCount(), 0);
  for (const auto& cx : result.counterexamples) {
    run.shortest[cx.property] = cx.actions.size();
    run.traces.push_back(properties::concretize(checked, cx));
  }
  return run;
}

std::string describe(const World& w) {
  std::string out = w.variant + " maxproc " + std::to_string(w.maxproc);
  for (const std::string& p : w.processes) out += " " + p;
  out += " omit";
  for (const std::string& f : w.omit) out += " " + f;
  return out;
}

class ReductionCrossCheckTest : public testing::TestWithParam<std::size_t> {};

/* The reduced and unreduced searches agree on completion, verdicts and shortest counterexample lengths; the
 * reduced counterexamples replay on the real world; interchangeable users make the reduced search smaller. */
TEST_P(ReductionCrossCheckTest, ReducedSearchAgreesWithTheUnreducedOne) {
  const World& w = reduction_worlds::worlds()[GetParam()];
  SCOPED_TRACE(describe(w));
  const SearchOutcome reduced = check(w, true), full = check(w, false);
  ASSERT_EQ(full.completion, sim::Completion::Complete) << "the world is too large to cross-check";
  EXPECT_EQ(reduced.completion, sim::Completion::Complete);
  EXPECT_LE(reduced.states, full.states);
  if (!configOf(w, true).interchangeableUsers().empty())
    EXPECT_LT(reduced.states, full.states) << "interchangeable users, yet no state merged";
  else
    EXPECT_EQ(reduced.states, full.states);
  ASSERT_EQ(reduced.verdicts.size(), full.verdicts.size());
  const auto ids = allPropertyIds();
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::string name(properties::propertyInfo(ids[k]).name);
    EXPECT_EQ(reduced.verdicts[k], full.verdicts[k]) << name;
    EXPECT_EQ(reduced.shortest[k], full.shortest[k]) << name << ": shortest counterexample length";
  }
  // Each reduced counterexample, written as a scenario file, replays on the
  // real world (no canonicalisation) and violates its property there.
  const model::Config config = configOf(w, false);
  model::Kernel replayKernel(variantNamed(w.variant), config);
  for (const properties::ConcreteTrace& trace : reduced.traces) {
    std::istringstream file(properties::formatScenarioFile(trace, config, w.variant, {}));
    model::Scenario scenario = model::parseScenario(file, trace.property + ".scenario");
    std::ostringstream out;
    int code = properties::replayScenario(scenario, replayKernel, out, kMaxStates);
    // An unspecified point is reported, not a violation.
    const bool unspecified = properties::findProperty(trace.property)->isUnspecifiedPoint();
    if (!unspecified) {
      EXPECT_EQ(code, properties::kReplayViolation) << trace.property << "\n" << out.str();
    }
    EXPECT_NE(code, properties::kReplayUnmet) << trace.property << "\n" << out.str();
    EXPECT_NE(out.str().find((unspecified ? "UNSPECIFIED " : "VIOLATION ") + trace.property),
              std::string::npos)
        << trace.property << "\n"
        << out.str();
  }
}

INSTANTIATE_TEST_SUITE_P(Worlds, ReductionCrossCheckTest,
                         testing::Range(std::size_t{0}, reduction_worlds::worlds().size()));

}  // namespace
