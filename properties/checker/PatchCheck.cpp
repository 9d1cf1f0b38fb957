#include "checker/PatchCheck.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "spec/Properties.hpp"

extern char** environ;

namespace ksim::patch {

namespace {

namespace fs = std::filesystem;
using properties::PageTerm;
using properties::PageTermKind;

/// The man page the seed patches, as its diff names it.
constexpr const char* kPagePath = "lib/libc/sys/procctl.2";
/// The patched page's name in mandoc's messages and in --out.
constexpr const char* kPageFile = "procctl.2";

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// ---------------------------------------------------------------- the seed

struct DiffLine {
  char tag;  ///< ' ' context, '-' removed, '+' added
  std::string text;
  int seedLine;
};

struct Hunk {
  int headerLine = 0;
  int oldStart = 0, oldCount = 0, newStart = 0, newCount = 0;
  std::vector<DiffLine> lines;
};

struct FileSection {
  std::string path;  ///< as the diff names it, e.g. "sys/kern/kern_procctl.c"
  int line = 0;      ///< the seed line of its "diff --git"
  std::vector<Hunk> hunks;
};

// The seed is a mail: Robert Watson's reply quotes the patch, each line of
// the diff after "> " (an empty one as ">").  The archive dropped the space
// that marks a context line, so inside a hunk a line that starts with
// neither '+' nor '-' is context; the counts of each hunk's header say
// where it ends, and a hunk that ends early is an error.
std::vector<FileSection> parseSeed(const std::string& name, const std::string& text) {
  const std::vector<std::string> lines = splitLines(text);
  auto fail = [&](std::size_t line, const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", name, line, what));
  };
  auto quoted = [&](std::size_t k, std::string& out) {
    if (k >= lines.size()) return false;
    const std::string& raw = lines[k];
    if (raw == ">") {
      out.clear();
      return true;
    }
    if (raw.rfind("> ", 0) != 0) return false;
    out = raw.substr(2);
    return true;
  };
  static const std::regex header(R"(^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@)");
  std::vector<FileSection> sections;
  std::string line;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (!quoted(i, line) || line.rfind("diff --git a/", 0) != 0) {
      ++i;
      continue;
    }
    FileSection section;
    section.line = static_cast<int>(i + 1);
    std::size_t b = line.find(" b/");
    if (b == std::string::npos) fail(i + 1, "a 'diff --git' line without ' b/'");
    section.path = line.substr(b + 3);
    for (++i; quoted(i, line) && line.rfind("@@", 0) != 0; ++i) {
      if (line.rfind("+++ ", 0) == 0 && line != "+++ b/" + section.path)
        fail(i + 1, "'+++' names another file than its 'diff --git' line");
      if (line.rfind("diff --git", 0) == 0) fail(i + 1, "no hunk for " + section.path);
    }
    while (quoted(i, line) && line.rfind("@@", 0) == 0) {
      std::smatch m;
      if (!std::regex_search(line, m, header)) fail(i + 1, "malformed hunk header");
      Hunk hunk;
      hunk.headerLine = static_cast<int>(i + 1);
      hunk.oldStart = std::stoi(m[1]);
      hunk.oldCount = m[2].matched ? std::stoi(m[2]) : 1;
      hunk.newStart = std::stoi(m[3]);
      hunk.newCount = m[4].matched ? std::stoi(m[4]) : 1;
      int oldSeen = 0, newSeen = 0;
      for (++i; oldSeen < hunk.oldCount || newSeen < hunk.newCount; ++i) {
        if (!quoted(i, line))
          fail(hunk.headerLine,
               fmt::format("hunk ends early, at line {}: {} old and {} new lines, its header "
                           "says {} and {}",
                           i + 1, oldSeen, newSeen, hunk.oldCount, hunk.newCount));
        char tag = !line.empty() && (line[0] == '+' || line[0] == '-') ? line[0] : ' ';
        oldSeen += tag != '+';
        newSeen += tag != '-';
        if (oldSeen > hunk.oldCount || newSeen > hunk.newCount)
          fail(i + 1, fmt::format("hunk is longer than its header (line {}) says", hunk.headerLine));
        hunk.lines.push_back({tag, tag == ' ' ? line : line.substr(1), static_cast<int>(i + 1)});
      }
      section.hunks.push_back(std::move(hunk));
    }
    if (section.hunks.empty()) fail(section.line, "no hunk for " + section.path);
    sections.push_back(std::move(section));
  }
  if (sections.empty())
    fail(1, "no quoted 'diff --git a/' line: not a patch quoted in a mail, as the seed is");
  return sections;
}

// ---------------------------------------------------------- the patched page

struct PageLine {
  std::string text;
  int baseLine = 0;  ///< the base page's line, if it comes from there
  int seedLine = 0;  ///< the seed's line, if the hunk added it
};

std::string originText(const PageLine& l) {
  return l.seedLine != 0 ? fmt::format("added by the hunk, seed line {}", l.seedLine)
                         : fmt::format("base page line {}", l.baseLine);
}

std::size_t occurrences(const std::vector<std::string>& lines, const std::vector<std::string>& block) {
  std::size_t n = 0;
  for (std::size_t k = 0; k + block.size() <= lines.size(); ++k)
    n += std::equal(block.begin(), block.end(), lines.begin() + static_cast<std::ptrdiff_t>(k));
  return n;
}

// The hunks applied as apply_patches.py applies a design's patches: each
// at exactly the line its header states, every context and removed line
// equal to the base's, its old text found once only, its "+" start where
// it lands.  No offset, no fuzz: a hunk that does not apply is bad input.
std::vector<PageLine> applyExactly(const Inputs& in, const FileSection& section) {
  const std::vector<std::string> base = splitLines(in.basePageText);
  auto fail = [&](int seedLine, const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", in.seedName, seedLine, what));
  };
  std::vector<PageLine> out;
  std::size_t next = 0;  // the first base line not yet copied (0-based)
  for (const Hunk& h : section.hunks) {
    std::vector<std::string> old;
    for (const DiffLine& l : h.lines)
      if (l.tag != '+') old.push_back(l.text);
    std::size_t at =
        old.empty() ? static_cast<std::size_t>(h.oldStart) : static_cast<std::size_t>(h.oldStart - 1);
    if (at < next) fail(h.headerLine, "hunk starts inside or before the previous hunk");
    for (std::size_t k = 0; k < old.size(); ++k)
      if (at + k >= base.size() || base[at + k] != old[k])
        fail(h.headerLine,
             fmt::format("hunk does not apply to {} at line {}: line {} is \"{}\", the hunk has \"{}\" "
                         "(a hunk applies exactly: no offset, no fuzz)",
                         in.basePageName, h.oldStart, at + k + 1,
                         at + k < base.size() ? base[at + k] : "(end)", old[k]));
    if (!old.empty() && occurrences(base, old) != 1)
      fail(h.headerLine, fmt::format("hunk's old text occurs {} times in {}: it can mean more than one place",
                                     occurrences(base, old), in.basePageName));
    for (; next < at; ++next) out.push_back({base[next], static_cast<int>(next + 1), 0});
    int lands = static_cast<int>(out.size()) + 1;
    if (h.newStart != lands)
      fail(h.headerLine, fmt::format("hunk's '+' start is {}, but it lands at line {}", h.newStart, lands));
    for (const DiffLine& l : h.lines) {
      if (l.tag == ' ') out.push_back({l.text, static_cast<int>(next + 1), 0});
      if (l.tag == '+') out.push_back({l.text, 0, l.seedLine});
      if (l.tag != '+') ++next;
    }
  }
  for (; next < base.size(); ++next) out.push_back({base[next], static_cast<int>(next + 1), 0});
  return out;
}

// ------------------------------------------------------------------- mandoc

std::optional<fs::path> findOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::istringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) return candidate;
  }
  return std::nullopt;
}

