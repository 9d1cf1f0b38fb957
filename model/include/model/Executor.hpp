// Running a scenario, or a path of concrete actions, step by step from a
// kernel's initial state: the one place that resolves a step's names,
// says why a step cannot be taken, names a fork's child and forgets the
// names of processes that are gone.  ksim replay, the counterexamples the
// checker writes, the design review and the model's tests all run their
// steps through it, so a name means the same to each of them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/Format.hpp"
#include "model/Kernel.hpp"
#include "model/Scenario.hpp"

namespace model {

/// One step an Executor took, as its observer sees it.  The references
/// live as long as the observer call.
struct StepReport {
  std::size_t number;           ///< 1 for the run's first step
  const ScenarioStep* written;  ///< the scenario's step, or nullptr for a concrete action
  const State& before;
  const Action& action;
  const StepResult& result;  ///< result.next is the state after
  const ProcessNames& namesBefore;
  /// With a fork's child named; the names of processes the step freed are
  /// still given, so that a result naming a reaped child reads as its name.
  const ProcessNames& namesAfter;
  const std::string& child;  ///< the name given to a fork's child, or empty
  const Expectation& observed;

  /// What the step changed, one line a field (describeChanges).
  std::vector<std::string> changes() const;
  /// The step in scenario form, its observed result as expectation.
  ScenarioStep asScenarioStep() const;
};

class Executor {
 public:
  using Observer = std::function<void(const StepReport&)>;

  /// At the kernel's initial state, the processes named as configured.
  explicit Executor(const Kernel& kernel);

  const Kernel& kernel() const { return kernel_; }
  const State& state() const { return state_; }
  const ProcessNames& names() const { return names_; }

  /// The action a scenario step denotes now; throws ScenarioError
  /// ("FILE:LINE: ...") if it names no live process.
  Action resolve(const ScenarioStep& step, const std::string& fileName) const;

  /// Why the action cannot be taken now ("A cannot fork now: it is
  /// stopped", "the kernel has panicked; ..."), or nothing if it can.
  std::optional<std::string> whyNot(const Action& a) const;

  /// Takes a concrete action.  A fork's child is named `child`, or
  /// ProcessNames::childName when that is empty.  Reports the step to
  /// `observe`, then moves on.  Returns why it was refused instead (whyNot,
  /// or a child name already in use), leaving the run where it was.
  std::optional<std::string> take(const Action& a, const std::string& child = "",
                                  const Observer& observe = {});

  /// Takes a scenario step (names resolved now, its child name as
  /// written), then judges its expectation.  Returns why the run cannot go
  /// on, as "FILE:LINE: reason": the step was refused (the run stays
  /// where it was), or it was taken but its expectation is unmet.  Throws
  /// ScenarioError for a name that denotes no process.
  std::optional<std::string> play(const ScenarioStep& step, const std::string& fileName,
                                  const Observer& observe = {});

  /// play() for each step in turn, up to the first that stops the run.
  std::optional<std::string> play(const std::vector<ScenarioStep>& steps, const std::string& fileName,
                                  const Observer& observe = {});

 private:
  std::optional<std::string> advance(const Action& a, const std::string& child, const ScenarioStep* written,
                                     const Observer& observe);

  const Kernel& kernel_;
  State state_;
  ProcessNames names_;
  std::size_t taken_ = 0;
};

}  // namespace model
