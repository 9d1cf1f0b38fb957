// Syscall.def is the one list of calls and call families; everything else
// that treats calls one by one either switches over them without a default
// (the build's -Werror=switch) or is checked here against the table: every
// call prints and parses back in each form of its argument grammar, the
// explorer tries every call some family names (and omitting a family drops
// that family's call only), the program generator makes every call a process
// makes, and the README's scenario table has a row for every call.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

// Argument texts that show every form of a grammar.
std::vector<std::string> argumentForms(CallArguments grammar) {
  switch (grammar) {
    case CallArguments::None:
      return {""};
    case CallArguments::ChildName:
      return {"", " A1"};
    case CallArguments::OptionalChild:
      return {"", " A1", " WNOHANG", " A1 WNOHANG"};
    case CallArguments::ExecImage:
      return {"", " setuid-root"};
    case CallArguments::ExitCode:
      return {"", " 1", " 255"};
    case CallArguments::PtraceRequest:
      return {" PT_TRACE_ME",
              " PT_ATTACH B",
              " PT_DETACH 99",
              " PT_CONTINUE B",
              " PT_CONTINUE B SIGQUIT",
              " PT_KILL B",
              " PT_FOLLOW_FORK B 1",
              " PT_FOLLOW_FORK B 0",
              " PT_LWPINFO B",
              " PT_GET_EVENT_MASK B",
              " PT_SET_EVENT_MASK B 0",
              " PT_SET_EVENT_MASK B PTRACE_EXEC|PTRACE_FORK",
              " PT_SYSCALL B",
              " PT_TO_SCE B SIGQUIT",
              " PT_TO_SCX B",
              " PT_SET_EVENT_MASK B PTRACE_EXEC|PTRACE_SCE|PTRACE_SCX|PTRACE_VFORK",
              " PT_LWP_EVENTS B 1",
              " PT_LWP_EVENTS B 0",
              " PT_SET_EVENT_MASK B PTRACE_LWP"};
    case CallArguments::KtraceOperation:
      return {" set B", " set-inherit 0", " clear B"};
    case CallArguments::Signal:
      return {" B SIGQUIT", " B SIGINT", " B SIGTRAP"};
    case CallArguments::SignalAction:
      return {" SIGUSR1 handler", " SIGINT SIG_IGN", " SIGUSR2 SIG_DFL"};
    case CallArguments::SignalMask:
      return {" SIG_BLOCK SIGTERM", " SIG_UNBLOCK SIGUSR2"};
    case CallArguments::Descriptor:
      return {" B"};
    case CallArguments::Procctl:
      return {" P_PID A PROC_TRACE_ENABLE PROC_TRACE_SET_DISABLED",
              " P_PGID 1 PROC_TRACE_ENABLE 5 BADADDR",
              " P_PID B PROC_TRACE_STATUS",
              " P_PID B PROC_TRACE_STATUS BADADDR",
              " P_PID A PROC_REAP_ACQUIRE",
              " P_PID 0 PROC_REAP_RELEASE",
              " P_PGID B PROC_REAP_STATUS",
              " P_PID A PROC_REAP_KILL SIGTERM",
              " P_PID A PROC_REAP_KILL -1 REAPER_KILL_CHILDREN"};
  }
  return {};
}

/* For every call of Syscall.def, "A KEYWORD ARGS = RESULT" parses and prints back as written */
TEST(CallTableTest, EveryCallPrintsBackInEveryFormOfItsGrammar) {
  for (const CallSpec& c : kCalls)
    for (const std::string& args : argumentForms(c.arguments))
      for (const char* result : {"", " = 0", " = EPERM", " = B", " = sleeping"}) {
        std::string line = "A " + std::string(c.keyword) + args + result;
        SCOPED_TRACE(line);
        Scenario sc = parse("process A alice\nprocess B bob\n" + line + "\n");
        ASSERT_EQ(sc.steps.size(), 1u);
        EXPECT_EQ(sc.steps[0].call, c.call);
        EXPECT_EQ(formatStep(sc.steps[0]) + formatExpectation(sc.steps[0].expect), line);
      }
}

/* A call's keyword with a word its grammar does not take is a one-line error naming the line */
TEST(CallTableTest, EveryCallRefusesAnArgumentItsGrammarDoesNotTake) {
  for (const CallSpec& c : kCalls) {
    std::string line = "A " + std::string(c.keyword) + " nonsense-word extra words here";
    SCOPED_TRACE(line);
    try {
      parse("process A alice\n" + line + "\n", "bad.scn");
      ADD_FAILURE() << "parsed";
    } catch (const ScenarioError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("bad.scn:2: ", 0), 0u) << e.what();
    }
  }
}

