#include "winnow/models/ngram_lm.h"
#include "winnow/core/prefetch.h"

#include <algorithm>
#include <charconv>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "winnow/core/unicode.h"
#include "winnow/io/record_source.h"

namespace winnow {
namespace {

std::string Pack(const uint32_t* ids, size_t n) { return std::string(reinterpret_cast<const char*>(ids), n * 4); }

// Python str.split(): runs of str.isspace() code points separate words.
void SplitWs(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  const char* p = s.data();
  const char* end = p + s.size();
  const char* word = nullptr;
  while (p < end) {
    const char* at = p;
    uint32_t cp;
    if (static_cast<unsigned char>(*p) < 0x80) cp = static_cast<unsigned char>(*p++);
    else if (p + unicode::Utf8SeqLen(static_cast<unsigned char>(*p)) > end) cp = 0xFFFD, p = end;  // truncated
    else cp = unicode::DecodeUtf8(p);
    bool space = cp < 0x80 ? (cp == ' ' || (cp >= 9 && cp <= 13) || (cp >= 0x1c && cp <= 0x1f))
                           : unicode::Is(cp, unicode::kSpace);
    if (space) {
      if (word) out->emplace_back(word, at - word);
      word = nullptr;
    } else if (!word) {
      word = at;
    }
  }
  if (word) out->emplace_back(word, end - word);
}

}  // namespace

size_t CountPyWords(std::string_view s) {
  std::vector<std::string_view> w;
  SplitWs(s, &w);
  return w.size();
}

namespace {

bool ParseFloat(std::string_view s, float* out) {
  // from_chars rounds correctly, as strtof does, without copying the token; what it does not
  // take (a leading '+', hex floats) goes to strtof.
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return true;
  std::string tmp(s);
  char* end = nullptr;
  *out = std::strtof(tmp.c_str(), &end);
  return end && *end == '\0' && !tmp.empty();
}

}  // namespace

Result<std::unique_ptr<NgramModel>> NgramModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("cannot open language model '" + path + "'");
  char magic[8] = {0};
  in.read(magic, 8);
  if (!KenlmBinaryModel::HasMagic(std::string_view(magic, static_cast<size_t>(in.gcount())))) return LoadArpa(path);
  auto bin = KenlmBinaryModel::Load(path);
  if (!bin.ok()) return bin.status();
  auto m = std::unique_ptr<NgramModel>(new NgramModel());
  m->order_ = (*bin)->order();
  m->binary_ = std::move(*bin);
  return m;
}

Result<std::unique_ptr<NgramModel>> NgramModel::LoadArpa(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("cannot open language model '" + path + "'");
  char magic[8] = {0};
  in.read(magic, 8);
  if (KenlmBinaryModel::HasMagic(std::string_view(magic, static_cast<size_t>(in.gcount()))))
    return Status::Error("'" + path + "' is a KenLM binary model, not ARPA text (NgramModel::Load reads both)");
  // Mapped, not read: a 20 MB string was zero-filled (page faults) and then copied into.
  if (auto mapped = MappedFile::Open(path)) return ParseArpa(std::string_view(mapped->data(), mapped->size()), path);
  in.clear();  // compressed or empty: read it
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::Error("cannot read language model '" + path + "'");
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return Status::Error("cannot read language model '" + path + "'");
  return ParseArpa(text, path);
}

