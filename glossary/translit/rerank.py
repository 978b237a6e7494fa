"""Re-ranking the candidate spellings of one word towards the NIKL standard (issue 13).

The candidates of a word are the union of the two neural models' beams, the English pronunciation
rules' readings (glossary/translit/english.py), the German and French tables' readings (german.py, french.py)
and the Japanese reading (glossary/translit/japanese.py).
Each gets a few features (:data:`FEATURES`): both models' mean log-probability per jamo, the beam ranks,
how many systems propose it, the rules' first or other reading, the Japanese reading, and the
log-probability per jamo of the spelling under a jamo n-gram model of standard spellings (:class:`JamoLM`,
built at load time from the NIKL usage list's training words: standard spellings have regularities the
English side does not show), a learned origin guess of the word (:class:`SpellingOrigin`: is it spelled
by the German, English or French rules?) and of the name's other words (:func:`name_context`: 'Pierre
Auguste' is French throughout).  A conditional logit model (one weight per feature, fitted on the NIKL dev
words by training/translit/rerank_fit.py) scores them; the probabilities are a softmax over the pool.

numpy only; the weights are glossary/data/translit/rerank.json.
"""
from __future__ import annotations

import functools
import json
import math
import unicodedata
from collections import defaultdict
from pathlib import Path

from functools import lru_cache

import numpy as np

__all__ = ["FEATURES", "ORIGINS", "JamoLM", "Reranker", "candidate_features", "name_context", "standard_lm",
           "default_reranker",
           "RERANK_WEIGHTS"]

RERANK_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "translit" / "rerank.json"
NO_RANK = 99

FEATURES = ["lp0", "lp1", "lp_sum", "top0", "top1", "in_beam0", "in_beam1", "systems", "rule_first",
            "rule_other", "not_rule_but_cmu", "japanese", "japanese_looks", "lm", "lm_len", "len_ratio", "german_first",
            "german_other", "german_odds", "english_odds", "french_first", "french_other", "french_odds",
            "context_german", "context_english", "context_french", "kiwi_word"]
ORIGINS = ("german", "english", "french")


class JamoLM:
    """A jamo n-gram model of Hangul words (interpolated absolute discounting, word boundaries marked)."""

    def __init__(self, words, order: int = 6, discount: float = 0.75):
        self.order, self.discount = order, discount
        counts = [defaultdict(lambda: defaultdict(int)) for _ in range(order)]
        vocab = set()
        for w in words:
            s = ["<"] * (order - 1) + list(unicodedata.normalize("NFD", w)) + [">"]
            vocab.update(s)
            for i in range(order - 1, len(s)):
                for n in range(order):
                    counts[n][tuple(s[i - n:i])][s[i]] += 1
        self.vocab_size = max(len(vocab), 1)
        self.counts = [{c: dict(v) for c, v in cn.items()} for cn in counts]
        self.totals = [{c: sum(v.values()) for c, v in cn.items()} for cn in self.counts]

    def _prob(self, ctx: list[str], x: str) -> float:
        p = 1.0 / self.vocab_size
        for n in range(self.order):
            c = tuple(ctx[len(ctx) - n:]) if n else ()
            tab = self.counts[n].get(c)
            if not tab:
                break
            t = self.totals[n][c]
            p = max(tab.get(x, 0) - self.discount, 0) / t + self.discount * len(tab) / t * p
        return p

    def logprob(self, word: str) -> tuple[float, int]:
        """(log-probability, number of symbols: jamo plus the end of the word) of a Hangul word."""
        s = ["<"] * (self.order - 1) + list(unicodedata.normalize("NFD", word)) + [">"]
        lp = sum(math.log(self._prob(s[i - self.order + 1:i], s[i])) for i in range(self.order - 1, len(s)))
        return lp, len(s) - self.order + 1


@functools.lru_cache(maxsize=1)
def standard_lm() -> JamoLM:
    """The n-gram model of the NIKL list's training words (the words the neural models were trained on:
    no word of a dev or test entry; training/translit/nikl_pairs.py)."""
    from glossary.translit.nikl import training_word_pairs
    return JamoLM(ko for _, ko in training_word_pairs())


