// The design-review renderer: the Markdown has the matrix and its links,
// the HTML is well formed (tags balanced, text escaped, nothing external)
// with one sequence diagram per counterexample and a lane per process, and
// both are the same bytes every time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/Review.hpp"
#include "ReviewFixture.hpp"

namespace {

using ksim::review::Counterexample;
using ksim::review::Review;
using ksim::review::fixture::syntheticReview;

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

/// The first well-formedness problem of generated HTML, or "" if none: every
/// '<' opens a tag, comment or doctype that closes with '>' before the next
/// '<'; every '&' starts an entity; every element but the void ones closes,
/// in order.
std::string wellFormednessProblem(std::string_view html) {
  const std::vector<std::string_view> voidElements = {"meta", "br", "hr", "img", "input", "link"};
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '&') {
      std::size_t semi = html.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) return "bare '&' at " + std::to_string(i);
      for (std::size_t k = i + 1; k < semi; ++k) {
        char e = html[k];
        bool ok = (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') || e == '#';
        if (!ok) return "bare '&' at " + std::to_string(i);
      }
      i = semi + 1;
      continue;
    }
    if (c == '>') return "bare '>' at " + std::to_string(i);
    if (c != '<') {
      ++i;
      continue;
    }
    std::size_t end = html.find('>', i);
    std::size_t nextOpen = html.find('<', i + 1);
    if (end == std::string_view::npos || (nextOpen != std::string_view::npos && nextOpen < end))
      return "unclosed '<' at " + std::to_string(i) + ": " + std::string(html.substr(i, 40));
    std::string_view tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with("!")) continue;  // doctype
    bool closing = tag.starts_with("/");
    if (closing) tag.remove_prefix(1);
    std::size_t nameEnd = 0;
    while (nameEnd < tag.size() && tag[nameEnd] != ' ' && tag[nameEnd] != '/') ++nameEnd;
    std::string name(tag.substr(0, nameEnd));
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
      return "'<' that starts no tag at " + std::to_string(i);
    if (closing) {
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + ">";
      open.pop_back();
    } else if (!tag.ends_with("/") &&
               std::find(voidElements.begin(), voidElements.end(), name) == voidElements.end()) {
      open.push_back(name);
      if (name == "style") {  // raw text up to </style>
        std::size_t close = html.find("</style>", i);
        if (close == std::string_view::npos) return "unclosed <style>";
        if (html.substr(i, close - i).find('<') != std::string_view::npos) return "'<' in <style>";
        i = close;
      }
    }
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  return "";
}

/// The attribute value of name in the first tag after position at.
std::string attributeAfter(std::string_view text, std::size_t at, std::string_view tag,
                           std::string_view name) {
  std::size_t start = text.find("<" + std::string(tag) + " ", at);
  if (start == std::string_view::npos) return "";
  std::size_t end = text.find('>', start);
  std::size_t attr = text.find(" " + std::string(name) + "=\"", start);
  if (attr == std::string_view::npos || attr > end) return "";
  attr += name.size() + 3;
  return std::string(text.substr(attr, text.find('"', attr) - attr));
}

TEST(ReviewMarkdown, HasTheMatrixWithLinksToCounterexamples) {
  std::string md = renderMarkdown(syntheticReview());
  EXPECT_NE(md.find("| property | `rfc-2014` | `committed` |\n| --- | --- | --- |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| `notrace-never-traced` | [VIOLATED (5 steps)](#rfc-2014--notrace-never-traced) | "
                    "holds within bounds |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `kernel-assertion` | holds | [VIOLATED (3 steps)](#committed--kernel-assertion) |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `unspecified-pid-zero` | REACHED | not checked |\n"), std::string::npos) << md;
  // Each link's target exists.
  EXPECT_NE(md.find("<a id=\"rfc-2014--notrace-never-traced\"></a>"), std::string::npos);
  EXPECT_NE(md.find("<a id=\"committed--kernel-assertion\"></a>"), std::string::npos);
}

