#include "net/ip_address.h"

#include <array>
#include <cstring>

#include <arpa/inet.h>

#include "common/problem_codes.h"

namespace baken::net {
namespace {

constexpr uint64_t kMappedPrefix = 0xffff'0000'0000ULL;  // low half of ::ffff:0.0.0.0
constexpr size_t kMaxV6TextLength = 45;                  // INET6_ADDRSTRLEN without the NUL

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Exactly four decimal octets. *leading_zero is set when the text failed only because an octet
// such as "010" could be read as octal, so that ParsePrefix can say so.
std::optional<uint32_t> ParseDottedQuad(std::string_view text, bool* leading_zero) {
  uint32_t value = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
    const size_t start = i;
    uint32_t octet = 0;
    while (i < text.size() && IsDigit(text[i]) && i - start < 4) {
      octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    const size_t digits = i - start;
    if (digits == 0 || digits > 3 || octet > 255) return std::nullopt;
    if (digits > 1 && text[start] == '0') {
      *leading_zero = true;
      return std::nullopt;
    }
    value = (value << 8) | octet;
  }
  if (i != text.size()) return std::nullopt;
  return value;
}

std::optional<IpAddress> ParseV6(std::string_view text) {
  if (text.size() > kMaxV6TextLength) return std::nullopt;
  // inet_pton needs a NUL-terminated string; refusing every other character up front also
  // rules out zone ids, spaces and embedded NULs.
  std::array<char, kMaxV6TextLength + 1> buffer{};
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!IsHexDigit(c) && c != ':' && c != '.') return std::nullopt;
    buffer[i] = c;
  }
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, buffer.data(), bytes.data()) != 1) return std::nullopt;
  uint64_t high = 0;
  uint64_t low = 0;
  for (size_t i = 0; i < 8; ++i) {
    high = (high << 8) | bytes[i];
    low = (low << 8) | bytes[i + 8];
  }
  return IpAddress::V6(high, low);
}

std::optional<IpAddress> ParseAddress(std::string_view text, bool* leading_zero) {
  if (text.find(':') != std::string_view::npos) return ParseV6(text);
  const std::optional<uint32_t> v4 = ParseDottedQuad(text, leading_zero);
  if (!v4) return std::nullopt;
  return IpAddress::V4(*v4);
}

// Network mask for the 64-bit half that holds bits [0, 64) of a prefix of `length` bits.
uint64_t Mask64(int length) {
  if (length <= 0) return 0;
  if (length >= 64) return ~uint64_t{0};
  return ~uint64_t{0} << (64 - length);
}

uint32_t Mask32(int length) {
  if (length <= 0) return 0;
  if (length >= 32) return ~uint32_t{0};
  return ~uint32_t{0} << (32 - length);
}

void AppendHex(std::string& out, uint16_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const auto nibble = static_cast<unsigned>(value >> shift) & 0xfu;
    if (nibble != 0 || started || shift == 0) {
      out += kHex[nibble];
      started = true;
    }
  }
}

}  // namespace

IpAddress IpAddress::V4(uint32_t host_order) {
  IpAddress address;
  address.family_ = Family::kV4;
  address.low_ = host_order;
  return address;
}

IpAddress IpAddress::V6(uint64_t high, uint64_t low) {
  if (high == 0 && (low >> 32) == 0xffff) return V4(static_cast<uint32_t>(low));
  IpAddress address;
  address.family_ = Family::kV6;
  address.high_ = high;
  address.low_ = low;
  return address;
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  bool leading_zero = false;
  return ParseAddress(text, &leading_zero);
}

std::string IpAddress::ToString() const {
  std::string out;
  if (is_v4()) {
    // Written into a buffer: every row of a feed has an address, and four to_string calls
    // cost more than parsing it.
    char text[16];
    char* at = text;
    for (int shift = 24; shift >= 0; shift -= 8) {
      const uint32_t byte = (v4() >> shift) & 0xffu;
      if (byte >= 100) *at++ = static_cast<char>('0' + byte / 100);
      if (byte >= 10) *at++ = static_cast<char>('0' + byte / 10 % 10);
      *at++ = static_cast<char>('0' + byte % 10);
      if (shift != 0) *at++ = '.';
    }
    out.assign(text, at);
    return out;
  }
  std::array<uint16_t, 8> groups{};
  for (size_t i = 0; i < 4; ++i) {
    groups[i] = static_cast<uint16_t>(high_ >> (48 - 16 * i));
    groups[i + 4] = static_cast<uint16_t>(low_ >> (48 - 16 * i));
  }
  // RFC 5952 section 4.2: shorten the longest run of at least two zero groups, the first one
  // when runs tie.
  size_t best_start = groups.size();
  size_t best_length = 1;
  for (size_t i = 0; i < groups.size();) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < groups.size() && groups[end] == 0) ++end;
    if (end - i > best_length) {
      best_start = i;
      best_length = end - i;
    }
    i = end;
  }
  for (size_t i = 0; i < groups.size();) {
    if (i == best_start) {
      out += "::";
      i += best_length;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    AppendHex(out, groups[i]);
    ++i;
  }
  return out;
}

