#include "report/Review.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

namespace ksim::review {

namespace {

// ---------------------------------------------------------------- text

const std::string kEllipsis = "\xE2\x80\xA6";  // U+2026

/// Width of UTF-8 text in characters (code points): every size in the
/// SVGs is a whole number of pixels per character, never a measured font.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// The first n characters of s.
std::string_view prefix(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == 0) break;
      --n;
    }
  return s.substr(0, i);
}

/// s in at most n characters, ending in an ellipsis if it was cut.
std::string shorten(std::string_view s, std::size_t n) {
  if (width(s) <= n) return std::string(s);
  if (n == 0) return "";
  return std::string(prefix(s, n - 1)) + kEllipsis;
}

/// Text for HTML and XML, in content and in quoted attribute values.
/// Control characters that XML 1.0 forbids become spaces.
std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

/// Percent-encodes all but unreserved characters (and '/' in paths).
std::string urlEncode(std::string_view s, bool keepSlash) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
                 u == '.' || u == '_' || u == '~' || (keepSlash && u == '/');
    if (plain)
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

std::string fileHref(const Review& r, const std::string& path) {
  return urlEncode(r.linkPrefix + path, true);
}
std::string anchorHref(const std::string& id) { return "#" + urlEncode(id, false); }

std::string groupDigits(std::uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool isAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/// Plain text as inline Markdown: characters that would start markup are
/// backslash-escaped (GFM allows it before any ASCII punctuation), newlines
/// become spaces.
std::string mdText(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char prev = i > 0 ? s[i - 1] : ' ', next = i + 1 < s.size() ? s[i + 1] : ' ';
    bool escape = false;
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
        escape = true;
        break;
      case '_':  // intraword underscores (P2_NOTRACE) are never emphasis
        escape = !(isAlnum(prev) && isAlnum(next));
        break;
      case '&':  // only where it could start an entity
        escape = isAlnum(next) || next == '#';
        break;
      case '#':
      case '+':
      case '-':
      case '=':  // headings, lists, setext underlines
        escape = i == 0;
        break;
      case '.':
      case ')': {  // "1." at the start is an ordered list
        std::size_t k = 0;
        while (k < i && s[k] >= '0' && s[k] <= '9') ++k;
        escape = k == i && i > 0;
        break;
      }
      case '\n':
      case '\r':
        out += ' ';
        continue;
      default:
        break;
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

/// A Markdown code span holding s verbatim; in a table cell its '|' are
/// escaped, which GFM requires even inside code.
std::string mdCode(std::string_view s, bool inTable) {
  std::string body;
  for (char c : s) {
    if (c == '\n' || c == '\r')
      body += ' ';
    else if (c == '|' && inTable)
      body += "\\|";
    else
      body += c;
  }
  if (body.empty()) return "";
  std::size_t run = 0, longest = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = body.front() == '`' || body.back() == '`' ||
             (body.front() == ' ' && body.back() == ' ' && body.find_first_not_of(' ') != std::string::npos);
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string mdLink(const std::string& text, const std::string& href) {
  return "[" + text + "](" + href + ")";
}

// ---------------------------------------------------------------- kinds

/// What a step's result was, for its colour.
enum class Tone { Ok, Error, Panic, Other };

Tone toneOf(std::string_view result) {
  std::size_t i = 0;
  while (i < result.size() && (result[i] == '=' || result[i] == ' ')) ++i;
  std::string_view r = result.substr(i);
  if (lower(r).find("panic") != std::string::npos) return Tone::Panic;
  if (r.size() > 1 && r[0] == 'E' && std::all_of(r.begin(), r.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      }))
    return Tone::Error;
  if (!r.empty() && ((r[0] >= '0' && r[0] <= '9') || (r[0] == '-' && r.size() > 1))) return Tone::Ok;
  return Tone::Other;
}

const char* toneName(Tone t) {
  switch (t) {
    case Tone::Ok:
      return "ok";
    case Tone::Error:
      return "error";
    case Tone::Panic:
      return "panic";
    case Tone::Other:
      break;
  }
  return "other";
}

const char* toneColour(Tone t) {
  switch (t) {
    case Tone::Ok:
      return "#1a7f37";
    case Tone::Error:
      return "#cf222e";
    case Tone::Panic:
      return "#82071e";
    case Tone::Other:
      break;
  }
  return "#9a6700";
}

enum class VerdictKind { Holds, Violated, Reached, Bounded, NotChecked, Other };

VerdictKind verdictKind(std::string_view text) {
  std::string t = lower(text);
  if (t.find("violated") != std::string::npos) return VerdictKind::Violated;
  if (t.empty() || t.find("not checked") != std::string::npos) return VerdictKind::NotChecked;
  if (t.find("within bounds") != std::string::npos || t.find("bounded") != std::string::npos ||
      t.find("unknown") != std::string::npos)
    return VerdictKind::Bounded;
  if (t.rfind("holds", 0) == 0 || t.rfind("unreached", 0) == 0) return VerdictKind::Holds;
  if (t.find("reached") != std::string::npos) return VerdictKind::Reached;
  return VerdictKind::Other;
}

const char* verdictClass(VerdictKind k) {
  switch (k) {
    case VerdictKind::Holds:
      return "v-holds";
    case VerdictKind::Violated:
      return "v-violated";
    case VerdictKind::Reached:
      return "v-reached";
    case VerdictKind::Bounded:
      return "v-bounded";
    case VerdictKind::NotChecked:
      return "v-none";
    case VerdictKind::Other:
      break;
  }
  return "v-other";
}

// ---------------------------------------------------------------- shared structure

/// What both forms need beyond the Review itself: counterexample numbers
/// by id, and which counterexamples are paths to a REACHED point rather
/// than violations.
struct Index {
  std::map<std::string, std::size_t> number;  // id -> 1-based
  std::map<std::string, bool> reached;

  explicit Index(const Review& r) {
    for (std::size_t i = 0; i < r.counterexamples.size(); ++i) number.emplace(r.counterexamples[i].id, i + 1);
    for (const auto& row : r.matrix)
      for (const Verdict& v : row)
        if (!v.counterexampleId.empty() && verdictKind(v.text) == VerdictKind::Reached)
          reached[v.counterexampleId] = true;
  }
  bool has(const std::string& id) const { return !id.empty() && number.count(id) != 0; }
  std::string lastStepWord(const std::string& id) const {
    return reached.count(id) != 0 ? "reaches" : "violates";
  }
};

/// The pairs of variants compared by diffs and property changes, in order
/// of first appearance.
std::vector<std::pair<std::string, std::string>> comparedPairs(const Review& r) {
  std::vector<std::pair<std::string, std::string>> pairs;
  auto add = [&](const std::string& a, const std::string& b) {
    if (std::find(pairs.begin(), pairs.end(), std::make_pair(a, b)) == pairs.end()) pairs.emplace_back(a, b);
  };
  for (const DiffRow& d : r.diffs) add(d.variantA, d.variantB);
  for (const PropertyChange& c : r.propertyChanges) add(c.variantA, c.variantB);
  return pairs;
}

std::string description(const Review& r, std::size_t p) {
  return p < r.propertyDescriptions.size() ? r.propertyDescriptions[p] : "";
}

// ---------------------------------------------------------------- Markdown

void mdStateSpace(const Review& r, std::string& out) {
  out += "## State space\n\n";
  out += "| variant | what it is | search | states | transitions | depth | world |\n";
  out += "| --- | --- | --- | ---: | ---: | ---: | --- |\n";
  for (const VariantSummary& v : r.variants)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", mdCode(v.name, true), mdText(v.description),
                       mdText(v.completion), groupDigits(v.states), groupDigits(v.transitions), v.depth,
                       mdText(v.worldLine));
  out += "\n";
}

// A variant x property table of verdict cells (matrix[property][variant]).
void mdVerdictTable(const Review& r, const std::vector<std::vector<Verdict>>& matrix, const Index& index,
                    std::string& out) {
  out += "| property |";
  for (const VariantSummary& v : r.variants) out += " " + mdCode(v.name, true) + " |";
  out += "\n| --- |";
  for (std::size_t v = 0; v < r.variants.size(); ++v) out += " --- |";
  out += "\n";
  for (std::size_t p = 0; p < r.properties.size(); ++p) {
    out += "| " + mdCode(r.properties[p], true) + " |";
    for (std::size_t v = 0; v < r.variants.size(); ++v) {
      const Verdict* c = p < matrix.size() && v < matrix[p].size() ? &matrix[p][v] : nullptr;
      std::string text = c == nullptr || c->text.empty() ? "" : mdText(c->text);
      if (c != nullptr && index.has(c->counterexampleId))
        text = mdLink(text, anchorHref(c->counterexampleId));
      out += " " + text + " |";
    }
    out += "\n";
  }
  out += "\n";
}

void mdMatrix(const Review& r, const Index& index, std::string& out) {
  out += "## Verdicts\n\n";
  mdVerdictTable(r, r.matrix, index, out);
  bool any = false;
  for (std::size_t p = 0; p < r.properties.size(); ++p)
    if (!description(r, p).empty()) {
      if (!any) out += "The properties:\n\n";
      any = true;
      out += "- " + mdCode(r.properties[p], false) + ": " + mdText(description(r, p)) + "\n";
    }
  if (any) out += "\n";
}

void mdProductionMatrix(const Review& r, const Index& index, std::string& out) {
  out += "## Verdicts on a production kernel\n\n";
  if (!r.productionLine.empty()) out += mdText(r.productionLine) + "\n\n";
  mdVerdictTable(r, r.productionMatrix, index, out);
  bool any = false;
  for (std::size_t p = 0; p < r.properties.size() && p < r.propertyTruths.size(); ++p)
    if (!r.propertyTruths[p].empty()) {
      if (!any) out += "What each property takes as the truth once the kernel's own invariant is broken:\n\n";
      any = true;
      out += "- " + mdCode(r.properties[p], false) + ": " + mdText(r.propertyTruths[p]) + "\n";
    }
  if (any) out += "\n";
}

void mdDifferences(const Review& r, const Index& index, std::string& out) {
  out += "## Differences between variants\n\n";
  for (const auto& [a, b] : comparedPairs(r)) {
    out += fmt::format("### {} and {}\n\n", mdCode(a, false), mdCode(b, false));
    bool calls = false;
    for (const DiffRow& d : r.diffs) {
      if (d.variantA != a || d.variantB != b) continue;
      if (!calls) {
        out += "Calls whose result differs in the same state:\n\n";
        out += fmt::format("| call | {} | {} | state reached by |\n| --- | --- | --- | --- |\n",
                           mdCode(a, true), mdCode(b, true));
        calls = true;
      }
      std::string by;
      if (!d.scenarioFile.empty()) by = mdLink(mdCode(d.scenarioFile, true), fileHref(r, d.scenarioFile));
      if (index.has(d.counterexampleId))
        by += (by.empty() ? "" : ", ") +
              mdLink(fmt::format("counterexample {}", index.number.at(d.counterexampleId)),
                     anchorHref(d.counterexampleId));
      out += fmt::format("| {} | {} | {} | {} |\n", mdCode(d.call, true), mdCode(d.resultA, true),
                         mdCode(d.resultB, true), by);
    }
    if (calls) out += "\n";
    bool verdicts = false;
    for (const PropertyChange& c : r.propertyChanges) {
      if (c.variantA != a || c.variantB != b) continue;
      if (!verdicts) {
        out += "What the second fixes and what it breaks (verdicts of the two designs' complete checks):\n\n";
        out += fmt::format("| property | {} | {} |\n| --- | --- | --- |\n", mdCode(a, true), mdCode(b, true));
        verdicts = true;
      }
      out +=
          fmt::format("| {} | {} | {} |\n", mdCode(c.property, true), mdText(c.verdictA), mdText(c.verdictB));
    }
    if (verdicts) out += "\n";
  }
}

void mdAblations(const Review& r, const Index& index, std::string& out) {
  out += "## Ablations\n\nEach guard taken out of its variant, one at a time:\n\n";
  out += "| variant | guard | where | code | without it |\n| --- | --- | --- | --- | --- |\n";
  for (const AblationRow& a : r.ablations) {
    std::string outcome = mdText(a.outcome);
    if (index.has(a.counterexampleId)) outcome = mdLink(outcome, anchorHref(a.counterexampleId));
    out += fmt::format("| {} | {} | {} | {} | {} |\n", mdCode(a.variant, true), mdText(a.guard),
                       mdText(a.location), mdCode(a.code, true), outcome);
  }
  out += "\n";
}

void mdCauses(const Review& r, std::string& out) {
  out += "## Causes\n\n";
  out += "Every cause of every violated property, per design, with the length of its shortest "
         "counterexample (README: Causes).\n\n";
  std::string variant;
  for (const CauseRow& c : r.causes) {
    if (c.variant != variant) {
      out += (variant.empty() ? "" : "\n") + fmt::format("### {}\n\n", mdCode(c.variant, false));
      out += "| property | cause | steps |\n| --- | --- | ---: |\n";
      variant = c.variant;
    }
    out += fmt::format("| {} | {} | {} |\n", mdCode(c.property, true), mdText(c.cause),
                       mdLink(std::to_string(c.length), fileHref(r, c.scenarioFile)));
  }
  out += "\n";
}

void mdPatch(const Review& r, std::string& out) {
  out += "## The whole patch\n\n" + mdText(r.patchLine) + "\n\n";
  if (r.patchFindings.empty()) out += "No finding.\n\n";
  for (std::size_t i = 0; i < r.patchFindings.size(); ++i) {
    const PatchFinding& f = r.patchFindings[i];
    out += fmt::format("{}. {}: {}\n", i + 1, mdText(f.part), mdText(f.subject));
    for (const std::string& e : f.evidence) out += "   - " + mdCode(e, false) + "\n";
  }
  if (!r.patchFindings.empty()) out += "\n";
  if (!r.patchFile.empty())
    out += "The whole check: " + mdLink(mdCode(r.patchFile, false), fileHref(r, r.patchFile)) + "\n\n";
}

void mdCounterexample(const Review& r, const Index& index, const Counterexample& cx, std::size_t n,
                      std::string& out) {
  out += fmt::format("<a id=\"{}\"></a>\n\n", esc(cx.id));
  out += fmt::format("### {}. {} in {}\n\n", n, mdCode(cx.property, false), mdCode(cx.variant, false));
  if (!cx.message.empty()) out += mdText(cx.message) + "\n\n";
  if (!cx.designNote.empty()) out += "*" + mdText(cx.designNote) + "*\n\n";
  if (!cx.processes.empty()) {
    out += "Processes:";
    for (std::size_t i = 0; i < cx.processes.size(); ++i)
      out += (i == 0 ? " " : ", ") + mdCode(cx.processes[i], false);
    out += "\n\n";
  }
  for (std::size_t i = 0; i < cx.steps.size(); ++i) {
    const Step& s = cx.steps[i];
    std::string marker = fmt::format("{}. ", i + 1);
    std::string line = marker + mdCode(s.actor, false) + ": " + mdCode(s.call, false);
    if (!s.result.empty()) line += " → " + mdCode(s.result, false);
    if (!s.child.empty()) line += " (new process " + mdCode(s.child, false) + ")";
    if (i + 1 == cx.steps.size())
      line += " — **" + index.lastStepWord(cx.id) + "** " + mdCode(cx.property, false);
    out += line + "\n";
    std::string indent(marker.size(), ' ');
    for (const std::string& c : s.changes) out += indent + "- " + mdCode(c, false) + "\n";
  }
  if (!cx.steps.empty()) out += "\n";
  std::string files;
  if (!cx.scenarioFile.empty())
    files += "Scenario: " + mdLink(mdCode(cx.scenarioFile, false), fileHref(r, cx.scenarioFile));
  if (!cx.reproducerFile.empty())
    files += std::string(files.empty() ? "" : " · ") +
             "Reproducer: " + mdLink(mdCode(cx.reproducerFile, false), fileHref(r, cx.reproducerFile));
  if (!files.empty()) out += files + "\n\n";
}

// ---------------------------------------------------------------- SVG

// Sizes, in pixels.  Labels are 12px monospace (about 7.2px a character),
// counted at 8; headers 13px bold monospace, counted at 9; small text
// (changes, the verdict) 11px, counted at 7.
constexpr int kCharW = 8;
constexpr int kHeaderCharW = 9;
constexpr int kSmallCharW = 7;
constexpr int kLineH = 15;
constexpr int kSmallLineH = 14;
constexpr int kHeaderH = 28;
constexpr int kLeft = 34;  // the column of step numbers
constexpr int kTop = 10;
constexpr int kMinGap = 150;
constexpr int kMaxGap = 400;
constexpr int kLoopW = 26;              // a call on the actor itself
constexpr int kSelfText = kLoopW + 10;  // its label, right of the lane
constexpr std::size_t kMaxLabelLines = 3;
constexpr std::size_t kMaxNameChars = 24;
constexpr std::size_t kMaxChangeChars = 90;
constexpr std::size_t kMinVerdictChars = 60;  // the verdict line wraps at 60 to 110
constexpr std::size_t kMaxVerdictChars = 110;
constexpr const char* kFont = "DejaVu Sans Mono, Menlo, Consolas, monospace";

int smallWidth(std::size_t chars) { return static_cast<int>(chars) * kSmallCharW; }

/// Greedy word wrap into lines of at most maxChars characters and at most
/// maxLines lines; the last line ends in an ellipsis if text was left over.
std::vector<std::string> wrap(std::string_view text, std::size_t maxChars, std::size_t maxLines) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) words.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::string> lines;
  bool cut = false;
  for (const std::string& word : words) {
    if (!lines.empty() && width(lines.back()) + 1 + width(word) <= maxChars) {
      lines.back() += " " + word;
    } else if (lines.size() < maxLines) {
      lines.push_back(word);
    } else {
      cut = true;
      break;
    }
  }
  for (std::string& line : lines) line = shorten(line, maxChars);  // a word longer than a line
  if (cut) {
    std::string& last = lines.back();
    if (width(last) + 2 <= maxChars)
      last += " " + kEllipsis;
    else
      last = std::string(prefix(last, maxChars - 1)) + kEllipsis;
  }
  return lines;
}

