#include "winnow/analysis/provenance.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <vector>

#include "winnow/analysis/stat_capture.h"
#include "winnow/core/json.h"
#include "winnow/io/byte_stream.h"

namespace winnow::analysis {
namespace {

// The reason without its per-sample value, so drops group: "text_len=3 outside [10, inf]" ->
// "text_len outside [10, inf]", "duplicate of a.jsonl:7" -> "duplicate of an earlier sample".
std::string ReasonClass(const std::string& reason) {
  if (reason.rfind("duplicate of ", 0) == 0) return "duplicate of an earlier sample";
  std::string out;
  for (size_t i = 0; i < reason.size(); ++i) {
    if (reason[i] == '=') {
      size_t j = i + 1;
      while (j < reason.size() && reason[j] != ' ' && reason[j] != ',') ++j;
      i = j - 1;
      continue;
    }
    out.push_back(reason[i]);
  }
  return out;
}

// Calls f(line, line_no) for every line of the file.
Status ForEachLine(const std::string& path, const std::function<Status(std::string_view, size_t)>& f) {
  auto r = ByteReader::Open(path);
  if (!r.ok()) return r.status();
  std::string buf, chunk(1 << 16, '\0');
  size_t line_no = 0;
  for (;;) {
    auto n = (*r)->Read(chunk.data(), chunk.size());
    if (!n.ok()) return n.status();
    buf.append(chunk.data(), *n);
    size_t start = 0, nl;
    while ((nl = buf.find('\n', start)) != std::string::npos) {
      WINNOW_RETURN_IF_ERROR(f(std::string_view(buf).substr(start, nl - start), ++line_no));
      start = nl + 1;
    }
    buf.erase(0, start);
    if (*n == 0) break;
  }
  if (!buf.empty()) WINNOW_RETURN_IF_ERROR(f(buf, ++line_no));
  return Status::Ok();
}

}  // namespace

Result<std::string> ExplainDropped(const std::string& path, const DroppedQuery& q) {
  const bool summary = q.op.empty() && q.source.empty() && q.grep.empty();
  struct OpSummary {
    uint64_t n = 0;
    std::map<std::string, uint64_t> reasons;
  };
  std::vector<std::pair<std::string, OpSummary>> ops;  // in order of first appearance
  std::string out;
  uint64_t total = 0, matched = 0;
  std::vector<json::Member> members;
  Status st = ForEachLine(path, [&](std::string_view line, size_t line_no) -> Status {
    if (line.empty()) return Status::Ok();
    members.clear();
    Status parsed = json::ParseObject(line, &members);
    if (!parsed.ok()) return Status::Error(path + ":" + std::to_string(line_no) + ": " + parsed.message());
    auto field = [&](std::string_view key) {
      std::string v;
      const json::Member* m = json::FindMember(members, key);
      if (m) json::StringValue(m->value, &v);
      return v;
    };
    std::string op = field("op"), source = field("source"), reason = field("reason");
    if (op.empty() || source.empty())
      return Status::Error(path + ":" + std::to_string(line_no) +
                           ": not a dropped-samples entry (needs \"source\" and \"op\")");
    ++total;
    if (summary) {
      auto it = std::find_if(ops.begin(), ops.end(), [&](const auto& p) { return p.first == op; });
      if (it == ops.end()) it = ops.insert(ops.end(), {op, OpSummary{}});
      ++it->second.n;
      ++it->second.reasons[ReasonClass(reason)];
      return Status::Ok();
    }
    if (!q.op.empty() && op != q.op) return Status::Ok();
    if (!q.source.empty() && source.rfind(q.source, 0) != 0) return Status::Ok();
    const json::Member* sample = json::FindMember(members, "sample");
    std::string_view sample_raw = sample ? sample->value : std::string_view();
    if (!q.grep.empty() && sample_raw.find(q.grep) == std::string_view::npos) return Status::Ok();
    ++matched;
    if (q.limit && matched > q.limit) return Status::Ok();
    out += source + "\n  dropped by " + op + ": " + reason + "\n";
    std::vector<json::Member> fields;  // (ParseObject appends)
    if (!sample_raw.empty() && json::ParseObject(sample_raw, &fields).ok()) {
      if (const json::Member* t = json::FindMember(fields, "text")) {
        std::string text;
        if (json::StringValue(t->value, &text)) {
          std::replace(text.begin(), text.end(), '\n', ' ');
          out += "  text: " + TruncateText(text, 160) + "\n";
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (summary) {
    std::string s = std::to_string(total) + " dropped samples in " + path + "\n";
    for (auto& [op, sum] : ops) {
      s += "  " + op + ": " + std::to_string(sum.n) + "\n";
      std::vector<std::pair<std::string, uint64_t>> rs(sum.reasons.begin(), sum.reasons.end());
      std::stable_sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      for (size_t i = 0; i < rs.size() && i < 5; ++i)
        s += "      " + std::to_string(rs[i].second) + "  " + rs[i].first + "\n";
      if (rs.size() > 5) s += "      ... " + std::to_string(rs.size() - 5) + " more reasons\n";
    }
    return s;
  }
  if (matched == 0) return std::string("no dropped sample matches\n");
  if (q.limit && matched > q.limit)
    out += "(" + std::to_string(matched - q.limit) + " more; --limit 0 shows all)\n";
  return out;
}

}  // namespace winnow::analysis
