#ifndef BAKEN_STORE_STORE_H_
#define BAKEN_STORE_STORE_H_

// The store: where Baken keeps its state, behind repositories. All SQL lives in src/store; the
// rest of the program sees these interfaces, so that a PostgreSQL store can be added beside the
// SQLite one without touching callers.
//
// Work happens in transactions: Store::Begin gives a Transaction, its repositories read and
// write inside it, and nothing is visible to others until Commit. A Transaction that is
// destroyed without Commit rolls back, so an error half-way writes nothing.

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "registry/member.h"
#include "registry/scope.h"

namespace baken::store {

class IncidentRepository;
class PartnerRepository;
class OncallRepository;
class ContactMethodRepository;
class DisclosureRepository;
class OpenPgpKeyRepository;
class RipeRepository;
class IntelRepository;
class FollowedFeedRepository;

// Which members a list shows, in which order, and which page of them.
struct MemberQuery {
  std::optional<std::string> text;  // in the code, the name or a domain claim, ASCII case ignored
  std::optional<std::string> kind;  // "gemeente", "samenwerkingsverband", "partner"
  // Members whose data needs checking: never confirmed, or last confirmed before this (UTC).
  std::optional<std::string> confirmed_before;
  bool never_confirmed = false;  // only members that never confirmed their data
  enum class Order {
    kCode,
    kCodeDescending,
    kName,
    kNameDescending,
    kConfirmedOldest,  // never confirmed first, then the longest ago
    kConfirmedLatest,  // the most recently confirmed first, never confirmed last
  };
  Order order = Order::kCode;
  int64_t offset = 0;
  int64_t limit = 0;  // 0: no limit
  // Only each member's code, name and kind, without its lists: what a choice of members or a
  // name beside a code needs, read in one query instead of several per member.
  bool names_only = false;
};

class MemberRepository {
 public:
  virtual ~MemberRepository() = default;

  // Members in scope, ordered by code, with their contacts, claims (every state) and assets.
  virtual Result<std::vector<registry::Member>> List(const registry::Scope& scope) = 0;
  // One page of the members in scope that match `query`, in its order (ties by code), each as
  // complete as List's; and how many match, whatever the offset and limit.
  virtual Result<std::vector<registry::Member>> Search(const registry::Scope& scope,
                                                       const MemberQuery& query) = 0;
  virtual Result<int64_t> Count(const registry::Scope& scope, const MemberQuery& query) = 0;
  // kNotFound when the member does not exist or is outside the scope: the caller cannot tell.
  virtual Result<registry::Member> Get(const registry::Scope& scope, std::string_view code) = 0;
  // kNotFound unless a member with this code exists: a code named in a request.
  Status MustExist(std::string_view code) {
    return Get(registry::Scope::All(), code).map([](const registry::Member&) {});
  }

  // Creates or updates the member's own fields, contacts and assets from `member`, and makes
  // the member's approved claims exactly those in `member.claims`. Pending and refused claims
  // that the member made itself stay as they are unless listed (then they become approved).
  virtual Status Upsert(const registry::Member& member, std::string_view actor,
                        std::string_view now) = 0;
  // Removes the member's approved claims of `kind` that are not in `values`.
  virtual Status RetainApprovedClaims(std::string_view code, registry::ClaimKind kind,
                                      const std::vector<std::string>& values) = 0;
  virtual Status ReplaceContacts(std::string_view code,
                                 const std::vector<registry::Contact>& contacts) = 0;
  virtual Status ReplaceAssets(std::string_view code,
                               const std::vector<registry::Asset>& assets) = 0;
  // Makes the member's claims of `kind` exactly `values`: claims not listed are removed, values
  // it already holds keep their state whoever sends the list (a state changes only by
  // DecideClaim, or an import), and new values get `state_for_new`.
  virtual Status ReplaceClaims(std::string_view code, registry::ClaimKind kind,
                               const std::vector<std::string>& values,
                               registry::ClaimState state_for_new, std::string_view actor,
                               std::string_view now) = 0;
  virtual Status ConfirmData(std::string_view code, std::string_view now) = 0;

