// Small charts drawn with ImGui's draw lists: heat maps, bars, and line
// charts with several series, a legend and a marker.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "core/math/types.h"

namespace mnemo {

// Colour of warnings in the panels.
inline const ImVec4 kWarnColor(1.0f, 0.55f, 0.35f, 1.0f);
// Colour of explanatory notes in the panels.
inline const ImVec4 kNoteColor(0.65f, 0.65f, 0.65f, 1.0f);

// One line of a LinePlot.
struct PlotSeries {
  std::string name;        // legend label
  std::vector<double> ys;  // one value per x; NaN where there is none
  ImU32 color = 0;         // 0: the palette colour of the series' index
};

// A distinct colour for series number `i` (cycles through a palette).
ImU32 SeriesColor(int i);

// Draws `values` as a heat map (row 0 at the top) filling `size` pixels.
// Signed values use a blue-white-red scale symmetric around zero; values
// that are all >= 0 a dark-to-bright scale. Hovering a cell shows its value.
void HeatMap(const char* id, const Mat& values, ImVec2 size);

// Draws one bar per entry of `values`, growing from zero (up or down);
// `caption` (may be empty) is drawn in the top-left corner. Hovering a bar
// shows its index and value.
void Bars(const char* id, const std::vector<double>& values, ImVec2 size,
          const std::string& caption);

// Draws `series` against `xs` (ascending) in `size` pixels, with the value
// range on the axes, a legend, and a vertical marker at `marker_x` (NaN:
// none). Finite points of a series are joined across NaNs. `log_y` plots
// log10 of positive values. Hovering shows the values at the nearest x.
void LinePlot(const char* id, const std::vector<double>& xs, const std::vector<PlotSeries>& series,
              double marker_x, ImVec2 size, bool log_y = false);

}  // namespace mnemo
