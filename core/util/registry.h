// Self-registering registries: one macro next to each implementation adds it,
// so there is no central list to edit.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/io/error.h"

namespace mnemo {

// Named factories of `Product`, built from `Args`. One registry per product
// type (tasks, policies, estimators, updaters).
template <typename Product, typename... Args>
class Registry {
 public:
  // Builds one product.
  using Factory = std::function<std::unique_ptr<Product>(Args...)>;

  // One registered implementation.
  struct Entry {
    std::string name;         // what configs and the command line call it
    std::string description;  // one line for `mnemo list`
    Factory factory;
  };

  // The registry of this product type.
  static Registry& Instance() {
    static Registry registry;
    return registry;
  }

  // Adds an implementation; returns true so it can initialise a static. A
  // name registered twice (a copied file) throws, from a static initialiser:
  // the program aborts at start ("terminate called ... registered twice").
  bool Add(const std::string& name, const std::string& description, Factory factory) {
    if (!entries_.emplace(name, Entry{name, description, std::move(factory)}).second) {
      throw Error("'" + name + "' is registered twice");
    }
    return true;
  }

  // Whether `name` is registered.
  bool Has(const std::string& name) const { return entries_.count(name) > 0; }

  // Records that the numbers `name` produces changed `revision` - 1 times
  // since it was added (revision 1), so that stored results made by an older
  // revision can be told apart; returns true so it can initialise a static.
  // A revision below 2 is a mistake (1 is the default): an Error.
  bool SetRevision(const std::string& name, int revision) {
    if (revision < 2) {
      throw Error("revision " + std::to_string(revision) + " of '" + name +
                  "': revisions start at 2 (1 is every implementation's first)");
    }
    revisions_[name] = revision;
    return true;
  }
  // The revision of `name` (1 unless set).
  int Revision(const std::string& name) const {
    auto it = revisions_.find(name);
    return it == revisions_.end() ? 1 : it->second;
  }

  // Builds the implementation called `name`; an unknown name is an Error that
  // lists the known ones.
  std::unique_ptr<Product> Create(const std::string& kind_label, const std::string& name,
                                  Args... args) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      std::string known;
      for (const auto& [n, e] : entries_) known += (known.empty() ? "" : ", ") + n;
      throw Error("unknown " + kind_label + " '" + name + "' (known: " + known + ")");
    }
    return it->second.factory(std::forward<Args>(args)...);
  }

  // The names given a revision above 1 (each must also be registered).
  std::vector<std::string> RevisedNames() const {
    std::vector<std::string> names;
    for (const auto& [name, revision] : revisions_) names.push_back(name);
    return names;
  }

  // All entries, sorted by name.
  std::vector<Entry> Entries() const {
    std::vector<Entry> out;
    for (const auto& [n, e] : entries_) out.push_back(e);
    return out;
  }

 private:
  Registry() = default;
  std::map<std::string, Entry> entries_;
  std::map<std::string, int> revisions_;  // only those above 1
};

}  // namespace mnemo

#define MNEMO_REGISTRY_CONCAT_INNER(a, b) a##b
#define MNEMO_REGISTRY_CONCAT(a, b) MNEMO_REGISTRY_CONCAT_INNER(a, b)

// Registers `factory` under `name` in `RegistryType` at static-initialisation
// time. Use once per implementation, in its .cc file.
#define MNEMO_REGISTER(RegistryType, name, description, factory)         \
  static const bool MNEMO_REGISTRY_CONCAT(mnemo_registered_, __LINE__) = \
      RegistryType::Instance().Add(name, description, factory)

// Sets the revision of the implementation registered as `name`: raise it
// (with a comment saying why) whenever a change alters the numbers it
// produces, so that benches refuse runs made before the change.
#define MNEMO_REVISION(RegistryType, name, revision)                   \
  static const bool MNEMO_REGISTRY_CONCAT(mnemo_revision_, __LINE__) = \
      RegistryType::Instance().SetRevision(name, revision)
