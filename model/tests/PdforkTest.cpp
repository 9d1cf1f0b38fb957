// Process descriptors: pdfork(2), close(2) of a descriptor, what wait(2)
// and exit do with them (kernel/PROVENANCE.md section 17).
#include <gtest/gtest.h>

#include <string>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

std::string today(const std::string& steps) {
  return "variant freebsd-current\nprocess P alice\nmaxproc 3\n" + steps;
}

constexpr const char* kPdforked = "P pdfork C = sleeping\nP fork-finish = C\n";

/* pdfork gives the parent a descriptor of the child; a wait for any child passes over that child, a wait for
 * it by pid does not */
TEST(PdforkTest, WaitForAnyChildPassesOverAChildWithADescriptor) {
  ScenarioRun run(today(std::string(kPdforked) + "P wait = ECHILD\nP wait C WNOHANG = 0\nC exit 3 = 0\n"
                                                 "P wait = ECHILD\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(pdHolders(run.proc("C")), 1u << run.slot("P"));
  // The zombie stays for the descriptor; waitpid for it by pid reaps it.
  EXPECT_EQ(run.proc("C").state, KSIM_PRS_ZOMBIE);
  run.then("P wait C = C exited 3");
  EXPECT_FALSE(run.exists("C"));
}

/* The last close reaps a zombie; a close by a process that holds no descriptor, or a second close, is EBADF
 */
TEST(PdforkTest, LastCloseReapsAZombie) {
  ScenarioRun run(today(std::string(kPdforked) + "C close P = EBADF\nC exit 0 = 0\nP close C = 0\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run.exists("C"));
  run.then("P close C = EBADF\nP wait = ECHILD");
  EXPECT_TRUE(run.ok());
}

/* fork copies the descriptor: the first close leaves the process alone, the last one sends it SIGKILL and
 * gives it, untraced, to its reaper */
TEST(PdforkTest, ForkCopiesTheDescriptorAndTheLastCloseKills) {
  ScenarioRun run(today(std::string(kPdforked) + "P fork D = sleeping\nP fork-finish = D\nP close C = 0\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(pdHolders(run.proc("C")), 1u << run.slot("D"));
  EXPECT_EQ(run.proc("C").sigpend, 0);
  EXPECT_EQ(run.parentOf("C"), "P");
  run.then("D close C = 0");
  EXPECT_EQ(pdHolders(run.proc("C")), 0);
  EXPECT_NE(run.proc("C").sigpend & KSIM_SIGBIT_KILL, 0);
  EXPECT_EQ(run.parentOf("C"), "init");
  // It dies of it, and init reaps it.
  run.then("C take-signal = 0");
  EXPECT_FALSE(run.exists("C"));
  EXPECT_TRUE(run.ok());
}

/* A process's exit closes the descriptors it holds: the child, now init's, is killed */
TEST(PdforkTest, ExitClosesTheDescriptorsItHolds) {
  ScenarioRun run(today(std::string(kPdforked) + "P exit 0 = 0\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(pdHolders(run.proc("C")), 0);
  EXPECT_NE(run.proc("C").sigpend & KSIM_SIGBIT_KILL, 0);
  EXPECT_EQ(run.parentOf("C"), "init");
}

/* A traced child keeps its debugger at the last close; its reaper becomes its real parent */
TEST(PdforkTest, LastCloseLeavesATracedChildWithItsDebugger) {
  ScenarioRun run(today(std::string(kPdforked) +
                        "P fork D = sleeping\nP fork-finish = D\n"
                        "D ptrace PT_ATTACH C = 0\nC take-signal = 0\nD wait C = C stopped SIGSTOP\n"
                        "P close C = 0\nD close C = 0\n"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run.parentOf("C"), "D");
  EXPECT_EQ(run.nameOf(run.proc("C").oppid), "init");
  EXPECT_NE(run.proc("C").sigpend & KSIM_SIGBIT_KILL, 0);
  EXPECT_TRUE(run.has("C", KSIM_P_STOPPED_TRACE));
  // Detached, it goes to init and dies there.
  run.then("D ptrace PT_DETACH C = 0\nC take-signal = 0\nD wait = ECHILD");
  EXPECT_FALSE(run.exists("C"));
  EXPECT_TRUE(run.ok());
}

/* The caller's traced child is seen by a wait for any child, descriptor or not, until it exits */
TEST(PdforkTest, ParentSeesItsTracedChildStops) {
  ScenarioRun run(today(std::string(kPdforked) + "C ptrace PT_TRACE_ME = 0\nC kill C SIGSTOP = 0\n"
                                                 "P wait = C stopped SIGSTOP\nP ptrace PT_CONTINUE C = 0\n"
                                                 "C exit 0 = 0\nP wait = ECHILD\n"));
  EXPECT_TRUE(run.ok());
}

/* pdfork is the call of the parent's exit stop and of the new child's first stop */
TEST(PdforkTest, StopsNamePdfork) {
  ScenarioRun run(
      "variant freebsd-current\nprocess P alice\nprocess D alice\nmaxproc 3\nD ptrace PT_ATTACH P = 0\n"
      "P take-signal = 0\nD wait P = P stopped SIGSTOP\nD ptrace PT_FOLLOW_FORK P 1 = 0\nD ptrace "
      "PT_CONTINUE P = 0\n"
      "P pdfork C = sleeping\nP fork-finish = C\nC take-signal = 0\nD wait C = C stopped SIGSTOP\n"
      "D ptrace PT_LWPINFO C = PL_FLAG_SCX|PL_FLAG_CHILD syscall pdfork narg 2\nP take-signal = 0\n"
      "D wait P = P stopped SIGTRAP\nD ptrace PT_LWPINFO P = PL_FLAG_SCX|PL_FLAG_FORKED C syscall pdfork "
      "narg 2\n");
  EXPECT_TRUE(run.ok());
}

/* The 2014 designs answer ENOSYS (their process descriptors are not modelled) */
TEST(PdforkTest, The2014DesignsAnswerEnosys) {
  ScenarioRun run("process P alice\nP pdfork C = ENOSYS\nP close 99 = EBADF\n");
  EXPECT_TRUE(run.ok());
}

/* Renumbering slots renumbers the holders too */
TEST(PdforkTest, CanonicalizeMapsTheHolders) {
  ScenarioRun run(today(std::string(kPdforked) + "P fork D = sleeping\nP fork-finish = D\nP close C = 0\n"));
  ASSERT_TRUE(run.ok());
  Relabeling rl;
  State c = run.kernel().canonicalize(run.state(), &rl);
  EXPECT_EQ(pdHolders(c.proc(rl.toCanonical[run.slot("C")])), 1u << rl.toCanonical[run.slot("D")]);
}

/* The explorer offers pdfork and close only with their opt-in families, in a design with descriptors */
TEST(PdforkTest, ExplorerOffersThemOnlyWhenAsked) {
  auto offered = [](const Config& config, const char* variant, const State* from) {
    Kernel kernel(variantNamed(variant), config);
    std::vector<Action> actions;
    kernel.enabledActions(from ? *from : kernel.initial(), actions);
    bool pdfork = false, close = false;
    for (const Action& a : actions) {
      pdfork |= a.call == Call::Pdfork;
      close |= a.call == Call::Close;
    }
    return std::make_pair(pdfork, close);
  };
  Config defaults = Config::defaults();
  EXPECT_EQ(offered(defaults, "freebsd-current", nullptr), std::make_pair(false, false));
  Config with = defaults;
  with.omitted &=
      ~(model::familyBit(CallFamily::Pdfork) | model::familyBit(CallFamily::PdClose));
  EXPECT_EQ(offered(with, "freebsd-current", nullptr).first, true);
  EXPECT_EQ(offered(with, "rfc-2014", nullptr).first, false);
  ScenarioRun run(today(kPdforked));
  EXPECT_EQ(offered(with, "freebsd-current", &run.state()), std::make_pair(true, true));
}

/* close takes one process */
TEST(PdforkTest, CloseTakesOneProcess) {
  for (const char* bad : {"P close", "P close C C"}) {
    try {
      parse(std::string("process P alice\n") + bad, "bad.scn");
      ADD_FAILURE() << "no ScenarioError for: " << bad;
    } catch (const ScenarioError& e) {
      std::string what = e.what();
      EXPECT_EQ(what.rfind("bad.scn:2: expected: close PID", 0), 0u) << what;
    }
  }
}

}  // namespace
}  // namespace model::test