/// One line of a step's label: text, then the result in its colour.
struct LabelLine {
  std::string text, result;
};

enum class StepKind { Self, Arrow, Fork };

struct StepLayout {
  StepKind kind = StepKind::Self;
  std::size_t from = 0, to = 0;  // lanes
  std::vector<LabelLine> label;
  std::vector<std::string> changes;
  int top = 0, arrowY = 0, bottom = 0;
  int labelX = 0;  // anchor of the label (middle for arrows, start for self calls)
  int changesX = 0, changesY = 0;
  int x1 = 0, x2 = 0;  // the arrow, from the actor's lane to its head
  Tone tone = Tone::Other;
};

struct LaneLayout {
  std::string name;
  int x = 0, headerW = 0, headerY = kTop;
};

std::string textAttrs(const char* halo) {
  return fmt::format(R"(paint-order="stroke" stroke="{}" stroke-width="3" stroke-linejoin="round")", halo);
}

std::string sequenceSvg(const Counterexample& cx, bool standalone) {
  // Lanes: the listed processes, then any other a step names.
  std::vector<LaneLayout> lanes;
  auto laneOf = [&](const std::string& name) -> std::size_t {
    for (std::size_t i = 0; i < lanes.size(); ++i)
      if (lanes[i].name == name) return i;
    lanes.push_back(LaneLayout{name});
    return lanes.size() - 1;
  };
  for (const std::string& p : cx.processes) laneOf(p);
  std::vector<StepLayout> steps(cx.steps.size());
  std::vector<int> bornAt;  // per lane, the step that forked it, or -1
  for (std::size_t i = 0; i < cx.steps.size(); ++i) {
    const Step& s = cx.steps[i];
    StepLayout& l = steps[i];
    l.from = laneOf(s.actor);
    l.tone = toneOf(s.result);
    if (!s.child.empty()) {
      l.kind = StepKind::Fork;
      l.to = laneOf(s.child);
    } else if (!s.target.empty() && laneOf(s.target) != l.from) {
      l.kind = StepKind::Arrow;
      l.to = laneOf(s.target);
    } else {
      l.to = l.from;
    }
    if (l.to == l.from) l.kind = StepKind::Self;
  }
  bornAt.assign(lanes.size(), -1);
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].kind == StepKind::Fork && bornAt[steps[i].to] < 0) bornAt[steps[i].to] = static_cast<int>(i);

  int maxHeaderW = 56;
  for (LaneLayout& lane : lanes) {
    lane.headerW =
        std::max(56, static_cast<int>(width(shorten(lane.name, kMaxNameChars))) * kHeaderCharW + 20);
    maxHeaderW = std::max(maxHeaderW, lane.headerW);
  }

  // The gap between lanes: room for each label on one line, within bounds.
  auto labelChars = [](const Step& s) {
    return width(s.call) + (s.result.empty() ? 0 : 1 + width(s.result));
  };
  int gap = std::max(kMinGap, maxHeaderW + 24);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const StepLayout& l = steps[i];
    int need = static_cast<int>(labelChars(cx.steps[i])) * kCharW;
    if (l.kind == StepKind::Self) {
      if (l.from + 1 < lanes.size()) gap = std::max(gap, std::min(kMaxGap, kSelfText + need + 12));
    } else {
      int span = static_cast<int>(l.from > l.to ? l.from - l.to : l.to - l.from);
      if (l.kind == StepKind::Fork) need += lanes[l.to].headerW / 2;
      gap = std::max(gap, std::min(kMaxGap, (need + 24 + span - 1) / span));
    }
  }
  for (std::size_t k = 0; k < lanes.size(); ++k)
    lanes[k].x = kLeft + 8 + maxHeaderW / 2 + static_cast<int>(k) * gap;

  // Rows, top to bottom.
  int y = kTop + kHeaderH + 14;
  int right = lanes.empty() ? kLeft + 100 : lanes.back().x + maxHeaderW / 2 + 12;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = cx.steps[i];
    StepLayout& l = steps[i];
    const LaneLayout& from = lanes[l.from];
    const LaneLayout& to = lanes[l.to];
    int span = static_cast<int>(l.from > l.to ? l.from - l.to : l.to - l.from);
    int avail = 0;
    if (l.kind == StepKind::Self)
      avail = (l.from + 1 < lanes.size() ? gap : kMaxGap) - kSelfText - 12;
    else
      avail = span * gap - 24 - (l.kind == StepKind::Fork ? to.headerW / 2 : 0);
    auto maxChars = static_cast<std::size_t>(std::max(8, avail / kCharW));

    for (const std::string& line : wrap(s.call, maxChars, kMaxLabelLines)) l.label.push_back({line, ""});
    if (!s.result.empty()) {
      std::string result = shorten(s.result, maxChars);
      if (!l.label.empty() && width(l.label.back().text) + 1 + width(result) <= maxChars)
        l.label.back().result = result;
      else
        l.label.push_back({"", result});
    }
    if (l.label.empty()) l.label.push_back({"", ""});
    for (const std::string& c : s.changes) l.changes.push_back(shorten(c, kMaxChangeChars));

    int labelH = static_cast<int>(l.label.size()) * kLineH;
    l.top = y;
    if (l.kind == StepKind::Self) {
      l.labelX = from.x + kSelfText;
      l.arrowY = y + std::max(labelH, kLineH) + 2;
      l.changesX = l.labelX;
      l.changesY = l.arrowY + 14;
      std::size_t widest = 0;
      for (const LabelLine& line : l.label)
        widest = std::max(widest, width(line.text) + (line.result.empty() ? 0 : 1 + width(line.result)));
      right = std::max(right, l.labelX + static_cast<int>(widest) * kCharW + 12);
    } else {
      int dir = to.x > from.x ? 1 : -1;
      l.arrowY = y + labelH + 6;
      l.x1 = from.x;
      l.x2 = l.kind == StepKind::Fork ? to.x - dir * to.headerW / 2 : to.x - dir * 2;
      l.labelX = (l.x1 + l.x2) / 2;
      l.changesX = std::min(from.x, to.x) + 10;
      l.changesY = l.kind == StepKind::Fork ? l.arrowY + kHeaderH / 2 + 14 : l.arrowY + 16;
      if (l.kind == StepKind::Fork && bornAt[l.to] == static_cast<int>(i))
        lanes[l.to].headerY = l.arrowY - kHeaderH / 2;
    }
    l.bottom = l.changes.empty() ? (l.kind == StepKind::Fork ? l.arrowY + kHeaderH / 2 + 4 : l.arrowY + 8)
                                 : l.changesY + static_cast<int>(l.changes.size() - 1) * kSmallLineH + 5;
    for (const std::string& c : l.changes) right = std::max(right, l.changesX + smallWidth(width(c)) + 12);
    y = l.bottom + 14;
  }

  // The property and the message under the last step.
  std::vector<std::string> verdictLines;
  int verdictY = 0;
  if (!steps.empty()) {
    StepLayout& last = steps.back();
    int x = kLeft + 4;
    auto chars = std::clamp(static_cast<std::size_t>(std::max(0, right - x - 12) / kSmallCharW),
                            kMinVerdictChars, kMaxVerdictChars);
    verdictLines = wrap(cx.property + (cx.message.empty() ? "" : ": " + cx.message), chars, 3);
    for (const std::string& line : verdictLines) right = std::max(right, x + smallWidth(width(line)) + 12);
    verdictY = last.bottom + 15;
    last.bottom = verdictY + static_cast<int>(verdictLines.size() - 1) * kSmallLineH + 6;
    y = last.bottom + 14;
  }
  int w = right + 4;
  int h = y + 6;

  std::string out;
  out += fmt::format(R"(<svg {}class="sequence" width="{}" height="{}" viewBox="0 0 {} {}" role="img">)",
                     standalone ? R"(xmlns="http://www.w3.org/2000/svg" )" : "", w, h, w, h);
  out += "\n";
  out += fmt::format("<title>{}</title>\n",
                     esc("Sequence diagram: " + cx.property + " in " + cx.variant + ", " +
                         std::to_string(cx.steps.size()) + (cx.steps.size() == 1 ? " step" : " steps")));
  out += fmt::format(R"(<g font-family="{}" font-size="12" fill="#1f2328">)", kFont);
  out += "\n";
  out += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)", w, h);
  out += "\n";

  // The last step, highlighted behind everything else.
  if (!steps.empty()) {
    const StepLayout& last = steps.back();
    out += fmt::format(
        R"(<rect class="violation" x="4" y="{}" width="{}" height="{}" rx="6" fill="#fff1f0" stroke="#cf222e" stroke-width="1.5"/>)",
        last.top - 6, w - 8, last.bottom - last.top + 10);
    out += "\n";
  }

  // Lanes: header box and lifeline.
  for (std::size_t k = 0; k < lanes.size(); ++k) {
    const LaneLayout& lane = lanes[k];
    bool born = bornAt[k] >= 0;
    out += fmt::format(R"(<g class="lane" data-process="{}">)", esc(lane.name));
    out += fmt::format("<title>{}</title>", esc(lane.name));
    out += fmt::format(
        R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8c959f" stroke-width="1" stroke-dasharray="4 4"/>)",
        lane.x, lane.headerY + kHeaderH, lane.x, h - 8);
    out += fmt::format(
        R"(<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}" stroke-width="1.2"/>)",
        lane.x - lane.headerW / 2, lane.headerY, lane.headerW, kHeaderH, born ? "#fff8c5" : "#eaeef2",
        born ? "#9a6700" : "#57606a");
    out +=
        fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="13" font-weight="bold">{}</text>)",
                    lane.x, lane.headerY + 18, esc(shorten(lane.name, kMaxNameChars)));
    out += "</g>\n";
  }

  // Steps.
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = cx.steps[i];
    const StepLayout& l = steps[i];
    bool isLast = i + 1 == steps.size();
    const char* halo = isLast ? "#fff1f0" : "#ffffff";
    const char* colour = toneColour(l.tone);
    std::string full =
        fmt::format("{}. {} {}{}", i + 1, s.actor, s.call, s.result.empty() ? "" : " " + s.result);
    for (const std::string& c : s.changes) full += "\n  " + c;
    out += fmt::format(R"(<g class="step tone-{}">)", toneName(l.tone));
    out += fmt::format("<title>{}</title>", esc(full));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" fill="#6e7781">{}</text>)", kLeft / 2 + 2,
                       l.arrowY + 4, i + 1);
    double strokeW = l.tone == Tone::Panic ? 2.5 : 1.6;
    const char* dash = l.tone == Tone::Error ? R"( stroke-dasharray="6 3")" : "";
    if (l.kind == StepKind::Self) {
      int x = lanes[l.from].x;
      int y0 = l.top + 3;
      out += fmt::format(R"(<path d="M{} {}H{}V{}H{}" fill="none" stroke="{}" stroke-width="{}"{}/>)", x, y0,
                         x + kLoopW, l.arrowY, x + 9, colour, strokeW, dash);
      out += fmt::format(R"(<polygon points="{},{} {},{} {},{}" fill="{}"/>)", x + 1, l.arrowY, x + 10,
                         l.arrowY - 5, x + 10, l.arrowY + 5, colour);
    } else {
      int dir = l.x2 > l.x1 ? 1 : -1;
      out += fmt::format(R"(<circle cx="{}" cy="{}" r="3" fill="{}"/>)", l.x1, l.arrowY, colour);
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>)", l.x1,
                         l.arrowY, l.x2 - dir * 8, l.arrowY, colour, strokeW, dash);
      out += fmt::format(R"(<polygon points="{},{} {},{} {},{}" fill="{}"/>)", l.x2, l.arrowY,
                         l.x2 - dir * 10, l.arrowY - 5, l.x2 - dir * 10, l.arrowY + 5, colour);
    }
    const char* anchor = l.kind == StepKind::Self ? "start" : "middle";
    for (std::size_t k = 0; k < l.label.size(); ++k) {
      const LabelLine& line = l.label[k];
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="{}" {}>)", l.labelX,
                         l.top + 12 + static_cast<int>(k) * kLineH, anchor, textAttrs(halo));
      out += esc(line.text);
      if (!line.result.empty())
        out += fmt::format(R"({}<tspan fill="{}" font-weight="bold">{}</tspan>)",
                           line.text.empty() ? "" : " ", colour, esc(line.result));
      out += "</text>";
    }
    for (std::size_t k = 0; k < l.changes.size(); ++k)
      out += fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#57606a" {}>{}</text>)", l.changesX,
                         l.changesY + static_cast<int>(k) * kSmallLineH, textAttrs(halo), esc(l.changes[k]));
    if (isLast)
      for (std::size_t k = 0; k < verdictLines.size(); ++k)
        out += fmt::format(
            R"(<text class="verdict" x="{}" y="{}" font-size="11" font-weight="bold" fill="#a40e26" {}>{}</text>)",
            kLeft + 4, verdictY + static_cast<int>(k) * kSmallLineH, textAttrs(halo), esc(verdictLines[k]));
    out += "</g>\n";
  }
  out += "</g>\n</svg>";
  return out;
}

