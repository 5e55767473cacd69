// punctuation_normalization_mapper: maps DJ's table of Unicode punctuation to ASCII.
#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <unordered_map>

#include "winnow/core/ascii_simd.h"
#include "winnow/core/status.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

// DJ's punctuation_unicode table (code point -> replacement), in DJ's order.
const std::vector<std::pair<uint32_t, const char*>>& Table() {
  static const std::vector<std::pair<uint32_t, const char*>> kTable = {
      {0xFF0C, ","}, {0x3002, "."}, {0x3001, ","}, {0x201E, "\""}, {0x201D, "\""}, {0x201C, "\""},
      {0x00AB, "\""}, {0x00BB, "\""}, {0xFF11, "\""}, {0x300D, "\""}, {0x300C, "\""}, {0x300A, "\""},
      {0x300B, "\""}, {0x00B4, "'"}, {0x2236, ":"}, {0xFF1A, ":"}, {0xFF1F, "?"}, {0xFF01, "!"},
      {0xFF08, "("}, {0xFF09, ")"}, {0xFF1B, ";"}, {0x2013, "-"}, {0x2014, " - "}, {0xFF0E, ". "},
      {0xFF5E, "~"}, {0x2019, "'"}, {0x2026, "..."}, {0x2501, "-"}, {0x3008, "<"}, {0x3009, ">"},
      {0x3010, "["}, {0x3011, "]"}, {0xFF05, "%"}, {0x25BA, "-"}};
  return kTable;
}

class PunctuationNormalizationMapper : public Mapper {
 public:
  PunctuationNormalizationMapper(const Params& p, const OpEnv& env)
      : Mapper("punctuation_normalization_mapper", p, env) {
    for (const auto& [cp, rep] : Table()) {
      map_[cp] = rep;
      std::string utf8;
      unicode::AppendUtf8(cp, utf8);
      mapped_lead_[static_cast<unsigned char>(utf8[0])] = true;
    }
    // Map()'s 16-byte scan stops only at kLeads.
    for (int b = 0; b < 256; ++b)
      WINNOW_CHECK(!mapped_lead_[b] || std::find(std::begin(kLeads), std::end(kLeads), static_cast<char>(b)) != std::end(kLeads));
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string out;
    bool changed = false;
    const char* p = text.data();
    const char* end = p + text.size();
    const char* run = p;  // start of bytes not yet copied
    while (p < end) {
      // To the next lead byte of a mapped character (the constructor checks the table against
      // kLeads): ASCII, accented Latin, Cyrillic, CJK ideographs go in bulk.
      p = ascii::SkipToAnyOf(p, end, kLeads);
      if (p >= end) break;
      const auto lead = static_cast<unsigned char>(*p);
      if (lead < 0x80 || (lead & 0xC0) == 0x80) { ++p; continue; }
      if (!mapped_lead_[lead]) {  // e.g. accented Latin, Cyrillic, CJK ideographs, emoji
        p += unicode::Utf8SeqLen(lead);
        continue;
      }
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      auto it = map_.find(cp);
      if (it == map_.end()) continue;
      if (!changed) { out.reserve(text.size()); changed = true; }
      out.append(run, start);
      out.append(it->second);
      run = p;
    }
    if (changed) {
      out.append(run, end);
      s.SetText(text_key_, std::move(out));
    }
    return Status::Ok();
  }

 private:
  static constexpr char kLeads[] = {'\xC2', '\xE2', '\xE3', '\xEF'};  // of every mapped character
  std::unordered_map<uint32_t, const char*> map_;
  // UTF-8 lead bytes of the mapped characters (C2, E2, E3, EF): characters with another lead
  // byte are skipped without decoding or a map lookup.
  std::array<bool, 256> mapped_lead_{};
};

}  // namespace

void RegisterPunctuationNormalizationMapper(Registry& r) {
  r.Add({"punctuation_normalization_mapper", OpKind::kMapper,
         "Normalise Unicode punctuation (full-width, CJK, typographic) to ASCII, per DJ's table.",
         {}, {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<PunctuationNormalizationMapper>(p, e); }});
}

}  // namespace winnow
