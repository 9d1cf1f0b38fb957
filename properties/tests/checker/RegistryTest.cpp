// The property registry (spec/Properties.def) and the verdicts
// (spec/Verdicts.def): lookups agree with the definition, and the search's
// numbering of the checked properties is kept apart from PropertyId.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "checker/Checker.hpp"
#include "ksim/flags.h"
#include "ksim/registry.h"
#include "spec/Verdict.hpp"

namespace {

using properties::JudgedOn;
using properties::PropertyId;
using properties::Verdict;

// One cannot stand for the other without a cast the compiler sees.
static_assert(!std::is_convertible_v<PropertyId, sim::PropertyIndex>);
static_assert(!std::is_convertible_v<sim::PropertyIndex, PropertyId>);
static_assert(!std::is_constructible_v<PropertyId, sim::PropertyIndex>);

TEST(RegistryTest, EveryPropertyIsFoundByItsIdAndItsName) {
  std::size_t position = 0;
  for (const properties::PropertyInfo& p : properties::allProperties()) {
    EXPECT_EQ(properties::positionOf(p.id), position) << p.name;
    EXPECT_EQ(&properties::propertyInfo(p.id), &p) << p.name;
    EXPECT_EQ(properties::findProperty(p.name), &p) << p.name;
    EXPECT_FALSE(p.meaning.empty()) << p.name;
    // What it takes as the truth on a production kernel, past a broken invariant.
    EXPECT_FALSE(p.onceBroken.empty()) << p.name;
    ++position;
  }
  EXPECT_EQ(position, properties::kPropertyCount);
  EXPECT_EQ(properties::findProperty("no-such-property"), nullptr);
}

TEST(RegistryTest, KindSaysWhatAPropertyIsJudgedOn) {
  auto judged = [](const char* name) { return properties::findProperty(name)->judgedOn(); };
  EXPECT_EQ(judged("tree-consistent"), JudgedOn::State);
  EXPECT_EQ(judged("kernel-assertion"), JudgedOn::Step);
  EXPECT_EQ(judged("contract-ebusy"), JudgedOn::Step);
  EXPECT_EQ(judged("unspecified-pid-zero"), JudgedOn::Step);
  EXPECT_EQ(judged("vfork-parent-wakes"), JudgedOn::Graph);
  EXPECT_EQ(judged("owner-can-leave-trace-state"), JudgedOn::Graph);
  EXPECT_EQ(judged("root-can-undo"), JudgedOn::Graph);
  EXPECT_EQ(judged("root-can-debug"), JudgedOn::Step);
  EXPECT_TRUE(properties::findProperty("unspecified-permission")->isUnspecifiedPoint());
  EXPECT_FALSE(properties::findProperty("contract-effect")->isUnspecifiedPoint());
}

TEST(RegistryTest, VerdictsReadBackFromTheirPrintedForm) {
  const std::vector<Verdict> all = {
#define KSIM_VERDICT(id, text, meaning) Verdict::id,
#include "spec/Verdicts.def"
#undef KSIM_VERDICT
  };
  EXPECT_EQ(all.size(), 5u);
  for (Verdict v : all) EXPECT_EQ(properties::parseVerdict(properties::verdictText(v)), v);
  EXPECT_EQ(properties::verdictText(Verdict::Reached), "REACHED");
  EXPECT_EQ(properties::parseVerdict("holds"), std::nullopt);
}

TEST(RegistryTest, AnUnspecifiedPointIsReachedNotViolated) {
  const auto& point = properties::propertyInfo(PropertyId::UnspecifiedPidZero);
  const auto& invariant = properties::propertyInfo(PropertyId::TreeConsistent);
  EXPECT_EQ(properties::propertyVerdict(point, sim::Verdict::Violated), Verdict::Reached);
  EXPECT_EQ(properties::propertyVerdict(point, sim::Verdict::Holds), Verdict::Unreached);
  EXPECT_EQ(properties::propertyVerdict(point, sim::Verdict::Unknown), Verdict::Unknown);
  EXPECT_EQ(properties::propertyVerdict(invariant, sim::Verdict::Violated), Verdict::Violated);
  EXPECT_EQ(properties::propertyVerdict(invariant, sim::Verdict::Holds), Verdict::Holds);
  EXPECT_EQ(properties::propertyVerdict(invariant, sim::Verdict::Unknown), Verdict::Unknown);
}

// A state that violates notrace-never-traced and tree-consistent (P_TRACED
// without a debugger): the search sees each selected one by its place in
// the selection, and no other.
TEST(RegistryTest, TheSearchNumbersTheSelectedPropertiesInTheirOrder) {
  const ksim_variant_entry* rfc = ksim_variant_find("rfc-2014");
  ASSERT_NE(rfc, nullptr);
  model::Kernel kernel(*rfc->variant, model::Config::defaults());
  model::State s = kernel.initial();
  s.world.proc[KSIM_FIRST_USER_SLOT].flag |= KSIM_P_TRACED;
  s.world.proc[KSIM_FIRST_USER_SLOT].flag2 |= KSIM_P2_NOTRACE;

  std::vector<properties::PropertyFinding> found;
  properties::checkState(s, found);
  std::vector<PropertyId> reported;
  for (const auto& f : found) reported.push_back(f.property);
  EXPECT_EQ(reported, (std::vector<PropertyId>{PropertyId::NotraceNeverTraced, PropertyId::TreeConsistent}));

  properties::CheckedModel both(kernel, {PropertyId::TreeConsistent, PropertyId::NotraceNeverTraced});
  std::vector<sim::Finding> seen;
  both.stateFindings(s, seen);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(both.propertyAt(seen[0].property), PropertyId::NotraceNeverTraced);
  EXPECT_EQ(seen[0].property, 1u);
  EXPECT_EQ(both.propertyAt(seen[1].property), PropertyId::TreeConsistent);
  EXPECT_EQ(seen[1].property, 0u);
  EXPECT_EQ(both.indexOf(PropertyId::NotraceNeverTraced), 1u);
  EXPECT_EQ(both.indexOf(PropertyId::KernelAssertion), std::nullopt);

  properties::CheckedModel one(kernel, {PropertyId::TreeConsistent});
  seen.clear();
  one.stateFindings(s, seen);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].property, 0u);
  EXPECT_EQ(one.propertyName(seen[0].property), "tree-consistent");
}

}  // namespace
