#ifndef BAKEN_FEEDS_TEST_SINK_H_
#define BAKEN_FEEDS_TEST_SINK_H_

// For tests: a ParseSink that keeps what it is given.

#include <string>
#include <utility>
#include <vector>

#include "feeds/parse_sink.h"

namespace baken::feeds {

struct CollectingSink : ParseSink {
  struct Reject {
    size_t line;
    std::string reason;
  };
  void OnEvent(Event& event, size_t line) override {
    events.push_back(ToIntelMqJson(event));
    lines.push_back(line);
    last = event;
    all.push_back(event);
  }
  void OnReject(size_t line, std::string reason) override {
    rejects.push_back({line, std::move(reason)});
  }
  void OnNote(std::string note) override { notes.push_back(std::move(note)); }
  std::vector<std::string> events;
  std::vector<size_t> lines;
  std::vector<Reject> rejects;
  std::vector<std::string> notes;
  std::vector<Event> all;
  Event last;
};

}  // namespace baken::feeds

#endif  // BAKEN_FEEDS_TEST_SINK_H_
