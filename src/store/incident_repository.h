#ifndef BAKEN_STORE_INCIDENT_REPOSITORY_H_
#define BAKEN_STORE_INCIDENT_REPOSITORY_H_

// Incidents as stored (docs/decisions/0018-incidents.md): the incident, a participation per
// member, journal entries, tasks, links and the incident's own history. Reached through
// Transaction::Incidents(). The rules (transitions, closing, who reads which entry) are in
// src/incidents; this is what is kept, and the scope every read is limited to.
//
// Scope: a member's scope holds an incident only when the member takes part in it, and of the
// incident only its own participation, the entries, tasks and history of that participation and
// the coordination entries an analyst released. Outside the scope an object does not exist.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "registry/scope.h"

namespace baken::store {

struct IncidentRecord {
  int64_t id = 0;
  std::string title;
  std::string description;
  std::string source = "analyst";             // incidents::Sources()
  std::optional<std::string> source_ref;      // the event, warning or partner it came from
  std::string reporter;                       // the actor that opened it ("user:…")
  std::optional<std::string> classification;  // RSIT: both or neither
  std::optional<std::string> type;
  std::optional<std::string> cause;
  std::optional<std::string> impact;
  std::string priority = "normal";
  std::string tlp = "AMBER";
  std::optional<std::string> coordinator;  // an analyst's e-mail address
  std::string state = "new";
  std::optional<int64_t> merged_into;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> closed_at;
};

struct ParticipationRecord {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string member;
  std::string member_name;  // read only: the member's name and kind, for lists
  std::string member_kind;
  std::string title;  // what this member sees as the incident's title
  std::string state = "new";
  std::string breach = "undecided";  // incidents::BreachDecisions()
  bool named = false;                // other participants may see that this member takes part
  std::string added_by;
  std::string added_at;
  std::string updated_at;
  std::optional<std::string> closed_at;
};

// A journal entry: of one participation (`member` set), or of the coordination (unset), which
// the participants see once an analyst released it.
struct JournalEntry {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::optional<std::string> member;
  std::string author;  // actor
  std::string at;
  std::string text;
  std::string tlp = "AMBER";
  std::optional<std::string> released_at;
  std::optional<std::string> released_by;
};

struct IncidentTask {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::optional<std::string> member;  // a participation's task (what the CERT asks of it)
  std::string title;
  std::optional<std::string> owner;
  std::optional<std::string> due_at;
  std::string state = "open";         // incidents::TaskStates()
  std::optional<std::string> reason;  // why dropped; a note when done
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct IncidentLink {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string kind;    // incidents::LinkKinds()
  std::string target;  // the event's, advisory's, warning's or incident's id
  std::string added_by;
  std::string added_at;
};

// Evidence: the bytes as received (`content`, empty in lists) and their SHA-256.
struct IncidentAttachment {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::optional<std::string> member;  // a participation's; unset: the coordination's
  std::string name;
  std::string media_type;
  int64_t size = 0;
  std::string sha256;
  std::string content;
  std::string tlp = "AMBER";
  std::string added_by;
  std::string added_at;
};

// News for a participant, for `baken notify` to tell its contacts (decision 0018).
struct IncidentNotice {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string member;
  std::string kind;  // entry, task
  std::string text;
  std::string tlp;
  std::string created_at;
  std::optional<std::string> planned_at;
};

struct IncidentHistoryEntry {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::optional<std::string> member;  // the participation it concerns
  std::string at;
  std::string actor;
  std::string action;  // "incident.create", "incident.state", "participation.add", ...
  std::string detail;  // JSON text
};

// A participation's data breach as stored; `details` is the JSON of the AP form's facts.
struct BreachRecord {
  int64_t participation_id = 0;
  std::string aware_at;
  std::string deadline_at;
  std::string details = "{}";
  std::string ap_decision = "undecided";  // undecided, notify, no_notify
  std::optional<std::string> ap_reason;
  std::optional<std::string> ap_notified_at;
  std::optional<std::string> ap_reference;
  std::optional<std::string> delay_reason;
  std::string subjects_decision = "undecided";  // undecided, inform, no_inform
  std::optional<std::string> subjects_reason;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// A later message to the AP about a notified breach (Art. 33(4), "in fasen"): a supplement, a
// change, or the notification's withdrawal.
struct BreachUpdate {
  int64_t id = 0;
  int64_t participation_id = 0;
  std::string kind;     // "supplement", "change", "withdrawal"
  std::string sent_at;  // when it went to the AP
  std::string note;     // what it said
  std::string added_by;
  std::string added_at;
};

// A line of a member's breach register (Art. 33(5)): the breach and where it belongs.
struct RegisteredBreach {
  int64_t incident_id = 0;
  std::string member;
  std::string title;  // the participation's title
  std::string state;  // the participation's state
  BreachRecord breach;
};

// A breach the AP has not been told of nor decided against, in a participation not closed:
// what the reminders of its 72 hours are about.
struct OpenBreach {
  int64_t incident_id = 0;
  int64_t participation_id = 0;
  std::string member;
  std::optional<std::string> coordinator;
  std::string aware_at;
  std::string deadline_at;
  std::vector<std::string> reminded;  // the reminders planned so far ("24h", "48h", ...)
};

struct IncidentQuery {
  std::optional<std::string> state;
  bool open_only = false;             // not closed
  std::optional<std::string> member;  // taking part (within the scope)
  std::optional<std::string> text;    // in the title, ASCII case ignored (staff: also description)
  bool unassigned = false;            // no coordinator yet (the triage queue)
  // Linking to this (IncidentLink kind and target, e.g. "event", "4711"): where an event or a
  // warning was escalated to. Staff only, as links are.
  std::optional<std::pair<std::string, std::string>> linked;
  enum class Order { kNewest, kOldest, kUpdated, kPriority };
  Order order = Order::kNewest;
  int64_t offset = 0;
  int64_t limit = 0;  // 0: no limit
};

// Incidents counted for the threat report: created in [from, until), not merged into another.
struct IncidentCounts {
  int64_t total = 0;
  std::map<std::string, int64_t> by_type;         // "classification:type"; "" unclassified
  std::map<std::string, int64_t> by_cause;        // "" not set
  std::map<std::string, int64_t> by_impact;       // "" not set
  std::map<std::string, int64_t> by_member_kind;  // once per kind among the participants
};

class IncidentRepository {
 public:
  virtual ~IncidentRepository() = default;

