// Causes (Finding::cause): the search counts each property's causes and, with
// Options::allCauses, keeps a shortest counterexample per cause.

#include "sim/Explorer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace sim::test {
namespace {

/// States 0..9 on a line, each step adding 1 or 2. Property 0 (a transition property) is violated
/// by every step into a multiple of 3, its cause the target modulo 2 (two causes: a step into 3 or
/// 9 is cause 1, into 6 cause 0). Property 1 (a state invariant) holds below 4 and fails from 4 on,
/// an inherited violation; the model classifies it by the step that first reached the state.
struct LineModel {
  using State = std::uint32_t;
  using Action = std::uint32_t;  // the step's size
  bool classifies = true;
  mutable std::atomic<std::uint32_t> messagesFormatted = 0;  // expand() may run on several threads

  State initial() const { return 0; }
  std::uint64_t hash(const State& s) const { return s; }
  void expand(const State& s, Emitter<Action, State>& emit) const {
    for (std::uint32_t step = 1; step <= 2; ++step) {
      const State next = s + step;
      if (next > 9) continue;
      std::vector<Finding> findings;
      if (next % 3 == 0) {
        std::string message;
        if (emit.wanted(0)) {
          ++messagesFormatted;
          message = "into " + std::to_string(next);
        }
        findings.push_back(Finding{0, message, next % 2});
      }
      emit(step, next, findings);
    }
  }
  void stateFindings(const State& s, std::vector<Finding>& out) const {
    if (s >= 4) out.push_back(Finding{1, "at " + std::to_string(s)});
  }
  void classifyStateFindings(const State* parent, const Action* action, const State&,
                             std::vector<Finding>& findings) const {
    if (!classifies || parent == nullptr) return;
    if (*parent >= 4) {
      findings.clear();  // inherited from the parent
      return;
    }
    for (Finding& f : findings) f.cause = 100 + *action;
  }
  std::size_t propertyCount() const { return 2; }
  std::string propertyName(PropertyIndex p) const { return p == 0 ? "step-into-three" : "below-four"; }
};

TEST(CausesTest, CountsTheCausesOfEveryProperty) {
  LineModel model;
  const auto r = explore(model);
  ASSERT_EQ(r.verdicts, (std::vector<Verdict>{Verdict::Violated, Verdict::Violated}));
  // Property 0: steps into 3 and 9 (cause 1), into 6 (cause 0). Property 1: state 4 is first
  // reached from 2 by a step of 2 (cause 102); 5 from 3 by 2 (cause 102); everything later
  // inherits. So one cause.
  EXPECT_EQ(r.causeCounts, (std::vector<std::uint64_t>{2, 1}));
  ASSERT_EQ(r.counterexamples.size(), 2u);  // one per property without allCauses
  EXPECT_EQ(r.counterexamples[0].actions.size(), 2u);
  EXPECT_EQ(r.counterexamples[0].cause, 1u);
  EXPECT_EQ(r.counterexamples[1].cause, 102u);
}

TEST(CausesTest, KeepsAShortestCounterexampleOfEachCause) {
  LineModel model;
  Options options;
  options.allCauses = true;
  const auto r = explore(model, options);
  EXPECT_EQ(r.causeCounts, (std::vector<std::uint64_t>{2, 1}));
  ASSERT_EQ(r.counterexamples.size(), 3u);
  // Property 0 first: its first counterexample (into 3, two steps), then the first of cause 0
  // (into 6: three steps, 2+2+2), shortest first; then property 1.
  EXPECT_EQ(r.counterexamples[0].property, 0u);
  EXPECT_EQ(r.counterexamples[0].message, "into 3");
  EXPECT_EQ(r.counterexamples[1].property, 0u);
  EXPECT_EQ(r.counterexamples[1].cause, 0u);
  EXPECT_EQ(r.counterexamples[1].message, "into 6");
  EXPECT_EQ(r.counterexamples[1].actions.size(), 3u);
  EXPECT_EQ(r.counterexamples[1].states.back(), 6u);
  EXPECT_EQ(r.counterexamples[2].property, 1u);
  // The first counterexample of each property is the one a search without allCauses keeps.
  const auto plain = explore(model);
  EXPECT_EQ(plain.counterexamples[0], r.counterexamples[0]);
  EXPECT_EQ(plain.counterexamples[1], r.counterexamples[2]);
}

TEST(CausesTest, ASettledPropertyStillCountsItsCausesWithoutItsMessages) {
  LineModel model;
  const auto r = explore(model);
  // Steps into 3, 6 and 9 violate property 0: from 1 and 2 into 3, from 4 and 5 into 6, from 7
  // and 8 into 9. Only the first needs its message; the cause of 6 is still counted.
  EXPECT_EQ(model.messagesFormatted.load(), 1u);
  EXPECT_EQ(r.causeCounts[0], 2u);
  LineModel everyMessage;
  Options options;
  options.allCauses = true;
  (void)explore(everyMessage, options);
  EXPECT_EQ(everyMessage.messagesFormatted.load(), 6u);
}

TEST(CausesTest, AnUnclassifiedStateFindingIsOneCause) {
  LineModel model;
  model.classifies = false;
  const auto r = explore(model);
  EXPECT_EQ(r.causeCounts[1], 1u);
  EXPECT_EQ(r.counterexampleFor(1)->cause, 0u);
}

TEST(CausesTest, AFingerprintSearchCountsNoCauses) {
  LineModel model;
  Options options;
  options.stateStorage = StateStorage::Fingerprint;
  const auto r = explore(model, options);
  EXPECT_TRUE(r.causeCounts.empty());
  EXPECT_EQ(r.verdicts, (std::vector<Verdict>{Verdict::Violated, Verdict::Violated}));
}

TEST(CausesTest, SameCausesForAnyNumberOfThreads) {
  LineModel model;
  Options options;
  options.allCauses = true;
  const auto one = explore(model, options);
  options.bounds.threads = 3;
  EXPECT_EQ(explore(model, options), one);
}

}  // namespace
}  // namespace sim::test
