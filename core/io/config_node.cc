#include "core/io/config_node.h"

#include <filesystem>
#include <map>
#include <sstream>

#include "core/io/text_file.h"

namespace mnemo {

ConfigNode::ConfigNode()
    : node_(YAML::NodeType::Map), file_(std::make_shared<const std::string>("")) {}

ConfigNode::ConfigNode(YAML::Node node, std::shared_ptr<const std::string> file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {}

namespace {

// Deepest nesting a config may have (real ones have 4 levels).
constexpr int kMaxDepth = 64;
// Most values a config may hold, each alias counted at every use (real
// configs hold a few hundred; a "billion laughs" of nested aliases would
// take minutes to walk).
constexpr long kMaxValues = 100000;

// The walk of CheckPlainKeys: where it reads and what it has counted.
class KeyCheck {
 public:
  explicit KeyCheck(const std::string& source) : source_(source) {}

  // Checks `node`, `depth` levels down at the dotted key `path`.
  void Check(const YAML::Node& node, const std::string& path, int depth) {
    if (++values_ > kMaxValues) {
      throw Error({source_, LineOf(node), path},
                  "holds more than " + std::to_string(kMaxValues) +
                      " values once its aliases are expanded (aliases nested in aliases: a "
                      "YAML alias bomb?); refused");
    }
    if (!node.IsMap() && !node.IsSequence()) return;
    if (depth > kMaxDepth) {
      throw Error({source_, LineOf(node), path},
                  "nested more than " + std::to_string(kMaxDepth) + " levels deep");
    }
    if (node.IsSequence()) {
      for (const auto& item : node) Check(item, path, depth + 1);
      return;
    }
    std::map<std::string, int> lines;  // key -> line where it first appears
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        throw Error({source_, LineOf(entry.first), path},
                    "a key must be a plain name, not a list or a mapping");
      }
      const std::string key = entry.first.Scalar();
      const std::string full = path.empty() ? key : path + "." + key;
      const auto [first, fresh] = lines.emplace(key, LineOf(entry.first));
      if (!fresh) {
        throw Error({source_, LineOf(entry.first), full}, "duplicate key (also at line " +
                                                              std::to_string(first->second) +
                                                              "); each key may appear once");
      }
      Check(entry.second, full, depth + 1);
    }
  }

 private:
  // The 1-based line of `node` (0 when unknown).
  static int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

  const std::string& source_;
  long values_ = 0;  // values visited so far
};

}  // namespace

void CheckPlainKeys(const YAML::Node& node, const std::string& source) {
  KeyCheck(source).Check(node, "", 0);
}

