"""Standard Hangul spellings of foreign names: the NIKL usage list first, the transliteration model after.

    >>> suggest_standard("Winston Churchill")   # [Suggestion('윈스턴 처칠', -0.1, 'nikl'), ...]
    >>> standard_spelling("Maisky")               # ('메이스키', 'model')

Each suggestion says where it comes from:

- ``nikl``: the National Institute of Korean Language's usage list (glossary/data/nikl/usage.tsv)
  has the name: exactly, folded (case, diacritics, hyphens), or every word of it;
- ``nikl+model``: some words of the name are in the list, the others are the model's;
- ``model``: the transliteration model's (the list does not have the name, or lookup is off).

A project glossary overrides all of these: the checks and discovery take a glossary's preferred
Korean form before they ask for a standard spelling.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from glossary.translit import (DEFAULT_MODEL_DIR, TransliterationInputError, TransliterationModel, _WordHyp,
                               default_model, is_regnal)
from glossary.translit.english import english_candidates
from glossary.translit.french import french_readings
from glossary.translit.german import german_readings
from glossary.translit.japanese import japanese_reading, looks_japanese
from glossary.translit.nikl import default_table
from glossary.translit.rerank import candidate_features, default_reranker, name_context, standard_lm
from glossary.translit.text import is_hangul_word, is_initial, split_name

__all__ = ["Suggestion", "suggest_standard", "standard_spelling", "StandardSearch", "default_search"]

SECOND_MODEL_DIR = DEFAULT_MODEL_DIR / "second"
# Added to a spelling's mean log-probability per jamo when the English pronunciation rules give it
# (the rules' first reading, their other readings): chosen on the NIKL dev words (training/translit/__init__.py).
RULE_BONUS = (0.4, 0.3)
# Added for the Japanese reading (glossary/translit/japanese.py) of a word that parses as Hepburn syllables,
# and for one that also looks Japanese (tsu, kyo, a doubled stop...): no Japanese names are in the NIKL list,
# so these were set to let Tojo/Kyoto/Matsuoka take their NIKL forms (도조, 교토, 마쓰오카) at a cost of
# 0.27 points of top-1 on the NIKL dev words (65.96% -> 65.69%; Maria, Roma parse as Japanese too).
JAPANESE_BONUS = (0.2, 1.0)
# With the re-ranker: added to the log-probability of the Japanese reading of a word that looks Japanese
# (Tojo 도조, Kyoto 교토, Matsuoka 마쓰오카); it changes 1 of the 25 NIKL dev words that look Japanese.
JAPANESE_RERANK_BONUS = 2.0
_BEAM = 6
# Words of names the usage list always spells one way, whatever the name's origin: the particle von 폰
# (12 of 12 in the list's training entries; the models, which never saw it, say 본), Spanish y 이 (4 of 4),
# St. 세인트 (St. Elmo 세인트엘모).
FIXED_WORDS = {"von": "폰", "y": "이", "St.": "세인트", "St": "세인트"}
RERANK_BEAM = 10     # each model's beam when the re-ranker ranks the pool (its weights were fitted on such pools)


class StandardSearch:
    """Candidates for the words of a name: the beams of two transliteration models trained alike (different
    seeds and batch sizes), the readings of the English rules (glossary/translit/english.py) and the Japanese
    reading (glossary/translit/japanese.py).  With a re-ranker (glossary/translit/rerank.py, the shipped one by
    default) they are ranked by its probabilities; without one, by the two models' mean score plus the
    rules' bonuses.  Plug it into ``TransliterationModel.suggest(search=...)``."""

    def __init__(self, models: list[TransliterationModel], rule_bonus: tuple[float, float] = RULE_BONUS,
                 reranker=None, beam: int = _BEAM):
        self.models = models
        self.rule_bonus = rule_bonus
        self.reranker = reranker
        self.beam = beam

    def pools(self, words: list[str], tokens: list[str]) -> list[dict[str, dict]]:
        """Per word, its candidates and what each system says of them (see rerank.candidate_features)."""
        beams = [m._beam_words(words, self.beam) for m in self.models]
        out = []
        for w_i, (word, token) in enumerate(zip(words, tokens)):
            info: dict[str, dict] = {}
            for m_i, beam in enumerate(beams):
                for r, h in enumerate(beam[w_i]):
                    info.setdefault(h.hangul, {})[f"rank{m_i}"] = r
            rules = english_candidates(token) if token.isascii() else []
            for r, h in enumerate(rules):
                info.setdefault(h, {}).setdefault("rule", r)
            for r, h in enumerate(german_readings(token)):
                info.setdefault(h, {}).setdefault("de", r)
            for r, h in enumerate(french_readings(token)):
                info.setdefault(h, {}).setdefault("fr", r)
            japanese = japanese_reading(token)
            if japanese:
                info.setdefault(japanese, {})["jp"] = 1
            cands = list(info)
            scored = [m.word_logprobs([word] * len(cands), cands) for m in self.models]
            for c_i, cand in enumerate(cands):
                for m_i in range(2):
                    info[cand][f"lp{m_i}"] = scored[min(m_i, len(scored) - 1)][c_i][0]
                info[cand]["len"] = scored[0][c_i][1]
            out.append(info)
        return out

    def __call__(self, words: list[str], tokens: list[str], n: int) -> list[list[_WordHyp]]:
        out = []
        # a name's words are searched together (model.suggest): each word sees the origin of the others
        contexts = name_context(words) if self.reranker is not None else [None] * len(words)
        for word, token, info, context in zip(words, tokens, self.pools(words, tokens), contexts):
            fixed = FIXED_WORDS.get(token)
            if fixed:
                out.append([_WordHyp(fixed, 0.0, 1)])
                continue
            if self.reranker is not None:
                cands, X = candidate_features(word, info, any("rule" in f for f in info.values()),
                                              looks_japanese(token), standard_lm(), context=context)
                # one unit of length per word: a name's spellings are ranked by the words' mean log-probability
                lps = self.reranker.logprobs(X)
                if looks_japanese(token):
                    # the list has no Japanese names to fit this on: a fixed bonus (see JAPANESE_RERANK_BONUS)
                    lps = lps + JAPANESE_RERANK_BONUS * np.array(["jp" in info[c] for c in cands])
                hyps = [_WordHyp(c, float(lp), 1) for c, lp in zip(cands, lps)]
            else:
                hyps = []
                for cand, f in info.items():
                    mean = (f["lp0"] + f["lp1"]) / 2 / f["len"]
                    if "rule" in f:
                        mean += self.rule_bonus[0] if f["rule"] == 0 else self.rule_bonus[1]
                    if "jp" in f:
                        mean += JAPANESE_BONUS[1] if looks_japanese(token) else JAPANESE_BONUS[0]
                    hyps.append(_WordHyp(cand, mean * f["len"], f["len"]))
            hyps.sort(key=lambda h: h.logp / h.length, reverse=True)
            out.append(hyps[:n])
        return out


