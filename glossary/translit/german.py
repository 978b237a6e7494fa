"""German names by the NIKL rules for German (외래어 표기법, 독일어의 표기), read from the spelling.

    >>> german_readings("Wallenstein")   # ['발렌슈타인']
    >>> german_readings("Vogt")          # ['포크트']
    >>> german_readings("Jaspers")       # ['야스페르스', '야스퍼스']

The spelling is cut into graphemes by the longest match in :data:`GRAPHEMES` (a data table: grapheme ->
what it is written as), and the written sounds are put into syllables by the same conventions as the
English rules: a consonant before a vowel is the syllable's initial; m n ng l close the syllable before
a consonant or at the end; any other consonant there is a syllable of its own with ㅡ (ㅣ for 시 치 지
sounds); l between vowels is ㄹㄹ (Hegel 헤겔, Marlene 마를레네).  German stops are never 받침: b d g at the
end or before a consonant are 프 트 크 (Vogt 포크트).  Where the usage list writes a spelling two ways
(-er: 어 in Wagner 바그너, Jaspers 야스퍼스; 에르 in Anders 안데르스), both readings are returned, the first
the more frequent.

The reading is a candidate among the models' (glossary.translit.standard); :func:`german_cues` is the
cheap origin guess the re-ranker weighs it by.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

from glossary.translit.text import jamo_to_hangul

__all__ = ["german_readings", "german_cues", "GRAPHEMES"]

_I = dict(zip("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", (chr(c) for c in range(0x1100, 0x1113))))
_V = {v: chr(0x1161 + i) for i, v in enumerate("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")}
_F = {"ㄱ": "\u11a8", "ㄴ": "\u11ab", "ㄹ": "\u11af", "ㅁ": "\u11b7", "ㅂ": "\u11b8", "ㅅ": "\u11ba", "ㅇ": "\u11bc"}

# Grapheme -> readings (the first the usual one).  A reading is a string of sound symbols:
#   a consonant: an initial jamo name ('ㅂ'); '+' before it marks a sound written 받침 ㄱ when a vowel
#   precedes (chs: Fuchs 푹스); a vowel: '@' followed by the vowel jamo ('@ㅏ'; two vowels, two syllables);
#   '^' a glide onto the next vowel (j: ja 야); 'S' the sch sound (샤 셰 시 쇼 슈, 슈 alone);
#   'X' the ch of Bach/ich (흐 after a o u, 히 elsewhere); 'R' an r after a vowel (르, or nothing in -er).
GRAPHEMES: dict[str, tuple[str, ...]] = {
    "tsch": ("ㅊ|ㅣ",), "sch": ("S",), "chs": ("+ㄱㅅ",), "ch": ("X",), "ck": ("ㅋ",), "ph": ("ㅍ",), "th": ("ㅌ",),
    "tz": ("ㅊ",), "dt": ("ㅌ",), "pf": ("ㅍ",), "qu": ("ㅋㅂ",), "ng": ("N",), "nk": ("Nㅋ",), "ß": ("ㅅ",),
    "ss": ("ㅅ",), "ff": ("ㅍ",), "tt": ("ㅌ",), "pp": ("ㅍ",), "kk": ("ㅋ",), "bb": ("ㅂ",), "dd": ("ㄷ",),
    "gg": ("ㄱ",), "mm": ("ㅁ",), "nn": ("ㄴ",), "rr": ("ㄹ",), "ll": ("L",), "zz": ("ㅊ",),
    "b": ("ㅂ",), "c": ("ㅋ",), "d": ("ㄷ",), "f": ("ㅍ",), "g": ("ㄱ",), "h": ("H",), "j": ("^",), "k": ("ㅋ",),
    "l": ("L",), "m": ("ㅁ",), "n": ("ㄴ",), "p": ("ㅍ",), "r": ("R",), "s": ("Z",), "t": ("ㅌ",), "v": ("ㅍ",),
    "w": ("ㅂ",), "x": ("ㅋㅅ",), "z": ("ㅊ",),
    "äu": ("@ㅗ@ㅣ",), "eu": ("@ㅗ@ㅣ",), "ei": ("@ㅏ@ㅣ",), "ai": ("@ㅏ@ㅣ",), "ey": ("@ㅏ@ㅣ",), "ay": ("@ㅏ@ㅣ",),
    "ie": ("@ㅣ",), "au": ("@ㅏ@ㅜ",), "aa": ("@ㅏ",), "ee": ("@ㅔ",), "oo": ("@ㅗ",), "ae": ("@ㅐ",),
    "oe": ("@ㅚ",), "ue": ("@ㅟ",),
    "a": ("@ㅏ",), "e": ("@ㅔ",), "i": ("@ㅣ",), "o": ("@ㅗ",), "u": ("@ㅜ",), "ä": ("@ㅐ",), "ö": ("@ㅚ",),
    "ü": ("@ㅟ",), "y": ("@ㅟ", "@ㅣ"),
}
# Graphemes read so only at the end of a word: -ig 이히 (König 쾨니히); and inside it: -stein 슈타인.
END_GRAPHEMES: dict[str, tuple[str, ...]] = {"ig": ("@ㅣX",)}
GRAPHEMES["stein"] = ("Sㅌ@ㅏ@ㅣㄴ",)
_LONGEST = max(len(g) for g in GRAPHEMES)
_Y_GLIDE = {"ㅏ": "ㅑ", "ㅐ": "ㅒ", "ㅓ": "ㅕ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ", "ㅣ": "ㅣ", "ㅚ": "ㅚ", "ㅟ": "ㅟ"}
_SCH = {"ㅏ": "ㅑ", "ㅐ": "ㅒ", "ㅓ": "ㅕ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ", "ㅣ": "ㅣ", "ㅚ": "ㅚ", "ㅟ": "ㅟ"}
_FINAL_DEVOICE = {"ㅂ": "ㅍ", "ㄷ": "ㅌ", "ㄱ": "ㅋ"}
# Spellings that few English names have and German ones often do.
_CUES = re.compile(r"sch|tz|ß|[äöü]|ei[^a-z]*$|^[wz]|mann$|stein|berg$|burg$|dorf$|heim$|hardt?$|[^s]ch[^aeiour]|"
                   r"ch$|ie[^r]|eu|pf|^sp|^st[aeiour]|^j[aou]|v[aeiou]", re.IGNORECASE)


def german_cues(word: str) -> int:
    """How many German spelling cues the word has (sch, tz, ß, umlauts, -mann, -stein, w- and z- ...)."""
    return len(_CUES.findall(unicodedata.normalize("NFC", word.lower())))


def _graphemes(word: str) -> list[tuple[str, ...]] | None:
    out = []
    i = 0
    tail = next(((g, r) for g, r in END_GRAPHEMES.items() if word.endswith(g) and len(word) > len(g) + 1), None)
    if tail:
        word = word[:-len(tail[0])]
    while i < len(word):
        for n in range(min(_LONGEST, len(word) - i), 0, -1):
            g = word[i:i + n]
            if g in GRAPHEMES:
                out.append(GRAPHEMES[g])
                i += n
                break
        else:
            return None
    if tail:
        out.append(tail[1])
    return out


def _sounds(reading: str) -> list[str]:
    """'@ㅏ@ㅣ' -> ['@ㅏ', '@ㅣ']; 'ㅋㅂ' -> ['ㅋ', 'ㅂ']; '+ㄱㅅ' -> ['+ㄱ', 'ㅅ']; 'ㅊ|ㅣ' -> ['ㅊ|ㅣ']."""
    if "|" in reading:
        return [reading]
    out, i = [], 0
    while i < len(reading):
        if reading[i] in "@+":
            out.append(reading[i:i + 2])
            i += 2
        else:
            out.append(reading[i])
            i += 1
    return out


def _write(sounds: list[str], er_as_eo: bool) -> str | None:
    sylls: list[list[str]] = []      # [initial, vowel, final]
    n = len(sounds)
    is_v = [s.startswith("@") for s in sounds]

    def vowel_at(k):
        return k < n and is_v[k]

    for k, s in enumerate(sounds):
        nxt_vowel = vowel_at(k + 1)
        prev_vowel = k > 0 and is_v[k - 1]
        if s.startswith("@"):
            v = s[1]
            if sylls and sylls[-1][1] == "":
                sylls[-1][1] = v
            elif sylls and sylls[-1][1] == "^":
                sylls[-1][1] = _Y_GLIDE.get(v, v)
            elif sylls and sylls[-1][1] == "S":
                sylls[-1][1] = _SCH.get(v, v)
            else:
                sylls.append(["ㅇ", v, ""])
            continue
        if s == "^":
            if nxt_vowel:
                sylls.append(["ㅇ", "^", ""])
            continue
        if s == "H":
            if nxt_vowel:
                sylls.append(["ㅎ", "", ""])
            elif not prev_vowel:
                sylls.append(["ㅎ", "ㅡ", ""])
            continue                                     # after a vowel: a length mark, not written
        if s == "S":
            sylls.append(["ㅅ", "S", ""] if nxt_vowel else ["ㅅ", "ㅠ", ""])
            continue
        if s == "X":
            back = sylls and sylls[-1][1] in ("ㅏ", "ㅗ", "ㅜ") and prev_vowel
            sylls.append(["ㅎ", "ㅡ" if back else "ㅣ", ""] if not nxt_vowel else ["ㅎ", "", ""])
            continue
        if s == "Z":                                     # s: ㅈ before a vowel, ㅅ elsewhere
            sylls.append(["ㅈ", "", ""] if nxt_vowel else ["ㅅ", "ㅡ", ""])
            continue
        if s == "R":
            if nxt_vowel:
                sylls.append(["ㄹ", "", ""])
            elif er_as_eo and sylls and sylls[-1][1] == "ㅔ" and not sylls[-1][2] and len(sylls) > 1:
                sylls[-1][1] = "ㅓ"                      # -er: 어 (Wagner 바그너)
            else:
                sylls.append(["ㄹ", "ㅡ", ""])
            continue
        if s == "L":
            if sylls and not sylls[-1][2] and sylls[-1][1] not in ("", "^", "S"):
                sylls[-1][2] = "ㄹ"
                if nxt_vowel:
                    sylls.append(["ㄹ", "", ""])
            elif nxt_vowel:
                sylls.append(["ㄹ", "", ""])
            else:
                sylls.append(["ㄹ", "ㅡ", ""])
            continue
        if s in ("N", "ㅁ", "ㄴ") and not nxt_vowel:
            final = {"N": "ㅇ", "ㅁ": "ㅁ", "ㄴ": "ㄴ"}[s]
            if sylls and not sylls[-1][2] and sylls[-1][1] not in ("", "^", "S"):
                sylls[-1][2] = final
            else:
                sylls.append([{"N": "ㅇ"}.get(s, s), "ㅡ", ""])
            continue
        if s == "N":
            s = "ㅇ"
        if s.startswith("+"):
            if sylls and not sylls[-1][2] and prev_vowel:
                sylls[-1][2] = s[1]
            else:
                sylls.append([_FINAL_DEVOICE.get(s[1], "ㅋ"), "ㅡ", ""])
            continue
        if "|" in s:
            init, vow = s.split("|")
            sylls.append([init, "" if nxt_vowel else vow, ""])
            continue
        if nxt_vowel:
            sylls.append([s, "", ""])
        elif k == n - 1 or sounds[k + 1] in ("ㅌ", "ㅅ", "Z"):
            sylls.append([_FINAL_DEVOICE.get(s, s), "ㅡ", ""])     # b d g at the end, before t s: Vogt 포크트
        else:
            sylls.append([s, "ㅡ", ""])                            # Wagner 바그너
    if not sylls or any(v in ("", "^", "S") for _, v, _ in sylls):
        return None
    try:
        return jamo_to_hangul("".join(_I[a] + _V[b] + (_F[c] if c else "") for a, b, c in sylls))
    except KeyError:
        return None


def german_readings(word: str) -> list[str]:
    """The Hangul readings of one German word by the NIKL rules, the usual first; [] when the word has
    letters the table lacks (the search then leaves it to the models)."""
    word = unicodedata.normalize("NFC", word.lower()).strip("'-")
    if not word or not word.isalpha():
        return []
    # sp- st- at the start: 슈프 슈트 (Stein 슈타인)
    prefix: list[str] = []
    if re.match(r"s[pt][aeiouäöüylr]", word):
        prefix, word = ["S"], word[1:]
    graphemes = _graphemes(word)
    if graphemes is None:
        return []
    out: list[str] = []
    for er_as_eo in (True, False):
        for choice in itertools.islice(itertools.product(*graphemes), 4):
            sounds = prefix + [s for reading in choice for s in _sounds(reading)]
            h = _write(sounds, er_as_eo)
            if h and h not in out:
                out.append(h)
    return out