std::string readWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A scratch folder, removed with everything in it when it goes.
struct ScratchFolder {
  fs::path path;
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "ksim-patch-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot create a scratch folder in " + fs::temp_directory_path().string());
    path = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
};

struct Lint {
  bool ran = false;
  std::vector<std::string> messages;  ///< kept, in mandoc's order
};

// A message about this machine's installed manuals, not about the page:
// `.Xr` targets are looked up among the manuals installed here, and
// mandoc's database may be stale.  Left out, so that the output is the
// same on every machine.
bool aboutInstalledManuals(const std::string& message) {
  return message.find("referenced manual not found") != std::string::npos ||
         message.find("mandoc.db") != std::string::npos;
}

// `mandoc -T lint procctl.2`, run in a scratch folder so that its messages
// name the page "procctl.2", whatever the folder.
Lint lintPage(const fs::path& mandoc, const std::string& page) {
  ScratchFolder scratch;
  {
    std::ofstream out(scratch.path / kPageFile, std::ios::binary);
    out << page;
    if (!out) throw std::runtime_error("cannot write the page to lint in " + scratch.path.string());
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, scratch.path.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "stdout.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, "stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string program = mandoc.string();
  std::vector<std::string> args = {program, "-T", "lint", kPageFile};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  int spawned = posix_spawn(&child, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  Lint lint;
  if (spawned != 0) return lint;
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  // mandoc's own exit status grades its worst message (2 warning, 3
  // error, ...); 5 and above mean it could not do its work.
  if (!WIFEXITED(status) || WEXITSTATUS(status) >= 5) return lint;
  lint.ran = true;
  for (const auto& file : {"stdout.txt", "stderr.txt"})
    for (const std::string& message : splitLines(readWhole(scratch.path / file)))
      if (!message.empty() && !aboutInstalledManuals(message)) lint.messages.push_back(message);
  return lint;
}

// ---------------------------------------------------------- what the page says

// An mdoc line's words: a macro line's arguments (double quotes group),
// without the leading dot.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::string current;
  bool inQuotes = false, any = false;
  for (char c : line.substr(line.rfind('.', 0) == 0 ? 1 : 0)) {
    if (c == '"') {
      inQuotes = !inQuotes;
      any = true;
    } else if ((c == ' ' || c == '\t') && !inQuotes) {
      if (any) out.push_back(current);
      current.clear();
      any = false;
    } else {
      current += c;
      any = true;
    }
  }
  if (any) out.push_back(current);
  return out;
}

struct OpenItem {
  std::string name;  ///< ".It Dv NAME" -> NAME; ".It Bq Er E" -> E; else the words joined
  int line = 0;      ///< index in the page
};

/// Something the page's mdoc says, where, and inside which list items.
struct Mention {
  enum class What { Item, Dv, Xr, SetTo };
  What what;
  std::string name;
  std::size_t line;             ///< index in the page
  std::string section;          ///< the .Sh it is in
  std::vector<OpenItem> items;  ///< the items it is inside, outermost first (an Item excludes itself)
};

// One pass over the page: the lists (.Bl/.El) and their items (.It), and
// in them the names (.Dv), references (.Xr) and "is set to X." sentences.
// A .Sh closes every open list, as mandoc does.
std::vector<Mention> readMdoc(const std::vector<PageLine>& page) {
  std::vector<Mention> out;
  std::vector<std::optional<OpenItem>> lists;  // one per open list: its current item
  std::string section;
  static const std::regex setTo(R"((?:^|\s)set to (.+)\.$)");
  auto enclosing = [&] {
    std::vector<OpenItem> items;
    for (const auto& item : lists)
      if (item) items.push_back(*item);
    return items;
  };
  for (std::size_t n = 0; n < page.size(); ++n) {
    const std::string& text = page[n].text;
    if (text.rfind(".\\\"", 0) == 0) continue;  // a comment
    if (text.rfind('.', 0) != 0) {
      std::smatch m;
      if (std::regex_search(text, m, setTo))
        out.push_back({Mention::What::SetTo, m[1], n, section, enclosing()});
      continue;
    }
    std::vector<std::string> w = words(text);
    if (w.empty()) continue;
    const std::string& macro = w[0];
    if (macro == "Sh") {
      section.clear();
      for (std::size_t k = 1; k < w.size(); ++k) section += (k > 1 ? " " : "") + w[k];
      lists.clear();
      continue;
    }
    if (macro == "Bl") {
      lists.emplace_back();
      continue;
    }
    if (macro == "El") {
      if (!lists.empty()) lists.pop_back();
      continue;
    }
    if (macro == "It" && !lists.empty()) {
      lists.back().reset();
      OpenItem item{"", static_cast<int>(n)};
      if (w.size() >= 3 && w[1] == "Dv")
        item.name = w[2];
      else if (w.size() >= 4 && w[1] == "Bq" && w[2] == "Er")
        item.name = w[3];
      else
        for (std::size_t k = 1; k < w.size(); ++k) item.name += (k > 1 ? " " : "") + w[k];
      out.push_back({Mention::What::Item, item.name, n, section, enclosing()});
      lists.back() = item;
    }
    // An item's own name is its Item mention; the rest of the line, like
    // any macro line's, may name more (".It Dv A , Dv B" or ".Dv A ) ,").
    for (std::size_t k = macro == "It" ? 2 : 1; k + 1 < w.size(); ++k) {
      if (w[k] == "Dv") out.push_back({Mention::What::Dv, w[k + 1], n, section, enclosing()});
      if (w[k] == "Xr" && k + 2 < w.size())
        out.push_back({Mention::What::Xr, w[k + 1] + " " + w[k + 2], n, section, enclosing()});
    }
    if (macro == "Dv" && w.size() >= 2) out.push_back({Mention::What::Dv, w[1], n, section, enclosing()});
    if (macro == "Xr" && w.size() >= 3)
      out.push_back({Mention::What::Xr, w[1] + " " + w[2], n, section, enclosing()});
  }
  return out;
}

/// A term as the page documents it.
struct Documented {
  PageTermKind kind;
  std::string name;
  std::string context;  ///< Value, StatusValue: the request; Error: the new names its entry mentions
  std::set<std::string> mentions;  ///< Error: every name its entry mentions
  std::size_t line;                ///< index in the page
};

// What the patched page documents about the patch's requests.  The patch's
// names are those the hunk adds that the base page did not have; an item
// with such a name is a request at the top of a list in DESCRIPTION and a
// value of the enclosing item when nested.  An ERRORS entry applies to the
// patch's requests when it names one of the patch's names or no request at
// all (a generic entry of procctl(2)).
std::vector<Documented> documentedTerms(const std::vector<PageLine>& page) {
  std::vector<Mention> mentions = readMdoc(page);
  std::set<std::string> baseNames, newNames, requests;
  for (const Mention& m : mentions)
    if (m.what == Mention::What::Item || m.what == Mention::What::Dv)
      (page[m.line].seedLine == 0 ? baseNames : newNames).insert(m.name);
  for (const std::string& n : baseNames) newNames.erase(n);
  for (const Mention& m : mentions)
    if (m.what == Mention::What::Item && m.section == "DESCRIPTION" && m.items.empty())
      requests.insert(m.name);
  auto innermostNew = [&](const std::vector<OpenItem>& items) -> const OpenItem* {
    for (auto it = items.rbegin(); it != items.rend(); ++it)
      if (newNames.count(it->name)) return &*it;
    return nullptr;
  };

  std::vector<Documented> out;
  std::set<std::string> interfaces;
  for (const Mention& m : mentions) {
    bool added = page[m.line].seedLine != 0;
    if (m.section == "DESCRIPTION" && m.what == Mention::What::Item && newNames.count(m.name)) {
      if (m.items.empty())
        out.push_back({PageTermKind::Command, m.name, "", {}, m.line});
      else
        out.push_back({PageTermKind::Value, m.name, m.items.back().name, {}, m.line});
    }
    if (m.section == "DESCRIPTION" && added && m.what == Mention::What::SetTo)
      if (const OpenItem* item = innermostNew(m.items))
        out.push_back({PageTermKind::StatusValue, m.name, item->name, {}, m.line});
    if (m.section == "DESCRIPTION" && added && m.what == Mention::What::Xr && innermostNew(m.items) &&
        interfaces.insert(m.name).second)
      out.push_back({PageTermKind::Interface, m.name, "", {}, m.line});
  }
  for (const Mention& m : mentions) {
    if (m.section != "ERRORS" || m.what != Mention::What::Item || !m.items.empty()) continue;
    Documented entry{PageTermKind::Error, m.name, "", {}, m.line};
    for (const Mention& inside : mentions)
      if (inside.what == Mention::What::Dv && !inside.items.empty() &&
          inside.items.front().line == static_cast<int>(m.line))
        entry.mentions.insert(inside.name);
    bool namesNew = false, namesRequest = false;
    for (const std::string& n : entry.mentions) {
      if (newNames.count(n)) {
        namesNew = true;
        entry.context += (entry.context.empty() ? "" : " ") + n;
      }
      namesRequest |= requests.count(n) != 0;
    }
    if (namesNew || !namesRequest) out.push_back(std::move(entry));
  }
  return out;
}

std::set<std::string> nameSet(std::string_view names) {
  std::set<std::string> out;
  std::istringstream in{std::string(names)};
  for (std::string n; in >> n;) out.insert(n);
  return out;
}

bool matches(const PageTerm& term, const Documented& d) {
  if (term.kind != d.kind || term.name != d.name) return false;
  if (term.kind != PageTermKind::Error) return term.context == d.context;
  if (term.context.empty()) return d.context.empty();
  for (const std::string& n : nameSet(term.context))
    if (!d.mentions.count(n)) return false;
  return true;
}

std::string termText(PageTermKind kind, const std::string& name, const std::string& context) {
  std::string text = fmt::format("{} {}", properties::pageTermKindName(kind), name);
  if (kind == PageTermKind::StatusValue)
    text = fmt::format("{} \"{}\"", properties::pageTermKindName(kind), name);
  if (kind == PageTermKind::Value || kind == PageTermKind::StatusValue) text += " of " + context;
  if (kind == PageTermKind::Error)
    text += context.empty() ? " (a generic entry of procctl(2))" : " (for " + context + ")";
  return text;
}

// The text of an ERRORS entry: its lines up to the next item or list end.
std::string entryText(const std::vector<PageLine>& page, std::size_t itemLine) {
  std::string text;
  for (std::size_t n = itemLine + 1; n < page.size(); ++n) {
    const std::string& l = page[n].text;
    if (l.rfind(".It", 0) == 0 || l.rfind(".El", 0) == 0) break;
    std::vector<std::string> w = words(l);
    std::string plain;
    for (std::size_t k = 0; k < w.size(); ++k) {
      bool macroWord = l.rfind('.', 0) == 0 && k == 0;
      if (!macroWord) plain += (plain.empty() ? "" : " ") + w[k];
    }
    if (!plain.empty()) text += (text.empty() ? "" : " ") + plain;
  }
  return text;
}

std::string pageLineText(const std::vector<PageLine>& page, std::size_t n) {
  return fmt::format("{}:{} ({}): {}", kPageFile, n + 1, originText(page[n]), page[n].text);
}

// The lists (.Bl) still open when the page reaches line `at`, outermost
// first: where a message about a block points, what it is about.
std::vector<std::size_t> listsOpenAt(const std::vector<PageLine>& page, std::size_t at) {
  std::vector<std::size_t> open;
  for (std::size_t n = 0; n < at && n < page.size(); ++n) {
    const std::string& l = page[n].text;
    if (l.rfind(".Sh", 0) == 0)
      open.clear();
    else if (l.rfind(".Bl", 0) == 0)
      open.push_back(n);
    else if (l.rfind(".El", 0) == 0 && !open.empty())
      open.pop_back();
  }
  return open;
}

// ------------------------------------------------------------------ C hunks

/// A file of the seed's C hunks: which ABI its code serves and where ksim
/// compiles its lines.
struct CodeFile {
  std::string_view seedPath;
  std::string_view abi;
  std::string_view ksimFile;
};

// freebsd32_misc.c holds the compat entry point of 32-bit processes on a
// 64-bit kernel; kern_procctl.c holds the native one and kern_procctl(),
// which both call; the rest is kernel code both ABIs run, and the two
// headers are included by both.
constexpr CodeFile kCodeFiles[] = {
    {"sys/compat/freebsd32/freebsd32_misc.c", "freebsd32",
     "kernel/variants/rfc-2014/freebsd32_misc.as-posted.c"},
    {"sys/kern/kern_exec.c", "native and freebsd32", "kernel/variants/rfc-2014/kern_exec.c"},
    {"sys/kern/kern_fork.c", "native and freebsd32", "kernel/variants/rfc-2014/kern_fork.c"},
    {"sys/kern/kern_procctl.c", "native (sys_procctl), both (kern_procctl)",
     "kernel/variants/rfc-2014/kern_procctl.c"},
    {"sys/kern/kern_prot.c", "native and freebsd32", "kernel/variants/rfc-2014/kern_prot.c"},
    {"sys/kern/kern_sig.c", "native and freebsd32", "kernel/variants/rfc-2014/kern_sig.c"},
    {"sys/sys/proc.h", "native and freebsd32", "kernel/shim/sys/proc.h"},
    {"sys/sys/procctl.h", "native and freebsd32", "kernel/shim/sys/procctl.h"},
};
constexpr std::string_view kAsPostedFile = "sys/compat/freebsd32/freebsd32_misc.c";

}  // namespace