ConfigNode ConfigNode::FromString(const std::string& text, const std::string& source) {
  auto file = std::make_shared<const std::string>(source);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error({source, e.mark.line + 1, ""}, "YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw Error({source, 1, ""}, "expected a mapping of keys at the top");
  CheckPlainKeys(root, source);
  return ConfigNode(root, file, "");
}

ConfigNode ConfigNode::LoadFile(const std::string& path) {
  return FromString(ReadTextFile(path), path);
}

std::string ConfigNode::FullKey(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

int ConfigNode::LineOf(const std::string& key) const {
  if (!key.empty() && node_.IsMap() && node_[key]) return node_[key].Mark().line + 1;
  const int line = node_.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

Error ConfigNode::ErrorAt(const std::string& key, const std::string& message) const {
  return Error({*file_, LineOf(key), FullKey(key)}, message);
}

bool ConfigNode::Has(const std::string& key) const {
  return node_.IsMap() && node_[key] && !node_[key].IsNull();
}

ConfigNode ConfigNode::Child(const std::string& key) const {
  if (!Has(key)) return ConfigNode(YAML::Node(YAML::NodeType::Map), file_, FullKey(key));
  YAML::Node child = node_[key];
  if (!child.IsMap()) throw ErrorAt(key, "expected a mapping of keys");
  return ConfigNode(child, file_, FullKey(key));
}

template <typename T>
T ConfigNode::Scalar(const std::string& key, const char* type_name) const {
  const YAML::Node v = node_[key];
  if (!v.IsScalar()) throw ErrorAt(key, std::string("expected ") + type_name);
  try {
    return v.as<T>();
  } catch (const YAML::Exception&) {
    throw ErrorAt(key, std::string("expected ") + type_name + ", got '" + v.Scalar() + "'");
  }
}

double ConfigNode::GetDouble(const std::string& key, double fallback, double lo, double hi) const {
  if (!Has(key)) return fallback;
  const double v = Scalar<double>(key, "a number");
  if (!(v >= lo && v <= hi)) {
    std::ostringstream msg;
    msg << "value " << v << " is out of range [" << lo << ", " << hi << "]";
    throw ErrorAt(key, msg.str());
  }
  return v;
}

long long ConfigNode::GetInt(const std::string& key, long long fallback, long long lo,
                             long long hi) const {
  if (!Has(key)) return fallback;
  const long long v = Scalar<long long>(key, "an integer");
  if (v < lo || v > hi) {
    throw ErrorAt(key, "value " + std::to_string(v) + " is out of range [" + std::to_string(lo) +
                           ", " + std::to_string(hi) + "]");
  }
  return v;
}

bool ConfigNode::GetBool(const std::string& key, bool fallback) const {
  if (!Has(key)) return fallback;
  return Scalar<bool>(key, "true or false");
}

std::string ConfigNode::GetString(const std::string& key, const std::string& fallback,
                                  const std::vector<std::string>& allowed) const {
  if (!Has(key)) return fallback;
  const std::string v = Scalar<std::string>(key, "a string");
  if (!allowed.empty()) {
    bool ok = false;
    std::string list;
    for (const auto& a : allowed) {
      ok = ok || a == v;
      list += (list.empty() ? "" : ", ") + a;
    }
    if (!ok) throw ErrorAt(key, "'" + v + "' is not one of: " + list);
  }
  return v;
}

std::string ConfigNode::RequireString(const std::string& key) const {
  if (!Has(key)) throw ErrorAt(key, "required key is missing");
  return GetString(key, "");
}

std::string ConfigNode::FindFile(const std::string& key) const {
  namespace fs = std::filesystem;
  const fs::path given(RequireString(key));
  std::vector<fs::path> candidates;
  if (given.is_relative() && !File().empty()) {
    candidates.push_back(fs::path(File()).parent_path() / given);
  }
  candidates.push_back(given);
  if (given.is_relative()) candidates.push_back(fs::path(MNEMO_SOURCE_DIR) / given);
  for (const fs::path& candidate : candidates) {
    std::error_code error;
    const fs::file_status status = fs::status(candidate, error);
    if (error && error != std::errc::no_such_file_or_directory &&
        error != std::errc::not_a_directory) {
      throw ErrorAt(key, "cannot use the path: " + error.message());
    }
    if (!fs::exists(status)) continue;
    if (!fs::is_regular_file(status)) {
      throw ErrorAt(key, "'" + candidate.string() + "' is not a regular file");
    }
    return fs::absolute(candidate).lexically_normal().string();
  }
  return "";
}

std::vector<long long> ConfigNode::GetIntList(const std::string& key,
                                              const std::vector<long long>& fallback, long long lo,
                                              long long hi) const {
  if (!Has(key)) return fallback;
  const YAML::Node v = node_[key];
  if (!v.IsSequence()) throw ErrorAt(key, "expected a list of integers");
  std::vector<long long> out;
  for (const auto& item : v) {
    long long x;
    try {
      x = item.as<long long>();
    } catch (const YAML::Exception&) {
      throw ErrorAt(key, "expected a list of integers");
    }
    if (x < lo || x > hi) {
      throw ErrorAt(key, "element " + std::to_string(x) + " is out of range [" +
                             std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out.push_back(x);
  }
  return out;
}

std::vector<std::string> ConfigNode::GetStringList(const std::string& key,
                                                   const std::vector<std::string>& fallback) const {
  if (!Has(key)) return fallback;
  const YAML::Node list = node_[key];
  if (!list.IsSequence()) throw ErrorAt(key, "expected a list of strings");
  std::vector<std::string> out;
  for (const auto& item : list) {
    if (!item.IsScalar()) throw ErrorAt(key, "expected a list of strings");
    out.push_back(item.Scalar());
  }
  return out;
}

std::vector<double> ConfigNode::GetDoubleList(const std::string& key,
                                              const std::vector<double>& fallback, double lo,
                                              double hi) const {
  if (!Has(key)) return fallback;
  const YAML::Node v = node_[key];
  if (!v.IsSequence()) throw ErrorAt(key, "expected a list of numbers");
  std::vector<double> out;
  for (const auto& item : v) {
    double x;
    try {
      x = item.as<double>();
    } catch (const YAML::Exception&) {
      throw ErrorAt(key, "expected a list of numbers");
    }
    if (!(x >= lo && x <= hi)) {
      std::ostringstream msg;
      msg << "element " << x << " is out of range [" << lo << ", " << hi << "]";
      throw ErrorAt(key, msg.str());
    }
    out.push_back(x);
  }
  return out;
}

void ConfigNode::AllowOnly(const std::vector<std::string>& known) const {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.as<std::string>();
    bool ok = false;
    for (const auto& k : known) ok = ok || k == key;
    if (!ok) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw Error({*file_, kv.first.Mark().line + 1, FullKey(key)},
                  "unknown key (known here: " + list + ")");
    }
  }
}

namespace {

// FlattenYaml of `node`, found at `key`, appended to `out`.
void FlattenAt(const YAML::Node& node, const std::string& key,
               std::vector<std::pair<std::string, std::string>>* out) {
  if (node.IsMap() && node.size() > 0) {
    for (const auto& entry : node) {
      const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      FlattenAt(entry.second, key.empty() ? name : key + "." + name, out);
    }
  } else if (node.IsSequence() && node.size() > 0) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      FlattenAt(node[i], key + "[" + std::to_string(i) + "]", out);
    }
  } else {
    out->emplace_back(key, node.IsMap()        ? "{}"
                           : node.IsSequence() ? "[]"
                           : node.IsScalar()   ? node.Scalar()
                                               : "~");
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> FlattenYaml(const YAML::Node& node) {
  std::vector<std::pair<std::string, std::string>> out;
  FlattenAt(node, "", &out);
  return out;
}

ConfigNode ConfigWithKey(const ConfigNode& config, const std::string& key,
                         const std::string& value) {
  YAML::Node copy = YAML::Clone(config.Yaml());
  copy[key] = YAML::Load(value);
  YAML::Emitter emitter;
  emitter << copy;
  return ConfigNode::FromString(emitter.c_str(), config.File());
}

}  // namespace mnemo
