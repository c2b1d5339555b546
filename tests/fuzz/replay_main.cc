// The driver of a fuzz target built without libFuzzer (GCC, ctest): runs
// the target over files (its corpus and the reproducers of past findings)
// and over a fixed number of deterministic mutants of them: every other one
// made by the target's structure-aware mutation (MutateStructure), the
// others, and those the target has none for, the way a fuzzer makes them
// (bit flips, interesting numbers written over 8 bytes, truncation,
// duplicated, deleted and spliced chunks). A crash or an
// escaping exception writes the input to crash-<target>-<n>.bin in the
// working folder and exits 1.
//   fuzz_<target> [--mutants N] [--seed S] PATH...   (files or folders)
//   fuzz_<target> --write-seeds DIR
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"
#include "tests/fuzz/rng.h"

// Set by the sanitizer runtimes when present (weak: absent otherwise).
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

namespace fs = std::filesystem;
using mnemo::fuzz::Rng;

// The input being run, for the crash handler.
const std::string* g_current = nullptr;
std::string g_crash_path;  // where the crash handler writes it

// Writes the current input and exits 1 (async-signal-safe calls only).
void SaveCrashAndExit(const char* why) {
  const ssize_t ignored = write(2, why, std::strlen(why));
  (void)ignored;
  if (g_current != nullptr) {
    const int fd = open(g_crash_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      const ssize_t written = write(fd, g_current->data(), g_current->size());
      (void)written;
      close(fd);
      const char* note = "fuzz: the input is saved as ";
      const ssize_t a = write(2, note, std::strlen(note));
      const ssize_t b = write(2, g_crash_path.c_str(), g_crash_path.size());
      const ssize_t c = write(2, "\n", 1);
      (void)a, (void)b, (void)c;
    }
  }
  _exit(1);
}

extern "C" void OnSignal(int sig) {
  SaveCrashAndExit(sig == SIGALRM ? "fuzz: hang (an input ran over its time)\n"
                                  : "fuzz: crash (signal)\n");
}

extern "C" void OnSanitizerDeath() { SaveCrashAndExit("fuzz: sanitizer report\n"); }

// Seconds an input may run before it counts as a hang.
constexpr unsigned kInputSeconds = 20;

// One mutation of `bytes` (`other` is another input, for splices).
void Mutate(std::string& bytes, const std::string& other, Rng& rng) {
  static const std::uint64_t kNumbers[] = {0,
                                           1,
                                           0xffffffffffffffffULL,
                                           std::uint64_t{1} << 35,
                                           std::uint64_t{1} << 62,
                                           0x7ff8000000000000ULL,  // NaN
                                           0x7ff0000000000000ULL,  // infinity
                                           0x8000000000000000ULL};
  static const char* kTokens[] = {"-1", "1e300", "1.5", "nan", "0", "\n", "{", "[", "\"", ":"};
  const std::size_t n = bytes.size();
  switch (rng.Below(8)) {
    case 0:  // flip a bit
      if (n > 0) bytes[rng.Below(n)] ^= static_cast<char>(1 << rng.Below(8));
      break;
    case 1:  // an interesting byte
      if (n > 0) bytes[rng.Below(n)] = "\x00\xff\x7f\x80\x01"[rng.Below(5)];
      break;
    case 2:  // an interesting 64-bit number (lengths, counts, doubles)
      if (n >= 8) {
        const std::uint64_t v = kNumbers[rng.Below(std::size(kNumbers))];
        std::memcpy(bytes.data() + rng.Below(n - 7), &v, 8);
      }
      break;
    case 3:  // truncate
      bytes.resize(rng.Below(n + 1));
      break;
    case 4: {  // duplicate a chunk
      if (n == 0) break;
      const std::size_t at = rng.Below(n);
      const std::size_t len = 1 + rng.Below(std::min<std::size_t>(64, n - at));
      bytes.insert(rng.Below(n + 1), bytes.substr(at, len));
      break;
    }
    case 5: {  // delete a chunk
      if (n < 2) break;
      const std::size_t at = 1 + rng.Below(n - 1);
      bytes.erase(at, 1 + rng.Below(std::min<std::size_t>(64, n - at)));
      break;
    }
    case 6: {  // splice with another input
      const std::size_t cut = rng.Below(n + 1);
      bytes =
          bytes.substr(0, cut) + other.substr(std::min(other.size(), rng.Below(other.size() + 1)));
      break;
    }
    default:  // a token that text parsers trip on
      bytes.insert(n == 0 ? 0 : 1 + rng.Below(n), kTokens[rng.Below(std::size(kTokens))]);
      break;
  }
}

