#include "checker/Diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <map>
#include <set>
#include <thread>

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
  // A step whose result or effect differs, with the key that says which
  // difference it is.
  struct Differing {
    sim::StateIndex state;
    Action action;
    std::string key, shape, resultA, resultB;
  };
  // Steps the states [begin, end) differ in, the first of each key only.
  auto compare = [&](std::size_t begin, std::size_t end, std::vector<Differing>& differing,
                     std::uint64_t& compared) {
    std::set<std::string> seen;
    std::vector<Action> actions;
    for (std::size_t i = begin; i < end; ++i) {
      if (!graph.expanded[i]) continue;
      const State& s = graph.states[i];
      a.enabledActions(s, actions);
      for (const Action& act : actions) {
        model::StepResult ra = a.step(s, act), rb = b.step(s, act);
        ++compared;
        std::string resultA = resultText(act, ra, s), resultB = resultText(act, rb, s);
        bool effectDiffers = !(ra.next == rb.next);
        if (resultA == resultB && !effectDiffers) continue;
        std::string shape = callShape(s, act, ra);
        std::string key = shape + "|" + resultA + "|" + resultB + (effectDiffers ? "|effect" : "");
        if (!seen.insert(key).second) continue;
        differing.push_back({static_cast<sim::StateIndex>(i), act, std::move(key), std::move(shape),
                             std::move(resultA), std::move(resultB)});
      }
    }
  };
  // The states in blocks; the threads compare consecutive slices of a
  // block at once (the kernel runtime is per thread), then the slices'
  // differences are taken in state order: the result is the one-thread
  // result.
  const unsigned threads = std::max(1u, bounds.threads);
  constexpr std::size_t kBlock = 4096;
  std::map<std::string, std::size_t> byKey;
  std::vector<Found> found;
  for (std::size_t block = 0; block < graph.states.size(); block += kBlock) {
    const std::size_t blockEnd = std::min(graph.states.size(), block + kBlock);
    const std::size_t slice = (blockEnd - block + threads - 1) / threads;
    std::vector<std::vector<Differing>> differing(threads);
    std::vector<std::uint64_t> compared(threads, 0);
    std::vector<std::exception_ptr> failed(threads);
    auto compareSlice = [&](unsigned t) {
      try {
        compare(std::min(blockEnd, block + t * slice), std::min(blockEnd, block + (t + 1) * slice),
                differing[t], compared[t]);
      } catch (...) {
        failed[t] = std::current_exception();
      }
    };
    {
      std::vector<std::jthread> helpers;
      for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(compareSlice, t);
      compareSlice(0);
    }
    for (const std::exception_ptr& failure : failed)
      if (failure) std::rethrow_exception(failure);
    for (unsigned t = 0; t < threads; ++t) {
      out.comparedSteps += compared[t];
      for (Differing& x : differing[t]) {
        if (byKey.contains(x.key)) continue;
        byKey.emplace(x.key, found.size());
        const State& s = graph.states[x.state];
        model::StepResult ra = a.step(s, x.action), rb = b.step(s, x.action);
        Difference d;
        d.call = std::move(x.shape);
        d.resultA = std::move(x.resultA);
        d.resultB = std::move(x.resultB);
        model::ProcessNames names = roles(s, x.action.actor);
        d.changesA = model::describeChanges(s, ra.next, names);
        d.changesB = model::describeChanges(s, rb.next, names);
        found.push_back({x.state, x.action, std::move(d)});
      }
    }
  }
  // Shallowest first: states are numbered in breadth-first order.
  std::stable_sort(found.begin(), found.end(), [&](const Found& x, const Found& y) {
    return graph.depth[x.state] < graph.depth[y.state];
  });
  for (Found& f : found) {
    auto path = shortestPathTo(graph, {f.state}, [](const State&) { return true; });
    path->property = *checked.indexOf(kNamesTheTraces);
    path->viaTransition = true;
    path->actions.push_back(f.action);
    path->states.push_back(a.canonicalize(a.step(graph.states[f.state], f.action).next));
    f.difference.trace = concretize(checked, *path);
    f.difference.trace.property = "difference";
    f.difference.trace.message = fmt::format("{}: {} in {}, {} in {}", f.difference.call,
                                             f.difference.resultA, va.name, f.difference.resultB, vb.name);
    out.differences.push_back(std::move(f.difference));
  }
  return out;
}

}  // namespace properties
