#include "apps/view/plots.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mnemo {
namespace {

// Stops of the sequential scale (dark violet to yellow, as viridis).
constexpr std::array<std::array<float, 3>, 5> kSequentialStops{{
    {0.27f, 0.00f, 0.33f},
    {0.23f, 0.32f, 0.55f},
    {0.13f, 0.57f, 0.55f},
    {0.37f, 0.79f, 0.38f},
    {0.99f, 0.91f, 0.14f},
}};
// Ends of the diverging scale (negative blue, positive red; zero white).
constexpr std::array<float, 3> kNegative{0.23f, 0.30f, 0.75f};
constexpr std::array<float, 3> kPositive{0.71f, 0.02f, 0.15f};
// Palette of line and legend colours.
constexpr std::array<ImU32, 8> kPalette{IM_COL32(86, 180, 233, 255),  IM_COL32(230, 159, 0, 255),
                                        IM_COL32(0, 158, 115, 255),   IM_COL32(240, 228, 66, 255),
                                        IM_COL32(204, 121, 167, 255), IM_COL32(213, 94, 0, 255),
                                        IM_COL32(0, 114, 178, 255),   IM_COL32(200, 200, 200, 255)};
// Colour of the vertical marker of a LinePlot.
constexpr ImU32 kMarkerColor = IM_COL32(255, 230, 60, 220);
// Colour of axes and zero lines.
constexpr ImU32 kAxisColor = IM_COL32(140, 140, 140, 160);
// Colour of axis labels.
constexpr ImU32 kLabelColor = IM_COL32(190, 190, 190, 255);
// Series with at most this many finite points get a dot at each point.
constexpr std::size_t kMaxDottedPoints = 40;

// "1.23e+04" style, short.
std::string Short(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Linear blend of colours a and b at t in [0, 1], opaque.
ImU32 Blend(const std::array<float, 3>& a, const std::array<float, 3>& b, float t) {
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, 1.0f));
}

// Colour of t in [0, 1] on the sequential scale.
ImU32 Sequential(double t) {
  t = std::clamp(t, 0.0, 1.0) * (kSequentialStops.size() - 1);
  const int i = std::min(static_cast<int>(t), static_cast<int>(kSequentialStops.size()) - 2);
  return Blend(kSequentialStops[i], kSequentialStops[i + 1], static_cast<float>(t - i));
}

// Colour of t in [-1, 1] on the diverging scale.
ImU32 Diverging(double t) {
  constexpr std::array<float, 3> kWhite{0.97f, 0.97f, 0.97f};
  t = std::clamp(t, -1.0, 1.0);
  return t < 0 ? Blend(kWhite, kNegative, static_cast<float>(-t))
               : Blend(kWhite, kPositive, static_cast<float>(t));
}

// Reserves `size` pixels as a hoverable item and returns its corners.
bool Reserve(const char* id, ImVec2 size, ImVec2* p0, ImVec2* p1) {
  size.x = std::max(size.x, 8.0f);
  size.y = std::max(size.y, 8.0f);
  ImGui::InvisibleButton(id, size);
  *p0 = ImGui::GetItemRectMin();
  *p1 = ImGui::GetItemRectMax();
  return ImGui::IsItemHovered();
}

// The plotted value of y (log10 when `log_y`; NaN when not plottable).
double PlotValue(double y, bool log_y) {
  if (!std::isfinite(y)) return std::numeric_limits<double>::quiet_NaN();
  if (!log_y) return y;
  return y > 0 ? std::log10(y) : std::numeric_limits<double>::quiet_NaN();
}

// Axis label of plotted value y, in data units.
std::string AxisLabel(double y, bool log_y) { return Short(log_y ? std::pow(10.0, y) : y); }

// Colour of series number `k` of a LinePlot (its own, or the palette's).
ImU32 ColorOfSeries(const std::vector<PlotSeries>& series, std::size_t k) {
  return series[k].color != 0 ? series[k].color : SeriesColor(static_cast<int>(k));
}

