#include "winnow/models/perplexity_model.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "winnow/core/install_paths.h"
#include "winnow/core/plugin.h"
#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"

namespace winnow {

// SentencePiece lives in a plugin (src/winnow/plugins/README.md explains why).
namespace {
using LoadFn = void* (*)(const char*, char*, size_t);
using FreeFn = void (*)(void*);
using EncodeFn = void (*)(const void*, const char*, size_t, void (*)(void*, const char*, size_t), void*);
using TrainFn = int (*)(const char*, char*, size_t);
constexpr char kSpm[] = "spm";

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status::Error("cannot read '" + path + "'");
  return bytes;
}

// A piece that is one word both for KenLM (words split on ASCII whitespace, cut at NUL) and for
// Python's split() / splitlines(): not empty, and no NUL, whitespace or line break in it.
bool PlainWord(std::string_view piece) {
  if (piece.empty()) return false;
  for (const char* p = piece.data(); p < piece.data() + piece.size();) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      if (c <= 0x20) return false;
      ++p;
      continue;
    }
    const uint32_t cp = unicode::DecodeUtf8(p);
    if (unicode::Is(cp, unicode::kSpace) || unicode::Is(cp, unicode::kLineBreak)) return false;
  }
  return true;
}
}  // namespace

SentencePieceModel::~SentencePieceModel() {
  if (!sp_) return;
  if (auto f = PluginFunction<FreeFn>(kSpm, "wn_spm_free"); f.ok()) (*f)(sp_);
}

Result<std::shared_ptr<const SentencePieceModel>> SentencePieceModel::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::Error("SentencePiece model '" + path + "' not found");
  auto m = std::shared_ptr<SentencePieceModel>(new SentencePieceModel());
  m->path_ = path;
  // WINNOW_SPM_LIBRARY=1 keeps every model on the library's encoder (for comparisons).
  const char* env = std::getenv("WINNOW_SPM_LIBRARY");
  if (env && std::string(env) == "1") {
    m->why_not_native_ = "WINNOW_SPM_LIBRARY=1";
  } else {
    auto bytes = ReadFileBytes(path);
    if (bytes.ok()) m->native_ = SpmUnigram::Create(*bytes, &m->why_not_native_);
    else m->why_not_native_ = bytes.status().message();
  }
  // The library loads the model either way when it is not native: its errors are the ones
  // users know (and it validates what the native reader does not need).
  if (!m->native_) {
    if (Status st = m->LoadLibrary(); !st.ok()) return st;
  }
  return std::shared_ptr<const SentencePieceModel>(m);
}

Status SentencePieceModel::LoadLibrary() const {
  std::call_once(library_once_, [this] {
    auto load = PluginFunction<LoadFn>(kSpm, "wn_spm_load");
    if (!load.ok()) {
      library_status_ = load.status();
      return;
    }
    char err[512] = "";
    sp_ = (*load)(path_.c_str(), err, sizeof(err));
    if (!sp_) library_status_ = Status::Error("cannot load SentencePiece model '" + path_ + "': " + err);
  });
  return library_status_;
}

Result<std::shared_ptr<const SentencePieceModel>> SentencePieceModel::Shared(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const SentencePieceModel>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(path); it != cache.end()) return it->second;
  auto m = Load(path);
  if (!m.ok()) return m.status();
  cache.emplace(path, *m);
  return *m;
}

std::vector<std::string> SentencePieceModel::Pieces(std::string_view text, std::vector<int32_t>* ids) const {
  PieceList list;
  PiecesInto(text, &list);
  if (ids) *ids = std::move(list.ids);
  return list.Strings();
}

void SentencePieceModel::PiecesInto(std::string_view text, PieceList* pieces) const {
  if (native_) {
    native_->Encode(text, pieces);
    return;
  }
  std::vector<std::string> strings;
  LibraryEncodeInto(text, &strings);  // Load() loaded the library for a model that is not native
  pieces->AssignStrings(strings);
}

void SentencePieceModel::LibraryEncodeInto(std::string_view text, std::vector<std::string>* pieces) const {
  static const EncodeFn encode = *PluginFunction<EncodeFn>(kSpm, "wn_spm_encode");
  encode(
      sp_, text.data(), text.size(),
      [](void* ctx, const char* p, size_t n) { static_cast<std::vector<std::string>*>(ctx)->emplace_back(p, n); },
      pieces);
}

std::vector<std::string> SentencePieceModel::LibraryPieces(std::string_view text) const {
  std::vector<std::string> pieces;
  if (LoadLibrary().ok()) LibraryEncodeInto(text, &pieces);
  return pieces;
}

bool SentencePieceModel::Native(std::string* why) const {
  if (why) *why = why_not_native_;
  return native_ != nullptr;
}

size_t SentencePieceModel::CacheEvictionsForTest() const { return native_ ? native_->CacheEvictionsForTest() : 0; }

void SentencePieceModel::SetCacheCapacityForTest(int slots_log2) const {
  if (native_) native_->SetCacheCapacityForTest(slots_log2);
}

