#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "winnow/core/seeded_sample.h"
#include "winnow/io/byte_stream.h"
#include "winnow/io/record_source.h"

namespace winnow {
namespace {

constexpr size_t kReadChunk = 1 << 20;
constexpr size_t kOversizeKeep = 64 << 10;  // bytes of an oversize record kept for the quarantine

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

std::shared_ptr<MappedFile> MappedFile::Open(const std::string& path) {
  if (CompressionFromPath(path) != Compression::kNone) return nullptr;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  std::shared_ptr<MappedFile> m;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      ::madvise(p, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
      m.reset(new MappedFile());
      m->data_ = static_cast<const char*>(p);
      m->size_ = static_cast<size_t>(st.st_size);
    }
  }
  ::close(fd);
  return m;
}

void MappedFile::Release(const char* p, size_t n) const {
  const uintptr_t page = 4096;
  uintptr_t b = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  uintptr_t e = (reinterpret_cast<uintptr_t>(p) + n) & ~(page - 1);
  if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

Result<uint64_t> CountRecords(const std::string& path) {
  auto r = ByteReader::Open(path);
  if (!r.ok()) return r.status();
  std::vector<char> buf(kReadChunk);
  uint64_t n = 0;
  bool line_has_content = false;
  for (;;) {
    auto got = (*r)->Read(buf.data(), buf.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    for (size_t i = 0; i < *got; ++i) {
      char c = buf[i];
      if (c == '\n') {
        n += line_has_content;
        line_has_content = false;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        line_has_content = true;
      }
    }
  }
  return n + line_has_content;
}

Result<std::unique_ptr<JsonlSource>> JsonlSource::Open(const std::vector<InputFile>& files, BatchLimits limits) {
  auto src = std::unique_ptr<JsonlSource>(new JsonlSource());
  src->files_ = files;
  src->limits_ = limits;
  for (uint32_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    uint64_t size = std::filesystem::file_size(files[i].path, ec);
    double w = files[i].weight;
    if (w == 1.0) {
      src->passes_.push_back({i, {}});
      src->total_bytes_ += ec ? 0 : size;
      continue;
    }
    // DJ's random_sample(weight): ceil(n*w) records; whole copies for w > 1, then a subset.
    auto n = CountRecords(files[i].path);
    if (!n.ok()) return n.status();
    if (*n == 0 || w == 0) continue;
    uint64_t want = static_cast<uint64_t>(std::ceil(static_cast<double>(*n) * w));
    uint64_t repeats = (want + *n - 1) / *n - 1;
    uint64_t remain = want - repeats * *n;
    for (uint64_t k = 0; k < repeats; ++k) src->passes_.push_back({i, {}});
    Pass p{i, std::vector<bool>(*n, false)};
    for (uint32_t idx : SeededSample(*n, remain, 42)) p.keep[idx] = true;
    if (remain == *n) p.keep.clear();
    src->passes_.push_back(std::move(p));
    src->total_bytes_ += ec ? 0 : size * (repeats + 1);
  }
  return src;
}

Status JsonlSource::OpenPass(size_t i) {
  pending_.clear();
  scan_from_ = 0;
  line_ = ordinal_ = records_in_file_ = 0;
  skipping_oversize_ = false;
  const std::string& path = files_[passes_[i].file_index].path;
  mapped_ = MappedFile::Open(path);
  mapped_pos_ = 0;
  if (mapped_) return Status::Ok();
  auto r = ByteReader::Open(path);
  if (!r.ok()) return r.status();
  reader_ = std::move(*r);
  return Status::Ok();
}

bool JsonlSource::CountLine(std::string_view line) {
  ++line_;
  if (IsBlank(line)) return false;
  uint64_t ord = ordinal_++;
  const Pass& pass = passes_[pass_];
  if (records_in_file_++ == 0) {
    // A common mistake: a JSON array file. Its lines are quarantined as invalid records; say why.
    size_t i = line.find_first_not_of(" \t\r");
    if (i != std::string_view::npos && line[i] == '[')
      warnings.push_back(files_[pass.file_index].path +
                         ": starts with '[': Winnow reads JSON Lines (one JSON object per line), not a JSON array");
  }
  return pass.keep.empty() || (ord < pass.keep.size() && pass.keep[ord]);
}

void JsonlSource::FinishFile() {
  const Pass& pass = passes_[pass_];
  if (records_in_file_ == 0 && line_ == 0 && pass.keep.empty())
    warnings.push_back(files_[pass.file_index].path + ": file is empty (no records)");
  done_bytes_ += reader_ ? reader_->compressed_offset() : (mapped_ ? mapped_->size() : 0);
  reader_.reset();
  mapped_.reset();
  mapped_pos_ = 0;
  pending_.clear();
  scan_from_ = 0;
  ++pass_;
}

bool JsonlSource::NextMapped(RawBatch* batch) {
  const char* base = mapped_->data();
  const size_t size = mapped_->size();
  const size_t start = mapped_pos_;
  const uint32_t file = passes_[pass_].file_index;
  batch->mapping = mapped_;
  batch->window = base + start;
  while (mapped_pos_ < size && batch->recs.size() < limits_.max_rows && mapped_pos_ - start < limits_.max_bytes) {
    const char* nl = static_cast<const char*>(std::memchr(base + mapped_pos_, '\n', size - mapped_pos_));
    size_t end = nl ? static_cast<size_t>(nl - base) : size;
    std::string_view line(base + mapped_pos_, end - mapped_pos_);
    batch->input_bytes += line.size() + (nl ? 1 : 0);
    bool oversize = line.size() > limits_.max_record_bytes;
    if (CountLine(oversize ? std::string_view("x") : line)) {
      RecordRef rec;
      rec.off = static_cast<uint32_t>(mapped_pos_ - start);
      rec.len = static_cast<uint32_t>(oversize ? std::min(kOversizeKeep, line.size()) : line.size());
      rec.row = RowId{file, line_};
      rec.flags = oversize ? RecordRef::kOversize : RecordRef::kNone;
      rec.original_size = line.size();
      batch->recs.push_back(rec);
    }
    mapped_pos_ = nl ? end + 1 : size;
    if (oversize) break;  // keep later offsets small: an oversize record ends its batch
  }
  batch->window_size = mapped_pos_ - start;
  return mapped_pos_ < size;
}

Result<bool> JsonlSource::FillMore() {
  size_t old = pending_.size();
  pending_.resize(old + kReadChunk);
  auto got = reader_->Read(pending_.data() + old, kReadChunk);
  if (!got.ok()) {
    pending_.resize(old);
    return got.status();
  }
  pending_.resize(old + *got);
  return *got > 0;
}

Result<bool> JsonlSource::Next(RawBatch* batch) {
  batch->Clear();
  batch->seq = seq_;
  while (pass_ < passes_.size()) {
    if (!reader_ && !mapped_) WINNOW_RETURN_IF_ERROR(OpenPass(pass_));
    if (mapped_) {
      // Zero-copy: the batch is a window of the mapping. A batch never spans two files.
      bool more_in_file = NextMapped(batch);
      if (!more_in_file) FinishFile();
      if (!batch->recs.empty()) break;
      batch->Clear();
      continue;
    }
    const Pass& pass = passes_[pass_];
    size_t head = 0;
    bool eof = false;
    auto take_line = [&](std::string_view line, bool oversize, uint64_t full_size) {
      if (!CountLine(oversize ? std::string_view("x") : line)) return;
      RecordRef rec;
      rec.off = static_cast<uint32_t>(batch->buf.size());
      rec.len = static_cast<uint32_t>(line.size());
      rec.row = RowId{pass.file_index, line_};
      rec.flags = oversize ? RecordRef::kOversize : RecordRef::kNone;
      rec.original_size = full_size;
      batch->buf.append(line);
      batch->recs.push_back(rec);
    };
    for (;;) {
      bool full = batch->recs.size() >= limits_.max_rows || batch->buf.size() >= limits_.max_bytes;
      if (full) break;
      const char* base = pending_.data();
      const char* nl = static_cast<const char*>(
          std::memchr(base + std::max(head, scan_from_), '\n', pending_.size() - std::max(head, scan_from_)));
      if (nl) {
        size_t end = nl - base;
        if (skipping_oversize_) {
          skipping_oversize_ = false;  // the tail of an oversize record, already taken
        } else {
          take_line(std::string_view(base + head, end - head), false, end - head);
        }
        batch->input_bytes += end - head + 1;
        head = end + 1;
        scan_from_ = head;
        continue;
      }
      scan_from_ = pending_.size();
      if (eof) break;
      if (pending_.size() - head > limits_.max_record_bytes && !skipping_oversize_) {
        // A record larger than the limit: keep its head for the quarantine, skip the rest.
        take_line(std::string_view(base + head, std::min(kOversizeKeep, pending_.size() - head)), true,
                  pending_.size() - head);
        batch->input_bytes += pending_.size() - head;
        head = pending_.size();
        skipping_oversize_ = true;
      } else if (skipping_oversize_ && head < pending_.size()) {
        batch->input_bytes += pending_.size() - head;
        head = pending_.size();
      }
      // Compact, then read more.
      pending_.erase(0, head);
      scan_from_ -= std::min(scan_from_, head);
      head = 0;
      auto more = FillMore();
      if (!more.ok()) return more.status();
      if (!*more) eof = true;
    }
    if (eof) {
      if (head < pending_.size()) {
        if (!skipping_oversize_) take_line(std::string_view(pending_.data() + head, pending_.size() - head), false,
                                           pending_.size() - head);
        batch->input_bytes += pending_.size() - head;
        head = pending_.size();
      }
      FinishFile();
      if (!batch->recs.empty() && (batch->recs.size() >= limits_.max_rows || batch->buf.size() >= limits_.max_bytes))
        break;
      continue;
    }
    pending_.erase(0, head);
    scan_from_ -= std::min(scan_from_, head);
    break;
  }
  if (batch->recs.empty() && pass_ >= passes_.size()) return false;
  ++seq_;
  return true;
}

}  // namespace winnow
