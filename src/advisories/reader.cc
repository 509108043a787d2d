#include "advisories/reader.h"

#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "common/text.h"

namespace baken::advisories {

namespace {

using Json = nlohmann::json;

constexpr int kMaxBranchDepth = 30;

// Walks a parsed document, collecting reasons to refuse it and problems to keep. Every
// accessor checks the type of what it reads: hostile input must not make a typed read throw.
class Walk {
 public:
  std::vector<std::string> refusals;
  std::vector<Problem> problems;

  void Refuse(const std::string& where, const std::string& what) {
    refusals.push_back(fmt::format("{}: {}", where.empty() ? "/" : where, what));
  }
  void Flag(const std::string& where, std::string what) {
    problems.push_back({where.empty() ? "/" : where, std::move(what)});
  }

  // The member `key` of `parent` if it is of the wanted kind; refuses when it is required and
  // missing, or present with another type.
  const Json* Member(const Json& parent, const char* key, const std::string& where,
                     Json::value_t kind, bool required) {
    if (!parent.is_object()) return nullptr;
    const auto it = parent.find(key);
    const std::string place = where + "/" + key;
    if (it == parent.end() || it->is_null()) {
      if (required) Refuse(place, "missing");
      return nullptr;
    }
    const bool ok = kind == Json::value_t::number_float ? it->is_number() : it->type() == kind;
    if (!ok) {
      Refuse(place, fmt::format("is a {}, not a {}", it->type_name(), KindName(kind)));
      return nullptr;
    }
    return &*it;
  }
  const Json* Object(const Json& parent, const char* key, const std::string& where,
                     bool required = false) {
    return Member(parent, key, where, Json::value_t::object, required);
  }
  const Json* Array(const Json& parent, const char* key, const std::string& where,
                    bool required = false) {
    return Member(parent, key, where, Json::value_t::array, required);
  }
  std::string Text(const Json& parent, const char* key, const std::string& where,
                   bool required = false) {
    const Json* value = Member(parent, key, where, Json::value_t::string, required);
    return value ? value->get<std::string>() : std::string();
  }
  std::optional<double> Number(const Json& parent, const char* key, const std::string& where) {
    const Json* value = Member(parent, key, where, Json::value_t::number_float, false);
    if (!value) return std::nullopt;
    return value->get<double>();
  }
  // An array of strings; elements of another type are refused.
  std::vector<std::string> Texts(const Json& parent, const char* key, const std::string& where) {
    std::vector<std::string> texts;
    const Json* array = Array(parent, key, where);
    if (!array) return texts;
    for (size_t i = 0; i < array->size(); ++i) {
      const Json& element = (*array)[i];
      if (!element.is_string()) {
        Refuse(fmt::format("{}/{}/{}", where, key, i), "is not a string");
        continue;
      }
      texts.push_back(element.get<std::string>());
    }
    return texts;
  }
  // Objects of an array, with their places; elements of another type are refused.
  void ForEachObject(const Json& parent, const char* key, const std::string& where,
                     const std::function<void(const Json&, const std::string&)>& visit,
                     bool required = false) {
    const Json* array = Array(parent, key, where, required);
    if (!array) return;
    for (size_t i = 0; i < array->size(); ++i) {
      const std::string place = fmt::format("{}/{}/{}", where, key, i);
      if (!(*array)[i].is_object()) {
        Refuse(place, "is not an object");
        continue;
      }
      visit((*array)[i], place);
    }
  }

 private:
  static std::string_view KindName(Json::value_t kind) {
    switch (kind) {
      case Json::value_t::object:
        return "object";
      case Json::value_t::array:
        return "array";
      case Json::value_t::string:
        return "string";
      default:
        return "number";
    }
  }
};

std::vector<Note> ReadNotes(Walk& walk, const Json& parent, const std::string& where) {
  std::vector<Note> notes;
  walk.ForEachObject(parent, "notes", where, [&](const Json& note, const std::string& place) {
    notes.push_back({walk.Text(note, "category", place, true), walk.Text(note, "title", place),
                     walk.Text(note, "text", place, true)});
  });
  return notes;
}

// ---- CSAF 2.0 ----

// CSAF 6.1.31: words and signs that make a product_version name a range.
bool LooksLikeRange(std::string_view name) {
  if (name.find_first_of("<>") != std::string_view::npos) return true;
  const std::string lower = AsciiLower(name);
  for (std::string_view word :
       {"after", "all", "before", "earlier", "later", "prior", "versions"}) {
    for (size_t at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
      const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]));
      const size_t end = at + word.size();
      const bool ends =
          end == lower.size() || !std::isalnum(static_cast<unsigned char>(lower[end]));
      if (starts && ends) return true;
    }
  }
  return false;
}

