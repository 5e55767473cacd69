// remove_table_text_mapper: removes runs of 2+ lines that look like table rows with i+1
// columns (whitespace/'|'-separated), for every i in [min_col - 1, max_col), as DJ does: one
// regex pass per column count, in order. Most passes cannot match a given text, and a cheap
// line scan proves it, so their regex is skipped (same output: a skipped pass would change
// nothing).
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

// Per line after a '\n' and followed by one: spaces+tabs (each must separate two cells) and
// spaces+tabs+'|' (the most separators the row can have). A row of i+1 columns needs
// w <= i <= sep; a pass needs two such rows in a row (blank lines between them allowed).
struct LineShape { uint32_t w, sep; };

bool PassMayMatch(const std::vector<LineShape>& lines, uint32_t i) {
  bool prev = false;
  for (const auto& l : lines) {
    if (l.sep == UINT32_MAX) continue;  // blank line: rows may be separated by them (\n+)
    bool row = l.w <= i && i <= l.sep;
    if (row && prev) return true;
    prev = row;
  }
  return false;
}

void Shapes(std::string_view text, std::vector<LineShape>* out) {
  out->clear();
  size_t start = text.find('\n');
  while (start != std::string_view::npos) {
    size_t end = text.find('\n', start + 1);
    if (end == std::string_view::npos) break;  // the last line has no '\n' after it
    std::string_view line = text.substr(start + 1, end - start - 1);
    LineShape s{0, 0};
    if (line.empty()) s.sep = UINT32_MAX;
    for (char c : line) {
      s.w += (c == ' ' || c == '\t');
      s.sep += (c == ' ' || c == '\t' || c == '|');
    }
    out->push_back(s);
    start = end;
  }
}

class RemoveTableTextMapper : public Mapper {
 public:
  RemoveTableTextMapper(const Params& p, const OpEnv& env) : Mapper("remove_table_text_mapper", p, env) {
    for (int i = static_cast<int>(p.Number("min_col")) - 1; i < static_cast<int>(p.Number("max_col")); ++i)
      passes_.emplace_back(static_cast<uint32_t>(i),
                           CompileConstant(R"((?<=\n)((\S+?)([ |\t](\S+?)){)" + std::to_string(i) + R"(}\n+){2,})",
                                           Regex::kNone));
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string text(*t), tmp;
    std::vector<LineShape> shapes;
    Shapes(text, &shapes);
    bool changed = false;
    for (const auto& [i, re] : passes_) {
      if (!PassMayMatch(shapes, i)) continue;
      bool replaced = false;
      WINNOW_RETURN_IF_ERROR(re->Sub(text, "", &tmp, &replaced));
      if (replaced) {
        text.swap(tmp);
        Shapes(text, &shapes);
        changed = true;
      }
    }
    if (changed) s.SetText(text_key_, std::move(text));
    return Status::Ok();
  }

 private:
  std::vector<std::pair<uint32_t, std::shared_ptr<const Regex>>> passes_;
};

}  // namespace

void RegisterRemoveTableTextMapper(Registry& r) {
  r.Add({"remove_table_text_mapper", OpKind::kMapper, "Remove table-like text (rows of min_col..max_col columns).",
         {Range(IntParam("min_col", 2, "fewest columns of a table"), 2, 20),
          Range(IntParam("max_col", 20, "most columns of a table"), 2, 20)},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveTableTextMapper>(p, e); }});
}

}  // namespace winnow
