// Weights files of the learned updaters (Mnemosyne, LSTM): bit-exact round
// trips, and clear refusals of corrupt and mismatched files.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/io/config_node.h"
#include "core/math/random_stream.h"
#include "core/mnemosyne/mnemosyne_updater.h"
#include "core/mnemosyne/mnemosyne_weights_file.h"
#include "core/optim/learned_weights_file.h"
#include "core/optim/lstm_updater.h"
#include "core/util/error.h"
#include "tests/step_along.h"
#include "tests/test_files.h"

namespace mnemo {

using mnemo::testing::StepAlong;
namespace {

namespace fs = std::filesystem;

// This process's temporary folder, removed when the tests end.
struct TestFolder {
  std::string path = testing::TempDir("learned_weights");  // the folder
  ~TestFolder() { fs::remove_all(path); }
};

// A path in this process's temporary folder.
std::string TempPath(const std::string& name) {
  static const TestFolder folder;
  return folder.path + "/" + name;
}

// An updater built from YAML text.
std::unique_ptr<Updater> FromYaml(const std::string& yaml) {
  return MakeUpdater(ConfigNode::FromString(yaml, "test.yaml"));
}

// The message of the Error that `f` throws ("" if none).
template <typename F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Random meta-parameters of `u`'s size.
Vec RandomMeta(const LearnedUpdater& u, std::uint64_t seed) {
  Stream rng(seed);
  Vec v(u.MetaParamCount());
  for (auto& x : v) x = 0.3 * rng.Normal();
  return v;
}

// Whether two vectors are equal bit for bit.
bool BitEqual(const Vec& a, const Vec& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

// Writes a whole file.
void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_CASE("Mnemosyne weights round-trip bit-exactly") {
  for (const std::string& yaml :
       {std::string("type: mnemosyne_coordinatewise"),
        std::string("type: mnemosyne_coordinatewise\nheads: 3\ndiscounts: [0.5, 0.9, 0.999]\n"
                    "decoder_widths: [8, 6]\nfeatures: log_sign,time\n"
                    "random_feature_kind: iid\nrandom_features: 10\n"
                    "random_feature_seed: 77\nmagnitude_scale: 0.3\n")}) {
    CAPTURE(yaml);
    auto made = FromYaml(yaml);
    auto* original = dynamic_cast<MnemosyneUpdater*>(made.get());
    REQUIRE(original != nullptr);
    original->SetMetaParams(RandomMeta(*original, 3));
    const std::string path = TempPath("round_trip.mnw");
    original->SaveWeights(path);

    auto loaded_made = FromYaml("type: mnemosyne_coordinatewise\nweights: " + path);
    auto* loaded = dynamic_cast<MnemosyneUpdater*>(loaded_made.get());
    REQUIRE(loaded != nullptr);
    CHECK(BitEqual(loaded->MetaParams(), original->MetaParams()));
    CHECK(loaded->Architecture().ToRecord() == original->Architecture().ToRecord());
    CHECK(loaded->Architecture().discounts == original->Architecture().discounts);
    CHECK(loaded->RandomFeatureSeed() == original->RandomFeatureSeed());
    CHECK(loaded->HeadFeatures(0).Directions() == original->HeadFeatures(0).Directions());

    // Same weights, same behaviour.
    const ParamLayout layout = ParamLayout::Flat(50);
    original->Reset(layout);
    loaded->Reset(layout);
    Vec a = Vec::Zero(50), b = Vec::Zero(50);
    for (int t = 0; t < 3; ++t) {
      const Vec g = Vec::LinSpaced(50, -1.0 - t, 2.0);
      StepAlong(*original, g, &a);
      StepAlong(*loaded, g, &b);
    }
    CHECK(BitEqual(a, b));

    // The direct loader agrees.
    const MnemosyneWeights direct = LoadMnemosyneWeights(path);
    CHECK(BitEqual(direct.numbers, original->MetaParams()));
  }
}

TEST_CASE("LSTM weights round-trip bit-exactly") {
  auto made = FromYaml("type: lstm\nhidden: 7\ninit_seed: 4");
  auto* original = dynamic_cast<LstmUpdater*>(made.get());
  REQUIRE(original != nullptr);
  original->SetMetaParams(RandomMeta(*original, 8));
  const std::string path = TempPath("lstm.mnw");
  original->SaveWeights(path);
  auto loaded = FromYaml("type: lstm\nweights: " + path);
  auto* lstm = dynamic_cast<LstmUpdater*>(loaded.get());
  REQUIRE(lstm != nullptr);
  CHECK(lstm->Architecture().hidden == 7);
  CHECK(BitEqual(lstm->MetaParams(), original->MetaParams()));
}

TEST_CASE("corrupt weights files are refused with the reason") {
  auto u = FromYaml("type: mnemosyne_coordinatewise");
  const std::string path = TempPath("good.mnw");
  dynamic_cast<LearnedUpdater&>(*u).SaveWeights(path);
  const std::string good = testing::Slurp(path);
  const std::string bad = TempPath("bad.mnw");
  const auto load = [&] { FromYaml("type: mnemosyne_coordinatewise\nweights: " + bad); };

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;
  WriteAll(bad, flipped);
  CHECK(ErrorOf(load).find("checksum mismatch") != std::string::npos);

  WriteAll(bad, good.substr(0, good.size() - 20));
  CHECK(ErrorOf(load).find("truncated") != std::string::npos);

  WriteAll(bad, good.substr(0, 12));
  CHECK(ErrorOf(load).find("truncated") != std::string::npos);

  WriteAll(bad, "not a weights file at all");
  CHECK(ErrorOf(load).find("not a Mnemosyne weights file") != std::string::npos);

  std::string future = good;
  future[8] = 9;  // the version field follows the 8 magic bytes
  WriteAll(bad, future);
  CHECK(ErrorOf(load).find("format version 9") != std::string::npos);

  WriteAll(bad, good + "x");
  CHECK(ErrorOf(load).find("trailing bytes") != std::string::npos);

  const std::string missing = ErrorOf(
      [&] { FromYaml("type: mnemosyne_coordinatewise\nweights: " + TempPath("none.mnw")); });
  CHECK(missing.find("not found") != std::string::npos);
  CHECK(missing.find("test.yaml") != std::string::npos);

  // The error names the file.
  WriteAll(bad, flipped);
  CHECK(ErrorOf(load).find(bad) != std::string::npos);
}

TEST_CASE("mismatched weights files are refused with the reason") {
  const std::string mnemosyne_path = TempPath("m.mnw");
  dynamic_cast<LearnedUpdater&>(*FromYaml("type: mnemosyne_coordinatewise"))
      .SaveWeights(mnemosyne_path);
  const std::string lstm_path = TempPath("l.mnw");
  dynamic_cast<LearnedUpdater&>(*FromYaml("type: lstm")).SaveWeights(lstm_path);

  // Another kind of updater.
  CHECK(ErrorOf([&] {
          FromYaml("type: mnemosyne_coordinatewise\nweights: " + lstm_path);
        }).find("holds weights of the optimizer 'lstm', not of 'mnemosyne_coordinatewise'") !=
        std::string::npos);
  CHECK(ErrorOf([&] {
          FromYaml("type: lstm\nweights: " + mnemosyne_path);
        }).find("holds weights of the optimizer 'mnemosyne_coordinatewise', not of 'lstm'") !=
        std::string::npos);

  // A config that asks for another architecture than the file's.
  const std::string heads = ErrorOf(
      [&] { FromYaml("type: mnemosyne_coordinatewise\nheads: 3\nweights: " + mnemosyne_path); });
  CHECK(heads.find("heads") != std::string::npos);
  CHECK(heads.find("does not match the weights file") != std::string::npos);
  CHECK(heads.find("heads = 2") != std::string::npos);
  CHECK(ErrorOf([&] {
          FromYaml("type: mnemosyne_coordinatewise\nrandom_feature_seed: 5\nweights: " +
                   mnemosyne_path);
        }).find("random_feature_seed") != std::string::npos);
  CHECK(ErrorOf([&] {
          FromYaml("type: lstm\nhidden: 30\nweights: " + lstm_path);
        }).find("does not match the weights file") != std::string::npos);
  // Keys equal to the file's are fine.
  CHECK_NOTHROW(FromYaml("type: mnemosyne_coordinatewise\nheads: 2\nembed_dim: 16\nweights: " +
                         mnemosyne_path));

  // Numbers that do not fit the architecture.
  LearnedWeights weights = ReadLearnedWeights(mnemosyne_path, "mnemosyne");
  weights.numbers = Vec::Zero(5);
  const std::string short_path = TempPath("short.mnw");
  WriteLearnedWeights(short_path, weights);
  CHECK(ErrorOf([&] {
          FromYaml("type: mnemosyne_coordinatewise\nweights: " + short_path);
        }).find("has 5 numbers") != std::string::npos);

  // An architecture entry this code does not know.
  weights = ReadLearnedWeights(mnemosyne_path, "mnemosyne");
  weights.architecture.PutInt("chunk_size", 8);
  const std::string newer_path = TempPath("newer.mnw");
  WriteLearnedWeights(newer_path, weights);
  CHECK(ErrorOf([&] {
          FromYaml("type: mnemosyne_coordinatewise\nweights: " + newer_path);
        }).find("unknown architecture entry") != std::string::npos);
  CHECK(ErrorOf([&] { LoadMnemosyneWeights(newer_path); }).empty() == false);

  // Meta-parameter vectors of the wrong size are refused.
  auto u = FromYaml("type: mnemosyne_coordinatewise");
  CHECK_THROWS_AS(dynamic_cast<LearnedUpdater&>(*u).SetMetaParams(Vec::Zero(3)), Error);
}

}  // namespace
}  // namespace mnemo
