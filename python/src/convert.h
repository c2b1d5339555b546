// Conversions between Python values (numpy arrays, dicts) and the toolkit's
// types (Vec, YAML config sections), with errors that name the argument.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "core/io/config_node.h"
#include "core/math/running_stats.h"
#include "core/math/types.h"

namespace mnemo::python {

namespace py = pybind11;

// A C-ordered float64 array (converted from anything array-like).
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

// A copy of `v` as a 1-D float64 numpy array.
py::array_t<double> ToArray(const Vec& v);
// A copy of the 1-D array `a`, which must hold `size` finite numbers (size
// < 0: any); an Error naming `what` otherwise.
Vec ToVec(const DoubleArray& a, int size, const std::string& what);
// The rows of the 2-D array `a` [K, dim] (a 1-D array is one row); an Error
// naming `what` when the shape differs or a number is not finite.
std::vector<Vec> ToRows(const DoubleArray& a, int dim, const std::string& what);
// `rows` as a 2-D float64 numpy array [rows, cols].
py::array_t<double> RowsToArray(const std::vector<Vec>& rows, int cols);

// A YAML node of a Python value: dict, list or tuple, str, bool, int,
// float (numpy scalars included) or None.
YAML::Node ToYaml(py::handle value);
// A Python value of a YAML node: dict, list, int, float, bool, None or str
// (a scalar is the first type it reads as).
py::object FromYaml(const YAML::Node& node);
// The config mapping `root`, named `source` in errors (e.g. "<mnemo.make>").
ConfigNode ToConfig(const YAML::Node& root, const std::string& source);

// The names of a registry's entries, sorted (mnemo.tasks(), mnemo.updaters()).
template <typename Registry>
std::vector<std::string> EntryNames(const Registry& registry) {
  std::vector<std::string> names;
  for (const auto& e : registry.Entries()) names.push_back(e.name);
  return names;
}

// The RunningStats held by a Python RunningStats object, or empty
// statistics of `dim` dimensions for None; an Error naming `what` when the
// dimension differs.
RunningStats ToStats(py::handle stats, int dim, const std::string& what);

}  // namespace mnemo::python