@functools.lru_cache(maxsize=1)
def default_search() -> StandardSearch:
    """The shipped models and rules, loaded once per process."""
    models = [default_model()]
    if (SECOND_MODEL_DIR / "model.npz").is_file():
        models.append(TransliterationModel.load(SECOND_MODEL_DIR))
    reranker = default_reranker()
    return StandardSearch(models, reranker=reranker, beam=RERANK_BEAM if reranker else _BEAM)


@dataclass(frozen=True)
class Suggestion:
    korean: str
    score: float      # the re-ranker's mean log-probability per word (0 is certain); without re-ranker weights the
                      # models' mean log-probability per jamo plus the English rules' bonus
    source: str       # 'nikl', 'nikl+model' or 'model'

    def to_dict(self) -> dict:
        return {"korean": self.korean, "score": round(self.score, 4), "source": self.source}


def _model_score(model, name: str, korean: str) -> float:
    try:
        return model.score(name, korean)
    except TransliterationInputError:
        return 0.0


# The Korean names of the Latin letters, as the usage list reads a letter in a term (vitamin B 비타민 비,
# V day 브이데이, S tectonite 에스 텍토나이트) and in Malcolm X 맬컴 엑스.
LETTER_NAMES = {"A": "에이", "B": "비", "C": "시", "D": "디", "E": "이", "F": "에프", "G": "지", "H": "에이치",
                "I": "아이", "J": "제이", "K": "케이", "L": "엘", "M": "엠", "N": "엔", "O": "오", "P": "피",
                "Q": "큐", "R": "아르", "S": "에스", "T": "티", "U": "유", "V": "브이", "W": "더블유", "X": "엑스",
                "Y": "와이", "Z": "제트"}