  // Claims in scope, optionally only those in one state, oldest first.
  virtual Result<std::vector<registry::Claim>> ListClaims(
      const registry::Scope& scope, std::optional<registry::ClaimState> state) = 0;
  virtual Result<registry::Claim> GetClaim(const registry::Scope& scope, int64_t id) = 0;
  virtual Status DecideClaim(int64_t id, registry::ClaimState state,
                             const std::optional<std::string>& reason, std::string_view actor,
                             std::string_view now) = 0;
  // Every approved claim of every member: what routing is built from.
  virtual Result<std::vector<registry::Claim>> ApprovedClaims() = 0;
};

// One event as stored: the IntelMQ JSON plus the columns that lists and digests filter on.
struct EventRecord {
  std::string dedup_key;              // feeds::DedupKey
  std::optional<std::string> member;  // null: unrouted
  std::string route_reason;           // "netblock", "asn", "domain"; empty when unrouted
  std::string route_match;            // the claim that matched, e.g. "192.0.2.0/24"
  std::string feed_name;
  std::string classification_type;
  std::string classification_identifier;
  std::string source_ip;
  std::optional<int64_t> source_port;
  std::string time_source;
  std::string time_observation;
  std::string tlp;                   // common/tlp.h name
  std::optional<int64_t> digest_id;  // the digest the event goes out with
  // The IntelMQ JSON object. A writer may give it in the field form instead
  // (store/event_block.h, WriteEventData); it is read back as JSON.
  std::string data;
};

// The dedup key as stored in the key index: BLAKE2b-128 of feeds::DedupKey. 128 bits make an
// accidental collision negligible (below 2^-60 even after four billion events) and a crafted
// one infeasible, and keep the index small enough to be written at feed speed.
using DedupHash = std::array<unsigned char, 16>;
DedupHash HashDedupKey(std::string_view dedup_key);

// A dedup hash as two big-endian numbers, for sorting many: they order as its bytes do (as the
// key index orders them) and compare in two instructions rather than a call to memcmp.
struct SortableDedupHash {
  uint64_t high = 0;
  uint64_t low = 0;
  auto operator<=>(const SortableDedupHash&) const = default;

