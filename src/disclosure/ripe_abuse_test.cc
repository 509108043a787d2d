// The RIPE database's abuse contacts (decision 0022): the RPSL reader takes continuation lines,
// comments and broken objects as RIPE's dumps have them; `LoadRipeDump` keeps what the contact
// search needs and replaces the old data whole, or not at all when a file cannot be read; the
// search follows RIPE's rule (own abuse-c, then the organisation's, then the less specific
// range, not past the registry's own); and a report that reaches no member gets the contact of
// its addresses as a suggestion. Store parts run on SQLite and PostgreSQL.

#include "disclosure/ripe_abuse.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "auth/principal.h"
#include "store/disclosure_repository.h"
#include "store/test_database.h"

namespace baken::disclosure {
namespace {

namespace fs = std::filesystem;

std::vector<RpslObject> ReadAll(std::string_view text, RpslReader& reader) {
  std::vector<RpslObject> objects;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    if (auto object = reader.Line(text.substr(at, end - at))) objects.push_back(std::move(*object));
    at = end + 1;
  }
  if (auto object = reader.Finish()) objects.push_back(std::move(*object));
  return objects;
}

TEST(RpslReaderTest, ReadsAttributesContinuationsAndCommentsAsTheDumpWritesThem) {
  RpslReader reader("dump");
  const auto objects = ReadAll(
      "# RIPE NCC database dump\n"
      "#\n"
      "\n"
      "inetnum:        193.0.0.0 - 193.0.7.255\r\n"
      "netname:        RIPE-NCC\n"
      "descr:          first line\n"
      "                second line   # a comment\n"
      "+               third line\n"
      "\tfourth line\n"
      "Abuse-C:        OPS4-RIPE # the contact\n"
      "source:         RIPE\n"
      "remarks:        added by the dummifier\n"
      "\n"
      "\n"
      "role:           RIPE NCC Operations\n"
      "abuse-mailbox:  abuse@ripe.net",
      reader);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].class_name(), "inetnum");
  EXPECT_EQ(objects[0].key(), "193.0.0.0 - 193.0.7.255");
  EXPECT_EQ(objects[0].line, 4);
  EXPECT_EQ(objects[0].First("descr"), "first line second line third line fourth line");
  EXPECT_EQ(objects[0].First("abuse-c"), "OPS4-RIPE");  // names compare in lower case
  EXPECT_EQ(objects[0].All("remarks").size(), 1u);
  EXPECT_FALSE(objects[0].First("org"));
  EXPECT_EQ(objects[1].class_name(), "role");
  EXPECT_EQ(objects[1].First("abuse-mailbox"), "abuse@ripe.net");
  EXPECT_EQ(objects[1].line, 15);
  EXPECT_TRUE(reader.problems().empty());
  EXPECT_EQ(reader.dropped(), 0);
}

TEST(RpslReaderTest, DropsAnObjectWithABrokenLineNamesTheLineAndReadsTheNextOne) {
  RpslReader reader("ripe.db.role");
  const auto objects = ReadAll(
      "role:           Broken\n"
      "this line has no attribute name\n"
      "abuse-mailbox:  abuse@broken.example\n"
      "\n"
      "  a continuation with nothing before it\n"
      "\n"
      "role:           Bad name\n"
      "abuse mailbox:  abuse@bad.example\n"
      "\n"
      "role:           Good\n"
      "nic-hdl:        GOOD1-RIPE\n",
      reader);
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].key(), "Good");
  EXPECT_EQ(reader.dropped(), 3);
  ASSERT_EQ(reader.problems().size(), 3u);
  EXPECT_EQ(reader.problems()[0],
            "ripe.db.role:2: a line that is neither \"name: value\" nor a continuation");
  EXPECT_EQ(reader.problems()[1],
            "ripe.db.role:5: a continuation line without an attribute before it");
  EXPECT_NE(reader.problems()[2].find("ripe.db.role:8: an attribute name"), std::string::npos);
}

