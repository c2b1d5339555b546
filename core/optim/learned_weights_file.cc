#include "core/optim/learned_weights_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/io/binary_io.h"
#include "core/io/checksum.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {
namespace {

// The optimizer (registry name) whose weights files record `kind`: the
// kinds are format tags older than the names, kept so that files stay valid.
std::string OptimizerOfKind(const std::string& kind) {
  if (kind == "mnemosyne") return "mnemosyne_coordinatewise";
  if (kind == "mnemosyne_v2") return "mnemosyne";
  return kind;
}

// The first eight bytes of every weights file.
constexpr char kMagic[8] = {'M', 'N', 'E', 'M', 'O', 'W', 'T', 'S'};
// Bytes before the payload: magic, version, payload length.
constexpr std::size_t kHeaderBytes = 8 + 8 + 8;

// Reads a little-endian u64 at `at` of `bytes`.
std::uint64_t U64At(const std::string& bytes, std::size_t at) {
  std::uint64_t v;
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

// The error for `path`.
Error FileError(const std::string& path, const std::string& what) {
  return Error({path, 0, ""}, what);
}

// Parses the whole of `text` as a number (Error naming key and source).
double ParseDouble(const std::string& text, const std::string& key, const std::string& source) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (text.empty() || end != begin + text.size() || errno == ERANGE) {
    throw Error({source, 0, key}, "expected a number, got '" + text + "'");
  }
  return v;
}

// Splits a comma-separated list.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

// Formats a number so that strtod gives it back exactly.
std::string ExactText(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

void WeightsArchitecture::PutText(const std::string& key, const std::string& text) {
  entries_.emplace_back(key, text);
}
void WeightsArchitecture::PutInt(const std::string& key, long long value) {
  PutText(key, std::to_string(value));
}
void WeightsArchitecture::PutDouble(const std::string& key, double value) {
  PutText(key, ExactText(value));
}
void WeightsArchitecture::PutDoubles(const std::string& key, const std::vector<double>& values) {
  std::string text;
  for (double v : values) {
    if (!text.empty()) text += ',';
    text += ExactText(v);
  }
  PutText(key, text);
}
void WeightsArchitecture::PutInts(const std::string& key, const std::vector<int>& values) {
  std::string text;
  for (int v : values) {
    if (!text.empty()) text += ',';
    text += std::to_string(v);
  }
  PutText(key, text);
}
void WeightsArchitecture::PutString(const std::string& key, const std::string& value) {
  PutText(key, value);
}

bool WeightsArchitecture::Has(const std::string& key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return true;
  }
  return false;
}

const std::string& WeightsArchitecture::Text(const std::string& key,
                                             const std::string& source) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return v;
  }
  throw Error({source, 0, key}, "the architecture lacks this entry");
}

// Whether `v` is an integer that `Int` holds exactly (checked before any
// cast: casting a double out of range is undefined).
template <typename Int>
bool IsExactInteger(double v) {
  constexpr double kLimit = 9007199254740992.0;  // 2^53
  const double lo = std::max(-kLimit, static_cast<double>(std::numeric_limits<Int>::min()));
  const double hi = std::min(kLimit, static_cast<double>(std::numeric_limits<Int>::max()));
  return std::isfinite(v) && v >= lo && v <= hi && v == std::floor(v);
}

long long WeightsArchitecture::Int(const std::string& key, const std::string& source) const {
  const double v = ParseDouble(Text(key, source), key, source);
  if (!IsExactInteger<long long>(v)) throw Error({source, 0, key}, "expected an integer");
  return static_cast<long long>(v);
}

double WeightsArchitecture::Double(const std::string& key, const std::string& source) const {
  return ParseDouble(Text(key, source), key, source);
}

std::vector<double> WeightsArchitecture::Doubles(const std::string& key,
                                                 const std::string& source) const {
  std::vector<double> out;
  for (const auto& part : SplitList(Text(key, source))) {
    out.push_back(ParseDouble(part, key, source));
  }
  return out;
}

