"""Checks on the language and characters of the Korean: English left in, copies, wrong scripts, encoding."""
from __future__ import annotations

import re

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import LATIN_RUN_RE, hangul_count, latin_letters, script_of, span
from review.records import Category, Severity

ACRONYM_RE = re.compile(r"^(?:[A-Z][A-Z0-9&\-]{1,7}|[A-Z]\.(?:[A-Z]\.)+|[A-Z]{1,4}\d{1,3}|\d*[A-Z]{2,}s?)$")
URL_RE = re.compile(r"(?:https?://|www\.)[\w./%?=&#~:-]+|[\w.+-]+@[\w-]+\.[A-Za-z.]+|[\w.-]+\.(?:com|org|net|kr|io|gov|co\.uk)"
                    r"(?![A-Za-z])[\w/%?=&#~.-]*|[#@]\w+")
# Units and symbols that Korean text keeps in Latin letters
UNITS = frozenset("km m cm mm kg g mg lb lbs kph mph km/h ml l ft in oz mb gb tb kb hz khz mhz ghz kw mw gw kwh "
                  "am pm a.m p.m vs etc".split())
# Scientific symbols Korean text keeps in Latin letters, case as written ("pH농도", "mRNA 백신")
SYMBOLS = frozenset("pH mRNA tRNA rRNA pKa".split())
REFERENCE_RE = re.compile(r"ISBN|Retrieved|\bpp?\.\s*\d|\(\d{4}\)\.|\bUniversity Press\b|^\s*\d+\.\s*\^|^\s*\^")


def looks_like_reference(text: str) -> bool:
    """A bibliography entry or footnote, whose titles stay in their original language."""
    return bool(REFERENCE_RE.search(text))


# Closing quotes and brackets that may stand between a Korean form and its gloss: '효과와 학습'(Impact and Learning)
_CLOSERS = "'\"’”»》>」』"
# A gloss whose Hangul scores at least this as a transliteration of its Latin (glossary.translit_score, in
# [0, 1]) spells the same name: 코무치/Komuch 0.50, 러시덴/Rushden 0.49, 우스터셔/Worcestershire 0.36, where
# translations score below 0.2 (내무부/Ministry of Internal Affairs 0.17, 판본/Edition 0.08).
GLOSS_TRANSLIT_MIN = 0.3


def _gloss_form(tgt: str, start: int, end: int) -> str | None:
    """The Korean form a Latin run glosses, or None when the run is not a gloss.

    A gloss is Latin text in brackets right after its Korean form, as Korean style writes the original of
    a name or term at its first mention: ``코무치(Komuch)``, ``러시덴(Rushden, Northamptonshire)`` (a list
    of Latin items), ``'효과와 학습'(Impact and Learning)``, ``밤부셔(Bambuser, 본명: ...)``.  Returned: the
    Hangul words before the bracket, as many as the gloss has words (at most 3), for a transliteration test.
    """
    after = tgt[end:].lstrip()
    if not after or after[0] not in "),;":
        return None
    before = tgt[:start]
    opening = before.rfind("(")
    if opening < 0 or ")" in before[opening:]:
        return None
    inside = before[opening + 1:]
    if inside.strip() and (hangul_count(inside) or not re.fullmatch(r"[^()]*[,;&]\s*", inside)):
        return None  # only a first item, or a later item of a Latin list, is part of the gloss
    head = before[:opening].rstrip().rstrip(_CLOSERS)
    if head and ACRONYM_RE.match(head.split()[-1]) and not hangul_count(head.split()[-1]):
        return ""  # an acronym's expansion: HMC(Headmasters' and Headmistresses' Conference)
    if not head or hangul_count(head[-1]) != 1:
        return None
    words = re.findall(r"[\uac00-\ud7a3]+", head.split("(")[-1])[-3:]
    n = min(3, max(1, len(tgt[start:end].split())))
    return " ".join(words[-n:])


def _is_gloss(tgt: str, start: int, end: int) -> bool:
    """The Latin run is a parenthetical gloss right after its Korean form: ``코무치(Komuch)``."""
    return _gloss_form(tgt, start, end) is not None


