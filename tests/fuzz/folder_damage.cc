#include "tests/fuzz/folder_damage.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "tests/fuzz/fuzz_target.h"

namespace mnemo::fuzz {

namespace fs = std::filesystem;

FolderDamage::FolderDamage(std::string dir, std::vector<std::string> entries, std::string outside)
    : dir_(std::move(dir)), entries_(std::move(entries)), outside_(std::move(outside)) {}

void FolderDamage::Apply(const std::string& plan) {
  std::error_code ec;
  fs::remove_all(outside_, ec);
  fs::create_directories(outside_ + "/folder");
  for (std::size_t k = 0; k + 1 < plan.size() && k < 2 * kMaxSwaps; k += 2) {
    const auto entry = static_cast<unsigned char>(plan[k]) % entries_.size();
    const auto damage = static_cast<unsigned char>(plan[k + 1]) % static_cast<int>(Damage::kCount);
    Swap(entries_[entry], static_cast<Damage>(damage));
  }
  applied_ = Outside();
}

void FolderDamage::Swap(const std::string& entry, Damage damage) {
  const fs::path path = fs::path(dir_) / entry;
  std::error_code ec;
  if (!fs::is_directory(path.parent_path(), ec) || fs::is_symlink(path.parent_path(), ec)) return;
  // The entry's copy outside, named after it ("checkpoints/x" -> "checkpoints_x").
  std::string flat = entry;
  for (char& c : flat) c = c == '/' ? '_' : c;
  const fs::path copy = fs::path(outside_) / flat;
  if (damage == Damage::kLinkToOutsideCopy) {
    fs::copy(path, copy, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) {
      fs::remove_all(copy, ec);
      WriteBytes(copy.string(), "");
    }
  }
  fs::remove_all(path, ec);
  switch (damage) {
    case Damage::kLinkToOutsideCopy:
      fs::create_symlink(copy, path, ec);
      break;
    case Damage::kDanglingLink:
      fs::create_symlink(fs::path(outside_) / "missing", path, ec);
      break;
    case Damage::kLinkToFolder:
      fs::create_directory_symlink(fs::path(outside_) / "folder", path, ec);
      break;
    case Damage::kLinkToDevZero:
      fs::create_symlink("/dev/zero", path, ec);
      break;
    case Damage::kLinkToItself:
      fs::create_symlink(path.filename(), path, ec);
      break;
    case Damage::kLinkToSibling:
      fs::create_symlink((fs::path(dir_) / entries_.front()).lexically_relative(path.parent_path()),
                         path, ec);
      break;
    case Damage::kFifo:
      mkfifo(path.c_str(), 0644);
      break;
    case Damage::kFolder:
      fs::create_directory(path, ec);
      break;
    case Damage::kEmpty:
      WriteBytes(path.string(), "");
      break;
    default:  // kMissing: removed above
      break;
  }
}

std::map<std::string, std::string> FolderDamage::Outside() const {
  std::map<std::string, std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(outside_)) {
    const std::string name = entry.path().lexically_relative(outside_).string();
    const fs::file_type type = entry.symlink_status().type();  // links not followed
    if (type == fs::file_type::regular) {
      found[name] = ReadBytes(entry.path().string());
    } else {
      found[name].assign(1, type == fs::file_type::directory ? '/' : '?');
    }
  }
  return found;
}

void FolderDamage::CheckOutsideUntouched() const {
  const std::map<std::string, std::string> now = Outside();
  if (now == applied_) return;
  for (const auto& [name, bytes] : now) {
    const auto was = applied_.find(name);
    if (was == applied_.end() || was->second != bytes) {
      std::fprintf(stderr, "fuzz: %s outside the run folder was written through a link\n",
                   name.c_str());
    }
  }
  std::fprintf(stderr, "fuzz: something outside the run folder changed\n");
  std::abort();
}

void FolderDamage::MutatePlan(std::string& plan, Rng& rng) {
  plan.resize(plan.size() & ~std::size_t{1});
  const std::size_t swaps = plan.size() / 2;
  const auto byte = [&rng] { return static_cast<char>(rng.Below(256)); };
  std::size_t change = rng.Below(3);
  if (swaps == 0) change = 0;
  if (swaps >= kMaxSwaps && change == 0) change = 2;
  switch (change) {
    case 0:  // add a swap (the first: the last may be beyond kMaxSwaps)
      plan.insert(0, {byte(), byte()});
      break;
    case 1:  // change a swap's entry or damage
      plan[rng.Below(plan.size())] = byte();
      break;
    default:  // remove one
      plan.erase(2 * rng.Below(swaps), 2);
      break;
  }
}

}  // namespace mnemo::fuzz