// Red Hat names packages as NEVRA ("openssl-libs-1:1.1.1k-8.el8_6.s390x") under an
// architecture branch; the package URL it stands for lets an inventory's purl match it.
std::optional<std::string> PurlFromNevra(std::string_view vendor, std::string_view nevra,
                                         std::string_view architecture) {
  const std::string suffix = "." + std::string(architecture);
  if (!nevra.ends_with(suffix)) return std::nullopt;
  std::string_view rest = nevra.substr(0, nevra.size() - suffix.size());
  const size_t release_dash = rest.rfind('-');
  if (release_dash == std::string_view::npos || release_dash == 0) return std::nullopt;
  const std::string_view release = rest.substr(release_dash + 1);
  rest = rest.substr(0, release_dash);
  const size_t version_dash = rest.rfind('-');
  if (version_dash == std::string_view::npos || version_dash == 0) return std::nullopt;
  std::string_view version = rest.substr(version_dash + 1);
  const std::string_view name = rest.substr(0, version_dash);
  std::string_view epoch;
  if (const size_t colon = version.find(':'); colon != std::string_view::npos) {
    epoch = version.substr(0, colon);
    version = version.substr(colon + 1);
  }
  if (name.empty() || version.empty() || release.empty()) return std::nullopt;
  std::string name_space;
  for (char c : AsciiLower(vendor)) {
    if (std::isalnum(static_cast<unsigned char>(c))) name_space.push_back(c);
  }
  std::string purl =
      fmt::format("pkg:rpm/{}/{}@{}-{}?arch={}", name_space, name, version, release, architecture);
  if (!epoch.empty()) purl += fmt::format("&epoch={}", epoch);
  return purl;
}

struct BranchContext {
  std::string architecture;
  std::string vendor;
  std::string family;
  std::string product_name;
  std::string version;
  std::optional<VersionRange> range;
};

class CsafReader {
 public:
  explicit CsafReader(Walk& walk) : walk_(walk) {}

  Advisory Read(const Json& root) {
    Advisory advisory;
    advisory.format = Format::kCsaf;
    const Json* document = walk_.Object(root, "document", "", true);
    if (document) ReadDocument(*document, &advisory);
    if (const Json* tree = walk_.Object(root, "product_tree", "")) ReadTree(*tree, &advisory);
    walk_.ForEachObject(
        root, "vulnerabilities", "", [&](const Json& vulnerability, const std::string& place) {
          advisory.vulnerabilities.push_back(ReadVulnerability(vulnerability, place));
        });
    Validate(advisory);
    return advisory;
  }

