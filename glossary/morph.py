"""Korean morphology for name matching: word spans and particle stripping, on the shared Kiwi.

Kiwi itself (the shared instance, :class:`Token`, :func:`analyze`, :func:`oov_id`) lives in
:mod:`corpus.kiwi`; they are re-exported here for the glossary's callers.
"""
from __future__ import annotations

import re
from functools import lru_cache

from corpus.kiwi import Token, analyze, get_kiwi, oov_id  # noqa: F401  (re-exported)
from corpus.text import is_hangul_syllable
from glossary.jamo import syllable_parts


# Particles (josa), the copula and the plural suffix that may follow a name inside one word.
_FIRST = ("이 가 은 는 을 를 의 에 에서 에게 에게서 께 께서 한테 한테서 와 과 랑 이랑 도 만 로 으로 로서 으로서 "
          "로써 으로써 로부터 으로부터 부터 까지 보다 처럼 같이 마저 조차 이나 나 이든지 든지 이라도 라도 이며 며 "
          "이고 고 이다 다 이었다 였다 입니다 이었습니다 였습니다 이라는 라는 이라고 라고 이란 란 이야 야 이라 라 "
          "인 이었고 였고 이었던 였던 에게로 한테로 더러 보고 하고 씨 측 쪽 에서의 에의 이었으며 였으며 이지만 지만 "
          "대로 뿐 밖에 이여 여 이자 자").split()
_SECOND = "의 은 는 도 만 을 를 이 가 과 와 로 으로 에 에서".split()


@lru_cache(maxsize=1)
def particle_suffixes() -> frozenset[str]:
    """Every particle sequence accepted after a name: [들] + particle [+ particle]."""
    out = set()
    for plural in ("", "들"):
        if plural:
            out.add(plural)
        for p in _FIRST:
            out.add(plural + p)
            for q in _SECOND:
                out.add(plural + p + q)
    return frozenset(out)


# Tags that may follow a name inside one word: particles, endings, copula, suffixes like 들.
FUNCTIONAL_TAG = re.compile(r"^(J|E|VCP|VCN|XSV|XSA|SF|SP|SS|SE|SO|SW)|^XSN$")


def _functional(t: Token) -> bool:
    return bool(FUNCTIONAL_TAG.match(t.tag)) and (t.tag != "XSN" or t.form == "들")


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or is_hangul_syllable(ch)


def word_end(text: str, pos: int) -> int:
    """End of the word (run of letters/digits) that ``pos`` lies in or starts."""
    while pos < len(text) and is_word_char(text[pos]):
        pos += 1
    return pos


def word_start(text: str, pos: int) -> int:
    while pos > 0 and is_word_char(text[pos - 1]):
        pos -= 1
    return pos


def rest_is_functional(word: str, cut: int) -> bool:
    """True when ``word[cut:]`` is only particles/endings, so ``word[:cut]`` is a whole noun.

    The particle table decides the common cases; otherwise Kiwi must put a token
    boundary at ``cut`` and tag everything after it as functional.
    """
    rest = word[cut:]
    if not rest:
        return True
    if rest in particle_suffixes():
        return True
    if not all(is_hangul_syllable(ch) for ch in rest):
        return False
    tokens = analyze(word)
    if not any(t.start == cut for t in tokens):
        return False
    after = [t for t in tokens if t.start >= cut]
    return bool(after) and all(_functional(t) for t in after)


NOUNISH_TAG = re.compile(r"^(NN|NR|SL|SH|SN|XR|XPN)")


def kiwi_noun_end(word: str) -> int | None:
    """Where the leading run of noun tokens ends, if everything after it is functional."""
    tokens = analyze(word)
    noun_end = 0
    i = 0
    while i < len(tokens) and NOUNISH_TAG.match(tokens[i].tag) and tokens[i].start <= noun_end:
        noun_end = max(noun_end, tokens[i].end)
        i += 1
    if noun_end == 0:
        return None
    if all(_functional(t) for t in tokens[i:]):
        return noun_end
    return None


_AFTER_CONSONANT = ("은", "을", "과", "으", "이")
_AFTER_VOWEL = ("는", "를", "와", "가")


def _allomorph_ok(stem: str, rest: str) -> bool:
    """Korean particles agree with the last sound of the noun: 처칠이 / 마이스키가, not 아틀레+이가."""
    if not rest or not stem or not is_hangul_syllable(stem[-1]):
        return True
    has_final = syllable_parts(stem[-1])[2] != ""
    if has_final:
        return not rest.startswith(_AFTER_VOWEL)
    if rest.startswith("이") and len(rest) > 1 and rest[1:] in particle_suffixes() and rest not in ("이며", "이고", "이다", "이라", "이나"):
        return False
    return not rest.startswith(_AFTER_CONSONANT[:4])


def _table_cuts(word: str) -> list[int]:
    """Cut points where the rest of ``word`` is a particle sequence, longest rest first."""
    return [cut for cut in range(1, len(word)) if word[cut:] in particle_suffixes()]


@lru_cache(maxsize=65536)   # discovery strips every written word of a document three times
def strip_particles(word: str) -> str:
    """The noun stem of one written word: ``메이스키는`` -> ``메이스키``, ``체임벌린에게`` -> ``체임벌린``.

    Kiwi decides first (so ``스페인`` and ``헨라인`` keep their last syllable), unless
    its cut breaks particle agreement (``아틀레이가``: 가 follows a vowel, so the name is
    ``아틀레이``).  When Kiwi does not see noun + particles at all (``메이시는`` comes
    out as a verb), the longest agreeing particle sequence from the table is cut.
    """
    cuts = [c for c in _table_cuts(word) if _allomorph_ok(word[:c], word[c:])]
    end = kiwi_noun_end(word)
    if end is not None:
        if end < len(word) and not _allomorph_ok(word[:end], word[end:]):
            return word[:cuts[0]] if cuts else word
        return word[:end]
    return word[:cuts[0]] if cuts else word