Result<std::unique_ptr<NgramModel>> NgramModel::ParseArpa(std::string_view text, const std::string& name) {
  auto m = std::unique_ptr<NgramModel>(new NgramModel());
  std::vector<std::string_view> tok, prev_tok;  // this line's fields and the last n-gram line's
  std::vector<uint32_t> ids;  // the last n-gram line's word ids, then this one's
  int section = -1, prev_section = -1;  // -1 before \data\, 0 in \data\, n in \n-grams:
  size_t line_no = 0, pos = 0, declared = 0;
  bool seen_data = false, ended = false;
  auto err = [&](const std::string& what) {
    return Status::Error(name + ":" + std::to_string(line_no) + ": " + what);
  };
  // N-grams go into the table kBatch at a time, their slots prefetched first: the inserts are
  // random writes into a table far larger than the cache, which waited on memory one by one.
  // (A resize in between only makes a prefetch useless.)
  constexpr size_t kBatch = 16;
  std::array<std::pair<uint64_t, Entry>, kBatch> pending;
  size_t npending = 0;
  auto flush = [&] {
    if (!m->table_.empty())
      for (size_t i = 0; i < npending; ++i) __builtin_prefetch(&m->table_[Home(pending[i].first, m->table_.size() - 1)], 1);
    for (size_t i = 0; i < npending; ++i) m->InsertKey(pending[i].first, pending[i].second);
    npending = 0;
  };
  while (pos <= text.size() && !ended) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line == "\\data\\") { section = 0; seen_data = true; continue; }
    if (line == "\\end\\") { ended = true; break; }
    if (line.front() == '\\') {
      int n = 0;
      if (std::sscanf(std::string(line).c_str(), "\\%d-grams:", &n) != 1 || n < 1 || n > 32)
        return err("unexpected section header '" + std::string(line) + "'");
      section = n;
      m->order_ = std::max(m->order_, n);
      continue;
    }
    if (section <= 0) {
      if (section == 0 && line.rfind("ngram ", 0) != 0) return err("expected 'ngram N=count' in \\data\\");
      // The declared counts size the table once (growing it by doubling re-inserted every
      // n-gram at each step); a wrong count only costs that growth again.
      unsigned long long count = 0;
      if (section == 0 && std::sscanf(std::string(line).c_str(), "ngram %*d=%llu", &count) == 1 &&
          count < (uint64_t{1} << 32))
        declared += static_cast<size_t>(count);
      continue;
    }
    if (declared) {
      m->Reserve(declared);
      declared = 0;
    }
    SplitWs(line, &tok);
    size_t n = static_cast<size_t>(section);
    if (tok.size() != n + 1 && tok.size() != n + 2) return err("expected a " + std::to_string(n) + "-gram line");
    Entry e;
    if (!ParseFloat(tok[0], &e.logp)) return err("bad probability '" + std::string(tok[0]) + "'");
    if (tok.size() == n + 2 && !ParseFloat(tok[n + 1], &e.backoff)) return err("bad back-off weight");
    // ARPA files list each order's n-grams sorted, so a line mostly starts with the words of the
    // line before it: those ids are reused instead of looked up (loading the bench's 3-gram
    // model: 1.77M -> ~0.9M vocabulary lookups).
    if (prev_section != section) prev_tok.clear();
    prev_section = section;
    ids.resize(n);
    for (size_t i = 1; i <= n; ++i) {
      if (i < n && i < prev_tok.size() && prev_tok[i] == tok[i]) continue;  // ids[i - 1] is still that word's
      uint32_t id = m->FindWord(tok[i]);
      if (id == kNoWord) {
        if (n != 1) return err("word '" + std::string(tok[i]) + "' is not among the unigrams");
        id = m->AddWord(tok[i]);
      }
      ids[i - 1] = id;
    }
    prev_tok.swap(tok);
    pending[npending++] = {HashIds(ids.data(), n), e};
    if (npending == kBatch) flush();
  }
  flush();
  if (!seen_data || m->order_ == 0) return Status::Error(name + ": not an ARPA language model (no \\data\\ section)");
  if (!ended) return Status::Error(name + ": truncated ARPA file (no \\end\\)");
  auto need = [&](std::string_view w, uint32_t* id) {
    *id = m->FindWord(w);
    if (*id == kNoWord) {
      *id = m->AddWord(w);
      if (w == "<unk>") m->Insert(id, 1, Entry{-100.0f, 0.0f});  // KenLM's default
    }
  };
  need("<unk>", &m->unk_);
  need("<s>", &m->bos_);
  need("</s>", &m->eos_);
  m->unigrams_.resize(m->words_.size());
  for (uint32_t id = 0; id < m->unigrams_.size(); ++id)
    if (const Entry* e = m->Find(&id, 1)) m->unigrams_[id] = *e;
  return m;
}

