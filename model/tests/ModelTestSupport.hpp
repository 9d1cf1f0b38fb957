// Helpers for the model tests: kernel variants by name, kernels built from
// a few named processes, and ScenarioRun, which executes scenario text
// (model/Scenario.hpp) step by step through model::Executor, checking each
// step's "= RESULT" as it goes, so that a test reads as the scenario it
// documents.  Nothing here asks the checker: the tests that do are in
// properties/tests/checker/model/.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ksim/flags.h"
#include "ksim/registry.h"
#include "model/Executor.hpp"
#include "model/Format.hpp"
#include "model/Kernel.hpp"
#include "model/Scenario.hpp"

namespace model::test {

/// The kernel variant with this name (ksim_variant_table); throws if none.
inline const ksim_variant& variantNamed(std::string_view name) {
  for (unsigned i = 0; i < ksim_variant_count; ++i)
    if (name == ksim_variant_table[i].variant->name) return *ksim_variant_table[i].variant;
  throw std::invalid_argument("no kernel variant named '" + std::string(name) + "'");
}

/// The patch under study.
inline const ksim_variant& rfc2014() { return variantNamed("rfc-2014"); }

/// A world of named initial processes ({name, user, group leader}), every
/// call family enabled, default sysctls.
inline Config makeConfig(std::vector<ProcessSpec> processes, unsigned maxUserProcs = 4) {
  Config c;
  c.processes = std::move(processes);
  c.maxUserProcs = maxUserProcs;
  c.omitted = 0;
  return c;
}

inline Kernel makeKernel(std::vector<ProcessSpec> processes, unsigned maxUserProcs = 4,
                         const ksim_variant& variant = rfc2014()) {
  return Kernel(variant, makeConfig(std::move(processes), maxUserProcs));
}

/// Parses scenario text; the file name in messages is "scenario".
inline Scenario parse(const std::string& text, const std::string& fileName = "scenario") {
  std::istringstream in(text);
  return parseScenario(in, fileName);
}

inline bool contains(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& n : names)
    if (n == name) return true;
  return false;
}

/// One executed step of a ScenarioRun.
struct StepRecord {
  ScenarioStep step;
  Action action;
  State before;
  StepResult result;
  Expectation got;  ///< what the step observably returned
};

/// Runs scenario text on a kernel variant: config lines ("process A alice",
/// "maxproc 3", "sysctl ...", "variant NAME"), then steps.  Every step's
/// "= RESULT" is checked; an unmet one, or a step its process cannot take,
/// is a test failure that names the scenario line, and ends the run.
/// A "variant" line overrides the variant argument.
class ScenarioRun {
 public:
  explicit ScenarioRun(const std::string& text, const ksim_variant& variant = rfc2014())
      : scenario_(parse(text)),
        kernel_(scenario_.variant ? variantNamed(*scenario_.variant) : variant, scenario_.config),
        run_(kernel_) {
    runSteps(scenario_.steps, scenario_.fileName);
  }
  // run_ refers to kernel_.
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  /// Runs more steps (step lines only) from where the run stands.
  ScenarioRun& then(const std::string& steps) {
    ++continuation_;
    std::string file = "scenario (continuation " + std::to_string(continuation_) + ")";
    runSteps(parse(steps, file).steps, file);
    return *this;
  }

  /// Whether one more step (a step line) could be taken now.
  bool canAct(const std::string& stepLine) const {
    Scenario one = parse(stepLine, "canAct");
    if (one.steps.size() != 1) throw std::invalid_argument("canAct: expected one step: " + stepLine);
    return !run_.whyNot(run_.resolve(one.steps[0], "canAct"));
  }

  /// Every step so far met its expectation and could be taken.
  bool ok() const { return ok_; }
  const Kernel& kernel() const { return kernel_; }
  const State& state() const { return run_.state(); }
  const ProcessNames& names() const { return run_.names(); }
  const std::vector<StepRecord>& steps() const { return steps_; }
  const StepRecord& lastStep() const {
    if (steps_.empty()) throw std::logic_error("no step has run");
    return steps_.back();
  }
  const StepResult& last() const { return lastStep().result; }

  /// Slot of a live named process; throws if there is none.
  unsigned slot(const std::string& name) const {
    int s = names().find(name);
    if (s < 0 || !isLive(state().proc(static_cast<unsigned>(s))))
      throw std::out_of_range("no live process named '" + name + "'");
    return static_cast<unsigned>(s);
  }
  bool exists(const std::string& name) const {
    int s = names().find(name);
    return s >= 0 && isLive(state().proc(static_cast<unsigned>(s)));
  }
  int pid(const std::string& name) const { return ksim_slot_pid(slot(name)); }
  const ksim_proc_rec& proc(const std::string& name) const { return state().proc(slot(name)); }
  std::string flags(const std::string& name) const { return pFlagNames(proc(name).flag); }
  std::string flags2(const std::string& name) const { return p2FlagNames(proc(name).flag2); }
  bool has(const std::string& name, std::uint32_t pFlag) const { return (proc(name).flag & pFlag) != 0; }
  /// Name of the process in a slot ("none" for KSIM_NOSLOT).
  std::string nameOf(std::uint8_t slot) const {
    if (slot == KSIM_NOSLOT) return "none";
    return names()[slot].empty() ? "pid " + std::to_string(ksim_slot_pid(slot)) : names()[slot];
  }
  std::string parentOf(const std::string& name) const { return nameOf(proc(name).pptr); }

 private:
  void runSteps(const std::vector<ScenarioStep>& steps, const std::string& file) {
    auto record = [&](const StepReport& step) {
      steps_.push_back({*step.written, step.action, step.before, step.result, step.observed});
    };
    for (const ScenarioStep& st : steps) {
      if (!ok_) return;
      std::size_t taken = steps_.size();
      std::optional<std::string> stop;
      try {
        stop = run_.play(st, file, record);
      } catch (const ScenarioError& e) {
        stop = e.what();
      }
      if (!stop) continue;
      const std::string& message = steps_.size() > taken ? steps_.back().result.message : "";
      ADD_FAILURE() << *stop << (message.empty() ? "" : " (kernel: " + message + ")") << ", at `"
                    << formatStep(st) << formatExpectation(st.expect) << "`";
      ok_ = false;
      return;
    }
  }

  Scenario scenario_;
  Kernel kernel_;
  Executor run_;
  std::vector<StepRecord> steps_;
  bool ok_ = true;
  int continuation_ = 0;
};

/// P's child C asks to be traced (PT_TRACE_ME) and raises SIGSTOP; P waits
/// for that stop: where the tests of a debugger and its own child start.
inline constexpr const char* kTraceMeStopped =
    "P fork C = sleeping\nP fork-finish = C\nC ptrace PT_TRACE_ME = 0\nC kill C SIGSTOP = 0\n"
    "P wait C = C stopped SIGSTOP\n";

/// D attaches P and waits for its SIGSTOP stop: where the ptrace stop tests start.
inline constexpr const char* kAttached = R"(
    process P alice
    process D alice
    maxproc 3
    D ptrace PT_ATTACH P = 0
    P take-signal = 0
    D wait P = P stopped SIGSTOP
  )";

/// A freebsd-current scenario: kAttached, then `steps`.
inline std::string attachedToday(const std::string& steps) {
  return "variant freebsd-current\n" + std::string(kAttached) + steps;
}

}  // namespace model::test
