// The weights file of a learned updater (Mnemosyne, LSTM): a format version,
// the updater's kind, its architecture as ordered key = value entries, the
// random seed its fixed random numbers come from, the flat meta-parameter
// vector and a checksum. Corrupt, truncated or foreign files are refused
// with a message that names the file and the reason.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/io/config_node.h"
#include "core/math/types.h"

namespace mnemo {

// The format version this build writes and reads.
constexpr std::uint64_t kWeightsFormatVersion = 1;

// The architecture of a learned updater as text entries, in a fixed order.
// Numbers are written so that they read back bit-exactly.
class WeightsArchitecture {
 public:
  // Adds an integer entry.
  void PutInt(const std::string& key, long long value);
  // Adds a number entry (17 significant digits: exact on reading).
  void PutDouble(const std::string& key, double value);
  // Adds a list of numbers.
  void PutDoubles(const std::string& key, const std::vector<double>& values);
  // Adds a list of integers.
  void PutInts(const std::string& key, const std::vector<int>& values);
  // Adds a text entry.
  void PutString(const std::string& key, const std::string& value);

  // Whether there is an entry `key`.
  bool Has(const std::string& key) const;
  // The text of entry `key`; a missing key is an Error naming `source`.
  const std::string& Text(const std::string& key, const std::string& source) const;
  // The entry `key` read as an integer (Error naming `source` otherwise).
  long long Int(const std::string& key, const std::string& source) const;
  // The entry `key` read as a number.
  double Double(const std::string& key, const std::string& source) const;
  // The entry `key` read as a list of numbers.
  std::vector<double> Doubles(const std::string& key, const std::string& source) const;
  // The entry `key` read as a list of integers.
  std::vector<int> Ints(const std::string& key, const std::string& source) const;

  // All entries in order.
  const std::vector<std::pair<std::string, std::string>>& Entries() const { return entries_; }
  // Adds an entry as text (used when reading a file).
  void PutText(const std::string& key, const std::string& text);

  // Whether both have the same entries in the same order.
  bool operator==(const WeightsArchitecture& other) const = default;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// Everything a weights file holds.
struct LearnedWeights {
  std::string kind;                  // updater name ("mnemosyne", "lstm")
  WeightsArchitecture architecture;  // sizes and fixed choices
  std::uint64_t seed = 0;            // seed of the fixed random numbers
  Vec numbers;                       // the flat meta-parameter vector
};

// Writes `weights` to `path` atomically (a temporary file, then a rename).
void WriteLearnedWeights(const std::string& path, const LearnedWeights& weights);

// The bytes of a weights file around `payload`: magic, format version,
// length, the payload, its checksum (what WriteLearnedWeights writes; also
// how the fuzz target re-seals a mutated payload).
std::string FrameWeightsPayload(const std::string& payload);
// The payload of a weights file's bytes, unchecked ("" if too short).
std::string WeightsPayload(const std::string& bytes);

// Reads a weights file of `expected_kind`. Throws Error naming `path` when the
// file is missing, not a weights file, of another format version, truncated,
// fails its checksum, or holds another kind of updater.
LearnedWeights ReadLearnedWeights(const std::string& path, const std::string& expected_kind);
// The same for the bytes of a weights file (`path` names it in errors).
LearnedWeights ParseLearnedWeights(const std::string& bytes, const std::string& path,
                                   const std::string& expected_kind);

// The weights file named by `config`'s `key` (ConfigNode::FindFile: next
// to the config file, as given, or in the repository, so that
// "configs/weights/X" works from any folder), as an absolute path. A missing
// file is an Error at that key.
std::string ResolveWeightsPath(const ConfigNode& config, const std::string& key);

// Checks a weights file's architecture against the code and the config:
// `expected` is the architecture the config describes (defaults filled in).
// Throws Error when the file has an entry the code does not know or lacks
// one it needs, and when a key that `config` sets itself differs from the
// file's value (the error points at that config key).
void CheckArchitectureMatches(const ConfigNode& config, const WeightsArchitecture& expected,
                              const WeightsArchitecture& from_file, const std::string& path);

// Reads the weights file named by `config`'s `weights` key as `kind` and
// checks its architecture against `expected` (see CheckArchitectureMatches);
// writes the resolved path to `path`.
LearnedWeights ReadConfiguredWeights(const ConfigNode& config, const std::string& kind,
                                     const WeightsArchitecture& expected, std::string* path);

// Throws unless `weights` holds exactly `count` numbers (`path` names the
// file in the message).
void CheckWeightCount(const LearnedWeights& weights, int count, const std::string& path);

}  // namespace mnemo
