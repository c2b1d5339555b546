// The optimizer panel: what a run's updater holds, from its snapshots. For
// Mnemosyne, the attention memory: per head the memory matrix S of a chosen
// coordinate or tensor (heat maps), the attention of the current query over
// the recent gradient history (bars) and the discounts; for the Mnemosyne controller also
// the run memory's attention over past iterations and the step and sigma
// multipliers over time; for all updaters,
// per-tensor step magnitudes and state norms over iterations. Panels it does
// not know are drawn by shape (matrices as heat maps, series as bars).
#pragma once

#include <string>
#include <vector>

#include "apps/view/snapshot_history.h"

namespace mnemo {

// A snapshot panel's name taken apart: "head0.S[layer0.weight#3]" is group
// "head0", quantity "S", focus "layer0.weight#3".
struct PanelName {
  std::string group;     // "head<h>" or "lstm<l>"; "" when none
  std::string quantity;  // what it is ("S", "attention", "h", ...)
  std::string focus;     // coordinate or tensor it belongs to; "" when none
};

// Splits a panel name as above.
PanelName ParsePanelName(const std::string& name);

// Draws the optimizer state of one run. Keeps the user's choices (focus,
// log scale) between frames.
class OptimizerPanel {
 public:
  // For a run whose config names `optimizer_type` and `search_type`, with
  // snapshots every `snapshot_every` iterations (0: none written).
  OptimizerPanel(std::string optimizer_type, std::string search_type, int snapshot_every);

  // Draws, into the current ImGui window, the snapshot at or before
  // `iteration` and the series over all snapshots.
  void Draw(const SnapshotHistory& history, int iteration);

 private:
  // The note shown when there are no snapshots.
  void DrawNoSnapshots(const SnapshotHistory& history) const;
  // Discounts of the memory heads, with their half-lives.
  void DrawDiscounts(const UpdaterView& view) const;
  // The Mnemosyne controller's run path: the run memory's attention over past
  // iterations (at the snapshot shown) and the step and sigma multipliers
  // over all snapshots, marked at `iteration`.
  void DrawRunPanels(const SnapshotHistory& history, const UpdaterView& view, int iteration) const;
  // The focus chooser and the panels of the chosen focus, heads side by side.
  void DrawFocusPanels(const UpdaterView& view);
  // The focus chooser (keeps focus_ one of the view's foci); false, drawing
  // nothing, when the view has no focus.
  bool DrawFocusChooser(const UpdaterView& view);
  // Per-tensor |step| over iterations, and the norm of the focus's state.
  void DrawSeries(const SnapshotHistory& history, int marker_iteration);

  std::string optimizer_type_;  // the run's updater ("mnemosyne", "sgd", ...)
  std::string search_type_;     // the run's estimator ("ars", "cma_es", ...)
  int snapshot_every_;          // iterations between snapshots (0: none)
  std::string focus_;           // chosen focus ("" : the first one)
  bool log_steps_ = true;       // log scale for step magnitudes
};

}  // namespace mnemo
