#include "winnow/ops/dedup/band_index.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <queue>

namespace winnow {
namespace fs = std::filesystem;

// Sorted entries from a run file, the persisted index or an in-memory chunk.
class BandIndex::Cursor {
 public:
  virtual ~Cursor() = default;
  virtual Result<bool> Next(BandEntry* e) = 0;
};

namespace {
using Cursor = BandIndex::Cursor;

constexpr const char* kIndexMagic = "WINNOW-MINHASH-INDEX 1";

// (band, hash, node) order; a function object so std::sort inlines it.
struct LessFn {
  bool operator()(const BandEntry& a, const BandEntry& b) const {
    if (a.band != b.band) return a.band < b.band;
    if (a.hash != b.hash) return a.hash < b.hash;
    return a.node < b.node;
  }
};
constexpr LessFn Less{};

class VectorCursor : public Cursor {
 public:
  explicit VectorCursor(const std::vector<BandEntry>& v) : v_(v) {}
  Result<bool> Next(BandEntry* e) override {
    if (i_ >= v_.size()) return false;
    *e = v_[i_++];
    return true;
  }

 private:
  const std::vector<BandEntry>& v_;
  size_t i_ = 0;
};

class FileCursor : public Cursor {
 public:
  FileCursor(std::FILE* f, std::string path, size_t buffer_entries)
      : f_(f), path_(std::move(path)), buf_(buffer_entries) {}
  ~FileCursor() override { std::fclose(f_); }
  Result<bool> Next(BandEntry* e) override {
    if (i_ == n_) {
      n_ = std::fread(buf_.data(), sizeof(BandEntry), buf_.size(), f_);
      i_ = 0;
      if (n_ == 0) {
        if (std::ferror(f_)) return Status::Error(path_ + ": read error");
        return false;
      }
    }
    *e = buf_[i_++];
    return true;
  }

