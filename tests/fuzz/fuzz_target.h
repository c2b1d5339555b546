// What every fuzz target of tests/fuzz shares: the libFuzzer entry points it
// defines, the meaning of an input's first byte, and scratch files.
//
// A target is one loader fed with bytes. Only mnemo::Error (a refusal with
// a message) is an expected outcome; any other exception, a crash, a hang or
// a sanitizer report is a finding.
//
// The first byte of an input chooses how the rest is used: bit 0 set, the
// rest is the file as is; clear, the rest is a payload that the target seals
// itself (a fresh checksum), so that mutants reach the parser behind the
// checksum. Targets whose files have no checksum ignore bit 0, but for
// run_folder, where clear means a plan of damaged entries (folder_damage.h).
// The other bits choose a variant (which config kind, which run's state,
// which file of a run folder), modulo the target's number of variants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// libFuzzer's entry points, defined by each target.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace mnemo::fuzz {

// An input split as the first byte says.
struct FuzzInput {
  bool raw = true;   // the rest is the file as is (else a payload to seal)
  int variant = 0;   // which variant, already reduced modulo the count
  std::string rest;  // the bytes after the first
};

// Splits `data` for a target with `variants` variants (an empty input is
// variant 0, raw, empty).
FuzzInput SplitInput(const std::uint8_t* data, std::size_t size, int variants);

// The same for the bytes of `input`.
FuzzInput SplitInput(const std::string& input, int variants);

// The first byte of an input of `variant`, raw or to be sealed.
char ModeByte(int variant, bool raw);

// The target's structure-aware mutation of `input` (the YAML of a config,
// the numbers behind a sealed file's checksum, a run folder's entries),
// made from `seed`; false, `input` unchanged, when the target has none for
// this input. The replay driver makes half of its mutants with it;
// libFuzzer calls it through LLVMFuzzerCustomMutator (custom_mutator.cc).
bool MutateStructure(std::string& input, std::uint64_t seed);

// Notes that the target refused an input with `message` (a mnemo::Error's
// or a viewer's warning): printed on stderr when MNEMO_FUZZ_SHOW_REFUSALS
// is set, to see why an input (a reproducer) is refused.
void NoteRefusal(const char* message);

// A folder of this process's own for scratch files (created once).
const std::string& ScratchDir();

// The bytes of the file at `path` ("" when it cannot be read).
std::string ReadBytes(const std::string& path);

// Writes `bytes` to `path` (replacing it); aborts if it cannot.
void WriteBytes(const std::string& path, const std::string& bytes);

// Writes the target's seed inputs into `dir` (one file each), from the
// shipped files and the runs the target prepares. Used by
// scripts/fuzz.sh --seeds to regenerate tests/fuzz/corpus/<target>.
void WriteSeeds(const std::string& dir);

}  // namespace mnemo::fuzz
