#include "apps/view/optimizer_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "apps/view/plots.h"

namespace mnemo {
namespace {

// Height of a heat map row in pixels, and the heat maps' height limits.
constexpr float kHeatRowPixels = 9;
constexpr float kMinHeatHeight = 48;
constexpr float kMaxHeatHeight = 150;
// Height of bar charts and of the series plots.
constexpr float kBarsHeight = 56;
constexpr float kSeriesHeight = 120;

// Whether `s` is `prefix` followed by one or more digits.
bool IsNumbered(const std::string& s, const std::string& prefix) {
  if (s.size() <= prefix.size() || s.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(s.begin() + prefix.size(), s.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; });
}

// What a quantity of a panel is, in words (empty when unknown).
std::string Describe(const std::string& quantity, const Mat& values) {
  if (quantity == "S") {
    return "memory S: " + std::to_string(values.rows()) + " random features (rows) x " +
           std::to_string(values.cols()) + " value dims (columns)";
  }
  if (quantity == "attention") {
    return "attention of the current query over the last " + std::to_string(values.size()) +
           " gradients (oldest left, newest right)";
  }
  if (quantity == "h") return "hidden state (" + std::to_string(values.size()) + " units)";
  if (quantity == "c") return "cell state (" + std::to_string(values.size()) + " units)";
  return "";
}

// "mnemosyne" -> the panel's title.
std::string Title(const std::string& kind, const std::string& type) {
  if (kind == "mnemosyne") return "Anchored controller (Mnemosyne)";
  if (kind == "mnemosyne_coordinatewise") return "Attention memory (Mnemosyne, coordinate-wise)";
  if (kind == "lstm") return "LSTM optimizer state";
  return "Optimizer state (" + (kind.empty() ? type : kind) + ")";
}

// "head0" -> "head 0"; "" -> "".
std::string GroupLabel(const std::string& group) {
  for (const char* prefix : {"head", "lstm"}) {
    if (IsNumbered(group, prefix)) {
      return std::string(prefix == std::string("lstm") ? "layer" : "head") + " " +
             group.substr(std::string(prefix).size());
    }
  }
  return group;
}

// Whether a panel belongs to the run path of the Mnemosyne controller ("run.*").
bool IsRunPanel(const std::string& name) { return name.rfind("run.", 0) == 0; }

// Foci of the panels of `view` (run-path panels left out), in order of
// first appearance.
std::vector<std::string> FociOf(const UpdaterView& view) {
  std::vector<std::string> foci;
  for (const UpdaterPanel& p : view.panels) {
    if (IsRunPanel(p.name)) continue;
    const std::string f = ParsePanelName(p.name).focus;
    if (std::find(foci.begin(), foci.end(), f) == foci.end()) foci.push_back(f);
  }
  return foci;
}

// Panels of one focus: quantity -> (group -> panel), in order.
struct FocusPanels {
  std::vector<std::string> quantities;  // in order of first appearance
  std::vector<std::string> groups;      // in order of first appearance
  std::map<std::pair<std::string, std::string>, const UpdaterPanel*> cells;  // (quantity, group)
};

// The panels of `view` that belong to `focus` (run-path panels left out).
FocusPanels PanelsOfFocus(const UpdaterView& view, const std::string& focus) {
  FocusPanels out;
  for (const UpdaterPanel& p : view.panels) {
    const PanelName n = ParsePanelName(p.name);
    if (n.focus != focus || IsRunPanel(p.name)) continue;
    if (std::find(out.quantities.begin(), out.quantities.end(), n.quantity) ==
        out.quantities.end()) {
      out.quantities.push_back(n.quantity);
    }
    if (std::find(out.groups.begin(), out.groups.end(), n.group) == out.groups.end()) {
      out.groups.push_back(n.group);
    }
    out.cells[{n.quantity, n.group}] = &p;
  }
  return out;
}

// Draws one panel by shape in the available width: a matrix as a heat map,
// anything else as bars.
void DrawPanelValues(const UpdaterPanel& p) {
  const float width = ImGui::GetContentRegionAvail().x;
  if (p.values.rows() > 1 && p.values.cols() > 1) {
    const float height =
        std::clamp(kHeatRowPixels * p.values.rows(), kMinHeatHeight, kMaxHeatHeight);
    HeatMap("heat", p.values, ImVec2(width, height));
  } else {
    const std::vector<double> values(p.values.data(), p.values.data() + p.values.size());
    Bars("bars", values, ImVec2(width, kBarsHeight), "");
  }
}

// Draws quantity `q` of every group side by side, one table column each.
void DrawGroupsTable(const std::string& q, const FocusPanels& panels) {
  if (!ImGui::BeginTable("groups", static_cast<int>(panels.groups.size()),
                         ImGuiTableFlags_SizingStretchSame)) {
    return;
  }
  for (const std::string& g : panels.groups) {
    ImGui::TableNextColumn();
    const auto it = panels.cells.find({q, g});
    if (it == panels.cells.end()) continue;
    ImGui::PushID(g.c_str());
    const std::string label = GroupLabel(g);
    if (!label.empty()) ImGui::Text("%s", label.c_str());
    DrawPanelValues(*it->second);
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// Largest |value| of quantity `q` over the groups.
double LargestMagnitude(const std::string& q, const FocusPanels& panels) {
  double largest = 0;
  for (const std::string& g : panels.groups) {
    const auto it = panels.cells.find({q, g});
    if (it != panels.cells.end() && it->second->values.size() > 0) {
      largest = std::max(largest, it->second->values.cwiseAbs().maxCoeff());
    }
  }
  return largest;
}

// Draws quantity `q` of the focus: what it is, its groups side by side,
// and for heat maps the colour scale.
void DrawQuantity(const std::string& q, const FocusPanels& panels) {
  ImGui::PushID(q.c_str());
  const UpdaterPanel* first = nullptr;
  for (const std::string& g : panels.groups) {
    if (!first && panels.cells.count({q, g})) first = panels.cells.at({q, g});
  }
  std::string about = Describe(q, first->values);
  ImGui::Separator();
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(kNoteColor, "%s", about.empty() ? q.c_str() : about.c_str());
  ImGui::PopTextWrapPos();
  DrawGroupsTable(q, panels);
  if (first->values.rows() > 1 && first->values.cols() > 1) {
    ImGui::TextColored(kNoteColor, "blue < 0 < red, scaled per map (largest |value| %.3g)",
                       LargestMagnitude(q, panels));
  }
  ImGui::PopID();
}

}  // namespace

PanelName ParsePanelName(const std::string& name) {
  PanelName out;
  std::string base = name;
  const auto open = name.find('[');
  if (open != std::string::npos && name.back() == ']') {
    base = name.substr(0, open);
    out.focus = name.substr(open + 1, name.size() - open - 2);
  }
  const auto dot = base.find('.');
  if (dot != std::string::npos) {
    const std::string head = base.substr(0, dot);
    if (IsNumbered(head, "head") || IsNumbered(head, "lstm")) {
      out.group = head;
      base = base.substr(dot + 1);
    }
  }
  out.quantity = base;
  return out;
}

OptimizerPanel::OptimizerPanel(std::string optimizer_type, std::string search_type,
                               int snapshot_every)
    : optimizer_type_(std::move(optimizer_type)),
      search_type_(std::move(search_type)),
      snapshot_every_(snapshot_every) {}

void OptimizerPanel::Draw(const SnapshotHistory& history, int iteration) {
  if (!history.Problems().empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kWarnColor, "%d unreadable snapshot(s), skipped: %s",
                       static_cast<int>(history.Problems().size()),
                       history.Problems().back().c_str());
    ImGui::PopTextWrapPos();
  }
  if (history.Empty()) {
    DrawNoSnapshots(history);
    return;
  }
  const int index = history.IndexAtOrBefore(iteration);
  const UpdaterView& view = history.View(index);
  const int shown = history.Iterations()[index];
  ImGui::Text("%s", Title(view.kind, optimizer_type_).c_str());
  ImGui::TextColored(kNoteColor, "snapshot of iteration %d (%d snapshots, every %d)", shown,
                     history.Size(), snapshot_every_);
  if (view.panels.empty() && view.tensor_step_norms.empty() && view.discounts.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kNoteColor,
                       "The %s updater exports no state for inspection: its snapshots are "
                       "empty. Mnemosyne and the LSTM optimizer show their memory here.",
                       view.kind.empty() ? optimizer_type_.c_str() : view.kind.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  DrawDiscounts(view);
  DrawRunPanels(history, view, shown);
  DrawFocusPanels(view);
  DrawSeries(history, shown);
}

void OptimizerPanel::DrawRunPanels(const SnapshotHistory& history, const UpdaterView& view,
                                   int iteration) const {
  const UpdaterPanel* attention = nullptr;
  std::vector<std::string> gains;
  for (const UpdaterPanel& p : view.panels) {
    if (p.name == "run.attention") attention = &p;
    if (IsRunPanel(p.name) && p.name.find("gain") != std::string::npos) gains.push_back(p.name);
  }
  if (attention == nullptr && gains.empty()) return;
  ImGui::Separator();
  ImGui::Text("%s", attention != nullptr ? "Run memory: one token per iteration"
                                         : "Step size over the run");
  const float width = ImGui::GetContentRegionAvail().x;
  if (attention != nullptr) {
    ImGui::TextColored(kNoteColor,
                       "attention of this iteration's query over the last %d iterations "
                       "(oldest left, newest right)",
                       static_cast<int>(attention->values.size()));
    const std::vector<double> values(attention->values.data(),
                                     attention->values.data() + attention->values.size());
    Bars("run_attention", values, ImVec2(width, kBarsHeight), "");
  }
  if (gains.empty()) return;
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(kNoteColor,
                     "multipliers at each snapshot: of the step (exp U, run-wide; mean over "
                     "coordinates with u_j), of sigma (exp V), and the adaptive rule's gain "
                     "on the estimator's own step; 1 = the estimator's own");
  ImGui::PopTextWrapPos();
  const std::vector<double> xs(history.Iterations().begin(), history.Iterations().end());
  std::vector<PlotSeries> series;
  int color = 0;
  for (const std::string& name : gains) {
    const std::string label = name == "run.step_gain"     ? "step exp(U)"
                              : name == "run.sigma_gain"  ? "sigma exp(V)"
                              : name == "run.mean_gain"   ? "step, mean over coordinates"
                              : name == "run.anchor_gain" ? "adaptive rule's gain"
                                                          : name;
    series.push_back({label, history.PanelNormSeries(name), SeriesColor(color++)});
  }
  LinePlot("run_gains", xs, series, static_cast<double>(iteration), ImVec2(width, kSeriesHeight));
}

void OptimizerPanel::DrawNoSnapshots(const SnapshotHistory& history) const {
  ImGui::Text("Optimizer state");
  ImGui::PushTextWrapPos(0);
  if (search_type_.find("cma") != std::string::npos) {
    ImGui::TextColored(kNoteColor,
                       "This run uses %s, which moves the parameters itself: there is no "
                       "separate optimizer whose state could be shown.",
                       search_type_.c_str());
  } else if (snapshot_every_ <= 0) {
    ImGui::TextColored(kNoteColor,
                       "This run wrote no optimizer snapshots (train.snapshot_every is 0). "
                       "Train with train.snapshot_every: 10 to see the optimizer's state.");
  } else {
    ImGui::TextColored(kNoteColor,
                       "No optimizer snapshots in %s yet (one is written every %d "
                       "iterations).",
                       history.Dir().c_str(), snapshot_every_);
  }
  ImGui::PopTextWrapPos();
}

void OptimizerPanel::DrawDiscounts(const UpdaterView& view) const {
  if (view.discounts.empty()) return;
  std::string text = "discounts:";
  for (std::size_t h = 0; h < view.discounts.size(); ++h) {
    const double g = view.discounts[h];
    char item[96];
    if (g > 0 && g < 1) {
      std::snprintf(item, sizeof item, "  head %zu: %.3f (half-life %.1f steps)", h, g,
                    std::log(0.5) / std::log(g));
    } else {
      std::snprintf(item, sizeof item, "  head %zu: %.3f", h, g);
    }
    text += item;
  }
  ImGui::TextWrapped("%s", text.c_str());
}

bool OptimizerPanel::DrawFocusChooser(const UpdaterView& view) {
  const std::vector<std::string> foci = FociOf(view);
  if (foci.empty()) return false;
  if (std::find(foci.begin(), foci.end(), focus_) == foci.end()) focus_ = foci.front();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  if (ImGui::BeginCombo("focus", focus_.empty() ? "(all)" : focus_.c_str())) {
    for (const std::string& f : foci) {
      if (ImGui::Selectable(f.empty() ? "(all)" : f.c_str(), f == focus_)) focus_ = f;
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("a coordinate (tensor#index) or a tensor's mean over its coordinates");
  }
  return true;
}

void OptimizerPanel::DrawFocusPanels(const UpdaterView& view) {
  if (!DrawFocusChooser(view)) return;
  const FocusPanels panels = PanelsOfFocus(view, focus_);
  for (const std::string& q : panels.quantities) DrawQuantity(q, panels);
}

void OptimizerPanel::DrawSeries(const SnapshotHistory& history, int marker_iteration) {
  const std::vector<double> xs(history.Iterations().begin(), history.Iterations().end());
  const std::vector<std::string> tensors = history.TensorNames();
  // The norm of each state quantity of the focus, per group, over iterations.
  const UpdaterView& last = history.View(history.Size() - 1);
  std::vector<std::string> quantities;
  std::map<std::string, std::vector<PlotSeries>> by_quantity;
  int color = 0;
  for (const UpdaterPanel& p : last.panels) {
    const PanelName n = ParsePanelName(p.name);
    if (n.focus != focus_ || n.quantity == "attention" || IsRunPanel(p.name)) continue;
    if (!by_quantity.count(n.quantity)) quantities.push_back(n.quantity);
    by_quantity[n.quantity].push_back(
        {GroupLabel(n.group), history.PanelNormSeries(p.name), SeriesColor(color++)});
  }
  // The plots share what is left of the window, each at least kSeriesHeight.
  const int plots = (tensors.empty() ? 0 : 1) + static_cast<int>(quantities.size());
  const float text = 2 * ImGui::GetFrameHeightWithSpacing();
  const float height =
      plots == 0 ? kSeriesHeight
                 : std::max(kSeriesHeight, ImGui::GetContentRegionAvail().y / plots - text);
  if (!tensors.empty()) {
    ImGui::Separator();
    ImGui::Checkbox("log", &log_steps_);
    ImGui::SameLine();
    ImGui::Text("|step| per tensor over iterations");
    std::vector<PlotSeries> series;
    for (const std::string& t : tensors) {
      series.push_back({t, history.TensorStepSeries(t), 0});
    }
    LinePlot("steps", xs, series, marker_iteration,
             ImVec2(ImGui::GetContentRegionAvail().x, height), log_steps_);
  }
  for (const std::string& q : quantities) {
    ImGui::PushID(q.c_str());
    ImGui::Separator();
    ImGui::Text("norm of %s%s of %s over iterations", q == "S" ? "the memory " : "", q.c_str(),
                focus_.c_str());
    LinePlot("norms", xs, by_quantity[q], marker_iteration,
             ImVec2(ImGui::GetContentRegionAvail().x, height));
    ImGui::PopID();
  }
}

}  // namespace mnemo
