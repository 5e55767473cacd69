// imagededup's hashes (imagededup/methods/hashing.py) on top of PIL-exact preprocessing.
//
// Why the transforms below are not textbook code: PHash and WHash compare coefficients with
// their median, and structured images (flat areas, symmetric shapes) produce coefficients that
// are equal in exact arithmetic. Whether such a tie lands on ">=" depends on the rounding of
// the library that computed it, so we reproduce scipy's DCT (pocketfft's DCT-II via a
// radix-2/4 real FFT, in its operation order) and pywt's Haar filter bank (the same products
// and sums) instead of a direct cosine sum. This must be built without FMA contraction
// (no -mfma / -march=native with GCC's default -ffp-contract=fast), like the libraries are.
#include "winnow/media/image_hash.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "winnow/media/pil_image.h"

namespace winnow::media {
namespace {

struct Cplx {
  double r, i;
};

// exp(2*pi*i*k/n), computed as pocketfft's sincos_2pibyn<double>: octant-reduced libm
// sin/cos of multiples of pi/(4n), combined from two small tables with one complex product.
class UnitRoots {
 public:
  explicit UnitRoots(size_t n) : n_(n) {
    const double ang =
        static_cast<double>(0.25L * 3.141592653589793238462643383279502884197L / n);
    const size_t nval = (n + 2) / 2;
    while ((size_t{1} << shift_) * (size_t{1} << shift_) < nval) ++shift_;
    mask_ = (size_t{1} << shift_) - 1;
    fine_.resize(mask_ + 1);
    fine_[0] = {1.0, 0.0};
    for (size_t i = 1; i < fine_.size(); ++i) fine_[i] = Octant(i, n, ang);
    coarse_.resize((nval + mask_) / (mask_ + 1));
    coarse_[0] = {1.0, 0.0};
    for (size_t i = 1; i < coarse_.size(); ++i) coarse_[i] = Octant(i * (mask_ + 1), n, ang);
  }

  Cplx operator[](size_t idx) const {
    const bool upper = 2 * idx > n_;
    if (upper) idx = n_ - idx;
    const Cplx a = fine_[idx & mask_], b = coarse_[idx >> shift_];
    const double re = a.r * b.r - a.i * b.i;
    const double im = a.r * b.i + a.i * b.r;
    return {re, upper ? -im : im};
  }

 private:
  static Cplx Octant(size_t x, size_t n, double ang) {
    auto c = [ang](size_t v) { return std::cos(static_cast<double>(v) * ang); };
    auto s = [ang](size_t v) { return std::sin(static_cast<double>(v) * ang); };
    x <<= 3;
    if (x < 4 * n) {
      if (x < 2 * n) return x < n ? Cplx{c(x), s(x)} : Cplx{s(2 * n - x), c(2 * n - x)};
      x -= 2 * n;
      return x < n ? Cplx{-s(x), c(x)} : Cplx{-c(2 * n - x), s(2 * n - x)};
    }
    x = 8 * n - x;
    if (x < 2 * n) return x < n ? Cplx{c(x), -s(x)} : Cplx{s(2 * n - x), -c(2 * n - x)};
    x -= 2 * n;
    return x < n ? Cplx{-s(x), -c(x)} : Cplx{-c(2 * n - x), -s(2 * n - x)};
  }

  size_t n_;
  size_t shift_ = 1, mask_ = 0;
  std::vector<Cplx> fine_, coarse_;
};

// Backward (halfcomplex -> real) FFT of a power-of-two length, with pocketfft's factor order
// (a single 2 first, then 4s) and its radix-2/radix-4 butterflies.
class HalfcomplexToReal {
 public:
  explicit HalfcomplexToReal(size_t n) : n_(n) {
    WINNOW_CHECK(n >= 2 && (n & (n - 1)) == 0);
    size_t len = n;
    while (len % 4 == 0) { radix_.push_back(4); len /= 4; }
    if (len == 2) radix_.insert(radix_.begin(), 2);
    const UnitRoots roots(n);
    size_t l1 = 1;
    for (size_t k = 0; k < radix_.size(); ++k) {
      const size_t ip = radix_[k], ido = n / (l1 * ip);
      std::vector<double> tw;
      if (k + 1 < radix_.size()) {  // the last pass needs no twiddles
        tw.resize((ip - 1) * (ido - 1));
        for (size_t j = 1; j < ip; ++j) {
          for (size_t i = 1; i <= (ido - 1) / 2; ++i) {
            const Cplx w = roots[j * l1 * i];
            tw[(j - 1) * (ido - 1) + 2 * i - 2] = w.r;
            tw[(j - 1) * (ido - 1) + 2 * i - 1] = w.i;
          }
        }
      }
      twiddles_.push_back(std::move(tw));
      l1 *= ip;
    }
  }

