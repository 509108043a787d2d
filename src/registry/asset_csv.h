#ifndef BAKEN_REGISTRY_ASSET_CSV_H_
#define BAKEN_REGISTRY_ASSET_CSV_H_

// A member's ICT inventory as a spreadsheet saved as CSV. The first line names the columns
// (any order, case-insensitive): name, vendor, product, version, cpe, purl, criticality,
// internet_facing. name, vendor and product are required; other columns are ignored, so a
// member can export its own inventory sheet as it is. Comma or semicolon separated (Dutch
// spreadsheet settings write semicolons). internet_facing takes yes/no, ja/nee, true/false, 1/0.

#include <istream>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "registry/member.h"
#include "registry/member_json.h"

namespace baken::registry {

// All assets, or every problem found, each naming the source, the line and the field.
tl::expected<std::vector<Asset>, Problems> ParseAssetCsv(std::istream& input,
                                                         std::string_view source_name);

}  // namespace baken::registry

#endif  // BAKEN_REGISTRY_ASSET_CSV_H_
