#include "model/Executor.hpp"

#include <fmt/format.h>

#include "ksim/flags.h"

namespace model {

namespace {

constexpr const char* kAfterPanic = "the kernel has panicked; no step can run after it";

bool isFork(const Action& a) { return callSpec(a.call).result == CallResult::SleepsForChild; }

// Why a process that exists cannot take a: the first of canAct's
// conditions it fails, in the words of a user who wrote the step.
std::string whyProcessCannot(const ksim_proc_rec& p, const Action& a) {
  if (a.actor < KSIM_SLOT_INIT) return "the swapper does not act in the model";
  if (a.actor < KSIM_FIRST_USER_SLOT) {
    if (a.call != Call::TakeSignal) return "init makes no calls in the model, it only takes signals";
    if ((p.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) != 0) return "it is stopped";
    return "it has no signal to take";
  }
  if (p.state != KSIM_PRS_NORMAL) return "it is not running";
  if ((p.flag & (KSIM_P_STOPPED_TRACE | KSIM_P_STOPPED_SIG)) != 0) return "it is stopped";
  if (stopsBeforeVforkWait(p)) return "it stops for its debugger's fork event first (take-signal)";
  if (syscallEventStopDue(p))
    return "it stops for its debugger first: a system call's exit, a fork or exec event, a vfork's end "
           "(take-signal)";
  if (p.pc == KSIM_PC_VFORK_WAIT) return "it is asleep in vfork";
  if (p.pc == KSIM_PC_SYSCALL_ENTRY)
    return "it is resumed at the entry of " +
           (p.pc_arg < kCallCount ? std::string(callKeyword(static_cast<Call>(p.pc_arg))) : std::string("a call")) +
           ", which runs next";
  if (p.pc == KSIM_PC_FORK || p.pc == KSIM_PC_VFORK) return "it is in the middle of fork (next: fork-finish)";
  if (p.pc != KSIM_PC_NONE) return "it is in the middle of execve (next: exec-finish)";
  if (signalsToTake(p) != 0) return "it has a pending signal to take first (take-signal)";
  if (a.call == Call::Wait)
    return "wait would sleep: it has a child (or one another process traces) with nothing to report yet "
           "(WNOHANG answers 0)";
  return "this is not its pending continuation";
}

}  // namespace

std::vector<std::string> StepReport::changes() const {
  return describeChanges(before, result.next, namesAfter);
}

ScenarioStep StepReport::asScenarioStep() const { return stepFromAction(action, result, namesBefore, child); }

Executor::Executor(const Kernel& kernel)
    : kernel_(kernel), state_(kernel.initial()), names_(kernel.initialNames()) {}

Action Executor::resolve(const ScenarioStep& step, const std::string& fileName) const {
  return resolveStep(step, names_, state_, fileName);
}

std::optional<std::string> Executor::whyNot(const Action& a) const {
  if (state_.panicked) return kAfterPanic;
  if (kernel_.canAct(state_, a)) return std::nullopt;
  const std::string& actor = names_[a.actor];
  return fmt::format("{} cannot {} now: {}",
                     actor.empty() ? fmt::format("pid {}", ksim_slot_pid(a.actor)) : actor,
                     callKeyword(a.call), whyProcessCannot(state_.proc(a.actor), a));
}

std::optional<std::string> Executor::take(const Action& a, const std::string& child,
                                          const Observer& observe) {
  return advance(a, child, nullptr, observe);
}

std::optional<std::string> Executor::advance(const Action& a, const std::string& childAsked,
                                             const ScenarioStep* written, const Observer& observe) {
  if (auto why = whyNot(a)) return why;
  StepResult r = kernel_.step(state_, a);
  ProcessNames after = names_;
  std::string child;
  if (isFork(a) && r.value) {
    child = childAsked.empty() ? names_.childName(a.actor) : childAsked;
    if (names_.find(child) >= 0) return fmt::format("a process named '{}' already exists", child);
    after.setByPid(*r.value, child);
  }
  Expectation got = observed(a, r, after);
  ++taken_;
  if (observe) observe(StepReport{taken_, written, state_, a, r, names_, after, child, got});
  // Slots are reused: a later child in a freed slot gets a name of its own.
  for (unsigned s = KSIM_FIRST_USER_SLOT; s < KSIM_NSLOTS; ++s)
    if (!isLive(r.next.proc(s))) after.retire(s);
  names_ = std::move(after);
  state_ = std::move(r.next);
  return std::nullopt;
}

std::optional<std::string> Executor::play(const ScenarioStep& step, const std::string& fileName,
                                          const Observer& observe) {
  auto where = [&](const std::string& why) { return fmt::format("{}:{}: {}", fileName, step.line, why); };
  if (state_.panicked) return where(kAfterPanic);
  std::optional<std::string> unmet;
  auto judge = [&](const StepReport& report) {
    if (observe) observe(report);
    if (!meets(step.expect, report.observed, report.namesAfter, report.result.next))
      unmet = fmt::format("expected{}, got{}", formatExpectation(step.expect).substr(2),
                          formatExpectation(report.observed).substr(2));
  };
  if (auto refused = advance(resolve(step, fileName), step.child, &step, judge)) return where(*refused);
  if (unmet) return where(*unmet);
  return std::nullopt;
}

std::optional<std::string> Executor::play(const std::vector<ScenarioStep>& steps, const std::string& fileName,
                                          const Observer& observe) {
  for (const ScenarioStep& step : steps)
    if (auto stop = play(step, fileName, observe)) return stop;
  return std::nullopt;
}

}  // namespace model
