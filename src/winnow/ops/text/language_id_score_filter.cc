// language_id_score_filter: fastText lid.176 predicts the language of the lower-cased text
// (newlines as spaces); keep samples in one of `lang` (any language when empty) whose top
// score is >= min_score. Stats: lang (label), lang_score (probability).
#include <cstring>

#include "winnow/core/json.h"
#include "winnow/core/unicode.h"
#include "winnow/models/language_id.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr const char* kLang = "lang";
constexpr const char* kScore = "lang_score";

std::vector<std::string> LangList(const json::Value& v) {
  std::vector<std::string> out;
  if (v.type() == json::Type::kString) {
    if (!v.as_string().empty()) out.push_back(v.as_string());
  } else if (v.type() == json::Type::kArray) {
    for (const auto& x : v.as_array()) out.push_back(x.as_string());
  }
  return out;
}

class LanguageIdScoreFilter : public Filter {
 public:
  LanguageIdScoreFilter(const Params& p, const OpEnv& env)
      : Filter("language_id_score_filter", p, env), langs_(LangList(p.Get("lang"))), min_(p.Number("min_score")) {
    auto m = LanguageIdModel::Get();
    WINNOW_CHECK(m.ok());  // loaded by the load-time check
    model_ = *m;
  }

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has(kLang) && s.stats().Has(kScore)) return Status::Ok();
    auto t = s.TextContext(text_key_);
    if (!t.ok()) return t.status();
    thread_local std::string line;
    unicode::PyLowerInto((*t)->text, &line);
    for (char* nl = line.data(); (nl = static_cast<char*>(std::memchr(nl, '\n', line.data() + line.size() - nl)));)
      *nl++ = ' ';
    LanguagePrediction pred = model_->PredictLine(line);
    std::string raw;
    json::AppendString(pred.lang, &raw);
    s.stats().SetRaw(kLang, std::move(raw));
    s.stats().SetDouble(kScore, pred.score);
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    const StatValue* score = s.stats().Find(kScore);
    if (!score) return false;
    if (!langs_.empty()) {
      std::string lang = LangOf(s);
      if (std::find(langs_.begin(), langs_.end(), lang) == langs_.end()) return false;
    }
    return KeepValue(score->AsDouble(), min_, kPyMaxSize * 2);
  }

  std::string DropReason(const Sample& s) const override {
    std::string lang = LangOf(s);
    if (!langs_.empty() && std::find(langs_.begin(), langs_.end(), lang) == langs_.end())
      return "lang=" + lang + " not in the wanted languages";
    return RangeReason(s, kScore, min_, kPyMaxSize);
  }

 private:
  static std::string LangOf(const Sample& s) {
    const StatValue* v = s.stats().Find(kLang);
    if (!v) return "";
    std::string raw;
    v->AppendJson(&raw);
    std::string out;
    if (json::StringValue(raw, &out)) return out;
    return raw;
  }

  std::vector<std::string> langs_;
  double min_;
  std::shared_ptr<const LanguageIdModel> model_;
};

Status Validate(const Params& p) {
  const json::Value& lang = p.Get("lang");
  bool ok = lang.is_null() || lang.type() == json::Type::kString;
  if (lang.type() == json::Type::kArray) {
    ok = true;
    for (const auto& x : lang.as_array()) ok = ok && x.type() == json::Type::kString;
  }
  if (!ok) return Status::Error("lang must be a language code, a list of codes, or empty");
  auto m = LanguageIdModel::Get();
  return m.ok() ? Status::Ok() : m.status();
}

}  // namespace

void RegisterLanguageIdScoreFilter(Registry& r) {
  r.Add({"language_id_score_filter", OpKind::kFilter,
         "Keep samples whose fastText (lid.176) language is in `lang` with score >= min_score.",
         {Nullable(ParamSpec{"lang", ParamType::kAny, json::Value::String(""),
                             "language code or list of codes to keep; empty or null = any language"}),
          FloatParam("min_score", 0.8, "minimum language-ID probability")},
         {kLang, kScore},
         [](const Params& p, const OpEnv& e) { return std::make_unique<LanguageIdScoreFilter>(p, e); },
         Validate});
}

}  // namespace winnow
