#include "winnow/models/jieba_segmenter.h"

#include "winnow/core/unicode.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>

namespace winnow {

namespace {

constexpr double kMinFloat = -3.14e100;  // finalseg's MIN_FLOAT for unseen emissions
constexpr uint32_t kInvalidByte = 0xFFFFFFFF;
enum State { kB = 0, kM = 1, kE = 2, kS = 3 };
// Python compares (prob, state) tuples: on equal probabilities the larger state letter wins.
constexpr char kStateLetter[4] = {'B', 'M', 'E', 'S'};
// finalseg.PrevStatus, in its string order.
constexpr int kPrev[4][2] = {{kE, kS}, {kM, kB}, {kB, kM}, {kS, kE}};

bool IsHan(uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FD5; }
bool IsAsciiAlnum(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}
// re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
bool IsBlockChar(uint32_t cp) {
  return IsHan(cp) || IsAsciiAlnum(cp) || cp == '+' || cp == '#' || cp == '&' || cp == '.' || cp == '_' ||
         cp == '%' || cp == '-';
}

// Strict UTF-8 decoding of the sequence at s[i]; 0 bytes when it is invalid.
size_t DecodeAt(std::string_view s, size_t i, uint32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  uint32_t v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
    return 0;
  *cp = v;
  return len;
}

Result<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Error("jieba " + std::string(what) + " " + path +
                         ": cannot read it (install python3-jieba, or set WINNOW_JIEBA_DIR to a jieba package directory)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reads the `P = {...}` literal of a finalseg/prob_*.py file: nested dicts with string keys
// ('B', '\u4e00', ...) and float leaves. Each leaf is handed to `leaf` with its key path.
class PyDictLiteral {
 public:
  using Leaf = std::function<Status(const std::vector<std::string>&, double)>;
  PyDictLiteral(std::string_view s, std::string path) : s_(s), path_(std::move(path)) {}

  Status Parse(const Leaf& leaf) {
    size_t at = 0;  // the assignment `P=` at the start of a line
    while ((at = s_.find("P", at)) != std::string_view::npos) {
      if ((at == 0 || s_[at - 1] == '\n')) {
        p_ = at + 1;
        SkipSpace();
        if (p_ < s_.size() && s_[p_] == '=') break;
      }
      ++at;
    }
    if (at == std::string_view::npos) return Error("no `P = {...}` assignment");
    ++p_;
    std::vector<std::string> keys;
    return Value(&keys, leaf);
  }

 private:
  Status Error(const std::string& what) const {
    return Status::Error("jieba HMM table " + path_ + ": " + what + " at byte " + std::to_string(p_));
  }
  void SkipSpace() {
    while (p_ < s_.size()) {
      if (s_[p_] == '#') {
        while (p_ < s_.size() && s_[p_] != '\n') ++p_;
      } else if (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t' || s_[p_] == '\\') {
        ++p_;  // a backslash here can only be a line continuation
      } else {
        break;
      }
    }
  }
  Status Value(std::vector<std::string>* keys, const Leaf& leaf) {
    SkipSpace();
    if (p_ >= s_.size()) return Error("unexpected end of file");
    if (s_[p_] != '{') {
      size_t b = p_;
      while (p_ < s_.size() && std::string_view("0123456789+-.eE").find(s_[p_]) != std::string_view::npos) ++p_;
      std::string num(s_.substr(b, p_ - b));
      char* end = nullptr;
      double v = num.empty() ? 0 : std::strtod(num.c_str(), &end);
      if (num.empty() || end != num.c_str() + num.size()) return Error("expected a number or '{'");
      return leaf(*keys, v);
    }
    ++p_;
    for (;;) {
      SkipSpace();
      if (p_ < s_.size() && s_[p_] == '}') {
        ++p_;
        return Status::Ok();
      }
      std::string key;
      WINNOW_RETURN_IF_ERROR(String(&key));
      SkipSpace();
      if (p_ >= s_.size() || s_[p_] != ':') return Error("expected ':'");
      ++p_;
      keys->push_back(std::move(key));
      WINNOW_RETURN_IF_ERROR(Value(keys, leaf));
      keys->pop_back();
      SkipSpace();
      if (p_ < s_.size() && s_[p_] == ',') {
        ++p_;
      } else if (p_ >= s_.size() || s_[p_] != '}') {
        return Error("expected ',' or '}'");
      }
    }
  }
  Status String(std::string* out) {
    if (p_ < s_.size() && s_[p_] == 'u') ++p_;  // u'' prefix
    if (p_ >= s_.size() || (s_[p_] != '\'' && s_[p_] != '"')) return Error("expected a string key");
    char quote = s_[p_++];
    while (p_ < s_.size() && s_[p_] != quote) {
      if (s_[p_] != '\\') {
        out->push_back(s_[p_++]);
        continue;
      }
      if (++p_ >= s_.size()) break;
      char e = s_[p_++];
      int hex = e == 'u' ? 4 : e == 'U' ? 8 : e == 'x' ? 2 : 0;
      if (hex) {
        if (p_ + hex > s_.size()) return Error("truncated escape");
        std::string digits(s_.substr(p_, hex));
        char* end = nullptr;
        unsigned long cp = std::strtoul(digits.c_str(), &end, 16);
        if (end != digits.c_str() + hex || cp > 0x10FFFF) return Error("bad \\" + std::string(1, e) + " escape");
        unicode::AppendUtf8(static_cast<uint32_t>(cp), *out);
        p_ += hex;
      } else if (e == 'n') {
        out->push_back('\n');
      } else if (e == 't') {
        out->push_back('\t');
      } else if (e == 'r') {
        out->push_back('\r');
      } else {
        out->push_back(e);  // \\ \' \"
      }
    }
    if (p_ >= s_.size()) return Error("unterminated string");
    ++p_;
    return Status::Ok();
  }

  std::string_view s_;
  std::string path_;
  size_t p_ = 0;
};

int StateIndex(const std::string& k) {
  if (k.size() != 1) return -1;
  for (int i = 0; i < 4; ++i)
    if (k[0] == kStateLetter[i]) return i;
  return -1;
}

}  // namespace

std::string JiebaDir() {
  const char* v = std::getenv("WINNOW_JIEBA_DIR");
  return v && *v ? std::string(v) : std::string("/usr/lib/python3/dist-packages/jieba");
}

Result<std::unique_ptr<JiebaSegmenter>> JiebaSegmenter::Load(const std::string& dir) {
  std::unique_ptr<JiebaSegmenter> s(new JiebaSegmenter());
  WINNOW_RETURN_IF_ERROR(s->LoadDictionary(dir + "/dict.txt"));
  WINNOW_RETURN_IF_ERROR(s->LoadHmm(dir + "/finalseg"));
  return s;
}

Result<std::shared_ptr<const JiebaSegmenter>> JiebaSegmenter::Shared(const std::string& dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const JiebaSegmenter>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(dir); it != cache.end()) return it->second;
  auto s = Load(dir);
  if (!s.ok()) return s.status();
  std::shared_ptr<const JiebaSegmenter> shared(std::move(*s));
  cache.emplace(dir, shared);
  return shared;
}

// jieba's gen_pfdict: "word freq [tag]" per line; every prefix of a word is a key too (freq 0).
Status JiebaSegmenter::LoadDictionary(const std::string& path) {
  auto text = ReadFile(path, "dictionary");
  if (!text.ok()) return text.status();
  dict_text_ = std::move(*text);
  std::string_view all(dict_text_);
  int64_t total = 0;
  size_t line_no = 0;
  for (size_t pos = 0; pos < all.size();) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view line = all.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    auto bad = [&] {
      return Status::Error("invalid dictionary entry in " + path + " at line " + std::to_string(line_no) + ": " +
                           std::string(line));
    };
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad();
    std::string_view word = line.substr(0, sp), freq_text = line.substr(sp + 1);
    freq_text = freq_text.substr(0, freq_text.find(' '));
    if (!freq_text.empty() && freq_text[0] == '+') freq_text.remove_prefix(1);
    if (freq_text.empty() || freq_text.size() > 15 || word.empty()) return bad();
    int64_t freq = 0;
    for (char c : freq_text) {
      if (c < '0' || c > '9') return bad();
      freq = freq * 10 + (c - '0');
    }
    for (size_t i = 0; i < word.size();) {
      uint32_t cp;
      size_t len = DecodeAt(word, i, &cp);
      if (len == 0) return bad();
      i += len;
      freq_.try_emplace(word.substr(0, i), Entry{0, 0.0});
    }
    freq_[word] = Entry{freq, std::log(static_cast<double>(freq ? freq : 1))};
    total += freq;
  }
  if (freq_.empty() || total <= 0) return Status::Error("jieba dictionary " + path + " has no words");
  log_total_ = std::log(static_cast<double>(total));
  return Status::Ok();
}

