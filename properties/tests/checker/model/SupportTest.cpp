// Support scenarios of model/tests/SupportTest.cpp that the
// properties judge (spec/): they ask the checker, so they live here and
// the model's own tests need none of it.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "CheckedRunSupport.hpp"

namespace model::test {
namespace {

/* makeKernel: swapper, init, then the named processes in slots 2.. as init's children, in their groups */
TEST(SupportTest, MakeKernelBuildsTheNamedWorld) {
  Kernel k = makeKernel({{"A", "alice", "A"}, {"B", "bob", "A"}, {"R", "root", "R"}}, 5);
  EXPECT_EQ(&k.variant(), &rfc2014());
  EXPECT_EQ(k.config().maxUserProcs, 5u);
  EXPECT_EQ(k.config().omitted, model::FamilySet{0});
  State s = k.initial();
  EXPECT_EQ(k.initialNames()[2], "A");
  EXPECT_EQ(k.initialNames()[3], "B");
  EXPECT_EQ(k.initialNames()[4], "R");
  EXPECT_EQ(s.proc(KSIM_SLOT_SWAPPER).flag & KSIM_P_SYSTEM, static_cast<std::uint32_t>(KSIM_P_SYSTEM));
  EXPECT_EQ(s.proc(KSIM_SLOT_INIT).pptr, KSIM_SLOT_SWAPPER);
  EXPECT_EQ(s.proc(2).pptr, KSIM_SLOT_INIT);
  EXPECT_EQ(userName(s.proc(3).ruid), "bob");
  EXPECT_EQ(s.proc(3).pgid, 2);
  EXPECT_EQ(s.world.pgrp_head[2], 2);
  EXPECT_EQ(s.proc(2).pgnext, 3);
  EXPECT_EQ(s.proc(4).pgid, 4);
  EXPECT_EQ(s.proc(5).state, KSIM_PRS_FREE);
  EXPECT_TRUE(violatedInvariants(s).empty());
}

/* replay() returns replayScenario's exit code and output */
TEST(SupportTest, ReplayHelperReturnsExitCodeAndOutput) {
  std::string out;
  EXPECT_EQ(replay("process A alice\nA fork A1 = sleeping\nA fork-finish = A1\n", &out),
            properties::kReplayClean);
  EXPECT_NE(out.find("step 1 (line 2): A fork A1 = sleeping"), std::string::npos) << out;
}

}  // namespace
}  // namespace model::test
