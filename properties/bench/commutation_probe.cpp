// commutation_probe: how much a partial-order reduction could save in a world, at best.
//
// A reduction that expands only some of a state's steps (stubborn, persistent or ample sets)
// must, at the very least, keep together steps that do not commute at that state: taking one
// changes what the other does (its result or its effect), or the two orders end in different
// states. Steps that do commute at the state may still be kept together by a sound reduction,
// which must also consider the states that follow, the steps a property watches and cycles;
// so what this probe measures is a bound that no such reduction can beat, not what one achieves.
//
// For sampled states of a breadth-first search it takes every enabled step, and every pair of
// steps in both orders, and joins the pairs that do not commute. Each connected group of the
// resulting graph that holds a step changing the state is a set a reduction could expand alone
// (under this optimistic test); the smallest such group, in distinct successor states, against
// all of the state's distinct successors, is the share of the successors the best reduction
// keeps there. The probe prints, per depth, how often a state has more than one group (any
// reduction at all is possible there) and that share.
//
// Usage: ksim-commutation-probe [--variant NAME] [--process NAME:USER[:GROUP]]... [--maxproc N]
//                               [--depth D] [--samples K] [--states-only] [--explain N]
//                               [--reduced-depth D]
// Output is deterministic: the search order, the samples and the figures depend on the inputs
// only.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "ksim/registry.h"
#include "model/Kernel.hpp"
#include "sim/Hash.hpp"

namespace {

using model::Action;
using model::State;
using model::StepResult;

struct StateHash {
  std::size_t operator()(const State& s) const noexcept { return sim::hashObject(s); }
};

// What an observer of the step sees besides the next state.
bool sameAnswer(const StepResult& a, const StepResult& b) {
  return a.outcome == b.outcome && a.error == b.error && a.value == b.value && a.waitStatus == b.waitStatus &&
         a.coreWritten == b.coreWritten && a.reportedChild == b.reportedChild &&
         a.siginfoSigno == b.siginfoSigno && a.siginfoCode == b.siginfoCode && a.assertion == b.assertion &&
         a.message == b.message;
}

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// One state's figures.
struct Sample {
  std::size_t steps = 0;       // enabled steps
  std::size_t changing = 0;    // of them, steps that change the state
  std::size_t successors = 0;  // distinct successor states (up to symmetry)
  std::size_t groups = 0;      // groups holding a changing step
  std::size_t kept = 0;        // distinct successors of the smallest such group
};

std::string describe(const Action& a) {
  std::string out = fmt::format("slot {} {}", a.actor, model::callKeyword(a.call));
  if (a.target != model::kNoTarget) out += fmt::format(" target {}", a.target);
  return out + fmt::format(" op {} data {} idtype {} address {}", a.op, a.data, a.idtype, a.goodAddress);
}

// With `explain`, prints up to `explain` pairs of steps of different processes that do not
// commute, and why.
// With `statesOnly`, a step's answer is not compared and steps that change nothing are left out:
// the bound for a reduction that needs to keep only the reachable states (state invariants),
// not every step's answer (the step properties and the contract).
// `kept`, if given, receives the distinct successors of the smallest group, in step order.
Sample probe(const model::Kernel& kernel, const State& s, bool statesOnly, unsigned explain = 0,
             std::vector<State>* kept = nullptr) {
  Sample out;
  std::vector<Action> actions;
  kernel.enabledActions(s, actions);
  out.steps = actions.size();
  std::vector<StepResult> results;
  results.reserve(actions.size());
  std::vector<bool> changes(actions.size());
  std::vector<State> canonical(actions.size());
  std::vector<std::vector<Action>> enabledAfter(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    results.push_back(kernel.stepEnabled(s, actions[i]));
    changes[i] = !(results[i].next == s);
    if (changes[i]) {
      ++out.changing;
      canonical[i] = kernel.canonicalize(results[i].next);
      kernel.enabledActions(results[i].next, enabledAfter[i]);
      std::sort(enabledAfter[i].begin(), enabledAfter[i].end());
    }
  }
  auto enabledIn = [&](std::size_t after, std::size_t step) {
    return std::binary_search(enabledAfter[after].begin(), enabledAfter[after].end(), actions[step]);
  };
  // j taken after i (which changed the state): j's answer as at s, and the state j leaves.
  auto after = [&](std::size_t i, std::size_t j, StepResult& r) {
    if (!enabledIn(i, j)) return false;
    r = kernel.stepEnabled(results[i].next, actions[j]);
    return statesOnly || sameAnswer(r, results[j]);
  };
  UnionFind groups(actions.size());
  StepResult ij, ji;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    for (std::size_t j = i + 1; j < actions.size(); ++j) {
      bool commute;
      if (!changes[i] && !changes[j]) {
        commute = true;  // both leave s as it is: either order is the other
      } else if (statesOnly && (!changes[i] || !changes[j])) {
        commute = true;  // a step that changes nothing is not kept
      } else if (changes[i] && !changes[j]) {
        commute = after(i, j, ij) && ij.next == results[i].next;
      } else if (!changes[i] && changes[j]) {
        commute = after(j, i, ji) && ji.next == results[j].next;
      } else {
        commute = after(i, j, ij) && after(j, i, ji) &&
                  kernel.canonicalize(ij.next) == kernel.canonicalize(ji.next);
      }
      if (!commute) groups.join(i, j);
      if (!commute && explain > 0 && actions[i].actor != actions[j].actor) {
        --explain;
        std::printf("  %s / %s\n", describe(actions[i]).c_str(), describe(actions[j]).c_str());
      }
    }
  }
  std::unordered_set<State, StateHash> all;
  std::vector<std::unordered_set<State, StateHash>> byGroup(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (!changes[i]) continue;
    all.insert(canonical[i]);
    byGroup[groups.find(i)].insert(canonical[i]);
  }
  out.successors = all.size();
  out.kept = out.successors;
  std::size_t smallest = actions.size();
  for (std::size_t root = 0; root < actions.size(); ++root) {
    if (byGroup[root].empty()) continue;
    ++out.groups;
    if (smallest == actions.size() || byGroup[root].size() < out.kept) {
      out.kept = byGroup[root].size();
      smallest = root;
    }
  }
  if (kept != nullptr) {
    kept->clear();
    for (std::size_t i = 0; i < actions.size(); ++i) {
      if (!changes[i] || groups.find(i) != smallest) continue;
      if (std::find(kept->begin(), kept->end(), canonical[i]) == kept->end()) kept->push_back(canonical[i]);
    }
  }
  return out;
}