// Hashes newest word first, so the key of (c_k .. c_1 w) extends the key of (c_{k-1} .. c_1 w)
// by one step: Score() gets every order's key of a position with one step per order.
uint64_t NgramModel::HashIds(const uint32_t* ids, size_t n) {
  uint64_t h = kHashSeed;
  for (size_t i = n; i-- > 0;) h = HashStep(h, ids[i]);
  return HashKey(h);
}

void NgramModel::Insert(const uint32_t* ids, size_t n, Entry e) { InsertKey(HashIds(ids, n), e); }

void NgramModel::Reserve(size_t n) {
  if (!table_.empty() || n == 0) return;
  size_t cap = 1024;
  while (cap < 2 * (n + 4)) cap *= 2;  // + the <unk>/<s>/</s> entries Load may add
  table_.assign(cap, Slot{});
}

void NgramModel::InsertKey(uint64_t key, Entry e) {
  // The slot that holds k, or the free one its probe reaches first.
  auto slot_for = [this](uint64_t k) {
    const size_t mask = table_.size() - 1;
    size_t i = Home(k, mask);
    while (table_[i].key && table_[i].key != k) i = (i + 1) & mask;
    return i;
  };
  if ((count_ + 1) * 2 > table_.size()) {
    HugeVector<Slot> old = std::move(table_);
    table_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    count_ = 0;
    for (const Slot& s : old)
      if (s.key) {
        table_[slot_for(s.key)] = s;
        ++count_;
      }
  }
  const size_t i = slot_for(key);
  if (!table_[i].key) ++count_;
  table_[i] = Slot{key, e};
}

uint64_t NgramModel::WordHash(std::string_view w) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (w.size() * 0xC2B2AE3D27D4EB4Full);
  size_t i = 0;
  for (; i + 8 <= w.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, w.data() + i, 8);
    h = (h ^ x) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
  }
  if (i < w.size()) {
    uint64_t x = 0;
    std::memcpy(&x, w.data() + i, w.size() - i);
    h = (h ^ x) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
  }
  return h;
}

uint32_t NgramModel::FindWord(std::string_view w) const {
  if (vocab_slots_.empty()) return kNoWord;
  const uint64_t h = WordHash(w);
  const size_t mask = vocab_slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const VocabSlot& s = vocab_slots_[i];
    if (s.id == kNoWord) return kNoWord;
    if (s.hash == h && s.word == w) return s.id;
  }
}

uint32_t NgramModel::AddWord(std::string_view w) {
  if (2 * (words_.size() + 1) > vocab_slots_.size()) {
    vocab_slots_.assign(std::max<size_t>(64, vocab_slots_.size() * 2), VocabSlot{});
    for (uint32_t id = 0; id < words_.size(); ++id) PlaceWord(id);
  }
  words_.emplace_back(w);
  PlaceWord(static_cast<uint32_t>(words_.size() - 1));
  return static_cast<uint32_t>(words_.size() - 1);
}

void NgramModel::PlaceWord(uint32_t id) {
  const std::string_view w = words_[id];
  const uint64_t h = WordHash(w);
  const size_t mask = vocab_slots_.size() - 1;
  size_t i = h & mask;
  while (vocab_slots_[i].id != kNoWord) i = (i + 1) & mask;
  vocab_slots_[i] = {h, w, id};
}

uint32_t NgramModel::Id(std::string_view w) const {
  const uint32_t id = FindWord(w);
  return id == kNoWord ? unk_ : id;
}

const NgramModel::Entry* NgramModel::Find(const uint32_t* ids, size_t n) const { return FindKey(HashIds(ids, n)); }