  static SortableDedupHash Of(const DedupHash& hash) {
    const auto number = [&](size_t at) {
      uint64_t value = 0;
      for (size_t i = at; i < at + 8; ++i) value = (value << 8) | hash[i];
      return value;
    };
    return {number(0), number(8)};
  }
  DedupHash Hash() const {
    DedupHash hash;
    for (size_t i = 0; i < 8; ++i) {
      hash[i] = static_cast<unsigned char>(high >> (56 - 8 * i));
      hash[8 + i] = static_cast<unsigned char>(low >> (56 - 8 * i));
    }
    return hash;
  }
};

struct StoredEvent {
  int64_t id = 0;
  EventRecord record;
};

struct EventQuery {
  std::optional<std::string> member;  // only this member's events (within the scope)
  bool unrouted = false;              // only events no member owns (staff scope only)
  std::optional<std::string> feed_name;
  std::optional<int64_t> digest_id;
  int64_t after_id = 0;  // for paging: events with a larger id
  int64_t limit = 0;     // 0: no limit
  // Newest first (what a person looks at), paging with `before_id`: events with a smaller id
  // (0: from the newest). `after_id` still applies.
  bool newest_first = false;
  int64_t before_id = 0;
  // For a person paging through a list: skip this many matching events first (not together
  // with after_id or before_id, which are for programs walking the whole list).
  int64_t offset = 0;
  std::optional<std::string> tlp;  // common/tlp.h name
  // Filters on each event's own fields (the others select whole blocks):
  std::optional<std::string> classification_type;
  std::optional<std::string> observed_since;  // time.observation >= this (IntelMQ time form)
  std::optional<std::string> observed_until;  // time.observation < this
  std::optional<std::string> text;            // anywhere in the event, ASCII case ignored
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;
  // Stores those of `events` whose dedup key is not known yet (nor earlier in `events`);
  // element i of the result tells whether events[i] was stored. Stored events get ids in the
  // order of their blocks (event_block.h), which follow one another in time.
  virtual Result<std::vector<bool>> AddNew(std::span<const EventRecord* const> events) = 0;
  // Which of `hashes` are known already (element i of the result tells about hashes[i]),
  // reading only: what a dry run asks instead of storing.
  virtual Result<std::vector<bool>> Known(std::span<const DedupHash> hashes) = 0;
  // Events in scope matching the query, oldest first, handed to `visit` one by one so that
  // a long list never sits in memory; `visit` returns false to stop. A member's scope holds
  // its TLP:RED events only once an analyst released a message of their digest to the
  // member (staff's scope holds every event).
  virtual Status ForEach(const registry::Scope& scope, const EventQuery& query,
                         const std::function<bool(const StoredEvent&)>& visit) = 0;
  // How many events in scope match the query, whatever its offset, limit and id bounds: the
  // true total a list shows. Without filters on the events' own fields this is read from the
  // block list alone.
  virtual Result<int64_t> Count(const registry::Scope& scope, const EventQuery& query) = 0;
  // The event with this id when it is in scope (what ForEach would give for it).
  Result<std::optional<StoredEvent>> Find(const registry::Scope& scope, int64_t id) {
    std::optional<StoredEvent> found;
    if (id <= 0) return found;
    EventQuery query;
    query.after_id = id - 1;
    query.limit = 1;
    Status status = ForEach(scope, query, [&](const StoredEvent& event) {
      if (event.id == id) found = event;
      return false;
    });
    if (!status) return tl::unexpected(status.error());
    return found;
  }
  // Removes events observed before `cutoff` (IntelMQ time form), and their dedup keys, so a
  // finding reported again later is new again; returns how many. Events go in whole blocks:
  // a block goes once its most recent event is older than the cutoff.
  virtual Result<int64_t> DeleteObservedBefore(std::string_view cutoff) = 0;
  // Events in scope (of `member` only, when set) observed at or after `since` (IntelMQ time
  // form), counted per week of their time.observation: keys are the weeks' Mondays
  // ("2026-11-30", common/time.h IsoWeekStart); weeks without events are absent. A block whose
  // events all fall in one week is counted from the block list alone; only a block spanning
  // two weeks or `since` is read.
  virtual Result<std::map<std::string, int64_t>> CountPerWeek(
      const registry::Scope& scope, const std::optional<std::string>& member,
      std::string_view since) = 0;
  // That `events` events of a feed arrived at `at` (new or known: the feed came), for the
  // heartbeats that page when a daily feed stays away (decision 0019).
  virtual Status RecordArrival(std::string_view feed_name, int64_t events, std::string_view at) = 0;
  // Per feed, when it last arrived.
  virtual Result<std::map<std::string, std::string>> LastArrivals() = 0;
};

// Notification happens in two steps, both crash-safe:
//  1. A digest collects the events of one member, from one feed, at one TLP level, in one
//     period. Ingest creates it in the same transaction that stores its first event, so an
//     event is never stored without the intent to tell its member.
//  2. `baken notify` closes due digests and, in one transaction, turns each into outbox
//     messages: one per language of the recipients, or one held message that says why no one
//     may receive it. Messages are then delivered one by one (outbox states below).
struct DigestKey {
  std::string member;
  std::string feed_name;
  std::string tlp;
  std::string period;  // start of the period, IntelMQ time form
};

struct Digest {
  int64_t id = 0;
  DigestKey key;
  std::string not_before;
  bool open = true;
  int64_t event_count = 0;
};

// A digest as ingest needs it: which one, and whether it still takes events (not counted).
struct DigestState {
  int64_t id = 0;
  DigestKey key;
  bool open = true;
};

enum class OutboxState { kPending, kHeld, kSending, kSent, kFailed, kUnknown };
std::string_view Name(OutboxState state);
std::optional<OutboxState> ParseOutboxState(std::string_view text);

struct OutboxMessage {
  int64_t id = 0;
  std::optional<int64_t> digest_id;         // a feed digest's message
  std::optional<int64_t> advisory_id;       // or a vulnerability warning's
  std::optional<int64_t> overview_id;       // or a weekly overview of warnings
  std::optional<int64_t> incident_id;       // or a notice about an incident (a breach's reminder)
  std::optional<int64_t> page_id;           // or a page for the analyst on call (member empty)
  std::optional<int64_t> report_id;         // or about a researcher's report (decision 0020)
  std::optional<int64_t> intel_warning_id;  // or a warning that an indicator was sighted
  std::string member;
  std::string feed_name;
  std::string tlp;
  std::string language;                 // "nl" or "en"; empty for a held message with no one
  std::vector<std::string> recipients;  // e-mail addresses
  std::string subject;
  std::string message_id;  // the Message-ID header, stable across retries
  std::string mime;        // the whole message as sent
  OutboxState state = OutboxState::kPending;
  std::optional<std::string> reason;  // why held, failed or unknown; the last error when retrying
  // The reason as a code of the translation table and its values (common/problem.h), so that
  // it is shown in the reader's language; empty for a reason without a code.
  std::string reason_code;
  ProblemParams reason_params;
  int64_t attempts = 0;
  std::optional<std::string> next_attempt_at;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> sent_at;
  int64_t event_count = 0;
  // The process that holds or last held the message for delivery (docs/decisions/0017);
  // read only: the claims set it.
  std::optional<std::string> lease_owner;
};

class DigestRepository {
 public:
  virtual ~DigestRepository() = default;
  // The digests of a feed whose period starts at or after `period` (the same text form; in
  // practice today's and the next few), open or closed, in one query.
  virtual Result<std::vector<DigestState>> OfFeedFrom(std::string_view feed_name,
                                                      std::string_view period) = 0;
  virtual Result<int64_t> Create(const DigestKey& key, std::string_view not_before,
                                 std::string_view now) = 0;
  // Removes the given digests if no event refers to them (they were opened for events that
  // turned out to be duplicates).
  virtual Status DropIfEmpty(const std::vector<int64_t>& ids) = 0;
  // Open digests whose not_before has passed, oldest first, with their event counts.
  virtual Result<std::vector<Digest>> Due(std::string_view now) = 0;
  // Closes an open digest; false when it was closed already (another process planned it).
  virtual Result<bool> Close(int64_t id, std::string_view now) = 0;
};

// Which messages a list shows, in which order, and which page of them.
struct OutboxQuery {
  std::optional<OutboxState> state;
  std::optional<std::string> member;  // only this member's messages (within the scope)
  std::optional<std::string> feed_name;
  std::optional<std::string> tlp;            // common/tlp.h name
  std::optional<std::string> created_since;  // created_at >= this (UTC, text order is time order)
  std::optional<std::string> created_until;  // created_at < this
  std::optional<std::string> text;  // in the subject or a recipient's address, ASCII case ignored
  bool with_red = false;            // TLP:RED messages too
  enum class Order {
    kNewest,             // created last first (the plain list)
    kOldest,             // created first first
    kNextAttempt,        // the soonest next delivery attempt first; none planned last
    kNextAttemptLatest,  // the latest next attempt first; none planned last
  };
  Order order = Order::kNewest;
  int64_t offset = 0;
  int64_t limit = 0;  // 0: no limit
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  virtual Result<int64_t> Add(const OutboxMessage& message) = 0;
  // One page of the messages in `scope` (a member's messages only, for a member) that match
  // `query`, in its order; ties go newest first. Lists leave `mime` empty: Get has it.
  virtual Result<std::vector<OutboxMessage>> List(const registry::Scope& scope,
                                                  const OutboxQuery& query) = 0;
  // How many messages in scope match `query`, whatever its offset and limit: the true total.
  virtual Result<int64_t> Count(const registry::Scope& scope, const OutboxQuery& query) = 0;
  virtual Result<std::optional<OutboxMessage>> Get(int64_t id) = 0;
  // Pending messages whose next_attempt_at (if any) has passed, oldest first.
  virtual Result<std::vector<OutboxMessage>> Deliverable(std::string_view now) = 0;
  virtual Result<std::vector<OutboxMessage>> InState(OutboxState state) = 0;
  // Saves state, reason, attempts, next_attempt_at, sent_at and updated_at.
  virtual Status UpdateState(const OutboxMessage& message) = 0;