// The levels of a breadth-first search from `initial` to `depth`, each a list of states met for the
// first time, in the order met; `successors(s, out)` lists what a state leads to. Panicked states
// are not expanded, as in ksim check.
template <class Successors>
std::vector<std::vector<State>> searchLevels(const State& initial, unsigned depth, Successors&& successors) {
  std::vector<std::vector<State>> levels{{initial}};
  std::unordered_set<State, StateHash> seen{initial};
  std::vector<State> out;
  for (unsigned d = 0; d < depth; ++d) {
    std::vector<State> next;
    for (const State& s : levels[d]) {
      if (s.panicked) continue;
      successors(s, out);
      for (State& t : out)
        if (seen.insert(t).second) next.push_back(std::move(t));
    }
    if (next.empty()) break;
    levels.push_back(std::move(next));
  }
  return levels;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ksim-commutation-probe: the most a partial-order reduction could save, per depth"};
  std::string variantName = "rfc-2014";
  std::vector<std::string> processes;
  unsigned maxproc = 0;
  unsigned depth = 4;
  unsigned samples = 200;
  unsigned explain = 0;
  bool statesOnly = false;
  unsigned reducedDepth = 0;
  app.add_option("--variant", variantName, "the design or mutant (ksim list)");
  app.add_option("--process", processes, "NAME:USER[:GROUP], as ksim check takes it");
  app.add_option("--maxproc", maxproc, "user processes at most");
  app.add_option("--depth", depth, "deepest level sampled (the search expands the levels above it)")
      ->check(CLI::Range(1u, 12u));
  app.add_option("--samples", samples, "states sampled per level, evenly spread")
      ->check(CLI::Range(1u, 100000u));
  app.add_option("--explain", explain,
                 "first print this many pairs of steps of two processes that do not "
                 "commute in the initial state");
  app.add_flag("--states-only", statesOnly,
               "keep only the reachable states: answers are not compared, steps that change nothing "
               "left out");
  app.add_option("--reduced-depth", reducedDepth,
                 "also search to this depth expanding only each state's smallest group, and count its "
                 "states per level (an estimate of the best reduction, not a sound search)")
      ->check(CLI::Range(0u, 12u));
  CLI11_PARSE(app, argc, argv);

  const ksim_variant_entry* entry = ksim_variant_find(variantName.c_str());
  if (entry == nullptr) {
    std::fprintf(stderr, "ksim-commutation-probe: unknown variant '%s'\n", variantName.c_str());
    return 2;
  }
  model::Config config = model::Config::defaults();
  if (!processes.empty()) {
    config.processes.clear();
    for (const std::string& spec : processes) {
      auto process = model::parseProcessSpec(spec);
      if (!process) {
        std::fprintf(stderr, "ksim-commutation-probe: --process %s: expected NAME:USER[:GROUP]\n",
                     spec.c_str());
        return 2;
      }
      config.processes.push_back(std::move(*process));
    }
  }
  if (maxproc != 0) config.maxUserProcs = maxproc;
  if (auto why = config.validate()) {
    std::fprintf(stderr, "ksim-commutation-probe: %s\n", why->c_str());
    return 2;
  }
  const model::Kernel kernel(*entry->variant, config);

  if (explain > 0) {
    std::printf("steps of two processes that do not commute in the initial state:\n");
    probe(kernel, kernel.canonicalize(kernel.initial()), statesOnly, explain);
  }

  // Breadth first, up to symmetry, as ksim check searches.
  const State initial = kernel.canonicalize(kernel.initial());
  std::vector<Action> actions;
  const auto levels = searchLevels(initial, depth, [&](const State& s, std::vector<State>& out) {
    out.clear();
    kernel.enabledActions(s, actions);
    for (const Action& a : actions) out.push_back(kernel.canonicalize(kernel.stepEnabled(s, a).next));
  });

  std::printf("%-5s %9s %7s %7s %9s %11s %10s %11s\n", "depth", "states", "sampled", "steps", "changing",
              "successors", "reducible", "kept share");
  for (std::size_t d = 0; d < levels.size(); ++d) {
    const auto& level = levels[d];
    const std::size_t n = std::min<std::size_t>(samples, level.size());
    double steps = 0, changing = 0, successors = 0, share = 0;
    std::size_t reducible = 0, probed = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const State& s = level[k * level.size() / n];
      if (s.panicked) continue;
      const Sample x = probe(kernel, s, statesOnly);
      if (x.successors == 0) continue;
      ++probed;
      steps += double(x.steps);
      changing += double(x.changing);
      successors += double(x.successors);
      share += double(x.kept) / double(x.successors);
      if (x.groups > 1) ++reducible;
    }
    if (probed == 0) continue;
    const double p = double(probed);
    std::printf("%-5zu %9zu %7zu %7.1f %9.1f %11.1f %9.1f%% %10.1f%%\n", d, level.size(), probed, steps / p,
                changing / p, successors / p, 100.0 * double(reducible) / p, 100.0 * share / p);
  }
  if (reducedDepth == 0) return 0;

  // The same search, each state expanding only its smallest group.
  const auto reduced = searchLevels(initial, reducedDepth, [&](const State& s, std::vector<State>& out) {
    probe(kernel, s, statesOnly, 0, &out);
  });
  std::printf("\n%-5s %12s %12s %8s\n", "depth", "states", "reduced", "factor");
  std::size_t total = 0, totalReduced = 0;
  for (std::size_t d = 0; d < reduced.size() && d < levels.size(); ++d) {
    total += levels[d].size();
    totalReduced += reduced[d].size();
    std::printf("%-5zu %12zu %12zu %8.2f\n", d, total, totalReduced, double(total) / double(totalReduced));
  }
  return 0;
}
