// Registries: named factories built from an explicit list (one list file per
// registry, e.g. envs/task_list.cc), so that ordinary static libraries work
// and a program links only the implementations its lists name.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/util/error.h"

namespace mnemo {

// Named factories of `Product`, built from `Args`. One registry per product
// type (tasks, policies, search methods, updaters, task families).
template <typename Product, typename... Args>
class Registry {
 public:
  // Builds one product.
  using Factory = std::function<std::unique_ptr<Product>(Args...)>;

  // One implementation.
  struct Entry {
    std::string name;         // what configs and the command line call it
    std::string description;  // one line for `mnemo list`
    Factory factory;
    // How many times the numbers it produces changed since it was added, plus
    // one: raise it (with a comment saying why) whenever a change alters its
    // numbers, so that benches refuse runs made before the change.
    int revision = 1;
  };

  // A registry of `entries`. A name listed twice or a revision below 1 is an
  // Error.
  explicit Registry(std::vector<Entry> entries) {
    for (Entry& e : entries) {
      if (e.revision < 1) {
        throw Error("revision " + std::to_string(e.revision) + " of '" + e.name +
                    "': revisions start at 1");
      }
      const std::string name = e.name;
      if (!entries_.emplace(name, std::move(e)).second) {
        throw Error("'" + name + "' is listed twice");
      }
    }
  }

  // Whether `name` is listed.
  bool Has(const std::string& name) const { return entries_.count(name) > 0; }

  // The revision of `name` (1 for a name not listed).
  int Revision(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? 1 : it->second.revision;
  }

  // Builds the implementation called `name`; an unknown name is an Error that
  // lists the known ones (`kind_label` names the kind: "task", "updater"...).
  std::unique_ptr<Product> Create(const std::string& kind_label, const std::string& name,
                                  Args... args) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      throw Error("unknown " + kind_label + " '" + name + "' (known: " + KnownNames() + ")");
    }
    return it->second.factory(std::forward<Args>(args)...);
  }

  // The names, sorted and separated by ", ".
  std::string KnownNames() const {
    std::string known;
    for (const auto& [n, e] : entries_) known += (known.empty() ? "" : ", ") + n;
    return known;
  }

  // A registry of these entries and `more` (a list extended by a layer above,
  // or by a test with an implementation of its own).
  Registry With(std::vector<Entry> more) const {
    std::vector<Entry> all = Entries();
    all.insert(all.end(), more.begin(), more.end());
    return Registry(std::move(all));
  }

  // All entries, sorted by name.
  std::vector<Entry> Entries() const {
    std::vector<Entry> out;
    for (const auto& [n, e] : entries_) out.push_back(e);
    return out;
  }

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace mnemo