 private:
  void ReadDocument(const Json& document, Advisory* advisory) {
    const std::string where = "/document";
    const std::string version = walk_.Text(document, "csaf_version", where, true);
    if (!version.empty() && version != "2.0") {
      walk_.Refuse(where + "/csaf_version", fmt::format("'{}' is not CSAF 2.0", version));
    }
    advisory->category = walk_.Text(document, "category", where, true);
    advisory->title = walk_.Text(document, "title", where, true);
    advisory->lang = walk_.Text(document, "lang", where);
    if (const Json* publisher = walk_.Object(document, "publisher", where, true)) {
      advisory->publisher_name = walk_.Text(*publisher, "name", where + "/publisher", true);
      advisory->publisher_namespace =
          walk_.Text(*publisher, "namespace", where + "/publisher", true);
    }
    if (const Json* tracking = walk_.Object(document, "tracking", where, true)) {
      const std::string place = where + "/tracking";
      advisory->id = walk_.Text(*tracking, "id", place, true);
      advisory->version = walk_.Text(*tracking, "version", place, true);
      advisory->status = walk_.Text(*tracking, "status", place, true);
      advisory->initial_release = walk_.Text(*tracking, "initial_release_date", place, true);
      advisory->current_release = walk_.Text(*tracking, "current_release_date", place, true);
      walk_.ForEachObject(
          *tracking, "revision_history", place,
          [&](const Json& revision, const std::string& at) {
            advisory->revisions.push_back({walk_.Text(revision, "number", at, true),
                                           walk_.Text(revision, "date", at, true),
                                           walk_.Text(revision, "summary", at, true)});
          },
          true);
    }
    if (const Json* distribution = walk_.Object(document, "distribution", where)) {
      if (const Json* tlp = walk_.Object(*distribution, "tlp", where + "/distribution")) {
        const std::string label = walk_.Text(*tlp, "label", where + "/distribution/tlp", true);
        advisory->tlp = ParseTlp(label);
        if (!label.empty() && !advisory->tlp) {
          walk_.Refuse(where + "/distribution/tlp/label",
                       fmt::format("'{}' is no TLP label", label));
        }
      }
    }
    if (const Json* severity = walk_.Object(document, "aggregate_severity", where)) {
      advisory->aggregate_severity = walk_.Text(*severity, "text", where + "/aggregate_severity");
    }
    advisory->notes = ReadNotes(walk_, document, where);
    walk_.ForEachObject(document, "references", where,
                        [&](const Json& reference, const std::string& place) {
                          advisory->references.push_back({walk_.Text(reference, "category", place),
                                                          walk_.Text(reference, "summary", place),
                                                          walk_.Text(reference, "url", place)});
                        });
  }

  void ReadHelpers(const Json& product, const std::string& where, Product* out) {
    const Json* helper = walk_.Object(product, "product_identification_helper", where);
    if (!helper) return;
    const std::string place = where + "/product_identification_helper";
    if (const std::string cpe = walk_.Text(*helper, "cpe", place); !cpe.empty()) out->cpe = cpe;
    if (const std::string purl = walk_.Text(*helper, "purl", place); !purl.empty()) {
      out->purl = purl;
    }
    out->model_numbers = walk_.Texts(*helper, "model_numbers", place);
  }

  Product ReadFullProductName(const Json& product, const std::string& where) {
    Product out;
    out.id = walk_.Text(product, "product_id", where, true);
    out.name = walk_.Text(product, "name", where, true);
    ReadHelpers(product, where, &out);
    Define(out.id, where + "/product_id");
    return out;
  }

  void Define(const std::string& id, const std::string& where) {
    if (id.empty()) return;
    if (!defined_.insert(id).second) {
      walk_.Refuse(where, fmt::format("product ID '{}' is defined more than once (6.1.2)", id));
    }
  }

  void ReadBranches(const Json& parent, const std::string& where, BranchContext context, int depth,
                    Advisory* advisory) {
    if (depth > kMaxBranchDepth) {
      walk_.Refuse(where, fmt::format("branches nest deeper than {}", kMaxBranchDepth));
      return;
    }
    walk_.ForEachObject(parent, "branches", where, [&](const Json& branch, const std::string& at) {
      BranchContext inner = context;
      const std::string category = walk_.Text(branch, "category", at, true);
      const std::string name = walk_.Text(branch, "name", at, true);
      if (category == "architecture") {
        inner.architecture = name;
      } else if (category == "vendor") {
        inner.vendor = name;
      } else if (category == "product_family") {
        inner.family = name;
      } else if (category == "product_name") {
        inner.product_name = name;
      } else if (category == "product_version" || category == "service_pack" ||
                 category == "patch_level") {
        if (category == "product_version" && LooksLikeRange(name)) {
          walk_.Flag(
              at + "/name",
              fmt::format("product_version '{}' is a range (CSAF 6.1.31); read as one", name));
          inner.range = ParseRange(name);
          inner.version.clear();
        } else {
          inner.version = name;
          inner.range.reset();
        }
      } else if (category == "product_version_range") {
        inner.range = ParseRange(name);
        inner.version.clear();
        for (const std::string& problem : inner.range->problems) walk_.Flag(at + "/name", problem);
      }
      if (const Json* product = walk_.Object(branch, "product", at)) {
        Product out = ReadFullProductName(*product, at + "/product");
        out.vendor = TrimBlanks(inner.vendor);
        out.family = TrimBlanks(inner.family);
        out.product_name = TrimBlanks(inner.product_name);
        out.version = TrimBlanks(inner.version);
        out.range = inner.range;
        if (!out.purl && !inner.architecture.empty() && !out.version.empty()) {
          out.purl = PurlFromNevra(out.vendor, out.version, inner.architecture);
          out.purl_derived = out.purl.has_value();
        }
        advisory->products.push_back(std::move(out));
      }
      ReadBranches(branch, at, inner, depth + 1, advisory);
    });
  }

