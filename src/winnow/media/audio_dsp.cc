#include "winnow/media/audio_dsp.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <string>

namespace winnow::media {
namespace {

using Complex = std::complex<double>;

bool IsPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

// Twiddles exp(-2*pi*i*k/n) for k < n/2 and the bit-reversal permutation of n. Built once per
// size and thread: Stft/Istft run hundreds of same-size transforms per call.
struct FftTables {
  explicit FftTables(int size) : n(size), twiddle(size / 2), bitrev(size) {
    for (int k = 0; k < n / 2; ++k) {
      double a = 2.0 * std::numbers::pi * k / n;
      twiddle[k] = Complex(std::cos(a), -std::sin(a));
    }
    int bits = 0;
    while ((1 << bits) < n) ++bits;
    for (int i = 0; i < n; ++i) {
      int r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      bitrev[i] = r;
    }
  }
  int n;
  std::vector<Complex> twiddle;
  std::vector<int> bitrev;
};

const FftTables& TablesFor(int n) {
  thread_local std::map<int, std::unique_ptr<FftTables>> cache;
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<FftTables>(n);
  return *slot;
}

// Iterative radix-2 decimation-in-time FFT of size m using the tables of a size n that m
// divides (so the real FFT of size n can run its half-size complex FFT on the same tables).
void FftWithTables(Complex* a, int m, const FftTables& t, bool inverse) {
  const int shift = t.n / m;  // bitrev of m from bitrev of n: drop the low log2(shift) bits
  int log_shift = 0;
  while ((1 << log_shift) < shift) ++log_shift;
  for (int i = 0; i < m; ++i) {
    int j = t.bitrev[i] >> log_shift;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (int len = 2; len <= m; len <<= 1) {
    const int half = len / 2, step = t.n / len;
    for (int start = 0; start < m; start += len) {
      for (int j = 0; j < half; ++j) {
        Complex w = t.twiddle[j * step];
        if (inverse) w = std::conj(w);
        Complex u = a[start + j], v = a[start + j + half] * w;
        a[start + j] = u + v;
        a[start + j + half] = u - v;
      }
    }
  }
}

// numpy's float64 add.reduce over a contiguous array: pairwise summation (8 accumulators,
// blocks of 128) inside each 8192-element buffer chunk, chunks added left to right. Matching it
// keeps X.mean() (the NMF init scale) and the power means bit-identical to DJ's.
double PairwiseSum(const double* a, size_t n) {
  if (n < 8) {
    double r = 0.0;
    for (size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

double NumpySum(std::span<const double> a) {
  double total = 0.0;
  for (size_t s = 0; s < a.size(); s += 8192)
    total += PairwiseSum(a.data() + s, std::min<size_t>(8192, a.size() - s));
  return total;
}

double NumpyMean(std::span<const double> a) {
  return a.empty() ? std::nan("") : NumpySum(a) / static_cast<double>(a.size());
}

// One sweep of sklearn's _update_cdnmf_fast over the k columns of w (rows x k, row-major):
// exact minimisation of the Frobenius loss in each coordinate, clipped at zero. hht is
// H H^T (k x k), xht is X H^T (rows x k). Returns the summed projected-gradient magnitude.
double CoordinateDescentSweep(std::vector<double>& w, int rows, int k, const std::vector<double>& hht,
                              const std::vector<double>& xht) {
  double violation = 0.0;
  for (int t = 0; t < k; ++t) {
    const double hess = hht[t * k + t];
    for (int i = 0; i < rows; ++i) {
      double* wi = &w[static_cast<size_t>(i) * k];
      double dot = 0.0;
      for (int r = 0; r < k; ++r) dot += hht[t * k + r] * wi[r];
      const double grad = dot - xht[static_cast<size_t>(i) * k + t];
      const double pg = wi[t] == 0 ? std::min(grad, 0.0) : grad;
      violation += std::fabs(pg);
      if (hess != 0) {
        double v = wi[t] - grad / hess;
        if (0 > v) v = 0;  // Cython's max(v, 0): keeps v unless 0 is larger
        wi[t] = v;
      }
    }
  }
  return violation;
}

// The two BLAS-1 kernels of the NMF products, in 4 independent lanes so that they pipeline
// (and vectorise) without -ffast-math. BLAS also sums in blocks, not left to right, so
// neither order is "the" numpy order; the difference is in the last bits.
double Dot(const double* a, const double* b, int n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void Axpy(double alpha, const double* x, double* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// g = A^T A for A (rows x k, row-major).
void Gram(const std::vector<double>& a, int rows, int k, std::vector<double>& g) {
  std::fill(g.begin(), g.end(), 0.0);
  for (int i = 0; i < rows; ++i) {
    const double* ai = &a[static_cast<size_t>(i) * k];
    for (int p = 0; p < k; ++p)
      for (int q = 0; q < k; ++q) g[p * k + q] += ai[p] * ai[q];
  }
}

}  // namespace

// ------------------------------------------------------------------------------------ FFT
void Fft(std::span<std::complex<double>> data, bool inverse) {
  WINNOW_CHECK(IsPowerOfTwo(static_cast<int64_t>(data.size())));
  FftWithTables(data.data(), static_cast<int>(data.size()), TablesFor(static_cast<int>(data.size())),
                inverse);
}

// Real FFT of size n through one complex FFT of size n/2 on z[m] = x[2m] + i x[2m+1]:
// with E, O the spectra of the even and odd samples, X[k] = E[k] + W^k O[k].
std::vector<Complex> Rfft(std::span<const double> x) {
  const int n = static_cast<int>(x.size());
  WINNOW_CHECK(IsPowerOfTwo(n));
  if (n == 1) return {Complex(x[0], 0.0)};
  const int m = n / 2;
  const FftTables& t = TablesFor(n);
  std::vector<Complex> z(m);
  for (int i = 0; i < m; ++i) z[i] = Complex(x[2 * i], x[2 * i + 1]);
  FftWithTables(z.data(), m, t, false);
  std::vector<Complex> out(m + 1);
  for (int k = 0; k <= m; ++k) {
    Complex zk = z[k % m], zc = std::conj(z[(m - k) % m]);
    Complex e = 0.5 * (zk + zc);
    Complex o = Complex(0.0, -0.5) * (zk - zc);
    Complex w = k < m ? t.twiddle[k] : Complex(-1.0, 0.0);
    out[k] = e + w * o;
  }
  return out;
}

std::vector<double> Irfft(std::span<const std::complex<double>> spectrum, int n) {
  WINNOW_CHECK(IsPowerOfTwo(n) && static_cast<int>(spectrum.size()) == n / 2 + 1);
  if (n == 1) return {spectrum[0].real()};
  const int m = n / 2;
  const FftTables& t = TablesFor(n);
  auto bin = [&](int k) {  // numpy drops the imaginary parts of DC and Nyquist
    return (k == 0 || k == m) ? Complex(spectrum[k].real(), 0.0) : spectrum[k];
  };
  std::vector<Complex> z(m);
  for (int k = 0; k < m; ++k) {
    Complex xk = bin(k), xc = std::conj(bin(m - k));
    Complex e = 0.5 * (xk + xc);
    Complex o = 0.5 * (xk - xc) * std::conj(t.twiddle[k]);
    z[k] = e + Complex(0.0, 1.0) * o;
  }
  FftWithTables(z.data(), m, t, true);
  std::vector<double> out(n);
  const double scale = 1.0 / m;
  for (int i = 0; i < m; ++i) {
    out[2 * i] = z[i].real() * scale;
    out[2 * i + 1] = z[i].imag() * scale;
  }
  return out;
}

std::vector<double> HannWindow(int n) {
  // scipy.signal.get_window('hann', n, fftbins=True) = general_cosine(n + 1, [0.5, 0.5])[:n],
  // evaluated the way numpy does it: fac = k*step + (-pi) with step = 2*pi/n, then
  // w = 0.5 + 0.5*cos(fac). Same roundings as scipy; numpy's own vectorised cos and libm's
  // cos differ by an ulp on some arguments, so the two windows do too.
  std::vector<double> w(n);
  const double step = (std::numbers::pi - -std::numbers::pi) / n;
  for (int k = 0; k < n; ++k) {
    double fac = static_cast<double>(k) * step;
    fac += -std::numbers::pi;
    w[k] = 0.5 + 0.5 * std::cos(fac);
  }
  return w;
}

// ----------------------------------------------------------------------------- STFT / ISTFT
Spectrogram Stft(std::span<const double> y, int n_fft, int hop) {
  WINNOW_CHECK(IsPowerOfTwo(n_fft) && n_fft >= 2 && hop > 0);
  // librosa frames the head, middle and tail separately to avoid copying the signal; the
  // frames it builds are exactly those of the signal zero-padded by n_fft/2 on each side.
  const int64_t pad = n_fft / 2;
  const int64_t len = static_cast<int64_t>(y.size());
  Spectrogram s;
  s.n_fft = n_fft;
  s.hop = hop;
  s.n_bins = n_fft / 2 + 1;
  s.n_frames = static_cast<int>(1 + (len + 2 * pad - n_fft) / hop);
  s.values.resize(static_cast<size_t>(s.n_frames) * s.n_bins);
  const std::vector<double> window = HannWindow(n_fft);
  std::vector<double> frame(n_fft);
  for (int f = 0; f < s.n_frames; ++f) {
    const int64_t origin = static_cast<int64_t>(f) * hop - pad;  // index into y of frame[0]
    for (int i = 0; i < n_fft; ++i) {
      const int64_t j = origin + i;
      frame[i] = window[i] * ((j >= 0 && j < len) ? y[j] : 0.0);
    }
    std::vector<Complex> spectrum = Rfft(frame);
    std::copy(spectrum.begin(), spectrum.end(), s.values.begin() + static_cast<size_t>(f) * s.n_bins);
  }
  return s;
}

std::vector<double> Istft(const Spectrogram& d, std::optional<int64_t> length) {
  const int n_fft = 2 * (d.n_bins - 1), hop = d.hop;
  WINNOW_CHECK(IsPowerOfTwo(n_fft) && hop > 0);
  int64_t n_frames = d.n_frames;
  if (length && *length > 0) {  // librosa tests `if length:`, so 0 means "no length"
    const int64_t padded = *length + 2 * (n_fft / 2);
    n_frames = std::min<int64_t>(n_frames, (padded + hop - 1) / hop);
  }
  int64_t out_len = n_fft + static_cast<int64_t>(hop) * (n_frames - 1);
  if (length && *length > 0) {
    out_len = *length;
  } else {
    out_len -= 2 * (n_fft / 2);
  }
  out_len = std::max<int64_t>(out_len, 0);
  if (n_frames <= 0) return std::vector<double>(out_len, 0.0);

  // Overlap-add every frame into a buffer of the full padded length, in frame order (the
  // order librosa's head block + block loop adds them), then drop the n_fft/2 head padding.
  const std::vector<double> window = HannWindow(n_fft);
  const int64_t buf_len = n_fft + static_cast<int64_t>(hop) * (n_frames - 1);
  std::vector<double> buf(buf_len, 0.0), envelope(buf_len, 0.0);
  std::vector<double> wsq(n_fft);
  for (int i = 0; i < n_fft; ++i) wsq[i] = window[i] * window[i];
  for (int64_t f = 0; f < n_frames; ++f) {
    std::vector<double> frame = Irfft(
        std::span<const Complex>(d.values.data() + static_cast<size_t>(f) * d.n_bins, d.n_bins), n_fft);
    double* out = &buf[f * hop];
    for (int i = 0; i < n_fft; ++i) out[i] += window[i] * frame[i];
  }
  for (int64_t f = 0; f < n_frames; ++f) {  // window_sumsquare
    double* out = &envelope[f * hop];
    for (int i = 0; i < n_fft; ++i) out[i] += wsq[i];
  }
  std::vector<double> y(out_len, 0.0);
  const int64_t start = n_fft / 2;
  for (int64_t i = 0; i < out_len && start + i < buf_len; ++i) {
    const double env = envelope[start + i];
    y[i] = env > DBL_MIN ? buf[start + i] / env : buf[start + i];
  }
  return y;
}

// ------------------------------------------------------------------------------------- NMF
Result<NmfResult> Nmf(std::span<const double> x, int n_samples, int n_features, const NmfOptions& options) {
  WINNOW_CHECK(x.size() == static_cast<size_t>(n_samples) * n_features);
  WINNOW_CHECK(options.n_components >= 1 && options.max_iter >= 1);
  if (n_samples < 1 || n_features < 1) return Status::Error("NMF: empty input matrix");
  for (double v : x) {
    if (!std::isfinite(v)) return Status::Error("NMF: input contains NaN or infinity");
    if (v < 0) return Status::Error("NMF: negative values in data passed to NMF (input X)");
  }
  const int k = options.n_components;
  NmfResult r;
  r.n_samples = n_samples;
  r.n_features = n_features;
  r.n_components = k;

  // sklearn _initialize_nmf(init='random'): H first, then W, from one legacy RandomState.
  const double avg = std::sqrt(NumpyMean(x) / k);
  NumpyRandomState rng(options.random_state);
  std::vector<double> h(static_cast<size_t>(k) * n_features);
  for (double& v : h) v = std::fabs(avg * rng.StandardNormal());
  r.w.resize(static_cast<size_t>(n_samples) * k);
  for (double& v : r.w) v = std::fabs(avg * rng.StandardNormal());

  // The cd solver works on Ht (n_features x k) so that both factors are row-major "rows x k".
  std::vector<double> ht(static_cast<size_t>(n_features) * k);
  for (int c = 0; c < k; ++c)
    for (int f = 0; f < n_features; ++f) ht[static_cast<size_t>(f) * k + c] = h[static_cast<size_t>(c) * n_features + f];

  std::vector<double> gram(static_cast<size_t>(k) * k);
  std::vector<double> xht(static_cast<size_t>(n_samples) * k);   // X Ht, n_samples x k
  std::vector<double> xtw(static_cast<size_t>(n_features) * k);  // X^T W, n_features x k
  std::vector<double> xtw_t(xtw.size());                         // the same, k x n_features
  double violation_init = 0.0;
  int n_iter = 0;
  for (n_iter = 1; n_iter <= options.max_iter; ++n_iter) {
    // W update: HHt = Ht^T Ht, XHt = X Ht (dot products against H's contiguous rows).
    Gram(ht, n_features, k, gram);
    for (int c = 0; c < k; ++c)
      for (int f = 0; f < n_features; ++f) h[static_cast<size_t>(c) * n_features + f] = ht[static_cast<size_t>(f) * k + c];
    for (int i = 0; i < n_samples; ++i)
      for (int c = 0; c < k; ++c)
        xht[static_cast<size_t>(i) * k + c] =
            Dot(&x[static_cast<size_t>(i) * n_features], &h[static_cast<size_t>(c) * n_features], n_features);
    double violation = CoordinateDescentSweep(r.w, n_samples, k, gram, xht);

    // H update, the same sweep on the transposed problem: WtW = W^T W, X^T W (row axpys).
    Gram(r.w, n_samples, k, gram);
    std::fill(xtw_t.begin(), xtw_t.end(), 0.0);
    for (int i = 0; i < n_samples; ++i)
      for (int c = 0; c < k; ++c)
        Axpy(r.w[static_cast<size_t>(i) * k + c], &x[static_cast<size_t>(i) * n_features],
             &xtw_t[static_cast<size_t>(c) * n_features], n_features);
    for (int c = 0; c < k; ++c)
      for (int f = 0; f < n_features; ++f) xtw[static_cast<size_t>(f) * k + c] = xtw_t[static_cast<size_t>(c) * n_features + f];
    violation += CoordinateDescentSweep(ht, n_features, k, gram, xtw);

    if (n_iter == 1) violation_init = violation;
    if (violation_init == 0) break;
    if (violation / violation_init <= options.tol) break;
  }
  r.n_iter = std::min(n_iter, options.max_iter);

  r.h.resize(h.size());
  for (int c = 0; c < k; ++c)
    for (int f = 0; f < n_features; ++f) r.h[static_cast<size_t>(c) * n_features + f] = ht[static_cast<size_t>(f) * k + c];
  return r;
}

// ------------------------------------------------------------------------- the DJ ops' math
Status CheckAudioFinite(std::span<const double> mono) {
  for (double v : mono)
    if (!std::isfinite(v)) return Status::Error("Audio buffer is not finite everywhere");
  return Status::Ok();
}

double NmfSnr(std::span<const double> mono, int nmf_iter) {
  WINNOW_CHECK(nmf_iter >= 1);
  Spectrogram s = Stft(mono);
  // X = |S|^T: frames x bins, which is already Spectrogram's layout.
  std::vector<double> mag(s.values.size());
  for (size_t i = 0; i < mag.size(); ++i) mag[i] = std::hypot(s.values[i].real(), s.values[i].imag());

  NmfOptions options;
  options.n_components = 2;
  options.max_iter = nmf_iter;
  options.random_state = 0;
  Result<NmfResult> nmf = Nmf(mag, s.n_frames, s.n_bins, options);
  WINNOW_CHECK(nmf.ok());  // |STFT| of finite audio is finite and non-negative

  // Component c's spectrogram is the rank-1 outer product H[c, bin] * W[frame, c]. DJ then
  // multiplies by exp(1j*angle(S)) of the magnitude S, i.e. by 1: the spectra stay real.
  auto power_of_component = [&](int c) {
    Spectrogram part = s;
    for (int f = 0; f < s.n_frames; ++f)
      for (int b = 0; b < s.n_bins; ++b)
        part.At(f, b) = Complex(nmf->h[static_cast<size_t>(c) * s.n_bins + b] * nmf->w[static_cast<size_t>(f) * 2 + c], 0.0);
    std::vector<double> audio = Istft(part);
    for (double& v : audio) v = v * v;
    return NumpyMean(audio);
  };
  const double power_signal = power_of_component(0);
  const double power_noise = power_of_component(1);
  if (power_noise == 0) return DBL_MAX;
  return 10 * std::log10(power_signal / power_noise);
}

GaussianNoiseResult AddGaussianNoise(std::span<const double> samples, const GaussianNoiseOptions& options,
                                     GaussianNoiseRng& rng) {
  GaussianNoiseResult r;
  r.applied = rng.py_random.Random01() < options.p;  // random.random() < p
  if (r.applied)  // random.uniform(a, b) = a + (b - a) * random.random()
    r.amplitude = options.min_amplitude + (options.max_amplitude - options.min_amplitude) * rng.py_random.Random01();
  r.samples.resize(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) r.samples[i] = static_cast<float>(samples[i]);
  if (!r.applied || samples.empty()) return r;
  // numpy: float32 array + python float * float32 array stays float32, so the amplitude is
  // rounded to float32 and both operations round to float32. The products go through memory
  // in a separate pass so that no compiler fuses them with the add into an FMA.
  const float amplitude = static_cast<float>(r.amplitude);
  std::vector<float> noise(samples.size());
  for (float& v : noise) v = amplitude * static_cast<float>(rng.np_random.StandardNormal());
  for (size_t i = 0; i < samples.size(); ++i) r.samples[i] = r.samples[i] + noise[i];
  return r;
}

}  // namespace winnow::media
