// text_chunk_mapper: splits each sample into chunks (one output sample per chunk, other fields
// copied), by a separator pattern (pieces and non-blank separators, as re.split with a capture
// group gives them), by length in code points (with overlap), or by both: cut at the last
// separator inside the first max_len characters, else hard-cut with overlap. DJ's tokenizer
// mode needs a model and is rejected at load time for now.
#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

// Byte offsets of each code point of s, plus s.size().
std::vector<size_t> CodePointOffsets(std::string_view s) {
  std::vector<size_t> off;
  off.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) off.push_back(i);
  off.push_back(s.size());
  return off;
}

class TextChunkMapper : public Mapper {
 public:
  TextChunkMapper(const Params& p, const OpEnv& env)
      : Mapper("text_chunk_mapper", p, env),
        max_len_(p.IsNull("max_len") ? 0 : static_cast<size_t>(p.Number("max_len"))),
        overlap_(static_cast<size_t>(p.Number("overlap_len"))) {
    if (!p.IsNull("split_pattern")) {
      split_ = CompileConstant(p.String("split_pattern"), Regex::kNone);  // validated at load
      split_group_ = CompileConstant("(" + p.String("split_pattern") + ")", Regex::kNone);
    }
  }

  bool expands() const override { return true; }

  Status Expand(Sample& s, std::vector<std::string>* out) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::vector<std::string> chunks;
    WINNOW_RETURN_IF_ERROR(Chunks(*t, &chunks));
    for (const std::string& c : chunks) {
      s.SetText(text_key_, c);
      out->emplace_back();
      s.Write(false, {}, &out->back());
    }
    return Status::Ok();
  }

 private:
  Status Chunks(std::string_view text, std::vector<std::string>* chunks) const {
    if (split_ && !max_len_) return SplitByPattern(text, chunks);
    std::vector<size_t> off = CodePointOffsets(text);
    size_t n = off.size() - 1;
    if (!split_) {  // by length
      if (n <= max_len_) {
        chunks->emplace_back(text);
        return Status::Ok();
      }
      for (size_t start = 0; start < n; start += max_len_ - overlap_)
        chunks->emplace_back(text.substr(off[start], off[std::min(n, start + max_len_)] - off[start]));
      return Status::Ok();
    }
    // Both (DJ's recursively_chunk, as a loop).
    std::string rest(text);
    for (int guard = 0;; ++guard) {
      if (guard > 1000) return Status::Error("text_chunk_mapper: no progress while chunking (recursion limit)");
      off = CodePointOffsets(rest);
      n = off.size() - 1;
      if (n <= max_len_) {
        chunks->push_back(rest);
        return Status::Ok();
      }
      std::string_view sub(rest.data(), off[max_len_]);
      size_t last_begin = std::string::npos, last_end = 0;
      WINNOW_RETURN_IF_ERROR(split_->ForEachMatch(sub, [&](const std::vector<std::string_view>& g) {
        last_begin = static_cast<size_t>(g[0].data() - sub.data());
        last_end = last_begin + g[0].size();
      }));
      std::string next;
      if (last_begin == std::string::npos) {
        chunks->emplace_back(sub);
        next = rest.substr(off[max_len_ - overlap_]);
      } else {
        chunks->emplace_back(sub.substr(0, last_begin));
        next = rest.substr(last_end);
      }
      rest.swap(next);
    }
  }

  // re.split('(' + pattern + ')', text), keeping pieces that are not blank.
  Status SplitByPattern(std::string_view text, std::vector<std::string>* chunks) const {
    std::vector<std::string_view> pieces;
    size_t pos = 0;
    bool unmatched_group = false;
    WINNOW_RETURN_IF_ERROR(split_group_->ForEachMatch(text, [&](const std::vector<std::string_view>& g) {
      size_t b = static_cast<size_t>(g[0].data() - text.data());
      pieces.push_back(text.substr(pos, b - pos));
      for (size_t i = 1; i < g.size(); ++i) {
        if (g[i].data() == nullptr) unmatched_group = true;  // Python yields None: .strip() fails
        pieces.push_back(g[i]);
      }
      pos = b + g[0].size();
    }));
    if (unmatched_group) return Status::Error("split_pattern has a group that did not take part in a match");
    pieces.push_back(text.substr(pos));
    for (std::string_view p : pieces)
      if (!unicode::PyStrip(p).empty()) chunks->emplace_back(p);
    return Status::Ok();
  }

  size_t max_len_, overlap_;
  std::shared_ptr<const Regex> split_, split_group_;
};

// A str param whose default is not None but that may be set to None.
ParamSpec NullableStringParam(std::string name, std::string def, std::string doc) {
  ParamSpec p = StringParam(std::move(name), std::move(def), std::move(doc));
  p.nullable = true;
  return p;
}

}  // namespace

void RegisterTextChunkMapper(Registry& r) {
  r.Add({"text_chunk_mapper", OpKind::kMapper,
         "Split each sample's text into chunks (one sample per chunk) by pattern and/or length.",
         {Optional(Range(IntParam("max_len", 0, "chunk length in code points"), 0, std::nullopt, true)),
          NullableStringParam("split_pattern", "\n\n", "separator regex (None: cut by length only)"),
          Range(IntParam("overlap_len", 0, "code points repeated between length-cut chunks"), 0, std::nullopt),
          Optional(StringParam("tokenizer", "", "count tokens of this model instead (not supported yet)")),
          BoolParam("trust_remote_code", false, "accepted for compatibility")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<TextChunkMapper>(p, e); },
         [](const Params& p) -> Status {
           if (!p.IsNull("tokenizer")) return Status::Error("tokenizer: token-based chunking needs a model, which Winnow does not load yet");
           if (p.IsNull("max_len") && p.IsNull("split_pattern"))
             return Status::Error("max_len and split_pattern cannot be both None");
           if (!p.IsNull("max_len") && p.Number("overlap_len") >= p.Number("max_len"))
             return Status::Error("overlap_len must be less than max_len");
           if (!p.IsNull("split_pattern")) {
             auto re = Regex::Compile("(" + p.String("split_pattern") + ")", Regex::kNone);
             if (!re.ok()) return re.status().WithContext("split_pattern");
           }
           return Status::Ok();
         }});
}

}  // namespace winnow
