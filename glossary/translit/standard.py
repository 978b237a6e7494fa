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

from dataclasses import dataclass

from glossary.translit import TransliterationInputError, default_model
from glossary.translit.nikl import default_table

__all__ = ["Suggestion", "suggest_standard", "standard_spelling"]


@dataclass(frozen=True)
class Suggestion:
    korean: str
    score: float      # the model's plausibility (mean log-probability per jamo; 0 is certain)
    source: str       # 'nikl', 'nikl+model' or 'model'

    def to_dict(self) -> dict:
        return {"korean": self.korean, "score": round(self.score, 4), "source": self.source}


def _model_score(model, name: str, korean: str) -> float:
    try:
        return model.score(name, korean)
    except TransliterationInputError:
        return 0.0


def suggest_standard(name: str, k: int = 5, *, lookup: bool = True, model=None, table=None) -> list[Suggestion]:
    """The k best spellings of ``name``, best first: the list's (all of its spellings of the name, the most
    frequent first), then the model's.  ``lookup=False`` asks the model alone."""
    if k < 1:
        raise ValueError("k must be at least 1")
    model = model or default_model()
    if not lookup:
        return [Suggestion(ko, s, "model") for ko, s in model.suggest(name, k)]
    table = table or default_table()
    hit = table.lookup(name)
    if hit is not None:
        out = [Suggestion(ko, _model_score(model, name, ko), "nikl") for ko in hit.spellings[:k]]
        seen = {s.korean for s in out}
        out += [Suggestion(ko, s, "model") for ko, s in model.suggest(name, k) if ko not in seen]
        return out[:k]
    looked_up: list[bool] = []     # one per word the model would transliterate

    def known(token: str) -> tuple[str, ...]:
        # A word of a longer name takes the list's most frequent spelling only (George -> 조지).
        spellings = table.lookup_word(token)[:1]
        looked_up.append(bool(spellings))
        return spellings

    cands = model.suggest(name, k, known=known)
    source = "nikl" if looked_up and all(looked_up) else "nikl+model" if any(looked_up) else "model"
    return [Suggestion(ko, s, source) for ko, s in cands]


def standard_spelling(english: str, *, lookup: bool = True) -> tuple[str, str]:
    """The one spelling an editor should converge on for ``english``, and its source ('nikl',
    'nikl+model' or 'model').  Raises :class:`TransliterationInputError` for names it cannot spell
    (letters outside the Latin script, nothing to transliterate)."""
    best = suggest_standard(english, 1, lookup=lookup)[0]
    return best.korean, best.source
