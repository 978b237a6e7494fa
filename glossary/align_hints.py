"""Alignment hints from transliteration: short name-only texts and their Hangul renderings.

USE embeds 'Ivan Maisky' and '이반 마이스키' far apart (cosine 0.41), so a
document's title, an infobox name or a caption that is only a name can pair
with the wrong line, typically a Korean line that left the name in Latin.
:func:`name_hints` finds English texts that are only a name and Korean texts
that are only Hangul words, and pairs those whose Hangul transliterates the
English well (:mod:`glossary.translit_score`); :func:`corpus.align.align_bitext`
takes them as extra anchors (``hints=``).
"""
from __future__ import annotations

import re
from typing import Sequence

# Both ways the best partner, and at least this transliteration score ('Ivan Maisky' / '이반 마이스키' 0.57,
# 'Winston Churchill' / '윈스턴 처칠' 0.45; 'Ivan Mikhailovich Maisky' / '이반 마이스키' 0.29).
NAME_HINT_MIN = 0.4
MAX_WORDS = 5
# Beyond this many name-only texts on a side the pairwise scoring costs more than it can help.
MAX_CANDIDATES = 150

_NAME_WORD = re.compile(r"[A-Z][A-Za-z'’.\-]*|de|da|di|du|la|le|van|von|der|den|al|bin|ibn")
_HANGUL_WORD = re.compile(r"[가-힣]+(?:·[가-힣]+)*")
_EDGE = re.compile(r"^[\s\"'“”‘’(]+|[\s\"'“”‘’).,:;!?]+$|\[\d+\]")


def _name_words(text: str, pattern: re.Pattern) -> list[str] | None:
    words = _EDGE.sub("", text).split()
    if not 1 <= len(words) <= MAX_WORDS or not all(pattern.fullmatch(w) for w in words):
        return None
    return words


def name_hints(src_texts: Sequence[str], tgt_texts: Sequence[str]) -> list[tuple[int, int]]:
    """(English index, Korean index) of name-only texts that transliterate each other best."""
    english = [(i, " ".join(w)) for i, t in enumerate(src_texts) if (w := _name_words(t, _NAME_WORD))]
    korean = [(j, " ".join(w)) for j, t in enumerate(tgt_texts) if (w := _name_words(t, _HANGUL_WORD))]
    if not english or not korean or len(english) > MAX_CANDIDATES or len(korean) > MAX_CANDIDATES:
        return []
    from glossary.translit_score import default_scorer
    scorer = default_scorer()
    scores = [[scorer.score(e, k) for _, k in korean] for _, e in english]
    out = []
    for a, (i, _) in enumerate(english):
        b = max(range(len(korean)), key=lambda x: scores[a][x])
        if scores[a][b] >= NAME_HINT_MIN and max(range(len(english)), key=lambda x: scores[x][b]) == a:
            out.append((i, korean[b][0]))
    return out
