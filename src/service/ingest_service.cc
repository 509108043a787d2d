#include "service/ingest_service.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/problem_json.h"
#include "common/text.h"
#include "common/time.h"
#include "feeds/dedup.h"
#include "feeds/harmonization.h"
#include "feeds/input.h"
#include "net/as_number.h"
#include "net/ip_address.h"
#include "service/audit.h"
#include "service/digests.h"
#include "store/event_block.h"

namespace baken::service {

namespace {

std::string FileLabel(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The fields ingest reads of every event, resolved once (feeds::KnownField).
struct IngestFields {
  const feeds::FieldSpec& feed_name = feeds::KnownField("feed.name");
  const feeds::FieldSpec& tlp = feeds::KnownField("tlp");
  const feeds::FieldSpec& classification_type = feeds::KnownField("classification.type");
  const feeds::FieldSpec& classification_identifier =
      feeds::KnownField("classification.identifier");
  const feeds::FieldSpec& source_ip = feeds::KnownField("source.ip");
  const feeds::FieldSpec& source_port = feeds::KnownField("source.port");
  const feeds::FieldSpec& source_network = feeds::KnownField("source.network");
  const feeds::FieldSpec& source_fqdn = feeds::KnownField("source.fqdn");
  const feeds::FieldSpec& source_url = feeds::KnownField("source.url");
  const feeds::FieldSpec& source_asn = feeds::KnownField("source.asn");
  const feeds::FieldSpec& time_source = feeds::KnownField("time.source");
  const feeds::FieldSpec& time_observation = feeds::KnownField("time.observation");
};

const IngestFields& Fields() {
  static const IngestFields fields;
  return fields;
}

// source.asn, already sanitised to digits by the harmonization; nullopt when absent.
std::optional<uint32_t> AsnOf(const feeds::Event& event) {
  const std::string_view text = event.Get(Fields().source_asn);
  if (text.empty()) return std::nullopt;
  auto asn = net::ParseAsNumber(text, net::AsPrefix::kOptional);
  return asn ? std::optional<uint32_t>(*asn) : std::nullopt;
}

// The host of a URL ("https://www.example.nl:8443/x" -> "www.example.nl"), for routing.
std::string_view UrlHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.find('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (rest.starts_with('[')) return {};  // an IPv6 literal is not a domain
  return rest.substr(0, rest.find(':'));
}

}  // namespace

registry::Json SummaryToJson(const IngestSummary& summary) {
  registry::Json errors = registry::Json::array();
  for (const IngestError& error : summary.errors) {
    registry::Json item{{"file", error.file},
                        {"line", error.line ? registry::Json(*error.line) : registry::Json()},
                        {"reason", error.reason}};
    if (!error.key.empty()) {
      item["code"] = error.key;
      item["params"] = ProblemParamsJson(error.params);
    }
    errors.push_back(std::move(item));
  }
  registry::Json notes = registry::Json::array();
  for (const IngestNote& note : summary.notes) {
    registry::Json item{{"file", note.file}, {"note", note.note}};
    if (!note.key.empty()) {
      item["code"] = note.key;
      item["params"] = ProblemParamsJson(note.params);
    }
    notes.push_back(std::move(item));
  }
  return {{"parsed", summary.parsed},           {"routed", summary.routed},
          {"unrouted", summary.unrouted},       {"duplicates", summary.duplicates},
          {"rejected", summary.rejected},       {"errors", std::move(errors)},
          {"error_count", summary.error_count}, {"notes", std::move(notes)}};
}

// One ingest run: receives parsed events, routes and batches them, writes the batches.
class IngestService::Run final : public feeds::ParseSink {
 public:
  Run(store::Store& store, const routing::Constituency& constituency, const IngestOptions& options)
      : store_(store), constituency_(constituency), options_(options) {
    const auto now = std::chrono::system_clock::now();
    now_ = FormatUtc(now);
    observation_ = feeds::FormatIntelMqTime(now);
    period_ = DigestPeriodAt(now, options.digest_period_seconds);
    batches_per_transaction_ =
        store.GroupsIngestBatches() ? std::max<size_t>(options.batches_per_transaction, 1) : 1;
    // Grown one record at a time, the batch moved every record it held at each doubling.
    if (!options.dry_run) {
      batch_.reserve(options.batch_size);
      writing_.reserve(options.batch_size);
      order_.reserve(options.batch_size);
    }
  }

  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  // An exception out of parsing must not leave the writer using what is destroyed here.
  ~Run() override {
    if (writer_.valid()) writer_.wait();
  }

  const std::string& observation_time() const { return observation_; }
  IngestSummary& summary() { return summary_; }

  void BeginFile(std::string label) {
    file_ = std::move(label);
    default_feed_name_ = file_;
  }

  void AddError(std::optional<size_t> line, std::string reason) {
    ++summary_.error_count;
    if (summary_.errors.size() < IngestSummary::kMaxListedErrors) {
      summary_.errors.push_back({file_, line, std::move(reason), {}, {}});
    }
  }
  // A whole file refused, with its code when it has one.
  void AddError(Error error) {
    ++summary_.error_count;
    if (summary_.errors.size() < IngestSummary::kMaxListedErrors) {
      summary_.errors.push_back({file_, std::nullopt, std::move(error.message),
                                 std::move(error.key), std::move(error.params)});
    }
  }

  void OnReject(size_t line, std::string reason) override {
    ++summary_.rejected;
    AddError(line, std::move(reason));
  }

  // A coded refusal keeps its code and values, with the line among them (decision 0013).
  void OnRejectError(size_t line, Error error) override {
    ++summary_.rejected;
    ++summary_.error_count;
    if (summary_.errors.size() < IngestSummary::kMaxListedErrors) {
      if (!error.key.empty()) error.params.emplace_back("line", std::to_string(line));
      summary_.errors.push_back(
          {file_, line, std::move(error.message), std::move(error.key), std::move(error.params)});
    }
  }

  void OnNote(std::string note) override {
    if (summary_.notes.size() < IngestSummary::kMaxListedErrors) {
      summary_.notes.push_back({file_, std::move(note), {}, {}});
    }
  }

  void OnNoteError(Error note) override {
    if (summary_.notes.size() < IngestSummary::kMaxListedErrors) {
      summary_.notes.push_back(
          {file_, std::move(note.message), std::move(note.key), std::move(note.params)});
    }
  }

  void OnEvent(feeds::Event& event, size_t /*line*/) override {
    if (!status_) return;  // the store failed (seen at the last batch); the rest is only parsed
    ++summary_.parsed;
    const std::optional<routing::Match> match = RouteOf(event);
    if (options_.dry_run) {
      CountWithoutStoring(match, event);
      return;
    }
    if (!event.Has(Fields().feed_name)) (void)event.Add("feed.name", default_feed_name_);
    // Records are reused from batch to batch, so their strings keep their memory.
    if (batch_used_ == batch_.size()) batch_.emplace_back();
    store::EventRecord& record = batch_[batch_used_++];
    if (match) {
      record.member = std::string(constituency_.MemberCode(*match));
      record.route_reason.assign(routing::EvidenceName(match->reason));
      record.route_match.assign(ClaimText(*match));
    } else {
      record.member.reset();
      record.route_reason.clear();
      record.route_match.clear();
    }
    Tlp tlp = options_.tlp;
    if (const auto configured = options_.tlp_by_feed.find(event.Get(Fields().feed_name));
        configured != options_.tlp_by_feed.end()) {
      tlp = configured->second;
    }
    if (const auto own = ParseTlp(event.Get(Fields().tlp)); own && *own > tlp) tlp = *own;
    feeds::DedupKeyInto(record.member ? std::string_view(*record.member) : std::string_view(),
                        event, &record.dedup_key);
    record.feed_name.assign(event.Get(Fields().feed_name));
    record.classification_type.assign(event.Get(Fields().classification_type));
    record.classification_identifier.assign(event.Get(Fields().classification_identifier));
    record.source_ip.assign(event.Get(Fields().source_ip));
    record.source_port.reset();
    if (const std::optional<int64_t> port = ParseInt64(event.Get(Fields().source_port))) {
      record.source_port = *port;
    }
    record.time_source.assign(event.Get(Fields().time_source));
    record.time_observation.assign(event.Get(Fields().time_observation));
    record.tlp.assign(Name(tlp));
    record.digest_id.reset();
    // The fields as they are, not JSON: the store writes the JSON when the event is read.
    data_fields_.clear();
    for (const feeds::EventField& field : event) {
      data_fields_.push_back({field.key, field.value, field.kind != feeds::ValueKind::kString});
    }
    store::WriteEventData(data_fields_, &record.data);
    if (batch_used_ >= options_.batch_size) Flush();
  }

  // Hands the batch to the writer, which stores it while the next one is parsed: a database
  // server (PostgreSQL) then works while this process parses, and on SQLite a second core
  // does. Batches are written one at a time, in order: each waits for the one before, so a
  // batch is never stored before an earlier one and a failure stops the rest. A dry run has
  // no batches (CountWithoutStoring).
  void Flush() {
    if (options_.dry_run || batch_used_ == 0) return;
    WaitForWriter();
    if (!status_) {
      batch_used_ = 0;
      return;
    }
    std::swap(batch_, writing_);
    writing_used_ = batch_used_;
    batch_used_ = 0;
    writer_ = std::async(std::launch::async, [this] { return WriteBatch(); });
  }

  Status Finish() {
    Flush();
    WaitForWriter();
    // The last batches' transaction, still open; the writer is done, so this thread may.
    if (status_ && open_) status_ = CommitOpenTransaction();
    open_.reset();  // after an error: rolled back
    if (options_.dry_run && status_) status_ = CountDryRunKeys();
    summary_.routed = written_.routed;
    summary_.unrouted = written_.unrouted;
    summary_.duplicates = written_.duplicates;
    return status_;
  }

 private:
  std::optional<routing::Match> RouteOf(const feeds::Event& event) const {
    const std::optional<net::IpAddress> ip = net::IpAddress::Parse(event.Get(Fields().source_ip));
    if (const std::string_view network =
            ip ? std::string_view() : event.Get(Fields().source_network);
        !network.empty()) {
      // An event about a network goes to the member whose one netblock holds all of it, or to
      // nobody: never by AS number or domain to one of several owners of its addresses
      // (docs/decisions/0011-lenient-feeds.md).
      const Result<net::Prefix> prefix = net::ParsePrefix(network);
      return prefix ? constituency_.LookupNetwork(*prefix) : std::nullopt;
    }
    std::string_view domain = event.Get(Fields().source_fqdn);
    if (domain.empty()) domain = UrlHost(event.Get(Fields().source_url));
    return constituency_.Route(ip, AsnOf(event), domain);
  }

  // The claim a match names, as text ("192.0.2.0/24"): written once per claim in a run rather
  // than once per event, which was a hundredth of an ingest.
  const std::string& ClaimText(const routing::Match& match) {
    const uint64_t key = (uint64_t{static_cast<uint8_t>(match.reason)} << 32) | match.claim;
    auto [it, added] = claim_texts_.try_emplace(key);
    if (added) it->second = constituency_.DescribeClaim(match);
    return it->second;
  }

  // A dry run needs no records, digests or blocks: only how many of the run's dedup keys
  // repeat within the run or are known to the store. It keeps each event's key (16 bytes),
  // routed and unrouted apart, and counts once the files are read (CountDryRunKeys). The
  // counts are those a real run of the same files would give.
  void CountWithoutStoring(const std::optional<routing::Match>& match, const feeds::Event& event) {
    const std::string_view member = match ? constituency_.MemberCode(*match) : std::string_view();
    feeds::DedupKeyInto(member, event, &dedup_key_text_);
    const store::SortableDedupHash key =
        store::SortableDedupHash::Of(store::HashDedupKey(dedup_key_text_));
    (match ? routed_keys_ : unrouted_keys_).push_back(key);
  }

  // Sorted, a key met before in the run is next to its first meeting; the first meetings are
  // looked up in the store in hash order, a read-only transaction, thousands at a time. Equal
  // keys name the same member, so a repeat is always in the same list as its first.
  Status CountDryRunKeys() {
    if (routed_keys_.empty() && unrouted_keys_.empty()) return {};
    BAKEN_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                           store_.Begin(store::Access::kRead));
    std::vector<store::DedupHash> unique;
    const auto look_up = [&](int64_t& new_events) -> Status {
      BAKEN_ASSIGN_OR_RETURN(const std::vector<bool> known, tx->Events().Known(unique));
      for (bool is_known : known) ++(is_known ? written_.duplicates : new_events);
      unique.clear();
      return {};
    };
    for (auto [keys, new_events] : {std::pair{&routed_keys_, &written_.routed},
                                    std::pair{&unrouted_keys_, &written_.unrouted}}) {
      std::sort(keys->begin(), keys->end());
      for (size_t i = 0; i < keys->size(); ++i) {
        if (i > 0 && (*keys)[i] == (*keys)[i - 1]) {
          ++written_.duplicates;
          continue;
        }
        unique.push_back((*keys)[i].Hash());
        if (unique.size() == options_.batch_size) BAKEN_RETURN_IF_ERROR(look_up(*new_events));
      }
      if (!unique.empty()) BAKEN_RETURN_IF_ERROR(look_up(*new_events));
      *keys = {};
    }
    return {};
  }

  void WaitForWriter() {
    if (!writer_.valid()) return;
    const Status written = writer_.get();
    if (status_) status_ = written;
  }

  // Runs on the writer thread; touches only writing_, order_, the open transaction and the
  // counts. A failed batch rolls back its transaction, and the batches before it in that
  // transaction with it.
  Status WriteBatch() {
    Status written = WriteBatchInOpenTransaction();
    if (written &&
        (++open_batches_ == batches_per_transaction_ ||
         std::chrono::steady_clock::now() - open_since_ >= options_.transaction_time_limit)) {
      written = CommitOpenTransaction();
    }
    if (!written) open_.reset();
    return written;
  }

  // Commits the open transaction; its counts are then the run's.
  Status CommitOpenTransaction() {
    open_batches_ = 0;
    const Status committed = open_->Commit();
    open_.reset();
    BAKEN_RETURN_IF_ERROR(committed);
    // Counted only once the batches are safely written.
    written_.routed += uncommitted_.routed;
    written_.unrouted += uncommitted_.unrouted;
    written_.duplicates += uncommitted_.duplicates;
    uncommitted_ = {};
    if (options_.after_batch) return options_.after_batch();
    return {};
  }

  Status WriteBatchInOpenTransaction() {
    order_.clear();
    for (size_t i = 0; i < writing_used_; ++i) order_.push_back(&writing_[i]);
    if (!open_) {
      BAKEN_ASSIGN_OR_RETURN(open_, store_.Begin(store::Access::kWrite));
      open_since_ = std::chrono::steady_clock::now();
    }
    store::Transaction* tx = open_.get();
    // Digests are looked up afresh in each batch: between transactions another process may
    // have closed one (its message planned), and an event added to a closed digest would
    // never be told to its member.
    DigestOpener digests(*tx, period_, now_);
    for (size_t i = 0; i < writing_used_; ++i) {
      store::EventRecord& record = writing_[i];
      if (record.member) {
        BAKEN_ASSIGN_OR_RETURN(record.digest_id, digests.For(record));
      }
    }
    BAKEN_ASSIGN_OR_RETURN(const std::vector<bool> stored, tx->Events().AddNew(order_));
    int64_t routed = 0;
    int64_t unrouted = 0;
    int64_t duplicates = 0;
    for (size_t i = 0; i < order_.size(); ++i) {
      if (!stored[i]) {
        ++duplicates;
      } else if (order_[i]->member) {
        ++routed;
      } else {
        ++unrouted;
      }
    }
    BAKEN_RETURN_IF_ERROR(tx->Digests().DropIfEmpty(digests.opened()));
    // The feeds heard from, known events too: for a heartbeat the feed came.
    std::map<std::string_view, int64_t> arrived;
    for (const store::EventRecord* event : order_) ++arrived[event->feed_name];
    const std::string now = NowUtc();
    for (const auto& [feed, events] : arrived) {
      BAKEN_RETURN_IF_ERROR(tx->Events().RecordArrival(feed, events, now));
    }
    uncommitted_.routed += routed;
    uncommitted_.unrouted += unrouted;
    uncommitted_.duplicates += duplicates;
    return {};
  }

  store::Store& store_;
  const routing::Constituency& constituency_;
  const IngestOptions& options_;
  std::string now_;
  std::string observation_;
  DigestPeriod period_;
  std::string file_;
  std::string default_feed_name_;
  std::vector<store::EventDataField> data_fields_;  // the event being batched
  IngestSummary summary_;
  std::vector<store::EventRecord> batch_;  // the first batch_used_ are the batch being filled
  size_t batch_used_ = 0;
  std::vector<store::EventRecord> writing_;  // the first writing_used_ are being written
  size_t writing_used_ = 0;
  std::future<Status> writer_;
  // What the writer counted (a dry run: what CountDryRunKeys counted); put into the
  // summary by Finish, once the writer is done.
  struct Counts {
    int64_t routed = 0;
    int64_t unrouted = 0;
    int64_t duplicates = 0;
  };
  Counts written_;
  // The write transaction the writer keeps over batches_per_transaction_ batches, and what
  // its batches counted. Touched by one thread at a time: the writer's task, or Finish once
  // the writer is done.
  std::unique_ptr<store::Transaction> open_;
  size_t open_batches_ = 0;
  std::chrono::steady_clock::time_point open_since_;
  size_t batches_per_transaction_ = 1;
  Counts uncommitted_;
  std::vector<const store::EventRecord*> order_;  // the batch as the store takes it
  // A dry run's: the dedup key of every event of the run, of those with a member and of those
  // without.
  std::vector<store::SortableDedupHash> routed_keys_;
  std::vector<store::SortableDedupHash> unrouted_keys_;
  std::string dedup_key_text_;  // the key of the event in hand, before it is hashed
  std::unordered_map<uint64_t, std::string> claim_texts_;  // ClaimText's, by evidence and claim
  Status status_;
};

IngestService::IngestService(store::Store& store,
                             std::shared_ptr<const routing::Constituency> constituency)
    : store_(store), constituency_(std::move(constituency)) {}

Result<IngestSummary> IngestService::IngestFiles(const auth::Principal& who,
                                                 const std::vector<std::string>& paths,
                                                 const IngestOptions& options) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may ingest feeds");
  Run run(store_, *constituency_, options);
  const feeds::ParseContext context{run.observation_time()};
  for (const std::string& path : paths) {
    run.BeginFile(FileLabel(path));
    auto input = feeds::OpenFeedFile(path);
    if (!input) {
      run.AddError(std::move(input.error()));
      continue;
    }
    if (const Status parsed = feeds::ParseFeed(path, std::move(*input), options.feed, context, run);
        !parsed) {
      run.AddError(std::move(parsed.error()));
    }
    run.Flush();
  }
  return Finish(run, who, fmt::format("{} files", paths.size()), options);
}

Result<IngestSummary> IngestService::IngestInput(const auth::Principal& who, std::string_view name,
                                                 std::unique_ptr<ByteSource> input,
                                                 const IngestOptions& options) {
  if (!who.IsStaff()) return PermissionDenied("only analysts may ingest feeds");
  Run run(store_, *constituency_, options);
  const feeds::ParseContext context{run.observation_time()};
  run.BeginFile(FileLabel(name));
  if (const Status parsed =
          feeds::ParseFeed(name, feeds::MaybeGunzip(std::move(input)), options.feed, context, run);
      !parsed) {
    run.AddError(std::move(parsed.error()));
  }
  return Finish(run, who, FileLabel(name), options);
}

Result<IngestSummary> IngestService::Finish(Run& run, const auth::Principal& who,
                                            const std::string& object,
                                            const IngestOptions& options) {
  BAKEN_RETURN_IF_ERROR(run.Finish());
  IngestSummary summary = std::move(run.summary());
  if (!options.dry_run) {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
    BAKEN_RETURN_IF_ERROR(RecordAudit(*tx, who, "feed.ingest", object, SummaryToJson(summary)));
    BAKEN_RETURN_IF_ERROR(tx->Commit());
  }
  return summary;
}

}  // namespace baken::service