TEST(RpslReaderTest, BoundsWhatOneObjectMayHold) {
  RpslReader reader("dump");
  std::string text = "role: Many\n";
  for (size_t i = 0; i <= RpslReader::kMaxAttributes; ++i) text += "remarks: x\n";
  text += "\nrole: Long\nremarks: " + std::string(RpslReader::kMaxValueBytes + 1, 'x') + "\n";
  text += "\nrole: Growing\nremarks: x\n";
  for (size_t i = 0; i < RpslReader::kMaxValueBytes / 1000 + 1; ++i) {
    text += " " + std::string(1000, 'y') + "\n";
  }
  text += "\nrole: Long name\n" + std::string(RpslReader::kMaxNameBytes + 1, 'n') + ": x\n";
  text += "\nrole: Large\n";
  for (size_t i = 0; i < RpslReader::kMaxObjectBytes / 60000 + 1; ++i) {
    text += "remarks: " + std::string(60000, 'z') + "\n";
  }
  const auto objects = ReadAll(text, reader);
  EXPECT_TRUE(objects.empty());
  EXPECT_EQ(reader.dropped(), 5);
}

RpslObject Object(std::vector<RpslAttribute> attributes) {
  RpslObject object;
  object.attributes = std::move(attributes);
  object.line = 1;
  return object;
}

TEST(RipeObjectTest, KeepsRangesWithSomethingToSearchAndRolesWithAnAbuseMailbox) {
  const auto range = ReadRipeObject(Object({{"inet6num", "2001:db8::/32"},
                                            {"abuse-c", "ops4-ripe"},
                                            {"mnt-by", "EXAMPLE-MNT, ripe-ncc-hm-mnt"},
                                            {"source", "RIPE"}}));
  ASSERT_TRUE(range.range);
  EXPECT_EQ(range.range->first.ToString(), "2001:db8::");
  EXPECT_EQ(range.range->last.ToString(), "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(range.range->abuse_c, "OPS4-RIPE");
  EXPECT_TRUE(range.range->registry);
  EXPECT_EQ(range.range->object, "inet6num 2001:db8::/32");

  // Nothing to search for on it (its contact is its parent's), another source, the root.
  EXPECT_FALSE(
      ReadRipeObject(Object({{"inetnum", "192.0.2.0 - 192.0.2.255"}, {"source", "RIPE"}})).range);
  EXPECT_FALSE(ReadRipeObject(Object({{"inetnum", "192.0.2.0 - 192.0.2.255"},
                                      {"abuse-c", "X1-RIPE"},
                                      {"source", "RIPE-NONAUTH"}}))
                   .range);
  EXPECT_FALSE(ReadRipeObject(Object({{"inetnum", "0.0.0.0 - 255.255.255.255"},
                                      {"org", "ORG-IANA1-RIPE"},
                                      {"source", "RIPE"}}))
                   .range);

  // Problems name the object.
  EXPECT_EQ(ReadRipeObject(Object({{"inetnum", "192.0.2.9 - 192.0.2.1"},
                                   {"abuse-c", "X1-RIPE"},
                                   {"source", "RIPE"}}))
                .problem,
            "inetnum '192.0.2.9 - 192.0.2.1': the range ends before it begins");
  EXPECT_EQ(ReadRipeObject(Object({{"inetnum", "2001:db8::/32"}, {"source", "RIPE"}})).problem,
            "inetnum '2001:db8::/32': not of the IPv4 family");
  EXPECT_EQ(
      ReadRipeObject(Object({{"inet6num", "::/80"}, {"abuse-c", "X1-RIPE"}, {"source", "RIPE"}}))
          .problem,
      "inet6num '::/80': the prefix reaches into the IPv4-mapped addresses");
  EXPECT_NE(ReadRipeObject(Object({{"role", "Abuse"},
                                   {"nic-hdl", "AB1-RIPE"},
                                   {"abuse-mailbox", "not an address"},
                                   {"source", "RIPE"}}))
                .problem.find("is not an e-mail address"),
            std::string::npos);

  const auto role = ReadRipeObject(Object({{"role", "Abuse"},
                                           {"nic-hdl", "ab1-ripe"},
                                           {"abuse-mailbox", "abuse@example.net"},
                                           {"source", "RIPE"}}));
  ASSERT_TRUE(role.role);
  EXPECT_EQ(role.role->first, "AB1-RIPE");
  EXPECT_EQ(role.role->second, "abuse@example.net");
  EXPECT_FALSE(
      ReadRipeObject(Object({{"role", "Admins"}, {"nic-hdl", "AD1-RIPE"}, {"source", "RIPE"}}))
          .role);
  const auto organisation = ReadRipeObject(
      Object({{"organisation", "ORG-EX1-RIPE"}, {"abuse-c", "AB1-RIPE"}, {"source", "RIPE"}}));
  ASSERT_TRUE(organisation.organisation);
  EXPECT_EQ(organisation.organisation->second, "AB1-RIPE");
}

// Dump files shaped like RIPE's split dump (dummified, as published).
constexpr const char* kRoles = R"(# ripe.db.role
role:           RIPE NCC Operations
abuse-mailbox:  abuse@ripe.net
e-mail:         unread@ripe.net
nic-hdl:        OPS4-RIPE
source:         RIPE # Filtered

role:           LIR Abuse
abuse-mailbox:  abuse@lir.example
nic-hdl:        LIRA1-RIPE
source:         RIPE

role:           Customer Abuse
abuse-mailbox:  security@customer.example
nic-hdl:        CUST1-RIPE
source:         RIPE

role:           Placeholder
nic-hdl:        ROLE-RIPE
source:         RIPE
)";