class SpellingOrigin:
    """A cheap, learned origin guess: naive Bayes over the letter n-grams (1 to 4, word boundaries marked) of
    the NIKL training words, for two labels: 'the German table's first reading is the list's spelling' and
    'the English rules' first reading is'.  :meth:`log_odds` is each label's log-odds for a word."""

    def __init__(self, labelled: dict[str, list[tuple[str, bool]]], orders=(1, 2, 3, 4)):
        self.orders = orders
        self.tables = {}
        for label, rows in labelled.items():
            counts = [defaultdict(float), defaultdict(float)]
            prior = [1.0, 1.0]
            for word, yes in rows:
                prior[yes] += 1
                for g in self._grams(word):
                    counts[yes][g] += 1
            totals = [sum(c.values()) for c in counts]
            self.tables[label] = (counts, totals, math.log(prior[1] / prior[0]))

    def _grams(self, word: str) -> list[str]:
        w = f"^{word}$"
        return [w[i:i + n] for n in self.orders for i in range(len(w) - n + 1)]

    def log_odds(self, word: str, label: str) -> float:
        counts, totals, prior = self.tables[label]
        grams = self._grams(word)
        lo = sum(math.log((counts[1].get(g, 0) + 0.5) / (totals[1] + 1)) -
                 math.log((counts[0].get(g, 0) + 0.5) / (totals[0] + 1)) for g in grams)
        return prior + lo / max(len(grams), 1) * 4       # averaged, so long words are not overconfident


@functools.lru_cache(maxsize=1)
def spelling_origin() -> SpellingOrigin:
    """Learned from the NIKL training words (the same words as :func:`standard_lm`)."""
    from glossary.translit.english import english_candidates
    from glossary.translit.french import french_readings
    from glossary.translit.german import german_readings
    from glossary.translit.nikl import training_word_pairs
    refs: dict[str, set[str]] = defaultdict(set)
    for en, ko in training_word_pairs():
        refs[en].add(ko)
    german, english, french = [], [], []
    for en, kos in refs.items():
        de = german_readings(en)
        german.append((en, bool(de) and de[0] in kos))
        fr = french_readings(en, limit=1)       # the first reading only: the label is about it (and it is quick)
        french.append((en, bool(fr) and fr[0] in kos))
        rules = english_candidates(en)
        if rules:
            english.append((en, rules[0] in kos))
    return SpellingOrigin({"german": german, "english": english, "french": french})


def name_context(words: list[str], origin: SpellingOrigin | None = None) -> list[dict[str, float]]:
    """For each word of a name, the mean origin log-odds (:data:`ORIGINS`) of the name's other words (0 for a
    word alone): 'Ferdinand Paul Wilhelm' is German throughout, 'Pierre Auguste' French."""
    origin = origin or spelling_origin()
    odds = [{o: origin.log_odds(w, o) for o in ORIGINS} for w in words]
    out = []
    for i in range(len(words)):
        others = odds[:i] + odds[i + 1:]
        out.append({o: sum(d[o] for d in others) / len(others) if others else 0.0 for o in ORIGINS})
    return out


