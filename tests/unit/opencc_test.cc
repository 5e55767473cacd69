// The fact chinese_convert_mapper's fast path relies on: every OpenCC mode maps each code point
// below U+2E80 to itself, so text without CJK characters needs no conversion.
#include <gtest/gtest.h>
#include <opencc/SimpleConverter.hpp>

#include "winnow/core/unicode.h"

namespace winnow {
namespace {

TEST(OpenCC, CodePointsBelowCjkAreUnchangedInEveryMode) {
  std::string text;
  for (uint32_t cp = 0x20; cp < 0x2E80; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    unicode::AppendUtf8(cp, text);
    if (cp % 64 == 0) text += ' ';
  }
  for (const char* mode : {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "tw2t", "hk2t",
                           "t2hk", "t2jp", "jp2t"}) {
    opencc::SimpleConverter conv(std::string("/usr/share/opencc/") + mode + ".json");
    EXPECT_EQ(conv.Convert(text.data(), text.size()), text) << mode;
  }
}

}  // namespace
}  // namespace winnow
