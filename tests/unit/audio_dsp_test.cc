// The audio math behind DJ's audio_nmf_snr_filter and audio_add_gaussian_noise_mapper.
// Expected values come from `/usr/bin/python3 bench/audio_nmf_parity.py --literals` (Debian 12:
// numpy 1.24.2, scipy 1.10.1, scikit-learn 1.2.1; librosa 0.10.2's stft/istft/decompose
// re-implemented in numpy in that script, audiomentations' AddGaussianNoise emulated there from
// its source). The FFT and STFT tests need no oracle: naive DFT and round trips.
#include "winnow/media/audio_dsp.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "winnow/core/numpy_random.h"

namespace winnow::media {
namespace {

using Complex = std::complex<double>;

std::vector<double> RandomSamples(int n, uint32_t seed) {
  NumpyRandomState rng(seed);
  std::vector<double> x(n);
  for (double& v : x) v = rng.StandardNormal();
  return x;
}

// The oracle's sine_plus_noise: amp*sin(2 pi f i / sr) + sigma * RandomState(seed).standard_normal,
// with sigma set for the requested SNR. Same operation order as the Python, so same samples.
std::vector<double> SinePlusNoise(int n, double sr, double freq, double amp, double snr_db, uint32_t seed) {
  NumpyRandomState rng(seed);
  const double sigma = amp / std::sqrt(2.0) / std::pow(10.0, snr_db / 20.0);
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) {
    double s = amp * std::sin(2.0 * std::numbers::pi * freq * static_cast<double>(i) / sr);
    x[i] = s + sigma * rng.StandardNormal();
  }
  return x;
}

TEST(NumpyRandomStateAudio, StandardNormalMatchesNumpyLegacyGauss) {
  // np.random.RandomState(0).standard_normal(7): an odd count crosses the cached second value.
  const double want[] = {1.764052345967664, 0.4001572083672233,  0.9787379841057392, 2.240893199201458,
                         1.8675579901499675, -0.977277879876411, 0.9500884175255894};
  NumpyRandomState rng(0);
  for (double w : want) EXPECT_EQ(rng.StandardNormal(), w);
  NumpyRandomState u(0);  // RandomState(0).random_sample(3)
  for (double w : {0.5488135039273248, 0.7151893663724195, 0.6027633760716439}) EXPECT_EQ(u.Random01(), w);
}

TEST(NumpyRandomStateAudio, FromKeyReproducesPythonRandom) {
  const uint32_t five[] = {5};
  NumpyRandomState r = NumpyRandomState::FromKey(five);  // random.Random(5)
  for (double w : {0.6229016948897019, 0.7417869892607294, 0.7951935655656966}) EXPECT_EQ(r.Random01(), w);
  const uint32_t big[] = {7, 1};  // random.Random(2**32 + 7): 32-bit words, low first
  EXPECT_EQ(NumpyRandomState::FromKey(big).Random01(), 0.22550888929893187);
  // The integer constructor is untouched: RandomState(42)'s first 32-bit word.
  EXPECT_EQ(NumpyRandomState(42).Next32(), 1608637542u);
}

TEST(AudioDsp, FftMatchesNaiveDft) {
  for (int n = 1; n <= 2048; n *= 2) {
    std::vector<double> re = RandomSamples(n, n), im = RandomSamples(n, n + 1);
    std::vector<Complex> a(n);
    for (int i = 0; i < n; ++i) a[i] = Complex(re[i], im[i]);
    std::vector<Complex> fast = a;
    Fft(fast, false);
    double worst = 0, scale = 0;
    for (int k = 0; k < n; ++k) {
      Complex s = 0;
      for (int t = 0; t < n; ++t) s += a[t] * std::polar(1.0, -2.0 * std::numbers::pi * double(int64_t(k) * t % n) / n);
      worst = std::max(worst, std::abs(s - fast[k]));
      scale = std::max(scale, std::abs(s));
    }
    EXPECT_LT(worst, 1e-13 * std::max(1.0, scale)) << "n=" << n;
    // Inverse (unnormalised) brings it back times n.
    Fft(fast, true);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(std::abs(fast[i] / double(n) - a[i]), 0.0, 1e-13) << n << ":" << i;
  }
}

TEST(AudioDsp, RfftAndIrfftMatchNaiveDft) {
  for (int n : {1, 2, 4, 16, 512, 2048}) {
    std::vector<double> x = RandomSamples(n, 100 + n);
    std::vector<Complex> spec = Rfft(x);
    ASSERT_EQ(spec.size(), size_t(n / 2 + 1));
    for (int k = 0; k <= n / 2; ++k) {
      Complex s = 0;
      for (int t = 0; t < n; ++t) s += x[t] * std::polar(1.0, -2.0 * std::numbers::pi * double(int64_t(k) * t % n) / n);
      EXPECT_LT(std::abs(s - spec[k]), 1e-12 * std::sqrt(double(n))) << n << ":" << k;
    }
    std::vector<double> back = Irfft(spec, n);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(back[i], x[i], 1e-14) << n << ":" << i;
  }
  // numpy.fft.irfft ignores the imaginary parts of the DC and Nyquist bins.
  std::vector<Complex> s = {Complex(4, 9), Complex(1, 2), Complex(-2, 5)};
  std::vector<double> want = Irfft(std::vector<Complex>{Complex(4, 0), Complex(1, 2), Complex(-2, 0)}, 4);
  EXPECT_EQ(Irfft(s, 4), want);
  const double naive[] = {1.0, 0.5, 0.0, 2.5};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(want[i], naive[i], 1e-15) << i;
}

TEST(AudioDsp, HannWindowIsScipysPeriodicHann) {
  // scipy.signal.get_window('hann', 8). numpy's own (SIMD) cos can differ from libm's by an ulp
  // (it does at 3 and 5 here), hence DOUBLE_EQ rather than bit equality.
  const double want[] = {0.0, 0.14644660940672627, 0.5, 0.8535533905932738,
                         1.0, 0.8535533905932738,  0.5, 0.14644660940672627};
  std::vector<double> w = HannWindow(8);
  for (int i = 0; i < 8; ++i) EXPECT_DOUBLE_EQ(w[i], want[i]) << i;
}

TEST(AudioDsp, StftShapeAndFramesAreCenteredZeroPadded) {
  for (int len : {0, 300, 1000, 2048, 5000}) {
    Spectrogram s = Stft(RandomSamples(len, 9));
    EXPECT_EQ(s.n_bins, 1025);
    EXPECT_EQ(s.n_frames, 1 + len / 512) << len;
  }
  // Frame 1 of a 5000-sample signal covers y[-512, 1536) with zeros before y[0].
  std::vector<double> y = RandomSamples(5000, 10);
  Spectrogram s = Stft(y);
  std::vector<double> w = HannWindow(2048), frame(2048);
  for (int i = 0; i < 2048; ++i) frame[i] = (i >= 512 ? y[i - 512] : 0.0) * w[i];
  std::vector<Complex> want = Rfft(frame);
  for (int b = 0; b < 1025; ++b) EXPECT_EQ(s.At(1, b), want[b]) << b;
}

TEST(AudioDsp, IstftInvertsStft) {
  for (int len : {1000, 2048, 5000, 16000}) {
    std::vector<double> y = RandomSamples(len, 11);
    Spectrogram s = Stft(y);
    std::vector<double> back = Istft(s);  // librosa without length: len rounded down to hop
    ASSERT_EQ(back.size(), size_t(len / 512 * 512)) << len;
    for (size_t i = 0; i < back.size(); ++i) ASSERT_NEAR(back[i], y[i], 1e-12) << len << ":" << i;
    std::vector<double> exact = Istft(s, len);  // with length: every sample
    ASSERT_EQ(exact.size(), size_t(len));
    for (int i = 0; i < len; ++i) ASSERT_NEAR(exact[i], y[i], 1e-12) << len << ":" << i;
  }
  EXPECT_TRUE(Istft(Stft(RandomSamples(300, 1))).empty());  // shorter than a hop
  std::vector<double> longer = Istft(Stft(RandomSamples(600, 1)), 4000);  // zero-filled past the frames
  ASSERT_EQ(longer.size(), 4000u);
  EXPECT_EQ(longer[3999], 0.0);
}

struct SmallNmfCase {
  int n, m, k, max_iter;
  uint32_t random_state;
  int n_iter;
  std::vector<double> w, h;
};

TEST(AudioDsp, NmfMatchesSklearnCoordinateDescent) {
  // X = RandomState(1).random_sample((n, m)); NMF(k, init='random', random_state, max_iter).
  const SmallNmfCase cases[] = {
      {6, 5, 2, 200, 0, 23,
       {0.16124701120212354, 0.825712297214186, 0.3204281590459245, 0.35970346443947016, 0.0530827341408845,
        1.2916103922181956, 0.38447422757712346, 0.5555956746400823, 0.7103202878452533, 1.1895342580631627,
        0.8743477896506967, 0.0},
       {0.9046169960157293, 0.16005354888003015, 0.22079789217687296, 0.11120956328034613, 1.0675831375058422,
        0.23784387601072138, 0.644827858873849, 0.18271826476043793, 0.5412908324427276, 0.008192900969503137}},
      {4, 7, 3, 30, 3, 30,
       {0.6008831546844966, 0.11757085091506835, 0.0418075611840329, 0.0, 1.0222661231977206, 0.3678014184069715,
        0.2500580163438851, 1.0156563133958578, 0.0, 0.2957644922755711, 0.0, 0.9812261458274378},
       {0.5477696276317626, 1.1091976334242406, 0.0, 0.5338105765500835, 0.0279830617267549, 0.10918950135248043,
        0.10248268882508145, 0.0, 0.38805266550624484, 0.342397165621488, 0.28645907386011094, 0.23536175593602235,
        0.17419859858119827, 0.8079048208719675, 0.8382073034473816, 0.0, 0.6792739049109369, 0.6812993037389028,
        0.9433243498691304, 0.056119061064809815, 0.026394314383083116}},
      {10, 4, 2, 500, 0, 23,
       {0.4080972338327609, 0.23991972389314964, 0.14583134730189967, 0.11218951531437261, 0.43112689513256286,
        0.32351022769625787, 0.6614281506648975, 0.0, 0.26683527269791896, 0.335208586834813, 0.5941584177133837,
        0.5848073808060432, 0.2992129357490806, 0.7081169593657745, 0.5504968708948695, 0.05689322601350904,
        0.15092635508631216, 0.9902989281263875, 0.6180023229629485, 0.3439779145389537},
       {0.3600427162391764, 1.310121993519707, 0.0, 1.018167785178433, 0.9859360980971544, 0.40834110718826083,
        0.5124219923238821, 0.047885073648335476}},
  };
  for (const SmallNmfCase& c : cases) {
    NumpyRandomState rng(1);
    std::vector<double> x(c.n * c.m);
    for (double& v : x) v = rng.Random01();
    NmfOptions opt;
    opt.n_components = c.k;
    opt.max_iter = c.max_iter;
    opt.random_state = c.random_state;
    Result<NmfResult> r = Nmf(x, c.n, c.m, opt);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->n_iter, c.n_iter);
    ASSERT_EQ(r->w.size(), c.w.size());
    ASSERT_EQ(r->h.size(), c.h.size());
    for (size_t i = 0; i < c.w.size(); ++i) EXPECT_NEAR(r->w[i], c.w[i], 1e-12) << "W " << i;
    for (size_t i = 0; i < c.h.size(); ++i) EXPECT_NEAR(r->h[i], c.h[i], 1e-12) << "H " << i;
  }
}