  // Delivery by several processes (docs/decisions/0017-shared-work.md). A worker takes a
  // message with a lease before it talks to the mail server: the oldest deliverable message
  // (pending, next attempt passed) that no one holds, or whose holder's lease ran out (UTC
  // text, `now` and `until`), among those with an id above `after_id` (a run tries each message
  // once: it passes the last id it took); nullopt when there is none.
  virtual Result<std::optional<OutboxMessage>> ClaimDeliverable(std::string_view owner,
                                                                std::string_view now,
                                                                std::string_view until,
                                                                int64_t after_id = 0) = 0;
  // pending → sending (attempts and updated_at saved, the lease renewed to `until`), only while
  // `owner` still holds the message; false when it lost it (another worker took it over).
  virtual Result<bool> MarkSending(const OutboxMessage& message, std::string_view owner,
                                   std::string_view until) = 0;
  // UpdateState for the holder: saves the outcome and ends the lease, only while `owner` still
  // holds it; false when another worker took it over meanwhile.
  virtual Result<bool> SaveOutcome(const OutboxMessage& message, std::string_view owner) = 0;
  // Messages left "sending" by a process whose lease ran out before `now` (or that had none).
  virtual Result<std::vector<OutboxMessage>> Interrupted(std::string_view now) = 0;
  // Who holds a message (pending or sending) at `now`; and ending every lease of one holder
  // (a process known to be gone), so that its messages are taken over at once.
  virtual Result<std::vector<std::string>> LeaseHolders(std::string_view now) = 0;
  virtual Status EndLeases(std::string_view owner) = 0;
};

// Work shared between processes (docs/decisions/0017-shared-work.md): one unit per spooled
// feed file (kind "ingest", keyed by the SHA-256 of its content and its name, so the same file
// dropped twice is one unit) and per scheduled job (kind "job", keyed by its name). A worker takes
// a unit with a lease; when it dies, another takes it over once the lease has run out.
enum class WorkState { kReady, kLeased, kDone, kFailed };
std::string_view Name(WorkState state);

struct WorkItem {
  int64_t id = 0;
  std::string kind;     // "ingest", "job"
  std::string key;      // a file's "<sha256>/<name>", a job's name
  std::string payload;  // JSON
  WorkState state = WorkState::kReady;
  std::string run_after;  // not taken before this (UTC)
  std::optional<std::string> lease_owner;
  std::optional<std::string> lease_until;
  int64_t attempts = 0;  // claims since it last succeeded
  std::optional<std::string> last_error;
  std::optional<std::string> result;  // JSON
  std::string created_at;
  std::optional<std::string> finished_at;
};

// What a process takes: spooled files or not, and which jobs. A process leaves the jobs it
// cannot do to others (`baken serve` takes no files; a worker without a mail server no
// notify job).
struct WorkFilter {
  bool files = true;
  std::optional<std::vector<std::string>> jobs;  // by name; nullopt: every job
};

// One run of a scheduled job, as the process that ran it recorded it (decision 0019).
enum class JobOutcome { kRunning, kOk, kFailed, kCutOff, kInterrupted };
std::string_view Name(JobOutcome outcome);

struct JobRun {
  int64_t id = 0;
  std::string job;
  std::string holder;  // the process that ran it ("HOST:PID" or a worker's --id)
  std::string started_at;
  std::optional<std::string> finished_at;  // for an interrupted run: when that was noticed
  JobOutcome outcome = JobOutcome::kRunning;
  std::optional<std::string> summary;  // JSON: what the run did
  std::optional<std::string> error;
};

class WorkRepository {
 public:
  virtual ~WorkRepository() = default;
  // Adds a ready unit unless one of this kind and key exists; true when it was added.
  virtual Result<bool> Add(std::string_view kind, std::string_view key, std::string_view payload,
                           std::string_view run_after, std::string_view now) = 0;
  virtual Result<std::optional<WorkItem>> Find(std::string_view kind, std::string_view key) = 0;
  // Takes the unit that has waited longest (by run_after, then age) among those ready with
  // run_after passed and those leased whose lease ran out before `now`, of the units `filter`
  // lets through: it becomes leased to `owner` until `until`, with one more attempt. A file
  // unit that already had `max_attempts` becomes failed instead (its worker kept dying) and the
  // next one is looked at; jobs are never given up. nullopt when there is nothing to take.
  virtual Result<std::optional<WorkItem>> Claim(std::string_view owner, std::string_view now,
                                                std::string_view until, int64_t max_attempts,
                                                const WorkFilter& filter = {}) = 0;
  // Extends the lease; false when `owner` no longer holds the unit.
  virtual Result<bool> Renew(int64_t id, std::string_view owner, std::string_view until) = 0;
  // Ends the holder's run: `state` done or failed (finished_at = now), or ready again from
  // `run_after` (a job's next run; attempts start again unless `error` is set). Saves the error
  // and the result; false when `owner` no longer holds the unit.
  virtual Result<bool> Finish(int64_t id, std::string_view owner, WorkState state,
                              std::string_view run_after, const std::optional<std::string>& error,
                              const std::optional<std::string>& result, std::string_view now) = 0;
  // Every unit of `kind` (all when empty), oldest first.
  virtual Result<std::vector<WorkItem>> List(std::string_view kind) = 0;
  // As for the outbox: who holds a unit at `now`, and ending every lease of one holder.
  virtual Result<std::vector<std::string>> LeaseHolders(std::string_view now) = 0;
  virtual Status EndLeases(std::string_view owner) = 0;