  void ReadTree(const Json& tree, Advisory* advisory) {
    const std::string where = "/product_tree";
    ReadBranches(tree, where, {}, 1, advisory);
    walk_.ForEachObject(tree, "full_product_names", where,
                        [&](const Json& product, const std::string& at) {
                          advisory->products.push_back(ReadFullProductName(product, at));
                        });
    walk_.ForEachObject(
        tree, "relationships", where, [&](const Json& relation, const std::string& at) {
          const Json* full = walk_.Object(relation, "full_product_name", at, true);
          if (!full) return;
          Product out = ReadFullProductName(*full, at + "/full_product_name");
          out.relationship = walk_.Text(relation, "category", at, true);
          out.component_id = walk_.Text(relation, "product_reference", at, true);
          out.platform_id = walk_.Text(relation, "relates_to_product_reference", at, true);
          references_.push_back({out.component_id, at + "/product_reference"});
          references_.push_back({out.platform_id, at + "/relates_to_product_reference"});
          advisory->products.push_back(std::move(out));
        });
    walk_.ForEachObject(
        tree, "product_groups", where, [&](const Json& group, const std::string& at) {
          const std::string id = walk_.Text(group, "group_id", at, true);
          std::vector<std::string> members = walk_.Texts(group, "product_ids", at);
          for (size_t i = 0; i < members.size(); ++i) {
            references_.push_back({members[i], fmt::format("{}/product_ids/{}", at, i)});
          }
          if (!id.empty() && !groups_.emplace(id, std::move(members)).second) {
            walk_.Refuse(
                at + "/group_id",
                fmt::format("product group ID '{}' is defined more than once (6.1.5)", id));
          }
        });
  }

  // Product ids of `product_ids` plus the members of `group_ids`, each use recorded for 6.1.1
  // and 6.1.4.
  std::vector<std::string> ProductIds(const Json& parent, const std::string& where,
                                      const char* products_key = "product_ids") {
    std::vector<std::string> ids = walk_.Texts(parent, products_key, where);
    for (size_t i = 0; i < ids.size(); ++i) {
      references_.push_back({ids[i], fmt::format("{}/{}/{}", where, products_key, i)});
    }
    const std::vector<std::string> groups = walk_.Texts(parent, "group_ids", where);
    for (size_t i = 0; i < groups.size(); ++i) {
      const auto it = groups_.find(groups[i]);
      if (it == groups_.end()) {
        walk_.Refuse(
            fmt::format("{}/group_ids/{}", where, i),
            fmt::format("product group ID '{}' is used but not defined (6.1.4)", groups[i]));
        continue;
      }
      ids.insert(ids.end(), it->second.begin(), it->second.end());
    }
    return ids;
  }