TEST(AudioDsp, NmfRejectsWhatSklearnRejects) {
  EXPECT_FALSE(Nmf(std::vector<double>{1, -1, 2, 3}, 2, 2).ok());
  EXPECT_FALSE(Nmf(std::vector<double>{1, NAN, 2, 3}, 2, 2).ok());
  Result<NmfResult> zeros = Nmf(std::vector<double>(6, 0.0), 2, 3);  // converges at once
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ(zeros->n_iter, 1);
}

TEST(AudioDsp, NmfSnrMatchesDataJuicer) {
  struct Case {
    const char* name;
    std::vector<double> signal;
    int nmf_iter;
    double want;
  };
  const Case cases[] = {
      {"sine440_snr20", SinePlusNoise(16000, 16000, 440, 0.5, 20, 7), 500, 28.708036826617803},
      {"sine440_snr10", SinePlusNoise(16000, 16000, 440, 0.5, 10, 7), 500, 29.00819780705835},
      {"sine440_snr0", SinePlusNoise(16000, 16000, 440, 0.5, 0, 7), 500, 7.7493568500459915},
      {"sine440_snr-5", SinePlusNoise(16000, 16000, 440, 0.5, -5, 7), 500, 0.8664387069728177},
      {"sine440_snr10_iter50", SinePlusNoise(16000, 16000, 440, 0.5, 10, 7), 50, 30.173217350985894},
      {"short_1000 (< n_fft)", SinePlusNoise(1000, 16000, 440, 0.5, 10, 3), 500, -13.6932619495744},
      {"short_2048", SinePlusNoise(2048, 16000, 1000, 0.3, 5, 4), 500, 17.182353249401743},
      {"odd_5000", SinePlusNoise(5000, 16000, 3000, 0.2, 3, 6), 500, 17.546935909917693},
  };
  for (const Case& c : cases) {
    double got = NmfSnr(c.signal, c.nmf_iter);
    EXPECT_NEAR(got, c.want, 1e-6 * std::fabs(c.want)) << c.name;
  }
  // Silence: zero noise power -> np.finfo(np.float64).max.
  EXPECT_EQ(NmfSnr(std::vector<double>(16000, 0.0), 500), DBL_MAX);
  // Shorter than a hop: istft returns nothing, np.mean([]) is NaN.
  EXPECT_TRUE(std::isnan(NmfSnr(SinePlusNoise(300, 16000, 440, 0.5, 10, 5), 500)));
  EXPECT_TRUE(std::isnan(NmfSnr(std::vector<double>{}, 500)));
}

