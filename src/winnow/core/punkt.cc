// PunktParameters I/O and a port of NLTK 3.8's PunktTrainer. See punkt.h.
//
// The arithmetic follows nltk's expressions operation by operation (same libm calls, same
// order), so scores compare bit for bit with Python's floats; Python's exceptions on log(0)
// become the zero summands nltk substitutes for them.
#include "winnow/core/punkt.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "winnow/core/nltk_punkt_internal.h"
#include "winnow/core/unicode.h"

#ifndef WINNOW_DATA_DIR
#define WINNOW_DATA_DIR "data"
#endif

namespace winnow::nltk {

using internal::AnnotatedToken;

bool PunktParams::IsCollocation(std::string_view t1, std::string_view t2) const {
  if (collocations.empty()) return false;
  thread_local std::string key;
  key.assign(t1);
  key.push_back('\t');
  key.append(t2);
  return collocations.count(key) != 0;
}

std::string PunktParams::Serialize(std::string_view header_comment) const {
  std::vector<std::string> lines;
  for (const auto& t : abbrev_types) lines.push_back("abbrev\t" + t);
  for (const auto& t : collocations) lines.push_back("colloc\t" + t);
  for (const auto& t : sent_starters) lines.push_back("starter\t" + t);
  for (const auto& [t, f] : ortho_context)
    if (f != 0) lines.push_back("ortho\t" + t + "\t" + std::to_string(f));
  std::sort(lines.begin(), lines.end());
  std::string out = "# winnow punkt parameters v1\n";
  if (!header_comment.empty()) {
    std::istringstream in{std::string(header_comment)};
    for (std::string l; std::getline(in, l);) out += "# " + l + "\n";
  }
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Result<PunktParams> PunktParams::Parse(std::string_view text, const std::string& source) {
  PunktParams p;
  size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> f;
    for (size_t b = 0;;) {
      size_t t = line.find('\t', b);
      f.push_back(line.substr(b, t == std::string_view::npos ? std::string_view::npos : t - b));
      if (t == std::string_view::npos) break;
      b = t + 1;
    }
    auto bad = [&](const std::string& why) {
      return Status::Error(source + ":" + std::to_string(line_no) + ": " + why);
    };
    for (std::string_view x : f)
      if (x.empty()) return bad("empty field");
    if (f[0] == "abbrev" && f.size() == 2) {
      p.abbrev_types.emplace(f[1]);
    } else if (f[0] == "starter" && f.size() == 2) {
      p.sent_starters.emplace(f[1]);
    } else if (f[0] == "colloc" && f.size() == 3) {
      p.collocations.emplace(std::string(f[1]) + "\t" + std::string(f[2]));
    } else if (f[0] == "ortho" && f.size() == 3) {
      std::string num(f[2]);
      char* end = nullptr;
      long v = std::strtol(num.c_str(), &end, 10);
      if (*end != '\0' || v <= 0 || v > 127) return bad("ortho flags must be 1..127, got '" + num + "'");
      p.ortho_context[std::string(f[1])] = static_cast<int>(v);
    } else {
      return bad("expected 'abbrev|starter TYPE', 'colloc TYPE TYPE' or 'ortho TYPE FLAGS' "
                 "(tab-separated)");
    }
  }
  if (!unicode::IsValidUtf8(text)) return Status::Error(source + ": not valid UTF-8");
  return p;
}

Result<PunktParams> PunktParams::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("cannot read Punkt parameters '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Error("error reading Punkt parameters '" + path + "'");
  return Parse(ss.str(), path);
}

Result<const PunktParams*> TrainedPunkt(const std::string& lang) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::unique_ptr<PunktParams>>();  // never freed
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(lang);
  if (it != cache->end()) return static_cast<const PunktParams*>(it->second.get());
  const char* env = std::getenv("WINNOW_PUNKT_DIR");
  std::string dir = env && *env ? env : std::string(WINNOW_DATA_DIR) + "/punkt";
  auto loaded = PunktParams::Load(dir + "/" + lang + ".punkt");
  if (!loaded.ok()) return loaded.status();
  auto& slot = (*cache)[lang];
  slot = std::make_unique<PunktParams>(std::move(*loaded));
  return static_cast<const PunktParams*>(slot.get());
}

// ---------------------------------------------------------------------------------------------
// Trainer.

