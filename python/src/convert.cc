#include "python/src/convert.h"

#include <cmath>

#include "core/util/error.h"

namespace mnemo::python {
namespace {

// "(2, 3)": a numpy shape as Python prints it.
std::string ShapeText(const DoubleArray& a) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(a.shape(i));
  }
  return text + (a.ndim() == 1 ? ",)" : ")");
}

// Throws an Error naming `what` and the index when a number is not finite.
void CheckFinite(const double* x, py::ssize_t n, const std::string& what) {
  for (py::ssize_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) {
      throw Error(what + "[" + std::to_string(i) + "] is " + std::to_string(x[i]) +
                  "; it must be a finite number");
    }
  }
}

// The YAML text of a scalar Python value.
std::string ScalarText(py::handle value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(value)) return py::str(value).cast<std::string>();
  if (py::isinstance<py::float_>(value)) return py::repr(value).cast<std::string>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  throw Error("cannot use a value of type " +
              py::str(py::type::of(value).attr("__name__")).cast<std::string>() +
              " in a config (use str, int, float, bool, list or dict)");
}

}  // namespace

py::array_t<double> ToArray(const Vec& v) {
  py::array_t<double> out(v.size());
  std::copy(v.data(), v.data() + v.size(), out.mutable_data());
  return out;
}

Vec ToVec(const DoubleArray& a, int size, const std::string& what) {
  if (a.ndim() != 1 || (size >= 0 && a.shape(0) != size)) {
    throw Error(what + " has shape " + ShapeText(a) + ", expected (" +
                (size >= 0 ? std::to_string(size) : std::string("n")) + ",)");
  }
  CheckFinite(a.data(), a.size(), what);
  Vec v(a.shape(0));
  std::copy(a.data(), a.data() + a.size(), v.data());
  return v;
}

std::vector<Vec> ToRows(const DoubleArray& a, int dim, const std::string& what) {
  const bool one_row = a.ndim() == 1 && a.shape(0) == dim;
  if (!one_row && (a.ndim() != 2 || a.shape(1) != dim || a.shape(0) < 1)) {
    throw Error(what + " has shape " + ShapeText(a) + ", expected (K, " + std::to_string(dim) +
                ") with K >= 1");
  }
  CheckFinite(a.data(), a.size(), what);
  const py::ssize_t rows = one_row ? 1 : a.shape(0);
  std::vector<Vec> out(rows, Vec(dim));
  for (py::ssize_t k = 0; k < rows; ++k) {
    std::copy(a.data() + k * dim, a.data() + (k + 1) * dim, out[k].data());
  }
  return out;
}

py::array_t<double> RowsToArray(const std::vector<Vec>& rows, int cols) {
  py::array_t<double> out({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(cols)});
  double* data = out.mutable_data();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::copy(rows[k].data(), rows[k].data() + cols, data + k * cols);
  }
  return out;
}

YAML::Node ToYaml(py::handle value) {
  if (value.is_none()) return YAML::Node(YAML::NodeType::Null);
  if (py::hasattr(value, "item") && !py::isinstance<py::str>(value)) {
    return ToYaml(value.attr("item")());  // a numpy scalar
  }
  if (py::isinstance<py::dict>(value)) {
    YAML::Node map(YAML::NodeType::Map);
    for (auto [key, item] : value.cast<py::dict>()) {
      map[py::str(key).cast<std::string>()] = ToYaml(item);
    }
    return map;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    YAML::Node seq(YAML::NodeType::Sequence);
    for (py::handle item : value) seq.push_back(ToYaml(item));
    return seq;
  }
  return YAML::Node(ScalarText(value));
}

py::object FromYaml(const YAML::Node& node) {
  if (node.IsMap()) {
    py::dict out;
    for (const auto& item : node) out[py::str(item.first.Scalar())] = FromYaml(item.second);
    return out;
  }
  if (node.IsSequence()) {
    py::list out;
    for (const auto& item : node) out.append(FromYaml(item));
    return out;
  }
  if (!node.IsScalar()) return py::none();
  if (node.Tag() == "!") return py::str(node.Scalar());  // quoted: a string
  long long i = 0;
  double d = 0;
  bool b = false;
  if (YAML::convert<long long>::decode(node, i)) return py::int_(i);
  if (YAML::convert<double>::decode(node, d)) return py::float_(d);
  if (YAML::convert<bool>::decode(node, b)) return py::bool_(b);
  return py::str(node.Scalar());
}

ConfigNode ToConfig(const YAML::Node& root, const std::string& source) {
  YAML::Emitter emitter;
  emitter.SetMapFormat(YAML::Flow);
  emitter.SetSeqFormat(YAML::Flow);
  emitter << root;
  return ConfigNode::FromString(emitter.c_str(), source);
}

RunningStats ToStats(py::handle stats, int dim, const std::string& what) {
  if (stats.is_none()) return RunningStats(dim);
  RunningStats s = stats.cast<RunningStats>();
  if (s.Dim() != dim) {
    throw Error(what + " has " + std::to_string(s.Dim()) + " dimensions, the task's observations " +
                std::to_string(dim));
  }
  return s;
}

}  // namespace mnemo::python