_MINOR_WORDS = frozenset("of the and for on in at to a an & de".split())


def _initials_in_source(acronym: str, src: str) -> bool:
    """An acronym whose letters are the initials of a run of capitalised words in the English: the Korean
    translates the name and glosses its acronym, ``항공안전네트워크(ASN)`` for "the Aviation Safety Network"."""
    if not re.fullmatch(r"[A-Z]{2,6}", acronym):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", src) if w.lower() not in _MINOR_WORDS]
    n = len(acronym)
    return any("".join(w[0] for w in words[i:i + n]) == acronym and all(w[0].isupper() for w in words[i:i + n])
               for i in range(len(words) - n + 1))


def _gloss_supported(text: str, form: str, src: str) -> bool:
    """A gloss that gives the English's own term, or the original of a name its Hangul transliterates: the
    standard Korean convention, not English left untranslated."""
    if _in_source(text, src, fold_case=True) or _initials_in_source(text, src):
        return True
    from glossary.translit_score import default_scorer
    return bool(form) and default_scorer().score(text, form) >= GLOSS_TRANSLIT_MIN


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


# Initials, with or without spaces and a final dot: "H.G.", "H. G.", "J.R.R".
INITIALS_RE = re.compile(r"^[A-Z]\.(?:\s?[A-Z]\.?)+$")
# Common words of English and of the other languages Korean text quotes in Latin letters: a Latin run
# that is not English (a French or Latin quotation) is not "untranslated English".
_ENGLISH_WORDS = frozenset("""the of and to in is are was were be been for on that with as by at from it its this
these those an or not but have has had we you he she they his her their our will would can could should may
might must do does did what which who when where how there here all any some no more most about into than
then so if my your me him them us i a""".split())
_OTHER_WORDS = frozenset("""le la les des du un une est et il elle ils nous vous je ne pas pour dans sur qui
que au aux ce cette sont être faut bien très mais avec der die das und ist nicht ein eine einen dem den zu
mit von auf sich auch es ich wir sie für el los las y del por con una es lo se su sus al como más pero
il di che non per sono della delle gli nel est sunt et cum ad ab ex pro sine quod quo qui quae deus vita""".split())


FOREIGN_QUOTE_WORDS = 3  # a single foreign word or name is judged as a name, not as a quotation


def looks_english(text: str) -> bool:
    """Whether a run of Latin-script words reads as English (not French, German, Latin...).

    Function words decide; letters with diacritics count for another language.  A run without
    either (a name, a single word) is taken as English, which it is most often in a translation.
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in _ENGLISH_WORDS for w in words)
    other = sum(w in _OTHER_WORDS for w in words) + sum(1 for c in text if c.isalpha() and not c.isascii())
    return not (other > english and other >= 1)


def _name_like(text: str) -> bool:
    """A proper name or title: every word capitalised or a brand's inner capital ("YouTube", "iPhone"),
    allowing the particles names carry ("Ludwig van Beethoven", "House of Commons")."""
    words = re.findall(r"[^\s]+", text)
    # and the small words of titles ("Proud by Heather Small", "I Love it", "Gone with the Wind")
    particles = {"van", "von", "de", "der", "den", "du", "da", "di", "la", "le", "of", "the", "and", "for", "on",
                 "in", "&", "bin", "al", "y", "by", "a", "an", "to", "at", "with", "from", "it"}
    return bool(words) and all(w[0].isupper() or w[0].isdigit() or w.lower() in particles
                               or (w[0].islower() and any(c.isupper() for c in w[1:])) for w in words) \
        and any(c.isupper() for c in text)


def _in_source(text: str, src: str, fold_case: bool = False) -> bool:
    """The Latin run appears in the English as written (initials compared without their spaces; with
    ``fold_case``, case ignored too)."""
    if not src:
        return False
    squeeze = lambda t: re.sub(r"(?<=\.)\s+", "", t)  # noqa: E731 - "H. G. Wells" = "H.G. Wells"
    return re.search(r"(?<![\w])" + re.escape(squeeze(text)) + r"(?![\w])", squeeze(src),
                     re.IGNORECASE if fold_case else 0) is not None


def _english_form(text: str, src: str) -> str | None:
    """How the English writes a Latin run that the Korean keeps, when it differs only in case or in the
    spaces and hyphens between its words ("Muhammad Ali center" / "Muhammad Ali Center",
    "FT Chinese" / "FTChinese"); None when the English does not have it."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", text) if w]
    if not src or not words:
        return None
    m = re.search(r"(?<![\w])" + r"[\s-]?".join(words) + r"(?![\w])", src, re.IGNORECASE)
    return m.group() if m else None


