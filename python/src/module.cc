// The extension _mnemo: the C++ toolkit as the Python package mnemo sees it
// (python/mnemo/ wraps it; docs/PYTHON.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "python/src/bindings.h"

PYBIND11_MODULE(_mnemo, m) {
  m.doc() = "Mnemosyne's C++ core (use the package mnemo)";
  // Log lines go to stderr, as the programs' do.
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  mnemo::python::BindErrors(m);
  mnemo::python::BindRunningStats(m);
  mnemo::python::BindEnv(m);
  mnemo::python::BindPolicy(m);
  mnemo::python::BindRollout(m);
  mnemo::python::BindSearch(m);
  mnemo::python::BindOptimizer(m);
  mnemo::python::BindTraining(m);
}
