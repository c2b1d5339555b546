// The updater_bench program: its JSON report on stdout is JSON alone, and its
// figures are consistent (Adam is its own reference; Mnemosyne keeps more state).
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/test_files.h"

namespace mnemo {
namespace {

using testing::Shell;
using testing::Slurp;
using testing::TempDir;

TEST_CASE("updater_bench --json - writes JSON alone to stdout and the table to stderr") {
  const std::string dir = TempDir("updater_bench");
  const std::string command = std::string(MNEMO_BINARY_DIR) +
                              "/updater_bench --sizes 64,10000 --min-seconds 0.01 --json - >" +
                              dir + "/out.json 2>" + dir + "/err.txt";
  REQUIRE(Shell(command) == 0);
  const nlohmann::json report = nlohmann::json::parse(Slurp(dir + "/out.json"));
  const std::string table = Slurp(dir + "/err.txt");
  CHECK(table.find("ms/step") != std::string::npos);
  CHECK(table.find("mnemosyne_coordinatewise") != std::string::npos);
  // With 10^4 parameters, the step's share of a HalfCheetah ES iteration.
  CHECK(table.find("HalfCheetah: one 1000-step episode") != std::string::npos);
  REQUIRE(report.contains("halfcheetah"));
  const double share =
      report["halfcheetah"]["mnemosyne_coordinatewise_1e4_step_seconds"].get<double>() /
      report["halfcheetah"]["iteration_seconds"].get<double>();
  CHECK(report["halfcheetah"]["mnemosyne_coordinatewise_share_of_iteration"].get<double>() ==
        doctest::Approx(share));
  REQUIRE(report["rows"].size() == 6);  // 2 sizes x (adam, lstm, mnemosyne_coordinatewise)
  for (const auto& row : report["rows"]) {
    CHECK(row["seconds_per_step"].get<double>() > 0.0);
    if (row["updater"] == "adam") {
      CHECK(row["time_ratio_to_adam"].get<double>() == 1.0);
      CHECK(row["state_ratio_to_adam"].get<double>() == 1.0);
    } else {
      CHECK(row["state_ratio_to_adam"].get<double>() > 1.0);
    }
  }
  CHECK(report["mnemosyne_coordinatewise_architecture"]["meta_parameters"].get<int>() > 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("updater_bench refuses a bad option with a one-line error and exit 2") {
  const std::string dir = TempDir("updater_bench_bad");
  const int code = Shell(std::string(MNEMO_BINARY_DIR) +
                         "/updater_bench --threads 0 >/dev/null 2>" + dir + "/err.txt");
  CHECK(code == 2);
  CHECK(Slurp(dir + "/err.txt").find("updater_bench: error:") != std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mnemo