def _name_the_english_has(text: str, before: str, src: str) -> bool:
    """The Latin run is a name the English has: as written, with other case or spacing ("Muhammad Ali center"
    for "Center"), or an identifier with digits written as the English writes it ("3arabawy", a user name;
    ``before`` is the Korean before the run, whose trailing digits belong to it)."""
    if _name_like(text) and _in_source(text, src):
        return True
    glued = re.search(r"\d*$", before).group() + text
    form = _english_form(glued, src)
    return form is not None and (_name_like(form) or (form == glued and any(c.isdigit() for c in form)))


def _label_the_english_has(text: str, tgt: str, start: int, src: str) -> bool:
    """The run is the label that opens both texts, a speaker or user name before a colon ('senthilnath: RT @...'),
    written as the English writes it: a name, lowercase or not."""
    return not tgt[:start].strip() and tgt[start + len(text):].lstrip().startswith(":") \
        and src.lstrip().startswith(text) and src.lstrip()[len(text):].lstrip().startswith(":")


def _run_text(run: str) -> str:
    """A Latin run as the check judges it: trailing hyphens, quotes and spaces off, and a final period
    unless the run is initials ("H.G.")."""
    text = run.rstrip("-'’ ")
    return text if INITIALS_RE.match(text) else text.rstrip(".")


def _glossed_before(ctx: DocumentContext, pair: CheckPair, text: str) -> bool:
    """An earlier pair of the document already glosses ``text``: a gloss belongs to the first mention."""
    def first_gloss():
        first: dict[str, int] = {}
        for p in ctx.pairs:
            if "(" not in p.tgt:
                continue
            for m in LATIN_RUN_RE.finditer(p.tgt):
                text = _run_text(m.group())
                if _is_gloss(p.tgt, m.start(), m.start() + len(text)):
                    first.setdefault(text, p.index)
        return first
    return ctx._memo("first_gloss", first_gloss).get(text, pair.index) < pair.index


def _kept_in_latin(ctx: DocumentContext, name: str) -> bool:
    """The document writes ``name`` in Latin letters in several pairs (the policy's ``kept-name-pairs``,
    2 by default): kept on purpose.  One occurrence shows no choice: machine translation leaves unknown
    names in Latin one at a time.

    Writing the same name in Hangul elsewhere is an inconsistency the name checks report
    (``name-inconsistent``, ``name-untranslated``); this only says the Latin form recurs.
    """
    def count_latin_runs():
        counts: dict[str, int] = {}
        for p in ctx.pairs:
            for run in {m.group().rstrip(".-'’ ") for m in LATIN_RUN_RE.finditer(p.tgt)}:
                for part in {run, *run.split()}:
                    counts[part] = counts.get(part, 0) + 1
        return counts
    return ctx._memo("latin_runs", count_latin_runs).get(name, 0) >= ctx.policy.threshold("kept-name-pairs")