  Vulnerability ReadVulnerability(const Json& json, const std::string& where) {
    Vulnerability vulnerability;
    vulnerability.cve = walk_.Text(json, "cve", where);
    vulnerability.title = walk_.Text(json, "title", where);
    walk_.ForEachObject(json, "ids", where, [&](const Json& id, const std::string& at) {
      vulnerability.ids.push_back(fmt::format("{}: {}", walk_.Text(id, "system_name", at, true),
                                              walk_.Text(id, "text", at, true)));
    });
    if (vulnerability.cve.empty() && vulnerability.ids.empty()) {
      walk_.Flag(where, "names neither a CVE nor another identifier");
    }
    if (const Json* cwe = walk_.Object(json, "cwe", where)) {
      vulnerability.cwe = walk_.Text(*cwe, "id", where + "/cwe", true);
    }
    vulnerability.notes = ReadNotes(walk_, json, where);
    if (const Json* status = walk_.Object(json, "product_status", where)) {
      for (ProductStatus kind : {ProductStatus::kFirstAffected, ProductStatus::kKnownAffected,
                                 ProductStatus::kLastAffected, ProductStatus::kKnownNotAffected,
                                 ProductStatus::kFirstFixed, ProductStatus::kFixed,
                                 ProductStatus::kUnderInvestigation, ProductStatus::kRecommended}) {
        const std::string key(Name(kind));
        const std::string place = where + "/product_status";
        if (const Json* list = walk_.Array(*status, key.c_str(), place); list && list->empty()) {
          walk_.Flag(place + "/" + key, "is an empty list");
        }
        for (const std::string& id : ProductIds(*status, place, key.c_str())) {
          vulnerability.status[id].push_back(kind);
        }
      }
    }
    walk_.ForEachObject(json, "remediations", where, [&](const Json& item, const std::string& at) {
      vulnerability.remediations.push_back({walk_.Text(item, "category", at, true),
                                            walk_.Text(item, "details", at, true),
                                            walk_.Text(item, "url", at), ProductIds(item, at)});
    });
    walk_.ForEachObject(json, "scores", where, [&](const Json& item, const std::string& at) {
      const std::vector<std::string> products = ProductIds(item, at, "products");
      for (const char* key : {"cvss_v3", "cvss_v2"}) {
        const Json* cvss = walk_.Object(item, key, at);
        if (!cvss) continue;
        const std::string place = at + "/" + key;
        Score score;
        score.product_ids = products;
        score.cvss_version = walk_.Text(*cvss, "version", place, true);
        score.base_score = walk_.Number(*cvss, "baseScore", place).value_or(0);
        score.vector = walk_.Text(*cvss, "vectorString", place, true);
        vulnerability.scores.push_back(std::move(score));
      }
    });
    walk_.ForEachObject(json, "threats", where, [&](const Json& item, const std::string& at) {
      vulnerability.threats.push_back({walk_.Text(item, "category", at, true),
                                       walk_.Text(item, "details", at, true),
                                       ProductIds(item, at)});
    });
    walk_.ForEachObject(json, "flags", where, [&](const Json& item, const std::string& at) {
      vulnerability.flags.push_back({walk_.Text(item, "label", at, true), ProductIds(item, at)});
    });
    return vulnerability;
  }

  // The mandatory tests that matter for matching (CSAF 2.0 §6.1), beyond those checked while
  // reading (6.1.2, 6.1.4, 6.1.5).
  void Validate(Advisory& advisory) {
    // 6.1.1: every product ID used is defined.
    std::set<std::string> reported;
    for (const auto& [id, where] : references_) {
      if (!id.empty() && !defined_.contains(id) && reported.insert(id).second) {
        walk_.Refuse(where, fmt::format("product ID '{}' is used but not defined (6.1.1)", id));
      }
    }
    // 6.1.3: a relationship must not define a product from itself.
    std::map<std::string, const Product*> by_relation;
    for (const Product& product : advisory.products) {
      if (!product.relationship.empty()) by_relation.emplace(product.id, &product);
    }
    for (const auto& [id, product] : by_relation) {
      std::set<std::string> seen;
      std::vector<std::string> pending = {product->component_id, product->platform_id};
      while (!pending.empty()) {
        const std::string next = pending.back();
        pending.pop_back();
        if (next == id) {
          walk_.Refuse("/product_tree/relationships",
                       fmt::format("product ID '{}' is defined from itself (6.1.3)", id));
          break;
        }
        if (!seen.insert(next).second) continue;
        if (const auto it = by_relation.find(next); it != by_relation.end()) {
          pending.push_back(it->second->component_id);
          pending.push_back(it->second->platform_id);
        }
      }
    }
    // Relationship products name the product they are a component of.
    for (Product& product : advisory.products) {
      if (product.relationship.empty()) continue;
      if (const Product* component = advisory.FindProduct(product.component_id)) {
        product.vendor = component->vendor;
        product.family = component->family;
        product.product_name = component->product_name;
        product.version = component->version;
        product.range = component->range;
        if (!product.purl) {
          product.purl = component->purl;
          product.purl_derived = component->purl_derived;
        }
        if (!product.cpe) product.cpe = component->cpe;
        if (product.model_numbers.empty()) product.model_numbers = component->model_numbers;
      }
    }
    std::map<std::string, size_t> cves;
    for (size_t v = 0; v < advisory.vulnerabilities.size(); ++v) {
      const Vulnerability& vulnerability = advisory.vulnerabilities[v];
      const std::string where = fmt::format("/vulnerabilities/{}", v);
      // 6.1.6: one product in two status groups of one vulnerability.
      for (const auto& [id, statuses] : vulnerability.status) {
        std::set<int> status_groups;
        for (ProductStatus status : statuses) {
          switch (status) {
            case ProductStatus::kFirstAffected:
            case ProductStatus::kKnownAffected:
            case ProductStatus::kLastAffected:
              status_groups.insert(0);
              break;
            case ProductStatus::kKnownNotAffected:
              status_groups.insert(1);
              break;
            case ProductStatus::kFirstFixed:
            case ProductStatus::kFixed:
              status_groups.insert(2);
              break;
            case ProductStatus::kUnderInvestigation:
              status_groups.insert(3);
              break;
            case ProductStatus::kRecommended:
              break;
          }
        }
        if (status_groups.size() > 1) {
          walk_.Refuse(where + "/product_status",
                       fmt::format("product ID '{}' has contradicting statuses (6.1.6)", id));
        }
      }
      // 6.1.7: one score per CVSS version per product.
      std::set<std::pair<std::string, std::string>> scored;
      for (const Score& score : vulnerability.scores) {
        for (const std::string& id : score.product_ids) {
          if (!scored.insert({id, score.cvss_version}).second) {
            walk_.Refuse(where + "/scores",
                         fmt::format("product ID '{}' has two CVSS {} scores (6.1.7)", id,
                                     score.cvss_version));
          }
        }
      }
      // 6.1.23: one CVE in one vulnerability.
      if (!vulnerability.cve.empty()) {
        const auto [it, added] = cves.emplace(vulnerability.cve, v);
        if (!added) {
          walk_.Refuse(where + "/cve", fmt::format("{} is also vulnerability {} (6.1.23)",
                                                   vulnerability.cve, it->second));
        }
      }
    }
  }

