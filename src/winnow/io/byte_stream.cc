#include "winnow/io/byte_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <zlib.h>
#include <zstd.h>

namespace winnow {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Errno(const std::string& path, const char* what) {
  return path + ": " + what + ": " + std::strerror(errno);
}

class FdReader {
 public:
  ~FdReader() { if (fd_ >= 0) ::close(fd_); }
  Status OpenFd(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Status::Error(Errno(path, "cannot open"));
    return Status::Ok();
  }
  Result<size_t> ReadRaw(char* buf, size_t n) {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) { offset_ += r; return static_cast<size_t>(r); }
      if (errno != EINTR) return Status::Error(Errno(path_, "read error"));
    }
  }
  std::string path_;
  int fd_ = -1;
  uint64_t offset_ = 0;
};

class PlainReader : public ByteReader, FdReader {
 public:
  Status Init(const std::string& path) { return OpenFd(path); }
  Result<size_t> Read(char* buf, size_t n) override { return ReadRaw(buf, n); }
  uint64_t compressed_offset() const override { return offset_; }
};

class GzipReader : public ByteReader, FdReader {
 public:
  ~GzipReader() override { inflateEnd(&zs_); }
  Status Init(const std::string& path) {
    WINNOW_RETURN_IF_ERROR(OpenFd(path));
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) return Status::Error(path + ": zlib init failed");
    in_.resize(1 << 18);
    return Status::Ok();
  }
  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out == n) {
      if (zs_.avail_in == 0) {
        auto r = ReadRaw(in_.data(), in_.size());
        if (!r.ok()) return r.status();
        if (*r == 0) {
          if (!member_ended_) return Status::Error(path_ + ": truncated gzip stream");
          done_ = true;
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(*r);
      }
      member_ended_ = false;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_ended_ = true;  // concatenated members are allowed (like gzip -d)
        inflateReset(&zs_);
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        return Status::Error(path_ + ": corrupt gzip data (" + (zs_.msg ? zs_.msg : "inflate error") + ")");
    }
    return n - zs_.avail_out;
  }
  uint64_t compressed_offset() const override { return offset_; }

 private:
  z_stream zs_;
  std::vector<char> in_;
  bool member_ended_ = false;
  bool done_ = false;
};

class ZstdReader : public ByteReader, FdReader {
 public:
  ~ZstdReader() override { ZSTD_freeDCtx(dctx_); }
  Status Init(const std::string& path) {
    WINNOW_RETURN_IF_ERROR(OpenFd(path));
    dctx_ = ZSTD_createDCtx();
    in_.resize(ZSTD_DStreamInSize());
    return Status::Ok();
  }
  Result<size_t> Read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_size_) {
        auto r = ReadRaw(in_.data(), in_.size());
        if (!r.ok()) return r.status();
        if (*r == 0) {
          if (last_ret_ != 0) return Status::Error(path_ + ": truncated zstd stream");
          return size_t{0};
        }
        in_size_ = *r;
        in_pos_ = 0;
      }
      ZSTD_inBuffer in{in_.data(), in_size_, in_pos_};
      size_t ret = ZSTD_decompressStream(dctx_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(ret)) return Status::Error(path_ + ": corrupt zstd data (" + ZSTD_getErrorName(ret) + ")");
      last_ret_ = ret;
    }
    return out.pos;
  }
  uint64_t compressed_offset() const override { return offset_; }

 private:
  ZSTD_DCtx* dctx_ = nullptr;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_size_ = 0, last_ret_ = 0;
};

class FdWriter {
 public:
  ~FdWriter() { if (fd_ >= 0) ::close(fd_); }
  Status OpenFile(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::Error(Errno(path, "cannot create"));
    return Status::Ok();
  }
  Status WriteRaw(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Status::Error(Errno(path_, "write error"));
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::Ok();
  }
  Status CloseFd() {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Status::Error(Errno(path_, "close error"));
    return Status::Ok();
  }
  std::string path_;
  int fd_ = -1;
};

class PlainWriter : public ByteWriter, FdWriter {
 public:
  Status Init(const std::string& path) { buf_.reserve(kBuf); return OpenFile(path); }
  Status Write(std::string_view d) override {
    written_ += d.size();
    if (buf_.size() + d.size() > kBuf) {
      WINNOW_RETURN_IF_ERROR(WriteRaw(buf_.data(), buf_.size()));
      buf_.clear();
      if (d.size() > kBuf) return WriteRaw(d.data(), d.size());
    }
    buf_.append(d);
    return Status::Ok();
  }
  Status Close() override {
    WINNOW_RETURN_IF_ERROR(WriteRaw(buf_.data(), buf_.size()));
    buf_.clear();
    return CloseFd();
  }
  uint64_t bytes_written() const override { return written_; }