  // The record of a job's runs: one begins (running), ends with its outcome, or, when its
  // process stopped before it could say (killed, crashed), is marked interrupted by the next
  // holder of the job, at `now`.
  virtual Result<int64_t> StartRun(std::string_view job, std::string_view holder,
                                   std::string_view now) = 0;
  virtual Status FinishRun(int64_t id, JobOutcome outcome,
                           const std::optional<std::string>& summary,
                           const std::optional<std::string>& error, std::string_view now) = 0;
  virtual Status InterruptRuns(std::string_view job, std::string_view now) = 0;
  // A job's runs (every job's when `job` is empty), newest first, at most `limit`.
  virtual Result<std::vector<JobRun>> Runs(std::string_view job, int64_t limit) = 0;
  // When each job last ran with outcome ok, by job.
  virtual Result<std::map<std::string, std::string, std::less<>>> LastSuccesses() = 0;
};

enum class Role { kAdmin, kAnalyst, kMember };
std::string_view Name(Role role);
std::optional<Role> ParseRole(std::string_view text);

struct User {
  int64_t id = 0;
  std::string email;
  Role role = Role::kMember;
  std::optional<std::string> member;  // set exactly when role is kMember
  std::string password_hash;          // argon2id, in libsodium's string form
  std::string created_at;
  // Set when an analyst disabled the account: no sign-in, session or API token works.
  std::optional<std::string> disabled_at;
  // The second factor (auth/totp.h): on when `totp_secret` is set; `totp_pending` is offered
  // until a first code confirms it; codes for steps up to `totp_last_step` are used up.
  std::optional<std::string> totp_secret;
  std::optional<std::string> totp_pending;
  int64_t totp_last_step = 0;
};

// A signed-in browser: the cookie's hash, and the token its changing requests must echo.
struct Session {
  int64_t user_id = 0;
  std::string token_hash;
  std::string csrf_token;
  std::string created_at;
  std::string expires_at;
  std::string source;  // where it was started from (auth::SourceKey)
  std::optional<std::string> last_used_at;
  int64_t id = 0;  // set when read
};

// An API token as stored: never the token itself, only its hash.
struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string email;  // the account's, for lists
  std::string label;  // what it is for, as its owner named it (may be empty)
  std::string created_at;
  std::string expires_at;  // refused from this time on
};

