// mnemo.RunningStats: per-dimension count, mean and squared deviations of
// observations, merged in a given order exactly as training merges them.
#include <pybind11/stl.h>

#include "core/util/error.h"
#include "python/src/bindings.h"
#include "python/src/convert.h"

namespace mnemo::python {
namespace {

// Merges `other` (a RunningStats or a sequence of them, in order) into `s`.
void MergeInto(RunningStats& s, py::handle other) {
  std::vector<RunningStats> all;
  if (py::isinstance<RunningStats>(other)) {
    all.push_back(other.cast<RunningStats>());
  } else {
    for (py::handle item : other) all.push_back(item.cast<RunningStats>());
  }
  for (const RunningStats& one : all) {
    if (one.Dim() != s.Dim()) {
      throw Error("RunningStats.merge: statistics of " + std::to_string(one.Dim()) +
                  " dimensions into " + std::to_string(s.Dim()));
    }
    s.Merge(one);
  }
}

}  // namespace

void BindRunningStats(py::module_& m) {
  py::class_<RunningStats>(m, "RunningStats",
                           "Observation statistics: count, mean and squared deviations")
      .def(py::init<int>(), py::arg("dim"), "Empty statistics over dim dimensions")
      .def(py::init([](std::int64_t count, const DoubleArray& mean, const DoubleArray& m2) {
             return RunningStats::FromMoments(count, ToVec(mean, -1, "mean"), ToVec(m2, -1, "m2"));
           }),
           py::arg("count"), py::arg("mean"), py::arg("m2"), "Statistics from stored moments")
      .def_property_readonly("dim", &RunningStats::Dim)
      .def_property_readonly("count", &RunningStats::Count)
      .def_property_readonly("mean", [](const RunningStats& s) { return ToArray(s.Mean()); })
      .def_property_readonly("m2",
                             [](const RunningStats& s) { return ToArray(s.SquaredDeviations()); })
      .def_property_readonly("var", [](const RunningStats& s) { return ToArray(s.Variance()); })
      .def("merge", &MergeInto, py::arg("other"),
           "Adds the samples of other (one RunningStats, or several in order)")
      .def("copy", [](const RunningStats& s) { return s; })
      .def("__repr__", [](const RunningStats& s) {
        return "RunningStats(dim=" + std::to_string(s.Dim()) +
               ", count=" + std::to_string(s.Count()) + ")";
      });
}

}  // namespace mnemo::python
