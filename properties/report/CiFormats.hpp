// A check's findings in the formats CI servers and code-review tools read:
// JUnit XML (one test case per property) and SARIF 2.1.0 (one result per
// counterexample, at the kernel source line its last kernel step passed).
// Deterministic, like every other output: no time, no absolute path.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/Report.hpp"

namespace ksim {

/// JUnit XML: a test suite named after the variant; per selected property
/// a test case that fails when the property is violated (the message and
/// the counterexample's steps in the failure), is skipped when the search
/// left it UNKNOWN, and passes otherwise.  An unspecified point reached is
/// no failure: its path is in the test case's output.
std::string renderJunit(const CheckRun& run);

/// SARIF 2.1.0: ksim as the tool, a rule per selected property, and a
/// result per counterexample: level error (note for an unspecified
/// point), the message and steps, and as location the kernel source line
/// (ConcreteTrace::site) relative to the source tree (uriBaseId SRCROOT),
/// with the scenario file, when written, as a related location.
nlohmann::json renderSarif(const CheckRun& run);

}  // namespace ksim