// Failed sign-ins of one account from one source (auth::SourceKey), since the last success
// from there, and the lock they set.
struct SignInFailures {
  int64_t failures = 0;
  std::string last_failure_at;
  std::optional<std::string> locked_until;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // kConflict when the e-mail address (case-insensitive) already has an account.
  virtual Result<int64_t> AddUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  // Every account, staff first, then by e-mail address.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Disables the account (`disabled_at` set) or enables it again (nullopt).
  virtual Status SetDisabled(int64_t user_id, const std::optional<std::string>& disabled_at) = 0;

  // Only a hash of a token is kept, so a copy of the database grants no access. `token.id` and
  // `token.email` are ignored; the new token's id is returned.
  virtual Result<int64_t> AddToken(const ApiToken& token, std::string_view token_hash) = 0;
  // The token with this hash and its account, expired or not (the caller decides).
  virtual Result<std::optional<std::pair<User, ApiToken>>> FindToken(
      std::string_view token_hash) = 0;
  // Tokens of one account, or of all accounts (nullopt), by account and then oldest first.
  virtual Result<std::vector<ApiToken>> ListTokens(std::optional<int64_t> user_id) = 0;
  // Deletes token `id` if it belongs to `user_id` (any account's for nullopt); false when
  // there was no such token.
  virtual Result<bool> DeleteToken(int64_t id, std::optional<int64_t> user_id) = 0;

