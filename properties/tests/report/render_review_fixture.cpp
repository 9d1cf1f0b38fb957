// render_review_fixture OUT.html [OUT.md]: writes the synthetic design
// review (ReviewFixture.hpp) as HTML, and as Markdown if asked, for the
// browser test and for looking at.
#include <cstdio>
#include <fstream>
#include <string>

#include "report/Review.hpp"
#include "ReviewFixture.hpp"

namespace {

bool writeFile(const char* path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "render_review_fixture: cannot write %s\n", path);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: render_review_fixture OUT.html [OUT.md]\n");
    return 2;
  }
  const ksim::review::Review review = ksim::review::fixture::syntheticReview();
  if (!writeFile(argv[1], ksim::review::renderHtml(review))) return 1;
  if (argc == 3 && !writeFile(argv[2], ksim::review::renderMarkdown(review))) return 1;
  return 0;
}
