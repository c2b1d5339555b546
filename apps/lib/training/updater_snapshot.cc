#include "apps/lib/training/updater_snapshot.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "apps/lib/training/numbered_files.h"
#include "core/io/file_system.h"
#include "core/io/text_file.h"
#include "core/util/error.h"

namespace mnemo {

void WriteUpdaterSnapshot(const UpdaterView& view, int iteration, const std::string& dir) {
  CreateFolders(dir);
  nlohmann::json j;
  j["iteration"] = iteration;
  j["kind"] = view.kind;
  j["discounts"] = view.discounts;
  j["tensor_names"] = view.tensor_names;
  j["tensor_step_norms"] = view.tensor_step_norms;
  j["panels"] = nlohmann::json::array();
  for (const auto& p : view.panels) {
    std::vector<double> values(p.values.size());
    // Row-major for readability.
    for (Eigen::Index r = 0; r < p.values.rows(); ++r) {
      for (Eigen::Index c = 0; c < p.values.cols(); ++c) {
        values[r * p.values.cols() + c] = p.values(r, c);
      }
    }
    j["panels"].push_back({{"name", p.name},
                           {"rows", p.values.rows()},
                           {"cols", p.values.cols()},
                           {"values", values}});
  }
  WriteFileAtomically(dir + "/" + SnapshotFileName(iteration), j.dump() + "\n");
}

UpdaterView ReadUpdaterSnapshot(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error({path, 0, ""}, "cannot open optimizer snapshot");
  UpdaterView view;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    view.kind = j.at("kind").get<std::string>();
    view.discounts = j.at("discounts").get<std::vector<double>>();
    view.tensor_names = j.at("tensor_names").get<std::vector<std::string>>();
    view.tensor_step_norms = j.at("tensor_step_norms").get<std::vector<double>>();
    for (const auto& p : j.at("panels")) {
      UpdaterPanel panel;
      panel.name = p.at("name").get<std::string>();
      const int rows = p.at("rows").get<int>();
      const int cols = p.at("cols").get<int>();
      const auto values = p.at("values").get<std::vector<double>>();
      if (rows < 0 || cols < 0 ||
          static_cast<std::int64_t>(values.size()) != std::int64_t{rows} * cols) {
        throw Error({path, 0, panel.name}, "panel size does not match its values");
      }
      panel.values.resize(rows, cols);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) panel.values(r, c) = values[r * cols + c];
      }
      view.panels.push_back(std::move(panel));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error({path, 0, ""}, std::string("malformed optimizer snapshot: ") + e.what());
  }
  return view;
}

std::vector<int> ListUpdaterSnapshots(const std::string& dir) {
  return NumberedFiles(dir, "optimizer_");
}

}  // namespace mnemo