namespace {

constexpr double kAbbrev = 0.3;
constexpr int kAbbrevBackoff = 5;
constexpr double kCollocation = 7.88;
constexpr double kSentStarter = 30;
constexpr long kMinCollocFreq = 1;

// PunktTrainer._dunning_log_likelihood.
double DunningLogLikelihood(long count_a, long count_b, long count_ab, long n) {
  double p1 = static_cast<double>(count_b) / static_cast<double>(n);
  double p2 = 0.99;
  double null_hypo = count_ab * std::log(p1) + (count_a - count_ab) * std::log(1.0 - p1);
  double alt_hypo = count_ab * std::log(p2) + (count_a - count_ab) * std::log(1.0 - p2);
  double likelihood = null_hypo - alt_hypo;
  return -2.0 * likelihood;
}

// Python's math.log raises ValueError for x <= 0; nltk then uses a zero summand.
bool LogOk(double x) { return x > 0; }

// PunktTrainer._col_log_likelihood.
double ColLogLikelihood(long count_a, long count_b, long count_ab, long n) {
  double p = static_cast<double>(count_b) / static_cast<double>(n);
  double p1 = static_cast<double>(count_ab) / static_cast<double>(count_a);
  double p2 = n - count_a == 0 ? 1.0
                               : static_cast<double>(count_b - count_ab) / static_cast<double>(n - count_a);
  double summand1 = 0, summand2 = 0, summand3 = 0, summand4 = 0;
  if (LogOk(p) && LogOk(1.0 - p)) {
    summand1 = count_ab * std::log(p) + (count_a - count_ab) * std::log(1.0 - p);
    summand2 = (count_b - count_ab) * std::log(p) +
               (n - count_a - count_b + count_ab) * std::log(1.0 - p);
  }
  if (!(count_a == count_ab || p1 <= 0 || p1 >= 1))
    summand3 = count_ab * std::log(p1) + (count_a - count_ab) * std::log(1.0 - p1);
  if (!(count_b == count_ab || p2 <= 0 || p2 >= 1))
    summand4 = (count_b - count_ab) * std::log(p2) +
               (n - count_a - count_b + count_ab) * std::log(1.0 - p2);
  double likelihood = summand1 + summand2 - summand3 - summand4;
  return -2.0 * likelihood;
}

size_t CodePoints(std::string_view s) { return unicode::CountCodePoints(s); }

// s[:-1] in Python (drops the last code point).
std::string_view DropLastCodePoint(std::string_view s) {
  if (s.empty()) return s;
  size_t b = s.size() - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  return s.substr(0, b);
}

}  // namespace

struct PunktTrainer::Impl {
  std::unordered_map<std::string, long> type_fdist;
  long type_n = 0;  // FreqDist.N()
  long num_period_toks = 0;
  std::unordered_map<std::string, long> collocation_fdist;  // "type1\ttype2"
  std::unordered_map<std::string, long> sent_starter_fdist;
  long sentbreak_count = 0;

  long Count(std::string_view t) const {
    auto it = type_fdist.find(std::string(t));
    return it == type_fdist.end() ? 0 : it->second;
  }
};

PunktTrainer::PunktTrainer() : impl_(new Impl) {}
PunktTrainer::~PunktTrainer() { delete impl_; }