  void Run(double* c) const {
    std::vector<double> scratch(n_);
    double* in = c;
    double* out = scratch.data();
    size_t l1 = 1;
    for (size_t k = 0; k < radix_.size(); ++k) {
      const size_t ip = radix_[k], ido = n_ / (ip * l1);
      if (ip == 4) {
        Radix4(ido, l1, in, out, twiddles_[k].data());
      } else {
        Radix2(ido, l1, in, out, twiddles_[k].data());
      }
      std::swap(in, out);
      l1 *= ip;
    }
    if (in != c) std::copy(in, in + n_, c);
  }

 private:
  static void Radix2(size_t ido, size_t l1, const double* cc, double* ch, const double* wa) {
    auto CC = [&](size_t a, size_t b, size_t k) { return cc[a + ido * (b + 2 * k)]; };
    auto CH = [&](size_t a, size_t k, size_t b) -> double& { return ch[a + ido * (k + l1 * b)]; };
    for (size_t k = 0; k < l1; ++k) {
      CH(0, k, 0) = CC(0, 0, k) + CC(ido - 1, 1, k);
      CH(0, k, 1) = CC(0, 0, k) - CC(ido - 1, 1, k);
    }
    if (ido % 2 == 0) {
      for (size_t k = 0; k < l1; ++k) {
        CH(ido - 1, k, 0) = 2 * CC(ido - 1, 0, k);
        CH(ido - 1, k, 1) = -2 * CC(0, 1, k);
      }
    }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; ++k) {
      for (size_t i = 2; i < ido; i += 2) {
        const size_t ic = ido - i;
        CH(i - 1, k, 0) = CC(i - 1, 0, k) + CC(ic - 1, 1, k);
        const double tr2 = CC(i - 1, 0, k) - CC(ic - 1, 1, k);
        const double ti2 = CC(i, 0, k) + CC(ic, 1, k);
        CH(i, k, 0) = CC(i, 0, k) - CC(ic, 1, k);
        const double wr = wa[i - 2], wi = wa[i - 1];
        CH(i, k, 1) = wr * ti2 + wi * tr2;
        CH(i - 1, k, 1) = wr * tr2 - wi * ti2;
      }
    }
  }

