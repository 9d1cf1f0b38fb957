#include "checker/Checker.hpp"

#include "checker/Progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "ksim/flags.h"
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

void CheckedModel::keepSelected(std::vector<PropertyFinding>& found, std::vector<sim::Finding>& out) const {
  for (PropertyFinding& f : found)
    if (std::optional<sim::PropertyIndex> index = indexOf(f.property))
      out.push_back(sim::Finding{*index, std::move(f.message)});
}

void CheckedModel::expand(const State& s, sim::Emitter<Action, State>& emit) const {
  kernel_.enabledActions(s, actions_);
  for (const Action& a : actions_) {
    model::StepResult r = kernel_.step(s, a);
    findings_.clear();
    stepFindings(s, a, r, findings_);
    bool terminal = r.next.panicked != 0;
    // Most steps fail or change nothing: s is canonical already.
    if (r.next == s)
      emit(a, s, findings_, terminal);
    else
      emit(a, kernel_.canonicalize(r.next), findings_, terminal);
  }
}

void CheckedModel::stepFindings(const State& before, const Action& a, const model::StepResult& r,
                                std::vector<sim::Finding>& out) const {
  found_.clear();
  checkStep(before, a, r, found_, {}, design());
  keepSelected(found_, out);
  coverStep(before, a, r, covered_);
}

void CheckedModel::stateFindings(const State& s, std::vector<sim::Finding>& out) const {
  found_.clear();
  checkState(s, found_, {}, design());
  keepSelected(found_, out);
}

namespace {

// Names of processes that no longer exist are released, so a later child
// in the same slot gets a name of its own.
void forgetFreed(const State& after, model::ProcessNames& names) {
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (!model::isLive(after.world.proc[i]) && i >= KSIM_FIRST_USER_SLOT) names.set(i, "");
}

bool isFork(const Action& a) { return a.call == model::Call::Fork || a.call == model::Call::Vfork; }

// Replays a path from the real initial state; concreteAction(x, i) gives
// step i's action on the concrete state x, atEnd sees the last state.
template <class ActionAt, class AtEnd>
ConcreteTrace replayPath(const CheckedModel& checked, sim::PropertyIndex property, std::string message,
                         std::size_t length, bool viaTransition, ActionAt concreteAction, AtEnd atEnd) {
  const model::Kernel& kernel = checked.kernel();
  ConcreteTrace trace;
  trace.property = checked.propertyName(property);
  trace.message = std::move(message);
  State x = kernel.initial();
  model::ProcessNames names(kernel.initialNames());
  PropertyId wanted = checked.propertyAt(property);
  // The search's message names pids only; say it again with names.
  auto restate = [&](const std::vector<PropertyFinding>& findings) {
    for (const PropertyFinding& f : findings)
      if (f.property == wanted) {
        trace.message = f.message;
        return;
      }
  };
  if (length == 0) {
    std::vector<PropertyFinding> findings;
    checkState(x, findings, namesOf(names), checked.design());
    restate(findings);
  }
  for (std::size_t i = 0; i < length; ++i) {
    Action a = concreteAction(x, i);
    KSIM_VERIFY(kernel.canAct(x, a), "counterexample step cannot be taken on the concrete state");
    model::StepResult r = kernel.step(x, a);
    std::string child;
    if (isFork(a) && r.value) child = names.childName(a.actor);
    trace.steps.push_back(model::stepFromAction(a, r, names, child));
    if (!child.empty())
      for (unsigned s = 0; s < KSIM_NSLOTS; ++s)
        if (ksim_slot_pid(s) == *r.value) names.set(s, child);
    if (i + 1 == length) {
      std::vector<PropertyFinding> findings;
      if (viaTransition)
        checkStep(x, a, r, findings, namesOf(names), checked.design());
      else
        checkState(r.next, findings, namesOf(names), checked.design());
      restate(findings);
    }
    forgetFreed(r.next, names);
    x = r.next;
  }
  atEnd(x);
  if (propertyInfo(wanted).judgedOn() == JudgedOn::Graph)
    trace.message = progressMessage(wanted, x, namesOf(names));
  return trace;
}

}  // namespace

