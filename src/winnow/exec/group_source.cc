#include "winnow/exec/group_source.h"

#include <algorithm>

#include "winnow/core/json.h"

namespace winnow {

Result<std::unique_ptr<GroupSource>> GroupSource::Open(const SpillFile& spill,
                                                       std::vector<std::vector<uint32_t>> groups, BatchLimits limits) {
  std::vector<uint32_t> order;
  auto g = std::unique_ptr<GroupSource>(new GroupSource());
  for (auto& members : groups) {
    g->sizes_.push_back(members.size());
    order.insert(order.end(), members.begin(), members.end());
  }
  auto inner = SpillSource::Open(spill, std::move(order), limits);
  if (!inner.ok()) return inner.status();
  g->inner_ = std::move(*inner);
  g->limits_ = limits;
  return g;
}

Result<bool> GroupSource::NextMember(std::string* json, std::string* stats, RowId* row) {
  while (cur_pos_ >= cur_.recs.size()) {
    auto more = inner_->Next(&cur_);
    if (!more.ok()) return more.status();
    if (!*more) return false;
    cur_pos_ = 0;
  }
  const RecordRef& r = cur_.recs[cur_pos_++];
  json->assign(cur_.data() + r.off, r.len);
  stats->assign(cur_.data() + r.stats_off, r.stats_len);
  *row = r.row;
  return true;
}

Result<bool> GroupSource::Next(RawBatch* batch) {
  batch->Clear();
  if (group_ >= sizes_.size()) return false;
  batch->seq = seq_++;
  std::string json, stats;
  std::vector<json::Member> members;
  while (group_ < sizes_.size() && batch->recs.size() < limits_.max_rows && batch->buf.size() < limits_.max_bytes) {
    size_t n = sizes_[group_++];
    // field -> values, in order of first appearance
    std::vector<std::pair<std::string, std::vector<std::string>>> fields;
    std::vector<std::string> member_stats;
    bool any_stats = false;
    RowId first_row{};
    for (size_t i = 0; i < n; ++i) {
      RowId row;
      auto got = NextMember(&json, &stats, &row);
      if (!got.ok()) return got.status();
      if (!*got) return Status::Error("grouper: the spill file ended inside a group");
      if (i == 0) first_row = row;
      members.clear();
      WINNOW_RETURN_IF_ERROR(json::ParseObject(json, &members));
      std::string own_stats;
      for (const auto& m : members) {
        std::string key;
        if (!json::MemberKey(m, &key)) continue;
        if (key == "__dj__stats__") { own_stats.assign(m.value); continue; }
        auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key; });
        if (it == fields.end()) {
          fields.emplace_back(key, std::vector<std::string>(i, "null"));
          it = fields.end() - 1;
        }
        it->second.resize(i, "null");
        it->second.emplace_back(m.value);
      }
      std::string s = !stats.empty() ? stats : own_stats;
      any_stats = any_stats || (!s.empty() && s != "{}");
      member_stats.push_back(s.empty() ? "{}" : s);
    }
    std::string rec = "{";
    for (auto& [key, values] : fields) {
      values.resize(n, "null");
      if (rec.size() > 1) rec += ", ";
      json::AppendString(key, &rec);
      rec += ": [";
      for (size_t i = 0; i < n; ++i) rec += (i ? ", " : "") + values[i];
      rec += "]";
    }
    if (any_stats) {
      rec += rec.size() > 1 ? ", " : "";
      rec += "\"__dj__stats__\": [";
      for (size_t i = 0; i < n; ++i) rec += (i ? ", " : "") + member_stats[i];
      rec += "]";
    }
    rec += "}";
    if (rec.size() > limits_.max_record_bytes)
      return Status::Error("grouper: a group's batched record is " + std::to_string(rec.size()) +
                           " bytes, over max_record_bytes");
    RecordRef r;
    r.off = static_cast<uint32_t>(batch->buf.size());
    r.len = static_cast<uint32_t>(rec.size());
    r.stats_off = r.off + r.len;
    r.stats_len = 0;
    r.row = first_row;
    batch->buf += rec;
    batch->recs.push_back(r);
    batch->input_bytes += rec.size();
  }
  return true;
}

}  // namespace winnow
