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
#include "RandomPrograms.hpp"
#include "model/SignalQueue.hpp"

namespace model::test {
namespace {

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
/// p_reaper, a fork event's child, a descriptor's holders, group head)
/// renamed the same way.
State permute(const State& s, const SlotMap& p) {
  auto rename = [&](std::uint8_t slot) { return slot < KSIM_NSLOTS ? p[slot] : slot; };
  State out = s;
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i) {
    ksim_proc_rec r = s.world.proc[i];
    r.pptr = rename(r.pptr);
    r.oppid = rename(r.oppid);
    r.pgid = rename(r.pgid);
    r.pgnext = rename(r.pgnext);
    if (!pcArgIsCall(r)) r.pc_arg = rename(r.pc_arg);  // a call at a system-call stop
    r.reaper = rename(r.reaper);
    // The fork event's child sits in ptstop's high bits, as its slot plus one.
    if (const unsigned child = r.ptstop >> KSIM_PTSTOP_CHILD_SHIFT; child != 0)
      r.ptstop = static_cast<std::uint8_t>(
          (r.ptstop & ((1u << KSIM_PTSTOP_CHILD_SHIFT) - 1)) |
          ((rename(static_cast<std::uint8_t>(child - 1)) + 1u) << KSIM_PTSTOP_CHILD_SHIFT));
    std::uint8_t holders = 0;
    for (unsigned h = 0; h < KSIM_NSLOTS; ++h)
      if ((pdHolders(s.world.proc[i]) & (1u << h)) != 0) holders |= static_cast<std::uint8_t>(1u << p[h]);
    setPdHolders(r, holders);
    out.world.proc[p[i]] = r;
    out.world.pgrp_head[p[i]] = rename(s.world.pgrp_head[i]);
  }
  // The signal queue's cells name their process by slot (signal-queue).
  for (SignalQueueCell& c : out.sigq)
    if (!queueCellEmpty(c)) c.key = queueCellKey(p[queueCellSlot(c)], queueCellSignal(c));
  sortQueueCells(out);
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
    RC_ASSERT(k.canAct(s, a));  // the explorer steps enabled actions unchecked (stepEnabled)
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