 private:
  static constexpr size_t kBuf = 1 << 20;
  std::string buf_;
  uint64_t written_ = 0;
};

class GzipWriter : public ByteWriter, FdWriter {
 public:
  ~GzipWriter() override { deflateEnd(&zs_); }
  Status Init(const std::string& path) {
    WINNOW_RETURN_IF_ERROR(OpenFile(path));
    std::memset(&zs_, 0, sizeof zs_);
    if (deflateInit2(&zs_, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      return Status::Error(path + ": zlib init failed");
    out_.resize(1 << 18);
    return Status::Ok();
  }
  Status Pump(const char* p, size_t n, int flush) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
    zs_.avail_in = static_cast<uInt>(n);
    do {
      zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
      zs_.avail_out = static_cast<uInt>(out_.size());
      deflate(&zs_, flush);
      WINNOW_RETURN_IF_ERROR(WriteRaw(out_.data(), out_.size() - zs_.avail_out));
    } while (zs_.avail_out == 0);
    return Status::Ok();
  }
  Status Write(std::string_view d) override {
    written_ += d.size();
    return Pump(d.data(), d.size(), Z_NO_FLUSH);
  }
  Status Close() override {
    WINNOW_RETURN_IF_ERROR(Pump(nullptr, 0, Z_FINISH));
    return CloseFd();
  }
  uint64_t bytes_written() const override { return written_; }

 private:
  z_stream zs_;
  std::vector<char> out_;
  uint64_t written_ = 0;
};

class ZstdWriter : public ByteWriter, FdWriter {
 public:
  ~ZstdWriter() override { ZSTD_freeCCtx(cctx_); }
  Status Init(const std::string& path) {
    WINNOW_RETURN_IF_ERROR(OpenFile(path));
    cctx_ = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
    out_.resize(ZSTD_CStreamOutSize());
    return Status::Ok();
  }
  Status Pump(const char* p, size_t n, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{p, n, 0};
    for (;;) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      size_t rem = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(rem)) return Status::Error(path_ + ": zstd error: " + ZSTD_getErrorName(rem));
      WINNOW_RETURN_IF_ERROR(WriteRaw(out_.data(), out.pos));
      bool done = mode == ZSTD_e_end ? rem == 0 : in.pos == in.size;
      if (done) return Status::Ok();
    }
  }
  Status Write(std::string_view d) override {
    written_ += d.size();
    return Pump(d.data(), d.size(), ZSTD_e_continue);
  }
  Status Close() override {
    WINNOW_RETURN_IF_ERROR(Pump(nullptr, 0, ZSTD_e_end));
    return CloseFd();
  }
  uint64_t bytes_written() const override { return written_; }

 private:
  ZSTD_CCtx* cctx_ = nullptr;
  std::vector<char> out_;
  uint64_t written_ = 0;
};

template <typename T>
Result<std::unique_ptr<T>> Make(const std::string& path) {
  auto r = std::make_unique<T>();
  WINNOW_RETURN_IF_ERROR(r->Init(path));
  return r;
}

}  // namespace

Compression CompressionFromPath(std::string_view path) {
  if (EndsWith(path, ".gz")) return Compression::kGzip;
  if (EndsWith(path, ".zst") || EndsWith(path, ".zstd")) return Compression::kZstd;
  return Compression::kNone;
}

std::string StripCompressionSuffix(std::string_view path) {
  for (std::string_view s : {".gz", ".zst", ".zstd"})
    if (EndsWith(path, s)) return std::string(path.substr(0, path.size() - s.size()));
  return std::string(path);
}

Result<std::unique_ptr<ByteReader>> ByteReader::Open(const std::string& path) {
  switch (CompressionFromPath(path)) {
    case Compression::kGzip: { auto r = Make<GzipReader>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteReader>(std::move(*r)); }
    case Compression::kZstd: { auto r = Make<ZstdReader>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteReader>(std::move(*r)); }
    default: { auto r = Make<PlainReader>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteReader>(std::move(*r)); }
  }
}

Result<std::unique_ptr<ByteWriter>> ByteWriter::Create(const std::string& path) {
  switch (CompressionFromPath(path)) {
    case Compression::kGzip: { auto r = Make<GzipWriter>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteWriter>(std::move(*r)); }
    case Compression::kZstd: { auto r = Make<ZstdWriter>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteWriter>(std::move(*r)); }
    default: { auto r = Make<PlainWriter>(path); if (!r.ok()) return r.status(); return std::unique_ptr<ByteWriter>(std::move(*r)); }
  }
}

}  // namespace winnow
