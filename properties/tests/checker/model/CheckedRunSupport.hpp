// The model tests' helpers (model/tests/ModelTestSupport.hpp) and what the
// checker adds to them: the properties a state or a step violates, and
// ksim replay's exit code and output for scenario text.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "ModelTestSupport.hpp"
#include "checker/Checker.hpp"
#include "spec/Properties.hpp"

namespace model::test {

/// The names of the properties findings are about.
inline std::vector<std::string> propertyNames(const std::vector<properties::PropertyFinding>& findings) {
  std::vector<std::string> names;
  for (const properties::PropertyFinding& f : findings)
    names.emplace_back(properties::propertyInfo(f.property).name);
  return names;
}

/// Names of the state invariants (properties::checkState) s violates.
inline std::vector<std::string> violatedInvariants(const State& s) {
  std::vector<properties::PropertyFinding> findings;
  properties::checkState(s, findings);
  return propertyNames(findings);
}

/// Names of the transition properties (properties::checkStep) a step violates.
inline std::vector<std::string> violatedStepProperties(const State& before, const Action& a,
                                                       const StepResult& r) {
  std::vector<properties::PropertyFinding> findings;
  properties::checkStep(before, a, r, findings);
  return propertyNames(findings);
}

/// The invariants the state a run has reached violates.
inline std::vector<std::string> violations(const ScenarioRun& run) { return violatedInvariants(run.state()); }

/// properties::replayScenario on scenario text: its exit code, and its
/// printed output in *output.
inline int replay(const std::string& text, std::string* output = nullptr,
                  const ksim_variant& variant = rfc2014()) {
  Scenario sc = parse(text);
  Kernel kernel(sc.variant ? variantNamed(*sc.variant) : variant, sc.config);
  std::ostringstream out;
  int code = properties::replayScenario(sc, kernel, out);
  if (output != nullptr) *output = out.str();
  return code;
}

}  // namespace model::test
