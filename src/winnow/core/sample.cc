#include "winnow/core/sample.h"

#include <cstring>

namespace winnow {

double StatValue::AsDouble() const {
  switch (kind) {
    case kInt: return static_cast<double>(i);
    case kDouble: return d;
    default: {
      double v = 0;
      if (json::ParseNumber(raw, &v)) return v;
      if (raw == "true") return 1;
      return 0;
    }
  }
}

void StatValue::AppendJson(std::string* out) const {
  switch (kind) {
    case kInt: out->append(std::to_string(i)); break;
    case kDouble: json::AppendDouble(d, out); break;
    default: out->append(raw); break;
  }
}

const StatValue* Stats::Find(std::string_view key) const {
  for (const auto& [k, v] : entries_) if (k == key) return &v;
  return nullptr;
}

StatValue& Stats::Slot(std::string_view key) {
  for (auto& [k, v] : entries_) if (k == key) return v;
  entries_.emplace_back(std::string(key), StatValue{});
  return entries_.back().second;
}

void Stats::SetInt(std::string_view key, int64_t v) {
  StatValue& s = Slot(key);
  s.kind = StatValue::kInt;
  s.i = v;
}
void Stats::SetDouble(std::string_view key, double v) {
  StatValue& s = Slot(key);
  s.kind = StatValue::kDouble;
  s.d = v;
}
void Stats::SetRaw(std::string_view key, std::string raw) {
  StatValue& s = Slot(key);
  s.kind = StatValue::kRaw;
  s.raw = std::move(raw);
}

void Stats::LoadRaw(std::string_view raw_object) {
  if (json::TypeOf(raw_object) != json::Type::kObject) return;
  std::vector<json::Member> ms;
  json::SplitObject(raw_object, &ms);
  for (const auto& m : ms) {
    std::string key;
    if (!json::MemberKey(m, &key)) continue;
    SetRaw(key, std::string(m.value));
  }
}

void Stats::AppendJson(std::string* out) const {
  out->push_back('{');
  bool first = true;
  for (const auto& [k, v] : entries_) {
    if (!first) out->append(", ");
    first = false;
    json::AppendString(k, out);
    out->append(": ");
    v.AppendJson(out);
  }
  out->push_back('}');
}

namespace {
// A worker reuses one Sample for every record. Without a cap each buffer would keep the capacity
// of the largest document the worker ever saw; with too low a cap, every large document
// allocates (and page-faults) its buffers afresh.
template <typename T>
void ReleaseIfLarge(T& v, size_t max_elements) {
  if (v.capacity() > max_elements) T().swap(v);
  else v.clear();
}
}  // namespace

void TextCache::Reset() {
  // About 12 MB per worker at most: documents up to ~1 MB reuse every buffer.
  ReleaseIfLarge(owned, 2 << 20);
  ReleaseIfLarge(lines, 64 << 10);
  text = {};
  valid = changed = false;
  has_lines = false;
  pieces_model = nullptr;
  ReleaseIfLarge(pieces.bytes, 4 << 20);    // the normalized text: up to 3 bytes per input byte
  ReleaseIfLarge(pieces.pieces, 256 << 10);  // 4 MB of views
  ReleaseIfLarge(pieces.ids, 256 << 10);
}

Status Sample::Init(std::string_view raw, RowId row, std::string_view spilled_stats) {
  raw_ = raw;
  row_ = row;
  ReleaseIfLarge(members_, 1024);
  stats_.clear();
  raw_has_stats_member_ = false;
  raw_stats_opaque_ = false;
  for (auto& t : texts_) { t->Reset(); t->key.clear(); }
  field_overlays_.clear();
  if (attachment_) attachment_->Clear();
  WINNOW_RETURN_IF_ERROR(json::ParseObject(raw, &members_));
  const json::Member* sm = json::FindMember(members_, kStatsField);
  raw_has_stats_member_ = sm != nullptr;
  raw_stats_opaque_ = sm && json::TypeOf(sm->value) != json::Type::kObject;
  if (!spilled_stats.empty()) {
    stats_.LoadRaw(spilled_stats);
  } else if (sm) {
    stats_.LoadRaw(sm->value);
  }
  return Status::Ok();
}

Result<TextCache*> Sample::TextContext(std::string_view key) {
  TextCache* free_slot = nullptr;
  for (auto& t : texts_) {
    if (t->valid && t->key == key) return t.get();
    if (!t->valid && !free_slot) free_slot = t.get();
  }
  if (!free_slot) {
    texts_.push_back(std::make_unique<TextCache>());
    free_slot = texts_.back().get();
  }
  TextCache* t = free_slot;
  t->Reset();
  t->key.assign(key);
  const json::Member* m = json::FindMember(members_, key);
  if (!m) return Status::Error("field '" + std::string(key) + "' is missing");
  json::Type type = json::TypeOf(m->value);
  if (type != json::Type::kString)
    return Status::Error("field '" + std::string(key) + "' is " + json::TypeName(type) +
                         ", expected a string");
  if (json::IsPlainString(m->value)) {
    t->text = m->value.substr(1, m->value.size() - 2);
  } else {
    Status st = json::DecodeString(m->value, &t->owned);
    if (!st.ok()) return st.WithContext("field '" + std::string(key) + "'");
    t->text = t->owned;
  }
  t->valid = true;
  return t;
}

Result<std::string_view> Sample::Text(std::string_view key) {
  auto t = TextContext(key);
  if (!t.ok()) return t.status();
  return (*t)->text;
}

void Sample::SetText(std::string_view key, std::string value) {
  auto r = TextContext(key);
  WINNOW_CHECK(r.ok());  // mappers read the field before writing it
  TextCache* t = *r;
  if (value == t->text) return;
  std::string key_copy = t->key;
  t->Reset();
  t->key = std::move(key_copy);
  t->owned = std::move(value);
  t->text = t->owned;
  t->valid = true;
  t->changed = true;
}

bool Sample::changed() const {
  if (!field_overlays_.empty()) return true;
  for (const auto& t : texts_) if (t->valid && t->changed) return true;
  return false;
}

void Sample::SetFieldRaw(std::string_view key, std::string raw_json) {
  for (auto& [k, v] : field_overlays_)
    if (k == key) { v = std::move(raw_json); return; }
  field_overlays_.emplace_back(std::string(key), std::move(raw_json));
}

bool Sample::FieldRaw(std::string_view dotted, std::string* raw_out) const {
  size_t dot = dotted.find('.');
  std::string_view first = dotted.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  if (first == kStatsField && !rest.empty()) {
    // Stats keys may themselves contain dots (specified_field_filter uses the dotted key).
    if (const StatValue* v = stats_.Find(rest)) {
      raw_out->clear();
      v->AppendJson(raw_out);
      return true;
    }
  }
  if (first == kStatsField && rest.empty()) {
    raw_out->clear();
    stats_.AppendJson(raw_out);
    return true;
  }
  for (const auto& t : texts_) {
    if (t->valid && t->changed && t->key == first && rest.empty()) {
      raw_out->clear();
      json::AppendString(t->text, raw_out);
      return true;
    }
  }
  std::string_view cur;
  const std::string* overlay = nullptr;
  for (const auto& [k, v] : field_overlays_) if (k == first) overlay = &v;
  if (overlay) {
    cur = *overlay;
  } else {
    const json::Member* m = json::FindMember(members_, first);
    if (!m) return false;
    cur = m->value;
  }
  std::vector<json::Member> ms;
  while (!rest.empty()) {
    if (json::TypeOf(cur) != json::Type::kObject) return false;
    size_t d = rest.find('.');
    std::string_view k = rest.substr(0, d);
    rest = d == std::string_view::npos ? std::string_view() : rest.substr(d + 1);
    ms.clear();
    json::SplitObject(cur, &ms);
    const json::Member* mm = json::FindMember(ms, k);
    if (!mm) return false;
    cur = mm->value;
  }
  raw_out->assign(cur);
  return true;
}

void Sample::Write(bool with_stats, const std::vector<std::pair<std::string, std::string>>& extra,
                   std::string* out) const {
  bool touch_stats = with_stats ? true : raw_has_stats_member_;
  if (!changed() && !touch_stats && extra.empty()) {
    out->append(raw_);
    return;
  }
  // Rebuild: copy raw bytes, replacing changed values, dropping/replacing __dj__stats__, then
  // appending new members before the closing brace. Separators follow the record's own style.
  std::string_view kv_sep = ": ", item_sep = ", ";
  if (!members_.empty()) {
    const json::Member& m0 = members_[0];
    const char* key_end = m0.begin + m0.key.size() + 2;
    kv_sep = std::string_view(key_end, m0.value.data() - key_end);
    if (members_.size() > 1) {
      const char* v_end = m0.value.data() + m0.value.size();
      item_sep = std::string_view(v_end, members_[1].begin - v_end);
    }
  }
  const char* cursor = raw_.data();
  const char* raw_end = raw_.data() + raw_.size();
  bool stats_written = false;
  std::vector<bool> overlay_used(field_overlays_.size(), false);
  size_t emitted = 0;
  const char* last_value_end = nullptr;
  for (size_t i = 0; i < members_.size(); ++i) {
    const json::Member& m = members_[i];
    const char* m_end = m.value.data() + m.value.size();
    bool is_stats = !m.key_escaped && m.key == kStatsField;
    // A grouped sample's list of member stats passes through unless an op added stats.
    if (is_stats && with_stats && raw_stats_opaque_ && stats_.empty()) {
      last_value_end = m_end;
      ++emitted;
      stats_written = true;
      continue;
    }
    if (is_stats && !with_stats) {
      // Drop this member: emit up to its start minus the separator handling below.
      if (emitted == 0) {
        // First emitted member: skip it and the following separator.
        out->append(cursor, m.begin);
        cursor = (i + 1 < members_.size()) ? members_[i + 1].begin : m_end;
      } else {
        // Keep everything up to the last kept value; the cursor may already be past it when
        // consecutive members are dropped (a record with duplicate __dj__stats__ keys).
        if (cursor < last_value_end) out->append(cursor, last_value_end);
        cursor = m_end;
      }
      continue;
    }
    const TextCache* changed_text = nullptr;
    for (const auto& t : texts_)
      if (t->valid && t->changed && !m.key_escaped && t->key == m.key) changed_text = t.get();
    const std::string* overlay = nullptr;
    if (!is_stats && !changed_text && !m.key_escaped)
      for (size_t k = 0; k < field_overlays_.size(); ++k)
        if (field_overlays_[k].first == m.key) { overlay = &field_overlays_[k].second; overlay_used[k] = true; }
    if (is_stats || changed_text || overlay) {
      out->append(cursor, m.value.data());
      if (is_stats) {
        stats_.AppendJson(out);
        stats_written = true;
      } else if (overlay) {
        out->append(*overlay);
      } else {
        json::AppendString(changed_text->text, out);
      }
      cursor = m_end;
    }
    last_value_end = m_end;
    ++emitted;
  }
  // New members go right after the last kept value (or after '{' for an empty object).
  const char* close = raw_end;
  while (close > raw_.data() && *(close - 1) != '}') --close;
  --close;  // the closing '}'
  const char* insert_at = last_value_end ? last_value_end : close;
  if (cursor < insert_at) {
    out->append(cursor, insert_at);
    cursor = insert_at;
  }
  auto begin_member = [&](std::string_view key) {
    if (emitted > 0) out->append(item_sep);
    json::AppendString(key, out);
    out->append(kv_sep);
    ++emitted;
  };
  if (with_stats && !stats_written) {
    begin_member(kStatsField);
    stats_.AppendJson(out);
  }
  for (size_t k = 0; k < field_overlays_.size(); ++k) {
    if (overlay_used[k]) continue;
    begin_member(field_overlays_[k].first);
    out->append(field_overlays_[k].second);
  }
  for (const auto& [k, v] : extra) {
    begin_member(k);
    out->append(v);
  }
  out->append(cursor, raw_end);
}

std::string DescribeRow(const std::vector<std::string>& files, RowId row) {
  std::string s = row.file < files.size() ? files[row.file] : std::string("<input>");
  s += ":" + std::to_string(row.line);
  return s;
}

}  // namespace winnow