/// A horizontal bar chart of the states each variant explored.
std::string statesChart(const Review& r) {
  constexpr int kBarMax = 360, kRowH = 26, kBarH = 16;
  std::size_t nameChars = 4, valueChars = 4;
  std::uint64_t maxStates = 0;
  std::vector<std::string> values;
  for (const VariantSummary& v : r.variants) {
    nameChars = std::max(nameChars, width(shorten(v.name, 28)));
    bool complete = lower(v.completion).rfind("complete", 0) == 0;
    values.push_back(groupDigits(v.states) +
                     (complete || v.completion.empty() ? "" : " (" + v.completion + ")"));
    valueChars = std::max(valueChars, width(values.back()));
    maxStates = std::max(maxStates, v.states);
  }
  int labelW = static_cast<int>(nameChars) * kCharW + 16;
  int w = 10 + labelW + kBarMax + 10 + static_cast<int>(valueChars) * kCharW + 10;
  int h = 8 + static_cast<int>(r.variants.size()) * kRowH + 8;
  std::string out = fmt::format(
      R"(<svg class="chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img"><title>States explored per variant</title>)",
      w, h, w, h);
  out += "\n";
  out += fmt::format(R"(<g font-family="{}" font-size="12" fill="#1f2328">)", kFont);
  out += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)", w, h);
  out += fmt::format(R"(<line x1="{}" y1="4" x2="{}" y2="{}" stroke="#8c959f"/>)", 10 + labelW, 10 + labelW,
                     h - 4);
  out += "\n";
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    const VariantSummary& v = r.variants[i];
    bool complete = lower(v.completion).rfind("complete", 0) == 0;
    std::uint64_t bar = 0;
    if (maxStates > 0) {
      bar = maxStates <= std::numeric_limits<std::uint64_t>::max() / kBarMax
                ? v.states * kBarMax / maxStates
                : v.states / (maxStates / kBarMax);
      if (v.states > 0) bar = std::max<std::uint64_t>(bar, 2);
    }
    int top = 8 + static_cast<int>(i) * kRowH;
    out += fmt::format(
        R"(<g class="bar"><title>{}</title>)",
        esc(fmt::format("{}: {} states, {} transitions, depth {}, {}", v.name, groupDigits(v.states),
                        groupDigits(v.transitions), v.depth, v.completion)));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", 10 + labelW - 8, top + 13,
                       esc(shorten(v.name, 28)));
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", 10 + labelW, top + 1, bar,
                       kBarH, complete ? "#0969da" : "#bf8700");
    out += fmt::format(R"(<text x="{}" y="{}" fill="#57606a">{}</text>)",
                       10 + labelW + static_cast<int>(bar) + 6, top + 13, esc(values[i]));
    out += "</g>\n";
  }
  out += "</g>\n</svg>";
  return out;
}