Inputs builtInInputs() {
  const BuiltInputs& b = builtInputs();
  return {kSeedName, b.seedText, kBasePageName, b.basePageText};
}

Result checkPatch(const Inputs& in) {
  const BuiltInputs& built = builtInputs();
  std::vector<FileSection> sections = parseSeed(in.seedName, in.seedText);
  Result r;
  std::string& out = r.text;
  nlohmann::json& json = r.json;
  std::size_t hunks = 0;
  for (const auto& s : sections) hunks += s.hunks.size();
  out += fmt::format("ksim patch: {}: {} files, {} hunks\n", in.seedName, sections.size(), hunks);
  json["seed"] = in.seedName;
  json["base_page"] = in.basePageName;

  // C hunks.
  out += fmt::format("\nC hunks, compiled against ksim's shims by the compiler that built ksim ({}):\n",
                     built.compiler);
  json["compiler"] = built.compiler;
  json["c_hunks"] = nlohmann::json::array();
  const FileSection* pageSection = nullptr;
  for (const FileSection& s : sections) {
    if (s.path == kPagePath) {
      pageSection = &s;
      continue;
    }
    const CodeFile* file = nullptr;
    for (const CodeFile& f : kCodeFiles)
      if (f.seedPath == s.path) file = &f;
    nlohmann::json row = {{"file", s.path}, {"hunks", s.hunks.size()}};
    if (file == nullptr) {
      out += fmt::format("  {:<38} NOT COMPILED: ksim has no copy of this file\n", s.path);
      r.findings.push_back({"c-hunk", s.path + " is not compiled by ksim", {}});
      row["compiles"] = nullptr;
      json["c_hunks"].push_back(row);
      continue;
    }
    row["abi"] = std::string(file->abi);
    row["ksim_file"] = std::string(file->ksimFile);
    if (s.path != kAsPostedFile) {
      bool header = s.path.ends_with(".h");
      out += fmt::format("  {:<38} {:<42} compiles ({}, {})\n", s.path, file->abi, file->ksimFile,
                         header ? "included by every file here" : "in variant rfc-2014");
      row["compiles"] = true;
      json["c_hunks"].push_back(row);
      continue;
    }
    // The freebsd32 hunk as posted: the build compiled it and kept what the
    // compiler said; the seed line is the one naming the identifier it
    // rejects.
    std::vector<std::string> evidence = splitLines(built.asPostedDiagnostics);
    std::smatch m;
    static const std::regex rejected(R"(error: '([A-Za-z_0-9]+)')");
    if (std::regex_search(built.asPostedDiagnostics, m, rejected))
      for (const Hunk& h : s.hunks)
        for (const DiffLine& l : h.lines)
          if (l.tag == '+' && l.text.find(m[1].str()) != std::string::npos)
            evidence.push_back(fmt::format("{}:{}: {}", in.seedName, l.seedLine, "+" + l.text));
    evidence.push_back(
        "ksim compiles kernel/variants/rfc-2014/freebsd32_misc.c instead: the same text with that identifier "
        "corrected to PROC_TRACE_STATUS");
    out += fmt::format("  {:<38} {:<42} DOES NOT COMPILE ({})\n", s.path, file->abi, file->ksimFile);
    for (const auto& e : evidence) out += "    " + e + "\n";
    row["compiles"] = false;
    row["compiler_message"] = splitLines(built.asPostedDiagnostics);
    json["c_hunks"].push_back(row);
    r.findings.push_back(
        {"c-hunk", fmt::format("{} does not compile ({} ABI)", s.path, file->abi), evidence});
  }
  if (pageSection == nullptr)
    throw InputError(
        fmt::format("{}: no hunk for {}: nothing to check the man page with", in.seedName, kPagePath));

  // The man page hunk.
  std::vector<PageLine> page = applyExactly(in, *pageSection);
  for (const PageLine& l : page) r.patchedPage += l.text + "\n";
  out += fmt::format(
      "\nman page hunk: {}, {} hunks, applied exactly to {} (the page before the patch, "
      "reconstructed)\n",
      kPagePath, pageSection->hunks.size(), in.basePageName);
  json["page"] = {{"file", kPagePath}, {"hunks", pageSection->hunks.size()}, {"lines", page.size()}};

  out += "\nmandoc -T lint of the patched page (messages about this machine's installed manuals left out):\n";
  std::optional<fs::path> mandoc = findOnPath("mandoc");
  Lint lint, baseLint;
  if (mandoc) {
    lint = lintPage(*mandoc, r.patchedPage);
    baseLint = lintPage(*mandoc, in.basePageText);
  }
  r.lintJudged = lint.ran && baseLint.ran;
  json["mandoc"] = {{"judged", r.lintJudged}};
  if (!r.lintJudged) {
    out += mandoc ? "  NOT JUDGED: mandoc did not run (it could not be started, or it failed)\n"
                  : "  NOT JUDGED: mandoc is not installed (Debian package mandoc); the page is not linted\n";
  } else {
    static const std::regex located(R"(^mandoc: procctl\.2:(\d+):(\d+): (.*)$)");
    json["mandoc"]["messages"] = nlohmann::json::array();
    for (const std::string& message : lint.messages) {
      r.lintOutput += message + "\n";
      std::vector<std::string> evidence = {message};
      std::smatch m;
      std::string subject = message;
      if (std::regex_match(message, m, located)) {
        std::size_t n = std::stoul(m[1]) - 1;
        subject = fmt::format("{}:{}:{}: {}", kPageFile, m[1].str(), m[2].str(), m[3].str());
        if (n < page.size()) evidence.push_back(pageLineText(page, n));
        for (std::size_t list : listsOpenAt(page, n))
          evidence.push_back("a list still open there: " + pageLineText(page, list));
      }
      out += "  " + message + "\n";
      for (std::size_t k = 1; k < evidence.size(); ++k) out += "    " + evidence[k] + "\n";
      json["mandoc"]["messages"].push_back(evidence);
      r.findings.push_back({"mandoc", subject, evidence});
    }
    if (lint.messages.empty()) out += "  no message\n";
    out += baseLint.messages.empty()
               ? "  the base page alone: no message (so every message above is about the hunk's lines)\n"
               : "  the base page alone (ksim's reconstruction; not findings about the patch):\n";
    for (const std::string& message : baseLint.messages) out += "    " + message + "\n";
    json["mandoc"]["base_page_messages"] = baseLint.messages;
  }

  // What the page documents, against what the properties check.
  std::vector<Documented> documented = documentedTerms(page);
  std::span<const PageTerm> vocabulary = properties::contractVocabulary();
  out += "\ndocumented by the patched page and checked by ksim:\n";
  json["documented_and_checked"] = nlohmann::json::array();
  std::vector<bool> termFound(vocabulary.size(), false);
  std::vector<const Documented*> unchecked;
  for (const Documented& d : documented) {
    std::vector<std::string> checkers;
    for (std::size_t t = 0; t < vocabulary.size(); ++t)
      if (matches(vocabulary[t], d)) {
        termFound[t] = true;
        std::string name(properties::propertyInfo(vocabulary[t].checkedBy).name);
        if (std::find(checkers.begin(), checkers.end(), name) == checkers.end()) checkers.push_back(name);
      }
    if (checkers.empty()) {
      unchecked.push_back(&d);
      continue;
    }
    std::string by;
    for (const auto& c : checkers) by += (by.empty() ? "" : ", ") + c;
    out += fmt::format("  {:<62} line {:<4} {}\n", termText(d.kind, d.name, d.context), d.line + 1, by);
    json["documented_and_checked"].push_back(
        {{"term", termText(d.kind, d.name, d.context)}, {"line", d.line + 1}, {"checked_by", checkers}});
  }
  for (const Documented* d : unchecked) {
    std::vector<std::string> evidence = {pageLineText(page, d->line)};
    if (d->kind == PageTermKind::Error) evidence.push_back("the entry: " + entryText(page, d->line));
    for (const PageTerm& t : vocabulary)
      if (t.kind != d->kind && t.name == d->name)
        evidence.push_back(fmt::format("ksim checks {} as a {}, not a {}", d->name,
                                       properties::pageTermKindName(t.kind),
                                       properties::pageTermKindName(d->kind)));
    r.findings.push_back({"documented-unchecked", termText(d->kind, d->name, d->context), evidence});
  }
  for (std::size_t t = 0; t < vocabulary.size(); ++t) {
    if (termFound[t]) continue;
    const PageTerm& term = vocabulary[t];
    const auto& property = properties::propertyInfo(term.checkedBy);
    std::vector<std::string> evidence = {fmt::format("checked by {}: {}", property.name, property.meaning)};
    for (const Documented& d : documented)
      if (d.name == term.name && d.kind != term.kind)
        evidence.push_back(fmt::format("the page has it as {}: {}", termText(d.kind, d.name, d.context),
                                       pageLineText(page, d.line)));
    r.findings.push_back({"checked-undocumented",
                          termText(term.kind, std::string(term.name), std::string(term.context)), evidence});
  }

  out += fmt::format("\nfindings: {}\n", r.findings.size());
  json["findings"] = nlohmann::json::array();
  for (std::size_t k = 0; k < r.findings.size(); ++k) {
    const Finding& f = r.findings[k];
    out += fmt::format("  {}. {}: {}\n", k + 1, f.part, f.subject);
    for (const auto& e : f.evidence) out += "       " + e + "\n";
    json["findings"].push_back({{"part", f.part}, {"subject", f.subject}, {"evidence", f.evidence}});
  }
  if (!r.lintJudged) out += "the man page's lint was not judged: install mandoc\n";
  return r;
}

}  // namespace ksim::patch
