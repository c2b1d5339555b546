// Default names of new run folders: the config's name and the local time.
#pragma once

#include <string>

#include "apps/lib/training/train_config.h"

namespace mnemo {

// "runs/<config stem>-s<seed>-<time>", e.g. "runs/half_cheetah_ars-s1-20261128-235959"
// (`mnemo train` and `mnemo-view --train`).
std::string DefaultTrainRunDir(const TrainConfig& config);

// "runs/meta-<config stem>-<time>", e.g. "runs/meta-mnemosyne_generic-20261128-235959"
// (`mnemo meta-train`).
std::string DefaultMetaRunDir(const std::string& config_path);

}  // namespace mnemo
