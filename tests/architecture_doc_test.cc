// docs/ARCHITECTURE.md's interface block ("```cpp") against the headers:
// every class it shows has a header that declares it with the same head
// (name, `final`, bases), and every declaration it lists is in that class's
// body as written (comments and whitespace aside), or, outside classes, in
// some header. Every name it declares (classes, bases, methods, members,
// functions) must be a word of some header.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/io/text_file.h"

namespace mnemo {
namespace {

namespace fs = std::filesystem;

// No position.
constexpr std::size_t kNone = std::string::npos;

// Whether `c` can be part of an identifier.
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// `code` without comments, each run of whitespace one space, no space at
// either end.
std::string Normalize(const std::string& code) {
  std::string out;
  bool space = false;  // whitespace (or a comment) since the last character
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code.compare(i, 2, "//") == 0) {
      i = std::min(code.find('\n', i), code.size());
      space = true;
    } else if (code.compare(i, 2, "/*") == 0) {
      i = std::min(code.find("*/", i), code.size()) + 1;
      space = true;
    } else if (std::isspace(static_cast<unsigned char>(code[i])) != 0) {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += code[i];
    }
  }
  return out;
}

// The identifiers of `text`, in order.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + ' ') {
    if (IsWordChar(c)) {
      word += c;
    } else if (!word.empty()) {
      if (std::isdigit(static_cast<unsigned char>(word[0])) == 0) words.push_back(word);
      word.clear();
    }
  }
  return words;
}

// Where `phrase` occurs in `text` from `from` on, not as part of a longer
// identifier at either end; kNone if nowhere.
std::size_t FindPhrase(const std::string& text, const std::string& phrase, std::size_t from = 0) {
  for (std::size_t at = text.find(phrase, from); at != kNone; at = text.find(phrase, at + 1)) {
    const std::size_t end = at + phrase.size();
    const bool starts = at == 0 || !IsWordChar(phrase.front()) || !IsWordChar(text[at - 1]);
    const bool ends = end == text.size() || !IsWordChar(phrase.back()) || !IsWordChar(text[end]);
    if (starts && ends) return at;
  }
  return kNone;
}

// The text between the '{' at `open` and the '}' that closes it.
std::string BracedBody(const std::string& text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return text.substr(open + 1, i - open - 1);
  }
  return text.substr(open + 1);
}

// The ```cpp blocks of a Markdown text, one after the other.
std::string CppBlocks(const std::string& markdown) {
  const std::string fence = "```cpp\n";
  std::string code;
  for (std::size_t at = markdown.find(fence); at != kNone; at = markdown.find(fence, at)) {
    const std::size_t begin = at + fence.size();
    at = std::min(markdown.find("```", begin), markdown.size());
    code += markdown.substr(begin, at - begin) + "\n";
  }
  return code;
}

// One entry of an interface block: a class head, or a declaration.
struct Declaration {
  std::string scope;  // the head of its class ("class Strategy"); "" outside classes
  std::string text;   // normalized, without its ';'; "" for the class head itself
};

// The class heads and ';'-ended declarations of normalized `code`, whose
// classes hold declarations only (no nested braces but inside parentheses).
std::vector<Declaration> Declarations(const std::string& code) {
  std::vector<Declaration> out;
  std::string scope;    // the class being read
  std::string current;  // the declaration being read
  int parens = 0;       // open parentheses in it
  for (char c : code) {
    parens += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (parens == 0 && (c == '{' || c == '}' || c == ';')) {
      const std::string text = Normalize(current);
      current.clear();
      if (c == '{') {
        scope = text;
        out.push_back({scope, ""});
      } else if (c == '}') {
        scope.clear();
      } else if (!text.empty()) {
        out.push_back({scope, text});
      }
    } else {
      current += c;
    }
  }
  return out;
}

// The names a class head declares: the class and its bases.
std::vector<std::string> HeadNames(const std::string& head) {
  std::vector<std::string> names;
  const std::vector<std::string> words = Words(head);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "class" || w == "struct" || w == "public") names.push_back(words[i + 1]);
  }
  return names;
}

// The name a declaration declares: the identifier before its first '(' (a
// method, constructor or function), else its last one before any
// initializer (a member).
std::string DeclaredName(const std::string& text) {
  const std::size_t paren = text.find('(');
  const std::vector<std::string> words =
      Words(paren != kNone ? text.substr(0, paren) : text.substr(0, text.find(" =")));
  return words.empty() ? "" : words.back();
}

// What CheckInterface found.
struct InterfaceReport {
  std::vector<std::string> identifiers;  // the names the block declares, in order
  std::vector<std::string> problems;     // one line per thing no header has
};

