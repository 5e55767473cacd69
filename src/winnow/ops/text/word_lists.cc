#include "winnow/ops/text/word_lists.h"

#define XXH_INLINE_ALL  // short keys: let the compiler inline XXH3
#include "winnow/core/xxhash_include.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "winnow/core/install_paths.h"
#include "winnow/core/json.h"

namespace winnow {

namespace fs = std::filesystem;

void WordSet::Insert(std::string_view w) {
  if (Contains(w)) return;
  if ((count_ + 1) * 2 > slots_.size()) Grow();
  uint64_t h = XXH3_64bits(w.data(), w.size());
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].used) i = (i + 1) & mask;
  slots_[i] = Slot{h, static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(w.size()), true};
  arena_.append(w);
  ++count_;
  min_len_ = std::min(min_len_, w.size());
  max_len_ = std::max(max_len_, w.size());
  if (!w.empty()) {
    const uint32_t k = SignatureBit(w);
    signature_[k >> 6] |= uint64_t{1} << (k & 63);
  }
}

bool WordSet::Find(std::string_view w) const {
  if (slots_.empty()) return false;
  uint64_t h = XXH3_64bits(w.data(), w.size());
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i].used; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.hash == h && s.len == w.size() && arena_.compare(s.off, s.len, w) == 0) return true;
  }
  return false;
}

void WordSet::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (!s.used) continue;
    size_t i = s.hash & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::string WordLists::Languages() const {
  std::string out;
  for (const auto& [lang, _] : by_lang) out += (out.empty() ? "" : ", ") + lang;
  return out;
}

static Result<std::shared_ptr<const WordLists>> LoadUncached(const std::string& dir, const std::string& type) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Status::Error(type + " directory '" + dir + "' does not exist" +
                         (dir == AssetDir() ? " (run scripts/install-deps.sh to install the word lists)" : ""));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() > 5 && name.ends_with(".json") && name.find(type) != std::string::npos)
      files.push_back(e.path());
  }
  // DJ lists the directory unordered; sorted here so merged lists have a stable order.
  std::sort(files.begin(), files.end());
  if (files.empty())
    return Status::Error("no " + type + " lists in '" + dir + "': expected *.json files whose name contains '" +
                         type + "', each a {lang: [words]} object");
  auto lists = std::make_shared<WordLists>();
  lists->dir = dir;
  std::vector<std::string> all_words;
  bool has_all = false;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto v = json::Parse(ss.str());
    if (!v.ok()) return Status::Error(f.string() + ": " + v.status().message());
    if (v->type() != json::Type::kObject) return Status::Error(f.string() + ": expected a JSON object {lang: [words]}");
    for (const auto& [lang, words] : v->as_object()) {
      if (words.type() != json::Type::kArray) return Status::Error(f.string() + ": '" + lang + "' is not a list of words");
      if (lang == "all") has_all = true;
      WordSet& set = lists->by_lang[lang];
      for (const auto& w : words.as_array()) {
        if (w.type() != json::Type::kString) return Status::Error(f.string() + ": a word of '" + lang + "' is not a string");
        set.Insert(w.as_string());
        if (lang != "all") all_words.push_back(w.as_string());
      }
    }
  }
  if (!has_all) {
    WordSet& all = lists->by_lang["all"];
    for (const auto& w : all_words) all.Insert(w);
  }
  return std::shared_ptr<const WordLists>(std::move(lists));
}

Result<std::shared_ptr<const WordLists>> LoadWordLists(const std::string& dir_param, const std::string& type) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const WordLists>> cache;
  std::string dir = dir_param.empty() ? AssetDir() : dir_param;
  std::lock_guard<std::mutex> lock(mu);
  std::string key = type + "\n" + dir;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  auto loaded = LoadUncached(dir, type);
  if (!loaded.ok()) return loaded.status();
  cache.emplace(key, *loaded);
  return *loaded;
}

}  // namespace winnow
