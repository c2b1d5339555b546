#include "core/optim/updater.h"

namespace mnemo {

std::unique_ptr<Updater> MakeUpdater(const ConfigNode& config) {
  const std::string type = config.GetString("type", "sgd");
  try {
    return UpdaterRegistry::Instance().Create("updater", type, config);
  } catch (const Error& e) {
    if (UpdaterRegistry::Instance().Has(type)) throw;
    throw config.ErrorAt("type", e.what());
  }
}

}  // namespace mnemo
