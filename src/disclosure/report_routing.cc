#include "disclosure/report_routing.h"

#include <algorithm>

#include "advisories/cpe.h"
#include "advisories/identity.h"
#include "net/ip_address.h"
#include "net/url.h"

namespace baken::disclosure {

namespace {

std::optional<ItemRoute> Routed(const routing::Constituency& snapshot,
                                const std::optional<routing::Match>& match) {
  if (!match) return std::nullopt;
  return ItemRoute{std::string(snapshot.MemberCode(*match)),
                   std::string(routing::EvidenceName(match->reason)),
                   snapshot.DescribeClaim(*match)};
}

std::optional<ItemRoute> RouteHost(const routing::Constituency& snapshot, const std::string& host) {
  if (const auto address = net::IpAddress::Parse(host)) {
    return Routed(snapshot, snapshot.LookupIp(*address));
  }
  return Routed(snapshot, snapshot.LookupDomain(host));
}

// An asset's vendor and product keys: its own fields, else its CPE's.
std::pair<std::string, std::string> AssetKeys(const registry::Asset& asset) {
  std::string vendor = asset.vendor;
  std::string product = asset.product;
  if ((vendor.empty() || product.empty()) && asset.cpe) {
    if (auto cpe = advisories::ParseCpe(*asset.cpe)) {
      vendor = cpe->values[advisories::Cpe::kVendor];
      product = cpe->values[advisories::Cpe::kProduct];
    }
  }
  const std::string vendor_key = advisories::VendorKey(vendor);
  return {vendor_key, advisories::ProductKey(vendor_key, product)};
}

}  // namespace

std::optional<ItemRoute> RouteItem(const routing::Constituency& snapshot, const NamedItem& item) {
  if (item.kind == "ip" || item.kind == "host") return RouteHost(snapshot, item.value);
  if (item.kind == "email_domain") return Routed(snapshot, snapshot.LookupDomain(item.value));
  if (item.kind == "url") {
    const auto url = net::ParseHttpUrl(item.value);
    if (!url) return std::nullopt;
    return RouteHost(snapshot, url->host);
  }
  return std::nullopt;
}

std::vector<ItemRoute> ProductCandidates(const std::vector<registry::Member>& members,
                                         const ProductName& product) {
  std::vector<ItemRoute> candidates;
  const std::string vendor_key = advisories::VendorKey(product.vendor);
  const std::string product_key = advisories::ProductKey(vendor_key, product.product);
  if (vendor_key.empty() || product_key.empty()) return candidates;
  for (const registry::Member& member : members) {
    for (const registry::Asset& asset : member.assets) {
      const auto [asset_vendor, asset_product] = AssetKeys(asset);
      if (asset_vendor == vendor_key && asset_product == product_key) {
        candidates.push_back({member.code, "inventory", asset.name});
        break;
      }
    }
  }
  return candidates;
}

}  // namespace baken::disclosure
