// chinese_convert_mapper: converts between Simplified, Traditional (Taiwan, Hong Kong) and
// Japanese Shinjitai forms with OpenCC (Debian's libopencc and its dictionaries), as DJ does
// through OpenCC's Python binding. `mode` names the OpenCC configuration (<mode>.json).
#include <opencc/Exception.hpp>
#include <opencc/SimpleConverter.hpp>

#include <filesystem>
#include <map>
#include <mutex>

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
    // OpenCC's dictionaries only map non-ASCII characters: pure-ASCII text is left as is.
    bool ascii = true;
    for (char c : text) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii) return Status::Ok();
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
