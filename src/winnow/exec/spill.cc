#include "winnow/exec/spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "winnow/exec/batch_processor.h"

namespace winnow {

Result<std::unique_ptr<SpillFile>> SpillFile::Create(const std::string& path) {
  auto s = std::unique_ptr<SpillFile>(new SpillFile());
  s->path_ = path;
  auto w = ByteWriter::Create(path);
  if (!w.ok()) return w.status();
  s->writer_ = std::move(*w);
  return s;
}

SpillFile::~SpillFile() {
  writer_.reset();
  ::unlink(path_.c_str());
}

Status SpillFile::Append(const std::string& records, const std::vector<uint32_t>& sizes) {
  for (uint32_t sz : sizes) {
    offsets_.push_back(end_);
    end_ += sz;
  }
  return writer_->Write(records);
}

Status SpillFile::Finish() {
  offsets_.push_back(end_);  // sentinel: end of the last record
  Status st = writer_->Close();
  writer_.reset();
  return st;
}

Result<std::unique_ptr<SpillSource>> SpillSource::Open(const SpillFile& spill, std::vector<uint32_t> order,
                                                       BatchLimits limits) {
  auto s = std::unique_ptr<SpillSource>(new SpillSource());
  s->path_ = spill.path();
  s->fd_ = ::open(spill.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (s->fd_ < 0) return Status::Error(spill.path() + ": cannot open spill file: " + std::strerror(errno));
  s->offsets_ = &spill.offsets();
  s->order_ = std::move(order);
  s->limits_ = limits;
  return s;
}

SpillSource::~SpillSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<bool> SpillSource::Next(RawBatch* batch) {
  batch->Clear();
  if (pos_ >= order_.size()) return false;
  batch->seq = seq_++;
  const auto& off = *offsets_;
  while (pos_ < order_.size() && batch->recs.size() < limits_.max_rows && batch->buf.size() < limits_.max_bytes) {
    // Coalesce consecutive records into one read.
    size_t run = 1;
    while (pos_ + run < order_.size() && order_[pos_ + run] == order_[pos_ + run - 1] + 1 &&
           batch->recs.size() + run < limits_.max_rows)
      ++run;
    uint64_t from = off[order_[pos_]], to = off[order_[pos_ + run - 1] + 1];
    size_t base = batch->buf.size();
    batch->buf.resize(base + (to - from));
    size_t got = 0;
    while (got < to - from) {
      ssize_t r = ::pread(fd_, batch->buf.data() + base + got, to - from - got, static_cast<off_t>(from + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return Status::Error(path_ + ": spill read failed");
      got += static_cast<size_t>(r);
    }
    read_ += got;
    size_t p = base;
    for (size_t k = 0; k < run; ++k) {
      SpillHeader h;
      std::memcpy(&h, batch->buf.data() + p, sizeof h);
      RecordRef rec;
      rec.off = static_cast<uint32_t>(p + sizeof h);
      rec.len = h.json_len;
      rec.stats_off = rec.off + h.json_len;
      rec.stats_len = h.stats_len;
      rec.row = RowId{h.file, h.line};
      batch->recs.push_back(rec);
      batch->input_bytes += h.json_len + 1;
      p += sizeof h + h.json_len + h.stats_len;
    }
    pos_ += run;
  }
  return true;
}

}  // namespace winnow
