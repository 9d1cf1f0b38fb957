// RapidCheck properties of the model as a whole, on random worlds (1-3
// processes of alice, bob and root, maxproc up to 4, every call family)
// and random programs: each step picks one of Kernel::enabledActions.
// Failing cases are logged as scenario text that `ksim replay` accepts.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ModelTestSupport.hpp"

namespace model::test {
namespace {

constexpr int kMaxProgramLength = 60;

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
Config genWorld() {
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
std::vector<Action> genProgram(const Kernel& k) {
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

/// The program as a scenario file, names given as properties::concretize
/// gives them, each step with its observed result.
std::string scenarioText(const Kernel& k, const std::vector<Action>& program) {
  std::ostringstream out;
  for (const std::string& line : formatConfig(k.config(), k.variant().name)) out << line << "\n";
  State s = k.initial();
  ProcessNames names(k.initialNames());
  for (const Action& a : program) {
    StepResult r = k.step(s, a);
    std::string child;
    if ((a.call == Call::Fork || a.call == Call::Vfork) && r.value) child = names.childName(a.actor);
    ScenarioStep st = stepFromAction(a, r, names, child);
    out << formatStep(st) << formatExpectation(st.expect) << "\n";
    if (!child.empty())
      for (unsigned slot = 0; slot < KSIM_NSLOTS; ++slot)
        if (ksim_slot_pid(slot) == *r.value) names.set(slot, child);
    for (unsigned slot = KSIM_FIRST_USER_SLOT; slot < KSIM_NSLOTS; ++slot)
      if (!isLive(r.next.proc(slot))) names.set(slot, "");
    s = r.next;
  }
  return out.str();
}

/// Whether the bytes no field owns are all zero.
bool spareBytesAreZero(const State& s) {
  for (std::uint8_t b : s.spare)
    if (b != 0) return false;
  for (const ksim_proc_rec& p : s.world.proc)
    if (p.spare[0] != 0 || p.spare[1] != 0) return false;
  return true;
}

using SlotMap = std::array<std::uint8_t, KSIM_NSLOTS>;

/// A random permutation of the user slots; swapper and init stay put.
SlotMap genUserSlotPermutation() {
  SlotMap p;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) p[i] = static_cast<std::uint8_t>(i);
  for (unsigned i = KSIM_NSLOTS - 1; i > KSIM_FIRST_USER_SLOT; --i) {
    unsigned j = pick<unsigned>(KSIM_FIRST_USER_SLOT, i + 1);
    std::swap(p[i], p[j]);
  }
  return p;
}

/// s with every process moved from slot i to slot p[i] and every slot
/// reference (p_pptr, p_oppid, group id, group list link, vfork child,
/// group head) renamed the same way.
State permute(const State& s, const SlotMap& p) {
  auto rename = [&](std::uint8_t slot) { return slot < KSIM_NSLOTS ? p[slot] : slot; };
  State out = s;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec r = s.world.proc[i];
    r.pptr = rename(r.pptr);
    r.oppid = rename(r.oppid);
    r.pgid = rename(r.pgid);
    r.pgnext = rename(r.pgnext);
    r.pc_arg = rename(r.pc_arg);
    out.world.proc[p[i]] = r;
    out.world.pgrp_head[p[i]] = rename(s.world.pgrp_head[i]);
  }
  return out;
}

Action permute(const Action& a, const SlotMap& p) {
  Action out = a;
  out.actor = p[a.actor];
  if (a.target < KSIM_NSLOTS) out.target = p[a.target];
  return out;
}

/// One line per live process, for failure logs.
std::string describe(const State& s) {
  std::string out;
  ProcessNames names(std::vector<std::string>(KSIM_NSLOTS, ""));
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (isLive(s.proc(i))) out += "  " + describeProcess(s, i, names) + "\n";
  return out;
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

/* the same program stepped twice from the initial state: the same bytes and the same results at every step */
RC_GTEST_PROP(ModelPropertyTest, ReplayingTheSameProgramGivesByteIdenticalStatesAndResults, ()) {
  const Kernel k(rfc2014(), genWorld());
  const std::vector<Action> program = genProgram(k);
  RC_LOG() << scenarioText(k, program);
  State first = k.initial(), second = k.initial();
  RC_ASSERT(std::memcmp(&first, &second, sizeof(State)) == 0);
  for (const Action& a : program) {
    const StepResult x = k.step(first, a);
    const StepResult y = k.step(second, a);
    RC_ASSERT(std::memcmp(&x.next, &y.next, sizeof(State)) == 0);
    RC_ASSERT(x.outcome == y.outcome);
    RC_ASSERT(x.error == y.error);
    RC_ASSERT(x.value == y.value);
    RC_ASSERT(x.message == y.message);
    RC_ASSERT(x.coreWritten == y.coreWritten);
    first = x.next;
    second = y.next;
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
  const int code = properties::replayScenario(sc, replayKernel, out, 2'000);
  RC_LOG() << out.str();
  RC_ASSERT(code == properties::kReplayClean || code == properties::kReplayViolation);
}

/* a reachable state with its user slots permuted: same canonical state, and every step agrees up to the
 * permutation */
RC_GTEST_PROP(ModelPropertyTest, RenumberingUserSlotsChangesNeitherTheCanonicalStateNorAnyStep, ()) {
  const Kernel k(rfc2014(), genWorld());
  const std::vector<Action> program = genProgram(k);
  State s = k.initial();
  for (const Action& a : program) s = k.step(s, a).next;
  const SlotMap p = genUserSlotPermutation();
  const State t = permute(s, p);
  RC_LOG() << scenarioText(k, program) << "state:\n" << describe(s) << "renumbered:\n" << describe(t);
  RC_ASSERT(k.canonicalize(t) == k.canonicalize(s));
  std::vector<Action> actions;
  k.enabledActions(s, actions);
  for (const Action& a : actions) {
    const Action b = permute(a, p);
    RC_ASSERT(Kernel::relabel(a, p) == b);
    RC_ASSERT(k.canAct(t, b));
    const StepResult x = k.step(s, a);
    const StepResult y = k.step(t, b);
    RC_ASSERT(y.outcome == x.outcome);
    RC_ASSERT(y.error == x.error);
    RC_ASSERT(y.coreWritten.has_value() == x.coreWritten.has_value());
    if (x.coreWritten) RC_ASSERT(*y.coreWritten == p[*x.coreWritten]);
    RC_ASSERT(k.canonicalize(y.next) == k.canonicalize(x.next));
  }
}

}  // namespace
}  // namespace model::test
