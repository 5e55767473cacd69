// The numerical core of Data-Juicer's audio ops, reproducing DJ's numbers rather than
// re-deriving the ideas:
//   audio_nmf_snr_filter      -> NmfSnr: librosa 0.10 stft -> |.| -> sklearn NMF (2 components,
//                                init='random', random_state=0, cd solver) -> librosa istft of
//                                each component -> 10*log10(P_signal / P_noise)
//   audio_add_gaussian_noise_mapper -> AddGaussianNoise: audiomentations.AddGaussianNoise
//
// Input audio is what DJ's load_audio hands its ops (HF datasets' Audio feature): float64
// samples at the file's native rate, channels averaged to mono. Decoding is not done here.
//
// Agreement with DJ (see bench/audio_nmf_parity.py): NmfSnr matches to ~1e-12 relative. It is not
// bit-exact because numpy's pocketfft, the BLAS behind sklearn's np.dot and glibc-vs-SIMD cos
// each round differently from the plain loops here; the NMF is well conditioned, so those
// last-bit differences stay last-bit.
#pragma once

#include <complex>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "winnow/core/numpy_random.h"
#include "winnow/core/status.h"

namespace winnow::media {

// ------------------------------------------------------------------------------------ FFT
// In-place complex FFT of a power-of-two length (unnormalised; `inverse` flips the sign of
// the exponent only). Twiddles come straight from cos/sin, not a recurrence, for accuracy.
void Fft(std::span<std::complex<double>> data, bool inverse);

// numpy.fft.rfft for a power-of-two length: n/2 + 1 bins.
std::vector<std::complex<double>> Rfft(std::span<const double> x);

// numpy.fft.irfft(spectrum, n) for a power-of-two n with spectrum.size() == n/2 + 1; scaled by
// 1/n. Like numpy, the imaginary parts of the DC and Nyquist bins are ignored.
std::vector<double> Irfft(std::span<const std::complex<double>> spectrum, int n);

// librosa/scipy's periodic Hann window: 0.5 + 0.5*cos(linspace(-pi, pi, n+1))[:n].
std::vector<double> HannWindow(int n);

// ----------------------------------------------------------------------------- STFT / ISTFT
// An STFT matrix, frame-major: values[frame * n_bins + bin]. (librosa's is (bins, frames);
// frame-major is what NMF wants, since librosa feeds sklearn S.T.)
struct Spectrogram {
  int n_fft = 0;
  int hop = 0;
  int n_bins = 0;
  int n_frames = 0;
  std::vector<std::complex<double>> values;

  std::complex<double>& At(int frame, int bin) { return values[static_cast<size_t>(frame) * n_bins + bin]; }
  const std::complex<double>& At(int frame, int bin) const {
    return values[static_cast<size_t>(frame) * n_bins + bin];
  }
};

// librosa.stft(y, n_fft, hop_length) with librosa's other defaults: periodic Hann window,
// center=True with zero padding of n_fft/2 on both sides, so 1 + len/hop frames (any length,
// even 0). n_fft must be a power of two.
Spectrogram Stft(std::span<const double> y, int n_fft = 2048, int hop = 512);

// librosa.istft(D) (center=True, Hann). Without `length` the output has
// hop * (n_frames - 1) samples, which for a signal from Stft is len rounded down to a multiple
// of hop; with `length` the frames are trimmed and the output zero-padded/cut as librosa does.
// The overlap-add is divided by the window's sum-square envelope where that exceeds the
// smallest normal double.
std::vector<double> Istft(const Spectrogram& d, std::optional<int64_t> length = std::nullopt);

// ------------------------------------------------------------------------------------- NMF
struct NmfOptions {
  int n_components = 2;
  int max_iter = 200;      // sklearn's default; DJ passes nmf_iter_num (500)
  double tol = 1e-4;
  uint32_t random_state = 0;
};

struct NmfResult {
  int n_samples = 0;
  int n_features = 0;
  int n_components = 0;
  int n_iter = 0;          // sklearn's n_iter_
  std::vector<double> w;   // n_samples x n_components, row-major (fit_transform's result)
  std::vector<double> h;   // n_components x n_features, row-major (components_)
};

// sklearn.decomposition.NMF(n_components, init='random', random_state, max_iter, tol).fit_transform
// with the defaults DJ gets: solver='cd' (coordinate descent, no shuffle), Frobenius loss, no
// regularisation. `x` is n_samples x n_features row-major and must be non-negative and finite
// (sklearn raises otherwise; so does this, with an error).
//
// Init: avg = sqrt(mean(X) / k); H then W drawn from RandomState(random_state).standard_normal
// in that order, scaled by avg, absolute value. Each iteration updates W then H; it stops after
// the first iteration whose summed projected-gradient violation is <= tol * the first one.
Result<NmfResult> Nmf(std::span<const double> x, int n_samples, int n_features,
                      const NmfOptions& options = {});

// ------------------------------------------------------------------------- the DJ ops' math
// DJ's audio_nmf_snr_filter.compute_nmf_snr(mono, nmf_iter), in dB.
//  - A zero noise power (silence, or a noise component that died) gives DBL_MAX, as DJ's
//    np.finfo(np.float64).max.
//  - Input shorter than the hop (512) gives NaN: istft then returns no samples and DJ's
//    np.mean of an empty array is NaN (with a RuntimeWarning). NaN fails every range check.
//  - DJ multiplies the components by exp(1j*angle(S)) with S already a magnitude, so the phase
//    is 0 and the original phase is NOT restored; reproduced as is.
// Precondition: finite samples (see CheckAudioFinite) and nmf_iter >= 1.
double NmfSnr(std::span<const double> mono, int nmf_iter = 500);

// librosa.util.valid_audio's finiteness check, which librosa.stft runs first; DJ's op then
// fails on that sample with this message.
Status CheckAudioFinite(std::span<const double> mono);

// audiomentations.AddGaussianNoise (DJ's audio_add_gaussian_noise_mapper), per call:
//   should_apply = py_random.random() < p
//   if should_apply: amplitude = py_random.uniform(min, max)   (= min + (max-min)*random())
//   samples -> float32; if should_apply and non-empty:
//     out = samples + float32(amplitude) * float32(np_random.randn(len))   (float32 arithmetic)
// DJ draws from two global, never-seeded generators: Python's `random` module (the two scalars)
// and numpy's global RandomState (the noise), so DJ's output is not reproducible run to run.
// Here both are explicit: seed `py_random` with NumpyRandomState::FromKey (the same stream as
// random.seed(n)) and `np_random` with NumpyRandomState(seed) (np.random.seed(seed)) to replay a
// seeded DJ run exactly. One GaussianNoiseRng should serve the audios of a sample in order.
struct GaussianNoiseOptions {
  double min_amplitude = 0.001;
  double max_amplitude = 0.015;
  double p = 0.5;
};

struct GaussianNoiseRng {
  NumpyRandomState py_random;  // Python's `random` module
  NumpyRandomState np_random;  // numpy's global RandomState
};

struct GaussianNoiseResult {
  bool applied = false;
  double amplitude = 0.0;      // meaningful when applied
  std::vector<float> samples;  // always float32, as audiomentations returns (DJ writes this)
};

GaussianNoiseResult AddGaussianNoise(std::span<const double> samples,
                                     const GaussianNoiseOptions& options, GaussianNoiseRng& rng);

}  // namespace winnow::media
