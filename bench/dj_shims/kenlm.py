"""Pure-Python stand-in for the `kenlm` Python module (ARPA files only), emulating KenLM's float32 arithmetic.

Evidence (github.com/kpu/kenlm @ 4cb443e, 2025-03-30):
  * python/kenlm.pyx Model.score(sentence, bos=True, eos=True): with bos and eos (DJ's call) it returns
    _kenlm.ScoreSentence(self.model, as_str(sentence)); python/score_sentence.cc:
        float ret = 0.0;
        for (TokenIter<BoolCharacter, true> i(sentence, util::kSpaces); i; ++i)
          ret += model->BaseScore(state, vocab.Index(*i), state2);
        ret += model->BaseScore(state, vocab.EndSentence(), state2);
    -> words are split on the ASCII bytes of util/spaces.cc kSpaces (\t \n \v \f \r and space), empty tokens
       skipped; the total is a C float. The sentence is passed as a NUL-terminated UTF-8 C string.
    Other bos/eos combinations use the Cython loop with `cdef float total` and Python str.split().
  * lm/facade.hh: BaseScore -> Score -> FullScore(...).prob (a float).
  * lm/model.cc GenericModel::FullScore: ret = ScoreExceptBackoff(...) (prob of the longest matching n-gram,
    a stored float), then `for (i = backoff + ngram_length - 1; i < backoff + in_state.length; ++i)
    ret.prob += *i;` -> float additions, shortest unmatched context's backoff first.
  * lm/read_arpa.hh / util/file_piece.cc: probabilities/backoffs parsed straight to float
    (double-conversion StringToFloat, correctly rounded); positive log probs are clamped to 0;
    a missing backoff is -0.0.
"""
import fractions
import struct

import numpy as np

F32 = np.float32
_KSPACES = frozenset(b" \t\n\v\f\r")


def _f32_exact(text):
    """Correctly rounded decimal -> binary32 (like double-conversion's StringToFloat), no double rounding."""
    t = text.strip()
    v = float(t)
    f = F32(v)
    if not np.isfinite(f) or v == 0.0:
        return f
    exact = fractions.Fraction(t)
    best = f
    cands = [np.nextafter(f, F32(-np.inf)), f, np.nextafter(f, F32(np.inf))]
    def err(c):
        return abs(fractions.Fraction(float(c)) - exact)
    for c in cands:
        e, eb = err(c), err(best)
        if e < eb or (e == eb and (struct.unpack("<I", struct.pack("<f", c))[0] & 1) == 0
                      and (struct.unpack("<I", struct.pack("<f", best))[0] & 1) == 1):
            best = c
    return best


def _kenlm_tokens(sentence):
    """util::TokenIter<BoolCharacter, true>(sentence, kSpaces) on the UTF-8 C string."""
    b = sentence.encode("utf-8")
    nul = b.find(b"\0")
    if nul >= 0:  # const char* ends at the first NUL
        b = b[:nul]
    out, cur = [], bytearray()
    for ch in b:
        if ch in _KSPACES:
            if cur:
                out.append(bytes(cur).decode("utf-8", "surrogateescape"))
                cur = bytearray()
        else:
            cur.append(ch)
    if cur:
        out.append(bytes(cur).decode("utf-8", "surrogateescape"))
    return out


class Model:
    def __init__(self, path, config=None):
        self.path = path
        self.ngrams = {}  # tuple(words) -> (float32 prob, float32 backoff)
        order = 0
        with open(path, encoding="utf-8") as f:
            section = None
            for raw in f:
                line = raw.rstrip("\r\n")
                if not line.strip():
                    continue
                if line.startswith("\\"):
                    if line.endswith("-grams:"):
                        section = int(line[1:line.index("-")])
                        order = max(order, section)
                    else:
                        section = None
                    continue
                if section is None:
                    continue
                parts = line.split("\t")
                prob = _f32_exact(parts[0])
                if prob > 0:
                    prob = F32(0.0)
                words = tuple(parts[1].split(" "))
                assert len(words) == section, line
                bo = _f32_exact(parts[2]) if len(parts) > 2 else F32(-0.0)
                self.ngrams[words] = (prob, bo)
        self.order = order
        if ("<unk>",) not in self.ngrams:
            # KenLM's default Config: unknown_missing_logprob = -100 (with a complaint)
            self.ngrams[("<unk>",)] = (F32(-100.0), F32(-0.0))
        self._check_closed()

    def _check_closed(self):
        """KenLM hallucinates blanks for SRI-style pruned ARPAs; this shim assumes a closed model."""
        for g in self.ngrams:
            if len(g) > 1:
                assert g[:-1] in self.ngrams, ("missing prefix", g)
                assert g[1:] in self.ngrams, ("missing suffix", g)

    def _word(self, w):
        return w if (w,) in self.ngrams else "<unk>"

    def _full_score(self, context, w):
        """context: tuple of the last <= order-1 words (already mapped to vocab). Returns float32."""
        n = min(len(context), self.order - 1)
        ctx = context[len(context) - n:] if n else ()
        # longest matching n-gram
        k = n
        while k > 0 and (ctx[n - k:] + (w,)) not in self.ngrams:
            k -= 1
        prob = self.ngrams[ctx[n - k:] + (w,)][0]
        # charge backoffs of the longer contexts, shortest first (ret.prob += *i in float)
        for j in range(k + 1, n + 1):
            h = ctx[n - j:]
            e = self.ngrams.get(h)
            if e is None:
                break  # KenLM's state is shorter: no longer context exists, backoff 0
            prob = F32(prob + e[1])
        return prob

    def _score_words(self, words, bos, eos):
        total = F32(0.0)
        context = ("<s>",) if bos else ()
        for w in words:
            w = self._word(w)
            total = F32(total + self._full_score(context, w))
            context = (context + (w,))[-(self.order - 1):] if self.order > 1 else ()
        if eos:
            total = F32(total + self._full_score(context, "</s>"))
        return float(total)

    def score(self, sentence, bos=True, eos=True):
        if bos and eos:
            return self._score_words(_kenlm_tokens(sentence), True, True)
        return self._score_words(sentence.split(), bos, eos)

    # double-precision textbook reference (for the report, not used by DJ)
    def score_double(self, sentence):
        words = _kenlm_tokens(sentence)
        total = 0.0
        context = ("<s>",)
        for w in list(words) + ["</s>"]:
            w = self._word(w) if w != "</s>" else w
            n = min(len(context), self.order - 1)
            ctx = context[len(context) - n:] if n else ()
            k = n
            while k > 0 and (ctx[n - k:] + (w,)) not in self.ngrams:
                k -= 1
            p = float(self.ngrams[ctx[n - k:] + (w,)][0])
            for j in range(k + 1, n + 1):
                e = self.ngrams.get(ctx[n - j:])
                if e is None:
                    break
                p += float(e[1])
            total += p
            context = (context + (w,))[-(self.order - 1):]
        return total


class LanguageModel(Model):
    pass


class Config:
    pass
