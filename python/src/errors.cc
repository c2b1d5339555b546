// The toolkit's errors as Python exceptions: the one-line message the CLI
// prints after "mnemo: error: ", as ValueError, or FileNotFoundError when the
// file it names does not exist; file-system failures as OSError, exhausted
// memory as MemoryError, abandoned work (Ctrl-C) as KeyboardInterrupt.
#include "python/src/errors.h"

#include <exception>
#include <filesystem>
#include <new>
#include <system_error>

#include "core/optim/learned_weights_file.h"
#include "core/parallel/cancelled.h"
#include "python/src/bindings.h"

namespace mnemo::python {
namespace {

// Whether `e` is about a file that is not there (names made up by the
// module for its own arguments, "<mnemo.make>", are no files).
bool NamesMissingFile(const Error& e) {
  const std::string& file = e.Where().file;
  if (file.empty() || file.front() == '<') return false;
  std::error_code ec;
  return !std::filesystem::exists(file, ec);
}

// Sets the Python exception of the exception in flight `p`, if it is one of
// the toolkit's (others go to pybind11's own translators).
void Translate(std::exception_ptr p) {
  try {
    std::rethrow_exception(p);
  } catch (const MissingFileError& e) {
    PyErr_SetString(PyExc_FileNotFoundError, e.what());
  } catch (const Error& e) {
    PyErr_SetString(NamesMissingFile(e) ? PyExc_FileNotFoundError : PyExc_ValueError, e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    PyErr_SetString(PyExc_OSError, OneLine(e.what()).c_str());
  } catch (const Cancelled&) {
    PyErr_SetString(PyExc_KeyboardInterrupt, "cancelled");
  } catch (const std::bad_alloc&) {
    PyErr_SetString(PyExc_MemoryError, "out of memory");
  }
}

}  // namespace

void RequireFile(const ConfigNode& config, const std::string& key) {
  if (!config.Has(key) || !config.FindFile(key).empty()) return;
  try {
    ResolveWeightsPath(config, key);
  } catch (const Error& e) {
    throw MissingFileError(e.what());
  }
}

void BindErrors(py::module_& /*m*/) { py::register_exception_translator(&Translate); }

}  // namespace mnemo::python
