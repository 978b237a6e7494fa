"""English name -> Hangul transliteration with a small shipped model (numpy only, no torch).

    >>> model = TransliterationModel.load()
    >>> model.suggest("Maisky")          # [('마이스키', -0.05), ...] best first
    >>> model.score("Maisky", "메이스키")  # plausibility: higher is more expected

Scores are length-normalised log-probabilities: the mean log-probability per
output symbol (one per jamo, plus the end of the word) under the model, so 0
is certain and a typical good spelling scores above -0.3.

Names are handled word by word and joined with spaces.  Diacritics the model
knows are kept ('ü'), others are folded ('ł' -> 'l'); hyphens and apostrophes
stay inside the word (Korean writes 'Boutros-Ghali' as one word).  Initials
('H. G. Wells') are kept as written ('H. G. 웰스'), as Korean text usually does;
regnal numbers become 'N세' ('Louis XIV' -> '루이 14세'), 'Jr.'/'Sr.' become
'주니어'/'시니어'.  Names with letters outside the Latin script raise
:class:`TransliterationInputError`.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from corpus.kept import KeptMap
from corpus.text import is_hangul
from glossary.translit.numpy_bart import NEG_BIAS, NumpyBart
from glossary.translit.text import (FINALS, INITIALS, VOWELS, TransliterationInputError, hangul_to_jamo,
                                    is_hangul_word, is_initial, jamo_to_hangul, normalise_word,
                                    roman_numeral_value, split_name)

__all__ = ["TransliterationModel", "TransliterationInputError", "DEFAULT_MODEL_DIR", "default_model",
           "PLAUSIBLE_MIN", "is_plausible_rendering", "any_plausible", "is_regnal"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "translit"
_SUFFIXES = {"jr": "주니어", "sr": "시니어"}
_START, _AFTER_L, _AFTER_V, _AFTER_T = range(4)


@dataclass(frozen=True)
class _Part:
    """One token of a name: a word to transliterate, or text written as is."""
    word: str | None      # normalised English word for the model
    fixed: str | None     # text kept as is ('H.', '14세', '주니어')
    token: str = ""       # the token as written in the name ('Gündoğan')


@dataclass(frozen=True)
class _WordHyp:
    hangul: str
    logp: float
    length: int           # output symbols, end of word included


def is_regnal(token: str) -> bool:
    """'XIV', 'II', 'I' after a word are regnal numbers ('Louis XIV', 'Elizabeth I'); a lone 'X' is an initial
    (Malcolm X), and so are 'L', 'C', 'D', 'M' (James M: no one is the 1000th)."""
    value = roman_numeral_value(token)
    return token != "X" and value is not None and value <= 40


def _parse_name(name: str, letters: frozenset[str]) -> list[_Part]:
    if not isinstance(name, str) or not name.strip():
        raise TransliterationInputError("cannot transliterate an empty name")
    tokens = split_name(name)
    parts: list[_Part] = []
    for i, tok in enumerate(tokens):
        bare = tok.rstrip(".")
        if i > 0 and bare.lower() in _SUFFIXES and (tok.endswith(".") or bare in ("Jr", "Sr")):
            parts.append(_Part(None, _SUFFIXES[bare.lower()]))
            continue
        if i > 0 and is_regnal(tok) and parts and parts[-1].word:
            parts.append(_Part(None, f"{roman_numeral_value(tok)}세"))
            continue
        if is_initial(tok):
            parts.append(_Part(None, tok))
            continue
        if any(is_hangul(ch) for ch in tok):
            raise TransliterationInputError(f"cannot transliterate {name!r}: it is already written in Hangul")
        try:
            word = normalise_word(tok, letters)
        except TransliterationInputError as e:
            raise TransliterationInputError(f"cannot transliterate {name!r}: {e.problem}") from None
        if word:
            parts.append(_Part(word, None, tok))
        elif tok.strip(".'-"):
            parts.append(_Part(None, tok))   # digits and the like: kept as written
    if not parts:
        raise TransliterationInputError(f"cannot transliterate {name!r}: no letters to transliterate")
    return parts


ENCODED_WORDS_KEPT = 4096   # encoder states kept per model (about 10 KB a word)
SCORED_PAIRS_KEPT = 65_536  # (word, Hangul word) log-probabilities kept per model (about 200 bytes a pair)
SCORE_BATCH = 32            # pairs decoded together, sorted by length: 0.46 ms a pair (1.2 alone, 1.3 in 256s)


class TransliterationModel:
    """The shipped English->Hangul model; use :meth:`load`."""

    def __init__(self, net: NumpyBart, meta: dict):
        self.net = net
        self.tokens: list[str] = meta["tokens"]
        self.index = {t: i for i, t in enumerate(self.tokens)}
        self.letters = frozenset(meta["letters"])
        self.pad, self.bos, self.eos, self.unk = meta["pad"], meta["bos"], meta["eos"], meta["unk"]
        self.max_len = net.max_positions - 1
        # Which symbols may follow each jamo state: a syllable is initial, vowel, optional final.
        kind = np.full(len(self.tokens), -1)
        for t in INITIALS:
            kind[self.index[t]] = 0
        for t in VOWELS:
            kind[self.index[t]] = 1
        for t in FINALS:
            kind[self.index[t]] = 2
        self._kind = kind
        allowed = np.full((4, len(self.tokens)), -np.inf, dtype=np.float32)
        allowed[_START, kind == 0] = 0
        allowed[_AFTER_L, kind == 1] = 0
        allowed[_AFTER_V, (kind == 0) | (kind == 2)] = 0
        allowed[_AFTER_V, self.eos] = 0
        allowed[_AFTER_T, kind == 0] = 0
        allowed[_AFTER_T, self.eos] = 0
        self._allowed = allowed
        self._next_state = {0: _AFTER_L, 1: _AFTER_V, 2: _AFTER_T}
        # encoder states per English word: discovery scores one word against many spellings, often in
        # separate calls (the names of 1,552 words took 4,830 encodings on a 2,000-sentence document)
        self._encoded: KeptMap[str, np.ndarray] = KeptMap(ENCODED_WORDS_KEPT)
        # scored pairs: discovery asks about one pair from several places (names, vetoes, spellings), and
        # can warm this in batches (prefetch_scores) before a loop that asks one pair at a time; a call
        # costs about as much fixed numpy work as scoring one pair
        self._scored: KeptMap[tuple[str, str], tuple[float, int]] = KeptMap(SCORED_PAIRS_KEPT)

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> "TransliterationModel":
        model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        vocab_path, weights_path = model_dir / "vocab.json", model_dir / "model.npz"
        for p in (vocab_path, weights_path):
            if not p.is_file():
                raise TransliterationInputError(f"{p}: transliteration model file missing")
        meta = json.loads(vocab_path.read_text(encoding="utf-8"))
        with np.load(weights_path) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return cls(NumpyBart(arrays, meta["config"]), meta)

    # -- encoding ---------------------------------------------------------
    def _encode_words(self, words: list[str]):
        """Encoder states [B, S, D] of the words and the additive key bias [B, 1, 1, S] of their padding.

        Each word's states are its own (attention never reaches the padding), so they are computed once
        and kept for ENCODED_WORDS_KEPT words."""
        # Normalising is idempotent, so raw ('Gündoğan') and normalised words both work.
        words = [normalise_word(w, self.letters) for w in words]
        known = self._encoded.get_many(set(words))
        todo = list(dict.fromkeys(w for w in words if w not in known))
        if todo:
            seqs = [[self.index.get(ch, self.unk) for ch in w][: self.net.max_positions - 1] + [self.eos]
                    for w in todo]
            ids = np.full((len(seqs), max(len(q) for q in seqs)), self.pad, dtype=np.int64)
            for i, q in enumerate(seqs):
                ids[i, :len(q)] = q
            hidden, _ = self.net.encode(ids, (ids != self.pad).astype(np.int64))
            fresh = {w: hidden[i, :len(q)].copy() for i, (w, q) in enumerate(zip(todo, seqs))}
            known.update(fresh)
            self._encoded.put_many(fresh.items())
        rows = [known[w] for w in words]
        width = max(len(r) for r in rows)
        enc = np.zeros((len(rows), width, rows[0].shape[1]), dtype=np.float32)
        bias = np.full((len(rows), 1, 1, width), NEG_BIAS, dtype=np.float32)
        for i, r in enumerate(rows):
            enc[i, :len(r)] = r
            bias[i, ..., :len(r)] = 0.0
        return enc, bias

    # -- scoring ------------------------------------------------------------
    def forced_logprobs(self, words: list[str], hanguls: list[str]) -> tuple[np.ndarray, list[list[int]]]:
        """Teacher-forced decoding: the log-probability table of each Hangul word given its English word,
        and the target symbol ids (jamo then end of word) it was decoded against."""
        enc, bias = self._encode_words(words)
        targets = [[self.index[j] for j in hangul_to_jamo(h)][: self.max_len - 1] + [self.eos] for h in hanguls]
        width = max(len(t) for t in targets)
        dec = np.full((len(targets), width), self.pad, dtype=np.int64)
        dec[:, 0] = self.bos
        for i, t in enumerate(targets):
            dec[i, 1:len(t)] = t[:-1]
        return self.net.decode(dec, enc, bias), targets

    def word_logprobs(self, words: list[str], hanguls: list[str]) -> list[tuple[float, int]]:
        """(sum of log-probabilities, number of symbols) of each Hangul word given its English word
        (kept for SCORED_PAIRS_KEPT pairs; the rest decoded in batches of SCORE_BATCH)."""
        keys = list(zip(words, hanguls))
        known = self._scored.get_many(set(keys))
        # batched by length: a batch is as wide as its longest word on either side
        todo = sorted(dict.fromkeys(k for k in keys if k not in known), key=lambda k: (len(k[1]), len(k[0])))
        for at in range(0, len(todo), SCORE_BATCH):
            batch = todo[at:at + SCORE_BATCH]
            logp, targets = self.forced_logprobs([w for w, _ in batch], [h for _, h in batch])
            fresh = {k: (float(logp[i, np.arange(len(t)), t].sum()), len(t))
                     for i, (k, t) in enumerate(zip(batch, targets))}
            known.update(fresh)
            self._scored.put_many(fresh.items())
        return [known[k] for k in keys]

    def _paired_words(self, english: str, hangul: str) -> tuple[list[str], list[str]]:
        """The English and Hangul words :meth:`score` compares, paired in order."""
        parts = _parse_name(english, self.letters)
        words = [p.word for p in parts if p.word]
        if not isinstance(hangul, str) or not hangul.strip():
            raise TransliterationInputError(f"no Hangul to score for {english!r}")
        ko_tokens = [t.replace("-", "") for t in hangul.split()]
        fixed = {p.fixed for p in parts if p.fixed}
        ko_words = [t for t in ko_tokens if t not in fixed]
        for t in ko_words:
            if not is_hangul_word(t):
                raise TransliterationInputError(f"cannot score {hangul!r}: {t!r} is not a word of Hangul syllables")
        if not words or not ko_words:
            raise TransliterationInputError(f"cannot score {hangul!r} for {english!r}: nothing to compare")
        if len(words) != len(ko_words):
            words, ko_words = ["".join(words)], ["".join(ko_words)]
        return words, ko_words

    def prefetch_scores(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Score many (English, Hangul) pairs in batches, so that :meth:`score` then finds them done
        (pairs that cannot be scored are left for :meth:`score` to refuse)."""
        words, hanguls = [], []
        for english, hangul in pairs:
            try:
                w, h = self._paired_words(english, hangul)
            except TransliterationInputError:
                continue
            words.extend(w)
            hanguls.extend(h)
        if words:
            self.word_logprobs(words, hanguls)

    def score(self, english: str, hangul: str) -> float:
        """Plausibility of ``hangul`` as the transliteration of ``english``: mean log-probability per symbol.

        Words are paired in order when both sides have the same number of words
        to transliterate (initials, regnal numbers and non-Hangul Korean tokens
        are set aside); otherwise both sides are scored as one joined word.
        """
        words, ko_words = self._paired_words(english, hangul)
        scored = self.word_logprobs(words, ko_words)
        return sum(s for s, _ in scored) / sum(n for _, n in scored)

    # -- beam search --------------------------------------------------------
    def _beam_words(self, words: list[str], k: int) -> list[list[_WordHyp]]:
        """The k best Hangul spellings of each word (best first), searched together."""
        n_words = len(words)
        enc, enc_bias = self._encode_words(words)
        cross_all = self.net.cross_keys_values(enc)
        # Alive hypotheses, flattened over words.
        word_of = np.arange(n_words)
        seqs: list[list[int]] = [[] for _ in range(n_words)]
        logp = np.zeros(n_words, dtype=np.float64)
        state = np.full(n_words, _START)
        tokens = np.full(n_words, self.bos, dtype=np.int64)
        cache = [(None, None)] * len(self.net.decoder)
        finished: list[list[_WordHyp]] = [[] for _ in range(n_words)]
        done = np.zeros(n_words, dtype=bool)
        max_len = min(self.max_len, 3 * max(len(w) for w in words) + 10)
        for pos in range(max_len):
            cross = [(ck[word_of], cv[word_of]) for ck, cv in cross_all]
            step_logp, cache = self.net.step(tokens, pos, cache, cross, enc_bias[word_of])
            total = logp[:, None] + step_logp + self._allowed[state]
            keep_rows: list[int] = []
            keep_tokens: list[int] = []
            for w in range(n_words):
                if done[w]:
                    continue
                rows = np.flatnonzero(word_of == w)
                flat = total[rows].ravel()
                n_best = min(2 * k, np.isfinite(flat).sum())
                best = np.argpartition(-flat, n_best - 1)[:n_best] if n_best < flat.size else np.arange(flat.size)
                best = best[np.argsort(-flat[best], kind="stable")]
                alive = 0
                for b in best:
                    r, tok = rows[b // total.shape[1]], int(b % total.shape[1])
                    if tok == self.eos:
                        jamo = "".join(self.tokens[t] for t in seqs[r])
                        finished[w].append(_WordHyp(jamo_to_hangul(jamo), float(flat[b]), len(seqs[r]) + 1))
                    elif alive < k:
                        keep_rows.append(r)
                        keep_tokens.append(tok)
                        alive += 1
                    if alive >= k and len(finished[w]) >= k:
                        break
                fin = sorted((h.logp / h.length for h in finished[w]), reverse=True)
                best_alive = max((total[r, t] / (len(seqs[r]) + 2) for r, t in zip(keep_rows, keep_tokens)
                                  if word_of[r] == w), default=-np.inf)
                if alive == 0 or (len(fin) >= k and best_alive < fin[k - 1]):
                    done[w] = True
            keep = [i for i, r in enumerate(keep_rows) if not done[word_of[r]]]
            if not keep:
                break
            rows = np.array([keep_rows[i] for i in keep])
            toks = np.array([keep_tokens[i] for i in keep])
            logp = total[rows, toks].astype(np.float64)
            seqs = [seqs[r] + [t] for r, t in zip(rows, toks)]
            state = np.array([self._next_state[self._kind[t]] for t in toks])
            word_of = word_of[rows]
            tokens = toks
            cache = [(ck[rows], cv[rows]) for ck, cv in cache]
        for r, w in enumerate(word_of):
            # A word whose search ran out of length without ending (a repeating
            # loop): its alive hypotheses that end on a whole syllable count.
            if not done[w] and len(finished[w]) < k and state[r] in (_AFTER_V, _AFTER_T):
                jamo = "".join(self.tokens[t] for t in seqs[r])
                finished[w].append(_WordHyp(jamo_to_hangul(jamo), float(logp[r]), len(seqs[r]) + 1))
        out = []
        for w in range(n_words):
            hyps = sorted(finished[w], key=lambda h: h.logp / h.length, reverse=True)
            seen, uniq = set(), []
            for h in hyps:
                if h.hangul not in seen:
                    seen.add(h.hangul)
                    uniq.append(h)
            out.append(uniq[:k])
        return out

    def suggest(self, name: str, k: int = 5, *, known=None, search=None) -> list[tuple[str, float]]:
        """The k most likely Hangul spellings of ``name`` with their scores, best first.

        ``known(token)`` may give the spellings of a word of the name that are decided already (the
        NIKL list's, see :mod:`glossary.translit.standard`): the search then keeps those, scored by
        the model, instead of searching that word.  ``search(words, tokens, n)`` may replace the beam
        search of the other words (n candidates each, as ``_WordHyp`` lists best first).
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        parts = _parse_name(name, self.letters)
        fixed_words = {i: tuple(known(p.token)) if known else () for i, p in enumerate(p for p in parts if p.word)}
        words = [p.word for p in parts if p.word]
        searched = [w for i, w in enumerate(words) if not fixed_words[i]]
        tokens = [p.token for i, p in enumerate(p for p in parts if p.word) if not fixed_words[i]]
        # The search always keeps at least 5 hypotheses, so the best answer does not depend on k.
        if not searched:
            beams = iter([])
        elif search is not None:
            beams = iter(search(searched, tokens, max(k, 5)))
        else:
            beams = iter(self._beam_words(searched, max(k, 5)))
        per_word = []
        for i, w in enumerate(words):
            if fixed_words[i]:
                scored = self.word_logprobs([w] * len(fixed_words[i]), list(fixed_words[i]))
                per_word.append([_WordHyp(h, lp, n) for h, (lp, n) in zip(fixed_words[i], scored)][:k])
            else:
                per_word.append(next(beams)[:k])
        # Combine word candidates: keep the k best joint spellings by overall normalised score.
        combos: list[tuple[list[str], float, int]] = [([], 0.0, 0)]
        it = iter(per_word)
        for part in parts:
            if part.fixed is not None:
                combos = [(texts + [part.fixed], lp, n) for texts, lp, n in combos]
                continue
            cands = next(it)
            combos = [(texts + [h.hangul], lp + h.logp, n + h.length) for texts, lp, n in combos for h in cands]
            combos.sort(key=lambda c: c[1] / max(c[2], 1), reverse=True)
            combos = combos[:k]
        return [(" ".join(texts), (lp / n) if n else 0.0) for texts, lp, n in combos]

    def check_name(self, name: str) -> None:
        """Raise :class:`TransliterationInputError` when ``name`` cannot be transliterated."""
        _parse_name(name, self.letters)

    def suggest_many(self, names: list[str], k: int = 5) -> list[tuple[str, list[tuple[str, float]]]]:
        """:meth:`suggest` for each name; every name is checked before any is transliterated."""
        for name in names:
            _parse_name(name, self.letters)
        return [(name, self.suggest(name, k)) for name in names]


@functools.lru_cache(maxsize=1)
def default_model() -> TransliterationModel:
    """The shipped model, loaded once per process (for checks that score many names)."""
    return TransliterationModel.load()


# Mean log-probability per jamo below which a Hangul spelling is not a rendering of an English name at all
# (another name, or a translation): 99% of the Hangul spellings of held-out Wikidata names score above it
# (bench/translit_bench.py prints the percentiles; the model trained towards the NIKL standard finds
# Wikidata's other conventions less likely, so the 1st percentile moved from -2.0 to -2.67; 99.1% of the
# NIKL dev spellings score above -1.86); '큐라소' for Klaus scores -3.9, '리벤트로프' for Litvinov -2.9,
# '코찬스키' for Kuczynski -2.0, '메이스키' for Maisky -0.1.
PLAUSIBLE_MIN = -2.6


@functools.lru_cache(maxsize=4096)
def is_plausible_rendering(english: str, hangul: str) -> bool | None:
    """Whether ``hangul`` could spell ``english`` by the shipped model; None when it cannot be scored."""
    try:
        return default_model().score(english, hangul) >= PLAUSIBLE_MIN
    except TransliterationInputError:
        return None


def any_plausible(pairs) -> bool:
    """The checks' veto over (English, Hangul) pairs: False only when some pair is judged implausible and
    none plausible (pairs that cannot be scored leave the decision to the caller's other evidence)."""
    verdicts = [is_plausible_rendering(english, hangul) for english, hangul in pairs]
    return any(verdicts) or False not in verdicts
