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
  // Writes an unsigned 64-bit integer (8 bytes).
  void WriteU64(std::uint64_t v);
  // Writes a signed 64-bit integer (8 bytes).
  void WriteI64(std::int64_t v);
  // Writes a double bit for bit (8 bytes).
  void WriteDouble(double v);
  // Writes the length (as WriteU64), then the bytes.
  void WriteString(const std::string& s);
  // Writes `bytes` as they are, without a length (a part that another
  // BinaryWriter wrote, e.g. on another MPI rank).
  void WriteBytes(const std::string& bytes);
  // Writes the size (as WriteU64), then the entries.
  void WriteVec(const Vec& v);
  // Writes rows and cols (as WriteU64), then the entries in column-major order.
  void WriteMat(const Mat& m);

 private:
  std::ostream& out_;  // the stream written to
};

// Reads what BinaryWriter wrote; a short or malformed stream throws Error
// naming `what` (e.g. the file being read).
class BinaryReader {
 public:
  // Reads from `in`; `what` names the source in error messages.
  BinaryReader(std::istream& in, std::string what) : in_(in), what_(std::move(what)) {}
  // Reads what WriteU64 wrote.
  std::uint64_t ReadU64();
  // Reads what WriteI64 wrote.
  std::int64_t ReadI64();
  // Reads what WriteDouble wrote.
  double ReadDouble();
  // Reads what WriteString wrote; a length beyond the bytes left throws
  // before anything is allocated.
  std::string ReadString();
  // Reads what WriteVec wrote; a size beyond the bytes left throws.
  Vec ReadVec();
  // Reads what WriteVec wrote, with whatever numbers it holds, also under
  // RequireFiniteArrays (a history of returns, which may be -infinity).
  Vec ReadVecAsIs();
  // Reads what WriteMat wrote; a size beyond the bytes left throws.
  Mat ReadMat();
  // Throws unless every byte has been read (a record written by another
  // version of its writer, or with something appended).
  void ExpectEnd();
  // Makes every later ReadVec and ReadMat refuse an entry that is NaN or
  // infinite, naming it (for states whose vectors and matrices are always
  // finite: a training run's state.bin).
  void RequireFiniteArrays() { finite_arrays_ = true; }

 private:
  // Bytes between the read position and the end of the stream (the largest
  // value when the stream cannot seek).
  std::uint64_t BytesLeft();
  // Throws, naming `what`, unless `count` entries of `size` bytes can be
  // left in the stream.
  void ExpectBytes(std::uint64_t count, std::uint64_t size, const char* what);
  // Reads exactly n bytes or throws.
  void ReadBytes(void* dst, std::size_t n);
  // Throws, naming `what`, when finite_arrays_ is set and one of the `n`
  // numbers at `values` is not finite.
  void CheckFinite(const double* values, std::size_t n, const char* what) const;
  std::istream& in_;            // the stream read from
  std::string what_;            // names the source in error messages
  bool finite_arrays_ = false;  // whether vectors and matrices must be finite
};

}  // namespace mnemo
