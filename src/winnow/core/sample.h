// Sample: one JSON record, kept as its original bytes plus overlays (ARCHITECTURE.md, "keep the
// bytes you did not touch"). Mappers write new field values into the overlay; filters write stats
// into a separate overlay that becomes `__dj__stats__`. A per-sample cache holds intermediate
// results (lines, words, refined words) shared by every op that asks: Data-Juicer's op fusion.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/json.h"
#include "winnow/core/piece_list.h"
#include "winnow/core/status.h"

namespace winnow {

inline constexpr std::string_view kStatsField = "__dj__stats__";
inline constexpr std::string_view kMetaField = "__dj__meta__";
inline constexpr std::string_view kHashField = "__dj__hash";

// Where a record came from: stable global identity for provenance and deterministic tie-breaks.
struct RowId {
  uint32_t file = 0;   // index into the run's input file list
  uint64_t line = 0;   // 1-based line number in that file
};

// One stats entry: a number computed by an op, or a raw JSON value (copied field values, or
// stats that arrived with the input).
struct StatValue {
  enum Kind : uint8_t { kInt, kDouble, kRaw } kind = kInt;
  int64_t i = 0;
  double d = 0;
  std::string raw;
  double AsDouble() const;
  void AppendJson(std::string* out) const;
};

class Stats {
 public:
  const StatValue* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  void SetInt(std::string_view key, int64_t v);
  void SetDouble(std::string_view key, double v);
  void SetRaw(std::string_view key, std::string raw);
  // Loads entries from a raw JSON object (input that already carries `__dj__stats__`).
  void LoadRaw(std::string_view raw_object);
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }
  void AppendJson(std::string* out) const;  // {"k": v, ...}
  const std::vector<std::pair<std::string, StatValue>>& entries() const { return entries_; }

 private:
  StatValue& Slot(std::string_view key);
  std::vector<std::pair<std::string, StatValue>> entries_;
};

// One text field's current value and its lazily computed lines, shared by all ops (DJ's
// context variables). Word-based ops stream the words instead (ForEachWord): caching word lists
// cost more than splitting again.
struct TextCache {
  std::string key;
  std::string owned;            // decoded (unescaped) or mapper-produced text
  std::string_view text;        // the current text (into the raw record or `owned`)
  bool valid = false;
  bool changed = false;         // a mapper replaced it: write it back on output
  bool has_lines = false;
  std::vector<std::string_view> lines;  // str.splitlines()
  // SentencePiece pieces of the text, shared by the ops that tokenize with the same model.
  const void* pieces_model = nullptr;
  PieceList pieces;

  void Reset();
};

// Per-sample state owned by a higher layer (the media layer's decoded images, probes and audio),
// kept behind this interface so core does not depend on it. Cleared when the sample object is
// reused for the next record, so at most one sample's media per worker stays in memory.
class SampleAttachment {
 public:
  virtual ~SampleAttachment() = default;
  virtual void Clear() = 0;
};

class Sample {
 public:
  // Resets the sample to a new record; parses and validates it.
  Status Init(std::string_view raw, RowId row, std::string_view spilled_stats);

  std::string_view raw() const { return raw_; }
  RowId row() const { return row_; }
  const std::vector<json::Member>& members() const { return members_; }
  Stats& stats() { return stats_; }
  const Stats& stats() const { return stats_; }

  // The current value of a string field (after mappers). Errors name the field.
  Result<std::string_view> Text(std::string_view key);
  // Per-key cache of the text and its derived views; errors if the field is not a string.
  Result<TextCache*> TextContext(std::string_view key);
  // Replaces a string field's value (mappers). No-op bookkeeping if equal to the current value.
  void SetText(std::string_view key, std::string value);

  // Replaces (or adds) a top-level field with a raw JSON value (ops writing non-text fields,
  // e.g. __dj__meta__). Must not be used for __dj__stats__ or for a text a mapper changed.
  void SetFieldRaw(std::string_view key, std::string raw_json);

  // The raw JSON of a possibly dotted field path (`meta.score`, `__dj__stats__.text_len`),
  // looking at overlays first. Returns false if absent.
  bool FieldRaw(std::string_view dotted_key, std::string* raw_out) const;

  // The media layer's per-sample cache (see SampleAttachment); null until first used.
  SampleAttachment* attachment() const { return attachment_.get(); }
  void set_attachment(std::unique_ptr<SampleAttachment> a) { attachment_ = std::move(a); }

  bool changed() const;
  // Appends the sample as one JSON line (no newline). `with_stats` adds/replaces
  // `__dj__stats__`; otherwise an input `__dj__stats__` member is removed (as DJ's exporter
  // drops the column). `extra` members (e.g. `__dj__hash`) are appended.
  void Write(bool with_stats, const std::vector<std::pair<std::string, std::string>>& extra,
             std::string* out) const;

 private:
  std::string_view raw_;
  RowId row_;
  std::vector<json::Member> members_;
  Stats stats_;
  bool raw_has_stats_member_ = false;
  bool raw_stats_opaque_ = false;  // __dj__stats__ is not an object (a grouped sample's list)
  std::vector<std::unique_ptr<TextCache>> texts_;
  std::vector<std::pair<std::string, std::string>> field_overlays_;  // key -> raw JSON
  std::unique_ptr<SampleAttachment> attachment_;
};

// "file.jsonl:12" for messages.
std::string DescribeRow(const std::vector<std::string>& files, RowId row);

}  // namespace winnow
