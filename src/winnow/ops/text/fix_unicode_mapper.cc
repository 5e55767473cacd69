// fix_unicode_mapper: DJ's ftfy.fix_text(text, normalization=...) — undoes mojibake, decodes
// HTML entities, straightens quotes, fixes widths, ligatures, line breaks and control characters,
// then applies a Unicode normalization form. ftfy 6.3.1 is ported in ops/text/ftfy/.
#include "winnow/ops/registry.h"
#include "winnow/ops/text/ftfy/ftfy.h"

namespace winnow {
namespace {

// DJ: None or "" means NFC; anything else is upper-cased and must name one of the four forms.
std::string NormalizationName(const Params& p) {
  if (p.IsNull("normalization") || p.String("normalization").empty()) return "NFC";
  std::string s = p.String("normalization");
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

bool ParseNormalization(const std::string& name, ftfy::Normalization* n) {
  if (name == "NFC") *n = ftfy::Normalization::kNFC;
  else if (name == "NFKC") *n = ftfy::Normalization::kNFKC;
  else if (name == "NFD") *n = ftfy::Normalization::kNFD;
  else if (name == "NFKD") *n = ftfy::Normalization::kNFKD;
  else return false;
  return true;
}

class FixUnicodeMapper : public Mapper {
 public:
  FixUnicodeMapper(const Params& p, const OpEnv& env) : Mapper("fix_unicode_mapper", p, env) {
    WINNOW_CHECK(ParseNormalization(NormalizationName(p), &norm_));
  }
  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string out;
    if (ftfy::FixTextChanged(*t, norm_, &out)) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  ftfy::Normalization norm_ = ftfy::Normalization::kNFC;
};

Status Validate(const Params& p) {
  ftfy::Normalization n;
  if (ParseNormalization(NormalizationName(p), &n)) return Status::Ok();
  return Status::Error("normalization '" + p.String("normalization") +
                       "' is not supported: it must be one of NFC, NFKC, NFD, NFKD");
}

}  // namespace

void RegisterFixUnicodeMapper(Registry& r) {
  r.Add({"fix_unicode_mapper", OpKind::kMapper,
         "Fix unicode errors (mojibake, HTML entities, quotes, widths, control characters) with a port "
         "of ftfy.fix_text, then apply a Unicode normalization form.",
         {Optional(StringParam("normalization", "", "NFC, NFKC, NFD or NFKD (case-insensitive); None or '' = NFC"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<FixUnicodeMapper>(p, e); },
         Validate});
}

}  // namespace winnow