std::string Prefix::ToString() const { return network.ToString() + "/" + std::to_string(length); }

bool Prefix::IsValid() const {
  if (network.is_v4()) {
    return length >= 0 && length <= 32 && (network.v4() & Mask32(length)) == network.v4();
  }
  return length >= 0 && length <= 128 &&
         (network.v6_high() & Mask64(length)) == network.v6_high() &&
         (network.v6_low() & Mask64(length - 64)) == network.v6_low();
}

bool Prefix::Contains(const IpAddress& address) const {
  if (address.family() != network.family()) return false;
  if (address.is_v4()) return (address.v4() & Mask32(length)) == network.v4();
  return (address.v6_high() & Mask64(length)) == network.v6_high() &&
         (address.v6_low() & Mask64(length - 64)) == network.v6_low();
}

bool Prefix::Contains(const Prefix& other) const {
  return length <= other.length && Contains(other.network);
}

bool Prefix::Overlaps(const Prefix& other) const {
  return Contains(other) || other.Contains(*this);
}

Result<Prefix> ParsePrefix(std::string_view text) {
  const ProblemParams value{{"value", std::string(text)}};
  if (text.empty()) return InvalidInput(problems::ip_prefix_invalid, value);
  if (text.front() == ' ' || text.back() == ' ' || text.front() == '\t' || text.back() == '\t') {
    return InvalidInput(problems::ip_prefix_spaces, value);
  }
  const size_t slash = text.find('/');
  bool leading_zero = false;
  if (slash == std::string_view::npos) {
    const std::optional<IpAddress> address = ParseAddress(text, &leading_zero);
    if (!address) {
      return InvalidInput(
          leading_zero ? problems::ip_prefix_leading_zero : problems::ip_prefix_invalid, value);
    }
    return Prefix{*address, address->is_v4() ? 32 : 128};
  }

  const std::string_view address_text = text.substr(0, slash);
  const std::string_view length_text = text.substr(slash + 1);
  if (address_text.empty()) return InvalidInput(problems::ip_prefix_no_address, value);
  if (length_text.empty()) return InvalidInput(problems::ip_prefix_no_length, value);
  int length = 0;
  for (const char c : length_text) {
    if (!IsDigit(c)) return InvalidInput(problems::ip_prefix_length_not_number, value);
    // Saturate: anything above 999 is as wrong as 999, and cannot overflow.
    length = length > 999 ? length : length * 10 + (c - '0');
  }
  if (length_text.size() > 1 && length_text.front() == '0') {
    return InvalidInput(problems::ip_prefix_length_leading_zero, value);
  }
  const std::optional<IpAddress> address = ParseAddress(address_text, &leading_zero);
  if (!address) {
    return InvalidInput(leading_zero ? problems::ip_prefix_bad_address_leading_zero
                                     : problems::ip_prefix_bad_address,
                        {{"value", std::string(text)}, {"address", std::string(address_text)}});
  }

  const bool written_as_v6 = address_text.find(':') != std::string_view::npos;
  if (!written_as_v6) {
    if (length > 32) {
      return InvalidInput(problems::ip_prefix_length_too_long,
                          {{"value", std::string(text)}, {"max", "32"}});
    }
    const uint32_t network = address->v4() & Mask32(length);
    if (network != address->v4()) {
      const Prefix expected{IpAddress::V4(network), length};
      return InvalidInput(problems::ip_prefix_host_bits,
                          {{"value", std::string(text)}, {"network", expected.ToString()}});
    }
    return Prefix{*address, length};
  }

  if (length > 128) {
    return InvalidInput(problems::ip_prefix_length_too_long,
                        {{"value", std::string(text)}, {"max", "128"}});
  }
  // Work on the 128-bit value even for IPv4-mapped input, so the length is checked as written.
  const uint64_t high = address->is_v4() ? 0 : address->v6_high();
  const uint64_t low = address->is_v4() ? (kMappedPrefix | address->v4()) : address->v6_low();
  const uint64_t network_high = high & Mask64(length);
  const uint64_t network_low = low & Mask64(length - 64);
  if (network_high != high || network_low != low) {
    const IpAddress network = IpAddress::V6(network_high, network_low);
    // A mapped network is still shown as the person wrote it, with the ::ffff: form.
    const std::string shown = network.is_v4() ? "::ffff:" + network.ToString() : network.ToString();
    return InvalidInput(
        problems::ip_prefix_host_bits,
        {{"value", std::string(text)}, {"network", shown + "/" + std::to_string(length)}});
  }
  // Bit 95 of a mapped address is set, so a mapped prefix without host bits has length >= 96.
  if (address->is_v4()) return Prefix{*address, length - 96};
  return Prefix{*address, length};
}

}  // namespace baken::net
