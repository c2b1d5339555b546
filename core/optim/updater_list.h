// The list of updaters, hand-designed and learned: a new one is one file and
// one line here.
#pragma once

#include "core/optim/updater.h"

namespace mnemo {

// Every updater, by name.
const UpdaterRegistry& Updaters();

// The entries, each defined next to its updater.
UpdaterRegistry::Entry SgdEntry();
UpdaterRegistry::Entry NominalEntry();
UpdaterRegistry::Entry NominalAdaptiveEntry();
UpdaterRegistry::Entry MomentumEntry();
UpdaterRegistry::Entry AdamEntry();
UpdaterRegistry::Entry LstmEntry();
UpdaterRegistry::Entry MnemosyneEntry();
UpdaterRegistry::Entry MnemosyneControllerEntry();

}  // namespace mnemo
