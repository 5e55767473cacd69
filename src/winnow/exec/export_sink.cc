#include "winnow/exec/export_sink.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace winnow {
namespace fs = std::filesystem;

Result<std::unique_ptr<ExportSink>> ExportSink::Open(const std::string& path, const std::string& export_type,
                                                     int64_t shard_size) {
  auto s = std::unique_ptr<ExportSink>(new ExportSink());
  s->path_ = path;
  std::string base = StripCompressionSuffix(path);
  std::string fmt = export_type.empty() ? base.substr(base.find_last_of('.') + 1) : export_type;
  s->json_array_ = fmt == "json";
  s->shard_size_ = shard_size;
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) return Status::Error(parent.string() + ": cannot create the export directory: " + ec.message());
  WINNOW_RETURN_IF_ERROR(s->OpenShard());
  return s;
}

Status ExportSink::OpenShard() {
  std::string p = path_;
  if (shard_size_ > 0) p = path_ + ".shard" + std::to_string(shard_paths_.size()) + ".tmp";
  auto w = ByteWriter::Create(p);
  if (!w.ok()) return w.status();
  writer_ = std::move(*w);
  shard_paths_.push_back(p);
  shard_bytes_ = shard_records_ = 0;
  if (json_array_) return writer_->Write("[");
  return Status::Ok();
}

Status ExportSink::CloseShard() {
  if (json_array_) WINNOW_RETURN_IF_ERROR(writer_->Write(shard_records_ ? "\n]\n" : "]\n"));
  Status st = writer_->Close();
  writer_.reset();
  return st;
}

Status ExportSink::WriteRecord(std::string_view line) {
  if (shard_size_ > 0 && shard_records_ > 0 && shard_bytes_ + line.size() + 1 > static_cast<uint64_t>(shard_size_)) {
    WINNOW_RETURN_IF_ERROR(CloseShard());
    WINNOW_RETURN_IF_ERROR(OpenShard());
  }
  if (json_array_) WINNOW_RETURN_IF_ERROR(writer_->Write(shard_records_ ? ",\n" : "\n"));
  WINNOW_RETURN_IF_ERROR(writer_->Write(line));
  if (!json_array_) WINNOW_RETURN_IF_ERROR(writer_->Write("\n"));
  shard_bytes_ += line.size() + 1;
  bytes_ += line.size() + 1;
  ++shard_records_;
  return Status::Ok();
}

Status ExportSink::Write(const std::string& lines) {
  if (!json_array_ && shard_size_ <= 0) {
    bytes_ += lines.size();
    return writer_->Write(lines);
  }
  size_t pos = 0;
  while (pos < lines.size()) {
    size_t nl = lines.find('\n', pos);
    WINNOW_RETURN_IF_ERROR(WriteRecord(std::string_view(lines).substr(pos, nl - pos)));
    pos = nl + 1;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ExportSink::Close() {
  WINNOW_RETURN_IF_ERROR(CloseShard());
  if (shard_size_ <= 0) return shard_paths_;
  // DJ's names: <dir>/<basename up to the first '.'>-<i>-of-<n>.<rest>, zero-padded to len(str(n))+1.
  size_t n = shard_paths_.size();
  const size_t width = std::to_string(n).size() + 1;
  auto padded = [width](size_t v) {
    std::string d = std::to_string(v);
    return std::string(width - std::min(width, d.size()), '0') + d;
  };
  fs::path p(path_);
  std::string name = p.filename().string();
  std::string stem = name.substr(0, name.find('.'));
  std::string ext = name.find('.') == std::string::npos ? "" : name.substr(name.find('.'));
  std::vector<std::string> finals;
  for (size_t i = 0; i < n; ++i) {
    fs::path dest = p.parent_path() / (stem + "-" + padded(i) + "-of-" + padded(n) + ext);
    std::error_code ec;
    fs::rename(shard_paths_[i], dest, ec);
    if (ec) return Status::Error(dest.string() + ": cannot rename shard: " + ec.message());
    finals.push_back(dest.string());
  }
  return finals;
}

}  // namespace winnow
