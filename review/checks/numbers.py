"""Numbers, years and dates that differ between the English and the Korean.

Korean forms are read as values: ``1884년 1월 19일`` gives 1884, 1 and 19 (the
English ``19 January 1884`` gives 19, 1 and 1884); ``110억 달러`` is 11e9, as is
``$11 billion``; ``1927년부터 29년까지`` reads the short year as 1929.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import CITATION_RE, span
from review.records import Category, Severity

EN_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
             "b": 1e9, "trillion": 1e12, "tn": 1e12}
KO_SCALES = {"조": 1e12, "억": 1e8, "천만": 1e7, "백만": 1e6, "십만": 1e5, "만": 1e4, "천": 1e3, "백": 1e2}
MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
WORDS.update({"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
              "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
              "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "first": 1, "second": 2, "third": 3,
              "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
              "twice": 2, "half": 0.5, "ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9})

EN_NUM_RE = re.compile(r"(?<![\d,])(?<!\d\.)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(thousand|million|billion|trillion|"
                       r"bn|mn|tn|[mkb])s?\b)?", re.IGNORECASE)
# A clock time: "10:00", "19:30", "7.55am".  Korean writes hours and minutes apart ("10시", "오후 7시 30분").
# A dot separates hours and minutes only before am/pm ("2.94 million" is a decimal).
CLOCK_RE = re.compile(r"(?<![\d.:,])([01]?\d|2[0-4])(?::([0-5]\d)(?![\d.,]\d)(?:\s*(am|pm|a\.m\.|p\.m\.|h\b))?"
                      r"|\.([0-5]\d)\s*(am|pm|a\.m\.|p\.m\.))", re.IGNORECASE)
# Words that stand for a number in Korean renderings: "teenagers" -> "10대", "a decade" -> "10년", "trio" -> "3인조".
NUMBER_WORDS = {"teen": 10, "teens": 10, "teenage": 10, "teenager": 10, "teenagers": 10, "decade": 10, "decades": 10,
                "duo": 2, "pair": 2, "trio": 3, "quartet": 4, "thirds": 3, "quarters": 4, "fourths": 4, "fifths": 5,
                "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9,
                # fractions by their denominator: "one-thousandth" -> "1/1000", "a hundredth" -> "100분의 1"
                "hundredth": 100, "hundredths": 100, "thousandth": 1000, "thousandths": 1000, "millionth": 1e6,
                "millionths": 1e6}
# "2천 만" (spaced) is 2천만, "5백억" 500억: a bare 만/억/조 may follow a group of 천/백
_KO_GROUP = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:조|억|천만|백만|십만|만|(?:천|백)(?:\s?(?:만(?!약|큼|들|나|난|든|일|족|점)|억|조))?)"
# "37만 5,000" is 375,000: a plain number may close a group of 만/억/조 units
KO_NUM_RE = re.compile(r"(?<![\d,])(?<!\d\.)(?:(?:%s)(?:\s*%s)*(?:(?<=[만억조])\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d.]))?"
                       r"|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)" % (_KO_GROUP, _KO_GROUP))
_KO_PART_RE = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(조|억|천만|백만|십만|만|천|백)?")
_KO_TOKEN_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)|([조억만천백십])")


def _korean_value(text: str) -> float:
    """The value of digits grouped by Korean units: "3천5백만" = (3000 + 500) x 1e4, "1억 2천만" = 1e8 + 2e7,
    "5백억" = 500 x 1e8, "37만 5,000" = 375,000."""
    total, small, current = 0.0, 0.0, None
    for digits, unit in _KO_TOKEN_RE.findall(text):
        if digits:
            current = float(digits.replace(",", ""))
        elif unit in SINO_SMALL:   # the same unit words as spelled-out numbers (below)
            small += (1.0 if current is None else current) * SINO_SMALL[unit]
            current = None
        else:
            total += (small + (current or 0.0)) * SINO_LARGE[unit]
            small, current = 0.0, None
    return total + small + (current or 0.0)


@dataclass(frozen=True)
class Number:
    """A number found in a text: its span and the values it may stand for."""

    start: int
    end: int
    values: tuple[float, ...]
    strong: bool  # worth reporting when missing on the other side (not a small count Korean may spell out)
    approx: tuple[float, ...] = ()  # values a translator may round to (an imperial measure in metric units)
    won: bool = False  # ``approx`` holds won values (a dollar amount): they match only an amount in 원


def _base(intpart: str, frac: str | None) -> float:
    return float(intpart.replace(",", "") + ("." + frac if frac else ""))


# Numbers inside links, @handles and hashtags are not figures a translation must carry ("fb.me/AdNY5LTS",
# "#mar15" -> "#3월15일"); "#1" alone is a rank and stays.
_NOT_FIGURES_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.[a-z]{2,4}/\S+|[@#]\w*[^\W\d_]\w*")


def _masked(text: str) -> str:
    """The text with citation markers (the citation check's business), links, handles and hashtags blanked out."""
    text = CITATION_RE.sub(lambda m: " " * len(m.group()), text)
    return _NOT_FIGURES_RE.sub(lambda m: " " * len(m.group()), text)


def english_numbers(text: str) -> list[Number]:
    text = _masked(text)
    out = []
    clocks = [(m.start(), m.end()) for m in CLOCK_RE.finditer(text)]
    for m in CLOCK_RE.finditer(text):
        group = 2 if m.group(2) else 4
        hour, minute, half = int(m.group(1)), int(m.group(group)), (m.group(group + 1) or "").lower()
        hours = {hour, hour % 12 or 12, hour + 12 if half.startswith("p") and hour < 12 else hour}
        if group == 4:
            hours.add(float(f"{hour}.{m.group(4)}"))  # "5.30pm" kept as "오후 5.30"
        out.append(Number(m.start(1), m.end(1), tuple(float(h) for h in sorted(hours)), True))
        # ":00" is not a number a Korean time writes ("10:00" = "10시"); other minutes are, except in "5.30pm",
        # which a Korean text may keep whole ("오후 5.30", matched by the hour's decimal value above)
        out.append(Number(m.start(group), m.end(group), (float(minute),), minute != 0 and group == 2))
    for m in EN_NUM_RE.finditer(text):
        if any(a <= m.start() < b for a, b in clocks):
            continue
        base = _base(m.group(1), m.group(2))
        scale = m.group(3)
        if scale and len(scale) == 1 and not re.match(r"[$£€]", text[max(0, m.start() - 1):m.start()]):
            scale = None  # "5m" is five metres; "$5m" is five million dollars
        values = (base * EN_SCALES[scale.lower()],) if scale else (base,)
        end = m.end() if scale else m.start() + len(m.group(1)) + (len(m.group(2)) + 1 if m.group(2) else 0)
        strong = not re.match(r"\s*[ap]\.?m\b", text[end:end + 5], re.IGNORECASE)  # "7.55am": a time, split below
        out.append(Number(m.start(), end, values, strong))
    # a month glued to an ordinal ("29thJune") is still a month
    for m in re.finditer(r"(?:\b|(?<=\d[snrt][tdh]))([A-Za-z]+)\b", text):
        word, w = m.group(1), m.group(1).lower()
        if w not in MONTHS and w not in WORDS:
            continue  # most words: no number, and no need for the look-arounds below
        near_digit = bool(re.search(r"\d", text[max(0, m.start() - 5):m.end() + 6]))
        abbreviated = text[m.end():m.end() + 1] == "." and len(w) >= 3
        if w in MONTHS and word[0].isupper() and (len(w) > 3 and w != "may" or near_digit or abbreviated):
            out.append(Number(m.start(), m.end(), (float(MONTHS[w]),), True))
        elif word == "May" and re.search(r"\b(?:in|since|until|from|of|last|next|this|early|late|mid|by)[\s-]+$",
                                         text[:m.start()]):
            out.append(Number(m.start(), m.end(), (5.0,), True))
        elif w in WORDS and not (w in ("ii", "iii", "iv", "vi", "vii", "viii", "ix") and not word.isupper()):
            value = float(WORDS[w])
            scale = re.match(r"\s+(thousand|million|billion|trillion)\b", text[m.end():], re.IGNORECASE)
            out.append(Number(m.start(), m.end(), (value * EN_SCALES[scale.group(1).lower()],) if scale else (value,),
                              False))
    for m in re.finditer(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|"
                         r"seven|eight|nine)\b", text, re.IGNORECASE):
        out.append(Number(m.start(), m.end(), (float(WORDS[m.group(1).lower()] + WORDS[m.group(2).lower()]),), False))
    for m in re.finditer(r"\b(?:(a|an|one|per|each|two|three|four|five)\s+)(decades?|day|week|month|year|hour|"
                         r"minute|time|quarter|century)\b", text, re.IGNORECASE):
        word = m.group(1).lower()
        count = 1.0 if word in ("a", "an", "per", "each") else float(WORDS[word])
        unit = m.group(2).lower()
        value = count * (10 if unit.startswith("decade") else 15 if unit == "quarter" else 1)
        out.append(Number(m.start(), m.end(), (value, count), False))
    for m in re.finditer(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", text, re.IGNORECASE):
        out.append(Number(m.start(), m.end(), (float(NUMBER_WORDS[m.group(1).lower()]),), False))
    for m in re.finditer(r"\ba\s+(thousand|million|billion|trillion)\b", text, re.IGNORECASE):
        out.append(Number(m.start(), m.end(), (EN_SCALES[m.group(1).lower()],), False))  # "a million" -> "100만"
    for m in re.finditer(r"\b(" + "|".join(w for w, v in WORDS.items() if 1 <= v <= 12 and v == int(v))
                         + r")[\s-]+and[\s-]+a[\s-]+half\b", text, re.IGNORECASE):
        out.append(Number(m.start(), m.end(), (WORDS[m.group(1).lower()] + 0.5,), False))  # "four-and-a-half" -> 4.5
    for m in re.finditer(r"\bhalf (?:a |an )?(million|billion|thousand)\b", text, re.IGNORECASE):
        out.append(Number(m.start(), m.end(), (0.5 * EN_SCALES[m.group(1).lower()],), True))
    for m in re.finditer(r"\b(this|last|next|the present|the current|the past)\s+century\b", text, re.IGNORECASE):
        # "by the end of this century" -> "21세기 말": Korean names the century by its number
        out.append(Number(m.start(), m.end(), (19.0, 20.0, 21.0, 22.0), False))
    out = [_with_metric(_with_won(n, text), text) for n in out]
    out = _distribute_scales(out, text)
    for m in re.finditer(r"(?<!\d)(1[5-9]|20)?(\d)0s\b", text):
        # a decade: "the 1980s", "the 80s" -> "1980년대", "80년대"
        decade = int(m.group(2)) * 10
        values = (float((int(m.group(1)) * 100 if m.group(1) else 1900) + decade), float(decade))
        out = [Number(n.start, n.end, (*n.values, *values), n.strong) if n.start == m.start() else n for n in out]
    for m in re.finditer(r"(?<!\d)((?:1[5-9]|20)\d)(\d)\s*[-–]\s*(\d{2})(?!\d)", text):
        # a range of years written short: "1992-95" -> the Korean "1992~1995년"
        for n in out:
            if n.start == m.start(3):
                full = float(int(m.group(1)) // 10 * 100 + int(m.group(3)))
                out[out.index(n)] = Number(n.start, n.end, (*n.values, full), n.strong)
    return out


# Imperial measures Korean translations give in metric units ("30,000 feet" -> "9.1km", "239 miles" -> "385km"):
# the English unit's pattern and what one of it is in the metric units Korean writes.
IMPERIAL = [
    (r"(?:feet|foot|ft)\b", (0.3048, 0.0003048)),                 # m, km
    (r"(?:miles?|mi)\b", (1.609344, 1609.344)),                    # km, m
    (r"(?:inch(?:es)?|in\.)", (2.54, 25.4)),                       # cm, mm
    (r"(?:yards?|yd)\b", (0.9144,)),                                # m
    (r"(?:pounds?|lbs?)\b", (0.45359237,)),                         # kg
    (r"(?:ounces?|oz)\b", (28.349523,)),                            # g
    (r"(?:gallons?)\b", (3.785411784,)),                            # l
    (r"(?:acres?)\b", (0.40468564, 4046.8564, 1224.17)),             # ha, m², 평
    (r"(?:square miles?|sq\.? mi)\b", (2.58998811,)),               # km²
    (r"(?:square feet|sq\.? ft)\b", (0.09290304,)),                 # m²
    (r"(?:mph|miles per hour)\b", (1.609344,)),                     # km/h
]
_IMPERIAL_RE = [(re.compile(r"\s*(?:-\s*)?" + unit, re.IGNORECASE), factors) for unit, factors in IMPERIAL]
_FAHRENHEIT_RE = re.compile(r"\s*(?:°\s*F\b|degrees? Fahrenheit|F\b)", re.IGNORECASE)


def _with_metric(n: Number, text: str) -> Number:
    """A measure in imperial units, with the metric values a translator converts it to (approximate)."""
    after = text[n.end:n.end + 24]
    for pattern, factors in _IMPERIAL_RE:
        if pattern.match(after):
            return Number(n.start, n.end, n.values, n.strong, tuple(v * f for v in n.values for f in factors))
    if _FAHRENHEIT_RE.match(after):
        return Number(n.start, n.end, n.values, n.strong, tuple((v - 32) * 5 / 9 for v in n.values))
    return n


# Dollars a Korean translation gives in won ("$620,000" -> "약 7억 원"): the won per dollar a translator converts
# at (1,000-1,470 with the tolerance below); the Korean figure must be an amount in 원.
WON_PER_DOLLAR = (1000.0, 1100.0, 1200.0, 1300.0, 1400.0)
_DOLLARS_AFTER_RE = re.compile(r"\s*(?:(?:thousand|million|billion|trillion|bn|mn|[mkb])\s*)?(?:US\s+)?dollars?\b",
                               re.IGNORECASE)


def _with_won(n: Number, text: str) -> Number:
    """A dollar amount, with the won values a translator converts it to (approximate)."""
    if not (re.search(r"(?:US|U\.S\.)?\$\s*$", text[max(0, n.start - 4):n.start]) or _DOLLARS_AFTER_RE.match(text, n.end)):
        return n
    return Number(n.start, n.end, n.values, n.strong, n.approx + tuple(v * r for v in n.values for r in WON_PER_DOLLAR),
                  won=True)


# "three or four or five thousand", "2 to 3 million": the scale at the end applies to every number of the run.
_SHARED_SCALE_RE = re.compile(r"((?:\s*(?:,|or|to|and|-|–)\s*[\w.,]+){1,3}?)\s+(thousand|million|billion|trillion)\b",
                              re.IGNORECASE)


def _distribute_scales(numbers: list[Number], text: str) -> list[Number]:
    out = []
    for n in numbers:
        m = _SHARED_SCALE_RE.match(text, n.end)
        if m and len(n.values) == 1 and all(
                re.fullmatch(r"[\d.,]+|" + "|".join(WORDS), w, re.IGNORECASE)
                for w in re.findall(r"[\w.,]+", m.group(1)) if w.lower() not in ("or", "to", "and")):
            scaled = n.values[0] * EN_SCALES[m.group(2).lower()]
            n = Number(n.start, n.end, (*n.values, scaled), n.strong or scaled >= 1000, n.approx, n.won)
        out.append(n)
    return out


# Korean numerals in words, as Kiwi tags them (NR numerals, MM determiners): "열 다섯 마리", "스무 살", "오천 달러".
NATIVE_NUMERALS = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4,
                   "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "스물": 20, "스무": 20, "서른": 30,
                   "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70, "여든": 80, "아흔": 90}
SINO_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
SINO_SMALL = {"십": 10, "백": 100, "천": 1000}
SINO_LARGE = {"만": 1e4, "억": 1e8, "조": 1e12}


def numeral_value(word: str) -> float | None:
    """The value of a Korean numeral written in words ("열다섯" 15, "오천" 5000, "천오백만" 15e6), else None."""
    if not word:
        return None
    if word in NATIVE_NUMERALS:
        return float(NATIVE_NUMERALS[word])
    for tens in ("열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"):
        if word.startswith(tens) and word[len(tens):] in NATIVE_NUMERALS:
            return float(NATIVE_NUMERALS[tens] + NATIVE_NUMERALS[word[len(tens):]])
    total, section, digit = 0.0, 0.0, None
    for ch in word:
        if ch in SINO_DIGITS:
            if digit is not None:
                return None
            digit = SINO_DIGITS[ch]
        elif ch in SINO_SMALL:
            section += (digit or 1) * SINO_SMALL[ch]
            digit = None
        elif ch in SINO_LARGE:
            total += (section + (digit or 0) or 1) * SINO_LARGE[ch]
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)


def spelled_numbers(tokens) -> list[Number]:
    """Numbers written in Korean words: runs of Kiwi NR tokens (and numeral determiners, MM).

    Adjacent numeral tokens form one number ("천 오백만" 15e6, "열 다섯" 15).  These only
    confirm an English number; a number spelled out in Korean alone is not reported.
    """
    out: list[Number] = []
    run: list = []

    def close():
        if run:
            value = numeral_value("".join(t.form for t in run))
            parts = [numeral_value(t.form) for t in run]
            values = {v for v in [value, *parts] if v is not None}
            if values:
                out.append(Number(run[0].start, run[-1].end, tuple(sorted(values)), False))
        run.clear()

    for t in tokens:
        numeral = t.tag == "NR" or (t.tag == "MM" and t.form in NATIVE_NUMERALS)
        if numeral and (not run or t.start - run[-1].end <= 1):
            run.append(t)
            continue
        close()
        if numeral:
            run.append(t)
    close()
    return out


def korean_numbers(text: str) -> list[Number]:
    text = _masked(text)
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})\s*년", text)]
    out = []
    for m in KO_NUM_RE.finditer(text):
        parts = _KO_PART_RE.findall(m.group())
        if any(unit for _, unit in parts):
            total = _korean_value(m.group())
            values: tuple[float, ...] = (total,)
            if len(parts) == 1 and parts[0][1] == "조" and "." not in parts[0][0]:
                values = (total, float(parts[0][0].replace(",", "")))  # "22조(항)", "제22조": Article 22
        else:
            base = float(m.group().replace(",", ""))
            values = (base,)
            after = text[m.end():m.end() + 1]
            if after == "년" and len(m.group()) == 2 and years:
                # "1927년부터 29년까지": a short year completed from a full one in the same text
                century = years[0] // 100 * 100
                values = (base, century + base)
        out.append(Number(m.start(), m.end(), values, True, won=bool(re.match(r"\s*원", text[m.end():]))))
    return out


