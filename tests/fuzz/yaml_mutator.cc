#include "tests/fuzz/yaml_mutator.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace mnemo::fuzz {
namespace {

// Longest text a mutation may make: real configs hold a few KiB.
constexpr std::size_t kMaxText = 1 << 16;

// A line holding a block mapping entry: `key: value`, or `key:` before the
// block nested under it.
struct KeyLine {
  std::size_t line = 0;      // index in the lines
  std::size_t indent = 0;    // spaces before the key
  std::string key;           // the key
  bool inline_value = true;  // whether a value follows on the line
};

// The lines of `text` (JoinLines gives the text back).
std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  lines.push_back(text.substr(start));
  return lines;
}

// The lines joined by line breaks.
std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) text.append(i == 0 ? "" : "\n").append(lines[i]);
  return text;
}

// Spaces at the start of `line`.
std::size_t IndentOf(const std::string& line) {
  const std::size_t at = line.find_first_not_of(' ');
  return at == std::string::npos ? line.size() : at;
}

// Whether `line` holds nothing but spaces or a comment.
bool IsBlank(const std::string& line) {
  const std::size_t at = line.find_first_not_of(' ');
  return at == std::string::npos || line[at] == '#';
}

// The block mapping entries of `lines`, in order.
std::vector<KeyLine> FindKeyLines(const std::vector<std::string>& lines) {
  std::vector<KeyLine> keys;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (IsBlank(line)) continue;
    const std::size_t indent = IndentOf(line);
    std::size_t end = indent;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) != 0 ||
                                 line[end] == '_' || line[end] == '.' || line[end] == '-')) {
      ++end;
    }
    if (end == indent || end >= line.size() || line[end] != ':') continue;
    if (end + 1 < line.size() && line[end + 1] != ' ') continue;
    const std::size_t value = line.find_first_not_of(' ', end + 1);
    keys.push_back({i, indent, line.substr(indent, end - indent),
                    value != std::string::npos && line[value] != '#'});
  }
  return keys;
}

// The index after the entry `k` and the lines nested under it (a list at
// its own indent included).
std::size_t BlockEnd(const std::vector<std::string>& lines, const KeyLine& k) {
  std::size_t i = k.line + 1;
  while (i < lines.size() &&
         (IsBlank(lines[i]) || IndentOf(lines[i]) > k.indent ||
          (IndentOf(lines[i]) == k.indent && lines[i].compare(k.indent, 2, "- ") == 0))) {
    ++i;
  }
  return i;
}

// Makes `value` the value of the entry `k` (what was nested under it goes).
void SetValue(std::vector<std::string>& lines, const KeyLine& k, const std::string& value) {
  const std::size_t end = BlockEnd(lines, k);
  lines[k.line] = std::string(k.indent, ' ') + k.key + ": " + value;
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(k.line) + 1,
              lines.begin() + static_cast<std::ptrdiff_t>(end));
}

// `name` followed by the number `i` (an anchor's name).
std::string Named(const std::string& name, std::size_t i) { return name + std::to_string(i); }

// An alias of the anchor Named(name, i).
std::string Alias(const std::string& name, std::size_t i) {
  return std::string("*").append(Named(name, i));
}

// A flow list of `depth` anchors, each holding `fan` uses of the one before:
// `[&b0 [x, x], &b1 [*b0, *b0], ...]`, fan^depth values once expanded.
std::string FlowBomb(std::size_t depth, std::size_t fan, const std::string& name) {
  std::string text = "[";
  for (std::size_t d = 0; d < depth; ++d) {
    text.append(d == 0 ? "&" : ", &").append(Named(name, d)).append(" [");
    for (std::size_t f = 0; f < fan; ++f) {
      text.append(f == 0 ? "" : ", ").append(d == 0 ? std::string("x") : Alias(name, d - 1));
    }
    text += "]";
  }
  return text + "]";
}

// An alias bomb: under an existing key, as top-level entries used by a
// later key ("billion laughs"), or under a new key at the end.
void AliasBomb(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  static const char* const kNames[] = {"a", "lol", "b_"};
  const std::string name = rng.Pick(kNames);
  const std::size_t depth = 1 + rng.Below(12);
  const std::size_t fan = 2 + rng.Below(9);
  switch (keys.empty() ? 2 : rng.Below(3)) {
    case 0:
      SetValue(lines, keys[rng.Below(keys.size())], FlowBomb(depth, fan, name));
      break;
    case 1: {
      std::vector<std::string> defs;
      for (std::size_t d = 0; d < depth; ++d) {
        std::string items;
        for (std::size_t f = 0; f < fan; ++f) {
          items.append(f == 0 ? "" : ", ").append(d == 0 ? std::string("x") : Alias(name, d - 1));
        }
        defs.push_back(Named(name, d) + ": &" + Named(name, d) + " [" + items + "]");
      }
      KeyLine user = keys[rng.Below(keys.size())];
      SetValue(lines, user, Alias(name, depth - 1));
      lines.insert(lines.begin(), defs.begin(), defs.end());
      break;
    }
    default:
      lines.push_back(name + ": " + FlowBomb(depth, fan, name));
      break;
  }
}