 private:
  std::FILE* f_;
  std::string path_;
  std::vector<BandEntry> buf_;
  size_t i_ = 0, n_ = 0;
};

Status WriteAll(std::FILE* f, const std::string& path, const void* data, size_t bytes) {
  if (bytes && std::fwrite(data, 1, bytes, f) != bytes) return Status::Error(path + ": write failed (disk full?)");
  return Status::Ok();
}

}  // namespace

// k-way merge of sorted cursors in (band, hash, node) order.
Status BandIndex::Merge(std::vector<std::unique_ptr<Cursor>>& cursors, const std::function<Status(const BandEntry&)>& f) {
  using Item = std::pair<BandEntry, size_t>;
  auto greater = [](const Item& a, const Item& b) { return Less(b.first, a.first); };
  std::priority_queue<Item, std::vector<Item>, decltype(greater)> heap(greater);
  for (size_t c = 0; c < cursors.size(); ++c) {
    BandEntry e;
    auto more = cursors[c]->Next(&e);
    if (!more.ok()) return more.status();
    if (*more) heap.push({e, c});
  }
  while (!heap.empty()) {
    auto [e, c] = heap.top();
    heap.pop();
    BandEntry next;
    auto more = cursors[c]->Next(&next);
    if (!more.ok()) return more.status();
    if (*more) heap.push({next, c});
    WINNOW_RETURN_IF_ERROR(f(e));
  }
  return Status::Ok();
}

BandIndex::BandIndex(std::string spill_dir, uint64_t memory_limit, std::string index_path, std::string fingerprint)
    : spill_dir_(std::move(spill_dir)),
      index_path_(std::move(index_path)),
      fingerprint_(std::move(fingerprint)),
      // Three quarters of the budget for the entry buffer; the rest covers the merge's read
      // buffers and the rounding of everything else.
      buffer_entries_(static_cast<size_t>(std::max<uint64_t>(1024, memory_limit / 4 * 3 / sizeof(BandEntry)))) {}

BandIndex::~BandIndex() {
  for (const auto& r : runs_) std::remove(r.c_str());
}

void SortBandEntries(std::vector<BandEntry>* entries) {
  std::vector<BandEntry>& v = *entries;
  const size_t n = v.size();
  if (n < 256) {  // a small chunk: the comparison sort is cheaper than the passes
    std::stable_sort(v.begin(), v.end(), Less);
    return;
  }
  thread_local std::vector<BandEntry> tmp;
  tmp.resize(n);
  constexpr int kBits = 11, kDigits = 6;  // 66 bits cover the hash
  constexpr size_t kBuckets = size_t{1} << kBits;
  uint32_t max_band = 0;
  std::vector<size_t> counts(kBuckets * kDigits, 0);
  for (const BandEntry& e : v) {
    for (int d = 0; d < kDigits; ++d) ++counts[d * kBuckets + ((e.hash >> (d * kBits)) & (kBuckets - 1))];
    max_band = std::max(max_band, e.band);
  }
  BandEntry* src = v.data();
  BandEntry* dst = tmp.data();
  auto scatter = [&](size_t* count, size_t buckets, auto digit_of) {
    size_t sum = 0;
    for (size_t b = 0; b < buckets; ++b) {
      size_t c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; ++i) dst[count[digit_of(src[i])]++] = src[i];
    std::swap(src, dst);
  };
  for (int d = 0; d < kDigits; ++d) {
    size_t* count = &counts[d * kBuckets];
    if (count[(src[0].hash >> (d * kBits)) & (kBuckets - 1)] == n) continue;  // one value: nothing moves
    scatter(count, kBuckets, [d](const BandEntry& e) { return (e.hash >> (d * kBits)) & (kBuckets - 1); });
  }
  if (max_band > 0) {
    std::vector<size_t> band_count(size_t{max_band} + 1, 0);
    for (size_t i = 0; i < n; ++i) ++band_count[src[i].band];
    scatter(band_count.data(), band_count.size(), [](const BandEntry& e) { return e.band; });
  }
  if (src != v.data()) std::copy(src, src + n, v.data());
}

Status BandIndex::AddSample(const char* band_hashes, size_t bands) {
  if (samples_ == 0xFFFFFFFEu) return Status::Error("more than 4 billion samples in one MinHash stage");
  const uint32_t node = ++samples_;
  for (size_t b = 0; b < bands; ++b) {
    // Fixed-size chunks, never reallocated: a growing vector would briefly hold its old and new
    // storage, half again over the budget.
    if (chunks_.empty() || chunks_.back().size() == chunks_.back().capacity()) {
      chunks_.emplace_back();
      chunks_.back().reserve(std::min<size_t>(kChunkEntries, buffer_entries_));
    }
    uint64_t h;
    std::memcpy(&h, band_hashes + 8 * b, 8);
    chunks_.back().push_back(BandEntry{h, static_cast<uint32_t>(b), node});
    if (++buffered_ >= buffer_entries_) WINNOW_RETURN_IF_ERROR(SpillRun());
  }
  return Status::Ok();
}

Status BandIndex::SpillRun() {
  // The chunks, each sorted, merged into one sorted run file.
  std::vector<std::unique_ptr<Cursor>> cursors;
  for (auto& c : chunks_) {
    SortBandEntries(&c);
    cursors.push_back(std::make_unique<VectorCursor>(c));
  }
  WINNOW_RETURN_IF_ERROR(MergeToRun(std::move(cursors)));
  chunks_.clear();
  buffered_ = 0;
  // Bounded fan-in for the final merge: past kMaxRuns, the runs so far become one.
  if (runs_.size() >= kMaxRuns) {
    std::vector<std::string> old;
    old.swap(runs_);
    std::vector<std::unique_ptr<Cursor>> files;
    for (const auto& r : old) {
      std::FILE* f = std::fopen(r.c_str(), "rb");
      if (!f) return Status::Error(r + ": cannot reopen a MinHash spill file");
      files.push_back(std::make_unique<FileCursor>(f, r, std::max<size_t>(256, buffer_entries_ / old.size())));
    }
    Status st = MergeToRun(std::move(files));
    for (const auto& r : old) std::remove(r.c_str());
    WINNOW_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status BandIndex::MergeToRun(std::vector<std::unique_ptr<Cursor>> cursors) {
  std::string path = (fs::path(spill_dir_) / (".winnow-" + std::to_string(::getpid()) + "-minhash-run" +
                                              std::to_string(run_serial_++) + ".bin"))
                         .string();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::Error(path + ": cannot create a MinHash spill file: " + std::strerror(errno));
  runs_.push_back(path);
  std::vector<BandEntry> out;
  out.reserve(4096);
  Status st = Merge(cursors, [&](const BandEntry& e) -> Status {
    out.push_back(e);
    if (out.size() < 4096) return Status::Ok();
    Status w = WriteAll(f, path, out.data(), out.size() * sizeof(BandEntry));
    out.clear();
    return w;
  });
  if (st.ok()) st = WriteAll(f, path, out.data(), out.size() * sizeof(BandEntry));
  if (std::fclose(f) != 0 && st.ok()) st = Status::Error(path + ": write failed (disk full?)");
  return st;
}

Result<Selection> BandIndex::Finish() {
  for (auto& c : chunks_) SortBandEntries(&c);
  const size_t sources = runs_.size() + chunks_.size() + 1;
  const size_t per_source = std::max<size_t>(256, buffer_entries_ / sources);
  std::vector<std::unique_ptr<Cursor>> cursors;
  for (const auto& r : runs_) {
    std::FILE* f = std::fopen(r.c_str(), "rb");
    if (!f) return Status::Error(r + ": cannot reopen a MinHash spill file");
    cursors.push_back(std::make_unique<FileCursor>(f, r, per_source));
  }
  for (const auto& c : chunks_) cursors.push_back(std::make_unique<VectorCursor>(c));
  // The persisted index of earlier runs: its entries are node 0, the root of every cluster
  // they join.
  std::FILE* out = nullptr;
  std::string out_tmp;
  if (!index_path_.empty()) {
    if (std::FILE* f = std::fopen(index_path_.c_str(), "rb")) {
      char line[4096];
      std::string magic = std::fgets(line, sizeof line, f) ? line : "";
      std::string fp = std::fgets(line, sizeof line, f) ? line : "";
      if (magic != std::string(kIndexMagic) + "\n") {
        std::fclose(f);
        return Status::Error(index_path_ + ": not a Winnow MinHash index");
      }
      if (fp != fingerprint_ + "\n") {
        std::fclose(f);
        return Status::Error(index_path_ + ": built with other MinHash settings (" +
                             fp.substr(0, fp.size() ? fp.size() - 1 : 0) + "); this run uses (" + fingerprint_ +
                             "): use another --dedup-index directory");
      }
      cursors.push_back(std::make_unique<FileCursor>(f, index_path_, per_source));
    }
    std::error_code ec;
    fs::create_directories(fs::path(index_path_).parent_path(), ec);
    out_tmp = index_path_ + ".tmp-" + std::to_string(::getpid());
    out = std::fopen(out_tmp.c_str(), "wb");
    if (!out) return Status::Error(out_tmp + ": cannot write the dedup index: " + std::strerror(errno));
    std::string header = std::string(kIndexMagic) + "\n" + fingerprint_ + "\n";
    Status st = WriteAll(out, out_tmp, header.data(), header.size());
    if (!st.ok()) {
      std::fclose(out);
      return st;
    }
  }
  auto fail = [&](Status st) -> Result<Selection> {
    if (out) {
      std::fclose(out);
      std::remove(out_tmp.c_str());
    }
    return st;
  };

  std::vector<uint32_t> parent(static_cast<size_t>(samples_) + 1);
  for (uint32_t i = 0; i <= samples_; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<BandEntry> out_buf;
  bool have_group = false;
  BandEntry group{};
  Status merged = Merge(cursors, [&](const BandEntry& e) -> Status {
    if (have_group && e.band == group.band && e.hash == group.hash) {
      // Same bucket: link to the bucket's first (smallest) node.
      uint32_t x = find(e.node), y = find(group.node);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
      return Status::Ok();
    }
    have_group = true;
    group = e;
    if (!out) return Status::Ok();
    out_buf.push_back(BandEntry{e.hash, e.band, 0});
    if (out_buf.size() < per_source) return Status::Ok();
    Status st = WriteAll(out, out_tmp, out_buf.data(), out_buf.size() * sizeof(BandEntry));
    out_buf.clear();
    return st;
  });
  if (!merged.ok()) return fail(merged);
  if (out) {
    Status st = WriteAll(out, out_tmp, out_buf.data(), out_buf.size() * sizeof(BandEntry));
    if (std::fclose(out) != 0 && st.ok()) st = Status::Error(out_tmp + ": write failed (disk full?)");
    out = nullptr;
    if (!st.ok()) {
      std::remove(out_tmp.c_str());
      return st;
    }
    std::error_code ec;
    fs::rename(out_tmp, index_path_, ec);
    if (ec) return Status::Error(index_path_ + ": cannot replace the dedup index: " + ec.message());
  }
  cursors.clear();
  for (const auto& r : runs_) std::remove(r.c_str());
  runs_.clear();
  chunks_.clear();
  buffered_ = 0;

  Selection sel;
  sel.duplicate_of.assign(samples_, Selection::kNone);
  for (uint32_t i = 0; i < samples_; ++i) {
    uint32_t root = find(i + 1);
    if (root == i + 1) sel.order.push_back(i);
    else sel.duplicate_of[i] = root == 0 ? Selection::kIndexed : root - 1;
  }
  return sel;
}

Result<uint64_t> ParseMemorySize(const std::string& s) {
  if (s == "auto") {
    long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return uint64_t{1} << 30;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 4;
  }
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !(v > 0) || !std::isfinite(v))
    return Status::Error("memory size '" + s + "': expected bytes or a size such as 512MB or 2GiB");
  std::string unit(end);
  unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::toupper(c); });
  double mult = 1;
  if (!unit.empty() && unit != "B") {
    const std::string prefixes = "KMGT";
    size_t p = prefixes.find(unit[0]);
    std::string rest = unit.substr(1);
    if (p == std::string::npos || (rest != "" && rest != "B" && rest != "IB"))
      return Status::Error("memory size '" + s + "': unknown unit '" + std::string(end) + "' (use KB, MB, GB, KiB, MiB, GiB)");
    double base = rest == "B" ? 1000.0 : 1024.0;
    mult = std::pow(base, static_cast<double>(p + 1));
  }
  return static_cast<uint64_t>(v * mult);
}

}  // namespace winnow