  Walk& walk_;
  std::set<std::string> defined_;
  std::map<std::string, std::vector<std::string>> groups_;
  std::vector<std::pair<std::string, std::string>> references_;  // (product id, where used)
};

// ---- CVE JSON 5 ----

// A package URL for the repository a CVE record names, when it is one we can name exactly.
std::optional<std::string> PurlFromCollection(std::string_view url, std::string_view package) {
  const std::string lower = AsciiLower(url);
  std::string_view rest = lower;
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.starts_with("https://github.com/")) {
    rest.remove_prefix(19);
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos) {
      return std::nullopt;
    }
    return fmt::format("pkg:github/{}", rest);
  }
  if (rest == "https://pypi.org" || rest == "https://pypi.org/simple") {
    if (package.empty()) return std::nullopt;
    return fmt::format("pkg:pypi/{}", AsciiLower(package));
  }
  if (rest.starts_with("https://pypi.org/project/")) {
    rest.remove_prefix(25);
    if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
    return fmt::format("pkg:pypi/{}", rest);
  }
  return std::nullopt;
}

void ReadMetrics(Walk& walk, const Json& container, const std::string& where,
                 const std::string& source, Vulnerability* vulnerability) {
  walk.ForEachObject(container, "metrics", where, [&](const Json& metric, const std::string& at) {
    for (const auto& [key, version] : std::vector<std::pair<const char*, const char*>>{
             {"cvssV4_0", "4.0"}, {"cvssV3_1", "3.1"}, {"cvssV3_0", "3.0"}, {"cvssV2_0", "2.0"}}) {
      const Json* cvss = walk.Object(metric, key, at);
      if (!cvss) continue;
      Score score;
      score.cvss_version = version;
      score.base_score = walk.Number(*cvss, "baseScore", at + "/" + key).value_or(0);
      score.vector = walk.Text(*cvss, "vectorString", at + "/" + key);
      score.source = source;
      vulnerability->scores.push_back(std::move(score));
    }
    const Json* other = walk.Object(metric, "other", at);
    if (!other || walk.Text(*other, "type", at + "/other") != "ssvc") return;
    const Json* content = walk.Object(*other, "content", at + "/other");
    if (!content) return;
    walk.ForEachObject(*content, "options", at + "/other/content",
                       [&](const Json& option, const std::string& place) {
                         const std::string exploitation = walk.Text(option, "Exploitation", place);
                         if (!exploitation.empty()) {
                           vulnerability->ssvc_exploitation = AsciiLower(exploitation);
                         }
                       });
  });
}