@check("untranslated", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="untranslated", priority_share=0.3)
def untranslated(pair: CheckPair, ctx: DocumentContext):
    """English left in the Korean: a bare word or name, a gloss, or the whole segment."""
    me = CHECKS["untranslated"]
    policy = ctx.policy
    tgt = pair.tgt
    letters = _letters(tgt)
    if not letters:
        return []
    in_reference_section = ctx.in_references(pair)
    reference = in_reference_section or looks_like_reference(tgt)
    if hangul_count(tgt) == 0 and latin_letters(tgt) >= 0.6 * letters:
        if in_reference_section:
            return []  # a bibliography entry keeps its original language, as Korean Wikipedia does
        if not looks_english(tgt) and _in_source(tgt.strip(), pair.src):
            return []  # a French or Latin quotation the English quotes too: kept in its language on purpose
        if policy.allows_latin(tgt) or policy.ignores(tgt):
            return []
        n_words = len(re.findall(r"[A-Za-z]+", tgt))
        sev = Severity.MINOR if reference else (Severity.CRITICAL if n_words >= 3 else Severity.MAJOR)
        if sev is Severity.MAJOR and _name_like(tgt.strip()) and _in_source(tgt.strip(), pair.src) \
                and _kept_in_latin(ctx, tgt.strip()):
            sev = policy.severity(policy.latin_names)  # a name alone, kept as the English writes it
            if sev is None:
                return []
        return me.finding("the segment is not translated: it is English", tgt_spans=[span(tgt, 0, len(tgt))],
                          severity=sev)
    urls = [(m.start(), m.end()) for m in URL_RE.finditer(tgt)] + \
        [(m.start(), m.end()) for m in ENTITY_RE.finditer(tgt)] + \
        [(m.start() - 1, m.end()) for m in MOJIBAKE_RE.finditer(tgt)]  # entities and mojibake: the encoding check's
    out = []
    for m in LATIN_RUN_RE.finditer(tgt):
        start = m.start()
        text = _run_text(m.group())
        end = start + len(text)
        if not any(c.isalpha() for c in text) or any(a <= start < b or start <= a < end for a, b in urls):
            continue
        if policy.allows_latin(text) or policy.ignores(text):
            continue  # an acronym Korean writes in Latin (EU, FBI), a do-not-translate term, a dismissed text
        words = text.split()
        n_words = len(words)
        why, kept_name = None, False
        if reference:
            sev, why = Severity.MINOR, "in a reference entry"
        elif (form := _gloss_form(tgt, start, end)) is not None:
            if _glossed_before(ctx, pair, text):
                sev, why = policy.severity(policy.repeated_glosses), "a gloss repeated after its first mention"
            elif _gloss_supported(text, form, pair.src):
                sev, why = policy.severity(policy.glosses), "a gloss after its Korean form"
            else:
                sev, why = Severity.MINOR, "a gloss that is neither the English's term nor a transliteration"
        elif n_words == 1 and (text.lower().rstrip(".") in UNITS or text in SYMBOLS or len(text) == 1):
            continue  # a unit, symbol or single letter ("100 mph", "pH농도", "B형"): how Korean writes them
        elif INITIALS_RE.match(text) or (n_words <= 2 and all(INITIALS_RE.match(w) for w in words)):
            continue  # initials before a Hangul name: "H.G. 웰스", "H. G. 웰스"
        elif all(ACRONYM_RE.match(w) for w in words) and n_words <= 2:
            if _in_source(text, pair.src):
                continue  # an acronym kept as the English writes it: how Korean writes acronyms (CEC, LGBTQ)
            expansion = re.match(r"\s*\(([^()]+)\)", tgt[end:])
            if n_words == 1 and expansion and _in_source(expansion.group(1).strip(), pair.src, fold_case=True):
                continue  # an acronym glossed by the English's full name: HMC(Headmasters' ... Conference)
            sev, why = Severity.MINOR, "an acronym the English does not have" if n_words == 1 else "acronyms"
        elif n_words >= FOREIGN_QUOTE_WORDS and not looks_english(text):
            # a quotation in another language: kept as the English quotes it, or at least not English
            if _in_source(text, pair.src):
                sev, why = policy.severity(policy.foreign_quotes), "another language, quoted as the English quotes it"
            else:
                sev, why = Severity.MINOR, "not English, and not in the English either"
        elif _name_the_english_has(text, tgt[:start], pair.src) or _label_the_english_has(text, tgt, start, pair.src):
            # a name kept as the English writes it: a choice (house style), minor by default, whether the
            # document repeats it or names it once; written in Hangul elsewhere too, it is an inconsistency
            # the name checks report (name-inconsistent, name-untranslated)
            sev, kept_name = policy.severity(policy.latin_names), True
            why = ("a name the document keeps in Latin, as the English writes it" if _kept_in_latin(ctx, text)
                   else "a name kept in Latin, as the English writes it")
        else:
            sev, why = Severity.MAJOR, "left in running Korean" if n_words < 3 else "an English phrase left in"
        if sev is None:
            continue
        out.append(me.finding(f"untranslated English {text!r} ({why})", tgt_spans=[span(tgt, start, end)],
                              severity=sev,
                              suggestion=_standard_form(text) if sev is not Severity.MINOR or kept_name else None))
    return out


