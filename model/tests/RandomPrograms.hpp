// Random worlds and random programs for RapidCheck properties of the
// model: 1-3 processes of alice, bob and root, maxproc up to 4, every call
// family; each step picks one of Kernel::enabledActions.  A program prints
// as scenario text that `ksim replay` accepts.
#pragma once

#include <rapidcheck.h>

#include <sstream>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"
#include "model/Executor.hpp"

namespace model::test {

inline constexpr int kMaxProgramLength = 60;

/// A value in [lo, hi), uniform whatever RapidCheck's current size (so
/// that late entries of enabledActions, procctl's, are picked from the
/// first cases on); shrinks towards lo.
template <typename T>
T pick(T lo, T hi) {
  return *rc::gen::resize(100, rc::gen::inRange<T>(lo, hi));
}

/// A random world: 1-3 initial processes with random users, each leading
/// its own group or joining the first's; maxproc between their number and
/// 4; a few tunables flipped; nothing omitted.
inline Config genWorld() {
  const int count = pick(1, 4);
  Config c;
  const char* const names[] = {"A", "B", "C"};
  for (int i = 0; i < count; ++i) {
    const char* const users[] = {"alice", "bob", "root"};
    std::string user = users[pick(0, 3)];
    bool joinFirst = i > 0 && pick(0, 2) == 1;
    c.processes.push_back({names[i], user, joinFirst ? "A" : names[i]});
  }
  c.maxUserProcs = static_cast<unsigned>(pick(count, 5));
  c.omitted = 0;
  c.sysctls.kern_sugid_coredump = pick(0, 2);
  c.sysctls.security_bsd_see_other_uids = pick(0, 2);
  c.sysctls.security_bsd_unprivileged_proc_debug = pick(0, 2);
  RC_ASSERT(!c.validate().has_value());
  return c;
}

/// A random program run from the initial state: at most kMaxProgramLength
/// steps (fewer in the first, small cases), each an enabled action picked
/// by index.
inline std::vector<Action> genProgram(const Kernel& k) {
  const int length = *rc::gen::inRange(0, kMaxProgramLength + 1);
  std::vector<Action> program;
  State s = k.initial();
  std::vector<Action> enabled;
  for (int i = 0; i < length; ++i) {
    k.enabledActions(s, enabled);
    if (enabled.empty()) break;
    const Action a = enabled[pick<std::size_t>(0, enabled.size())];
    program.push_back(a);
    s = k.step(s, a).next;
  }
  return program;
}

/// The program as a scenario file, each step with its observed result;
/// children named by model::Executor, as properties::concretize names them.
inline std::string scenarioText(const Kernel& k, const std::vector<Action>& program) {
  std::ostringstream out;
  for (const std::string& line : formatConfig(k.config(), k.variant().name)) out << line << "\n";
  Executor run(k);
  auto write = [&](const StepReport& step) {
    ScenarioStep st = step.asScenarioStep();
    out << formatStep(st) << formatExpectation(st.expect) << "\n";
  };
  for (const Action& a : program) RC_ASSERT(!run.take(a, "", write));
  return out.str();
}

}  // namespace model::test