void PunktTrainer::Train(std::string_view text) {
  Impl& d = *impl_;
  PunktParams& p = params_;
  // _tokenize_words: lines split on '\n'; blank lines mark the next token as a paragraph start.
  std::vector<AnnotatedToken> toks;
  std::vector<std::string_view> words;
  bool parastart = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (unicode::PyStrip(line).empty()) {
      parastart = true;
      continue;
    }
    words.clear();
    internal::PunktWords(line, &words);
    for (size_t k = 0; k < words.size(); ++k) {
      AnnotatedToken t;
      t.tok = words[k];
      t.type = internal::PunktType(words[k]);
      t.period_final = words[k].back() == '.';
      if (k == 0) {
        t.linestart = true;
        t.parastart = parastart;
        parastart = false;
      }
      toks.push_back(std::move(t));
    }
  }
  n_tokens_ += toks.size();

  for (const AnnotatedToken& t : toks) {
    ++d.type_fdist[t.type];
    ++d.type_n;
    if (t.period_final) ++d.num_period_toks;
  }

  // _reclassify_abbrev_types over the unique types. nltk iterates a Python set (hash order);
  // the outcome depends on the order only if both "x." and "x.." occur, so sorted order is used.
  std::vector<std::string> types;
  {
    std::unordered_set<std::string> seen;
    for (const AnnotatedToken& t : toks)
      if (seen.insert(t.type).second) types.push_back(t.type);
    std::sort(types.begin(), types.end());
  }
  for (std::string typ : types) {
    if (!internal::HasNonPunct(typ) || typ == "##number##") continue;
    bool is_add;
    if (typ.back() == '.') {
      if (p.abbrev_types.count(typ)) continue;
      typ.pop_back();
      is_add = true;
    } else {
      if (!p.abbrev_types.count(typ)) continue;
      is_add = false;
    }
    long num_periods = static_cast<long>(std::count(typ.begin(), typ.end(), '.')) + 1;
    long num_nonperiods = static_cast<long>(CodePoints(typ)) - num_periods + 1;
    long count_with_period = d.Count(typ + ".");
    long count_without_period = d.Count(typ);
    double log_likelihood = DunningLogLikelihood(count_with_period + count_without_period,
                                                 d.num_period_toks, count_with_period, d.type_n);
    double f_length = std::exp(static_cast<double>(-num_nonperiods));
    double f_periods = static_cast<double>(num_periods);
    double f_penalty = std::pow(static_cast<double>(num_nonperiods),
                                static_cast<double>(-count_without_period));
    double score = log_likelihood * f_length * f_periods * f_penalty;
    if (score >= kAbbrev) {
      if (is_add) p.abbrev_types.insert(typ);
    } else if (!is_add) {
      p.abbrev_types.erase(typ);
    }
  }

  // First pass with the abbreviations known now.
  for (AnnotatedToken& t : toks) {
    bool para = t.parastart, line = t.linestart;
    internal::FirstPass(t.tok, p, &t);
    t.parastart = para;
    t.linestart = line;
  }

  // _get_orthography_data.
  enum Ctx { kInternal, kInitial, kUnknown } context = kInternal;
  for (const AnnotatedToken& t : toks) {
    if (t.parastart && context != kUnknown) context = kInitial;
    if (t.linestart && context == kInternal) context = kUnknown;
    bool lower = internal::FirstIsLower(t.tok);
    bool upper = !lower && internal::FirstIsUpper(t.tok);
    int flag = 0;
    if (lower) flag = context == kInitial ? kOrthoBegLc : context == kInternal ? kOrthoMidLc : kOrthoUnkLc;
    if (upper) flag = context == kInitial ? kOrthoBegUc : context == kInternal ? kOrthoMidUc : kOrthoUnkUc;
    if (flag) p.ortho_context[std::string(t.TypeNoSentPeriod())] |= flag;
    if (t.sentbreak) {
      context = (t.IsNumber() || internal::IsInitial(t.tok)) ? kUnknown : kInitial;
    } else if (t.ellipsis || t.abbr) {
      context = kUnknown;
    } else {
      context = kInternal;
    }
  }

  for (const AnnotatedToken& t : toks)
    if (t.sentbreak) ++d.sentbreak_count;

  // Pairs whose first token ends in a period.
  for (size_t k = 0; k + 1 < toks.size(); ++k) {
    const AnnotatedToken& t1 = toks[k];
    const AnnotatedToken& t2 = toks[k + 1];
    if (!t1.period_final) continue;
    bool t1_initial = internal::IsInitial(t1.tok);

    // _is_rare_abbrev_type
    if (!t1.abbr && t1.sentbreak) {
      std::string typ(t1.TypeNoSentPeriod());
      long count = d.Count(typ) + d.Count(DropLastCodePoint(typ));
      if (!p.abbrev_types.count(typ) && count < kAbbrevBackoff) {
        bool rare = false;
        size_t first_len = static_cast<size_t>(unicode::Utf8SeqLen(static_cast<unsigned char>(t2.tok[0])));
        std::string_view first = t2.tok.substr(0, first_len);
        if (first == "," || first == ":" || first == ";") {
          rare = true;
        } else if (internal::FirstIsLower(t2.tok)) {
          int o = p.Ortho(std::string(t2.TypeNoSentPeriod()));
          rare = (o & kOrthoBegUc) && !(o & kOrthoMidUc);
        }
        if (rare) p.abbrev_types.insert(std::string(t1.TypeNoPeriod()));
      }
    }

    // _is_potential_sent_starter(t2, t1)
    if (t1.sentbreak && !(t1.IsNumber() || t1_initial) && internal::IsAlpha(t2.tok))
      ++d.sent_starter_fdist[t2.type];

    // _is_potential_collocation
    if (t1.sentbreak && (t1.IsNumber() || t1_initial) && internal::HasNonPunct(t1.type) &&
        internal::HasNonPunct(t2.type)) {
      std::string key(t1.TypeNoPeriod());
      key.push_back('\t');
      key.append(t2.TypeNoSentPeriod());
      ++d.collocation_fdist[key];
    }
  }
}

void PunktTrainer::Finalize() {
  Impl& d = *impl_;
  PunktParams& p = params_;
  const double n = static_cast<double>(d.type_n);

  p.sent_starters.clear();
  for (const auto& [typ, at_break] : d.sent_starter_fdist) {
    long typ_count = d.Count(typ) + d.Count(typ + ".");
    if (typ_count < at_break) continue;
    double ll = ColLogLikelihood(d.sentbreak_count, typ_count, at_break, d.type_n);
    if (ll >= kSentStarter &&
        n / static_cast<double>(d.sentbreak_count) >
            static_cast<double>(typ_count) / static_cast<double>(at_break))
      p.sent_starters.insert(typ);
  }

  p.collocations.clear();
  for (const auto& [key, col_count] : d.collocation_fdist) {
    size_t tab = key.find('\t');
    std::string typ1 = key.substr(0, tab), typ2 = key.substr(tab + 1);
    if (p.sent_starters.count(typ2)) continue;
    long typ1_count = d.Count(typ1) + d.Count(typ1 + ".");
    long typ2_count = d.Count(typ2) + d.Count(typ2 + ".");
    if (typ1_count > 1 && typ2_count > 1 && kMinCollocFreq < col_count &&
        col_count <= std::min(typ1_count, typ2_count)) {
      double ll = ColLogLikelihood(typ1_count, typ2_count, col_count, d.type_n);
      if (ll >= kCollocation &&
          n / static_cast<double>(typ1_count) >
              static_cast<double>(typ2_count) / static_cast<double>(col_count))
        p.collocations.insert(key);
    }
  }
}

}  // namespace winnow::nltk
