#include "core/optim/updater_list.h"

namespace mnemo {

const UpdaterRegistry& Updaters() {
  static const UpdaterRegistry registry({SgdEntry(), NominalEntry(), NominalAdaptiveEntry(),
                                         MomentumEntry(), AdamEntry(), LstmEntry(),
                                         MnemosyneEntry(), MnemosyneControllerEntry()});
  return registry;
}

}  // namespace mnemo