# Converted measures match the Korean within this share: 30,000 feet = 9,144 m, written "9.1km".
CONVERSION_TOLERANCE = 0.05


def _matches(a: Number, b: Number) -> bool:
    if any(abs(x - y) <= 1e-6 * max(1.0, abs(x)) for x in a.values for y in b.values):
        return True
    return (a.won == b.won and any(abs(x - y) <= CONVERSION_TOLERANCE * abs(x) for x in a.approx for y in b.values)) \
        or (a.won == b.won and any(abs(x - y) <= CONVERSION_TOLERANCE * abs(x) for x in b.approx for y in a.values))


@check("number-mismatch", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="number", needs=("source",))
def number_mismatch(pair: CheckPair, ctx: DocumentContext):
    """A number, year or date in the Korean differs from the English."""
    if not pair.src.strip() or not pair.tgt.strip():
        return []
    me = CHECKS["number-mismatch"]
    en, ko = english_numbers(pair.src), korean_numbers(pair.tgt)
    if not en and not ko:
        return []
    out = []
    spelled = spelled_numbers(ctx.signal(pair).tokens) if ctx.has_lm else []
    unmatched_en = [n for n in en if not any(_matches(n, k) for k in [*ko, *spelled])]
    weekday = re.search(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:yesterday|today|tomorrow|last week)\b",
                        pair.src, re.IGNORECASE)
    for k in ko:
        if any(_matches(k, n) for n in en):
            continue
        text = pair.tgt[k.start:k.end]
        if weekday and pair.tgt[k.end:k.end + 1] == "일":
            continue  # "Saturday" -> "25일": Korean news gives the date for a weekday
        candidates = [pair.src[n.start:n.end] for n in unmatched_en if n.strong]
        if k.values == (1.0,) and not unmatched_en:
            continue  # "1위", "1시간", "1개": Korean counts what English says with a, an, top, first
        small = all(v <= 12 for v in k.values) and not candidates \
            and not re.match(r"\s*(?:%|퍼센트|프로)", pair.tgt[k.end:k.end + 5])
        out.append(me.finding(f"{text!r} is not in the English" + (f" (the English has {', '.join(candidates)})"
                                                                 if candidates else ""),
                              tgt_spans=[span(pair.tgt, k.start, k.end)],
                              src_spans=[span(pair.src, n.start, n.end) for n in unmatched_en if n.strong][:3],
                              suggestion=candidates[0] if len(candidates) == 1 else None,
                              severity=Severity.MINOR if small else Severity.MAJOR))
    reported = {s.start for f in out for s in f.src_spans}
    for n in unmatched_en:
        if n.strong and n.start not in reported:
            out.append(me.finding(f"{pair.src[n.start:n.end]!r} from the English is missing in the Korean",
                                  src_spans=[span(pair.src, n.start, n.end)]))
    return out