float NgramModel::WordScore(const uint32_t* ctx, size_t ctx_len, uint32_t w) const {
  // ctx: the last (order-1) words, oldest first. The longest matching n-gram's probability,
  // then the back-off weights of the contexts that were too long, shortest first: KenLM's
  // FullScore adds them in that order in single precision, and the bits matter after DJ
  // rounds the perplexity to one decimal.
  uint32_t buf[64];
  float backoffs[64];  // longest context first
  size_t nb = 0;
  size_t max_len = std::min(ctx_len, static_cast<size_t>(order_ - 1));
  for (size_t len = max_len + 1; len-- > 0;) {
    std::copy(ctx + ctx_len - len, ctx + ctx_len, buf);
    buf[len] = w;
    if (const Entry* e = Find(buf, len + 1)) {
      float total = e->logp;
      for (size_t i = nb; i-- > 0;) total += backoffs[i];
      return total;
    }
    if (len > 0) {
      const Entry* c = Find(buf, len);
      backoffs[nb++] = c ? c->backoff : 0.0f;
    }
  }
  return 0;  // unreachable for known ids: every word has a unigram
}

float NgramModel::Score(std::string_view sentence) const {
  if (binary_) return binary_->Score(sentence);
  thread_local std::vector<uint32_t> seq;
  seq.clear();
  ForEachKenlmWord(sentence, [&](std::string_view w) { seq.push_back(Id(w)); });
  return ScoreIds(seq.data(), seq.size());
}

float NgramModel::ScoreIds(const uint32_t* words, size_t num_words) const {
  if (binary_) return binary_->ScoreIds(words, num_words);
  // KenLM-style state: the last (order-1) words and, for each suffix length k, the back-off
  // weight of that k-gram (found while scoring its last word; 0 if it is not in the model).
  // Scoring a word looks n-grams up from the unigram upwards and stops at the first miss (an
  // ARPA model has every suffix of its n-grams), so no context needs a lookup of its own.
  const size_t keep = static_cast<size_t>(order_ - 1);
  // The sentence with <s> and </s>; position p is scored against seq[p-keep .. p-1].
  thread_local std::vector<uint32_t> seq;
  seq.resize(num_words + 2);
  seq[0] = bos_;
  std::copy(words, words + num_words, seq.begin() + 1);
  seq[num_words + 1] = eos_;
  const size_t last = num_words + 1;
  // The keys of the n-grams ending at a position depend on the words only, not on what the
  // lookups find: they are computed and their home lines prefetched kAhead positions early, so
  // the table's cache misses overlap instead of following one another. (8 positions ahead left the
  // loads still waiting on half the lookups: perplexity_filter 1.69 -> 1.56 s with 16; 32 no
  // better.)
  constexpr size_t kAhead = 16;
  uint64_t keys[kAhead][kMaxOrder];
  const size_t mask = table_.empty() ? 0 : table_.size() - 1;
  auto prepare = [&](size_t p) {
    uint64_t h = HashStep(kHashSeed, seq[p]);
    uint64_t* out = keys[p % kAhead];
    const size_t kmax = std::min(keep, p);
    for (size_t k = 1; k <= kmax; ++k) {
      h = HashStep(h, seq[p - k]);
      out[k] = HashKey(h);
      if (!table_.empty()) PrefetchRead(&table_[Home(out[k], mask)]);
    }
  };
  for (size_t p = 1; p <= std::min(last, kAhead); ++p) prepare(p);

  float bo[kMaxOrder + 1], new_bo[kMaxOrder + 1];
  size_t ctx_len = 0;
  if (keep > 0) {
    bo[1] = unigrams_[bos_].backoff;
    ctx_len = 1;
  }
  float total = 0;
  for (size_t p = 1; p <= last; ++p) {
    const uint32_t w = seq[p];
    const uint64_t* key = keys[p % kAhead];
    const Entry& uni = unigrams_[w];
    float prob = uni.logp;
    new_bo[1] = uni.backoff;
    size_t matched = 0;  // context words of the longest n-gram found
    for (size_t k = 1; k <= ctx_len; ++k) {
      const Entry* e = FindKey(key[k]);
      if (!e) break;
      prob = e->logp;
      new_bo[k + 1] = e->backoff;
      matched = k;
    }
    float score = prob;
    for (size_t k = matched + 1; k <= ctx_len; ++k) score += bo[k];  // shortest context first
    total += score;
    if (p + kAhead <= last) prepare(p + kAhead);
    if (keep == 0) continue;
    ctx_len = std::min(ctx_len + 1, keep);
    for (size_t k = 1; k <= ctx_len; ++k) bo[k] = k <= matched + 1 ? new_bo[k] : 0.0f;
  }
  return total;
}

