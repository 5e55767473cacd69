// extract_tables_from_html_mapper: tags each sample with the tables of its HTML text, in
// __dj__meta__.<tables_field_name>: the tables' HTML (retain_html_tags) or their cell texts as
// [[row cells], ...] per table, optionally without header rows. Text is not changed. Parsed
// like DJ's BeautifulSoup(text, "html.parser") (see soup_html.h), not as HTML5.
#include "winnow/core/json.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/soup_html.h"

namespace winnow {
namespace {

constexpr const char* kMeta = "__dj__meta__";
constexpr size_t kMaxDepth = 4000;

class ExtractTablesFromHtmlMapper : public Mapper {
 public:
  ExtractTablesFromHtmlMapper(const Params& p, const OpEnv& env)
      : Mapper("extract_tables_from_html_mapper", p, env),
        field_(p.String("tables_field_name")),
        retain_tags_(p.Bool("retain_html_tags")),
        include_header_(p.Bool("include_header")) {}

  Status Map(Sample& s) const override {
    std::vector<std::pair<std::string, json::Value>> meta;
    std::string raw;
    if (s.FieldRaw(kMeta, &raw)) {
      auto v = json::Parse(raw);
      if (!v.ok() || v->type() != json::Type::kObject)
        return Status::Error(std::string(kMeta) + " is not an object");
      if (v->Find(field_)) return Status::Ok();  // extracted already
      meta = v->as_object();
    }
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    soup::Document doc(*t);
    // Serialisation recurses; bs4 itself fails on very deep trees (RecursionError).
    if (doc.max_depth() > kMaxDepth)
      return Status::Error("HTML nests elements deeper than " + std::to_string(kMaxDepth) + " levels");
    std::vector<json::Value> tables;
    for (int table : doc.FindAll(doc.root(), "table")) {
      if (retain_tags_) {
        tables.push_back(json::Value::String(doc.Serialize(table)));
        continue;
      }
      std::vector<json::Value> rows;
      for (int tr : doc.FindAll(table, "tr")) {
        if (!include_header_ && !doc.Children(tr, {"th"}).empty()) continue;
        std::vector<json::Value> cells;
        for (int cell : doc.Children(tr, {"td", "th"})) cells.push_back(json::Value::String(doc.StrippedText(cell)));
        if (!cells.empty()) rows.push_back(json::Value::Array(std::move(cells)));
      }
      if (!rows.empty()) tables.push_back(json::Value::Array(std::move(rows)));
    }
    meta.emplace_back(field_, json::Value::Array(std::move(tables)));
    s.SetFieldRaw(kMeta, json::Value::Object(std::move(meta)).ToJson());
    return Status::Ok();
  }

 private:
  std::string field_;
  bool retain_tags_, include_header_;
};

}  // namespace

void RegisterExtractTablesFromHtmlMapper(Registry& r) {
  r.Add({"extract_tables_from_html_mapper", OpKind::kMapper,
         "Extract the HTML tables of the text into __dj__meta__.<tables_field_name> (cell texts or raw HTML).",
         {StringParam("tables_field_name", "html_tables", "meta field that receives the tables"),
          BoolParam("retain_html_tags", false, "store each table's HTML instead of its cell texts"),
          BoolParam("include_header", true, "keep rows that have a <th> cell (cell-text mode only)")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ExtractTablesFromHtmlMapper>(p, e); }});
}

}  // namespace winnow