// What the explorer offers, with the given families omitted, in a state
// with a zombie child, another process of the same user (to signal) and
// room to fork, and in every state one step from it (where the
// continuations appear).
std::vector<Action> explorerActions(model::FamilySet omitted) {
  ScenarioRun run(R"(
    process A alice
    process B alice group A
    maxproc 4
    A fork A1 = sleeping
    A fork-finish = A1
    A1 exit
  )");
  EXPECT_TRUE(run.ok());
  Config config = run.kernel().config();
  Config everything = config;
  everything.omitted = 0;
  config.omitted = omitted;
  // freebsd-current: the one design in which every family has actions
  // (the reaper's are its alone).
  const ksim_variant& design = variantNamed("freebsd-current");
  Kernel all(design, everything), kernel(design, config);
  std::vector<State> states = {run.state()};
  std::vector<Action> step;
  all.enabledActions(run.state(), step);
  for (const Action& a : step) states.push_back(all.step(run.state(), a).next);
  std::vector<Action> out, actions;
  // And a state in which A holds a process descriptor (pdfork), which
  // close needs.
  ScenarioRun held(
      "variant freebsd-current\nprocess A alice\nmaxproc 2\nA pdfork C = sleeping\nA fork-finish = C\n");
  EXPECT_TRUE(held.ok());
  states.push_back(held.state());
  for (const State& s : states) {
    kernel.enabledActions(s, actions);
    out.insert(out.end(), actions.begin(), actions.end());
  }
  return out;
}

/* With every family on, the explorer takes every call a family names and every continuation, and no other */
TEST(CallTableTest, ExplorerTakesEveryCallAFamilyNames) {
  std::set<Call> taken;
  for (const Action& a : explorerActions(0)) taken.insert(a.call);
  for (const CallSpec& c : kCalls) {
    bool named = false;
    for (const FamilySpec& f : kFamilies) named |= f.call == c.call;
    bool expected = named || c.origin == CallOrigin::Kernel;
    EXPECT_EQ(taken.count(c.call) == 1, expected)
        << c.keyword
        << (expected ? " is never taken by the explorer (Kernel::enabledActions)"
                     : " is taken by the explorer, but no family in Syscall.def names it");
  }
}

/* Omitting a family drops some of the explorer's actions, all of them of the family's call, and adds none */
TEST(CallTableTest, OmittingAFamilyDropsActionsOfItsCallOnly) {
  // How many times each action is offered (a multiset's count() walks every copy: counted once).
  auto timesOffered = [](const std::vector<Action>& actions) {
    std::map<Action, std::size_t> times;
    for (const Action& a : actions) ++times[a];
    return times;
  };
  const std::map<Action, std::size_t> all = timesOffered(explorerActions(0));
  for (const FamilySpec& f : kFamilies) {
    SCOPED_TRACE(std::string(f.name));
    const std::map<Action, std::size_t> kept = timesOffered(explorerActions(model::familyBit(f.family)));
    std::size_t dropped = 0;
    for (const auto& [a, times] : all) {
      const auto k = kept.find(a);
      if ((k == kept.end() ? 0 : k->second) < times) {
        ++dropped;
        EXPECT_EQ(a.call, f.call) << "omitting " << f.name << " drops a " << callKeyword(a.call);
      }
    }
    if (f.behaviour)
      EXPECT_EQ(dropped, 0u) << "omitting " << f.name << ", which has no actions of its own, drops some";
    else
      EXPECT_GT(dropped, 0u) << "omitting " << f.name << " drops nothing";
    for (const auto& [a, times] : kept) {
      const auto before = all.find(a);
      EXPECT_LE(times, before == all.end() ? 0 : before->second) << "omitting " << f.name << " adds";
    }
  }
}

/* The README's scenario table ("| call | arguments | result |") has one row naming each keyword, and no other
 */
TEST(CallTableTest, ReadmeScenarioTableNamesEveryCallOnce) {
  std::ifstream readme(KSIM_README_PATH);
  ASSERT_TRUE(readme) << "cannot read " << KSIM_README_PATH;
  std::map<std::string, int> rows;
  bool inTable = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("| call | arguments | result |", 0) == 0) {
      inTable = true;
      continue;
    }
    if (!inTable || line.rfind("| --- ", 0) == 0) continue;
    if (line.rfind("| ", 0) != 0) break;
    // The first cell: `keyword`, `keyword`...
    std::string cell = line.substr(2, line.find(" |", 1) - 2);
    for (std::size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', at)) {
      std::size_t end = cell.find('`', at + 1);
      ASSERT_NE(end, std::string::npos) << line;
      ++rows[cell.substr(at + 1, end - at - 1)];
      at = end + 1;
    }
  }
  ASSERT_TRUE(inTable) << "no scenario table in the README";
  for (const CallSpec& c : kCalls) EXPECT_EQ(rows[std::string(c.keyword)], 1) << c.keyword;
  for (const auto& [keyword, count] : rows) EXPECT_TRUE(findCall(keyword).has_value()) << keyword;
}

}  // namespace
}  // namespace model::test