constexpr const char* kOrganisations = R"(organisation:   ORG-LIR1-RIPE
org-name:       An LIR
abuse-c:        LIRA1-RIPE
source:         RIPE

organisation:   ORG-OTHER1-RIPE
org-name:       Another
abuse-c:        OPS4-RIPE
source:         RIPE
)";

constexpr const char* kInetnums = R"(inetnum:        193.0.0.0 - 193.0.255.255
netname:        LIR-ALLOCATION
org:            ORG-LIR1-RIPE
mnt-by:         RIPE-NCC-HM-MNT
source:         RIPE

inetnum:        193.0.1.0 - 193.0.1.255
netname:        CUSTOMER
abuse-c:        CUST1-RIPE
source:         RIPE

inetnum:        193.0.2.0 - 193.0.2.255
netname:        NO-CONTACT-OF-ITS-OWN
source:         RIPE

inetnum:        10.0.0.0 - 10.255.255.255
org:            ORG-OTHER1-RIPE
source:         RIPE

inetnum:        10.1.0.0 - 10.1.255.255
mnt-lower:      RIPE-NCC-END-MNT
source:         RIPE

inetnum:        198.51.100.0 - 198.51.100.255
abuse-c:        CUST1-RIPE
source:         RIPE-NONAUTH

inetnum:        203.0.113.0 - 203.0.113.255
this line is broken
abuse-c:        CUST1-RIPE
source:         RIPE

inetnum:        193.0.0.0 - 193.0.0.255
netname:        FIRST-ASSIGNMENT-STARTS-WITH-THE-ALLOCATION
abuse-c:        OPS4-RIPE
source:         RIPE

inetnum:        193.0.1.128 - 193.0.1.191
netname:        PART-OF-THE-CUSTOMER
abuse-c:        OPS4-RIPE
source:         RIPE
)";

constexpr const char* kInet6nums = R"(inet6num:       2001:db8::/32
abuse-c:        OPS4-RIPE
source:         RIPE

inet6num:       2001:db8:1::/48
abuse-c:        ROLE-RIPE
org:            ORG-LIR1-RIPE
source:         RIPE
)";

class RipeLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::Store::Open(database_.location());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  fs::path Plain(const std::string& name, std::string_view text) {
    const fs::path path = database_.folder() / name;
    std::ofstream(path) << text;
    return path;
  }
  fs::path Gzipped(const std::string& name, std::string_view text) {
    const fs::path path = database_.folder() / name;
    gzFile file = gzopen(path.c_str(), "wb");
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    gzclose(file);
    return path;
  }
  Result<RipeLoadSummary> Load(const std::vector<fs::path>& files) {
    std::vector<std::string> paths;
    for (const fs::path& file : files) paths.push_back(file.string());
    return LoadRipeDump(*store_, paths, auth::CommandLineOperator(), "2026-12-06T10:00:00Z");
  }
  std::optional<store::RipeAbuseContact> Contact(const std::string& address) {
    auto tx = store_->Begin(store::Access::kRead);
    EXPECT_TRUE(tx);
    auto contact = (*tx)->Ripe().AbuseContactFor(*net::IpAddress::Parse(address));
    EXPECT_TRUE(contact) << contact.error().message;
    return contact ? *contact : std::nullopt;
  }
  std::string Mailbox(const std::string& address) {
    const auto contact = Contact(address);
    return contact ? contact->mailbox : "none";
  }
  std::vector<fs::path> Dump() {
    // The ranges come before the roles they name: the order of the files does not matter.
    return {Gzipped("ripe.db.inetnum.gz", kInetnums), Plain("ripe.db.inet6num", kInet6nums),
            Gzipped("ripe.db.organisation.gz", kOrganisations), Gzipped("ripe.db.role.gz", kRoles)};
  }

  store::testing::TestDatabase database_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(RipeLoadTest, FindsTheContactByRipesRule) {
  const auto loaded = Load(Dump());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->ranges, 8);  // not the one without a contact, nor the other source's
  EXPECT_EQ(loaded->roles, 3);   // not the placeholder without a mailbox
  EXPECT_EQ(loaded->organisations, 2);
  EXPECT_EQ(loaded->refused, 1);
  ASSERT_EQ(loaded->problems.size(), 1u);
  EXPECT_NE(loaded->problems[0].find("ripe.db.inetnum.gz:29: a line that is neither"),
            std::string::npos)
      << loaded->problems[0];

  // The range's own abuse-c.
  const auto customer = Contact("193.0.1.77");
  ASSERT_TRUE(customer);
  EXPECT_EQ(customer->mailbox, "security@customer.example");
  EXPECT_EQ(customer->role, "CUST1-RIPE");
  EXPECT_EQ(customer->object, "inetnum 193.0.1.0 - 193.0.1.255");
  EXPECT_FALSE(customer->org);
  // An assignment that begins where its allocation does, and one inside another.
  EXPECT_EQ(Mailbox("193.0.0.5"), "abuse@ripe.net");
  EXPECT_EQ(Mailbox("193.0.1.130"), "abuse@ripe.net");
  EXPECT_EQ(Mailbox("193.0.1.200"), "security@customer.example");
  // A range without a contact of its own, and addresses between assignments (the range that
  // begins nearest before 193.0.3.5 and its parent both end before it): the allocation's
  // organisation's.
  for (const char* address : {"193.0.2.1", "193.0.3.5", "193.0.4.0", "193.0.255.255"}) {
    const auto lir = Contact(address);
    ASSERT_TRUE(lir) << address;
    EXPECT_EQ(lir->mailbox, "abuse@lir.example") << address;
    EXPECT_EQ(lir->org, "ORG-LIR1-RIPE");
    EXPECT_EQ(lir->object, "inetnum 193.0.0.0 - 193.0.255.255");
  }
  // Not past a range the registry maintains, though a less specific one has a contact.
  EXPECT_EQ(Mailbox("10.1.2.3"), "none");
  EXPECT_EQ(Mailbox("10.2.0.1"), "abuse@ripe.net");
  // Another source, a dropped object, no range at all.
  EXPECT_EQ(Mailbox("198.51.100.7"), "none");
  EXPECT_EQ(Mailbox("203.0.113.7"), "none");
  EXPECT_EQ(Mailbox("192.0.2.1"), "none");
  EXPECT_EQ(Mailbox("193.1.0.0"), "none");
  // IPv6: the abuse-c names a role without a mailbox, so the organisation's counts.
  EXPECT_EQ(Mailbox("2001:db8::1"), "abuse@ripe.net");
  EXPECT_EQ(Mailbox("2001:db8:1::1"), "abuse@lir.example");
  EXPECT_EQ(Mailbox("2001:db9::1"), "none");

  auto tx = store_->Begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  const auto load = (*tx)->Ripe().LastLoad();
  ASSERT_TRUE(load && *load);
  EXPECT_EQ((*load)->files,
            "ripe.db.inetnum.gz, ripe.db.inet6num, ripe.db.organisation.gz, ripe.db.role.gz");
  EXPECT_EQ((*load)->ranges, 8);
}

TEST_F(RipeLoadTest, ALoadReplacesTheLastWholeAndABadFileLeavesItAsItWas) {
  ASSERT_TRUE(Load(Dump()));
  ASSERT_EQ(Mailbox("193.0.1.77"), "security@customer.example");

  // A file that breaks off (a truncated download): nothing changes.
  std::string truncated;
  {
    const fs::path whole = Gzipped("whole.gz", kInetnums);
    std::ifstream in(whole, std::ios::binary);
    truncated.assign(std::istreambuf_iterator<char>(in), {});
    truncated.resize(truncated.size() / 2);
  }
  const fs::path broken = Plain("ripe.db.inetnum.gz", truncated);
  const auto failed = Load({broken, Plain("roles", kRoles)});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("nothing was loaded"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(Mailbox("193.0.1.77"), "security@customer.example");
  EXPECT_FALSE(Load({database_.folder() / "missing.gz"}));
  EXPECT_EQ(Mailbox("193.0.1.77"), "security@customer.example");

  // One file alone would leave every address without a contact: refused, nothing changes.
  const auto alone = Load({Gzipped("ripe.db.inetnum.gz", kInetnums)});
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("0 roles"), std::string::npos) << alone.error().message;
  EXPECT_EQ(Mailbox("193.0.1.77"), "security@customer.example");

  // A new load with only the IPv6 ranges: the IPv4 ones are gone.
  ASSERT_TRUE(Load({Plain("six", kInet6nums), Plain("roles", kRoles)}));
  EXPECT_EQ(Mailbox("193.0.1.77"), "none");
  EXPECT_EQ(Mailbox("2001:db8::1"), "abuse@ripe.net");
  // The organisations were not in it: the IPv6 range whose contact was its organisation's has
  // none now.
  EXPECT_EQ(Mailbox("2001:db8:1::1"), "abuse@ripe.net");
}

