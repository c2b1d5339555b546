#include "core/io/binary_io.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <istream>
#include <limits>
#include <ostream>

#include "core/util/error.h"

namespace mnemo {

static_assert(std::endian::native == std::endian::little, "binary files are written little-endian");

// Upper bound on one stored vector or string, to refuse corrupt lengths early
// (also when the stream cannot tell how many bytes it has left).
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 36;

void BinaryWriter::WriteU64(std::uint64_t v) {
  out_.write(reinterpret_cast<const char*>(&v), sizeof v);
}
void BinaryWriter::WriteI64(std::int64_t v) {
  out_.write(reinterpret_cast<const char*>(&v), sizeof v);
}
void BinaryWriter::WriteDouble(double v) {
  out_.write(reinterpret_cast<const char*>(&v), sizeof v);
}
void BinaryWriter::WriteString(const std::string& s) {
  WriteU64(s.size());
  out_.write(s.data(), static_cast<std::streamsize>(s.size()));
}
void BinaryWriter::WriteBytes(const std::string& bytes) {
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void BinaryWriter::WriteVec(const Vec& v) {
  WriteU64(static_cast<std::uint64_t>(v.size()));
  out_.write(reinterpret_cast<const char*>(v.data()),
             static_cast<std::streamsize>(v.size() * sizeof(double)));
}
void BinaryWriter::WriteMat(const Mat& m) {
  WriteU64(static_cast<std::uint64_t>(m.rows()));
  WriteU64(static_cast<std::uint64_t>(m.cols()));
  out_.write(reinterpret_cast<const char*>(m.data()),
             static_cast<std::streamsize>(m.size() * sizeof(double)));
}

void BinaryReader::ReadBytes(void* dst, std::size_t n) {
  in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
  if (static_cast<std::size_t>(in_.gcount()) != n) {
    throw Error(what_ + ": file is truncated or corrupt");
  }
}
std::uint64_t BinaryReader::BytesLeft() {
  const std::istream::pos_type here = in_.tellg();
  if (here == std::istream::pos_type(-1)) return std::numeric_limits<std::uint64_t>::max();
  in_.seekg(0, std::ios::end);
  const std::istream::pos_type end = in_.tellg();
  in_.seekg(here);
  if (end == std::istream::pos_type(-1) || end < here) {
    in_.clear();
    return std::numeric_limits<std::uint64_t>::max();
  }
  return static_cast<std::uint64_t>(end - here);
}

void BinaryReader::ExpectBytes(std::uint64_t count, std::uint64_t size, const char* what) {
  if (count > kMaxElements || (size > 0 && count > BytesLeft() / size)) {
    throw Error(what_ + ": corrupt " + what + " (" + std::to_string(count) +
                " entries claimed, more than the file holds)");
  }
}

std::uint64_t BinaryReader::ReadU64() {
  std::uint64_t v;
  ReadBytes(&v, sizeof v);
  return v;
}
std::int64_t BinaryReader::ReadI64() {
  std::int64_t v;
  ReadBytes(&v, sizeof v);
  return v;
}
double BinaryReader::ReadDouble() {
  double v;
  ReadBytes(&v, sizeof v);
  return v;
}
std::string BinaryReader::ReadString() {
  const std::uint64_t n = ReadU64();
  ExpectBytes(n, 1, "string length");
  std::string s(n, '\0');
  ReadBytes(s.data(), n);
  return s;
}
Vec BinaryReader::ReadVec() {
  Vec v = ReadVecAsIs();
  CheckFinite(v.data(), static_cast<std::size_t>(v.size()), "vector");
  return v;
}
Vec BinaryReader::ReadVecAsIs() {
  const std::uint64_t n = ReadU64();
  ExpectBytes(n, sizeof(double), "vector length");
  Vec v(static_cast<Eigen::Index>(n));
  ReadBytes(v.data(), n * sizeof(double));
  return v;
}
Mat BinaryReader::ReadMat() {
  const std::uint64_t rows = ReadU64();
  const std::uint64_t cols = ReadU64();
  if (rows > kMaxElements || cols > kMaxElements || (rows > 0 && cols > kMaxElements / rows)) {
    throw Error(what_ + ": corrupt matrix size");
  }
  ExpectBytes(rows * cols, sizeof(double), "matrix size");
  Mat m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  ReadBytes(m.data(), rows * cols * sizeof(double));
  CheckFinite(m.data(), rows * cols, "matrix");
  return m;
}

void BinaryReader::CheckFinite(const double* values, std::size_t n, const char* what) const {
  if (!finite_arrays_) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) {
      throw Error(what_ + ": corrupt " + what + " (entry " + std::to_string(i) + " of " +
                  std::to_string(n) + " is " + (std::isnan(values[i]) ? "NaN" : "infinite") +
                  "; its numbers must be finite)");
    }
  }
}

void BinaryReader::ExpectEnd() {
  if (in_.peek() != std::char_traits<char>::eof()) {
    throw Error(what_ + ": unexpected bytes after the data (written by another version?)");
  }
}

}  // namespace mnemo