Status JiebaSegmenter::LoadHmm(const std::string& dir) {
  for (auto& row : trans_) row.fill(kMinFloat);
  start_.fill(kMinFloat);
  const char* names[3] = {"prob_start.py", "prob_trans.py", "prob_emit.py"};
  size_t counts[3] = {0, 0, 0};
  for (int f = 0; f < 3; ++f) {
    std::string path = dir + "/" + names[f];
    auto text = ReadFile(path, "HMM table");
    if (!text.ok()) return text.status();
    auto leaf = [&](const std::vector<std::string>& keys, double v) -> Status {
      size_t want = f == 0 ? 1 : 2;
      int s = keys.empty() ? -1 : StateIndex(keys[0]);
      if (keys.size() != want || s < 0) return Status::Error("jieba HMM table " + path + ": unexpected entry shape");
      if (f == 0) {
        start_[s] = v;
      } else if (f == 1) {
        int t = StateIndex(keys[1]);
        if (t < 0) return Status::Error("jieba HMM table " + path + ": unknown state '" + keys[1] + "'");
        trans_[s][t] = v;
      } else {
        uint32_t cp;
        if (keys[1].empty() || DecodeAt(keys[1], 0, &cp) != keys[1].size())
          return Status::Error("jieba HMM table " + path + ": emission key is not one character");
        auto [it, fresh] = emit_.try_emplace(cp);
        if (fresh) it->second.fill(kMinFloat);
        it->second[s] = v;
      }
      ++counts[f];
      return Status::Ok();
    };
    WINNOW_RETURN_IF_ERROR(PyDictLiteral(*text, path).Parse(leaf));
    if (counts[f] == 0) return Status::Error("jieba HMM table " + path + " is empty");
  }
  return Status::Ok();
}