float NgramModel::LogProb(const std::vector<std::string>& context, const std::string& word) const {
  if (binary_) return binary_->LogProb(context, word);
  std::vector<uint32_t> ctx;
  for (const auto& c : context) ctx.push_back(Id(c));
  return WordScore(ctx.data(), ctx.size(), Id(word));
}

// ---- Training -------------------------------------------------------------------------

Status TrainKneserNey(const std::vector<std::string>& sentences, const KneserNeyOptions& opt, std::string* arpa) {
  const int N = opt.order;
  if (N < 1 || N > 16) return Status::Error("order must be between 1 and 16");
  std::map<std::string, uint32_t> vocab{{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  std::vector<std::string> words{"<unk>", "<s>", "</s>"};
  // raw[n-1]: raw counts of every n-gram seen in the padded sentences.
  std::vector<std::unordered_map<std::string, uint64_t>> raw(N);
  std::vector<std::string_view> tok;
  std::vector<uint32_t> ids;
  size_t used = 0;
  for (const auto& s : sentences) {
    SplitWs(s, &tok);
    ids.assign(1, 1);
    for (auto w : tok) {
      auto [it, fresh] = vocab.emplace(std::string(w), static_cast<uint32_t>(words.size()));
      if (fresh) words.emplace_back(w);
      ids.push_back(it->second);
    }
    ids.push_back(2);
    ++used;
    for (size_t i = 0; i < ids.size(); ++i)
      for (int n = 1; n <= N && i + n <= ids.size(); ++n) ++raw[n - 1][Pack(&ids[i], n)];
  }
  if (used == 0) return Status::Error("no training sentences");
  // Adjusted counts: raw for the top order and for n-grams starting with <s>; otherwise the
  // number of distinct words seen to their left (continuation counts).
  std::vector<std::unordered_map<std::string, uint64_t>> adj(N);
  adj[N - 1] = raw[N - 1];
  for (int n = N - 1; n >= 1; --n) {
    for (const auto& [key, c] : raw[n - 1]) {
      const uint32_t* p = reinterpret_cast<const uint32_t*>(key.data());
      if (p[0] == 1) adj[n - 1][key] = c;
    }
    for (const auto& [key, c] : raw[n]) {  // every (n+1)-gram v w..: one left extension of w..
      adj[n - 1][key.substr(4)] += 1;
    }
    for (const auto& [key, c] : raw[n - 1]) adj[n - 1].emplace(key, c);  // e.g. "<s>" never extended
  }
  // Discounts per order from counts-of-counts of the adjusted counts.
  std::vector<std::array<double, 4>> D(N);
  for (int n = 1; n <= N; ++n) {
    double t[5] = {0, 0, 0, 0, 0};
    for (const auto& [key, c] : adj[n - 1]) if (c >= 1 && c <= 4) t[c] += 1;
    double y = (t[1] + 2 * t[2]) > 0 ? t[1] / (t[1] + 2 * t[2]) : 0.5;
    auto d = [&](int k, double def) {
      if (t[k] <= 0 || t[k + 1] < 0) return def;
      double v = k - (k + 1) * y * t[k + 1] / t[k];
      return (v > 0 && v < k) ? v : def;  // small corpora give degenerate counts-of-counts
    };
    D[n - 1] = {0.0, d(1, 0.5), d(2, 1.0), d(3, 1.5)};
  }
  auto disc = [&](int n, uint64_t c) { return D[n - 1][std::min<uint64_t>(c, 3)]; };
  // Per context: total adjusted count and the discounted mass (for gamma).
  std::vector<std::unordered_map<std::string, std::pair<double, double>>> ctx(N);
  for (int n = 1; n <= N; ++n)
    for (const auto& [key, c] : adj[n - 1]) {
      const uint32_t* p = reinterpret_cast<const uint32_t*>(key.data());
      if (n == 1 && p[0] == 1) continue;  // <s> is never predicted
      auto& e = ctx[n - 1][key.substr(0, (n - 1) * 4)];
      e.first += static_cast<double>(c);
      e.second += disc(n, c);
    }
  // Interpolated probabilities, lowest order first.
  const double vsize = static_cast<double>(words.size() - 1);  // all but <s>
  std::vector<std::unordered_map<std::string, double>> prob(N);
  for (int n = 1; n <= N; ++n) {
    for (const auto& [key, c] : adj[n - 1]) {
      const uint32_t* p = reinterpret_cast<const uint32_t*>(key.data());
      if (n == 1 && p[0] == 1) continue;
      const auto& e = ctx[n - 1][key.substr(0, (n - 1) * 4)];
      double gamma = e.second / e.first;
      double lower = n == 1 ? 1.0 / vsize : prob[n - 2].at(key.substr(4));
      prob[n - 1][key] = (static_cast<double>(c) - disc(n, c)) / e.first + gamma * lower;
    }
    if (n == 1) {  // <unk> was never seen: it gets only the uniform share
      const auto& e = ctx[0][""];
      uint32_t zero = 0;
      prob[0].emplace(Pack(&zero, 1), (e.second / e.first) / vsize);
    }
  }
  // ARPA: sorted n-grams per order; back-off = log10 gamma for n-grams that are contexts.
  std::string& out = *arpa;
  out = "\\data\\\n";
  std::vector<std::vector<std::string>> keys(N);
  for (int n = 1; n <= N; ++n) {
    for (const auto& [key, c] : adj[n - 1]) keys[n - 1].push_back(key);
    if (n == 1) {
      uint32_t zero = 0;
      if (!adj[0].count(Pack(&zero, 1))) keys[0].push_back(Pack(&zero, 1));
    }
    auto text = [&](const std::string& k) {
      std::string s;
      const uint32_t* p = reinterpret_cast<const uint32_t*>(k.data());
      for (size_t i = 0; i < k.size() / 4; ++i) s += (i ? " " : "") + words[p[i]];
      return s;
    };
    std::sort(keys[n - 1].begin(), keys[n - 1].end(),
              [&](const std::string& a, const std::string& b) { return text(a) < text(b); });
    out += "ngram " + std::to_string(n) + "=" + std::to_string(keys[n - 1].size()) + "\n";
  }
  char buf[64];
  for (int n = 1; n <= N; ++n) {
    out += "\n\\" + std::to_string(n) + "-grams:\n";
    for (const auto& key : keys[n - 1]) {
      const uint32_t* p = reinterpret_cast<const uint32_t*>(key.data());
      double lp = (n == 1 && p[0] == 1) ? -99.0 : std::log10(prob[n - 1].at(key));
      std::snprintf(buf, sizeof buf, "%.7g", lp);
      out += buf;
      out += '\t';
      for (size_t i = 0; i < key.size() / 4; ++i) out += (i ? " " : "") + words[p[i]];
      if (n < N) {
        auto it = ctx[n].find(key);
        if (it != ctx[n].end()) {
          std::snprintf(buf, sizeof buf, "\t%.7g", std::log10(it->second.second / it->second.first));
          out += buf;
        } else if (p[key.size() / 4 - 1] != 2) {
          out += "\t0";
        }
      }
      out += '\n';
    }
  }
  out += "\n\\end\\\n";
  return Status::Ok();
}

}  // namespace winnow
