// Typed, validated access to one YAML mapping of a config file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/util/error.h"

namespace mnemo {

// A mapping inside a config (the whole file, or a section such as `task:`).
// Every read names the file, line and full key in its error: a missing
// required key, a wrong type, a value out of range, or an unknown key.
class ConfigNode {
 public:
  // An empty mapping (every Get returns its default).
  ConfigNode();
  // Parses a YAML file; a syntax error names the file and line.
  static ConfigNode LoadFile(const std::string& path);
  // Parses YAML text; `source` names it in errors.
  static ConfigNode FromString(const std::string& text, const std::string& source);

  // Whether the mapping has `key`.
  bool Has(const std::string& key) const;
  // The sub-mapping at `key` (empty if absent; an error if not a mapping).
  ConfigNode Child(const std::string& key) const;

  // A number in [lo, hi], or `fallback` if absent.
  double GetDouble(const std::string& key, double fallback, double lo = -1e300,
                   double hi = 1e300) const;
  // An integer in [lo, hi], or `fallback` if absent.
  long long GetInt(const std::string& key, long long fallback, long long lo = -(1LL << 62),
                   long long hi = 1LL << 62) const;
  // A boolean, or `fallback` if absent.
  bool GetBool(const std::string& key, bool fallback) const;
  // A string, one of `allowed` when that is not empty, or `fallback`.
  std::string GetString(const std::string& key, const std::string& fallback,
                        const std::vector<std::string>& allowed = {}) const;
  // A list of integers, each in [lo, hi], or `fallback` if absent.
  std::vector<long long> GetIntList(const std::string& key, const std::vector<long long>& fallback,
                                    long long lo = -(1LL << 62), long long hi = 1LL << 62) const;
  // A list of numbers, each in [lo, hi], or `fallback` if absent.
  std::vector<double> GetDoubleList(const std::string& key, const std::vector<double>& fallback,
                                    double lo, double hi) const;
  // A list of strings (plain scalars), or `fallback` if absent.
  std::vector<std::string> GetStringList(const std::string& key,
                                         const std::vector<std::string>& fallback) const;
  // A string that is required.
  std::string RequireString(const std::string& key) const;
  // The file named at `key`, found next to this config's file, else as
  // given (relative to the working directory), else in the repository;
  // absolute and normalized. "" when it is in none of them. Next to the
  // config comes first so that a run folder's config finds its own copies.
  std::string FindFile(const std::string& key) const;

  // Throws for any key of this mapping not in `known` (listing them).
  void AllowOnly(const std::vector<std::string>& known) const;
  // The error to throw for `key` of this mapping.
  Error ErrorAt(const std::string& key, const std::string& message) const;

  // The underlying YAML (for writing the resolved config back out).
  const YAML::Node& Yaml() const { return node_; }
  // The file this came from.
  const std::string& File() const { return *file_; }
  // The dotted key path of this mapping ("" for the root).
  const std::string& Path() const { return path_; }

 private:
  ConfigNode(YAML::Node node, std::shared_ptr<const std::string> file, std::string path);
  // The full dotted name of `key` in this mapping.
  std::string FullKey(const std::string& key) const;
  // The 1-based line of `key`'s value (or of this mapping).
  int LineOf(const std::string& key) const;
  // The scalar at `key` converted to T, with a typed error.
  template <typename T>
  T Scalar(const std::string& key, const char* type_name) const;

  YAML::Node node_;
  std::shared_ptr<const std::string> file_;
  std::string path_;
};

// Throws an Error naming `source`, the line and the key unless every
// mapping key under `node` is a plain name (not a list or a mapping) that
// appears once in its mapping (a duplicate names both lines), the nesting
// is at most 64 levels deep, and the values, each alias counted wherever it
// is used, are at most 100000 (a "billion laughs" of nested aliases is
// refused at once, before anything walks it). ConfigNode::FromString checks
// every file so.
void CheckPlainKeys(const YAML::Node& node, const std::string& source);

// Every value under `node` as a (dotted key, text) pair, in document order:
// "train.seed" -> "1", a list's entries as "policy.hidden[0]", an empty
// mapping or list as "{}" or "[]", a null as "~" (what two configs must
// share to give the same run).
std::vector<std::pair<std::string, std::string>> FlattenYaml(const YAML::Node& node);

// A copy of `config` with `key` set to `value` (YAML text), read again
// under the same file name (for building copies of an already validated
// section: line numbers of the copy are not the file's).
ConfigNode ConfigWithKey(const ConfigNode& config, const std::string& key,
                         const std::string& value);

}  // namespace mnemo