  static void Radix4(size_t ido, size_t l1, const double* cc, double* ch, const double* wa) {
    constexpr double kSqrt2 = 1.414213562373095048801688724209698;
    auto CC = [&](size_t a, size_t b, size_t k) { return cc[a + ido * (b + 4 * k)]; };
    auto CH = [&](size_t a, size_t k, size_t b) -> double& { return ch[a + ido * (k + l1 * b)]; };
    for (size_t k = 0; k < l1; ++k) {
      const double tr2 = CC(0, 0, k) + CC(ido - 1, 3, k);
      const double tr1 = CC(0, 0, k) - CC(ido - 1, 3, k);
      const double tr3 = 2 * CC(ido - 1, 1, k);
      const double tr4 = 2 * CC(0, 2, k);
      CH(0, k, 0) = tr2 + tr3;
      CH(0, k, 2) = tr2 - tr3;
      CH(0, k, 3) = tr1 + tr4;
      CH(0, k, 1) = tr1 - tr4;
    }
    if (ido % 2 == 0) {
      for (size_t k = 0; k < l1; ++k) {
        const double ti1 = CC(0, 3, k) + CC(0, 1, k);
        const double ti2 = CC(0, 3, k) - CC(0, 1, k);
        const double tr2 = CC(ido - 1, 0, k) + CC(ido - 1, 2, k);
        const double tr1 = CC(ido - 1, 0, k) - CC(ido - 1, 2, k);
        CH(ido - 1, k, 0) = tr2 + tr2;
        CH(ido - 1, k, 1) = kSqrt2 * (tr1 - ti1);
        CH(ido - 1, k, 2) = ti2 + ti2;
        CH(ido - 1, k, 3) = -kSqrt2 * (tr1 + ti1);
      }
    }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; ++k) {
      for (size_t i = 2; i < ido; i += 2) {
        const size_t ic = ido - i;
        const double tr2 = CC(i - 1, 0, k) + CC(ic - 1, 3, k);
        const double tr1 = CC(i - 1, 0, k) - CC(ic - 1, 3, k);
        const double ti1 = CC(i, 0, k) + CC(ic, 3, k);
        const double ti2 = CC(i, 0, k) - CC(ic, 3, k);
        const double tr4 = CC(i, 2, k) + CC(ic, 1, k);
        const double ti3 = CC(i, 2, k) - CC(ic, 1, k);
        const double tr3 = CC(i - 1, 2, k) + CC(ic - 1, 1, k);
        const double ti4 = CC(i - 1, 2, k) - CC(ic - 1, 1, k);
        CH(i - 1, k, 0) = tr2 + tr3;
        const double cr3 = tr2 - tr3;
        CH(i, k, 0) = ti2 + ti3;
        const double ci3 = ti2 - ti3;
        const double cr4 = tr1 + tr4, cr2 = tr1 - tr4;
        const double ci2 = ti1 + ti4, ci4 = ti1 - ti4;
        const double cr[3] = {cr2, cr3, cr4}, ci[3] = {ci2, ci3, ci4};
        for (size_t j = 0; j < 3; ++j) {
          const double wr = wa[j * (ido - 1) + i - 2], wi = wa[j * (ido - 1) + i - 1];
          CH(i, k, j + 1) = wr * ci[j] + wi * cr[j];
          CH(i - 1, k, j + 1) = wr * cr[j] - wi * ci[j];
        }
      }
    }
  }

  size_t n_;
  std::vector<size_t> radix_;
  std::vector<std::vector<double>> twiddles_;
};

// Unnormalised DCT-II, y[k] = 2 * sum x[n] cos(pi k (2n+1) / 2N) (scipy.fftpack.dct's default),
// as pocketfft's T_dcst23 computes it: fold the input into halfcomplex order, run a backward
// real FFT, then untangle with cosine twiddles.
class Dct2 {
 public:
  explicit Dct2(size_t n) : n_(n), fft_(n), twiddle_(n) {
    const UnitRoots roots(4 * n);
    for (size_t i = 0; i < n; ++i) twiddle_[i] = roots[i + 1].r;
  }

  void Run(double* c) const {
    const size_t n = n_, half = (n + 1) / 2;
    c[0] *= 2;
    if (n % 2 == 0) c[n - 1] *= 2;
    for (size_t k = 1; k + 1 < n; k += 2) {
      const double t = c[k + 1];
      c[k + 1] = t - c[k];
      c[k] = t + c[k];
    }
    fft_.Run(c);
    for (size_t k = 1, kc = n - 1; k < half; ++k, --kc) {
      const double t1 = twiddle_[k - 1] * c[kc] + twiddle_[kc - 1] * c[k];
      const double t2 = twiddle_[k - 1] * c[k] - twiddle_[kc - 1] * c[kc];
      c[k] = 0.5 * (t1 + t2);
      c[kc] = 0.5 * (t1 - t2);
    }
    if (n % 2 == 0) c[half] *= twiddle_[half - 1];
  }

 private:
  size_t n_;
  HalfcomplexToReal fft_;
  std::vector<double> twiddle_;
};

// Target (width, height) of imagededup's preprocessing, per method.
void TargetSize(ImageHashMethod m, int* w, int* h) {
  switch (m) {
    case ImageHashMethod::kPHash: *w = 32; *h = 32; return;
    case ImageHashMethod::kDHash: *w = 9; *h = 8; return;
    case ImageHashMethod::kWHash: *w = 256; *h = 256; return;
    case ImageHashMethod::kAHash: *w = 8; *h = 8; return;
  }
}

