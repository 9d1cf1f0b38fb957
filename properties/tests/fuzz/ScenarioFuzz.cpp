// The scenario parser, fuzzed: any input either is refused with a
// ScenarioError, or parses into a scenario whose printed form parses back
// into the same printed form (print and reparse agree), so that every
// scenario ksim writes is one it reads.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "model/Scenario.hpp"

namespace {

std::string printed(const model::Scenario& sc) {
  std::string text;
  for (const std::string& line : model::formatConfig(sc.config, sc.variant.value_or("rfc-2014")))
    text += line + "\n";
  for (const model::ScenarioStep& step : sc.steps)
    text += model::formatStep(step) + model::formatExpectation(step.expect) + "\n";
  return text;
}

[[noreturn]] void disagree(const std::string& first, const std::string& second, const char* why) {
  std::fprintf(stderr, "scenario fuzz: %s\n--- printed\n%s--- reprinted\n%s", why, first.c_str(),
               second.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  model::Scenario sc;
  try {
    sc = model::parseScenario(in, "fuzz.scenario");
  } catch (const model::ScenarioError&) {
    return 0;  // refused, with FILE:LINE: what a bad input should get
  }
  const std::string first = printed(sc);
  std::istringstream again(first);
  model::Scenario reparsed;
  try {
    reparsed = model::parseScenario(again, "printed.scenario");
  } catch (const model::ScenarioError& e) {
    disagree(first, e.what(), "the printed scenario does not parse");
  }
  const std::string second = printed(reparsed);
  if (second != first) disagree(first, second, "printing the reparsed scenario gives another text");
  return 0;
}
