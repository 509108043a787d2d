// ReportService::TakeInMail: a researcher's e-mail becomes a report (decision 0021).

#include <utility>

#include <fmt/format.h>

#include "common/hash.h"
#include "common/json_text.h"
#include "common/time.h"
#include "disclosure/mail_report.h"
#include "disclosure/report_service.h"
#include "mail/message.h"

namespace baken::disclosure {

Result<ReportService::MailReceipt> ReportService::TakeInMail(
    std::string_view raw, const mail::OpenPgp* openpgp, const routing::Constituency& snapshot) {
  const std::string sha256 = Sha256Hex(raw);
  {
    BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kRead));
    BAKEN_ASSIGN_OR_RETURN(const auto known, tx->Disclosure().ReportOfMail(sha256));
    if (known) {
      BAKEN_ASSIGN_OR_RETURN(const auto report, tx->Disclosure().FindReport(*known));
      MailReceipt receipt;
      receipt.duplicate = true;
      receipt.receipt.id = *known;
      if (report) receipt.receipt.reference = ReferenceOf(*report);
      return receipt;
    }
  }
  BAKEN_ASSIGN_OR_RETURN(mail::MailMessage message, mail::ReadMessage(raw, openpgp));
  BAKEN_ASSIGN_OR_RETURN(MailReport report,
                         ReportFromMail(message, [&snapshot](std::string_view host) {
                           return snapshot.LookupDomain(host).has_value();
                         }));
  BAKEN_ASSIGN_OR_RETURN(Submission submission,
                         ReadSubmission(report.submission, Naming::kOptional));

  MailReceipt receipt;
  receipt.format = report.format;
  receipt.encrypted = message.encrypted;
  receipt.signature = message.signature.state;
  receipt.sender = message.from_address;
  BAKEN_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::Access::kWrite));
  // Taken in meanwhile by another run of the same MTA delivery.
  BAKEN_ASSIGN_OR_RETURN(const auto known, tx->Disclosure().ReportOfMail(sha256));
  if (known) {
    receipt.duplicate = true;
    receipt.receipt.id = *known;
    return receipt;
  }
  const std::string source_key = Sha256Hex("baken-report-mail:" + message.from_address);
  BAKEN_ASSIGN_OR_RETURN(receipt.receipt,
                         Receive(*tx, std::move(submission), "mail", source_key, "mail", snapshot));
  store::ReportMail archived;
  archived.report_id = receipt.receipt.id;
  // Cut where a character may be split: made whole again (U+FFFD).
  archived.message_id = RepairUtf8(message.message_id.substr(0, 998));
  archived.sender = RepairUtf8(message.from_address.substr(0, 254));
  archived.format = report.format;
  archived.encrypted = message.encrypted;
  archived.signature = message.signature.state;
  archived.signer = message.signature.signer;
  archived.size = static_cast<int64_t>(raw.size());
  archived.sha256 = sha256;
  archived.raw = std::string(raw);
  archived.received_at = Now();
  BAKEN_ASSIGN_OR_RETURN(archived.id, tx->Disclosure().AddMail(archived));
  BAKEN_RETURN_IF_ERROR(tx->Commit());
  return receipt;
}

}  // namespace baken::disclosure
