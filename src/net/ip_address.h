#ifndef BAKEN_NET_IP_ADDRESS_H_
#define BAKEN_NET_IP_ADDRESS_H_

// IP addresses and CIDR prefixes as plain values: small, copyable, ordered, and parsed strictly,
// because they come from member registrations, feeds and people typing into a search box.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace baken::net {

// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are stored as IPv4, so
// that a feed reporting an IPv4 client seen on a dual-stack socket finds the IPv4 netblock.
// Ordering: all IPv4 addresses before all IPv6 addresses, then numeric.
class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  // 0.0.0.0, so that Prefix is default-constructible.
  IpAddress() = default;

  static IpAddress V4(uint32_t host_order);
  // The 128-bit address as two halves, most significant first. An IPv4-mapped value becomes
  // an IPv4 address.
  static IpAddress V6(uint64_t high, uint64_t low);

  // nullopt when text is not an address. Strict: no surrounding spaces, no zone ids
  // ("fe80::1%eth0"), no IPv4 octets with a leading zero like 010.1.1.1 (octal or decimal?),
  // only the four-part dotted IPv4 form; otherwise inet_pton(3) semantics.
  static std::optional<IpAddress> Parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  // Host byte order; only meaningful for kV4.
  uint32_t v4() const { return static_cast<uint32_t>(low_); }
  // Only meaningful for kV6.
  uint64_t v6_high() const { return high_; }
  uint64_t v6_low() const { return low_; }

  // Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, longest run of two or
  // more zero groups shortened to "::").
  std::string ToString() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::kV4;
  uint64_t high_ = 0;  // always 0 for IPv4
  uint64_t low_ = 0;   // the IPv4 address in its low 32 bits
};

// A CIDR prefix: the network address with all host bits zero, plus the prefix length (0..32 for
// IPv4, 0..128 for IPv6). ParsePrefix guarantees the invariant; code that builds a Prefix by
// hand must keep it, and consumers (such as the constituency builder) check it.
struct Prefix {
  IpAddress network;
  int length = 0;

  // "192.0.2.0/24", "2001:db8::/32".
  std::string ToString() const;
  // True when the length fits the family and the host bits are zero: the invariant above.
  bool IsValid() const;
  // False across families.
  bool Contains(const IpAddress& address) const;
  bool Contains(const Prefix& other) const;
  // Two CIDR prefixes overlap exactly when one contains the other.
  bool Overlaps(const Prefix& other) const;

  friend auto operator<=>(const Prefix&, const Prefix&) = default;
};

// Parses "a.b.c.d/len" or "ipv6/len". A bare address without "/len" is a host prefix (/32 or
// /128). An IPv4-mapped IPv6 prefix ::ffff:a.b.c.d/len with len >= 96 becomes the IPv4 prefix
// a.b.c.d/(len-96). The length is decimal without a leading zero.
// Errors (kInvalidArgument) quote the input and say what is wrong, for example
//   "'192.0.2.1/24' has host bits set (the network is 192.0.2.0/24)".
Result<Prefix> ParsePrefix(std::string_view text);

}  // namespace baken::net

#endif  // BAKEN_NET_IP_ADDRESS_H_