const JiebaSegmenter::Entry* JiebaSegmenter::Find(std::string_view word) const {
  auto it = freq_.find(word);
  return it == freq_.end() ? nullptr : &it->second;
}

std::vector<std::string> JiebaSegmenter::Cut(std::string_view text) const {
  std::vector<std::string> out;
  Cut(text, &out);
  return out;
}

void JiebaSegmenter::Cut(std::string_view text, std::vector<std::string>* out) const {
  std::vector<Char> chars;
  chars.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    size_t len = DecodeAt(text, i, &cp);
    if (len == 0) {
      cp = kInvalidByte;
      len = 1;
    }
    chars.push_back(Char{cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
    i += len;
  }
  const size_t n = chars.size();
  for (size_t i = 0; i < n;) {
    if (IsBlockChar(chars[i].cp)) {
      size_t j = i;
      while (j < n && IsBlockChar(chars[j].cp)) ++j;
      CutBlock(text, &chars[i], j - i, out);
      i = j;
      continue;
    }
    // Outside blocks jieba splits on (\r\n|\s) and yields every other character alone, so
    // each character is a token, except that "\r\n" stays one.
    size_t len = chars[i].cp == '\r' && i + 1 < n && chars[i + 1].cp == '\n' ? 2 : 1;
    out->emplace_back(text.substr(chars[i].begin, chars[i + len - 1].end - chars[i].begin));
    i += len;
  }
}

void JiebaSegmenter::CutBlock(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const {
  // calc(): route[i] = max over the DAG's ends x of (log P(c[i..x]) + route[x+1], x).
  std::vector<std::pair<double, size_t>> route(n + 1, {0.0, 0});
  for (size_t k = n; k-- > 0;) {
    bool any = false;
    double best = 0;
    size_t best_x = k;
    for (size_t i = k; i < n; ++i) {
      const Entry* e = Find(text.substr(c[k].begin, c[i].end - c[k].begin));
      if (!e) break;
      if (!e->freq) continue;
      double v = e->log_freq - log_total_ + route[i + 1].first;
      if (!any || v > best || (v == best && i > best_x)) best = v, best_x = i;
      any = true;
    }
    if (!any) best = 0.0 - log_total_ + route[k + 1].first;  // the character alone, log(1)
    route[k] = {best, best_x};
  }
  size_t buf = 0, buf_len = 0;  // the pending run of single characters
  for (size_t x = 0; x < n;) {
    size_t y = route[x].second + 1;
    if (y - x == 1) {
      if (buf_len++ == 0) buf = x;
    } else {
      FlushSingles(text, c + buf, buf_len, out);
      buf_len = 0;
      out->emplace_back(text.substr(c[x].begin, c[y - 1].end - c[x].begin));
    }
    x = y;
  }
  FlushSingles(text, c + buf, buf_len, out);
}

void JiebaSegmenter::FlushSingles(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const {
  if (n == 0) return;
  std::string_view run = text.substr(c[0].begin, c[n - 1].end - c[0].begin);
  const Entry* e = n > 1 ? Find(run) : nullptr;
  if (n > 1 && !(e && e->freq)) {
    HmmCut(text, c, n, out);
    return;
  }
  for (size_t i = 0; i < n; ++i) out->emplace_back(text.substr(c[i].begin, c[i].end - c[i].begin));
}

// finalseg.cut: Han runs through the Viterbi; elsewhere re_skip ([a-zA-Z0-9]+(?:\.\d+)?%?)
// matches are tokens and the text between two matches is one token.
void JiebaSegmenter::HmmCut(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const {
  auto emit = [&](size_t b, size_t e) { out->emplace_back(text.substr(c[b].begin, c[e - 1].end - c[b].begin)); };
  for (size_t i = 0; i < n;) {
    size_t j = i;
    if (IsHan(c[i].cp)) {
      while (j < n && IsHan(c[j].cp)) ++j;
      Viterbi(text, c + i, j - i, out);
      i = j;
      continue;
    }
    size_t other = i;  // start of the text between matches
    while (j < n && !IsHan(c[j].cp)) {
      if (!IsAsciiAlnum(c[j].cp)) {
        ++j;
        continue;
      }
      if (j > other) emit(other, j);
      size_t m = j;
      while (m < n && IsAsciiAlnum(c[m].cp)) ++m;
      if (m + 1 < n && c[m].cp == '.' && c[m + 1].cp >= '0' && c[m + 1].cp <= '9') {
        m += 2;
        while (m < n && c[m].cp >= '0' && c[m].cp <= '9') ++m;
      }
      if (m < n && c[m].cp == '%') ++m;
      emit(j, m);
      j = other = m;
    }
    if (j > other) emit(other, j);
    i = j;
  }
}

void JiebaSegmenter::Viterbi(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const {
  static const std::array<double, 4> kUnseen = {kMinFloat, kMinFloat, kMinFloat, kMinFloat};
  auto emission = [&](uint32_t cp) -> const std::array<double, 4>& {
    auto it = emit_.find(cp);
    return it == emit_.end() ? kUnseen : it->second;
  };
  std::vector<std::array<uint8_t, 4>> from(n);
  std::array<double, 4> v;
  const auto& e0 = emission(c[0].cp);
  for (int y = 0; y < 4; ++y) v[y] = start_[y] + e0[y];
  for (size_t t = 1; t < n; ++t) {
    const auto& em = emission(c[t].cp);
    std::array<double, 4> next;
    for (int y = 0; y < 4; ++y) {
      int a = kPrev[y][0], b = kPrev[y][1];
      double pa = v[a] + trans_[a][y] + em[y], pb = v[b] + trans_[b][y] + em[y];
      bool take_b = pb > pa || (pb == pa && kStateLetter[b] > kStateLetter[a]);
      next[y] = take_b ? pb : pa;
      from[t][y] = static_cast<uint8_t>(take_b ? b : a);
    }
    v = next;
  }
  std::vector<uint8_t> path(n);
  path[n - 1] = v[kS] >= v[kE] ? kS : kE;
  for (size_t t = n - 1; t > 0; --t) path[t - 1] = from[t][path[t]];
  size_t begin = 0, next_i = 0;
  for (size_t i = 0; i < n; ++i) {
    if (path[i] == kB) {
      begin = i;
    } else if (path[i] == kE) {
      out->emplace_back(text.substr(c[begin].begin, c[i].end - c[begin].begin));
      next_i = i + 1;
    } else if (path[i] == kS) {
      out->emplace_back(text.substr(c[i].begin, c[i].end - c[i].begin));
      next_i = i + 1;
    }
  }
  if (next_i < n) out->emplace_back(text.substr(c[next_i].begin, c[n - 1].end - c[next_i].begin));
}

}  // namespace winnow
