// KenLM's "trie" data structure (build_binary trie [-q bits [-b bits]] [-a bits]): layout and
// lookups. See kenlm_search.h.
#include <algorithm>
#include <limits>

#include "winnow/models/kenlm_search.h"

namespace winnow::kenlm {
namespace {

constexpr uint8_t kQuantVersion = 2;    // SeparatelyQuantize's header byte
constexpr uint8_t kBhikshaVersion = 0;  // ArrayBhiksha's header byte

// off += size if the result stays within limit (no overflow).
bool Advance(uint64_t* off, uint64_t size, uint64_t limit) {
  if (size > limit || *off > limit - size) return false;
  *off += size;
  return true;
}

// Bhiksha-Raj/Whittaker pointer compression: how many of a pointer's high bits go into the
// offsets array instead of each record (KenLM picks the count that saves the most memory, up
// to the -a limit written in the file).
uint8_t ChopBits(uint64_t max_offset, uint64_t max_next, uint8_t limit) {
  uint8_t required = RequiredBits(max_next);
  uint8_t best = 0;
  int64_t lowest = std::numeric_limits<int64_t>::max();
  for (uint8_t chop = 0; chop <= std::min(required, limit); ++chop) {
    // Table cost (64 bits per array entry) minus the bits saved in the records; KenLM computes
    // it in unsigned arithmetic and reads it as signed.
    int64_t change = static_cast<int64_t>((max_next >> (required - chop)) * 64 - max_offset * chop);
    if (change < lowest) {
      lowest = change;
      best = chop;
    }
  }
  return best;
}

}  // namespace

Status TrieSearch::Init(const Counts& c, bool quantized, bool bhiksha, Span rest, uint64_t* used) {
  const int order = c.order();
  const uint64_t limit = rest.size;
  auto truncated = [] { return Status::Error("truncated or corrupt trie (sizes do not fit the file)"); };
  // Vocabulary: the number of words (without <unk>), then their sorted hashes.
  uint64_t off = 0;
  if (!Advance(&off, 8 + 8 * c.n[0], limit)) return truncated();
  vocab_words_ = LoadU64(rest.data);
  if (vocab_words_ > c.n[0]) return Status::Error("vocabulary size " + std::to_string(vocab_words_) +
                                                  " exceeds the unigram count " + std::to_string(c.n[0]));
  vocab_ = rest.data + 8;

  // Quantization tables (-q/-b): a header (version, probability bits, back-off bits), then per
  // middle order a probability and a back-off table, then the longest order's probabilities.
  const uint8_t* quant = rest.data + off;
  uint8_t middle_value_bits = 63, longest_value_bits = 31;  // unquantized: 31-bit prob + float backoff
  quantized_ = quantized;
  if (quantized) {
    if (!Advance(&off, 8, limit)) return truncated();
    if (quant[0] != kQuantVersion) return Status::Error("unsupported quantization version " + std::to_string(quant[0]));
    prob_bits_ = quant[1];
    backoff_bits_ = quant[2];
    if (prob_bits_ < 1 || prob_bits_ > 25 || backoff_bits_ < 1 || backoff_bits_ > 25)
      return Status::Error("bad quantization bits " + std::to_string(prob_bits_) + "/" + std::to_string(backoff_bits_));
    uint64_t prob_table = (1ULL << prob_bits_) * 4, backoff_table = (1ULL << backoff_bits_) * 4;
    if (!Advance(&off, (order - 2) * (prob_table + backoff_table) + prob_table, limit)) return truncated();
    middle_value_bits = prob_bits_ + backoff_bits_;
    longest_value_bits = prob_bits_;
  }
  const uint8_t* bins = quant + 8;

  // Unigrams: (prob, backoff, first child) for each id, plus <unk> slack and an end pointer.
  unigrams_ = rest.data + off;
  if (!Advance(&off, (c.n[0] + 2) * 16, limit)) return truncated();
  first_level_entries_ = c.n[1];

  uint8_t bhiksha_limit = 0;
  if (bhiksha && order > 2) {
    if (!Advance(&off, 0, limit) || limit - off < 2) return truncated();
    if (rest.data[off] != kBhikshaVersion)
      return Status::Error("unsupported pointer compression version " + std::to_string(rest.data[off]));
    bhiksha_limit = rest.data[off + 1];
  }
  const uint8_t word_bits = RequiredBits(c.n[0]);
  if (word_bits > 57) return Status::Error("vocabulary too large");
  middle_.assign(order - 2, Level());
  for (int i = 2; i < order; ++i) {  // middle order i
    Level& l = middle_[i - 2];
    l.entries = c.n[i - 1];
    l.next_entries = c.n[i];
    const uint64_t max_next = c.n[i];
    const uint8_t required = RequiredBits(max_next);
    uint8_t chop = bhiksha ? ChopBits(l.entries + 1, max_next, bhiksha_limit) : 0;
    l.next_bits = required - chop;
    if (required > 57) return Status::Error("too many n-grams");
    if (bhiksha) {
      // An 8-byte header, then the offsets array at the next 8-byte boundary of the file.
      l.offsets_count = (max_next >> l.next_bits) + 1;
      uint64_t start = off;
      uint64_t aligned = (rest.file_offset + off + 7) / 8 * 8 - rest.file_offset;
      if (!Advance(&off, 8 * (1 + l.offsets_count) + 7, limit)) return truncated();
      l.offsets = reinterpret_cast<const uint64_t*>(rest.data + aligned + 8);
      if (aligned + 8 * (1 + l.offsets_count) > off || start > aligned) return truncated();
    }
    l.base = rest.data + off;
    l.word_bits = word_bits;
    l.value_bits = middle_value_bits;
    l.total_bits = static_cast<uint8_t>(word_bits + middle_value_bits + l.next_bits);
    if (!Advance(&off, ((1 + l.entries) * l.total_bits + 7) / 8 + 8, limit)) return truncated();
    if (quantized) {
      l.prob_bins = reinterpret_cast<const float*>(bins);
      bins += (1ULL << prob_bits_) * 4;
      l.backoff_bins = reinterpret_cast<const float*>(bins);
      bins += (1ULL << backoff_bits_) * 4;
    }
  }
  longest_.entries = c.n[order - 1];
  longest_.base = rest.data + off;
  longest_.word_bits = word_bits;
  longest_.value_bits = longest_value_bits;
  longest_.total_bits = static_cast<uint8_t>(word_bits + longest_value_bits);
  if (quantized) longest_.prob_bins = reinterpret_cast<const float*>(bins);
  if (!Advance(&off, ((1 + longest_.entries) * longest_.total_bits + 7) / 8 + 8, limit)) return truncated();
  *used = off;
  return Status::Ok();
}

uint64_t TrieSearch::Level::ReadNext(uint64_t index) const {
  uint64_t low = ReadBits(base, index * total_bits + word_bits + value_bits, next_bits);
  if (!offsets) return low;
  // The high bits: how many offsets entries are <= index, minus one (the array starts with 0).
  const uint64_t* at = std::upper_bound(offsets, offsets + offsets_count, index);
  if (at == offsets) return std::numeric_limits<uint64_t>::max();  // corrupt: caught by the caller
  return (static_cast<uint64_t>(at - offsets - 1) << next_bits) | low;
}

bool TrieSearch::Level::Find(uint32_t w, const Node& range, uint64_t* index) const {
  // Children of one node are sorted by word id (KenLM interpolates; any search finds the same).
  uint64_t a = range.begin, b = range.end;
  while (a < b) {
    uint64_t mid = a + (b - a) / 2;
    uint64_t v = ReadBits(base, mid * total_bits, word_bits);
    if (v < w) a = mid + 1;
    else if (v > w) b = mid;
    else {
      *index = mid;
      return true;
    }
  }
  return false;
}

bool TrieSearch::Middle(int order_minus_2, uint32_t w, Node* node, bool* independent_left, float* prob,
                        float* backoff) const {
  const Level& l = middle_[order_minus_2];
  uint64_t index;
  if (!l.Find(w, *node, &index)) {
    *independent_left = true;
    return false;
  }
  uint64_t bit = index * l.total_bits + l.word_bits;
  if (quantized_) {
    *backoff = l.backoff_bins[ReadBits(l.base, bit, backoff_bits_)];
    *prob = l.prob_bins[ReadBits(l.base, bit + backoff_bits_, prob_bits_)];
  } else {
    // The sign bit of a probability is not stored (it is never positive).
    *prob = FromBits(static_cast<uint32_t>(ReadBits(l.base, bit, 31)) | kSign);
    *backoff = FromBits(static_cast<uint32_t>(ReadBits(l.base, bit + 31, 32)));
  }
  node->begin = l.ReadNext(index);
  node->end = l.ReadNext(index + 1);
  if (node->end > l.next_entries || node->begin > node->end) node->begin = node->end = 0;  // corrupt
  *independent_left = node->begin == node->end;
  return true;
}

bool TrieSearch::Longest(uint32_t w, Node node, float* prob) const {
  uint64_t index;
  if (!longest_.Find(w, node, &index)) return false;
  uint64_t bit = index * longest_.total_bits + longest_.word_bits;
  *prob = quantized_ ? longest_.prob_bins[ReadBits(longest_.base, bit, prob_bits_)]
                     : FromBits(static_cast<uint32_t>(ReadBits(longest_.base, bit, 31)) | kSign);
  return true;
}

}  // namespace winnow::kenlm