// Data range shown by a LinePlot, in plotted units (log10 of y with log_y).
struct PlotRange {
  double x_lo = std::numeric_limits<double>::infinity();
  double x_hi = -std::numeric_limits<double>::infinity();
  double y_lo = std::numeric_limits<double>::infinity();
  double y_hi = -std::numeric_limits<double>::infinity();
};

// Where a LinePlot draws its data: the plot area's corners on screen and the
// data range it spans.
struct PlotArea {
  ImVec2 a;  // top left
  ImVec2 b;  // bottom right
  PlotRange range;
  // Screen position of the plotted point (x, y).
  ImVec2 ToScreen(double x, double y) const {
    return ImVec2(
        a.x + static_cast<float>((x - range.x_lo) / (range.x_hi - range.x_lo)) * (b.x - a.x),
        b.y - static_cast<float>((y - range.y_lo) / (range.y_hi - range.y_lo)) * (b.y - a.y));
  }
};

// Range of the finite points of `series` against `xs`, padded so that
// points sit inside the plot; false when there is no finite point.
bool FindPlotRange(const std::vector<double>& xs, const std::vector<PlotSeries>& series, bool log_y,
                   PlotRange* range) {
  PlotRange& r = *range;
  for (double x : xs) {
    if (!std::isfinite(x)) continue;
    r.x_lo = std::min(r.x_lo, x);
    r.x_hi = std::max(r.x_hi, x);
  }
  for (const PlotSeries& s : series) {
    for (std::size_t i = 0; i < s.ys.size() && i < xs.size(); ++i) {
      const double y = PlotValue(s.ys[i], log_y);
      if (!std::isfinite(y) || !std::isfinite(xs[i])) continue;
      r.y_lo = std::min(r.y_lo, y);
      r.y_hi = std::max(r.y_hi, y);
    }
  }
  if (!std::isfinite(r.x_lo) || !std::isfinite(r.y_lo)) return false;
  if (r.x_hi <= r.x_lo) {
    r.x_lo -= 1;
    r.x_hi += 1;
  }
  if (r.y_hi <= r.y_lo) {
    const double pad = std::max(std::abs(r.y_lo) * 0.1, 1e-9);
    r.y_lo -= pad;
    r.y_hi += pad;
  } else {
    const double pad = 0.05 * (r.y_hi - r.y_lo);
    r.y_lo -= pad;
    r.y_hi += pad;
  }
  return true;
}

// Draws the legend of the named series, flowing left to right above the
// plot area (from `left` pixels right of p0); returns the plot area's top.
float DrawLegend(ImDrawList* draw, const std::vector<PlotSeries>& series, ImVec2 p0, ImVec2 p1,
                 float left, float line) {
  float lx = p0.x + left;
  float ly = p0.y + 1;
  bool any_name = false;
  for (std::size_t k = 0; k < series.size(); ++k) {
    if (series[k].name.empty()) continue;
    const ImU32 color = ColorOfSeries(series, k);
    const float w = ImGui::CalcTextSize(series[k].name.c_str()).x + 18;
    if (lx + w > p1.x && lx > p0.x + left) {
      lx = p0.x + left;
      ly += line;
    }
    draw->AddRectFilled(ImVec2(lx, ly + line * 0.3f), ImVec2(lx + 8, ly + line * 0.7f), color);
    draw->AddText(ImVec2(lx + 11, ly), kLabelColor, series[k].name.c_str());
    lx += w;
    any_name = true;
  }
  return any_name ? ly + line + 2 : p0.y + 2;
}

// Draws the plot area's frame, the y labels `top` and `bottom` at
// `label_x`, the zero line and the x range under the area.
void DrawAxes(ImDrawList* draw, const PlotArea& area, float label_x, const std::string& top,
              const std::string& bottom, float line, bool log_y) {
  const ImVec2& a = area.a;
  const ImVec2& b = area.b;
  const PlotRange& r = area.range;
  draw->AddRect(a, b, kAxisColor);
  draw->AddText(ImVec2(label_x, a.y), kLabelColor, top.c_str());
  if (b.y - a.y >= 2 * line + 2) {
    draw->AddText(ImVec2(label_x, b.y - line), kLabelColor, bottom.c_str());
  }
  if (!log_y && r.y_lo < 0 && r.y_hi > 0) {
    const float zy = area.ToScreen(r.x_lo, 0).y;
    draw->AddLine(ImVec2(a.x, zy), ImVec2(b.x, zy), kAxisColor);
  }
  const std::string x_left = Short(r.x_lo);
  const std::string x_right = Short(r.x_hi);
  draw->AddText(ImVec2(a.x, b.y + 1), kLabelColor, x_left.c_str());
  draw->AddText(ImVec2(b.x - ImGui::CalcTextSize(x_right.c_str()).x, b.y + 1), kLabelColor,
                x_right.c_str());
}