  // Sign-in failures per account and source, and the lock they set.
  virtual Result<std::optional<SignInFailures>> FindSignInFailures(int64_t user_id,
                                                                   std::string_view source) = 0;
  virtual Status SetSignInFailures(int64_t user_id, std::string_view source,
                                   const SignInFailures& failures) = 0;
  // Forgets the failures (and locks) of one source, or of every source for nullopt.
  virtual Status ClearSignInFailures(int64_t user_id, std::optional<std::string_view> source) = 0;
  // The second factor: the secret in use and the one offered, and the last step used.
  virtual Status SetTotp(int64_t user_id, const std::optional<std::string>& secret,
                         const std::optional<std::string>& pending) = 0;
  virtual Status SetTotpLastStep(int64_t user_id, int64_t step) = 0;
  virtual Status AddSession(const Session& session) = 0;
  // The session and its user, when the session exists and has not expired at `now`.
  virtual Result<std::optional<std::pair<User, Session>>> FindSession(std::string_view token_hash,
                                                                      std::string_view now) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  // Ends every session of the account (it was disabled), or every one but the session with
  // `keep_token_hash` (the password changed there).
  virtual Status DeleteSessionsOf(int64_t user_id,
                                  std::optional<std::string_view> keep_token_hash = {}) = 0;
  // The account's sessions that have not expired at `now`, newest first.
  virtual Result<std::vector<Session>> ListSessions(int64_t user_id, std::string_view now) = 0;
  // Ends session `id` when it is the account's; false when it has no such session.
  virtual Result<bool> DeleteSessionOf(int64_t user_id, int64_t id) = 0;
  virtual Status TouchSession(int64_t id, std::string_view now) = 0;
  virtual Status SetPasswordHash(int64_t user_id, std::string_view password_hash) = 0;
  // Forgets the sessions that ended by `now`.
  virtual Status DeleteExpiredSessions(std::string_view now) = 0;
  // A sign-in to the portal at `now`: the sign-in before it becomes the previous one.
  virtual Status RecordSignIn(int64_t user_id, std::string_view now) = 0;
  // The sign-in before the latest (nullopt: none), where the overview's "new since your last
  // visit" counts from; kept here, so it is the same in every browser.
  virtual Result<std::optional<std::string>> PreviousSignIn(int64_t user_id) = 0;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;
  std::string actor;   // "user:soc@example.nl", "cli:root"
  std::string action;  // "member.import", "netblocks.replace", "claim.approve", ...
  std::string object;  // what it touched, e.g. "GM0363" or "claim:17"
  std::string detail;  // JSON text
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Status Record(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> List(int64_t limit) = 0;
};

// Advisories as received (CSAF documents, CVE records): the bytes, and what identifies and
// orders them. A newer revision replaces the current one, which moves to the history.
struct StoredAdvisory {
  int64_t id = 0;
  std::string publisher_namespace;  // with tracking_id, what identifies an advisory
  std::string tracking_id;          // CSAF document.tracking.id, or the CVE id
  std::string format;               // "csaf", "cve"
  std::string version;              // tracking.version; a CVE record's dateUpdated
  std::string current_release;
  std::string title;
  std::optional<std::string> tlp;  // as the document says
  std::string sha256;              // of `document`
  std::string document;            // the bytes as received (empty in lists)
  std::string imported_at;
  std::string imported_by;
  int64_t warnings = 0;  // warnings issued from it to members (set by Search only)
};

// Which advisories a list shows, in which order, and which page of them.
struct AdvisoryQuery {
  // In the id or the title (ASCII case ignored); a CVE id ("CVE-2024-0001") also in the document.
  std::optional<std::string> text;
  std::optional<std::string> publisher;                       // publisher_namespace
  std::optional<std::string> released_since;                  // current_release >= this (UTC)
  std::optional<std::string> released_until;                  // current_release < this
  bool with_warnings = false;                                 // only those a member was warned of
  enum class Order { kNewest, kOldest, kId, kIdDescending };  // by current release, or id
  Order order = Order::kNewest;
  int64_t offset = 0;
  int64_t limit = 0;  // 0: no limit
};

// One affected (or possibly affected) asset of a member, as last warned of.
struct AdvisoryFinding {
  std::string asset;
  std::string product_id;
  std::string outcome;  // "affected" or "unknown"
  std::string risk;     // "Urgent", "Hoog", "Normaal", "Laag"
  std::vector<std::string> cves;
  std::vector<std::string> remediations;
  bool operator==(const AdvisoryFinding&) const = default;
};

// A warning issued to a member (decision 0007): a first one, or a revision that made it worse.
struct WarningRecord {
  int64_t id = 0;
  std::string member;
  int64_t advisory_id = 0;
  std::string tracking_id;
  std::string version;
  std::string title;
  std::string tlp;
  std::string risk;  // the highest over the member's rows
  int64_t affected = 0;
  int64_t unknown = 0;
  bool revised = false;
  std::vector<std::string> changes;  // what got worse (English), for a revision
  std::string issued_at;
  // What the member did about it: "open", "handled" or "not_applicable", by whom ("user:…"),
  // when, and why (may be empty). Unset while open and never changed.
  std::string state = "open";
  std::optional<std::string> state_by;
  std::optional<std::string> state_at;
  std::optional<std::string> state_note;
};

// A page of warnings for a person: in scope, optionally of one state and one member, newest
// first or by risk (highest first, then newest), from `offset`, at most `limit`.
struct WarningQuery {
  std::optional<std::string> member;  // within the scope; another member's gives nothing
  std::optional<std::string> state;
  std::string since;  // issued at or after ("" = unbounded)
  bool by_risk = false;
  int64_t offset = 0;
  int64_t limit = 50;
  bool with_red = false;
};
struct WarningPage {
  std::vector<WarningRecord> warnings;
  int64_t total = 0;  // all that match the query, whatever the page
};

// A document a sync listing named near its cursor, and what came of fetching it.
struct SyncDocument {
  std::string document_url;
  std::string updated;  // as the listing gave it, normalized
  std::string state;    // "done", "retry" or "given_up"
  int64_t attempts = 0;
  std::optional<std::string> last_error;
};

class AdvisoryRepository {
 public:
  virtual ~AdvisoryRepository() = default;
  virtual Result<std::optional<StoredAdvisory>> Find(std::string_view publisher_namespace,
                                                     std::string_view tracking_id) = 0;
  // Every publisher's advisory with this id (the same id may come from two publishers).
  virtual Result<std::vector<StoredAdvisory>> FindById(std::string_view tracking_id) = 0;
  virtual Status Add(const StoredAdvisory& advisory) = 0;
  // Makes `newer` the current revision of advisory `id`; the old one goes to the history.
  virtual Status Replace(int64_t id, const StoredAdvisory& newer, std::string_view now) = 0;
  // Current revisions without their documents, newest release first.
  virtual Result<std::vector<StoredAdvisory>> List() = 0;
  // One page of the current revisions that match `query` (without documents, with how many
  // warnings each gave), and how many match, whatever the offset and limit.
  virtual Result<std::vector<StoredAdvisory>> Search(const AdvisoryQuery& query) = 0;
  virtual Result<int64_t> Count(const AdvisoryQuery& query) = 0;
  virtual Result<int64_t> CountRevisions(int64_t id) = 0;  // earlier revisions kept

  // Warnings: advisories whose current revision has not had its warnings planned (with their
  // documents), and the mark that it has.
  virtual Result<std::vector<StoredAdvisory>> Unwarned() = 0;
  virtual Status MarkWarned(int64_t id, std::string_view sha256) = 0;
  // What a member was last warned of for an advisory, and replacing it.
  virtual Result<std::vector<AdvisoryFinding>> Findings(std::string_view member,
                                                        int64_t advisory_id) = 0;
  virtual Status ReplaceFindings(std::string_view member, int64_t advisory_id,
                                 const std::vector<AdvisoryFinding>& findings) = 0;