TEST(AudioDsp, CheckAudioFinite) {
  EXPECT_TRUE(CheckAudioFinite(std::vector<double>{0.0, 1.0}).ok());
  EXPECT_FALSE(CheckAudioFinite(std::vector<double>{0.0, INFINITY}).ok());
}

TEST(AudioDsp, AddGaussianNoiseReplaysSeededAudiomentations) {
  // random.seed(11); np.random.seed(22); then AddGaussianNoise(p=0.5) four times on
  // [0.1, -0.2, 0.3, 1e-3, 0.5], the third time on an empty array.
  const uint32_t py_seed[] = {11};
  GaussianNoiseRng rng{NumpyRandomState::FromKey(py_seed), NumpyRandomState(22)};
  const std::vector<double> x = {0.1, -0.2, 0.3, 1e-3, 0.5};
  const std::vector<float> x32 = {0x1.99999ap-4f, -0x1.99999ap-3f, 0x1.333334p-2f, 0x1.0624dep-10f, 0x1p-1f};
  GaussianNoiseOptions opt;

  GaussianNoiseResult a = AddGaussianNoise(x, opt, rng);
  EXPECT_TRUE(a.applied);
  EXPECT_EQ(a.amplitude, 0.008836813405126941);
  EXPECT_EQ(a.samples, (std::vector<float>{0x1.964596p-4f, -0x1.b4155cp-3f, 0x1.3cfd32p-2f, -0x1.2441c6p-10f,
                                           0x1.fb8e4ap-2f}));
  GaussianNoiseResult b = AddGaussianNoise(x, opt, rng);
  EXPECT_FALSE(b.applied);
  EXPECT_EQ(b.samples, x32);  // not applied: still converted to float32
  GaussianNoiseResult c = AddGaussianNoise(std::vector<double>{}, opt, rng);
  EXPECT_TRUE(c.applied);  // parameters are drawn, but no noise for an empty array
  EXPECT_EQ(c.amplitude, 0.008109777822871795);
  EXPECT_TRUE(c.samples.empty());
  GaussianNoiseResult d = AddGaussianNoise(x, opt, rng);
  EXPECT_FALSE(d.applied);
  EXPECT_EQ(d.samples, x32);
}

}  // namespace
}  // namespace winnow::media