// Draws the series' lines (dots where they have few points) and the marker
// at `marker_x` (NaN: none), clipped to the plot area.
void DrawCurves(ImDrawList* draw, const PlotArea& area, const std::vector<double>& xs,
                const std::vector<PlotSeries>& series, double marker_x, bool log_y) {
  draw->PushClipRect(area.a, area.b, true);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const PlotSeries& s = series[k];
    const ImU32 color = ColorOfSeries(series, k);
    std::vector<ImVec2> points;
    for (std::size_t i = 0; i < s.ys.size() && i < xs.size(); ++i) {
      const double y = PlotValue(s.ys[i], log_y);
      if (std::isfinite(y) && std::isfinite(xs[i])) points.push_back(area.ToScreen(xs[i], y));
    }
    if (points.size() >= 2) {
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), color, 0, 1.5f);
    }
    if (points.size() <= kMaxDottedPoints) {
      for (const ImVec2& p : points) draw->AddCircleFilled(p, 2.5f, color);
    }
  }
  if (std::isfinite(marker_x)) {
    const PlotRange& r = area.range;
    const float mx = area.ToScreen(std::clamp(marker_x, r.x_lo, r.x_hi), r.y_lo).x;
    draw->AddLine(ImVec2(mx, area.a.y), ImVec2(mx, area.b.y), kMarkerColor, 1.5f);
  }
  draw->PopClipRect();
}

// Tooltip with the values of every series at the x nearest the mouse.
void ShowNearestValues(const PlotArea& area, const std::vector<double>& xs,
                       const std::vector<PlotSeries>& series) {
  const PlotRange& r = area.range;
  const float mx = ImGui::GetIO().MousePos.x;
  const double x = r.x_lo + (mx - area.a.x) / (area.b.x - area.a.x) * (r.x_hi - r.x_lo);
  std::size_t best = 0;
  for (std::size_t i = 1; i < xs.size(); ++i) {
    if (std::abs(xs[i] - x) < std::abs(xs[best] - x)) best = i;
  }
  std::string text = "x = " + Short(xs[best]);
  for (const PlotSeries& s : series) {
    const double y = best < s.ys.size() ? s.ys[best] : std::numeric_limits<double>::quiet_NaN();
    text += "\n" + (s.name.empty() ? std::string("y") : s.name) + " = " +
            (std::isfinite(y) ? Short(y) : std::string("-"));
  }
  ImGui::SetTooltip("%s", text.c_str());
}

}  // namespace

ImU32 SeriesColor(int i) {
  return kPalette[static_cast<std::size_t>(std::max(i, 0)) % kPalette.size()];
}