  virtual Result<int64_t> Add(const IncidentRecord& incident) = 0;
  virtual Result<std::optional<IncidentRecord>> Find(const registry::Scope& scope, int64_t id) = 0;
  // One page of the incidents in scope that match, in the query's order (ties newest first).
  virtual Result<std::vector<IncidentRecord>> List(const registry::Scope& scope,
                                                   const IncidentQuery& query) = 0;
  virtual Result<int64_t> Count(const registry::Scope& scope, const IncidentQuery& query) = 0;
  // Saves every field but id, source, reporter and created_at.
  virtual Status Update(const IncidentRecord& incident) = 0;

  virtual Result<int64_t> AddParticipation(const ParticipationRecord& participation) = 0;
  // The incident's participations in scope (a member's own only), by member code.
  virtual Result<std::vector<ParticipationRecord>> Participations(const registry::Scope& scope,
                                                                  int64_t incident_id) = 0;
  virtual Result<std::optional<ParticipationRecord>> FindParticipation(const registry::Scope& scope,
                                                                       int64_t incident_id,
                                                                       std::string_view member) = 0;
  // Saves title, state, breach, named, updated_at and closed_at.
  virtual Status UpdateParticipation(const ParticipationRecord& participation) = 0;
  // Moves the participations of `from` whose member does not take part in `into` yet, with
  // their entries and tasks, to `into`; returns the members moved.
  virtual Result<std::vector<std::string>> MoveParticipations(int64_t from, int64_t into) = 0;

  virtual Result<int64_t> AddEntry(const JournalEntry& entry) = 0;
  // Entries in scope, oldest first: for a member, its participation's and the released
  // coordination entries.
  virtual Result<std::vector<JournalEntry>> Entries(const registry::Scope& scope,
                                                    int64_t incident_id) = 0;
  virtual Result<std::optional<JournalEntry>> FindEntry(const registry::Scope& scope,
                                                        int64_t incident_id, int64_t id) = 0;
  virtual Status ReleaseEntry(int64_t id, std::string_view by, std::string_view at) = 0;

  virtual Result<int64_t> AddTask(const IncidentTask& task) = 0;
  // Tasks in scope (a member's: its participation's), oldest first.
  virtual Result<std::vector<IncidentTask>> Tasks(const registry::Scope& scope,
                                                  int64_t incident_id) = 0;
  // Saves title, owner, due_at, state, reason and updated_at.
  virtual Status UpdateTask(const IncidentTask& task) = 0;

  // Adds the link unless the incident has it already; true when added.
  virtual Result<bool> AddLink(const IncidentLink& link) = 0;
  virtual Result<std::vector<IncidentLink>> Links(int64_t incident_id) = 0;

  virtual Result<int64_t> AddAttachment(const IncidentAttachment& attachment) = 0;
  // The attachments in scope (a member's: its participation's), oldest first, without content.
  virtual Result<std::vector<IncidentAttachment>> Attachments(const registry::Scope& scope,
                                                              int64_t incident_id) = 0;
  // One attachment in scope with its content.
  virtual Result<std::optional<IncidentAttachment>> FindAttachment(const registry::Scope& scope,
                                                                   int64_t incident_id,
                                                                   int64_t id) = 0;

  virtual Status AddNotice(const IncidentNotice& notice) = 0;
  virtual Result<std::vector<IncidentNotice>> UnplannedNotices() = 0;
  // Marks the notice planned; false when another process planned it first.
  virtual Result<bool> MarkNoticePlanned(int64_t id, std::string_view now) = 0;

  virtual Status AddHistory(const IncidentHistoryEntry& entry) = 0;
  // The history in scope (a member's: its participation's), oldest first.
  virtual Result<std::vector<IncidentHistoryEntry>> History(const registry::Scope& scope,
                                                            int64_t incident_id) = 0;

  virtual Result<std::optional<BreachRecord>> FindBreach(int64_t participation_id) = 0;
  // Adds or replaces the participation's breach record.
  virtual Status SaveBreach(const BreachRecord& breach) = 0;
  virtual Status AddBreachUpdate(const BreachUpdate& update) = 0;
  // The participation's updates to the AP, in the order they were sent.
  virtual Result<std::vector<BreachUpdate>> BreachUpdates(int64_t participation_id) = 0;
  // The breaches of the members in scope (of `member` only, when set), oldest awareness first.
  virtual Result<std::vector<RegisteredBreach>> Breaches(
      const registry::Scope& scope, const std::optional<std::string>& member) = 0;

  virtual Result<std::vector<OpenBreach>> OpenBreaches() = 0;
  // Records that reminder `kind` of a breach was planned (`sent` false: a later one went
  // instead); false when it was planned before, by this or another process.
  virtual Result<bool> AddReminder(int64_t participation_id, std::string_view kind,
                                   std::string_view due_at, std::string_view now, bool sent) = 0;

  virtual Result<IncidentCounts> CountFor(const registry::Scope& scope, std::string_view from,
                                          std::string_view until) = 0;
};

}  // namespace baken::store

#endif  // BAKEN_STORE_INCIDENT_REPOSITORY_H_