@check("untranslated-gloss", category=Category.ACCURACY, severity=Severity.MINOR, garble_group=None,
       informational=True, exempt=("references",))
def untranslated_gloss(pair: CheckPair, ctx: DocumentContext):
    """The original of a term or name, in Latin letters, glossed after its Korean form (a note, not an error).

    ``코무치(Komuch)``: the standard Korean convention at a first mention when the gloss is the English's own
    term or the Hangul transliterates it.  Shown so that a reviewer sees the Latin the text keeps (informational:
    no penalty, never queued); the policy's ``glosses`` setting makes it an ``untranslated`` finding instead
    ("minor", ...) or drops it ("ignore").  Glosses that are neither, and repeated ones, are ``untranslated``'s.
    """
    from review.policy import NOTE
    if ctx.policy.glosses != NOTE or "(" not in pair.tgt or looks_like_reference(pair.tgt):
        return []
    out = []
    for m in LATIN_RUN_RE.finditer(pair.tgt):
        text = _run_text(m.group())
        start, end = m.start(), m.start() + len(text)
        form = _gloss_form(pair.tgt, start, end)
        if form is None or not any(c.isalpha() for c in text) or ctx.policy.allows_latin(text) \
                or ctx.policy.ignores(text):
            continue
        if not _glossed_before(ctx, pair, text) and _gloss_supported(text, form, pair.src):
            out.append(CHECKS["untranslated-gloss"].finding(
                f"{text!r} glosses its Korean form in Latin letters (the standard convention at a first mention)",
                tgt_spans=[span(pair.tgt, start, end)]))
    return out


def _standard_form(text: str) -> str:
    """A name left in Latin letters: its NIKL standard spelling when the usage list has it (the name, or
    every word of it); otherwise the advice to transliterate or translate it."""
    if text[:1].isupper() and not text.isupper():
        from glossary.translit.nikl import default_table
        hit = default_table().lookup(text)
        if hit is not None:
            return hit.spellings[0]
    return "transliterate or translate it"


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


# One to four capitalised words and nothing else: 'Ivan Maisky', 'H. G. Wells'.
_NAME_ONLY_RE = re.compile(r"[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,3}")


@check("source-copy", category=Category.ACCURACY, severity=Severity.CRITICAL,
       garble_group="untranslated", needs=("source",))
def source_copy(pair: CheckPair, ctx: DocumentContext):
    """The Korean is a copy of the English source."""
    if not pair.src.strip() or not pair.tgt.strip() or len(_norm(pair.src)) < 8:
        return None
    src_words = set(_norm(pair.src).split())
    tgt_words = _norm(pair.tgt).split()
    if not tgt_words or hangul_count(pair.tgt) > 0.3 * _letters(pair.tgt):
        return None
    if not looks_english(pair.tgt):
        return None  # a quotation in another language that the English quotes too ("Il faut bien le faire.")
    if _NAME_ONLY_RE.fullmatch(pair.tgt.strip()):
        return None  # a name kept in Latin (an infobox's native name): the name checks report it, not as critical
    shared = sum(1 for w in tgt_words if w in src_words) / len(tgt_words)
    if shared >= 0.8 and len(tgt_words) >= 0.6 * len(src_words):
        return CHECKS["source-copy"].finding("the Korean repeats the English source instead of translating it",
                                             tgt_spans=[span(pair.tgt, 0, len(pair.tgt))],
                                             src_spans=[span(pair.src, 0, len(pair.src))])
    return None


@check("wrong-language", category=Category.ACCURACY, severity=Severity.CRITICAL,
       garble_group="untranslated")