void HeatMap(const char* id, const Mat& values, ImVec2 size) {
  ImVec2 p0;
  ImVec2 p1;
  const bool hovered = Reserve(id, size, &p0, &p1);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const int rows = static_cast<int>(values.rows());
  const int cols = static_cast<int>(values.cols());
  if (rows == 0 || cols == 0) {
    draw->AddText(ImVec2(p0.x + 4, p0.y + 4), kLabelColor, "(empty)");
    return;
  }
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (!std::isfinite(values(r, c))) continue;
      lo = std::min(lo, values(r, c));
      hi = std::max(hi, values(r, c));
    }
  }
  const bool diverging = lo < 0;
  const double span = diverging ? std::max(-lo, hi) : hi - lo;
  const float cw = (p1.x - p0.x) / cols;
  const float ch = (p1.y - p0.y) / rows;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double v = values(r, c);
      ImU32 color = IM_COL32(60, 60, 60, 255);
      if (std::isfinite(v)) {
        if (diverging) {
          color = Diverging(span > 0 ? v / span : 0.0);
        } else {
          color = Sequential(span > 0 ? (v - lo) / span : 0.5);
        }
      }
      const ImVec2 a(p0.x + c * cw, p0.y + r * ch);
      draw->AddRectFilled(a, ImVec2(a.x + cw, a.y + ch), color);
    }
  }
  draw->AddRect(p0, p1, kAxisColor);
  if (hovered) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const int c = std::clamp(static_cast<int>((mouse.x - p0.x) / cw), 0, cols - 1);
    const int r = std::clamp(static_cast<int>((mouse.y - p0.y) / ch), 0, rows - 1);
    ImGui::SetTooltip("row %d, column %d: %s\nrange %s .. %s", r, c, Short(values(r, c)).c_str(),
                      Short(lo).c_str(), Short(hi).c_str());
  }
}

void Bars(const char* id, const std::vector<double>& values, ImVec2 size,
          const std::string& caption) {
  ImVec2 p0;
  ImVec2 p1;
  const bool hovered = Reserve(id, size, &p0, &p1);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const int n = static_cast<int>(values.size());
  double lo = 0;
  double hi = 0;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (hi - lo <= 0) hi = lo + 1;
  const float height = p1.y - p0.y;
  const float zero_y = p1.y - static_cast<float>((0 - lo) / (hi - lo)) * height;
  const float bw = n > 0 ? (p1.x - p0.x) / n : 0;
  const ImU32 fill = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) continue;
    const float y = p1.y - static_cast<float>((values[i] - lo) / (hi - lo)) * height;
    const float x = p0.x + i * bw;
    draw->AddRectFilled(ImVec2(x + std::min(1.0f, bw * 0.2f), std::min(y, zero_y)),
                        ImVec2(x + bw - std::min(1.0f, bw * 0.2f), std::max(y, zero_y)), fill);
  }
  if (lo < 0) draw->AddLine(ImVec2(p0.x, zero_y), ImVec2(p1.x, zero_y), kAxisColor);
  if (!caption.empty()) {
    draw->AddText(ImVec2(p0.x + 3, p0.y + 2), kLabelColor, caption.c_str());
  }
  if (hovered && n > 0) {
    const float mx = ImGui::GetIO().MousePos.x;
    const int i = std::clamp(static_cast<int>((mx - p0.x) / bw), 0, n - 1);
    ImGui::SetTooltip("%d: %s", i, Short(values[i]).c_str());
  }
}

void LinePlot(const char* id, const std::vector<double>& xs, const std::vector<PlotSeries>& series,
              double marker_x, ImVec2 size, bool log_y) {
  ImVec2 p0;
  ImVec2 p1;
  const bool hovered = Reserve(id, size, &p0, &p1);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  PlotArea area;
  if (!FindPlotRange(xs, series, log_y, &area.range)) {
    draw->AddText(ImVec2(p0.x + 4, p0.y + 4), kLabelColor, "(no data yet)");
    return;
  }
  const std::string top = AxisLabel(area.range.y_hi, log_y);
  const std::string bottom = AxisLabel(area.range.y_lo, log_y);
  const float line = ImGui::GetTextLineHeight();
  const float left =
      std::max(ImGui::CalcTextSize(top.c_str()).x, ImGui::CalcTextSize(bottom.c_str()).x) + 6;
  const float plot_top = DrawLegend(draw, series, p0, p1, left, line);
  area.a = ImVec2(p0.x + left, plot_top);
  area.b = ImVec2(p1.x - 4, p1.y - line - 2);
  if (area.b.x - area.a.x < 8 || area.b.y - area.a.y < 8) return;
  DrawAxes(draw, area, p0.x + 2, top, bottom, line, log_y);
  DrawCurves(draw, area, xs, series, marker_x, log_y);
  if (hovered && !xs.empty()) ShowNearestValues(area, xs, series);
}

}  // namespace mnemo
