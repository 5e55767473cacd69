// KenLM binary models: the file header, the mapping, the probing store and KenLM's scorer.
// The format is KenLM's memory image (lm/binary_format.cc): a header of sanity values and
// parameters, then the vocabulary and the n-gram store exactly as KenLM lays them out in
// memory, then (optionally) the vocabulary strings, which scoring does not need (words are
// looked up by the 64-bit hash of their bytes).
#include "winnow/models/kenlm_binary.h"

#include <type_traits>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <variant>

#include "winnow/models/kenlm_search.h"

namespace winnow {
namespace kenlm {

uint64_t VocabHash(std::string_view word) {
  // MurmurHash64A (Austin Appleby), seed 0, little-endian 8-byte blocks.
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(word.data());
  const size_t len = word.size();
  uint64_t h = len * m;
  for (size_t i = 0; i + 8 <= len; i += 8) {
    uint64_t k = LoadU64(p + i);
    k *= m;
    k ^= k >> 47;
    k *= m;
    h = (h ^ k) * m;
  }
  const uint8_t* tail = p + (len & ~size_t{7});
  if (size_t rem = len & 7) {
    for (size_t i = rem; i-- > 0;) h ^= static_cast<uint64_t>(tail[i]) << (8 * i);
    h *= m;
  }
  h ^= h >> 47;
  h *= m;
  h ^= h >> 47;
  return h;
}

Status ProbingSearch::Init(const Counts& c, float multiplier, bool rest_costs, Span rest, uint64_t* used) {
  const uint64_t limit = rest.size;
  uint64_t off = 0;
  auto take = [&](uint64_t entries, uint64_t entry_size, const uint8_t** at) {
    *at = rest.data + off;
    // entries <= file size (checked by the caller), so the product cannot overflow.
    uint64_t size = entries * entry_size;
    if (size > limit || off > limit - size) return false;
    off += size;
    return true;
  };
  auto truncated = [] { return Status::Error("truncated or corrupt probing model (sizes do not fit the file)"); };
  // Vocabulary: {version, bound} padded to 8 bytes, then a table of (hash, id) packed in 12 bytes.
  const uint8_t* vocab_header;
  if (!take(1, 8, &vocab_header)) return truncated();
  if (LoadU32(vocab_header) != 0)
    return Status::Error("unsupported probing vocabulary version " + std::to_string(LoadU32(vocab_header)));
  bound_ = LoadU32(vocab_header + 4);
  if (bound_ < 1 || bound_ > c.n[0] + 1)
    return Status::Error("vocabulary size " + std::to_string(bound_) + " does not match the unigram count " +
                         std::to_string(c.n[0]));
  vocab_ = ProbingTable{nullptr, ProbingBuckets(c.n[0], multiplier), 12};
  if (!take(vocab_.buckets, 12, &vocab_.base)) return truncated();
  // Unigrams by id (one spare slot for a missing <unk>), then one table per middle order of
  // (key, weights), then the longest order's (key, prob) packed in 12 bytes.
  weights_size_ = rest_costs ? 12 : 8;
  if (!take(c.n[0] + 1, weights_size_, &unigrams_)) return truncated();
  middle_.clear();
  for (int n = 2; n < c.order(); ++n) {
    ProbingTable t{nullptr, ProbingBuckets(c.n[n - 1], multiplier), 8 + weights_size_};
    if (!take(t.buckets, t.entry_size, &t.base)) return truncated();
    middle_.push_back(t);
  }
  longest_ = ProbingTable{nullptr, ProbingBuckets(c.n.back(), multiplier), 12};
  if (!take(longest_.buckets, 12, &longest_.base)) return truncated();
  *used = off;
  return Status::Ok();
}

namespace {

constexpr char kMagic[] = "mmap lm http://kheafield.com/code format version 5\n";  // then \0 and padding
constexpr char kMagicPrefix[] = "mmap lm http://kheafield.com/code format version";
constexpr char kMagicIncomplete[] = "mmap lm http://kheafield.com/code incomplete\n";
constexpr size_t kSanitySize = 88;  // magic (56) + 3 floats + 3 uint32 + uint64
constexpr size_t kParamsSize = 20;  // order, probing multiplier, model type, has vocabulary, search version
constexpr int kMaxOrder = 32;
const char* const kVariantNames[] = {"probing", "probing with rest costs", "trie", "trie with quantization",
                                     "trie with array-compressed pointers",
                                     "trie with quantization and array-compressed pointers"};

// KenLM's sanity block: the magic, then values that catch a foreign float/int layout.
std::string SanityBlock() {
  std::string s(kSanitySize, '\0');
  std::memcpy(&s[0], kMagic, sizeof(kMagic) - 1);
  const float floats[3] = {0.0f, 1.0f, -0.5f};
  const uint32_t ints[3] = {1, 0xFFFFFFFFu, 0};
  const uint64_t one = 1;
  std::memcpy(&s[56], floats, 12);
  std::memcpy(&s[68], ints, 12);
  std::memcpy(&s[80], &one, 8);
  return s;
}

// A read-only private mapping of a whole file.
class Mapping {
 public:
  ~Mapping() {
    if (data_) munmap(const_cast<uint8_t*>(data_), size_);
  }
  Status Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::Error("cannot open '" + path + "': " + std::strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status::Error("'" + path + "' is not a regular file");
    }
    size_ = static_cast<uint64_t>(st.st_size);
    if (size_ > 0) {
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        return Status::Error("cannot map '" + path + "': " + std::strerror(errno));
      }
      data_ = static_cast<const uint8_t*>(p);
    }
    ::close(fd);
    return Status::Ok();
  }
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

// KenLM's right state: the words that can still extend an n-gram (newest first) and the
// back-off weight of each suffix n-gram ending at the newest word.
struct State {
  uint32_t words[kMaxOrder];
  float backoff[kMaxOrder];
  int length = 0;
};

// KenLM's GenericModel::FullScore: the probability of the longest n-gram found, plus the
// back-offs of the context lengths it did not reach, summed in float in KenLM's order. An
// n-gram with a "-0.0" back-off extends no further right, so it leaves the state (that is how
// KenLM keeps states minimal; the scores are those of the plain back-off recursion).
template <class Search>
float FullScore(const Search& s, int order, const State& in, uint32_t w, State* out) {
  typename Search::Node node;
  bool independent_left;
  float prob, backoff;
  s.Unigram(w, &node, &independent_left, &prob, &backoff);
  auto has_extension = [](float b) { return Bits(b) != kSign; };
  out->backoff[0] = backoff;
  out->words[0] = w;
  int next_use = has_extension(backoff) ? 1 : 0;
  int ngram_length = 1;
  int k = 0;  // context words matched beyond the unigram
  for (; k < in.length && !independent_left; ++k) {
    float p, b;
    if (k == order - 2) {
      if (s.Longest(in.words[k], node, &p)) {
        prob = p;
        ngram_length = order;
      }
      break;
    }
    if (!s.Middle(k, in.words[k], &node, &independent_left, &p, &b)) break;
    out->backoff[k + 1] = b;
    prob = p;
    ngram_length = k + 2;
    if (has_extension(b)) next_use = k + 2;
  }
  out->length = next_use;
  for (int i = 1; i < next_use; ++i) out->words[i] = in.words[i - 1];
  for (int i = ngram_length - 1; i < in.length; ++i) prob += in.backoff[i];
  return prob;
}

}  // namespace
}  // namespace kenlm