TEST(ReviewMarkdown, HasEverySectionAndTheFiles) {
  std::string md = renderMarkdown(syntheticReview());
  for (const char* heading : {"# Design review: PROC", "## State space", "## Verdicts",
                              "## Differences between variants", "## Ablations", "## Counterexamples"})
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  EXPECT_NE(
      md.find("| `rfc-2014` | the December 2014 patch as posted | COMPLETE | 1,376,307 | 20,461,590 | 35 |"),
      std::string::npos);
  EXPECT_NE(md.find("| `A ptrace PT_TRACE_ME` | `= 0` | `= EPERM` | "
                    "[`rfc-2014/counterexamples/notrace-never-traced.scenario`]"
                    "(rfc-2014/counterexamples/notrace-never-traced.scenario), "
                    "[counterexample 1](#rfc-2014--notrace-never-traced) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `kernel-assertion` | holds | VIOLATED (3 steps) |"), std::string::npos);
  EXPECT_NE(md.find("[prevents notrace-never-traced (5 steps)](#rfc-2014--notrace-never-traced)"),
            std::string::npos);
  EXPECT_NE(md.find("(rfc-2014/reproducers/notrace-never-traced.c)"), std::string::npos);
  EXPECT_NE(md.find("(committed/counterexamples/kernel-assertion.scenario)"), std::string::npos);
  // Steps, numbered, with their changes.
  EXPECT_NE(md.find("1. `A`: `fork` → `= 0` (new process `A.1`)\n   - `A.1: new process (pid 103)`\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("3. `A`: `ptrace PT_ATTACH A.1` → `= EPERM`\n"), std::string::npos);
  EXPECT_NE(md.find("5. `A.1`: `ptrace PT_TRACE_ME` → `= 0` — **violates** `notrace-never-traced`\n"),
            std::string::npos);
}

TEST(ReviewMarkdown, EscapesMarkup) {
  std::string md = renderMarkdown(syntheticReview());
  EXPECT_NE(md.find("\\<b\\>not bold\\</b\\>, \\*not emphasis\\*, a \\| b & c."), std::string::npos) << md;
  EXPECT_NE(md.find("p_flag2 \\< 0 & tracer init"), std::string::npos);
  // A pipe inside a code span in a table cell is escaped too (GFM).
  Review r = syntheticReview();
  r.ablations[0].code = "a | b";
  EXPECT_NE(renderMarkdown(r).find("| `a \\| b` |"), std::string::npos);
  // Links to a counterexample the review lacks are not made.
  r.matrix[0][0].counterexampleId = "no-such-counterexample";
  EXPECT_EQ(renderMarkdown(r).find("#no-such-counterexample"), std::string::npos);
}

/* A violation a design makes on purpose carries a note, shown beside its message in both forms (escaped) */
TEST(Review, ShowsADesignChoiceBesideItsViolation) {
  Review r = syntheticReview();
  EXPECT_EQ(renderMarkdown(r).find("A design choice"), std::string::npos);
  r.counterexamples[0].designNote = "A design choice: root is <denied> on purpose.";
  EXPECT_NE(renderMarkdown(r).find("*A design choice: root is \\<denied\\> on purpose.*\n"), std::string::npos);
  const std::string html = renderHtml(r);
  EXPECT_NE(html.find("<p><em>A design choice: root is &lt;denied&gt; on purpose.</em></p>"), std::string::npos);
  EXPECT_EQ(wellFormednessProblem(html), "");
}

TEST(ReviewHtml, IsWellFormedAndEscaped) {
  Review r = syntheticReview();
  std::string html = renderHtml(r);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_EQ(wellFormednessProblem(html), "");
  EXPECT_EQ(html.find("<draft>"), std::string::npos);
  EXPECT_EQ(html.find("<b>not bold"), std::string::npos);
  EXPECT_NE(html.find("Design review: PROC_TRACE_ENABLE &lt;draft&gt; &amp; friends"), std::string::npos);
  EXPECT_NE(html.find("p_flag2 &lt; 0 &amp; tracer init"), std::string::npos);
  // Texts a renderer might forget, each made hostile.
  r.counterexamples[0].steps[2].call = "ptrace \"PT_<ATTACH>\" A.1 & 'x'";
  r.counterexamples[0].processes[1] = "A.1<&>";
  for (auto& s : r.counterexamples[0].steps) {
    if (s.child == "A.1") s.child = "A.1<&>";
    if (s.target == "A.1") s.target = "A.1<&>";
    if (s.actor == "A.1") s.actor = "A.1<&>";
  }
  r.diffs[0].call = "a<b";
  r.ablations[0].guard = "x < y && z";
  r.propertyDescriptions[1] = "<script>alert(1)</script>";
  r.variants[1].worldLine = "<i>";
  std::string hostile = renderHtml(r);
  EXPECT_EQ(wellFormednessProblem(hostile), "");
  EXPECT_EQ(hostile.find("<script"), std::string::npos);
  EXPECT_EQ(wellFormednessProblem(renderSequenceSvg(r.counterexamples[0])), "");
}

TEST(ReviewHtml, IsSelfContained) {
  std::string html = renderHtml(syntheticReview());
  for (const char* external :
       {"http:", "https:", "//", "src=", "url(", "@import", "<script", "<link", "<img"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("<style>"), std::string::npos);
  // Links go to sections, counterexamples and files under results/.
  EXPECT_NE(html.find("<a href=\"#rfc-2014--notrace-never-traced\">VIOLATED (5 steps)</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<article class=\"cx\" id=\"rfc-2014--notrace-never-traced\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"rfc-2014/counterexamples/notrace-never-traced.scenario\""), std::string::npos);
  Review r = syntheticReview();
  r.linkPrefix = "results/";
  EXPECT_NE(renderHtml(r).find("href=\"results/rfc-2014/reproducers/notrace-never-traced.c\""),
            std::string::npos);
}

TEST(ReviewHtml, HasADiagramPerCounterexampleAndTheChart) {
  Review r = syntheticReview();
  std::string html = renderHtml(r);
  EXPECT_EQ(count(html, "<svg"), r.counterexamples.size() + 1);
  EXPECT_EQ(count(html, "<svg class=\"chart\""), 1u);
  EXPECT_EQ(count(html, "<svg class=\"sequence\""), r.counterexamples.size());
  EXPECT_EQ(count(html, "<g class=\"bar\">"), r.variants.size());
  // The matrix is coloured by verdict.
  EXPECT_NE(html.find("<td class=\"v v-violated\"><a href"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"v v-holds\">holds</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"v v-reached\">REACHED</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"v v-bounded\">holds within bounds</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"v v-none\">not checked</td>"), std::string::npos);
  // Each diagram in the page is the public SVG, less its namespace.
  for (const Counterexample& cx : r.counterexamples) {
    std::string svg = renderSequenceSvg(cx);
    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence\""));
    std::string inPage = "<svg " + svg.substr(svg.find("class=\"sequence\""));
    EXPECT_NE(html.find(inPage), std::string::npos) << cx.id;
  }
}

TEST(ReviewSvg, HasALanePerProcessAndAStepPerStep) {
  for (const Counterexample& cx : syntheticReview().counterexamples) {
    std::string svg = renderSequenceSvg(cx);
    EXPECT_EQ(wellFormednessProblem(svg), "") << cx.id;
    EXPECT_EQ(count(svg, "<g class=\"lane\""), cx.processes.size()) << cx.id;
    EXPECT_EQ(count(svg, "<g class=\"step "), cx.steps.size()) << cx.id;
    EXPECT_EQ(count(svg, "class=\"violation\""), 1u) << cx.id;
    for (const std::string& p : cx.processes)
      EXPECT_NE(svg.find("data-process=\"" + p + "\""), std::string::npos) << p;
  }
}

TEST(ReviewSvg, DrawsForksSelfCallsAndErrorsApart) {
  const Counterexample cx = syntheticReview().counterexamples[0];
  std::string svg = renderSequenceSvg(cx);
  // A.1's header starts at the fork's row, below A's.
  int topA = std::stoi(attributeAfter(svg, svg.find("data-process=\"A\""), "rect", "y"));
  int topChild = std::stoi(attributeAfter(svg, svg.find("data-process=\"A.1\""), "rect", "y"));
  EXPECT_GT(topChild, topA + 20);
  // Calls on another process are arrows (a line), on itself loops (a path).
  std::size_t attach = svg.find("<g class=\"step tone-error\">");
  ASSERT_NE(attach, std::string::npos);
  EXPECT_NE(svg.find("<title>3. A ptrace PT_ATTACH A.1 = EPERM</title>", attach), std::string::npos);
  EXPECT_EQ(attributeAfter(svg, attach, "line", "stroke"), "#cf222e");
  EXPECT_EQ(attributeAfter(svg, attach, "line", "stroke-dasharray"), "6 3");
  std::size_t status = svg.find("<title>4. A procctl P_PID A PROC_TRACE_STATUS = 0</title>");
  ASSERT_NE(status, std::string::npos);
  std::string selfCall = svg.substr(status, svg.find("</g>", status) - status);
  EXPECT_NE(selfCall.find("<path "), std::string::npos);
  EXPECT_EQ(selfCall.find("<line "), std::string::npos);
  EXPECT_EQ(attributeAfter(svg, status, "path", "stroke"), "#1a7f37");
  // The panic of the other counterexample has its own colour.
  std::string panic = renderSequenceSvg(syntheticReview().counterexamples[1]);
  EXPECT_NE(panic.find("<g class=\"step tone-panic\">"), std::string::npos);
  EXPECT_NE(panic.find("fill=\"#82071e\" font-weight=\"bold\">= panic</tspan>"), std::string::npos);
}

TEST(ReviewSvg, ShortensLongLabelsButKeepsThemInTitles) {
  Counterexample cx = syntheticReview().counterexamples[0];
  std::string longCall = "procctl P_PID A";
  for (int i = 0; i < 40; ++i) longCall += " ARGUMENT_" + std::to_string(i);
  cx.steps[3].call = longCall;
  cx.processes[0] = std::string(60, 'P');
  for (auto& s : cx.steps)
    if (s.actor == "A") s.actor = cx.processes[0];
  std::string svg = renderSequenceSvg(cx);
  EXPECT_NE(svg.find("<title>4. " + cx.processes[0] + " " + longCall + " = 0</title>"), std::string::npos);
  EXPECT_NE(svg.find("\xE2\x80\xA6"), std::string::npos);  // an ellipsis
  EXPECT_EQ(count(svg, "ARGUMENT_39"), 1u);                // only in the title
  EXPECT_EQ(wellFormednessProblem(svg), "");
  // The size follows from the text, within bounds.
  int w = std::stoi(attributeAfter(svg, 0, "svg", "width"));
  EXPECT_LT(w, 1400);
}

TEST(Review, RendersTheSameBytesEveryTime) {
  const Review r = syntheticReview();
  EXPECT_EQ(renderHtml(r), renderHtml(syntheticReview()));
  EXPECT_EQ(renderMarkdown(r), renderMarkdown(syntheticReview()));
  EXPECT_EQ(renderSequenceSvg(r.counterexamples[0]), renderSequenceSvg(syntheticReview().counterexamples[0]));
  Review copy = r;
  EXPECT_EQ(renderHtml(copy), renderHtml(r));
}

/* The production kernels' verdicts: a second table, after the first, with each property's truth once
 * the kernel's invariant is broken; a review without them has no such section. */
TEST(Review, ShowsTheProductionKernelsVerdictsBesideTheInvariantsOnes) {
  Review r = syntheticReview();
  EXPECT_EQ(renderMarkdown(r).find("production kernel"), std::string::npos);
  r.productionLine = "The same designs built without options INVARIANTS.";
  r.propertyTruths = {"traced while P2_NOTRACE however it arose",
                      "reported at its step, and the step goes on", "reached on any path"};
  r.productionMatrix = {
      {{"VIOLATED (2 steps)", ""}, {"holds within bounds", ""}},
      {{"VIOLATED (3 steps)", "committed--kernel-assertion"}, {"holds", ""}},
      {{"REACHED", ""}, {"not checked", ""}},
  };
  std::string md = renderMarkdown(r);
  std::size_t first = md.find("## Verdicts\n"), second = md.find("## Verdicts on a production kernel\n");
  ASSERT_NE(second, std::string::npos) << md;
  EXPECT_LT(first, second);
  EXPECT_NE(md.find("The same designs built without options INVARIANTS.\n\n| property | `rfc-2014` | "
                    "`committed` |\n",
                    second),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `kernel-assertion` | [VIOLATED (3 steps)](#committed--kernel-assertion) | holds |\n",
                    second),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- `kernel-assertion`: reported at its step, and the step goes on\n", second),
            std::string::npos)
      << md;
  std::string html = renderHtml(r);
  EXPECT_EQ(wellFormednessProblem(html), "");
  EXPECT_NE(html.find("<section id=\"sec-production\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"#sec-production\""), std::string::npos);
  EXPECT_NE(html.find("<span class=\"desc\">reached on any path</span>"), std::string::npos);
}

TEST(Review, AnEmptyReviewStillRenders) {
  Review empty;
  EXPECT_EQ(renderMarkdown(empty), "# Design review\n");
  std::string html = renderHtml(empty);
  EXPECT_EQ(wellFormednessProblem(html), "");
  EXPECT_EQ(count(html, "<svg"), 0u);
  Counterexample bare;
  EXPECT_EQ(wellFormednessProblem(renderSequenceSvg(bare)), "");
}

}  // namespace
