#include "winnow/media/produced_paths.h"

#include <openssl/sha.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

namespace winnow::media {
namespace fs = std::filesystem;

std::string OpOutputHash(const std::string& op_name, const std::string& params_json) {
  std::string in = op_name + '\n' + params_json;
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(in.data()), in.size(), d);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

Result<std::string> TransferFilename(const std::string& original, const std::string& op_name,
                                     const std::string& save_dir, const std::string& hash) {
  std::error_code ec;
  if (!fs::exists(original, ec)) return original;
  fs::path dir;
  if (!save_dir.empty()) {
    dir = fs::absolute(save_dir, ec);
  } else if (const char* env = std::getenv("DJ_PRODUCED_DATA_DIR"); env && *env) {
    dir = fs::absolute(env, ec) / op_name;
  } else {
    std::string odir = fs::path(original).parent_path().string();
    const std::string token = "/__dj__produced_data__/";
    if (size_t at = odir.find(token); at != std::string::npos) odir = odir.substr(0, at);
    dir = fs::path(odir) / "__dj__produced_data__" / op_name;
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::Error("cannot create " + dir.string() + ": " + ec.message());
  fs::path name = fs::path(original).filename();
  std::string stem = name.stem().string(), ext = name.extension().string();
  // DJ: re.search(r"__dj_hash_#(.*?)#") -> cut everything from the match on.
  static const std::regex kHash("__dj_hash_#.*?#");
  std::smatch m;
  if (std::regex_search(stem, m, kHash)) stem = stem.substr(0, m.position(0));
  return (dir / (stem + "__dj_hash_#" + hash + "#" + ext)).string();
}

}  // namespace winnow::media