using kenlm::State;

struct KenlmBinaryModel::Impl {
  kenlm::Mapping file;
  int model_type = 0;
  int order = 0;
  std::variant<kenlm::ProbingSearch, kenlm::TrieSearch> search;
  uint32_t bos = 0, eos = 0;

  template <class F>
  auto Visit(F&& f) const {
    return std::visit(std::forward<F>(f), search);
  }
  template <class S>
  void BeginSentence(const S& s, State* st) const {
    typename S::Node node;
    bool independent_left;
    float prob;
    st->length = 1;
    st->words[0] = bos;
    s.Unigram(bos, &node, &independent_left, &prob, &st->backoff[0]);
  }
};

KenlmBinaryModel::KenlmBinaryModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KenlmBinaryModel::~KenlmBinaryModel() = default;

bool KenlmBinaryModel::HasMagic(std::string_view first_bytes) {
  return first_bytes.substr(0, 8) == std::string_view(kenlm::kMagicPrefix, 8);
}

Result<std::unique_ptr<KenlmBinaryModel>> KenlmBinaryModel::Load(const std::string& path) {
  using namespace kenlm;
  auto impl = std::make_unique<Impl>();
  WINNOW_RETURN_IF_ERROR(impl->file.Open(path));
  const uint8_t* data = impl->file.data();
  const uint64_t size = impl->file.size();
  auto err = [&](const std::string& what) { return Status::Error("KenLM binary model '" + path + "': " + what); };
  std::string_view head(reinterpret_cast<const char*>(data), std::min<uint64_t>(size, kSanitySize));
  if (head.substr(0, sizeof(kMagicIncomplete) - 1) == kMagicIncomplete)
    return err("the file did not finish building (build_binary failed or is still running)");
  if (head.substr(0, sizeof(kMagicPrefix) - 1) != kMagicPrefix)
    return Status::Error("'" + path + "' is not a KenLM binary model (no KenLM magic string)");
  if (head.substr(0, sizeof(kMagic) - 1) != kMagic)
    return err("unsupported format version (Winnow reads version 5, what KenLM writes since 2011)");
  if (size < kSanitySize + kParamsSize) return err("truncated header (" + std::to_string(size) + " bytes)");
  if (head != SanityBlock())
    return err("the header's test values do not match (a file from another architecture or a corrupt header)");

  const uint8_t* params = data + kSanitySize;
  const int order = params[0];
  const float multiplier = LoadF32(params + 4);
  const uint32_t model_type = LoadU32(params + 8);
  const bool has_vocabulary = params[12] != 0;
  const uint32_t search_version = LoadU32(params + 16);
  if (order < 2 || order > kMaxOrder) return err("unsupported order " + std::to_string(order));
  const uint64_t header_size = (kSanitySize + kParamsSize + 8 * order + 7) / 8 * 8;
  if (size < header_size) return err("truncated header (" + std::to_string(size) + " bytes)");
  Counts counts;
  for (int i = 0; i < order; ++i) {
    counts.n.push_back(LoadU64(params + kParamsSize + 8 * i));
    // Every n-gram takes at least a byte, which also keeps the size arithmetic below 2^64.
    if (counts.n.back() > size)
      return err("truncated or corrupt file: " + std::to_string(counts.n.back()) + " " + std::to_string(i + 1) +
                 "-grams cannot fit in " + std::to_string(size) + " bytes");
  }
  if (counts.n[0] == 0 || counts.n[0] >= 0xFFFFFFFFu) return err("bad unigram count " + std::to_string(counts.n[0]));
  if (model_type > 5) return err("unknown data structure " + std::to_string(model_type));
  const bool probing = model_type <= 1;
  if (search_version != (probing ? 0u : 1u))
    return err(std::string("unsupported ") + kVariantNames[model_type] + " version " + std::to_string(search_version));
  Span rest{data + header_size, size - header_size, header_size};
  uint64_t used = 0;
  Status st;
  if (probing) {
    if (!(multiplier >= 1.0f) || !(multiplier < 1e6f)) return err("bad probing multiplier " + std::to_string(multiplier));
    ProbingSearch s;
    st = s.Init(counts, multiplier, model_type == 1, rest, &used);
    impl->search = std::move(s);
  } else {
    TrieSearch s;
    st = s.Init(counts, model_type == 3 || model_type == 5, model_type >= 4, rest, &used);
    impl->search = std::move(s);
  }
  if (!st.ok()) return err(std::string(kVariantNames[model_type]) + ": " + st.message());
  impl->model_type = static_cast<int>(model_type);
  impl->order = order;
  uint32_t bound = 0;
  impl->Visit([&](const auto& s) {
    impl->bos = s.Index("<s>");
    impl->eos = s.Index("</s>");
    bound = s.bound();
  });
  // As KenLM does: the vocabulary strings (NUL-terminated, <unk> first) must start where the
  // n-grams end and hold one string per word id, which catches a file cut short.
  if (has_vocabulary) {
    const uint8_t* words = rest.data + used;
    const uint64_t words_size = rest.size - used;
    if (words_size < 6 || std::memcmp(words, "<unk>", 6) != 0)
      return err("the vocabulary strings are missing or misplaced (truncated file?)");
    uint64_t strings = 0;
    for (const uint8_t* p = words; (p = static_cast<const uint8_t*>(std::memchr(p, 0, words + words_size - p)));
         ++p)
      ++strings;
    if (strings != bound)
      return err("the file has " + std::to_string(strings) + " vocabulary strings for " + std::to_string(bound) +
                 " words (truncated file?)");
  }
  return std::unique_ptr<KenlmBinaryModel>(new KenlmBinaryModel(std::move(impl)));
}