def candidate_features(word: str, info: dict[str, dict], has_rules: bool, looks_japanese: bool,
                       lm: JamoLM, origin: SpellingOrigin | None = None,
                       context: dict[str, float] | None = None) -> tuple[list[str], np.ndarray]:
    """The candidates of one word and their feature rows (:data:`FEATURES`).  ``info[cand]`` holds
    'lp0'/'lp1' (summed log-probabilities under the two models), 'len' (jamo + end), optionally
    'rank0'/'rank1' (beam ranks), 'rule' (rank among the rules' readings), 'de' (rank among the German
    table's readings), 'fr' (rank among the French table's) and 'jp' (the Japanese reading); ``context`` is
    :func:`name_context`'s entry for the word (None: a word alone)."""
    cands = list(info)
    rows = []
    origin = origin or spelling_origin()
    de_odds, en_odds = origin.log_odds(word, "german"), origin.log_odds(word, "english")
    fr_odds = origin.log_odds(word, "french")
    context = context or dict.fromkeys(ORIGINS, 0.0)
    for c in cands:
        f = info[c]
        n = f["len"]
        a, b = f["lp0"] / n, f["lp1"] / n
        lm_lp, lm_n = lm.logprob(c)
        r0, r1, rule = f.get("rank0", NO_RANK), f.get("rank1", NO_RANK), f.get("rule", -1)
        japanese = "jp" in f
        rows.append([a, b, (a + b) / 2 * n / 10, r0 == 0, r1 == 0, r0 < NO_RANK, r1 < NO_RANK,
                     (r0 < NO_RANK) + (r1 < NO_RANK) + (rule >= 0), rule == 0, rule > 0,
                     (rule < 0) and has_rules, japanese, japanese and looks_japanese,
                     lm_lp / lm_n, lm_lp / 10, n / max(len(word), 1),
                     f.get("de", -1) == 0, f.get("de", -1) > 0, (f.get("de", -1) == 0) * de_odds,
                     (rule == 0) * en_odds, f.get("fr", -1) == 0, f.get("fr", -1) > 0,
                     (f.get("fr", -1) == 0) * fr_odds, (f.get("de", -1) == 0) * context["german"],
                     (rule == 0) * context["english"], (f.get("fr", -1) == 0) * context["french"],
                     known_word(c)])
    return cands, np.array(rows, dtype=np.float64).reshape(len(cands), len(FEATURES))


@lru_cache(maxsize=200_000)
def known_word(hangul: str) -> bool:
    """``hangul`` is one noun of Kiwi's dictionary: a spelling real Korean text uses.  On the NIKL dev words of
    names the list's spelling is one for 44% of words, any other candidate for 4%."""
    from corpus.kiwi import get_kiwi, unknown_noun_ids
    tokens = get_kiwi().tokenize(hangul)
    return len(tokens) == 1 and tokens[0].tag in ("NNG", "NNP") and tokens[0].id not in unknown_noun_ids() \
        and tokens[0].form == hangul


class Reranker:
    """Standardised features times weights; :meth:`logprobs` is the log-softmax over a word's pool."""

    def __init__(self, weights, mean, scale, features=FEATURES):
        if list(features) != FEATURES:
            raise ValueError(f"re-ranker weights are for features {features}, this code computes {FEATURES}")
        self.weights = np.asarray(weights, dtype=np.float64)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Reranker":
        data = json.loads(Path(path or RERANK_WEIGHTS).read_text(encoding="utf-8"))
        return cls(data["weights"], data["mean"], data["scale"], data["features"])

    def to_dict(self) -> dict:
        return {"features": FEATURES, "weights": [round(float(w), 6) for w in self.weights],
                "mean": [round(float(m), 6) for m in self.mean], "scale": [round(float(s), 6) for s in self.scale]}

    def logprobs(self, X: np.ndarray) -> np.ndarray:
        s = ((X - self.mean) / self.scale) @ self.weights
        s = s - s.max()
        return s - np.log(np.exp(s).sum())

    @staticmethod
    def fit(pools: list[tuple[np.ndarray, np.ndarray]], l2: float = 1e-3, iters: int = 400,
            lr: float = 0.05) -> "Reranker":
        """Fit on (features, is-a-reference) pools by the conditional logit likelihood (Adam, L2);
        pools without a reference are skipped."""
        pools = [(X, y) for X, y in pools if y.any()]
        allx = np.concatenate([X for X, _ in pools])
        mean, scale = allx.mean(0), allx.std(0) + 1e-6
        xs = [((X - mean) / scale, y / y.sum()) for X, y in pools]
        w = np.zeros(allx.shape[1])
        m = np.zeros_like(w)
        v = np.zeros_like(w)
        for it in range(1, iters + 1):
            g = l2 * w * len(xs)
            for x, q in xs:
                s = x @ w
                p = np.exp(s - s.max())
                g += x.T @ (p / p.sum() - q)
            g /= len(xs)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w -= lr * (m / (1 - 0.9 ** it)) / (np.sqrt(v / (1 - 0.999 ** it)) + 1e-8)
        return Reranker(w, mean, scale)


@functools.lru_cache(maxsize=1)
def default_reranker() -> Reranker | None:
    """The shipped weights, or None when the file is missing (the search then ranks as before)."""
    return Reranker.load() if RERANK_WEIGHTS.is_file() else None