// A merge key (`<<:`) in one entry's block referring to an anchor put on
// another entry (a scalar, a mapping, itself, or one not defined yet).
void MergeKey(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  if (keys.empty()) {
    lines.push_back("<<: {a: 1}");
    return;
  }
  const KeyLine& from = keys[rng.Below(keys.size())];
  const KeyLine& into = keys[rng.Below(keys.size())];
  const std::string anchor = Named("m", rng.Below(3));
  static const char* const kForms[] = {"*@", "[*@, *@]", "{a: 1}", "*@\n<<: *@"};
  std::string merge = rng.Pick(kForms);
  for (std::size_t at; (at = merge.find('@')) != std::string::npos;) merge.replace(at, 1, anchor);
  const std::string pad(into.indent + (into.inline_value ? 0 : 2), ' ');
  for (std::size_t at = 0; (at = merge.find('\n', at)) != std::string::npos; at += 1 + pad.size()) {
    merge.insert(at + 1, pad);
  }
  std::string& line = lines[from.line];
  if (from.inline_value) {
    line.insert(line.find(':', from.indent) + 2, std::string("&").append(anchor).append(" "));
  } else {
    line.append(" &").append(anchor);
  }
  // The merge goes inside `into`'s block when it has one, else next to it.
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(into.line) + 1, pad + "<<: " + merge);
}

// Another value for an entry: YAML's special scalars, tags, other types.
const char* const kValues[] = {".nan",     ".inf",     "-.inf",
                               "~",        "null",     "!!binary aGVsbG8=",
                               "1e300",    "-1e300",   "-1",
                               "0",        "1.5",      "0x7fffffffffffffff",
                               "[]",       "{}",       "\"\"",
                               "!!str 3",  "yes",      "18446744073709551616",
                               "0o17",     "1_000",    "'1'",
                               "|\n  a",   "*none",    "!!map {a: 1}",
                               "? a",      "[1, [2]]", "{a: 1, a: 2}",
                               "&x 1",     "!t 2",     "\"\\u0000\"",
                               "\"a\tb\"", "-",        "{a: [1, {b: 2}]}",
                               "1e-320"};

// An entry repeated in the same mapping (its block too), perhaps with
// another value; or a key repeated inside a flow mapping.
void DuplicateKey(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  if (rng.Below(3) == 0) {
    // Lines with `{key: ...}`: where the first key starts and its colon.
    std::vector<std::size_t> flows;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::size_t open = lines[i].find('{');
      const std::size_t colon = lines[i].find(": ", open);
      if (open != std::string::npos && colon != std::string::npos &&
          lines[i].find('}', colon) != std::string::npos) {
        flows.push_back(i);
      }
    }
    if (!flows.empty()) {
      std::string& line = lines[flows[rng.Below(flows.size())]];
      const std::size_t colon = line.find(": ", line.find('{'));
      const std::size_t start = line.find_last_of("{, ", colon - 1) + 1;
      const std::string key = line.substr(start, colon - start);
      line.insert(line.find('}', colon),
                  std::string(", ").append(key).append(": ").append(rng.Pick(kValues)));
      return;
    }
  }
  if (keys.empty()) return;
  const KeyLine& k = keys[rng.Below(keys.size())];
  const std::size_t end = BlockEnd(lines, k);
  std::vector<std::string> copy(lines.begin() + static_cast<std::ptrdiff_t>(k.line),
                                lines.begin() + static_cast<std::ptrdiff_t>(end));
  if (rng.Below(2) == 0) copy = {std::string(k.indent, ' ') + k.key + ": " + rng.Pick(kValues)};
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(end), copy.begin(), copy.end());
}

