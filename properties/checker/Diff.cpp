#include "checker/Diff.hpp"

#include <fmt/format.h>

#include <map>

#include "checker/Progress.hpp"
#include "model/Format.hpp"
#include "model/Scenario.hpp"

namespace properties {

namespace {

using model::Action;
using model::State;

// Names that say what a process is to the caller, so that one call shape
// covers every pid it can be made with.
model::ProcessNames roles(const State& s, unsigned actor) {
  std::vector<std::string> names(KSIM_NSLOTS);
  names[KSIM_SLOT_SWAPPER] = "swapper";
  names[KSIM_SLOT_INIT] = "init";
  for (unsigned i = KSIM_FIRST_USER_SLOT; i < KSIM_NSLOTS; ++i) {
    if (i == actor)
      names[i] = "itself";
    else if (s.proc(i).ruid == s.proc(actor).ruid)
      names[i] = "same-user-process";
    else
      names[i] = "other-user-process";
  }
  return model::ProcessNames(std::move(names));
}

std::string callShape(const State& s, const Action& a, const model::StepResult& r) {
  model::ProcessNames names = roles(s, a.actor);
  std::string step = model::formatStep(model::stepFromAction(a, r, names, ""));
  // The step starts with the actor's role.
  std::string shape = step.substr(step.find(' ') + 1);
  const ksim_proc_rec& me = s.proc(a.actor);
  std::string who = me.euid == 0 ? "root" : model::userName(me.ruid);
  return fmt::format("{} by a process of {}", shape, who);
}

// B's answer to a step A can take.  The designs differ in what a wait
// finds (the orphan list, kernel/PROVENANCE.md section 3.7), so a wait that
// completes in A may sleep in B: that is its answer there, and nothing
// changes.  Every other call can be taken in both or in neither.
model::StepResult stepOrSleep(const model::Kernel& k, const State& s, const Action& a) {
  if (k.canAct(s, a)) return k.step(s, a);
  KSIM_VERIFY(a.call == model::Call::Wait, "a step one design can take and the other cannot");
  model::StepResult r;
  r.next = s;
  r.outcome = model::Outcome::Sleeping;
  return r;
}

std::string resultText(const Action& a, const model::StepResult& r, const State& s) {
  model::ProcessNames names = roles(s, a.actor);
  return model::formatExpectation(model::observed(a, r, names)).substr(1);
}

}  // namespace

DiffResult diffVariants(const ksim_variant& va, const ksim_variant& vb, const model::Config& config,
                        const sim::Bounds& bounds) {
  model::Kernel a(va, config), b(vb, config);
  // The property slot is only there to give the traces a name.
  constexpr PropertyId kNamesTheTraces = PropertyId::KernelAssertion;
  CheckedModel checked(a, {kNamesTheTraces});
  sim::Options options;
  options.bounds = bounds;
  options.recordGraph = true;
  auto explored = sim::explore(checked, options);
  const auto& graph = *explored.graph;

  DiffResult out;
  out.completion = explored.completion;
  out.states = explored.stats.states;
  struct Found {
    sim::StateIndex state;
    Action action;
    Difference difference;
  };
  auto describe = [&](const State& s, const Action& act, Difference& d) {
    model::StepResult ra = a.step(s, act), rb = stepOrSleep(b, s, act);
    d.call = callShape(s, act, ra);
    d.resultA = resultText(act, ra, s);
    d.resultB = resultText(act, rb, s);
    model::ProcessNames names = roles(s, act.actor);
    d.changesA = model::describeChanges(s, ra.next, names);
    d.changesB = model::describeChanges(s, rb.next, names);
  };
  std::map<std::string, std::size_t> byKey;
  std::vector<Found> found;
  std::vector<Action> actions;
  for (sim::StateIndex i = 0; i < graph.stateCount(); ++i) {
    if (!graph.expanded(i)) continue;
    const State s = graph.state(i);
    a.enabledActions(s, actions);
    for (const Action& act : actions) {
      model::StepResult ra = a.step(s, act), rb = stepOrSleep(b, s, act);
      ++out.comparedSteps;
      std::string resultA = resultText(act, ra, s), resultB = resultText(act, rb, s);
      bool effectDiffers = !(ra.next == rb.next);
      if (resultA == resultB && !effectDiffers) continue;
      std::string shape = callShape(s, act, ra);
      std::string key = shape + "|" + resultA + "|" + resultB + (effectDiffers ? "|effect" : "");
      if (byKey.contains(key)) continue;
      byKey.emplace(key, found.size());
      found.push_back({static_cast<sim::StateIndex>(i), act, {}});
    }
  }
  // Shallowest first: states are numbered in breadth-first order.
  std::stable_sort(found.begin(), found.end(), [&](const Found& x, const Found& y) {
    return graph.depth(x.state) < graph.depth(y.state);
  });
  for (Found& f : found) {
    auto path = shortestPathTo(graph, {f.state}, [](const State&) { return true; });
    path->property = *checked.indexOf(kNamesTheTraces);
    path->viaTransition = true;
    path->actions.push_back(f.action);
    path->states.push_back(a.canonicalize(a.step(graph.state(f.state), f.action).next));
    f.difference.trace = concretize(checked, *path);
    // The search's state may have its users renamed (Kernel::canonicalize):
    // say what the real world's last step does, with its real users.
    State concrete = a.initial();
    const std::vector<Action>& steps = f.difference.trace.actions;
    for (std::size_t i = 0; i + 1 < steps.size(); ++i) concrete = a.step(concrete, steps[i]).next;
    describe(concrete, steps.back(), f.difference);
    f.difference.trace.property = "difference";
    f.difference.trace.message = fmt::format("{}: {} in {}, {} in {}", f.difference.call,
                                             f.difference.resultA, va.name, f.difference.resultB, vb.name);
    out.differences.push_back(std::move(f.difference));
  }
  return out;
}

}  // namespace properties