std::vector<int> WeightsArchitecture::Ints(const std::string& key,
                                           const std::string& source) const {
  std::vector<int> out;
  for (double v : Doubles(key, source)) {
    if (!IsExactInteger<int>(v)) throw Error({source, 0, key}, "expected a list of integers");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

void WriteLearnedWeights(const std::string& path, const LearnedWeights& weights) {
  std::ostringstream payload_stream;
  BinaryWriter payload(payload_stream);
  payload.WriteString(weights.kind);
  payload.WriteU64(weights.architecture.Entries().size());
  for (const auto& [key, text] : weights.architecture.Entries()) {
    payload.WriteString(key);
    payload.WriteString(text);
  }
  payload.WriteU64(weights.seed);
  payload.WriteVec(weights.numbers);
  WriteFileAtomically(path, FrameWeightsPayload(payload_stream.str()));
}

std::string FrameWeightsPayload(const std::string& payload) {
  std::ostringstream file_stream;
  BinaryWriter file(file_stream);
  file_stream.write(kMagic, sizeof kMagic);
  file.WriteU64(kWeightsFormatVersion);
  file.WriteU64(payload.size());
  file_stream.write(payload.data(), static_cast<std::streamsize>(payload.size()));
  file.WriteU64(Fnv1a64(payload));
  return file_stream.str();
}

std::string WeightsPayload(const std::string& bytes) {
  if (bytes.size() < kHeaderBytes + 8) return "";
  return bytes.substr(kHeaderBytes, bytes.size() - kHeaderBytes - 8);
}

std::string ResolveWeightsPath(const ConfigNode& config, const std::string& key) {
  const std::string found = config.FindFile(key);
  if (found.empty()) {
    throw config.ErrorAt(key, "weights file not found: " + config.RequireString(key) +
                                  " (looked next to the config, in the working "
                                  "directory and in the repository)");
  }
  return found;
}

void CheckArchitectureMatches(const ConfigNode& config, const WeightsArchitecture& expected,
                              const WeightsArchitecture& from_file, const std::string& path) {
  for (const auto& [key, text] : from_file.Entries()) {
    if (!expected.Has(key)) {
      throw Error({path, 0, key},
                  "unknown architecture entry in the weights file (written "
                  "by another version of the code?)");
    }
  }
  for (const auto& [key, text] : expected.Entries()) {
    if (!from_file.Has(key)) {
      throw Error({path, 0, key}, "the weights file lacks this architecture entry");
    }
    const std::string& stored = from_file.Text(key, path);
    if (config.Has(key) && stored != text) {
      throw config.ErrorAt(
          key, "does not match the weights file '" + path + "', which has " + key + " = " + stored);
    }
  }
}

LearnedWeights ReadConfiguredWeights(const ConfigNode& config, const std::string& kind,
                                     const WeightsArchitecture& expected, std::string* path) {
  *path = ResolveWeightsPath(config, "weights");
  LearnedWeights weights = ReadLearnedWeights(*path, kind);
  CheckArchitectureMatches(config, expected, weights.architecture, *path);
  return weights;
}

void CheckWeightCount(const LearnedWeights& weights, int count, const std::string& path) {
  if (weights.numbers.size() != count) {
    throw Error({path, 0, ""}, "weights file has " + std::to_string(weights.numbers.size()) +
                                   " numbers, its " + weights.kind + " architecture needs " +
                                   std::to_string(count));
  }
}

LearnedWeights ReadLearnedWeights(const std::string& path, const std::string& expected_kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open the weights file");
  std::stringstream whole;
  whole << in.rdbuf();
  return ParseLearnedWeights(whole.str(), path, expected_kind);
}

LearnedWeights ParseLearnedWeights(const std::string& bytes, const std::string& path,
                                   const std::string& expected_kind) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    throw FileError(path, "not a Mnemosyne weights file (wrong magic bytes)");
  }
  if (bytes.size() < kHeaderBytes) {
    throw FileError(path, "weights file is truncated (no header)");
  }
  const std::uint64_t version = U64At(bytes, 8);
  if (version != kWeightsFormatVersion) {
    throw FileError(path, "weights file format version " + std::to_string(version) +
                              ", this build reads " + std::to_string(kWeightsFormatVersion));
  }
  const std::uint64_t length = U64At(bytes, 16);
  if (length > bytes.size() || bytes.size() - kHeaderBytes < length + 8) {
    throw FileError(path, "weights file is truncated");
  }
  if (bytes.size() - kHeaderBytes > length + 8) {
    throw FileError(path, "weights file has trailing bytes (corrupt)");
  }
  const std::string payload = bytes.substr(kHeaderBytes, length);
  if (Fnv1a64(payload) != U64At(bytes, kHeaderBytes + length)) {
    throw FileError(path, "weights file checksum mismatch (the file is corrupt)");
  }

  std::istringstream payload_stream(payload);
  BinaryReader reader(payload_stream, path);
  LearnedWeights weights;
  weights.kind = reader.ReadString();
  const std::uint64_t entries = reader.ReadU64();
  if (entries > 10000) throw FileError(path, "corrupt architecture entry count");
  for (std::uint64_t i = 0; i < entries; ++i) {
    std::string key = reader.ReadString();
    weights.architecture.PutText(key, reader.ReadString());
  }
  weights.seed = reader.ReadU64();
  weights.numbers = reader.ReadVec();
  reader.ExpectEnd();
  for (Eigen::Index i = 0; i < weights.numbers.size(); ++i) {
    if (!std::isfinite(weights.numbers[i])) {
      throw FileError(path, "weights file holds a non-finite number (entry " + std::to_string(i) +
                                " of " + std::to_string(weights.numbers.size()) +
                                "); weights must be finite");
    }
  }
  if (weights.kind != expected_kind) {
    throw FileError(path, "weights file holds weights of the optimizer '" +
                              OptimizerOfKind(weights.kind) + "', not of '" +
                              OptimizerOfKind(expected_kind) + "'");
  }
  return weights;
}

}  // namespace mnemo