// np.packbits over the row-major 8x8 boolean matrix, then '%0.2x' per byte.
std::string BitsToHex(const bool (&bits)[64]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int byte = 0; byte < 8; ++byte) {
    int v = 0;
    for (int b = 0; b < 8; ++b) v = (v << 1) | (bits[byte * 8 + b] ? 1 : 0);
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

// np.median: the middle order statistic, or the mean of the two middle ones ((a + b) / 2).
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::string PHashBits(const std::vector<uint8_t>& g) {
  // dct(dct(img, axis=0), axis=1) on the 32x32 image, keep the top-left 8x8.
  static const Dct2 dct(32);
  std::vector<double> m(32 * 32);
  double line[32];
  for (int x = 0; x < 32; ++x) {
    for (int y = 0; y < 32; ++y) line[y] = g[y * 32 + x];
    dct.Run(line);
    for (int y = 0; y < 32; ++y) m[y * 32 + x] = line[y];
  }
  for (int y = 0; y < 8; ++y) dct.Run(&m[y * 32]);  // only rows 0..7 are kept
  std::vector<double> coef(64);
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x) coef[y * 8 + x] = m[y * 32 + x];
  }
  // The median skips the DC term; the comparison does not.
  const double med = Median(std::vector<double>(coef.begin() + 1, coef.end()));
  bool bits[64];
  for (int i = 0; i < 64; ++i) bits[i] = coef[i] >= med;
  return BitsToHex(bits);
}

std::string WHashBits(const std::vector<uint8_t>& g) {
  // pywt.wavedec2(img / 255, 'haar', level=5) keeps only the approximation: each level filters
  // axis 0 then axis 1 with dec_lo = [h, h], out = h*x[2i+1] + h*x[2i] (pywt's tap order).
  constexpr double h = 0.70710678118654752440;
  int n = 256;
  std::vector<double> a(static_cast<size_t>(n) * n);
  for (size_t i = 0; i < a.size(); ++i) a[i] = g[i] / 255.0;
  for (int level = 0; level < 5; ++level) {
    const int m = n / 2;
    std::vector<double> rows(static_cast<size_t>(m) * n);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        rows[i * n + j] = h * a[(2 * i + 1) * n + j] + h * a[(2 * i) * n + j];
      }
    }
    std::vector<double> next(static_cast<size_t>(m) * m);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        next[i * m + j] = h * rows[i * n + 2 * j + 1] + h * rows[i * n + 2 * j];
      }
    }
    a = std::move(next);
    n = m;
  }
  const double med = Median(a);
  bool bits[64];
  for (int i = 0; i < 64; ++i) bits[i] = a[i] >= med;
  return BitsToHex(bits);
}

}  // namespace

Result<ImageHashMethod> ParseImageHashMethod(std::string_view name) {
  if (name == "phash") return ImageHashMethod::kPHash;
  if (name == "dhash") return ImageHashMethod::kDHash;
  if (name == "whash") return ImageHashMethod::kWHash;
  if (name == "ahash") return ImageHashMethod::kAHash;
  return Status::Error("unknown image hash method '" + std::string(name) +
                       "': expected one of phash, dhash, whash, ahash");
}

std::string ImageHash(ImageHashMethod method, const uint8_t* pixels, int w, int h, int channels) {
  WINNOW_CHECK(channels == 1 || channels == 3 || channels == 4);
  int tw = 0, th = 0;
  TargetSize(method, &tw, &th);
  // Resize in the image's own mode, then convert to L (imagededup's order). Channels are
  // resampled independently, so resizing RGBA and ignoring alpha equals dropping alpha first.
  const std::vector<uint8_t> g = ToLuma(
      Resize(pixels, w, h, channels, tw, th, ResampleFilter::kLanczos).data(), tw, th, channels);
  switch (method) {
    case ImageHashMethod::kPHash:
      return PHashBits(g);
    case ImageHashMethod::kWHash:
      return WHashBits(g);
    case ImageHashMethod::kAHash: {
      // x >= np.mean(img): the sum of 64 bytes is exact, so compare 64*x with it.
      int sum = 0;
      for (uint8_t v : g) sum += v;
      bool bits[64];
      for (int i = 0; i < 64; ++i) bits[i] = 64 * g[i] >= sum;
      return BitsToHex(bits);
    }
    case ImageHashMethod::kDHash: {
      // img[:, 1:] > img[:, :-1] on the 9-wide, 8-high image.
      bool bits[64];
      for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) bits[y * 8 + x] = g[y * 9 + x + 1] > g[y * 9 + x];
      }
      return BitsToHex(bits);
    }
  }
  return "";
}

}  // namespace winnow::media
