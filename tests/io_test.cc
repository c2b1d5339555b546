// Tests of core/io's files: atomic writes, sealed state files, binary
// records, checksums and folder locks.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "core/io/binary_io.h"
#include "core/io/checksum.h"
#include "core/io/config_node.h"
#include "core/io/file_system.h"
#include "core/io/folder_lock.h"
#include "core/io/sealed_file.h"
#include "core/io/text_file.h"
#include "core/util/error.h"
#include "tests/test_files.h"

using namespace mnemo;
using mnemo::testing::Slurp;
using mnemo::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Overwrites the byte at `offset` of the file at `path` with its complement.
void FlipByte(const std::string& path, std::size_t offset) {
  std::string bytes = Slurp(path);
  REQUIRE(offset < bytes.size());
  bytes[offset] = static_cast<char>(~bytes[offset]);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST_CASE("an atomic write replaces a file whole and leaves no temporary file") {
  const std::string dir = TempDir("atomic");
  WriteFileAtomically(dir + "/a.txt", "first");
  WriteFileAtomically(dir + "/a.txt", "second, longer");
  CHECK(ReadTextFile(dir + "/a.txt") == "second, longer");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
  CHECK(files == 1);
  CHECK_THROWS_WITH_AS(WriteFileAtomically(dir + "/missing/a.txt", "x"),
                       doctest::Contains("missing/a.txt"), Error);
  CHECK_THROWS_WITH_AS(ReadTextFile(dir + "/none.txt"),
                       doctest::Contains("none.txt: cannot open file"), Error);
  fs::remove_all(dir);
}

TEST_CASE("a sealed file gives back its payload and refuses any damage") {
  const std::string dir = TempDir("sealed");
  const std::string path = dir + "/state.bin";
  std::string payload("binary\0state", 12);
  payload += std::string(300, '\x7f');
  WriteSealedFile(path, payload);
  CHECK(ReadSealedFile(path) == payload);

  // Every single flipped byte is caught (tag, payload or checksum).
  const std::string sealed = Slurp(path);
  for (std::size_t offset = 0; offset < sealed.size(); ++offset) {
    CAPTURE(offset);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << sealed;
    FlipByte(path, offset);
    CHECK_THROWS_WITH_AS(ReadSealedFile(path),
                         doctest::Contains("state.bin: file is truncated or corrupt"), Error);
  }
  // Truncated anywhere.
  for (std::size_t size :
       {sealed.size() - 1, sealed.size() - 8, std::size_t(20), std::size_t(3), std::size_t(0)}) {
    CAPTURE(size);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << sealed.substr(0, size);
    CHECK_THROWS_WITH_AS(ReadSealedFile(path), doctest::Contains("truncated or corrupt"), Error);
  }
  // A state file written before seals existed (it starts with a
  // BinaryWriter string) is read as it is.
  std::stringstream legacy;
  BinaryWriter writer(legacy);
  writer.WriteString("mnemo-train-state");
  writer.WriteU64(1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << legacy.str();
  CHECK(ReadSealedFile(path) == legacy.str());
  fs::remove_all(dir);
}

TEST_CASE("a binary record round-trips and a short one is an error naming it") {
  std::stringstream bytes;
  BinaryWriter out(bytes);
  out.WriteU64(7);
  out.WriteI64(-3);
  out.WriteDouble(0.25);
  out.WriteString("name");
  Vec v(3);
  v << 1, 2, 3;
  out.WriteVec(v);
  std::stringstream copy(bytes.str());
  BinaryReader in(copy, "record");
  CHECK(in.ReadU64() == 7);
  CHECK(in.ReadI64() == -3);
  CHECK(in.ReadDouble() == 0.25);
  CHECK(in.ReadString() == "name");
  CHECK(in.ReadVec() == v);
  std::stringstream cut(bytes.str().substr(0, bytes.str().size() - 4));
  BinaryReader short_in(cut, "record.bin");
  short_in.ReadU64();
  short_in.ReadI64();
  short_in.ReadDouble();
  short_in.ReadString();
  CHECK_THROWS_WITH_AS(short_in.ReadVec(), doctest::Contains("record.bin: corrupt vector length"),
                       Error);
}

TEST_CASE("a length beyond the bytes left is refused before anything is allocated") {
  // The lengths a damaged state file may claim: each one far more than the
  // stream holds. Reading them must throw at once, not allocate up to the
  // claimed size (2^36 entries would be 512 GiB of doubles).
  for (const std::uint64_t claimed :
       {std::uint64_t{1} << 35, std::uint64_t{1000}, std::uint64_t{9}}) {
    std::stringstream bytes;
    BinaryWriter out(bytes);
    out.WriteU64(claimed);
    out.WriteU64(0);  // 8 bytes of payload: one double, or 8 characters
    std::stringstream as_string(bytes.str());
    CHECK_THROWS_WITH_AS(BinaryReader(as_string, "state.bin").ReadString(),
                         doctest::Contains("state.bin: corrupt string length"), Error);
    std::stringstream as_vec(bytes.str());
    CHECK_THROWS_WITH_AS(BinaryReader(as_vec, "state.bin").ReadVec(),
                         doctest::Contains("more than the file holds"), Error);
    std::stringstream as_mat;
    BinaryWriter mat(as_mat);
    mat.WriteU64(claimed);
    mat.WriteU64(claimed);
    mat.WriteU64(0);
    CHECK_THROWS_WITH_AS(BinaryReader(as_mat, "state.bin").ReadMat(),
                         doctest::Contains("state.bin: corrupt matrix size"), Error);
  }
  // A length that fits exactly is read.
  std::stringstream exact;
  BinaryWriter out(exact);
  out.WriteU64(8);
  out.WriteU64(0x6867666564636261ULL);  // "abcdefgh"
  std::stringstream in(exact.str());
  CHECK(BinaryReader(in, "state.bin").ReadString() == "abcdefgh");
}

TEST_CASE("a folder lock has one holder at a time and names it to the others") {
  const std::string dir = TempDir("lock");
  {
    std::optional<FolderLock> first = FolderLock::TryTake(dir + "/run");
    REQUIRE(first);
    // As another process would: its own open file description.
    CHECK(!FolderLock::TryTake(dir + "/run"));
    CHECK(FolderLock::HolderPid(dir + "/run") == static_cast<long>(getpid()));
    const std::string refusal =
        "in use by another mnemo process (pid " + std::to_string(getpid()) + ")";
    CHECK_THROWS_WITH_AS(FolderLock::Take(dir + "/run"), doctest::Contains(refusal.c_str()), Error);
    // Moving the lock keeps it held.
    FolderLock moved = std::move(*first);
    CHECK(!FolderLock::TryTake(dir + "/run"));
  }
  CHECK(FolderLock::TryTake(dir + "/run"));  // released with its holder
  fs::remove_all(dir);
}

TEST_CASE("FNV-1a 64 matches its published test vectors") {
  CHECK(Fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(Fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(Fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("run-folder files are never opened through links, and only regular files are read") {
  const std::string dir = TempDir("links_io");
  const std::string victim = dir + "/victim.txt";
  std::ofstream(victim) << "victim\n";
  fs::create_directory(dir + "/run");
  // The lock: a link is refused, and the file it points to keeps its bytes.
  fs::create_symlink(victim, dir + "/run/.lock");
  CHECK_THROWS_WITH_AS(FolderLock::TryTake(dir + "/run"),
                       doctest::Contains("run/.lock: is a symbolic link"), Error);
  CHECK(FolderLock::HolderPid(dir + "/run") == 0);
  CHECK(Slurp(victim) == "victim\n");
  // Appending: never through a link; a FIFO is refused without waiting.
  fs::create_symlink(victim, dir + "/run/log.csv");
  CHECK_THROWS_WITH_AS(RegularFile::OpenToAppend(dir + "/run/log.csv", true, false),
                       doctest::Contains("log.csv: is a symbolic link"), Error);
  REQUIRE(mkfifo((dir + "/run/fifo").c_str(), 0644) == 0);
  CHECK_THROWS_WITH_AS(RegularFile::OpenToAppend(dir + "/run/fifo", true, false),
                       doctest::Contains("fifo: is a FIFO, not a regular file"), Error);
  // Reading: a FIFO, a device or a folder is refused (never waited on or
  // read without end), with or without following links.
  CHECK_THROWS_WITH_AS(ReadTextFile(dir + "/run/fifo"), doctest::Contains("is a FIFO"), Error);
  CHECK_THROWS_WITH_AS(ReadTextFile("/dev/zero"), doctest::Contains("/dev/zero: is a device"),
                       Error);
  CHECK_THROWS_WITH_AS(ReadTextFile(dir), doctest::Contains("is a folder"), Error);
  CHECK_THROWS_WITH_AS(ReadSealedFile(dir + "/run/log.csv", Links::kRefuse),
                       doctest::Contains("is a symbolic link"), Error);
  CHECK(ReadTextFile(dir + "/run/log.csv") == "victim\n");  // a config may be a link
  // An atomic write creates its temporary file new: links planted under
  // the names it may take are skipped, and the target link is replaced,
  // not written through.
  for (int n = 0; n < 60; ++n) {
    fs::create_symlink(
        victim, dir + "/run/state.bin.tmp." + std::to_string(getpid()) + "." + std::to_string(n));
  }
  fs::create_symlink(victim, dir + "/run/state.bin");
  WriteSealedFile(dir + "/run/state.bin", "payload");
  CHECK(!fs::is_symlink(dir + "/run/state.bin"));
  CHECK(ReadSealedFile(dir + "/run/state.bin", Links::kRefuse) == "payload");
  CHECK(Slurp(victim) == "victim\n");
  // Folders inside a run folder: a link is refused.
  fs::create_directory_symlink(dir, dir + "/run/checkpoints");
  CHECK_THROWS_WITH_AS(CreateFolderInside(dir + "/run/checkpoints"),
                       doctest::Contains("checkpoints: is a symbolic link"), Error);
  CreateFolderInside(dir + "/run/snapshots");
  CreateFolderInside(dir + "/run/snapshots");  // nothing if it exists
  CHECK(fs::is_directory(dir + "/run/snapshots"));
  fs::remove_all(dir);
}

TEST_CASE("a config refuses duplicate keys and aliases that expand without end") {
  // Duplicates anywhere, with the lines of both.
  CHECK_THROWS_WITH_AS(ConfigNode::FromString("a: 1\nb:\n  - {x: 1, y: 2, x: 3}\n", "c.yaml"),
                       doctest::Contains("c.yaml:3: b.x: duplicate key (also at line 3)"), Error);
  CHECK_THROWS_WITH_AS(ConfigNode::FromString("a: 1\nb: 2\na: 3\n", "c.yaml"),
                       doctest::Contains("c.yaml:3: a: duplicate key (also at line 1)"), Error);
  // An anchor used a few times is fine; its values count at every use.
  const ConfigNode shared = ConfigNode::FromString("m: &m {x: 1, y: 2}\nn: *m\no: *m\n", "c.yaml");
  CHECK(shared.Child("o").GetInt("y", 0) == 2);
  std::string wide = "a: &a [";
  for (int i = 0; i < 999; ++i) wide += "0, ";
  wide += "0]\nb: [";
  for (int i = 0; i < 90; ++i) wide += "*a, ";
  CHECK_NOTHROW(ConfigNode::FromString(wide + "0]\n", "c.yaml"));  // 92,095 values
  for (int i = 0; i < 10; ++i) wide += "*a, ";
  CHECK_THROWS_WITH_AS(ConfigNode::FromString(wide + "0]\n", "c.yaml"),
                       doctest::Contains("c.yaml:1: b: holds more than 100000 values"), Error);
}

TEST_CASE("a state's vectors and matrices can be required finite") {
  std::ostringstream bytes;
  BinaryWriter out(bytes);
  Vec v = Vec::Ones(3);
  v[1] = std::numeric_limits<double>::quiet_NaN();
  out.WriteVec(v);
  out.WriteVec(v);
  Mat m = Mat::Zero(2, 2);
  m(1, 0) = -std::numeric_limits<double>::infinity();
  out.WriteMat(m);
  {
    std::istringstream in(bytes.str());
    BinaryReader reader(in, "weights");
    CHECK(std::isnan(reader.ReadVec()[1]));  // by default as they are
  }
  std::istringstream in(bytes.str());
  BinaryReader reader(in, "state.bin");
  reader.RequireFiniteArrays();
  CHECK_THROWS_WITH_AS(
      reader.ReadVec(),
      "state.bin: corrupt vector (entry 1 of 3 is NaN; its numbers must be finite)", Error);
  CHECK(std::isnan(reader.ReadVecAsIs()[1]));  // a history of returns
  CHECK_THROWS_WITH_AS(reader.ReadMat(), doctest::Contains("entry 1 of 4 is infinite"), Error);
}
