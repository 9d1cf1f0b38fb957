#include "checker/Checker.hpp"

#include "checker/Causes.hpp"

#include "checker/Progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "ksim/flags.h"
#include "model/Executor.hpp"
#include "model/Format.hpp"
#include "sim/Check.hpp"

namespace properties {

using model::Action;
using model::State;

CheckedModel::CheckedModel(const model::Kernel& kernel, std::vector<PropertyId> selected)
    : kernel_(kernel), selected_(std::move(selected)) {
  for (std::size_t i = 0; i < selected_.size(); ++i)
    indexOf_[positionOf(selected_[i])] = static_cast<sim::PropertyIndex>(i);
}

State CheckedModel::initial() const { return kernel_.canonicalize(kernel_.initial()); }

std::string CheckedModel::propertyName(sim::PropertyIndex i) const {
  return std::string(propertyInfo(propertyAt(i)).name);
}

void CheckedModel::keepSelected(std::vector<PropertyFinding>& found, std::vector<sim::Finding>& out,
                                std::uint64_t cause) const {
  for (PropertyFinding& f : found)
    if (std::optional<sim::PropertyIndex> index = indexOf(f.property))
      out.push_back(sim::Finding{*index, std::move(f.message), cause});
}

CheckedModel::ExpansionEffects CheckedModel::Expander::expand(const State& s,
                                                              sim::Emitter<Action, State>& emit,
                                                              std::uint8_t actingSlots) {
  const model::Kernel& kernel = model_->kernel_;
  const bool renamesUsers = kernel.userRenamings().size() > 1;
  ExpansionEffects effects;
  // Findings of properties the search does not check are left out; those whose messages it
  // would drop (it has the counterexample it keeps) are reported for their causes only.
  struct Context {
    const CheckedModel* model;
    const sim::Emitter<Action, State>* emit;
  } context{model_, &emit};
  const Wanted wanted{[](const void* c, PropertyId id) {
                        const auto& [model, emit] = *static_cast<const Context*>(c);
                        const std::optional<sim::PropertyIndex> index = model->indexOf(id);
                        if (!index) return Wanted::Level::Skip;
                        return emit->wanted(*index) ? Wanted::Level::ReportWithMessage : Wanted::Level::Report;
                      },
                      &context};
  kernel.enabledActions(s, actions_);
  for (const Action& a : actions_) {
    if ((actingSlots >> a.actor & 1u) == 0) continue;
    model::StepResult r = kernel.stepEnabled(s, a);
    findings_.clear();
    model_->stepFindings(s, a, r, findings_, found_, effects.reached, wanted);
    bool terminal = r.next.panicked != 0;
    // Most steps fail or change nothing: s is canonical already.
    if (r.next == s) {
      emit.unchanged(a, s, findings_, terminal);
      continue;
    }
    model::Relabeling rl;
    State next = kernel.canonicalize(r.next, &rl);
    Action taken = a;
    taken.userRenaming = rl.userRenaming;
    // A step back to s itself is no edge of the graph; the progress
    // judgement still needs to know when it renames the owner it follows:
    // the actor's user, or for root-can-undo (a step of root's counts for
    // every owner) any user.
    if (renamesUsers && rl.userRenaming != 0 && next == s) {
      const std::uint16_t uid = s.proc(a.actor).ruid;
      const std::uint16_t renamed = kernel.userRenamings()[rl.userRenaming].uid(uid);
      if (uid == 0 || renamed != uid)
        effects.selfLoops.push_back(
            RenamingSelfLoop{0, model::hashState(s), uid, renamed, rl.userRenaming});
    }
    emit(taken, std::move(next), findings_, terminal);
  }
  return effects;
}

void CheckedModel::absorb(ExpansionEffects&& effects) const {
  covered_ |= effects.reached;
  for (RenamingSelfLoop& loop : effects.selfLoops) {
    loop.expansion = expansionsAbsorbed_;
    renamingSelfLoops_.push_back(loop);
  }
  ++expansionsAbsorbed_;
}

void CheckedModel::absorbExpansionOf(sim::StateIndex state, ExpansionEffects&& effects) const {
  covered_ |= effects.reached;
  for (RenamingSelfLoop& loop : effects.selfLoops) {
    loop.expansion = state;
    renamingSelfLoops_.push_back(loop);
  }
  ++expansionsAbsorbed_;
}

void CheckedModel::adoptDistributedEffects(const CoverSet& covered, std::uint64_t expansions,
                                           std::vector<RenamingSelfLoop> loopsByState,
                                           const sim::ExploredGraph<Action, State>* graph) {
  covered_ = covered;
  expansionsAbsorbed_ = expansions;
  if (graph == nullptr) loopsByState.clear();
  // One pass over both, both in index order: `expandedBefore` counts the expanded states below
  // the loop's state.
  std::uint64_t expandedBefore = 0;
  std::uint64_t state = 0;
  for (RenamingSelfLoop& loop : loopsByState) {
    KSIM_VERIFY(loop.expansion >= state, "the gathered self-loops are not in state order");
    for (; state < loop.expansion; ++state)
      if (state < graph->stateCount() && graph->expanded(static_cast<sim::StateIndex>(state))) ++expandedBefore;
    loop.expansion = expandedBefore;
  }
  renamingSelfLoops_ = std::move(loopsByState);
}

void CheckedModel::stepFindings(const State& before, const Action& a, const model::StepResult& r,
                                std::vector<sim::Finding>& out) const {
  stepFindings(before, a, r, out, found_, covered_);
}

void CheckedModel::stepFindings(const State& before, const Action& a, const model::StepResult& r,
                                std::vector<sim::Finding>& out, std::vector<PropertyFinding>& found,
                                CoverSet& reached, Wanted wanted) const {
  found.clear();
  checkStep(before, a, r, found, {}, design(), wanted);
  if (!found.empty()) keepSelected(found, out, stepCause(before, a, r));
  coverStep(before, a, r, reached);
}

void CheckedModel::stateFindings(const State& s, std::vector<sim::Finding>& out) const {
  found_.clear();
  checkState(s, found_, {}, design());
  keepSelected(found_, out, 0);
}

void CheckedModel::classifyStateFindings(const State* parent, const Action* action, const State& /*s*/,
                                         std::vector<sim::Finding>& findings) const {
  if (parent == nullptr) return;  // the initial state: no step broke it
  // The parent's violations, without their messages.
  found_.clear();
  checkState(*parent, found_, {}, design(), Wanted{[](const void*, PropertyId) { return Wanted::Level::Report; }});
  std::erase_if(findings, [&](const sim::Finding& f) {
    return std::any_of(found_.begin(), found_.end(),
                       [&](const PropertyFinding& b) { return indexOf(b.property) == f.property; });
  });
  if (findings.empty()) return;
  // The search's action was taken in the canonical parent: taking it again gives its result.
  const std::uint64_t cause = stepCause(*parent, *action, kernel_.step(*parent, *action));
  for (sim::Finding& f : findings) f.cause = cause;
}

namespace {

// Replays a path from the real initial state; concreteAction(x, i) gives
// step i's action on the concrete state x, atEnd sees the last state.
template <class ActionAt, class AtEnd>
ConcreteTrace replayPath(const CheckedModel& checked, sim::PropertyIndex property, std::string message,
                         std::size_t length, bool viaTransition, ActionAt concreteAction, AtEnd atEnd) {
  model::Executor run(checked.kernel());
  ConcreteTrace trace;
  trace.property = checked.propertyName(property);
  trace.message = std::move(message);
  PropertyId wanted = checked.propertyAt(property);
  // The search's message names pids only; say it again with names.
  auto restate = [&](const std::vector<PropertyFinding>& findings) {
    for (const PropertyFinding& f : findings)
      if (f.property == wanted) {
        trace.message = f.message;
        return;
      }
  };
  std::vector<PropertyFinding> findings;
  if (length == 0) {
    checkState(run.state(), findings, namesOf(run.names()), checked.design());
    restate(findings);
  }
  auto record = [&](const model::StepReport& step) {
    trace.steps.push_back(step.asScenarioStep());
    if (step.result.siteFile != nullptr) {
      trace.site = sourceSite(step.result.siteFile, step.result.siteLine);
      trace.siteStep = step.number;
    }
    // A production kernel's kernel-assertion is located at the assertion
    // it passed over, not at the lock operation it went on to.
    if (wanted == PropertyId::KernelAssertion && step.number == length &&
        step.result.assertionFile != nullptr) {
      trace.site = sourceSite(step.result.assertionFile, step.result.assertionLine);
      trace.siteStep = step.number;
    }
    if (step.number != length) return;
    if (viaTransition)
      checkStep(step.before, step.action, step.result, findings, namesOf(step.namesAfter), checked.design());
    else
      checkState(step.result.next, findings, namesOf(step.namesAfter), checked.design());
    restate(findings);
  };
  for (std::size_t i = 0; i < length; ++i) {
    trace.actions.push_back(concreteAction(run.state(), i));
    KSIM_VERIFY(!run.take(trace.actions.back(), "", record),
                "counterexample step cannot be taken on the concrete state");
  }
  atEnd(run.state());
  if (propertyInfo(wanted).judgedOn() == JudgedOn::Graph)
    trace.message = progressMessage(wanted, run.state(), namesOf(run.names()));
  return trace;
}

}  // namespace

std::string sourceSite(const char* file, int line) {
  if (file == nullptr) return {};
  const std::string path(file);
  // The compiler's name for the file depends on where the tree and the
  // build are; from the variant's folder on it does not.  A generated
  // design's folder is named as the design's logical folder.
  struct Marker {
    const char* found;
    const char* named;
  };
  constexpr Marker kMarkers[] = {
      {"kernel/variants/", "kernel/variants/"},   {"kernel-variants/", "kernel/variants/"},
      {"kernel-ablations/", "kernel-ablations/"}, {"kernel-mutants/", "kernel-mutants/"},
      {"kernel/runtime/", "kernel/runtime/"},     {"kernel/shim/", "kernel/shim/"}};
  std::size_t at = std::string::npos;
  const Marker* which = nullptr;
  for (const Marker& m : kMarkers) {
    const std::size_t found = path.rfind(m.found);
    if (found != std::string::npos && (at == std::string::npos || found > at)) {
      at = found;
      which = &m;
    }
  }
  const std::string named =
      which == nullptr ? path : which->named + path.substr(at + std::strlen(which->found));
  return named + ":" + std::to_string(line);
}

ConcreteTrace concretize(const CheckedModel& checked, const sim::Counterexample<Action, State>& cx) {
  const model::Kernel& kernel = checked.kernel();
  auto actionAt = [&](const State& x, std::size_t i) {
    model::Relabeling rl;
    State canonical = kernel.canonicalize(x, &rl);
    KSIM_VERIFY(canonical == cx.states[i], "concrete replay left the explorer's path");
    Action concrete = model::Kernel::relabel(cx.actions[i], rl.toConcrete);
    concrete.userRenaming = 0;  // the search's bookkeeping, no part of the step
    return concrete;
  };
  auto atEnd = [&](const State& x) {
    KSIM_VERIFY(kernel.canonicalize(x) == cx.states.back(), "concrete replay ended off the explorer's path");
  };
  return replayPath(checked, cx.property, cx.message, cx.actions.size(), cx.viaTransition, actionAt, atEnd);
}

ConcreteTrace concretizeActions(const CheckedModel& checked, sim::PropertyIndex property,
                                const std::vector<Action>& actions, bool viaTransition) {
  return replayPath(
      checked, property, "", actions.size(), viaTransition,
      [&](const State&, std::size_t i) { return actions[i]; }, [](const State&) {});
}

std::string formatScenarioFile(const ConcreteTrace& trace, const model::Config& config,
                               const std::string& variant, const std::vector<std::string>& headerComments) {
  std::ostringstream out;
  for (const std::string& c : headerComments) out << "# " << c << "\n";
  for (const std::string& line : model::formatConfig(config, variant)) out << line << "\n";
  for (const model::ScenarioStep& st : trace.steps)
    out << model::formatStep(st) << model::formatExpectation(st.expect) << "\n";
  return out.str();
}

int replayScenario(const model::Scenario& sc, const model::Kernel& kernel, std::ostream& out,
                   std::uint64_t maxContinuations) {
  model::Executor run(kernel);
  std::vector<PropertyFinding> findings;
  Design design{kernel.variant().design, kernel.config().sysctls};
  checkState(run.state(), findings, namesOf(run.names()), design);
  out << "initial state:\n";
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (model::isLive(run.state().proc(i)))
      out << "    " << model::describeProcess(run.state(), i, run.names()) << "\n";
  for (const PropertyFinding& f : findings)
    out << "    VIOLATION " << propertyInfo(f.property).name << ": " << f.message << "\n";
  bool violated = !findings.empty();
  // The last step, which root-can-undo judges.
  std::optional<State> lastBefore;
  std::optional<Action> lastAction;
  auto show = [&](const model::StepReport& step) {
    model::ScenarioStep shown = *step.written;
    if (!step.child.empty()) shown.child = step.child;
    out << fmt::format("step {} (line {}): {}{}\n", step.number, shown.line, model::formatStep(shown),
                       model::formatExpectation(step.observed));
    for (const std::string& change : step.changes()) out << "    " << change << "\n";
    if (step.result.outcome == model::Outcome::Panic || step.result.outcome == model::Outcome::Hang)
      out << "    kernel: " << step.result.message << "\n";
    if (!step.result.assertion.empty())
      out << "    kernel: production kernel went on past " << step.result.assertion << "\n";
    findings.clear();
    lastBefore = step.before;
    lastAction = step.action;
    checkStep(step.before, step.action, step.result, findings, namesOf(step.namesAfter), design);
    checkState(step.result.next, findings, namesOf(step.namesAfter), design);
    for (const PropertyFinding& f : findings) {
      const PropertyInfo& info = propertyInfo(f.property);
      out << (info.isUnspecifiedPoint() ? "    UNSPECIFIED " : "    VIOLATION ") << info.name << ": "
          << f.message << "\n";
      violated |= !info.isUnspecifiedPoint();
    }
  };
  if (auto stop = run.play(sc.steps, sc.fileName, show)) {
    out << *stop << "\n";
    return kReplayUnmet;
  }
  const State& x = run.state();
  const model::ProcessNames& names = run.names();
  // Progress: is the final state a trap?  Judged by exploring every
  // continuation of it, as ksim check judged it on the whole graph.
  bool unjudged = false;
  for (const PropertyInfo& info : allProperties()) {
    if (info.judgedOn() != JudgedOn::Graph) continue;
    if (maxContinuations == 0) {
      out << "    " << info.name << " not judged on the last state (asked not to)\n";
      continue;
    }
    std::uint64_t explored = 0;
    auto trap = isTrap(kernel, x, info.id, maxContinuations, &explored, lastBefore ? &*lastBefore : nullptr,
                       lastAction ? &*lastAction : nullptr);
    if (!trap) {
      unjudged = true;
      out << "    " << info.name << " not judged: the last state has more than " << maxContinuations
          << " continuations (ksim check judges it on the whole graph)\n";
    } else if (*trap) {
      out << "    VIOLATION " << info.name << ": " << progressMessage(info.id, x, namesOf(names))
          << " (every continuation explored: " << explored << (explored == 1 ? " state)\n" : " states)\n");
      violated = true;
    }
  }
  if (violated) {
    out << "result: property violated\n";
    return kReplayViolation;
  }
  if (unjudged) {
    out << "result: every expectation met, no property violated, but not every graph property was judged "
           "(raise --max-continuations)\n";
    return kReplayUnjudged;
  }
  out << "result: every expectation met, no property violated\n";
  return kReplayClean;
}

}  // namespace properties