Advisory ReadCve(Walk& walk, const Json& root) {
  Advisory advisory;
  advisory.format = Format::kCve;
  advisory.category = "cve_record";
  advisory.publisher_namespace = "https://www.cve.org";
  advisory.tlp = Tlp::kClear;  // CVE records are published for everyone
  const std::string data_version = walk.Text(root, "dataVersion", "", true);
  if (!data_version.empty() && !data_version.starts_with("5.")) {
    walk.Refuse("/dataVersion", fmt::format("'{}' is not CVE JSON 5", data_version));
  }
  if (const Json* metadata = walk.Object(root, "cveMetadata", "", true)) {
    advisory.id = walk.Text(*metadata, "cveId", "/cveMetadata", true);
    advisory.status = walk.Text(*metadata, "state", "/cveMetadata", true);
    advisory.publisher_name = walk.Text(*metadata, "assignerShortName", "/cveMetadata");
    advisory.initial_release = walk.Text(*metadata, "datePublished", "/cveMetadata");
    advisory.current_release = walk.Text(*metadata, "dateUpdated", "/cveMetadata");
    advisory.version = advisory.current_release;
  }
  const Json* containers = walk.Object(root, "containers", "", true);
  if (!containers) return advisory;
  const Json* cna = walk.Object(*containers, "cna", "/containers", true);
  if (!cna) return advisory;
  const std::string where = "/containers/cna";
  Vulnerability vulnerability;
  vulnerability.cve = advisory.id;
  advisory.title = walk.Text(*cna, "title", where);
  walk.ForEachObject(*cna, "descriptions", where,
                     [&](const Json& description, const std::string& at) {
                       const std::string lang = walk.Text(description, "lang", at, true);
                       vulnerability.notes.push_back(
                           {"description", lang, walk.Text(description, "value", at, true)});
                     });
  if (advisory.title.empty() && !vulnerability.notes.empty()) {
    advisory.title = vulnerability.notes.front().text.substr(0, 200);
  }
  vulnerability.title = advisory.title;
  walk.ForEachObject(*cna, "problemTypes", where, [&](const Json& type, const std::string& at) {
    walk.ForEachObject(type, "descriptions", at,
                       [&](const Json& description, const std::string& place) {
                         const std::string cwe = walk.Text(description, "cweId", place);
                         if (!cwe.empty() && vulnerability.cwe.empty()) vulnerability.cwe = cwe;
                       });
  });
  for (const auto& kind : std::vector<std::pair<const char*, const char*>>{
           {"solutions", "vendor_fix"}, {"workarounds", "workaround"}}) {
    const char* category = kind.second;
    walk.ForEachObject(*cna, kind.first, where, [&](const Json& item, const std::string& at) {
      vulnerability.remediations.push_back({category, walk.Text(item, "value", at, true), "", {}});
    });
  }
  ReadMetrics(walk, *cna, where, "cna", &vulnerability);
  const bool cna_scored = !vulnerability.scores.empty();
  walk.ForEachObject(
      *containers, "adp", "/containers", [&](const Json& adp, const std::string& at) {
        std::string source = "adp";
        if (const Json* provider = walk.Object(adp, "providerMetadata", at)) {
          source = walk.Text(*provider, "shortName", at + "/providerMetadata");
        }
        Vulnerability from_adp;
        ReadMetrics(walk, adp, at, source, &from_adp);
        // The CNA's own scores come first; an ADP's count only where the CNA gave none.
        if (!cna_scored) {
          vulnerability.scores.insert(vulnerability.scores.end(), from_adp.scores.begin(),
                                      from_adp.scores.end());
        }
        if (!from_adp.ssvc_exploitation.empty()) {
          vulnerability.ssvc_exploitation = from_adp.ssvc_exploitation;
        }
      });
  walk.ForEachObject(*cna, "affected", where, [&](const Json& item, const std::string& at) {
    Product product;
    product.id = fmt::format("affected[{}]", advisory.products.size());
    product.vendor = TrimBlanks(walk.Text(item, "vendor", at));
    product.product_name = TrimBlanks(walk.Text(item, "product", at));
    const std::string package = walk.Text(item, "packageName", at);
    if (product.product_name.empty()) product.product_name = package;
    for (std::string* value : {&product.vendor, &product.product_name}) {
      if (AsciiLower(*value) == "n/a") {
        walk.Flag(at, "vendor or product is 'n/a'");
        value->clear();
      }
    }
    product.name = TrimBlanks(product.vendor + " " + product.product_name);
    const std::string collection = walk.Text(item, "collectionURL", at);
    if (auto purl = PurlFromCollection(collection, package)) {
      product.purl = *purl;
      product.purl_derived = true;
    }
    const std::vector<std::string> cpes = walk.Texts(item, "cpes", at);
    if (!cpes.empty()) product.cpe = cpes.front();
    product.default_status = walk.Text(item, "defaultStatus", at);
    walk.ForEachObject(item, "versions", at, [&](const Json& entry, const std::string& place) {
      CveVersion version;
      version.version = walk.Text(entry, "version", place, true);
      version.status = walk.Text(entry, "status", place, true);
      version.version_type = walk.Text(entry, "versionType", place);
      if (entry.contains("lessThan")) version.less_than = walk.Text(entry, "lessThan", place, true);
      if (entry.contains("lessThanOrEqual")) {
        version.less_than_or_equal = walk.Text(entry, "lessThanOrEqual", place, true);
      }
      walk.ForEachObject(entry, "changes", place, [&](const Json& change, const std::string& c) {
        version.changes.emplace_back(walk.Text(change, "at", c, true),
                                     walk.Text(change, "status", c, true));
      });
      const bool range = version.less_than || version.less_than_or_equal;
      if (!range && version.version.find_first_of(" ,<>") != std::string::npos) {
        walk.Flag(place + "/version",
                  fmt::format("version '{}' is a range in free text", version.version));
      }
      if (range && version.version_type.empty()) {
        walk.Flag(place, "range without versionType; compared as generic");
      }
      product.cve_versions.push_back(std::move(version));
    });
    vulnerability.status[product.id] = {};
    advisory.products.push_back(std::move(product));
  });
  advisory.vulnerabilities.push_back(std::move(vulnerability));
  return advisory;
}

}  // namespace