ConcreteTrace concretize(const CheckedModel& checked, const sim::Counterexample<Action, State>& cx) {
  const model::Kernel& kernel = checked.kernel();
  auto actionAt = [&](const State& x, std::size_t i) {
    model::Relabeling rl;
    State canonical = kernel.canonicalize(x, &rl);
    KSIM_VERIFY(canonical == cx.states[i], "concrete replay left the explorer's path");
    return model::Kernel::relabel(cx.actions[i], rl.toConcrete);
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
  State x = kernel.initial();
  model::ProcessNames names(kernel.initialNames());
  std::vector<PropertyFinding> findings;
  Design design{kernel.variant().design};
  checkState(x, findings, namesOf(names), design);
  out << "initial state:\n";
  for (unsigned i = 0; i < KSIM_NSLOTS; ++i)
    if (model::isLive(x.world.proc[i])) out << "    " << model::describeProcess(x, i, names) << "\n";
  for (const PropertyFinding& f : findings)
    out << "    VIOLATION " << propertyInfo(f.property).name << ": " << f.message << "\n";
  bool violated = !findings.empty();
  int stepNo = 0;
  for (const model::ScenarioStep& st : sc.steps) {
    ++stepNo;
    std::string where = fmt::format("{}:{}", sc.fileName, st.line);
    if (x.panicked) {
      out << where << ": the kernel has panicked; no step can run after it\n";
      return kReplayUnmet;
    }
    Action a = model::resolveStep(st, names, x, sc.fileName);
    if (!kernel.canAct(x, a)) {
      const ksim_proc_rec& p = x.world.proc[a.actor];
      std::string why = a.actor < KSIM_FIRST_USER_SLOT ? "the swapper and init do not act in the model"
                        : p.state != KSIM_PRS_NORMAL   ? "it is not running"
                        : (p.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) ? "it is stopped"
                        : p.pc == KSIM_PC_VFORK_WAIT                             ? "it is asleep in vfork"
                        : (p.pc != KSIM_PC_NONE) ? "it is in the middle of execve (next: exec-finish)"
                        : p.sigpend != 0         ? "it has a pending signal to take first (take-signal)"
                        : a.call == model::Call::Wait
                            ? "wait would sleep: no child of it is a zombie or stopped for its tracer"
                            : "this is not its pending continuation";
      out << where << ": " << st.actor << " cannot " << model::callKeyword(st.call) << " now: " << why
          << "\n";
      return kReplayUnmet;
    }
    model::StepResult r = kernel.step(x, a);
    model::ProcessNames after = names;
    std::string child = st.child;
    if (isFork(a) && r.value) {
      if (child.empty()) child = names.childName(a.actor);
      if (names.find(child) >= 0) {
        out << where << ": a process named '" << child << "' already exists\n";
        return kReplayUnmet;
      }
      for (unsigned s = 0; s < KSIM_NSLOTS; ++s)
        if (ksim_slot_pid(s) == *r.value) after.set(s, child);
    }
    model::Expectation got = model::observed(a, r, after);
    model::ScenarioStep shown = st;
    shown.child = child;
    out << fmt::format("step {} (line {}): {}{}\n", stepNo, st.line, model::formatStep(shown),
                       model::formatExpectation(got));
    for (const std::string& change : model::describeChanges(x, r.next, after))
      out << "    " << change << "\n";
    if (r.outcome == model::Outcome::Panic || r.outcome == model::Outcome::Hang)
      out << "    kernel: " << r.message << "\n";
    findings.clear();
    checkStep(x, a, r, findings, namesOf(after), design);
    checkState(r.next, findings, namesOf(after), design);
    for (const PropertyFinding& f : findings) {
      const PropertyInfo& info = propertyInfo(f.property);
      out << (info.isUnspecifiedPoint() ? "    UNSPECIFIED " : "    VIOLATION ") << info.name << ": "
          << f.message << "\n";
      violated |= !info.isUnspecifiedPoint();
    }
    if (!model::meets(st.expect, got, after, r.next)) {
      out << where << ": expected" << model::formatExpectation(st.expect).substr(2) << ", got"
          << model::formatExpectation(got).substr(2) << "\n";
      return kReplayUnmet;
    }
    forgetFreed(r.next, after);
    names = after;
    x = r.next;
  }
  // Progress: is the final state a trap?  Judged by exploring every
  // continuation of it, as ksim check judged it on the whole graph.
  for (const PropertyInfo& info : allProperties()) {
    if (info.judgedOn() != JudgedOn::Graph) continue;
    std::uint64_t explored = 0;
    auto trap = isTrap(kernel, x, info.id, maxContinuations, &explored);
    if (!trap) {
      out << "    " << info.name << " not judged: the last state has more than " << maxContinuations
          << " continuations (ksim check judges it on the whole graph)\n";
    } else if (*trap) {
      out << "    VIOLATION " << info.name << ": " << progressMessage(info.id, x, namesOf(names))
          << " (every continuation explored: " << explored << (explored == 1 ? " state)\n" : " states)\n");
      violated = true;
    }
  }
  out << (violated ? "result: property violated\n" : "result: every expectation met, no property violated\n");
  return violated ? kReplayViolation : kReplayClean;
}

}  // namespace properties
