// An updater whose behaviour is set by meta-parameters: what meta-training
// perturbs, and what a weights file stores.
#pragma once

#include <string>
#include <vector>

#include "core/math/param_layout.h"
#include "core/math/types.h"
#include "core/optim/updater.h"

namespace mnemo {

// A learned updater (Mnemosyne, the LSTM baseline). All its learnable
// numbers form one flat vector; everything else is fixed architecture.
class LearnedUpdater : public Updater {
 public:
  // Number of meta-parameters.
  virtual int MetaParamCount() const = 0;
  // The meta-parameters as one flat vector.
  virtual Vec MetaParams() const = 0;
  // Replaces the meta-parameters (a vector of MetaParamCount() numbers).
  virtual void SetMetaParams(const Vec& params) = 0;
  // Names and shapes of the blocks inside the flat vector.
  virtual ParamLayout MetaLayout() const = 0;
  // Writes the architecture and the meta-parameters as a weights file.
  virtual void SaveWeights(const std::string& path) const = 0;
};

// The coordinates a learned updater shows by default: the first coordinate of
// each of the first few tensors of `layout`.
std::vector<int> DefaultInspectionFocus(const ParamLayout& layout);

// A readable name of coordinate `j` of `layout`: "<tensor>#<index>".
std::string CoordinateLabel(const ParamLayout& layout, int j);

}  // namespace mnemo
