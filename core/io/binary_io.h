// Little binary streams for checkpoints and weights files: exact doubles.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/math/types.h"

namespace mnemo {

// Writes numbers, strings and vectors in a fixed little-endian layout.
class BinaryWriter {
 public:
  // Writes to `out` (which must outlive the writer).
  explicit BinaryWriter(std::ostream& out) : out_(out) {}
  void WriteU64(std::uint64_t v);
  void WriteI64(std::int64_t v);
  void WriteDouble(double v);
  void WriteString(const std::string& s);
  void WriteVec(const Vec& v);
  void WriteMat(const Mat& m);

 private:
  std::ostream& out_;
};

// Reads what BinaryWriter wrote; a short or malformed stream throws Error
// naming `what` (e.g. the file being read).
class BinaryReader {
 public:
  // Reads from `in`; `what` names the source in error messages.
  BinaryReader(std::istream& in, std::string what) : in_(in), what_(std::move(what)) {}
  std::uint64_t ReadU64();
  std::int64_t ReadI64();
  double ReadDouble();
  std::string ReadString();
  Vec ReadVec();
  Mat ReadMat();
  // Throws unless every byte has been read (a record written by another
  // version of its writer, or with something appended).
  void ExpectEnd();

 private:
  // Reads exactly n bytes or throws.
  void ReadBytes(void* dst, std::size_t n);
  std::istream& in_;
  std::string what_;
};

}  // namespace mnemo
