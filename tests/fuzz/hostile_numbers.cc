#include "tests/fuzz/hostile_numbers.h"

#include <cstdint>
#include <cstring>
#include <limits>

namespace mnemo::fuzz {
namespace {

// Longest string the walk recognizes (a state's and a weights file's names,
// keys and architecture entries are shorter).
constexpr std::uint64_t kMaxTextLength = 4096;

// The 8 bytes at `at`, as written by BinaryWriter (little-endian).
std::uint64_t WordAt(const std::string& bytes, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, 8);
  return v;
}

// Writes `v` over the 8 bytes at `at`.
void PutWord(std::string& bytes, std::size_t at, std::uint64_t v) {
  std::memcpy(bytes.data() + at, &v, 8);
}

// Whether the `n` bytes at `at` are printable text (what a name, a key or
// an architecture entry holds).
bool IsText(const std::string& bytes, std::size_t at, std::size_t n) {
  for (std::size_t i = at; i < at + n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if ((c < 0x20 || c > 0x7e) && c != '\n') return false;
  }
  return true;
}

// The bits of `x`.
std::uint64_t Bits(double x) {
  std::uint64_t v = 0;
  std::memcpy(&v, &x, 8);
  return v;
}

// Hostile doubles.
const double kNumbers[] = {std::numeric_limits<double>::quiet_NaN(),
                           -std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           1e300,
                           -1e300,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min(),
                           -0.0,
                           1e6,
                           -1.0};

// Hostile counts and sizes.
const std::int64_t kCounts[] = {-1,
                                std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max(),
                                std::int64_t{1} << 62,
                                std::int64_t{1} << 31,
                                (std::int64_t{1} << 32) + 1,
                                0,
                                1,
                                -2};

// Hostile text for a string field (an architecture entry is a number as
// text).
const char* const kTexts[] = {
    "nan", "inf",  "-inf",   "1e300", "-1e300", "-1", "0", "", "9223372036854775808",
    "1.5", "0x10", "1e-320", "16 16", "a"};

}  // namespace

std::vector<PayloadField> FindPayloadFields(const std::string& payload) {
  std::vector<PayloadField> fields;
  std::size_t at = 0;
  while (at + 8 <= payload.size()) {
    const std::uint64_t v = WordAt(payload, at);
    if (v > 0 && v <= kMaxTextLength && v <= payload.size() - at - 8 &&
        IsText(payload, at + 8, v)) {
      fields.push_back({at, PayloadField::Kind::kText});
      at += 8 + v;
      continue;
    }
    const auto s = static_cast<std::int64_t>(v);
    const bool count = (v >> 32) == 0 || (s < 0 && s > -(std::int64_t{1} << 31));
    fields.push_back({at, count ? PayloadField::Kind::kCount : PayloadField::Kind::kNumber});
    at += 8;
  }
  return fields;
}

void WriteHostileNumbers(std::string& payload, Rng& rng) {
  const std::size_t writes = 1 + rng.Below(3);
  for (std::size_t w = 0; w < writes; ++w) {
    // Found again after each write: a new text changes the offsets after it.
    const std::vector<PayloadField> fields = FindPayloadFields(payload);
    if (fields.empty()) return;
    const PayloadField field = fields[rng.Below(fields.size())];
    if (field.kind == PayloadField::Kind::kText && rng.Below(4) != 0) {
      const std::uint64_t old = WordAt(payload, field.offset);
      const std::string text = rng.Pick(kTexts);
      payload.replace(field.offset + 8, old, text);
      PutWord(payload, field.offset, text.size());
      continue;
    }
    // Mostly the kind of value the field holds, sometimes the other kind.
    const bool number = (field.kind == PayloadField::Kind::kNumber) == (rng.Below(4) != 0);
    PutWord(payload, field.offset,
            number ? Bits(rng.Pick(kNumbers)) : static_cast<std::uint64_t>(rng.Pick(kCounts)));
  }
}

}  // namespace mnemo::fuzz
