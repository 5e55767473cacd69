// chinese_convert_mapper: converts between Simplified, Traditional (Taiwan, Hong Kong) and
// Japanese Shinjitai forms with OpenCC (Debian's libopencc and its dictionaries), as DJ does
// through OpenCC's Python binding. `mode` names the OpenCC configuration (<mode>.json).
#include <opencc/Exception.hpp>
#include <opencc/SimpleConverter.hpp>

#include <filesystem>
#include <map>
#include <mutex>

#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

const char* const kModes[] = {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp",
                              "tw2sp", "t2tw", "tw2t", "hk2t", "t2hk", "t2jp", "jp2t"};

// One converter per mode per process (dictionary loading takes a while); Convert is const.
Result<std::shared_ptr<const opencc::SimpleConverter>> ConverterFor(const std::string& mode) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const opencc::SimpleConverter>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(mode); it != cache.end()) return it->second;
  std::string config = "/usr/share/opencc/" + mode + ".json";
  std::error_code ec;
  if (!std::filesystem::exists(config, ec)) config = mode + ".json";  // OpenCC's own search path
  try {
    auto conv = std::make_shared<const opencc::SimpleConverter>(config);
    cache.emplace(mode, conv);
    return std::shared_ptr<const opencc::SimpleConverter>(conv);
  } catch (const std::exception& e) {
    return Status::Error("cannot load the OpenCC configuration '" + config + "': " + e.what());
  }
}

bool HasCodePointFrom(std::string_view s, uint32_t first) {
  // U+2E80 and above are 3- or 4-byte sequences with lead byte >= 0xE2.
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0xE2) continue;
    const char* p = s.data() + i;
    if (unicode::DecodeUtf8(p) >= first) return true;
  }
  return false;
}

class ChineseConvertMapper : public Mapper {
 public:
  ChineseConvertMapper(const Params& p, const OpEnv& env) : Mapper("chinese_convert_mapper", p, env) {
    auto c = ConverterFor(p.String("mode"));
    WINNOW_CHECK(c.ok());
    conv_ = *c;
  }
  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    // OpenCC maps every code point below U+2E80 (CJK Radicals Supplement) to itself in every
    // mode (tests/unit/opencc_test.cc checks this), so text without one is left as is.
    if (!HasCodePointFrom(text, 0x2E80)) return Status::Ok();
    std::string out = conv_->Convert(text.data(), text.size());
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  std::shared_ptr<const opencc::SimpleConverter> conv_;
};

Status Validate(const Params& p) {
  const std::string& mode = p.String("mode");
  std::string all;
  for (const char* m : kModes) {
    if (mode == m) {
      auto c = ConverterFor(mode);
      return c.ok() ? Status::Ok() : c.status();
    }
    all += (all.empty() ? "" : ", ") + std::string(m);
  }
  return Status::Error("mode '" + mode + "' is not one of " + all);
}

}  // namespace

void RegisterChineseConvertMapper(Registry& r) {
  r.Add({"chinese_convert_mapper", OpKind::kMapper,
         "Convert Chinese between Simplified, Traditional (Taiwan/Hong Kong) and Japanese Shinjitai with OpenCC.",
         {StringParam("mode", "s2t",
                      "OpenCC conversion: s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp, tw2sp, t2tw, tw2t, hk2t, t2hk, "
                      "t2jp, jp2t")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ChineseConvertMapper>(p, e); },
         Validate});
}

}  // namespace winnow