// A value nested `depth` levels deep: flow lists, flow mappings, block
// mappings or compact block lists, around the limits (64 levels for
// configs, yaml-cpp's own guard at a few thousand).
void DeepNesting(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  static const std::size_t kDepths[] = {8, 63, 64, 65, 66, 100, 1000, 1999, 2001, 5000};
  std::size_t depth = rng.Pick(kDepths);
  KeyLine k{lines.size(), 0, "deep", false};
  if (keys.empty()) {
    lines.push_back("deep: 1");
  } else {
    k = keys[rng.Below(keys.size())];
  }
  std::string value;
  switch (rng.Below(4)) {
    case 0:
      value = std::string(depth, '[') + "1" + std::string(depth, ']');
      break;
    case 1:
      for (std::size_t d = 0; d < depth; ++d) value += "{a: ";
      value.append("1").append(depth, '}');
      break;
    case 2:  // block mappings: the text grows as depth^2, so at most 100
      depth = std::min<std::size_t>(depth, 100);
      for (std::size_t d = 1; d <= depth; ++d) {
        value.append("\n").append(k.indent + 2 * d, ' ').append(d == depth ? "a: 1" : "a:");
      }
      break;
    default:
      value = std::string("\n").append(k.indent + 2, ' ');
      for (std::size_t d = 0; d < depth; ++d) value += "- ";
      value += "1";
      break;
  }
  SetValue(lines, k, value);
}

// Top-level entries whose values are anchors built from earlier anchors
// (lists and mappings of aliases, merges), with one oddity (an anchor
// defined twice, an alias as a key, an undefined alias, a node that holds
// itself, an anchor on an alias or on a key); an existing entry then takes
// one of them as its value.
void AnchorChain(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  const std::size_t n = 2 + rng.Below(5);
  std::vector<std::string> defs = {std::string("c0: &c0 ").append(rng.Pick(kValues))};
  for (std::size_t i = 1; i < n; ++i) {
    const std::string a = Alias("c", rng.Below(i));
    const std::string b = Alias("c", rng.Below(i));
    static const char* const kForms[] = {"[@a, @b]", "{x: @a, y: @b}", "{<<: @a, z: 1}",
                                         "[[@a], {k: @b}]", "@a"};
    std::string form = rng.Pick(kForms);
    form.replace(form.find("@a"), 2, a);
    if (const std::size_t at = form.find("@b"); at != std::string::npos) form.replace(at, 2, b);
    defs.push_back(Named("c", i) + ": &" + Named("c", i) + " " + form);
  }
  static const char* const kOddities[] = {"c9: &c0 2",     "*c0 : 1",   "u: *nowhere", "s: &s [*s]",
                                          "t: &t {k: *t}", "&k key: 1", "r: &r *c0",   "c0: again"};
  if (rng.Below(2) == 0)
    defs.insert(defs.begin() + 1 + rng.Below(defs.size()), rng.Pick(kOddities));
  if (!keys.empty()) SetValue(lines, keys[rng.Below(keys.size())], Alias("c", rng.Below(n)));
  lines.insert(lines.begin(), defs.begin(), defs.end());
}

// An entry moved, with its block, into another mapping (indented as the
// entry it lands before).
void MoveEntry(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  if (keys.size() < 2) return;
  const KeyLine& k = keys[rng.Below(keys.size())];
  const KeyLine& to = keys[rng.Below(keys.size())];
  const std::size_t end = BlockEnd(lines, k);
  if (to.line >= k.line && to.line < end) return;
  std::vector<std::string> block;
  for (std::size_t i = k.line; i < end; ++i) {
    const std::size_t cut = std::min(IndentOf(lines[i]), k.indent);
    block.push_back(std::string(to.indent, ' ') + lines[i].substr(cut));
  }
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(to.line), block.begin(), block.end());
  const std::size_t shift = to.line < k.line ? block.size() : 0;
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(k.line + shift),
              lines.begin() + static_cast<std::ptrdiff_t>(end + shift));
}

// An entry's value swapped for a special scalar, a tag or another type.
void SwapValue(std::vector<std::string>& lines, const std::vector<KeyLine>& keys, Rng& rng) {
  if (!keys.empty()) SetValue(lines, keys[rng.Below(keys.size())], rng.Pick(kValues));
}

// A structural mutation of the lines (`keys` their entries).
using Mutation = void (*)(std::vector<std::string>& lines, const std::vector<KeyLine>& keys,
                          Rng& rng);

// The mutations, equally likely.
const Mutation kMutations[] = {AliasBomb,   MergeKey,  DuplicateKey, DeepNesting,
                               AnchorChain, SwapValue, MoveEntry};

}  // namespace

void MutateYaml(std::string& text, Rng& rng) {
  std::vector<std::string> lines = SplitLines(text);
  rng.Pick(kMutations)(lines, FindKeyLines(lines), rng);
  std::string mutant = JoinLines(lines);
  if (mutant.size() <= kMaxText) text = std::move(mutant);
}

}  // namespace mnemo::fuzz