std::string_view Name(ProductStatus status) {
  switch (status) {
    case ProductStatus::kFirstAffected:
      return "first_affected";
    case ProductStatus::kKnownAffected:
      return "known_affected";
    case ProductStatus::kLastAffected:
      return "last_affected";
    case ProductStatus::kKnownNotAffected:
      return "known_not_affected";
    case ProductStatus::kFirstFixed:
      return "first_fixed";
    case ProductStatus::kFixed:
      return "fixed";
    case ProductStatus::kUnderInvestigation:
      return "under_investigation";
    case ProductStatus::kRecommended:
      return "recommended";
  }
  return "";
}

const Product* Advisory::FindProduct(std::string_view product_id) const {
  for (const Product& product : products) {
    if (product.id == product_id) return &product;
  }
  return nullptr;
}

tl::expected<Advisory, Refusal> ReadAdvisory(std::string_view json_text) {
  if (json_text.size() > kMaxAdvisoryBytes) {
    return tl::unexpected(Refusal{{fmt::format("larger than {} MiB", kMaxAdvisoryBytes >> 20)}});
  }
  auto parsed = ParseJson<Json>(json_text);
  if (!parsed)
    return tl::unexpected(Refusal{{fmt::format("not JSON: {}", parsed.error().message)}});
  Json root = std::move(*parsed);
  if (!root.is_object()) return tl::unexpected(Refusal{{"/: not a JSON object"}});
  Walk walk;
  Advisory advisory;
  if (root.contains("document")) {
    advisory = CsafReader(walk).Read(root);
  } else if (root.contains("dataType")) {
    const Json& type = root["dataType"];
    if (!type.is_string() || type.get<std::string>() != "CVE_RECORD") {
      return tl::unexpected(Refusal{{"/dataType: not CVE_RECORD"}});
    }
    advisory = ReadCve(walk, root);
  } else {
    return tl::unexpected(
        Refusal{{"neither a CSAF document (no 'document') nor a CVE record (no 'dataType')"}});
  }
  if (!walk.refusals.empty()) return tl::unexpected(Refusal{std::move(walk.refusals)});
  advisory.problems = std::move(walk.problems);
  return advisory;
}

}  // namespace baken::advisories