Status SentencePieceModel::Train(const std::string& input_file, const std::string& model_prefix, int vocab_size,
                                 const std::string& extra_args) {
  std::string args = "--input=" + input_file + " --model_prefix=" + model_prefix +
                     " --vocab_size=" + std::to_string(vocab_size) +
                     " --model_type=unigram --character_coverage=0.9995 --hard_vocab_limit=false"
                     " --minloglevel=2 --num_threads=1";
  if (!extra_args.empty()) args = extra_args + " " + args;  // the trainer keeps a flag's first value
  auto train = PluginFunction<TrainFn>(kSpm, "wn_spm_train");
  if (!train.ok()) return train.status();
  char err[512] = "";
  if ((*train)(args.c_str(), err, sizeof(err)) != 0) return Status::Error(std::string("SentencePiece training failed: ") + err);
  return Status::Ok();
}

Result<std::shared_ptr<const PerplexityModel>> PerplexityModel::Get(const std::string& dir_param,
                                                                    const std::string& lang) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const PerplexityModel>> cache;
  std::string dir = dir_param.empty() ? ModelDir() : dir_param;
  std::lock_guard<std::mutex> lock(mu);
  std::string key = dir + "\n" + lang;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto m = std::shared_ptr<PerplexityModel>(new PerplexityModel());
  auto sp = SentencePieceModel::Shared(dir + "/" + lang + ".sp.model");
  if (!sp.ok())
    return Status::Error(sp.status().message() + " (perplexity_filter needs " + lang + ".sp.model and " + lang +
                         ".arpa or " + lang + ".arpa.bin in " + dir + "; `winnow lm train` builds both from a corpus)");
  m->sp_ = *sp;
  // {lang}.arpa (what `winnow lm train` writes) or DJ's {lang}.arpa.bin; either may hold ARPA
  // text or a KenLM binary model: Load() goes by the file's content.
  std::string arpa = dir + "/" + lang + ".arpa";
  std::error_code ec;
  if (!std::filesystem::exists(arpa, ec) && std::filesystem::exists(arpa + ".bin", ec)) arpa += ".bin";
  auto lm = NgramModel::Load(arpa);
  if (!lm.ok()) return lm.status();
  m->lm_ = std::move(*lm);
  m->lm_word_of_piece_.resize(m->sp_->NumPieces());
  for (size_t id = 0; id < m->lm_word_of_piece_.size(); ++id) {
    const std::string_view piece = m->sp_->PieceText(static_cast<int32_t>(id));
    m->lm_word_of_piece_[id] = PlainWord(piece) ? static_cast<int64_t>(m->lm_->WordId(piece)) : -1;
  }
  cache.emplace(key, m);
  return std::shared_ptr<const PerplexityModel>(m);
}

double PerplexityModel::PerplexityOfPieces(const std::vector<std::string_view>& pieces,
                                           const std::vector<int32_t>& piece_ids) const {
  if (pieces.empty()) return 0.0;
  // DJ joins the pieces with spaces and scores each line. When every piece is a plain word
  // (SentencePiece's pieces are, as it escapes whitespace), that is one line whose words are the
  // pieces: the n-gram model scores their ids directly.
  {
    thread_local std::vector<uint32_t> ids;
    ids.clear();
    bool plain = true;
    const bool have_ids = piece_ids.size() == pieces.size();
    for (size_t i = 0; i < pieces.size(); ++i) {
      const int32_t sp_id = have_ids ? piece_ids[i] : -1;
      if (sp_id >= 0 && static_cast<size_t>(sp_id) < lm_word_of_piece_.size()) {
        const int64_t w = lm_word_of_piece_[sp_id];
        if (w < 0) {
          plain = false;
          break;
        }
        ids.push_back(static_cast<uint32_t>(w));
        continue;
      }
      if (!PlainWord(pieces[i])) {
        plain = false;
        break;
      }
      ids.push_back(lm_->WordId(pieces[i]));
    }
    if (plain) return RoundedPerplexity(static_cast<double>(lm_->ScoreIds(ids.data(), ids.size())), pieces.size() + 1);
  }
  std::string joined;
  for (const auto& p : pieces) {
    if (!joined.empty()) joined.push_back(' ');
    joined += p;
  }
  std::vector<std::string_view> lines;
  SplitLines(joined, &lines);
  double logits = 0;
  size_t length = 0;
  for (auto line : lines) {
    logits += static_cast<double>(lm_->Score(line));
    length += CountPyWords(line) + 1;
  }
  return RoundedPerplexity(logits, length);
}

double PerplexityModel::RoundedPerplexity(double logits, size_t length) {
  if (length == 0) return 0.0;
  double ppl = std::pow(10.0, -logits / static_cast<double>(length));
  // Python round(x, 1): round half to even on the decimal value; exact via printf's rounding.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", ppl);
  return std::strtod(buf, nullptr);
}

}  // namespace winnow
