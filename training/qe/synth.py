"""Synthetic translation errors for training the quality estimate (``review.quality``).

Clean human pairs are damaged on the Korean side the way machine translation goes wrong in meaning,
not only in form: a content word or a clause left out, a word rendered in a wrong sense, a negation
flipped, a number or a name changed, words added, a run left in English, a local reordering, or the
whole Korean belonging to another sentence.  Each damage has an MQM-like weight (minor 1, major 5);
a pair's label is the sum of its damages' weights.  The number of damages grows with the sentence's
length (a per-word error rate drawn per pair), as real MT errors do.

Kiwi's analysis gives the morphemes' tags and offsets, so a damage cuts or replaces whole words and
keeps the particles that follow a replaced noun.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

CONTENT_TAGS = ("NNG", "NNP", "VV", "VA", "MAG", "SN", "XR")
MINOR, MAJOR = 1.0, 5.0
# Per-word error rates a pair is drawn with: a third of the pairs stay clean.
ERROR_RATES = (0.0, 0.0, 0.04, 0.08, 0.15)


@dataclass(frozen=True)
class Damaged:
    src: str
    tgt: str
    weight: float            # summed MQM-like weight of the damages done (0 for a clean pair)
    kinds: tuple[str, ...]   # the damages done, in order


def _eojeol_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


class Damager:
    """Applies random damages to Korean sentences; ``vocab`` holds replacement words by tag."""

    def __init__(self, kiwi, korean_pool: list[str], seed: int = 13):
        self.kiwi = kiwi
        self.rng = random.Random(seed)
        self.pool = korean_pool
        self.vocab: dict[str, list[str]] = {"NNG": [], "NNP": [], "VV": [], "VA": [], "MAG": []}
        seen: set[tuple[str, str]] = set()
        for res in kiwi.analyze(korean_pool[: 4000], top_n=1):
            for t in res[0][0]:
                if t.tag in self.vocab and len(t.form) >= 2 and (t.tag, t.form) not in seen:
                    seen.add((t.tag, t.form))
                    self.vocab[t.tag].append(t.form)

    def tokens(self, text: str):
        return self.kiwi.analyze(text, top_n=1)[0][0]

    # -- single damages: each returns (new Korean, weight, kind) or None when it does not apply --------
    def drop_word(self, en, ko):
        toks = [t for t in self.tokens(ko) if t.tag in CONTENT_TAGS]
        spans = _eojeol_spans(ko)
        if len(spans) < 3 or not toks:
            return None
        t = self.rng.choice(toks)
        for s, e in spans:
            if s <= t.start < e:
                new = (ko[:s] + ko[e:]).replace("  ", " ").strip()
                return new, MAJOR if t.tag in ("NNG", "NNP", "VV", "VA", "SN") else MINOR, "omission-word"
        return None

    def drop_clause(self, en, ko):
        # a clause: up to and including a comma or a connective ending (EC) that closes an eojeol
        cuts = [0] + [t.start + t.len for t in self.tokens(ko)
                      if (t.tag == "EC" or t.form == ",") and t.start + t.len < len(ko) - 3
                      and (t.start + t.len >= len(ko) or not ko[t.start + t.len].isalnum())]
        if len(cuts) < 2:
            return None
        i = self.rng.randrange(len(cuts) - 1)
        new = (ko[:cuts[i]] + ko[cuts[i + 1]:]).strip(" ,")
        if len(new) < 0.3 * len(ko) or new == ko:
            return None
        return new, MAJOR, "omission-clause"

    def substitute(self, en, ko, tags=("NNG", "VV", "VA", "MAG"), kind="mistranslation"):
        toks = [t for t in self.tokens(ko) if t.tag in tags and len(t.form) >= 2 and ko[t.start:t.start + t.len] == t.form]
        if not toks:
            return None
        t = self.rng.choice(toks)
        choices = self.vocab.get(t.tag) or []
        if not choices:
            return None
        new_form = self.rng.choice(choices)
        if new_form == t.form:
            return None
        return ko[:t.start] + new_form + ko[t.start + t.len:], MAJOR, kind

    def swap_name(self, en, ko):
        return self.substitute(en, ko, tags=("NNP",), kind="wrong-name")

    def negate(self, en, ko):
        m = re.search(r"(?:^|\s)(안|못)\s", ko)
        if m and self.rng.random() < 0.5:
            return ko[:m.start(1)] + ko[m.end():], MAJOR, "negation"
        # insert a short negation before the last predicate eojeol
        preds = [t for t in self.tokens(ko) if t.tag in ("VV", "VA")]
        if not preds:
            return None
        t = preds[-1]
        s = ko.rfind(" ", 0, t.start) + 1
        return ko[:s] + "안 " + ko[s:], MAJOR, "negation"

    def change_number(self, en, ko):
        digits = [m for m in re.finditer(r"\d", ko)]
        if not digits:
            return None
        m = self.rng.choice(digits)
        d = str((int(m.group(0)) + self.rng.randint(1, 9)) % 10)
        return ko[:m.start()] + d + ko[m.end():], MAJOR, "number"

    def add_words(self, en, ko):
        other = self.rng.choice(self.pool).split()
        spans = _eojeol_spans(ko)
        if len(other) < 2 or not spans:
            return None
        n = self.rng.randint(1, min(3, len(other)))
        j = self.rng.randrange(len(other) - n + 1)
        s = self.rng.choice(spans)[0]
        return ko[:s] + " ".join(other[j:j + n]) + " " + ko[s:], MAJOR if n > 1 else MINOR, "addition"

    def leave_english(self, en, ko):
        ew, spans = en.split(), _eojeol_spans(ko)
        if len(ew) < 3 or len(spans) < 2:
            return None
        n = self.rng.randint(1, min(3, len(ew)))
        j = self.rng.randrange(len(ew) - n + 1)
        s, e = self.rng.choice(spans)
        return ko[:s] + " ".join(ew[j:j + n]) + ko[e:], MAJOR, "untranslated"

    def reorder(self, en, ko):
        spans = _eojeol_spans(ko)
        if len(spans) < 4:
            return None
        i = self.rng.randrange(len(spans) - 1)
        (a, b), (c, d) = spans[i], spans[i + 1]
        return ko[:a] + ko[c:d] + " " + ko[a:b] + ko[d:], MINOR, "word-order"

    DAMAGES = ("drop_word", "drop_clause", "substitute", "swap_name", "negate", "change_number", "add_words",
               "leave_english", "reorder")
    DAMAGE_WEIGHTS = (3, 2, 4, 1, 1, 1, 2, 1, 1)

    def damage(self, en: str, ko: str) -> Damaged:
        """The pair with a random number of damages (possibly none) drawn for its length."""
        if self.rng.random() < 0.03:
            other = self.rng.choice(self.pool)
            if other != ko:
                return Damaged(en, other, 25.0, ("detached",))
        rate = self.rng.choice(ERROR_RATES)
        n_words = len(en.split())
        k = sum(self.rng.random() < rate for _ in range(n_words))
        weight, kinds = 0.0, []
        for _ in range(min(k, 6)):
            for _attempt in range(4):
                name = self.rng.choices(self.DAMAGES, weights=self.DAMAGE_WEIGHTS)[0]
                out = getattr(self, name)(en, ko)
                if out and out[0].strip() and out[0] != ko:
                    ko, w, kind = out
                    weight += w
                    kinds.append(kind)
                    break
        return Damaged(en, ko, weight, tuple(kinds))