  // Warnings issued: recording one; those in scope issued in [from, until) ("" = unbounded),
  // newest first, at most `limit`, the TLP:RED ones only when `with_red`.
  virtual Result<int64_t> AddWarning(const WarningRecord& warning) = 0;
  virtual Result<std::vector<WarningRecord>> Warnings(const registry::Scope& scope,
                                                      std::string_view from, std::string_view until,
                                                      int64_t limit, bool with_red) = 0;
  // The warning with this id when it is in scope (and not TLP:RED unless `with_red`).
  // The TLP of the newest warning to `member` about advisory `advisory_id` ("" when none):
  // the findings kept are that warning's.
  virtual Result<std::string> NewestWarningTlp(std::string_view member, int64_t advisory_id) = 0;
  virtual Result<std::optional<WarningRecord>> FindWarning(const registry::Scope& scope, int64_t id,
                                                           bool with_red) = 0;
  virtual Result<WarningPage> PageWarnings(const registry::Scope& scope,
                                           const WarningQuery& query) = 0;
  // Sets the state of the warning with this id when it is in scope (and not TLP:RED unless
  // `with_red`); false when there is no such warning for the caller.
  virtual Result<bool> SetWarningState(const registry::Scope& scope, int64_t id, bool with_red,
                                       std::string_view state, std::string_view by,
                                       std::string_view at, std::string_view note) = 0;
  // Claims the weekly overview of (member, week): its id, or nullopt when it already exists.
  virtual Result<std::optional<int64_t>> AddOverview(std::string_view member, std::string_view week,
                                                     std::string_view now) = 0;

  // Sync: the update time up to which a listing's documents were all fetched (empty if never).
  virtual Result<std::string> SyncCursor(std::string_view listing_url) = 0;
  virtual Status SaveSyncCursor(std::string_view listing_url, std::string_view cursor,
                                std::string_view now) = 0;
  virtual Result<std::vector<SyncDocument>> SyncDocuments(std::string_view listing_url) = 0;
  virtual Status SaveSyncDocument(std::string_view listing_url, const SyncDocument& document) = 0;
  virtual Status ForgetSyncDocument(std::string_view listing_url, std::string_view document_url,
                                    std::string_view updated) = 0;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual MemberRepository& Members() = 0;
  virtual AccountRepository& Accounts() = 0;
  virtual AuditLog& Audit() = 0;
  virtual EventRepository& Events() = 0;
  virtual DigestRepository& Digests() = 0;
  virtual OutboxRepository& Outbox() = 0;
  virtual AdvisoryRepository& Advisories() = 0;
  virtual WorkRepository& Work() = 0;
  virtual IncidentRepository& Incidents() = 0;            // store/incident_repository.h
  virtual PartnerRepository& Partners() = 0;              // store/partner_repository.h
  virtual OncallRepository& Oncall() = 0;                 // store/oncall_repository.h
  virtual ContactMethodRepository& ContactMethods() = 0;  // store/contact_method_repository.h
  virtual DisclosureRepository& Disclosure() = 0;         // store/disclosure_repository.h
  virtual OpenPgpKeyRepository& OpenPgpKeys() = 0;        // store/openpgp_key_repository.h
  virtual RipeRepository& Ripe() = 0;                     // store/ripe_repository.h
  virtual IntelRepository& Intel() = 0;                   // store/intel_repository.h
  virtual FollowedFeedRepository& FollowedFeeds() = 0;    // store/followed_feed_repository.h
  virtual Status Commit() = 0;
};

enum class Access { kRead, kWrite };

class Store {
 public:
  virtual ~Store() = default;
  // Opens the store at `location`: a SQLite file path (created and migrated if needed).
  // PostgreSQL URLs are refused until that store exists.
  static Result<std::unique_ptr<Store>> Open(const std::string& location);

  // A write transaction takes the write lock at the start, so two writers never deadlock.
  // Safe to call from any thread; each Transaction belongs to the thread that began it.
  virtual Result<std::unique_ptr<Transaction>> Begin(Access access) = 0;
  // Succeeds when the store answers a trivial query.
  virtual Status Ping() = 0;
  // The schema version after migrations.
  virtual int SchemaVersion() const = 0;
  // Whether ingest should keep one write transaction over several of its batches. SQLite
  // writes every page a transaction changed, whole, when it commits, and a batch's random dedup
  // keys change nearly every page of the key index: five batches a commit write a fifth as
  // much. PostgreSQL logs rows rather than pages, so it gains little, and there several
  // processes ingest at once: holding the write lock (decision 0016) over several batches
  // would make the others wait longer.
  virtual bool GroupsIngestBatches() const = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_STORE_H_