// Every file under `path` (itself if it is a file), sorted.
std::vector<std::string> FilesUnder(const std::string& path) {
  std::vector<std::string> files;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
  } else if (fs::is_regular_file(path)) {
    files.push_back(path);
  } else {
    std::fprintf(stderr, "fuzz: no such file or folder: %s\n", path.c_str());
    std::exit(2);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs the target on `input`.
void RunOne(const std::string& input) {
  g_current = &input;
  alarm(kInputSeconds);
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  alarm(0);
  g_current = nullptr;
}

// Installs the crash handlers, on a stack of their own (so that a stack
// overflow is caught too).
void InstallHandlers() {
  static std::vector<char> stack(1 << 16);
  stack_t alt{};
  alt.ss_sp = stack.data();
  alt.ss_size = stack.size();
  sigaltstack(&alt, nullptr);
  struct sigaction action {};
  action.sa_handler = OnSignal;
  action.sa_flags = SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGALRM}) {
    sigaction(sig, &action, nullptr);
  }
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(OnSanitizerDeath);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string name = fs::path(argv[0]).filename().string();
  long mutants = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--write-seeds" && i + 1 < argc) {
      LLVMFuzzerInitialize(&argc, &argv);
      fs::create_directories(argv[i + 1]);
      mnemo::fuzz::WriteSeeds(argv[i + 1]);
      return 0;
    } else if (arg == "--mutants" && i + 1 < argc) {
      mutants = std::atol(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [--mutants N] [--seed S] PATH... | --write-seeds DIR\n",
                 name.c_str());
    return 2;
  }
  std::vector<std::string> inputs;
  for (const std::string& path : paths) {
    for (const std::string& file : FilesUnder(path)) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      inputs.push_back(bytes.str());
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz: no inputs under the given paths\n");
    return 2;
  }
  g_crash_path = "crash-" + name + ".bin";
  InstallHandlers();
  std::set_terminate([] {
    try {
      if (std::current_exception()) std::rethrow_exception(std::current_exception());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz: an exception escaped the target: %s\n", e.what());
    } catch (...) {
    }
    SaveCrashAndExit("fuzz: an exception escaped the target\n");
  });
  LLVMFuzzerInitialize(&argc, &argv);

  for (const std::string& input : inputs) RunOne(input);
  Rng rng{seed};
  for (long k = 0; k < mutants; ++k) {
    std::string mutant = inputs[k % inputs.size()];
    const std::string& other = inputs[rng.Below(inputs.size())];
    const std::uint64_t structure_seed = rng.Next();
    if (k % 2 == 1 && mnemo::fuzz::MutateStructure(mutant, structure_seed)) {
      // Now and then a byte mutation on top of the structural one.
      if (rng.Below(4) == 0) Mutate(mutant, other, rng);
    } else {
      const std::size_t rounds = 1 + rng.Below(4);
      for (std::size_t r = 0; r < rounds; ++r) Mutate(mutant, other, rng);
    }
    RunOne(mutant);
  }
  std::printf("%s: %zu inputs and %ld mutants, no crash\n", name.c_str(), inputs.size(), mutants);
  fs::remove_all(mnemo::fuzz::ScratchDir());  // kept only after a crash
  return 0;
}