def _initials_plan(name: str) -> list[str | None] | None:
    """How the usage list writes the initials of ``name``: a personal name drops them (Carl E. Wieman 칼 위먼,
    H. Norman 노먼, Alan J 앨런), a term reads them by their Korean names (vitamin B 비타민 비, V day
    브이데이), and so does Malcolm X.  Returns, per token of the name, None for a token the model spells,
    '' for an initial dropped, or the letter's name; None when the name has no initials or nothing else."""
    tokens = split_name(name)
    term = any(t[:1].islower() for t in tokens)
    # a regnal number after a word is not an initial (Charles V 찰스 5세), except in a term (C three I)
    initial = [is_initial(t) and (term or not (i > 0 and is_regnal(t) and not is_initial(tokens[i - 1])))
               for i, t in enumerate(tokens)]
    if not any(initial) or all(initial):
        return None
    return [None if not ini else LETTER_NAMES[t.rstrip(".")] if term or (t == "X" and i == len(tokens) - 1)
            else "" for i, (t, ini) in enumerate(zip(tokens, initial))]


def _with_letters(korean: str, plan: list[str | None]) -> str:
    """Put the letter names of ``plan`` back among the words of ``korean`` (the model's spelling of the
    other tokens: one word each when they pair up, else the letters go first or last)."""
    words = korean.split(" ")
    if len(words) != plan.count(None):
        return " ".join([p for p in plan[:1] if p] + words + [p for p in plan[1:] if p])
    it = iter(words)
    return " ".join(next(it) if p is None else p for p in plan if p != "")


def suggest_standard(name: str, k: int = 5, *, lookup: bool = True, model=None, table=None) -> list[Suggestion]:
    """The k best spellings of ``name``, best first: the list's (all of its spellings of the name, the most
    frequent first), then the model's.  ``lookup=False`` asks the model alone.  Initials follow the list's
    conventions (:func:`_initials_plan`): 'Carl E. Wieman' is 칼 위먼, 'vitamin B' 비타민 비."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not (lookup and (table or default_table()).lookup(name) is not None):
        plan = _initials_plan(name) if isinstance(name, str) else None
        if plan is not None:
            tokens = split_name(name)
            kept = [t for t, p in zip(tokens, plan) if p is None]
            inner = suggest_standard(" ".join(kept), k, lookup=lookup, model=model, table=table)
            return [Suggestion(_with_letters(s.korean, plan), s.score, s.source) for s in inner]
    if model is None or model is default_model():
        model, search = default_model(), default_search()
    else:
        search = StandardSearch([model])
    if not lookup:
        return [Suggestion(ko, s, "model") for ko, s in model.suggest(name, k, search=search)]
    table = table or default_table()
    hit = table.lookup(name)
    if hit is not None:
        out = [Suggestion(ko, _model_score(model, name, ko), "nikl") for ko in hit.spellings[:k]]
        seen = {s.korean for s in out}
        out += [Suggestion(ko, s, "model") for ko, s in model.suggest(name, k, search=search) if ko not in seen]
        return out[:k]
    looked_up: list[bool] = []     # one per word the model would transliterate

    def known(token: str) -> tuple[str, ...]:
        # A word of a longer name takes the list's most frequent spelling only (George -> 조지).
        # (a one-word spelling only: the list spells some words with a generic noun, Montenegro 몬테네그로 공화국)
        spellings = tuple(s for s in table.lookup_word(token) if is_hangul_word(s))[:1]
        looked_up.append(bool(spellings))
        return spellings

    cands = model.suggest(name, k, known=known, search=search)
    source = "nikl" if looked_up and all(looked_up) else "nikl+model" if any(looked_up) else "model"
    return [Suggestion(ko, s, source) for ko, s in cands]


def standard_spelling(english: str, *, lookup: bool = True) -> tuple[str, str]:
    """The one spelling an editor should converge on for ``english``, and its source ('nikl',
    'nikl+model' or 'model').  Raises :class:`TransliterationInputError` for names it cannot spell
    (letters outside the Latin script, nothing to transliterate)."""
    best = suggest_standard(english, 1, lookup=lookup)[0]
    return best.korean, best.source
