#include "report/CiFormats.hpp"

#include <fmt/format.h>

#include "model/Format.hpp"
#include "report/Review.hpp"
#include "spec/Verdict.hpp"

namespace ksim {

namespace {

std::string xmlText(const std::string& text) { return review::markupText(text); }

// The counterexample of selected property i, or nullptr.
const properties::ConcreteTrace* traceFor(const CheckRun& run, sim::PropertyIndex i) {
  const auto* cx = run.result.counterexampleFor(i);
  if (cx == nullptr) return nullptr;
  return &run.traces[static_cast<std::size_t>(cx - run.result.counterexamples.data())];
}

std::string fileFor(const CheckRun& run, const properties::ConcreteTrace* trace) {
  if (trace == nullptr || run.files.empty()) return {};
  return run.files[static_cast<std::size_t>(trace - run.traces.data())];
}

std::string stepsText(const properties::ConcreteTrace& trace) {
  std::string text;
  for (const auto& st : trace.steps)
    text += model::formatStep(st) + model::formatExpectation(st.expect) + "\n";
  return text;
}

}  // namespace

std::string renderJunit(const CheckRun& run) {
  const std::string variant = run.variant->variant->name;
  const auto& r = run.result;
  std::size_t failures = 0, skipped = 0;
  std::string cases;
  for (sim::PropertyIndex i = 0; i < run.selected.size(); ++i) {
    const auto& info = properties::propertyInfo(run.selected[i]);
    const auto verdict = properties::propertyVerdict(info, r.verdicts[i]);
    const properties::ConcreteTrace* trace = traceFor(run, i);
    cases += fmt::format("    <testcase classname=\"ksim.{}\" name=\"{}\">\n", xmlText(variant),
                         xmlText(std::string(info.name)));
    const std::string verdictName(properties::verdictText(verdict));
    if (trace != nullptr && !info.isUnspecifiedPoint()) {
      ++failures;
      std::string body = stepsText(*trace);
      if (!trace->site.empty()) body += "kernel source: " + trace->site + "\n";
      if (const std::string file = fileFor(run, trace); !file.empty()) body += "scenario: " + file + "\n";
      cases += fmt::format(
          "      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xmlText(verdictName),
          xmlText(fmt::format("{} ({} steps): {}", info.name, trace->steps.size(), trace->message)),
          xmlText(body));
    } else if (r.verdicts[i] == sim::Verdict::Unknown) {
      ++skipped;
      cases +=
          fmt::format("      <skipped message=\"{}\"/>\n",
                      xmlText(verdictName + ": the search was cut short or cannot prove it; not a pass"));
    } else if (trace != nullptr) {
      cases += fmt::format(
          "      <system-out>{}</system-out>\n",
          xmlText(fmt::format("{} ({} steps): {}\n", verdictName, trace->steps.size(), trace->message) +
                  stepsText(*trace)));
    }
    cases += "    </testcase>\n";
  }
  std::string props;
  auto property = [&](const std::string& name, const std::string& value) {
    props += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xmlText(name), xmlText(value));
  };
  property("variant", variant);
  property("completion", std::string(sim::to_string(r.completion)));
  if (run.judgementStopped) property("progress_judgement", "interrupted");
  property("states", std::to_string(r.stats.states));
  property("transitions", std::to_string(r.stats.transitions));
  property("depth", std::to_string(r.stats.maxDepth));
  property("exit_code", std::to_string(checkExitCode(run)));
  const std::size_t tests = run.selected.size();
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"ksim check\" tests=\"{0}\" failures=\"{1}\" errors=\"0\" skipped=\"{2}\">\n"
      "  <testsuite name=\"ksim check {3}\" tests=\"{0}\" failures=\"{1}\" errors=\"0\" skipped=\"{2}\">\n"
      "    <properties>\n{4}    </properties>\n{5}  </testsuite>\n</testsuites>\n",
      tests, failures, skipped, xmlText(variant), props, cases);
}

nlohmann::json renderSarif(const CheckRun& run) {
  using nlohmann::json;
  json rules = json::array();
  for (sim::PropertyIndex i = 0; i < run.selected.size(); ++i) {
    const auto& info = properties::propertyInfo(run.selected[i]);
    rules.push_back({{"id", std::string(info.name)},
                     {"shortDescription", {{"text", std::string(info.meaning)}}},
                     {"defaultConfiguration", {{"level", info.isUnspecifiedPoint() ? "note" : "error"}}}});
  }
  json results = json::array();
  for (sim::PropertyIndex i = 0; i < run.selected.size(); ++i) {
    const properties::ConcreteTrace* trace = traceFor(run, i);
    if (trace == nullptr) continue;
    const auto& info = properties::propertyInfo(run.selected[i]);
    json result = {
        {"ruleId", std::string(info.name)},
        {"ruleIndex", i},
        {"level", info.isUnspecifiedPoint() ? "note" : "error"},
        {"message",
         {{"text", fmt::format("{} ({} steps): {}", info.name, trace->steps.size(), trace->message)}}},
        {"properties", {{"steps", json::array()}, {"variant", run.variant->variant->name}}}};
    for (const auto& st : trace->steps)
      result["properties"]["steps"].push_back(model::formatStep(st) + model::formatExpectation(st.expect));
    if (!trace->site.empty()) {
      const std::size_t colon = trace->site.rfind(':');
      result["locations"] = json::array(
          {{{"physicalLocation",
             {{"artifactLocation", {{"uri", trace->site.substr(0, colon)}, {"uriBaseId", "SRCROOT"}}},
              {"region", {{"startLine", std::stoi(trace->site.substr(colon + 1))}}}}},
            {"message",
             {{"text", fmt::format("the last kernel source line step {} passed", trace->siteStep)}}}}});
    }
    if (const std::string file = fileFor(run, trace); !file.empty())
      result["relatedLocations"] = json::array(
          {{{"id", 0},
            {"physicalLocation", {{"artifactLocation", {{"uri", file}, {"uriBaseId", "OUTDIR"}}}}},
            {"message", {{"text", "the counterexample as a scenario (ksim replay FILE)"}}}}});
    results.push_back(result);
  }
  json run0 = {{"tool",
                {{"driver",
                  {{"name", "ksim"},
                   {"version", "0.1.0"},
                   {"fullName", "ksim, a deterministic model checker of kernel semantics"},
                   {"rules", rules}}}}},
               {"originalUriBaseIds",
                {{"SRCROOT", {{"description", {{"text", "the ksim source tree"}}}}},
                 {"OUTDIR", {{"description", {{"text", "the folder given to ksim check --out"}}}}}}},
               {"properties",
                {{"completion", std::string(sim::to_string(run.result.completion))},
                 {"states", run.result.stats.states}}},
               {"results", results}};
  if (run.judgementStopped) run0["properties"]["progress_judgement"] = "interrupted";
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({run0})}};
}

}  // namespace ksim