int KenlmBinaryModel::order() const { return impl_->order; }
size_t KenlmBinaryModel::vocab_size() const {
  return impl_->Visit([](const auto& s) { return static_cast<size_t>(s.bound()); });
}
const char* KenlmBinaryModel::variant() const { return kenlm::kVariantNames[impl_->model_type]; }

float KenlmBinaryModel::Score(std::string_view sentence) const {
  thread_local std::vector<uint32_t> ids;
  ids.clear();
  ForEachKenlmWord(sentence, [&](std::string_view w) { ids.push_back(WordIndex(w)); });
  return ScoreIds(ids.data(), ids.size());
}

float KenlmBinaryModel::ScoreIds(const uint32_t* words, size_t num_words) const {
  return impl_->Visit([&](const auto& s) {
    // With the probing store, the hash-table buckets of the n-grams ending kAhead words on are
    // prefetched (their keys depend on the words only), so the table's cache misses overlap: a
    // model larger than the cache otherwise waits for memory at every lookup, as KenLM itself
    // does. (The trie's lookups are dependent binary searches: nothing to fetch early.)
    constexpr bool kPrefetch = std::is_same_v<std::decay_t<decltype(s)>, kenlm::ProbingSearch>;
    constexpr size_t kAhead = 16;
    thread_local std::vector<uint32_t> seq;  // <s> words </s>
    seq.resize(num_words + 2);
    seq[0] = impl_->bos;
    std::copy(words, words + num_words, seq.begin() + 1);
    seq[num_words + 1] = impl_->eos;
    if constexpr (kPrefetch)
      for (size_t p = 1; p < std::min(seq.size(), 1 + kAhead); ++p) s.Prefetch(seq.data(), p, impl_->order);
    State states[2];
    State* in = &states[0];
    State* out = &states[1];
    impl_->BeginSentence(s, in);
    float total = 0.0f;
    for (size_t p = 1; p < seq.size(); ++p) {
      if constexpr (kPrefetch)
        if (p + kAhead < seq.size()) s.Prefetch(seq.data(), p + kAhead, impl_->order);
      total += kenlm::FullScore(s, impl_->order, *in, seq[p], out);
      std::swap(in, out);
    }
    return total;
  });
}

uint32_t KenlmBinaryModel::WordIndex(std::string_view word) const {
  return impl_->Visit([&](const auto& s) { return static_cast<uint32_t>(s.Index(word)); });
}

float KenlmBinaryModel::LogProb(const std::vector<std::string>& context, const std::string& word) const {
  return impl_->Visit([&](const auto& s) {
    State states[2];
    State* in = &states[0];
    State* out = &states[1];
    for (const auto& c : context) {
      kenlm::FullScore(s, impl_->order, *in, s.Index(c), out);
      std::swap(in, out);
    }
    return kenlm::FullScore(s, impl_->order, *in, s.Index(word), out);
  });
}

}  // namespace winnow
