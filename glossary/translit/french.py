"""French names by the NIKL rules for French (외래어 표기법, 프랑스어의 표기), read from the spelling.

    >>> french_readings("Aumont")       # ['오몽']
    >>> french_readings("Marseille")    # ['마르세유']
    >>> french_readings("Barthes")      # ['바르트', ...]

Two steps, both data-driven where they can be:

1. spelling -> sounds (:func:`_sounds_of`): the French spelling conventions (nasal vowels an/en/in/on/un
   before a consonant or the end; silent final -e, -s, -t, -d, -x, -z; -eau/-au 오, ou 우, oi 우아, eu 외,
   u 위, gn ɲ, ch ʃ, c/g soft before e i y, s between vowels z, -ille after a vowel j, -er/-ez/-et 에);
2. sounds -> Hangul (:func:`_write`) by the NIKL table for French: no stop is written as 받침 (p t k b d g
   f v s z at the end or before a consonant take 으: Tarde 타르드), ʃ is 슈 there and 샤 셰 시 쇼 슈 before a
   vowel, ʒ 주 / 자 제 지 조 주, ɲ 뉴 / 냐 녜 니 뇨 뉴, nasal vowels are 앙 앵 옹 욍 (받침 ㅇ), l before a vowel
   inside a word is ㄹㄹ (Blondel 블롱델), j at the end is 유 (Marseille 마르세유), between vowels it joins the
   next vowel (아양), after a consonant it is 이 (Pierre 피에르), w is 우 (Moissan 무아상), ə is 으.

Where the spelling leaves the sound open (a final -s or -er pronounced or not, an inner e as ə or ɛ,
-ille as j or l) several readings are returned, the usual first.  The reading is a candidate among the
models' (glossary.translit.standard); the re-ranker weighs it with a learned origin guess.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

from glossary.translit.text import jamo_to_hangul

__all__ = ["french_readings"]

_I = dict(zip("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", (chr(c) for c in range(0x1100, 0x1113))))
_V = {v: chr(0x1161 + i) for i, v in enumerate("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")}
_F = {"ㄴ": "\u11ab", "ㄹ": "\u11af", "ㅁ": "\u11b7", "ㅇ": "\u11bc"}

# Sounds (one character each): consonants p b t d k g f v s z S(ʃ) Z(ʒ) m n N(ɲ) l r, glides j w;
# vowels a e i o u y 2(ø) @(ə) and the nasal vowels A(ɑ̃) E(ɛ̃) O(ɔ̃) U(œ̃).
VOWELS = {"a": "ㅏ", "e": "ㅔ", "i": "ㅣ", "o": "ㅗ", "u": "ㅜ", "y": "ㅟ", "2": "ㅚ", "@": "ㅡ",
          "A": "ㅏ", "E": "ㅐ", "O": "ㅗ", "U": "ㅚ"}
NASAL = set("AEOU")
INITIAL = {"p": "ㅍ", "b": "ㅂ", "t": "ㅌ", "d": "ㄷ", "k": "ㅋ", "g": "ㄱ", "f": "ㅍ", "v": "ㅂ", "s": "ㅅ",
           "z": "ㅈ", "S": "ㅅ", "Z": "ㅈ", "m": "ㅁ", "n": "ㄴ", "N": "ㄴ", "l": "ㄹ", "r": "ㄹ"}
# the vowel after ʃ and ɲ (샤 셰 시 쇼 슈, 냐 녜 니 뇨 뉴), after j (야 예 이 요 유)
_PALATAL = {"ㅏ": "ㅑ", "ㅔ": "ㅖ", "ㅗ": "ㅛ", "ㅜ": "ㅠ", "ㅡ": "ㅠ", "ㅐ": "ㅒ", "ㅣ": "ㅣ", "ㅟ": "ㅟ", "ㅚ": "ㅚ"}
# written alone (at the end, before a consonant): ʃ 슈, ʒ 주, ɲ 뉴, the others with 으
_ALONE = {"S": ("ㅅ", "ㅠ"), "Z": ("ㅈ", "ㅜ"), "N": ("ㄴ", "ㅠ")}

_VOW_LETTERS = "aeiouyàâäéèêëîïôöùûüœæ"
_FRONT = "eéèêëiîïy"
# Letter groups that always stand for one sound, longest first (sch before the ch rule).
_FIXED_DIGRAPHS = {"sch": "S", "ph": "f", "th": "t", "gn": "N", "qu": "k", "ss": "s"}
# Vowel letter groups that always stand for one sound, longest first (eaux before eau before au).
_FIXED_VOWEL_GROUPS = {"eaux": "o", "eau": "o", "au": "o", "aû": "o", "ou": "u", "oû": "u", "où": "u",
                       "eu": "2", "œu": "2", "eû": "2"}


def _is_v(ch: str) -> bool:
    return ch != "" and ch in _VOW_LETTERS


def _sounds_of(word: str, final_s: bool, final_er: bool, inner_e: bool, ille_l: bool) -> str | None:
    """The sounds of a lowercase word under one choice of the open points (see the module docstring)."""
    w = word
    # silent endings: -s -x -z (a plural or silent letter: Dumas 뒤마), then -e, -es, -ent
    tail = ""
    if not final_s and len(w) > 3 and w[-1] in "sxz" and w[-2] not in "s":
        w = w[:-1]
    if w.endswith("e") and len(w) > 2 and not w.endswith(("ée", "ie")) and w[-2] not in _VOW_LETTERS:
        w = w[:-1]
        tail = "e"                                   # the consonant before is pronounced (Tarde 타르드)
    elif w.endswith(("ée", "ie", "ue")) and len(w) > 3:
        w = w[:-1]
    out: list[str] = []
    i, n = 0, len(w)

    def at(k: int) -> str:
        return w[k] if 0 <= k < n else ""

    def final_silent(k: int) -> bool:
        """Is the consonant letter at k the last letter, silent?"""
        if k != n - 1 or tail:
            return False
        ch, prev = w[k], at(k - 1)
        if ch in "tdx" or (ch in "sz" and not final_s):
            return prev in _VOW_LETTERS or prev in "rn" or (ch == "t" and prev == "e")
        if ch == "p":
            return prev == "m"
        if ch == "c":
            return prev == "n"
        if ch == "g":
            return prev in "rn"
        return False

    while i < n:
        c = w[i]
        rest = w[i:]
        nxt = at(i + 1)
        # --- vowels and vowel digraphs
        group = next((g for g in _FIXED_VOWEL_GROUPS if rest.startswith(g)), None)
        if group is not None:
            out.append(_FIXED_VOWEL_GROUPS[group])
            i += len(group)
            continue
        if re.match(r"o[iî]n(?![aeiouyn])", rest):
            out.append("wE")
            i += 3
            continue
        if rest.startswith(("oi", "oî", "oy")):
            out.append("wa")
            i += 2
            if rest.startswith("oy") and _is_v(at(i)):
                out.append("j")
            continue
        if re.match(r"(ai|ei)ll", rest) or re.match(r"(ai|ei)l$", rest):
            out.append("aj" if c == "a" else "ej")
            i += 4 if rest[2:4] == "ll" else 3
            continue
        if re.match(r"(ai|ei|ay|ey)(?![aeiouy])", rest) or rest.startswith(("aî", "ai", "ei")):
            if re.match(r"(ai|ei)[nm](?![aeiouynm])", rest):
                out.append("E")
                i += 3
                continue
            if rest[1] == "y" and _is_v(at(i + 2)):
                out.append("ej")                      # Bayonne 바욘? -ay- between vowels: ɛj
                i += 2
                continue
            out.append("e")
            i += 2
            continue
        if rest.startswith("ui") and out and out[-1] not in "aeiouy2@":
            out.append("y")                           # ɥi: one syllable 위 (Suisse 쉬스)
            i += 2
            continue
        if c in "aeiouyàâäéèêëîïôöùûüœæ":
            base = unicodedata.normalize("NFD", c)[0]
            # nasal vowels: vowel + n/m before a consonant other than n m, or at the end
            if nxt in ("n", "m") and not _is_v(at(i + 2)) and at(i + 2) not in ("n", "m") \
                    and not (tail and i + 2 == n) and c in "aeiouyâêîô":
                if base == "a":
                    out.append("A")
                elif base == "e":
                    out.append("E" if out and out[-1] in ("i", "j", "e") or (i > 0 and w[i - 1] in "iyé") else "A")
                elif base in "iy":
                    out.append("E")
                elif base == "o":
                    out.append("O")
                else:
                    out.append("U")
                i += 2
                continue
            if c == "y":
                if out and out[-1] in "aeiou2" and _is_v(nxt):
                    out.append("j")
                elif _is_v(nxt) and not out:
                    out.append("j")
                else:
                    out.append("i")
                i += 1
                continue
            if c == "i" and _is_v(nxt) and nxt not in "e" and not (out and out[-1] in "aeiou2"):
                out.append("i" if not out else "j")   # Lyon 리옹, Pierre 피에르 (written 이 either way)
                i += 1
                continue
            if c == "i" and rest.startswith("ill") and out:
                if out[-1] in "aeiou2":
                    out.append("j")
                    i += 3
                    continue
                if not ille_l:
                    out.append("ij")
                    i += 3
                    continue
            if c == "e":
                if i == n - 1:
                    out.append("@" if i <= 1 else "")  # 'le' 르; a final e is silent
                    i += 1
                    continue
                # -er, -ez, -et at the end: 에 (Cordier 코르디에, Bourget 부르제)
                if i == n - 2 and nxt in "zt" and not tail:
                    out.append("e")
                    i += 2
                    continue
                if i == n - 2 and nxt == "r" and not tail and final_er:
                    out.append("e")
                    i += 2
                    continue
                cons = 0
                k = i + 1
                while k < n and not _is_v(w[k]):
                    cons += 1
                    k += 1
                cluster = w[i + 1:k]
                liquid = cons == 2 and cluster[0] in "pbtdkgfv" and cluster[1] in "rl"
                single_before = i >= 1 and not _is_v(w[i - 1]) and (
                    i == 1 or _is_v(w[i - 2]) or w[i - 2:i] in ("ch", "ph", "th", "qu")
                    or (i == 2 and w[0] in "pbtdkgfv" and w[1] in "rl"))            # Grenoble 그르노블
                if ((cons == 1 and k < n) or liquid or cluster in ("ch", "ph", "th", "gn", "qu")) and single_before:
                    out.append("@" if inner_e else "e")
                else:
                    out.append("e")
                i += 1
                continue
            out.append({"a": "a", "e": "e", "i": "i", "o": "o", "u": "y", "y": "i"}.get(base, "e")
                       if c not in "œæ" else ("2" if c == "œ" else "e"))
            i += 1
            continue
        # --- consonants
        if final_silent(i):
            i += 1
            continue
        digraph = next((d for d in _FIXED_DIGRAPHS if rest.startswith(d)), None)
        if digraph is not None:
            out.append(_FIXED_DIGRAPHS[digraph])
            i += len(digraph)
            continue
        if rest.startswith("ch"):
            out.append("k" if at(i + 2) in "rl" else "S")
            i += 2
            continue
        if rest.startswith("gu") and at(i + 2) in _FRONT and at(i + 2):
            out.append("g")
            i += 2
            continue
        if rest.startswith(("ge", "je")) and at(i + 2) in "aou" and at(i + 2):      # Jean 장, Georges
            out.append("Z")
            i += 2
            continue
        if rest.startswith("cc") and at(i + 2) in _FRONT and at(i + 2):
            out.append("ks")
            i += 2
            continue
        if c == nxt and c not in "aeiou":
            i += 1                                       # a doubled consonant is one (Moissan 무아상)
            continue
        if rest.startswith("cq"):
            i += 1
            continue
        soft = (nxt and nxt in _FRONT) or (tail and i == n - 1)      # Georges 조르주: the silent e softens
        if c == "c":
            out.append("s" if soft else "k")
        elif c == "ç":
            out.append("s")
        elif c == "g":
            out.append("Z" if soft else "g")
        elif c == "j":
            out.append("Z")
        elif c == "h":
            pass
        elif c == "s":
            between = _is_v(nxt) or (tail and i == n - 1)       # Toulouse 툴루즈
            out.append("z" if out and out[-1] in "aeiouy2@AEOU" and between else "s")
        elif c == "x":
            out.append("ks")
        elif c == "w":
            out.append("v")
        elif c == "q":
            out.append("k")
        elif c in INITIAL:
            out.append(c)
        else:
            return None
        i += 1
    return "".join(out)


def _write(sounds: str) -> str | None:
    sylls: list[list[str]] = []      # [initial, vowel, final]; vowel '' while a consonant waits for one
    n = len(sounds)
    for k, s in enumerate(sounds):
        nxt = sounds[k + 1] if k + 1 < n else ""
        nxt_vowel = nxt in VOWELS
        if s in VOWELS:
            v = VOWELS[s]
            last = sylls[-1] if sylls else None
            if last and last[1] == "":
                if last[0] in INITIAL and last[0] not in ("S", "N", "Z"):
                    last[0] = INITIAL[last[0]]
                elif last[0] in ("S", "N"):
                    last[0], v = INITIAL[last[0]], _PALATAL.get(v, v)
                elif last[0] == "Z":
                    last[0], v = "ㅈ", ("ㅜ" if v == "ㅡ" else v)
                elif last[0] == "j":
                    last[0], v = "ㅇ", _PALATAL.get(v, v)
                last[1] = v
            else:
                sylls.append(["ㅇ", v, ""])
            if s in NASAL:
                sylls[-1][2] = "ㅇ"
            continue
        if s == "j":
            prev_open_vowel = sylls and sylls[-1][1] not in ("", "ㅡ") and k > 0 and sounds[k - 1] in VOWELS
            if nxt_vowel and (prev_open_vowel or not sylls):
                sylls.append(["j", "", ""])                       # 아양, word-initial 야
            elif nxt_vowel:
                if sylls[-1][1] == "":
                    sylls[-1][1] = "ㅣ" if sylls[-1][0] not in ("S", "N", "Z") else "ㅣ"
                    if sylls[-1][0] in INITIAL:
                        sylls[-1][0] = INITIAL[sylls[-1][0]]
                elif sylls[-1][1] != "ㅣ":
                    sylls.append(["ㅇ", "ㅣ", ""])
            elif not nxt:
                sylls.append(["ㅇ", "ㅠ", ""])                     # Marseille 마르세유
            else:
                sylls.append(["ㅇ", "ㅣ", ""])
            continue
        if s == "w":
            if sylls and sylls[-1][1] == "":
                sylls[-1][1] = "ㅜ"
                if sylls[-1][0] in INITIAL:
                    sylls[-1][0] = INITIAL[sylls[-1][0]]
            else:
                sylls.append(["ㅇ", "ㅜ", ""])
            continue
        # a consonant: first settle a consonant still waiting for its vowel
        if sylls and sylls[-1][1] == "":
            _close_alone(sylls[-1])
        if s == "l":
            last = sylls[-1] if sylls else None
            if nxt_vowel or (nxt and nxt in "jw"):
                if last and not last[2] and last[1]:
                    last[2] = "ㄹ"                                 # ㄹㄹ inside a word (Blondel 블롱델)
                sylls.append(["ㄹ", "", ""])
            elif last and not last[2]:
                last[2] = "ㄹ"
            else:
                sylls.append(["ㄹ", "ㅡ", ""])
            continue
        if s in ("m", "n") and not nxt_vowel and not (nxt and nxt in "jw"):
            last = sylls[-1] if sylls else None
            if last and not last[2]:
                last[2] = "ㅁ" if s == "m" else "ㄴ"
            else:
                sylls.append([INITIAL[s], "ㅡ", ""])
            continue
        sylls.append([s, "", ""])
    if sylls and sylls[-1][1] == "":
        _close_alone(sylls[-1])
    try:
        return jamo_to_hangul("".join(_I[a] + _V[b] + (_F[c] if c else "") for a, b, c in sylls))
    except KeyError:
        return None


def _close_alone(syll: list[str]) -> None:
    """A consonant with no vowel after it: 으 (슈 주 뉴 for ʃ ʒ ɲ; 이 for a glide j)."""
    c = syll[0]
    if c in _ALONE:
        syll[0], syll[1] = _ALONE[c]
    elif c == "j":
        syll[0], syll[1] = "ㅇ", "ㅣ"
    else:
        syll[0], syll[1] = INITIAL.get(c, c), "ㅡ"


# the open points, in the order their usual reading is tried: (final_s, final_er, inner_e, ille_l)
_CHOICES = list(itertools.product((False, True), (True, False), (True, False), (False, True)))


def french_readings(word: str, limit: int = 4) -> list[str]:
    """The Hangul readings of one French word by the NIKL rules, the usual first; [] when the word has
    letters the table lacks (the search then leaves it to the models)."""
    word = unicodedata.normalize("NFC", word.lower()).strip("'-")
    if not word or not word.isalpha() or not all(c in _VOW_LETTERS or c in "bcçdfghjklmnpqrstvwxz" for c in word):
        return []
    out: list[str] = []
    for final_s, final_er, inner_e, ille_l in _CHOICES:
        sounds = _sounds_of(word, final_s, final_er, inner_e, ille_l)
        h = _write(sounds) if sounds else None
        if h and h not in out:
            out.append(h)
            if len(out) >= limit:
                break
    return out