// Checks the interface block `code` against `headers` (normalized header
// texts).
InterfaceReport CheckInterface(const std::string& code, const std::vector<std::string>& headers) {
  std::set<std::string> words;
  for (const std::string& header : headers) {
    for (std::string& w : Words(header)) words.insert(std::move(w));
  }
  InterfaceReport report;
  // Records `name` and reports it when no header has it.
  const auto check_name = [&](const std::string& name) {
    report.identifiers.push_back(name);
    if (words.count(name) == 0) report.problems.push_back("`" + name + "`: in no header");
  };
  std::vector<std::string> bodies;  // the current class's bodies in the headers
  for (const Declaration& d : Declarations(Normalize(code))) {
    if (d.text.empty()) {
      for (const std::string& name : HeadNames(d.scope)) check_name(name);
      bodies.clear();
      for (const std::string& header : headers) {
        const std::string head = d.scope + " {";
        for (std::size_t at = FindPhrase(header, head); at != kNone;
             at = FindPhrase(header, head, at + 1)) {
          bodies.push_back(BracedBody(header, at + head.size() - 1));
        }
      }
      if (bodies.empty()) report.problems.push_back("`" + d.scope + " {`: in no header");
      continue;
    }
    check_name(DeclaredName(d.text));
    bool found = false;
    for (const std::string& text : d.scope.empty() ? headers : bodies) {
      found = found || FindPhrase(text, d.text) != kNone;
    }
    if (!found) {
      report.problems.push_back("`" + d.text + "`: in no header" +
                                (d.scope.empty() ? "" : "'s `" + d.scope + "`"));
    }
  }
  return report;
}

// The normalized text of every header under core/, envs/, policies/ and
// apps/.
std::vector<std::string> RepositoryHeaders() {
  std::vector<std::string> headers;
  for (const char* folder : {"core", "envs", "policies", "apps"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(std::string(MNEMO_SOURCE_DIR) + "/" + folder)) {
      if (entry.path().extension() == ".h") {
        headers.push_back(Normalize(ReadTextFile(entry.path().string())));
      }
    }
  }
  return headers;
}

// The problems of a report, one per line.
std::string Lines(const InterfaceReport& report) {
  std::string lines;
  for (const std::string& p : report.problems) lines += p + "\n";
  return lines;
}

// Whether `report` has a problem that contains `part`.
bool Reports(const InterfaceReport& report, const std::string& part) {
  for (const std::string& p : report.problems) {
    if (p.find(part) != kNone) return true;
  }
  return false;
}

TEST_CASE("the checker reads declarations as written, comments and line breaks aside") {
  const std::vector<std::string> headers = {
      Normalize("class Shape {\n public:\n  // Its area.\n  virtual double Area(int\n"
                "      steps) const = 0;\n  int sides = 3;  // corners\n};\n")};
  const InterfaceReport good = CheckInterface(
      "class Shape {\n  double Area(int steps) const;  // doc comment\n  int sides;\n};\n",
      headers);
  CHECK_MESSAGE(good.problems.empty(), Lines(good));
  CHECK(good.identifiers == std::vector<std::string>{"Shape", "Area", "sides"});

  // A longer name only contains it: `side` is not `sides`.
  const InterfaceReport bad = CheckInterface("class Shape {\n  int side;\n};\n", headers);
  CHECK(Reports(bad, "`side`: in no header"));
}

TEST_CASE("docs/ARCHITECTURE.md's interface block is what the headers declare") {
  const std::string doc = ReadTextFile(std::string(MNEMO_SOURCE_DIR) + "/docs/ARCHITECTURE.md");
  const std::string code = CppBlocks(doc);
  REQUIRE(!code.empty());
  const InterfaceReport report = CheckInterface(code, RepositoryHeaders());
  CHECK_MESSAGE(report.problems.empty(), Lines(report));
  // The block was read: its main interfaces and their key members are there.
  const std::set<std::string> names(report.identifiers.begin(), report.identifiers.end());
  for (const char* name : {"Problem", "GradientEstimator", "Updater", "Step", "SearchSignal",
                           "nominal_step", "Strategy", "Tell", "MetaTask", "Policy", "Act"}) {
    CHECK_MESSAGE(names.count(name) == 1, std::string(name));
  }
}

TEST_CASE("the checker reports what no header declares") {
  const std::vector<std::string> headers = RepositoryHeaders();

  // A method no header has.
  const InterfaceReport unknown =
      CheckInterface("class Strategy {\n  void Frobnicate(int steps);\n};\n", headers);
  CHECK(Reports(unknown, "`Frobnicate`: in no header"));
  CHECK(Reports(unknown, "`void Frobnicate(int steps)`: in no header's `class Strategy`"));

  // Names that exist, in signatures that do not: the interfaces of old.
  const InterfaceReport stale = CheckInterface(
      "class Strategy {\n  StrategyStep Tell(std::span<const double> fitness);\n};\n"
      "class Updater {\n  void Step(const Vec& ascent, Vec* theta);\n};\n",
      headers);
  CHECK(stale.problems.size() == 2);
  CHECK(Reports(stale, "`StrategyStep Tell(std::span<const double> fitness)`: in no header's"));
  CHECK(Reports(stale, "`void Step(const Vec& ascent, Vec* theta)`: in no header's"));

  // A method of another class, a class that does not exist, a wrong base.
  CHECK(Reports(CheckInterface("class Strategy {\n  int Dim() const;\n};\n", headers),
                "`int Dim() const`: in no header's `class Strategy`"));
  CHECK(Reports(CheckInterface("class Optimizer {\n};\n", headers),
                "`class Optimizer {`: in no header"));
  CHECK(Reports(CheckInterface("class GradientStrategy final : public Problem {\n};\n", headers),
                "`class GradientStrategy final : public Problem {`: in no header"));

  // A free function with another signature.
  CHECK(Reports(
      CheckInterface("std::unique_ptr<Strategy> MakeStrategy(const ConfigNode& c);\n", headers),
      "`std::unique_ptr<Strategy> MakeStrategy(const ConfigNode& c)`: in no header"));
}

}  // namespace
}  // namespace mnemo