TEST_F(RipeLoadTest, AReportThatReachesNoMemberGetsTheContactOfItsAddresses) {
  int64_t report_id = 0;
  {
    auto tx = store_->Begin(store::Access::kWrite);
    ASSERT_TRUE(tx);
    store::VulnerabilityReport report;
    report.title = "Open RDP";
    report.description = "Found open RDP";
    report.source_key = "source";
    report.created_at = report.updated_at = "2026-12-06T09:00:00Z";
    auto added = (*tx)->Disclosure().AddReport(report);
    ASSERT_TRUE(added) << added.error().message;
    report_id = *added;
    for (const auto& [kind, value] :
         std::vector<std::pair<std::string, std::string>>{{"ip", "193.0.1.77"},
                                                          {"url", "http://[2001:db8::5]/login"},
                                                          {"ip", "192.0.2.1"},
                                                          {"host", "www.example.org"}}) {
      store::ReportItem item;
      item.report_id = report_id;
      item.kind = kind;
      item.value = value;
      ASSERT_TRUE((*tx)->Disclosure().AddItem(item));
    }
    ASSERT_TRUE((*tx)->Commit());
  }
  // Before any RIPE data: nothing is looked at, so that a later load still counts.
  auto none = SuggestRipeContacts(*store_, "2026-12-06T09:30:00Z", 100);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(*none, 0);

  ASSERT_TRUE(Load(Dump()));
  auto looked = SuggestRipeContacts(*store_, "2026-12-06T11:00:00Z", 100);
  ASSERT_TRUE(looked) << looked.error().message;
  EXPECT_EQ(*looked, 4);
  auto again = SuggestRipeContacts(*store_, "2026-12-06T11:05:00Z", 100);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);  // once per report and item

  auto tx = store_->Begin(store::Access::kRead);
  ASSERT_TRUE(tx);
  const auto suggestions = (*tx)->Disclosure().Suggestions(report_id);
  ASSERT_TRUE(suggestions) << suggestions.error().message;
  ASSERT_EQ(suggestions->size(), 4u);
  std::map<std::string, store::ReportSuggestion> by_item;
  for (const auto& suggestion : *suggestions) {
    EXPECT_EQ(suggestion.source, "ripe");
    by_item[suggestion.item] = suggestion;
  }
  const auto& customer = by_item["193.0.1.77"];
  EXPECT_EQ(customer.contacts, std::vector<std::string>{"security@customer.example"});
  EXPECT_EQ(customer.location, "inetnum 193.0.1.0 - 193.0.1.255");
  const auto detail = nlohmann::json::parse(customer.detail.value_or(""), nullptr, false);
  EXPECT_EQ(detail.value("abuse_c", ""), "CUST1-RIPE");
  EXPECT_EQ(detail.value("data_of", ""), "2026-12-06T10:00:00Z");
  EXPECT_EQ(by_item["http://[2001:db8::5]/login"].contacts,
            std::vector<std::string>{"abuse@ripe.net"});
  EXPECT_TRUE(by_item["192.0.2.1"].contacts.empty());
  // Why nothing was found is coded, for the portal to say in the reader's language.
  const auto nothing = nlohmann::json::parse(by_item["192.0.2.1"].detail.value_or("{}"));
  EXPECT_EQ(nothing.value("problem", ""), "not_in_ripe");
  EXPECT_EQ(nothing.value("address", ""), "192.0.2.1");
  EXPECT_EQ(nothing.value("data_of", ""), "2026-12-06T10:00:00Z");
  EXPECT_TRUE(by_item["www.example.org"].contacts.empty());
  EXPECT_EQ(
      nlohmann::json::parse(by_item["www.example.org"].detail.value_or("{}")).value("problem", ""),
      "no_address");
}

}  // namespace
}  // namespace baken::disclosure
