#ifndef BAKEN_FEEDS_PARSE_SINK_H_
#define BAKEN_FEEDS_PARSE_SINK_H_

// Where a feed parser delivers its work, row by row, so that nothing is collected in memory.

#include <cstddef>
#include <string>
#include <utility>

#include "common/error.h"
#include "feeds/event.h"

namespace baken::feeds {

class ParseSink {
 public:
  virtual ~ParseSink() = default;
  // An event parsed from the record starting at `line`. The sink may change the event; it is
  // cleared and reused for the next row once this returns.
  virtual void OnEvent(Event& event, size_t line) = 0;
  // A row that was refused, with the reason (one sentence, values quoted).
  virtual void OnReject(size_t line, std::string reason) = 0;
  // The same for a refusal that may be coded (common/problem.h): a sink that shows it to people
  // keeps its code and values; by default only its sentence is kept.
  virtual void OnRejectError(size_t line, Error error) { OnReject(line, std::move(error.message)); }
  // Something about the whole input that a person should know although nothing was refused,
  // e.g. that rows were read leniently or the report type was recognised from the header
  // (one sentence). At most a few per input.
  virtual void OnNote(std::string /*note*/) {}
  // The same for a note that may be coded (common/problem.h); by default only its sentence.
  virtual void OnNoteError(Error note) { OnNote(std::move(note.message)); }
};

// What every parser stamps on each event.
struct ParseContext {
  std::string observation_time;  // time.observation, IntelMQ form
};

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_PARSE_SINK_H_
