"""Japanese names in Hepburn romanisation -> Hangul by the NIKL rules for Japanese (일본어의 표기).

    >>> japanese_reading("Tojo")        # '도조'
    >>> japanese_reading("Hokkaido")    # '홋카이도'
    >>> japanese_reading("Berlin")      # None: not a sequence of Japanese syllables

- k t ch at the start of a word are written ㄱ ㄷ ㅈ, inside it ㅋ ㅌ ㅊ (Tanaka 다나카, Kyoto 교토);
- tsu is 쓰, su 스, zu 즈; a doubled consonant (っ) is 받침 ㅅ (Sapporo 삿포로), n before a consonant or at
  the end (ん) is 받침 ㄴ (Shinjuku 신주쿠);
- long vowels are not written (Tōjō, Tojo, Toujou 도조; Ōsaka, Oosaka 오사카).

A word is read as Japanese only when all of it parses into Japanese syllables; the reading is one
candidate among the model's (glossary.translit.standard), which ranks it.
"""
from __future__ import annotations

import re
import unicodedata

from glossary.translit.text import jamo_to_hangul

__all__ = ["japanese_reading"]

_I = dict(zip("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", (chr(c) for c in range(0x1100, 0x1113))))
_V = {v: chr(0x1161 + i) for i, v in enumerate("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")}
_F = {"ㄴ": "\u11ab", "ㅅ": "\u11ba"}
_VOWEL = {"a": "ㅏ", "i": "ㅣ", "u": "ㅜ", "e": "ㅔ", "o": "ㅗ"}
_Y_VOWEL = {"a": "ㅑ", "u": "ㅠ", "o": "ㅛ", "e": "ㅖ"}
# consonant -> (initial at the start of a word, initial inside it)
_CONS = {"k": ("ㄱ", "ㅋ"), "g": ("ㄱ", "ㄱ"), "s": ("ㅅ", "ㅅ"), "z": ("ㅈ", "ㅈ"), "t": ("ㄷ", "ㅌ"),
         "d": ("ㄷ", "ㄷ"), "n": ("ㄴ", "ㄴ"), "h": ("ㅎ", "ㅎ"), "b": ("ㅂ", "ㅂ"), "p": ("ㅍ", "ㅍ"),
         "m": ("ㅁ", "ㅁ"), "r": ("ㄹ", "ㄹ"), "y": ("ㅇ", "ㅇ"), "w": ("ㅇ", "ㅇ"), "j": ("ㅈ", "ㅈ"),
         "ch": ("ㅈ", "ㅊ"), "sh": ("ㅅ", "ㅅ"), "ts": ("ㅆ", "ㅆ"), "f": ("ㅎ", "ㅎ")}
_SYLLABLE = re.compile(r"(?:(ch|sh|ts|[kgsztdnhbpmrjfyw])(y?))?([aiueo])")


def _fold_long_vowels(word: str) -> str:
    word = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    word = re.sub(r"ou(?=[^aiueo]|$)", "o", word)          # Toujou -> Tojo
    word = re.sub(r"([aiueo])\1", r"\1", word)               # Oosaka -> Osaka
    return word


def japanese_reading(word: str) -> str | None:
    """The NIKL spelling of a romanised Japanese word, None when the word is not Japanese syllables."""
    text = _fold_long_vowels(word)
    if not text.isascii() or not text.isalpha() or len(text) < 2:
        return None
    sylls: list[list[str]] = []
    i = 0
    while i < len(text):
        m = _SYLLABLE.match(text, i)
        if m:
            cons, y, vowel = m.group(1) or "", m.group(2), m.group(3)
            if (cons in ("y", "w") and y) or (cons == "w" and vowel not in "ao") or (cons == "y" and vowel in "ie"):
                return None
            if cons in ("ch", "sh", "j") and y:
                return None
            if cons in ("ch", "j"):
                v = _VOWEL[vowel]                                 # ja 자, jo 조, cho 조/초 (no ㅛ after ㅈ ㅊ)
            elif cons == "sh" or y:
                v = {"i": "ㅣ", "e": "ㅔ"}.get(vowel) if cons == "sh" and vowel in "ie" else _Y_VOWEL.get(vowel)
                if v is None:
                    return None
            elif cons == "y":
                v = _Y_VOWEL[vowel]
            elif cons == "w":
                v = "ㅘ" if vowel == "a" else "ㅗ"
            elif cons in ("s", "z", "ts") and vowel == "u":
                v = "ㅡ"                                        # su 스, zu 즈, tsu 쓰
            else:
                v = _VOWEL[vowel]
            initial = _CONS[cons][0 if not sylls else 1] if cons else "ㅇ"
            if cons == "w":
                initial = "ㅇ"
            sylls.append([initial, v, ""])
            i = m.end()
            continue
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "n" and sylls and not sylls[-1][2] and (not nxt or nxt not in "aiueoy"):
            sylls[-1][2] = "ㄴ"                                  # ん
            i += 1
            continue
        if ch == "m" and sylls and not sylls[-1][2] and nxt in ("b", "p", "m"):
            sylls[-1][2] = "ㄴ"                                  # Hepburn 'm' for ん before b p m
            i += 1
            continue
        if sylls and not sylls[-1][2] and ch in "kstpc" and (nxt == ch or (ch == "t" and nxt == "c")):
            sylls[-1][2] = "ㅅ"                                  # っ: Sapporo 삿포로, Hokkaido 홋카이도
            i += 1
            continue
        return None
    if not sylls:
        return None
    return jamo_to_hangul("".join(_I[a] + _V[b] + (_F[c] if c else "") for a, b, c in sylls))


# Spellings that few European names have and Hepburn often does: tsu, shi, fu, a palatal syllable
# (kyo, ryu, sho...), a doubled stop (Hokkaido), a long ou/uu/oo.
_DISTINCT = re.compile(r"tsu|shi|fu|[kgnhbpmr]y[auo]|sh[auo]|ch[auo]|j[auo]|kk|tt|pp|ou|uu|oo|ō|ū")


def looks_japanese(word: str) -> bool:
    """A cheap origin guess: the word parses as Japanese syllables and has a spelling typical of them."""
    return japanese_reading(word) is not None and bool(_DISTINCT.search(word.lower()))