// ---------------------------------------------------------------- HTML

constexpr const char* kCss = R"(:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 56px; background: #ffffff; }
h1 { font-size: 1.7em; margin: 0 0 .2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; margin: 2em 0 .6em; }
h3 { font-size: 1.08em; margin: 1.8em 0 .4em; }
a { color: #0969da; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em;
  background: #f3f4f6; padding: .08em .3em; border-radius: 4px; }
.bounds { color: #57606a; margin-top: 0; }
nav ol { margin: .4em 0; padding-left: 1.4em; columns: 2; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .92em; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.matrix td.v { text-align: center; white-space: nowrap; }
.matrix td.v a { color: inherit; }
.desc { display: block; color: #57606a; font-size: .88em; }
.v-holds { background: #dafbe1; color: #116329; }
.v-violated { background: #ffebe9; color: #a40e26; font-weight: 600; }
.v-reached { background: #fff8c5; color: #7d4e00; }
.v-bounded { background: #ddf4ff; color: #0a3069; }
.v-none { background: #f6f8fa; color: #6e7781; }
.legend span { display: inline-block; padding: 0 8px; border-radius: 10px; margin-right: 6px; font-size: .88em; }
.r-ok { color: #1a7f37; }
.r-error { color: #cf222e; }
.r-panic { color: #82071e; font-weight: 700; }
.r-other { color: #9a6700; }
.result { font-weight: 600; }
figure { margin: .6em 0 1em; }
figcaption { color: #57606a; font-size: .88em; }
.diagram { overflow-x: auto; margin: .6em 0; border: 1px solid #d0d7de; border-radius: 6px; }
svg { display: block; }
.cx { border-top: 1px solid #eaeef2; }
.message { border-left: 4px solid #cf222e; background: #fff5f5; padding: .3em .8em; margin: .5em 0; }
.steps li { margin: .15em 0; }
.steps li.last { background: #fff1f0; }
.changes { margin: .1em 0; padding-left: 1.2em; color: #57606a; font-size: .92em; }
.files { font-size: .92em; }
)";

std::string htmlResult(const std::string& result) {
  if (result.empty()) return "";
  return fmt::format(R"(<code class="result r-{}">{}</code>)", toneName(toneOf(result)), esc(result));
}

std::string htmlCode(const std::string& s) { return "<code>" + esc(s) + "</code>"; }

std::string htmlLink(const std::string& inner, const std::string& href) {
  return "<a href=\"" + esc(href) + "\">" + inner + "</a>";
}

void htmlStateSpace(const Review& r, std::string& out) {
  out += "<section id=\"sec-state-space\">\n<h2>State space</h2>\n<table>\n";
  out +=
      "<tr><th>variant</th><th>what it is</th><th>search</th><th>states</th><th>transitions</th>"
      "<th>depth</th><th>world</th></tr>\n";
  for (const VariantSummary& v : r.variants)
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>\n",
        htmlCode(v.name), esc(v.description), esc(v.completion), groupDigits(v.states),
        groupDigits(v.transitions), v.depth, esc(v.worldLine));
  out += "</table>\n<figure>\n" + statesChart(r) + "\n<figcaption>States explored per variant";
  out += " (blue: complete search, amber: cut short by a bound)</figcaption>\n</figure>\n</section>\n";
}

// A variant x property table of verdict cells; descriptions[p] under each property's name.
void htmlVerdictTable(const Review& r, const std::vector<std::vector<Verdict>>& matrix,
                      const std::vector<std::string>& descriptions, const Index& index, std::string& out) {
  out += "<table class=\"matrix\">\n<tr><th>property</th>";
  for (const VariantSummary& v : r.variants) out += "<th>" + htmlCode(v.name) + "</th>";
  out += "</tr>\n";
  for (std::size_t p = 0; p < r.properties.size(); ++p) {
    out += "<tr><td>" + htmlCode(r.properties[p]);
    if (p < descriptions.size() && !descriptions[p].empty())
      out += "<span class=\"desc\">" + esc(descriptions[p]) + "</span>";
    out += "</td>";
    for (std::size_t v = 0; v < r.variants.size(); ++v) {
      const Verdict* c = p < matrix.size() && v < matrix[p].size() ? &matrix[p][v] : nullptr;
      std::string text = c == nullptr ? "" : esc(c->text);
      VerdictKind kind = c == nullptr ? VerdictKind::NotChecked : verdictKind(c->text);
      if (c != nullptr && index.has(c->counterexampleId))
        text = htmlLink(text, anchorHref(c->counterexampleId));
      out += fmt::format("<td class=\"v {}\">{}</td>", verdictClass(kind), text);
    }
    out += "</tr>\n";
  }
  out +=
      "</table>\n<p class=\"legend\"><span class=\"v-holds\">holds</span><span class=\"v-violated\">violated"
      "</span><span class=\"v-reached\">reached</span><span class=\"v-bounded\">holds within bounds"
      "</span><span class=\"v-none\">not checked</span></p>\n";
}

void htmlMatrix(const Review& r, const Index& index, std::string& out) {
  out += "<section id=\"sec-verdicts\">\n<h2>Verdicts</h2>\n";
  htmlVerdictTable(r, r.matrix, r.propertyDescriptions, index, out);
  out += "</section>\n";
}

void htmlProductionMatrix(const Review& r, const Index& index, std::string& out) {
  out += "<section id=\"sec-production\">\n<h2>Verdicts on a production kernel</h2>\n";
  if (!r.productionLine.empty()) out += "<p>" + esc(r.productionLine) + "</p>\n";
  out +=
      "<p class=\"legend-text\">Under each property: what it takes as the truth once the kernel's own "
      "invariant is broken.</p>\n";
  htmlVerdictTable(r, r.productionMatrix, r.propertyTruths, index, out);
  out += "</section>\n";
}

void htmlDifferences(const Review& r, const Index& index, std::string& out) {
  out += "<section id=\"sec-differences\">\n<h2>Differences between variants</h2>\n";
  for (const auto& [a, b] : comparedPairs(r)) {
    out += "<h3>" + htmlCode(a) + " and " + htmlCode(b) + "</h3>\n";
    bool calls = false;
    for (const DiffRow& d : r.diffs) {
      if (d.variantA != a || d.variantB != b) continue;
      if (!calls) {
        out += "<p>Calls whose result differs in the same state:</p>\n<table>\n";
        out += "<tr><th>call</th><th>" + htmlCode(a) + "</th><th>" + htmlCode(b) +
               "</th><th>state reached by</th></tr>\n";
        calls = true;
      }
      std::string by;
      if (!d.scenarioFile.empty()) by = htmlLink(htmlCode(d.scenarioFile), fileHref(r, d.scenarioFile));
      if (index.has(d.counterexampleId))
        by += (by.empty() ? "" : ", ") +
              htmlLink(fmt::format("counterexample {}", index.number.at(d.counterexampleId)),
                       anchorHref(d.counterexampleId));
      out += "<tr><td>" + htmlCode(d.call) + "</td><td>" + htmlResult(d.resultA) + "</td><td>" +
             htmlResult(d.resultB) + "</td><td>" + by + "</td></tr>\n";
    }
    if (calls) out += "</table>\n";
    bool verdicts = false;
    for (const PropertyChange& c : r.propertyChanges) {
      if (c.variantA != a || c.variantB != b) continue;
      if (!verdicts) {
        out +=
            "<p>What the second fixes and what it breaks (verdicts of the two designs' complete "
            "checks):</p>\n<table class=\"matrix\">\n";
        out += "<tr><th>property</th><th>" + htmlCode(a) + "</th><th>" + htmlCode(b) + "</th></tr>\n";
        verdicts = true;
      }
      out += fmt::format("<tr><td>{}</td><td class=\"v {}\">{}</td><td class=\"v {}\">{}</td></tr>\n",
                         htmlCode(c.property), verdictClass(verdictKind(c.verdictA)), esc(c.verdictA),
                         verdictClass(verdictKind(c.verdictB)), esc(c.verdictB));
    }
    if (verdicts) out += "</table>\n";
  }
  out += "</section>\n";
}

void htmlAblations(const Review& r, const Index& index, std::string& out) {
  out +=
      "<section id=\"sec-ablations\">\n<h2>Ablations</h2>\n<p>Each guard taken out of its variant, one at a "
      "time:</p>\n<table>\n<tr><th>variant</th><th>guard</th><th>where</th><th>code</th><th>without it</th>"
      "</tr>\n";
  for (const AblationRow& a : r.ablations) {
    std::string outcome = esc(a.outcome);
    if (index.has(a.counterexampleId)) outcome = htmlLink(outcome, anchorHref(a.counterexampleId));
    out += "<tr><td>" + htmlCode(a.variant) + "</td><td>" + esc(a.guard) + "</td><td>" + esc(a.location) +
           "</td><td>" + htmlCode(a.code) + "</td><td>" + outcome + "</td></tr>\n";
  }
  out += "</table>\n</section>\n";
}

void htmlCauses(const Review& r, std::string& out) {
  out += "<section id=\"sec-causes\">\n<h2>Causes</h2>\n<p>Every cause of every violated property, per "
         "design, with the length of its shortest counterexample (README: Causes).</p>\n";
  std::string variant;
  for (const CauseRow& c : r.causes) {
    if (c.variant != variant) {
      if (!variant.empty()) out += "</table>\n";
      out += "<h3>" + htmlCode(c.variant) + "</h3>\n<table>\n<tr><th>property</th><th>cause</th><th>steps</th></tr>\n";
      variant = c.variant;
    }
    out += "<tr><td>" + htmlCode(c.property) + "</td><td>" + esc(c.cause) + "</td><td>" +
           htmlLink(std::to_string(c.length), fileHref(r, c.scenarioFile)) + "</td></tr>\n";
  }
  if (!variant.empty()) out += "</table>\n";
  out += "</section>\n";
}

void htmlPatch(const Review& r, std::string& out) {
  out += "<section id=\"sec-patch\">\n<h2>The whole patch</h2>\n<p>" + esc(r.patchLine) + "</p>\n";
  if (r.patchFindings.empty())
    out += "<p>No finding.</p>\n";
  else
    out += "<ol class=\"patch-findings\">\n";
  for (const PatchFinding& f : r.patchFindings) {
    out += "<li><strong>" + esc(f.part) + "</strong>: " + esc(f.subject);
    if (!f.evidence.empty()) {
      out += "<ul>";
      for (const std::string& e : f.evidence) out += "<li>" + htmlCode(e) + "</li>";
      out += "</ul>";
    }
    out += "</li>\n";
  }
  if (!r.patchFindings.empty()) out += "</ol>\n";
  if (!r.patchFile.empty())
    out +=
        "<p class=\"files\">The whole check: " + htmlLink(htmlCode(r.patchFile), fileHref(r, r.patchFile)) +
        "</p>\n";
  out += "</section>\n";
}

void htmlCounterexample(const Review& r, const Index& index, const Counterexample& cx, std::size_t n,
                        std::string& out) {
  out += fmt::format("<article class=\"cx\" id=\"{}\">\n<h3>{}. {} in {}</h3>\n", esc(cx.id), n,
                     htmlCode(cx.property), htmlCode(cx.variant));
  if (!cx.message.empty()) out += "<p class=\"message\">" + esc(cx.message) + "</p>\n";
  if (!cx.designNote.empty()) out += "<p><em>" + esc(cx.designNote) + "</em></p>\n";
  out += "<div class=\"diagram\">\n" + sequenceSvg(cx, false) + "\n</div>\n";
  out += "<ol class=\"steps\">\n";
  for (std::size_t i = 0; i < cx.steps.size(); ++i) {
    const Step& s = cx.steps[i];
    bool last = i + 1 == cx.steps.size();
    out += last ? "<li class=\"last\">" : "<li>";
    out += htmlCode(s.actor) + ": " + htmlCode(s.call);
    if (!s.result.empty()) out += " → " + htmlResult(s.result);
    if (!s.child.empty()) out += " (new process " + htmlCode(s.child) + ")";
    if (last) out += " — <strong>" + index.lastStepWord(cx.id) + "</strong> " + htmlCode(cx.property);
    if (!s.changes.empty()) {
      out += "<ul class=\"changes\">";
      for (const std::string& c : s.changes) out += "<li>" + htmlCode(c) + "</li>";
      out += "</ul>";
    }
    out += "</li>\n";
  }
  out += "</ol>\n";
  std::string files;
  if (!cx.scenarioFile.empty())
    files += "Scenario: " + htmlLink(htmlCode(cx.scenarioFile), fileHref(r, cx.scenarioFile));
  if (!cx.reproducerFile.empty())
    files += std::string(files.empty() ? "" : " · ") +
             "Reproducer: " + htmlLink(htmlCode(cx.reproducerFile), fileHref(r, cx.reproducerFile));
  if (!files.empty()) out += "<p class=\"files\">" + files + "</p>\n";
  out += "</article>\n";
}

}  // namespace

std::string renderMarkdown(const Review& r) {
  Index index(r);
  std::string out;
  out += "# " + mdText(r.title.empty() ? "Design review" : r.title) + "\n\n";
  if (!r.boundsLine.empty()) out += mdText(r.boundsLine) + "\n\n";
  for (const std::string& note : r.notes) out += mdText(note) + "\n\n";
  if (!r.variants.empty()) mdStateSpace(r, out);
  if (!r.properties.empty()) mdMatrix(r, index, out);
  if (!r.productionMatrix.empty()) mdProductionMatrix(r, index, out);
  if (!r.diffs.empty() || !r.propertyChanges.empty()) mdDifferences(r, index, out);
  if (!r.causes.empty()) mdCauses(r, out);
  if (!r.ablations.empty()) mdAblations(r, index, out);
  if (!r.patchLine.empty()) mdPatch(r, out);
  if (!r.counterexamples.empty()) {
    out += "## Counterexamples\n\n";
    for (std::size_t i = 0; i < r.counterexamples.size(); ++i)
      mdCounterexample(r, index, r.counterexamples[i], i + 1, out);
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

std::string renderHtml(const Review& r) {
  Index index(r);
  std::string title = r.title.empty() ? "Design review" : r.title;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc(title) + "</title>\n<style>\n" + kCss + "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>" + esc(title) + "</h1>\n";
  if (!r.boundsLine.empty()) out += "<p class=\"bounds\">" + esc(r.boundsLine) + "</p>\n";

  std::vector<std::pair<std::string, std::string>> toc;
  if (!r.variants.empty()) toc.emplace_back("sec-state-space", "State space");
  if (!r.properties.empty()) toc.emplace_back("sec-verdicts", "Verdicts");
  if (!r.productionMatrix.empty()) toc.emplace_back("sec-production", "Verdicts on a production kernel");
  if (!r.diffs.empty() || !r.propertyChanges.empty())
    toc.emplace_back("sec-differences", "Differences between variants");
  if (!r.causes.empty()) toc.emplace_back("sec-causes", "Causes");
  if (!r.ablations.empty()) toc.emplace_back("sec-ablations", "Ablations");
  if (!r.patchLine.empty()) toc.emplace_back("sec-patch", "The whole patch");
  if (!r.counterexamples.empty()) toc.emplace_back("sec-counterexamples", "Counterexamples");
  if (!toc.empty()) {
    out += "<nav><ol>\n";
    for (const auto& [id, name] : toc) out += "<li>" + htmlLink(esc(name), "#" + id) + "</li>\n";
    out += "</ol></nav>\n";
  }
  for (const std::string& note : r.notes) out += "<p>" + esc(note) + "</p>\n";
  if (!r.variants.empty()) htmlStateSpace(r, out);
  if (!r.properties.empty()) htmlMatrix(r, index, out);
  if (!r.productionMatrix.empty()) htmlProductionMatrix(r, index, out);
  if (!r.diffs.empty() || !r.propertyChanges.empty()) htmlDifferences(r, index, out);
  if (!r.causes.empty()) htmlCauses(r, out);
  if (!r.ablations.empty()) htmlAblations(r, index, out);
  if (!r.patchLine.empty()) htmlPatch(r, out);
  if (!r.counterexamples.empty()) {
    out += "<section id=\"sec-counterexamples\">\n<h2>Counterexamples</h2>\n";
    out +=
        "<p class=\"legend-text\">In the diagrams time flows down, one lane per process. A solid arrow is a "
        "call that succeeded (<span class=\"r-ok\">green</span>), a dashed one a call that failed with an "
        "error "
        "(<span class=\"r-error\">red</span>); a loop is a call on the caller itself; a lane with an "
        "<span class=\"r-other\">amber</span> header is a process created by fork or vfork at that row. The "
        "framed last step is where the property fails.</p>\n";
    for (std::size_t i = 0; i < r.counterexamples.size(); ++i)
      htmlCounterexample(r, index, r.counterexamples[i], i + 1, out);
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string renderSequenceSvg(const Counterexample& cx) { return sequenceSvg(cx, true); }

std::string markupText(std::string_view s) { return esc(s); }

}  // namespace ksim::review