def wrong_language(pair: CheckPair, ctx: DocumentContext):
    """The target is mostly not Korean (another language or script)."""
    tgt = pair.tgt
    n_letters = _letters(tgt)
    if n_letters < 6 or hangul_count(tgt) >= 0.3 * n_letters:
        return None  # the common case, without a per-character script lookup
    letters = [script_of(c) for c in tgt if c.isalpha()]
    share = letters.count("hangul") / len(letters)
    if share >= 0.3:
        return None
    counts = {s: letters.count(s) for s in set(letters)}
    dominant = max(counts, key=counts.get)
    if looks_like_reference(tgt) or ctx.in_references(pair):
        return None  # bibliography entries keep their original language
    if dominant == "latin":
        return None  # English left in place: the untranslated and source-copy checks report it
    sev = Severity.CRITICAL if len(letters) >= 15 else Severity.MAJOR
    return CHECKS["wrong-language"].finding(f"the target is {share:.0%} Hangul; mostly {dominant} script",
                                            tgt_spans=[span(tgt, 0, len(tgt))], severity=sev)


_ONE_SCRIPT_RE = re.compile(r"[\uac00-\ud7a30-9]+$|[A-Za-z0-9]+$")


@check("mixed-script", category=Category.GARBLED, severity=Severity.MAJOR,
       garble_group="encoding")
def mixed_script(pair: CheckPair, ctx: DocumentContext):
    """A word that mixes scripts in a way Korean text does not (``東jo秀木``, ``세mer``)."""
    me = CHECKS["mixed-script"]
    out = []
    for m in re.finditer(r"[^\s()\[\]{}「」『』\"“”'‘’,.;:!?·/\-–—]+", pair.tgt):
        word = m.group()
        if _ONE_SCRIPT_RE.match(word):
            continue  # the common case, checked in C: a word of Hangul (or of ASCII letters) and digits only
        scripts = [script_of(c) for c in word]
        kinds = set(scripts) - {"digit", "punct", "space"}
        if len(kinds) < 2:
            continue
        bad = None
        if "han" in kinds and "latin" in kinds:
            bad = "Chinese characters mixed with Latin letters"
        elif "cyrillic" in kinds and kinds & {"latin", "hangul"}:
            bad = "Cyrillic mixed with other letters"
        elif "kana" in kinds and "hangul" in kinds:
            bad = "kana mixed with Hangul"
        elif re.search(r"[\uac00-\ud7a3][a-z]{2,}", word):
            bad = "Hangul followed by lowercase Latin in one word"
        elif re.search(r"[\uac00-\ud7a3][A-Za-z]+[\uac00-\ud7a3]", word) and not re.search(r"[A-Z]{2,}", word):
            bad = "Latin letters inside a Hangul word"
        if bad:
            out.append(me.finding(f"{word!r}: {bad}", tgt_spans=[span(pair.tgt, m.start(), m.end())]))
    return out


ENTITY_RE = re.compile(r"&(?:#\d{1,6}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
# UTF-8 read as Windows-1252 / Latin-1: a lead-byte letter followed by continuation-byte characters.
MOJIBAKE_RE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                         "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]+"
                         "|\ufffd+")


@check("encoding", category=Category.GARBLED, severity=Severity.MAJOR,
       garble_group="encoding")
def encoding(pair: CheckPair, ctx: DocumentContext):
    """HTML entities or mojibake (mis-decoded UTF-8) in the Korean."""
    import html

    me = CHECKS["encoding"]
    out = []
    for m in ENTITY_RE.finditer(pair.tgt):
        if m.group() in pair.src:
            continue
        decoded = html.unescape(m.group())
        out.append(me.finding(f"HTML entity {m.group()!r} in the text", tgt_spans=[span(pair.tgt, m.start(), m.end())],
                              suggestion=decoded if decoded != m.group() else None))
    for m in MOJIBAKE_RE.finditer(pair.tgt):
        if m.group() in pair.src:
            continue
        suggestion = None
        word = re.search(r"\S*$", pair.tgt[:m.start()]).group() + m.group() + re.match(r"\S*", pair.tgt[m.end():]).group()
        try:
            suggestion = word.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        out.append(me.finding(f"mojibake {m.group()!r}: UTF-8 text decoded with the wrong encoding",
                              tgt_spans=[span(pair.tgt, m.start(), m.end())], suggestion=suggestion))
    return out
