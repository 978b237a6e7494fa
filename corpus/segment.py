"""Sentence segmentation for English and Korean, built to survive machine-translated text.

The public interface is :func:`split_sentences`, returning ``(start, end)``
character spans of the sentences of one paragraph, whitespace trimmed.

Machine-translated Korean glues sentences together (``...태어났습니다.[3]그의``,
``...공유했습니다.그의``, ``...했습니다.Maisky는``), so a boundary cannot wait for
whitespace.  The splitter is rule based and deterministic:

1. every run of sentence-final punctuation (``. ! ? … 。 ！ ？``) is a candidate;
2. closing quotes/brackets and citation markers (``[5]``, ``[1][2]``, ``[a]``)
   directly after it are absorbed, so they stay with the sentence they close;
3. the candidate is kept or dropped by looking at the word before it
   (abbreviations, initials, acronyms, numbers, URLs) and at what follows
   (lowercase continuation, Korean quotative particles such as ``"라고``,
   an opening rather than a closing quote).

The rules key on the script of the neighbouring characters rather than on
``lang`` alone, so English names inside Korean text (``D.C.와트는``,
``H.G. 웰스``) and Korean inside English behave.  Kiwi's own splitter was not
used: it misses the glued cases above (``.[10]1928``, ``.Maisky``) and costs a
model load, while these rules segment the whole Maisky article in milliseconds.

Kiwi is consulted only where punctuation is missing: a Korean sentence ended by
its final ending alone (``그것은 맛이 좋다 그러나 너무 비싸다``,
``음식도 맛있었어요 다만 ...``), see :func:`_final_ending_boundaries`, and an
ellipsis after a word the rules cannot read (``그 맛이 크으.. 아주``).  A cheap
gate (a space after a syllable a final ending can end with) keeps those calls
to a few in a hundred sentences of ordinary text.
"""
from __future__ import annotations

import bisect
import re

from corpus.text import is_hangul as _is_hangul

# Sentence-final punctuation runs: "." "..." "…" "?!" and the CJK full-width forms.
_TERMINATOR_RUN = re.compile(r"\.(?: \.){2,}|[.!?…。！？‼⁇⁈⁉]+")  # a spaced ellipsis ". . ." is one run
# Citation markers that close a sentence: [5], [a], [note 3], [nb 1], [citation needed].
_MARKER = re.compile(r"\[(?:\d{1,4}|[a-z]{1,2}|[가-힣]|(?:note|nb|n|참고|주|각주|註) ?\d{1,3}|citation needed|출처 필요|\*)\]"
                     r"(?::\s?\d{1,4}(?:[-–]\d{1,4})?)?")  # [5], [가], [참고 3], [주 1], a page citation [1]:45
# A short parenthesised note after a Korean sentence's period: "(6회 우승)", "(2021년 3월)".
_TRAILING_NOTE = re.compile(r"[ \t]\([^()\n.!?]{1,24}\)")
# Characters that close a quotation or bracket and stay with the sentence before them.
_CLOSERS = frozenset("\"'”’)]»」』›〉》】>")
_STRAIGHT_QUOTES = frozenset("\"'")
# URLs and e-mail addresses: their dots are never sentence ends.
_URL_OR_EMAIL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s\"'<>()\[\]]+?(?=[.,;:!?)\]'\"]*(?:\s|$))"
    r"|(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")  # starts only where a run begins: linear time
# A list enumerator opening a sentence ("1. ", "iv. ", "a. ") is not a sentence of its own.
_ENUMERATOR = re.compile(r"\s*(?:\d{1,3}|[ivxlc]{1,5}|[a-zA-Z])\.\s")

# Abbreviations that never end a sentence (titles before a name, reference words).
_NEVER_FINAL = frozenset("""
    Mr Mrs Ms Messrs Mmes Mme Mlle Dr Drs Prof Profs St Ste Mt Ft Gen Col Lt Maj Capt Cmdr Cdr Adm
    Sgt Cpl Pvt Rev Revd Fr Hon Gov Govs Sen Sens Rep Reps Supt Insp Det Atty Pres Rt Msgr
    Fig Figs Eq Eqs Vol Vols vol vols pp cf Cf viz vs Vs approx Approx ca ibid Ibid ed eds
    trans transl repr rev esp
""".split())
# Abbreviations that end a sentence only when a clear sentence start follows:
# "Smith Jr. said" and "Acme Ltd. paid" go on, "joined Acme Inc. The company" ends.
_MAYBE_FINAL = frozenset("""
    Jr Sr Inc Ltd Co Corp Bros Esq Plc plc Pty al Dept Univ Assn Ave Blvd Rd
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
""".split())
# Abbreviations that stand before a number ("No. 5", "art. 3", "ch. 2").
_NUMBERED = frozenset("No Nos no nos Art art Arts Sec sec Sect sect Ch ch Chap chap Para para "
                      "fig figs Op op Pt pt Bk bk Nr nr Tab tab Ex ex Ps Pl pl".split())
# Dotted forms that never end a sentence whatever follows ("e.g.", "i.e.").
_NEVER_FINAL_DOTTED = frozenset({"e.g", "i.e", "E.g", "I.e", "n.b", "N.B"})
# Words that clearly begin an English sentence: after an ambiguous abbreviation
# ("U.S.", "Inc.", "p.m.") only these make the period a sentence end.
_SENTENCE_STARTERS = frozenset("""
    The A An He She It They We I You His Her Its Their Our My Your This That These Those There Here
    In On At By For From With Without After Before During When Whenever While Although Though But And
    Or So Yet However Meanwhile Later Then Thus Therefore Hence As If Since Because Despite
    Nevertheless Nonetheless Moreover Furthermore Also Some Many Most All Both Each Every One Two
    Three Such What Which Who Whom Whose Why How Where Once Until Unlike Like Among Under Over
    Instead Indeed Still Finally First Second Third Soon Today Yesterday Tomorrow
    Did Do Does Is Are Was Were Can Could Will Would Should Shall May Might Must Have Has Had
""".split())
# Korean sentence-final endings: an ellipsis or a bare citation marker after one ends the sentence.
_KO_FINAL_ENDINGS = frozenset("다요까죠네오자라")
# Korean quotative particles and endings that continue a sentence after a quoted one:
# '..."라고 말했다', '...?"라고 묻자', '..."[66]고 말했다', '..."며'.
_KO_CONTINUATION = re.compile(
    r"(?:이)?라(?:고|는|며|면서|던|니)|(?:이)?란(?=\s)|고(?=[\s,.]|$)|며(?=[\s,])|하고(?=\s)|하며(?=\s)"
    r"|는(?=\s)|을(?=\s)|를(?=\s)|와(?=\s)|과(?=\s)|의(?=\s)|에(?=\s)|에서(?=\s)|로(?=\s)|으로(?=\s)")

# A Korean particle standing alone after a closing parenthesis: '(정말?)은', '(공식 발표.)에서는'.
_KO_PARTICLE = re.compile(r"(?:은|는|이|가|을|를|의|에|에서|에게|로|으로|와|과|도|만|까지|부터|처럼|보다|"
                          r"이?라고|이?라는)(?:는|도|만|의)?(?![가-힣])")
_TOKEN = re.compile(r"\S{0,64}")  # bounded: a glued run without spaces stays linear
# A quotation's attribution after it ends: '..." Hammel added.', '...?" CNN reported.',
# '..." 그가 말했다.'  The quoted sentence and its attribution stay one sentence.
_SPEECH_VERBS = ("said|says|say|added|adds|told|tells|asked|asks|reported|reports|wrote|writes|explained|"
                 "replied|continued|noted|stated|recalled|insisted|argued|warned|claimed|declared|"
                 "announced|answered|shouted|yelled|whispered|tweeted|concluded|suggested")
_EN_ATTRIBUTION = re.compile(
    r"(?:(?:the|a|an|[A-Z][\w'’.-]*)\s+){1,4}(?:" + _SPEECH_VERBS + r")\b(?:\s+\w+){0,3}\s*[.,;]")
_KO_ATTRIBUTION = re.compile(
    r"[^.!?\"“”]{1,24}(?:말했|덧붙였|밝혔|전했|물었|답했|보도했|설명했|주장했|강조했|외쳤|썼)(?:다|습니다)\.")
# A file extension or top-level domain glued to a Korean word: "보고서.pdf를", "네이버.com".
_EXTENSION = re.compile(r"[a-z]{2,4}(?![A-Za-z])")


def _is_cased(ch: str) -> bool:
    """A letter with case (Latin, Cyrillic, Greek): English rules apply around it."""
    return ch.isupper() or ch.islower()


def _is_uncased_letter(ch: str) -> bool:
    """Hangul, CJK and other letters without case: any of them can start a sentence."""
    return ch.isalpha() and not _is_cased(ch)


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (one paragraph) as ``(start, end)`` offsets.

    Spans are in order, do not overlap, are trimmed of surrounding whitespace
    and only whitespace lies between them.  ``lang`` is ``"en"`` or ``"ko"``.
    Every rule keys on the script of the characters around a candidate, so
    the result does not depend on ``lang``: Korean quoted inside an English
    source, or English names inside Korean, split the same either way.
    """
    if lang.lower()[:2] not in ("en", "ko"):
        raise ValueError(f"split_sentences: unsupported language {lang!r} (expected 'en' or 'ko')")
    if not text:
        return []
    lead = len(text) - len(text.lstrip())
    items = _list_items(text)
    masked = sorted(_masked_ranges(text) + [(b, e) for b, e, _ in items])
    quotes = _inside_quotation(text)
    boundaries: list[int] = []
    for m in _TERMINATOR_RUN.finditer(text):
        if _inside(masked, m.start()):
            continue
        if m.start() <= lead:
            continue  # punctuation opening the paragraph
        sentence_start = boundaries[-1] if boundaries else 0
        if _ENUMERATOR.fullmatch(text, sentence_start, m.end() + 1):
            continue  # a list enumerator opening a sentence: "1. ^ Hope", "...했다. 2. 다음으로"
        if " " in m.group():
            cut = _after_spaced_ellipsis(text, m.start(), m.end())
        else:
            cut = _boundary_after(text, m.start(), m.end(), quotes, sentence_start)
        if cut is not None and (not boundaries or cut > boundaries[-1]):
            boundaries.append(cut)
    # a blank line ends a paragraph, and the sentence with it, whatever punctuation it lacks ("다녀온 후기\n\n<...>")
    blank_lines = {m.end() for m in _BLANK_LINE.finditer(text) if lead < m.end() < len(text)}
    boundaries = sorted(set(boundaries) | set(_bare_marker_boundaries(text)) | blank_lines
                        | {start for _, _, start in items if start > lead})
    enclosed = _korean_enclosures(text)
    if enclosed:
        boundaries = [b for b in boundaries if not _inside(enclosed, b - 1)]
    final_endings = _final_ending_boundaries(text, boundaries, lead)
    if final_endings:
        boundaries = sorted(set(boundaries) | set(final_endings))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in boundaries + [len(text)]:
        _add(text, start, cut, spans)
        start = cut
    return spans


# A quotation or bracket holding Korean: kept whole even when it holds several sentences, as Korean
# writing quotes them ('"문제없어. 정성을 다해서 하면 ... 거야." 하며', '(... 몰랐다. 요컨대 흔한 일이다) 기다리고').
_ENCLOSURES = re.compile(r"“[^“”\"\n]{1,500}”|‘[^‘’'\n]{1,500}’|\"[^\"“”\n]{1,500}\"|(?<![A-Za-z])'[^'‘’\n]{1,500}'(?![A-Za-z])"
                         r"|<[^<>\n]{1,500}>|\([^()\n]{1,500}\)|「[^「」\n]{1,500}」|『[^『』\n]{1,500}』|《[^《》\n]{1,500}》")


STANDALONE_QUOTES = "'‘<"  # inner speech and thought, kept whole as kss does; double quotes follow the news style


def _korean_enclosures(text: str) -> list[tuple[int, int]]:
    """Spans strictly inside balanced quotations and brackets that hold Korean and a sentence end.

    Only Korean ones: an English quotation running over several sentences is left to the English rules
    (news quotes often open in one paragraph and close in a later one).  Straight quotes pair in order,
    so an unbalanced mark in machine-translated text pairs wrongly at worst within one paragraph.
    """
    spans = []
    pos = 0
    while True:
        m = _ENCLOSURES.search(text, pos)
        if m is None:
            break
        inner = m.group()[1:-1]
        before = text[m.start() - 1] if m.start() else " "
        straight = m.group()[0] in "\"'"
        if straight and (inner[:1].isspace() or inner[-1:].isspace() or before.isalnum() or before in ".!?…"):
            pos = m.start() + 1  # a closing mark paired with the next opening one: '...했다." 그는 "...'
            continue
        pos = m.end()
        if not (_TERMINATOR_RUN.search(inner) and sum(1 for c in inner if _is_hangul(c)) >= 4):
            continue
        # Kept whole only inside a longer sentence: the text goes on after the closing mark ('..."라고',
        # '...) 기다리고', '..." 하며').  A quotation standing as sentences of its own is split as prose is,
        # as news translations set each quoted sentence apart.
        after = text[m.end():m.end() + 12]
        ends_inside = re.search(r"[.!?…]['\"”’)]*$", inner) is not None
        glued_particle = bool(_KO_CONTINUATION.match(after) or _KO_PARTICLE.match(after))
        spaced_quotative = re.match(r"\s+(?:하며|하고|하면서|하자|라며|라고)(?![가-힣])", after) is not None
        bracket = m.group()[0] in "(<「『《"
        # A quotation standing alone as a line of speech or thought: "'딱 2년만 기다려보아라. 내가 ... 보여주겠다!'"
        opens_sentence = re.search(r"(?:^|[.!?…][\"'”’)\]>]*\s+)$", text[max(0, m.start() - 8):m.start()]) is not None
        standalone = m.group()[0] in STANDALONE_QUOTES and ends_inside and opens_sentence
        continues = glued_particle or spaced_quotative or after[:1] == "(" or (bracket and not ends_inside) or standalone
        if continues:
            spans.append((m.start() + 1, m.end() - 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:  # nested or overlapping enclosures: one range
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _after_spaced_ellipsis(text: str, start: int, end: int) -> int | None:
    """A spaced ellipsis (". . .") marks an omission inside a sentence; four dots before a new sentence end
    one: glued to the word, the first dot is its period and the ellipsis opens the next sentence
    ("compounds. . . . The practice"); after a space, the whole run ends it ("a period . . . . Next")."""
    if text[start:end].count(".") < 4:
        return None
    nxt = text[end:end + 3].lstrip()[:1]
    if not (nxt.isupper() or _is_uncased_letter(nxt)):
        return None
    return end if text[start - 1].isspace() else start + 1


def _boundary_after(text: str, start: int, end: int, quotes: dict[int, bool], sentence_start: int = 0) -> int | None:
    """Where the sentence ends if the terminator run ``text[start:end]`` ends one, else None."""
    run = text[start:end]
    n = len(text)
    prev = text[start - 1]
    strong = any(ch in "!?！？‼⁇⁈⁉。" for ch in run)
    ellipsis = not strong and (len(run) > 1 or "…" in run)

    # Absorb closing quotes/brackets and citation markers.
    pos = end
    marker = False
    while pos < n:
        ch = text[pos]
        if ch in _CLOSERS and not marker:  # citation markers come after quotes, not before
            if ch in _STRAIGHT_QUOTES and not _closes(text, pos, quotes):
                break  # an opening quote glued to the next sentence: cut before it
            pos += 1
            continue
        mm = _MARKER.match(text, pos)
        if mm:
            marker = True
            pos = mm.end()
            continue
        break
    pos = _after_emoticon(text, pos)
    if pos >= n:
        return n
    note = _TRAILING_NOTE.match(text, pos)
    if note and (note.end() >= n or text[note.end()].isspace()) and _is_hangul(prev):
        return note.end()  # '...우승자이기도 하다. (6회 우승)': a note closing the sentence before it
    follow = text[pos]
    glued = not follow.isspace()
    nxt_pos = pos
    while nxt_pos < n and text[nxt_pos].isspace():
        nxt_pos += 1
    if nxt_pos >= n:
        return pos
    nxt = text[nxt_pos]
    rest = text[nxt_pos:nxt_pos + 12]

    if nxt in ",;:)]}-–—/&%.!?…":
        return None  # punctuation continuing the sentence ("etc.,", "Inc.)", "a.m.;")
    if _KO_CONTINUATION.match(rest) and (glued or pos > end):
        return None  # '..."라고 썼습니다', '...?"라고 묻자': a quoted sentence inside a longer one
    if not glued and nxt in "\"'”’" and _KO_CONTINUATION.match(text, nxt_pos + 1):
        return None  # a stray space before the closing quote: '...않을 것이다. "라고 말했다'
    if any(ch in "\"'”’»" for ch in text[end:pos]) and (
            (_EN_ATTRIBUTION.match(text, nxt_pos) and _word_at(text, nxt_pos) not in _SENTENCE_STARTERS)
            or _KO_ATTRIBUTION.match(text, nxt_pos)):
        return None  # '"...in the water!" Hammel added.', '"...있습니다." 그가 말했다.'
    if glued and text[pos - 1] == ")" and _KO_PARTICLE.match(text, pos):
        return None  # a parenthesis inside a Korean sentence: '계획(정말?)은 실패했다'
    if glued and follow == "(" and (pos > end or not _is_hangul(prev)):
        return None  # 'footue!"(폴란드는 망쳤어요!)': a gloss of the quotation

    word_before = _word_before(text, start)

    if ellipsis:
        if prev in "\"'“‘([ " or prev.isspace():
            return None  # an ellipsis opening a quotation: '"...보수 내각에'
        if _is_hangul(prev):
            if prev in _KO_FINAL_ENDINGS:
                return pos
            # '그 맛이 크으.. 아주 맛있었음': Kiwi reads the word as a final ending or an interjection
            return pos if _is_hangul(nxt) and _kiwi_word_closes(text, start, sentence_start) else None
        if marker or (not glued and nxt.isupper()):
            return pos
        return None

    if strong:
        if not glued and _is_cased(nxt) and nxt.islower():
            return None  # '"Why?" he asked'
        if run == "!" and pos == end and not glued and _is_hangul(prev) and _is_hangul(nxt) \
                and _kiwi_adnominal_before(text, start, sentence_start):
            return None  # '이런 바보 같은! 아니다.': an exclamation on an adnominal word goes on (as kss reads it)
        return pos

    # A single period.
    if marker:
        if not glued and _is_cased(nxt) and nxt.islower():
            return None
        return pos
    if _is_hangul(prev) or _is_uncased_letter(prev):
        if glued and _EXTENSION.match(text, pos):
            return None  # "보고서.pdf를", "네이버.com"
        return pos  # '...했습니다.그의', '...학생으로서. 페테르부르크'
    if prev.isdigit():
        return _after_number(text, start, pos, nxt, glued)
    if not _is_cased(prev):
        # After a closing bracket or quote: '(1998). Polish', 'Narkomindel).'
        if _is_cased(nxt) and nxt.islower():
            return None
        if prev == "°" and nxt.isdigit():
            return None  # "N°. 1026"
        return pos
    return _after_word(text, start, pos, word_before, nxt, nxt_pos, glued, sentence_start)


def _after_number(text: str, start: int, pos: int, nxt: str, glued: bool) -> int | None:
    """A period after a digit: decimals, versions and Korean dates ("2022. 6. 23.") stay whole."""
    if nxt.isdigit():
        return None  # 3.5, 1.2.3, "2022. 6. 23."
    if re.search(r"(?<!\d)\d{2,4}\. ?\d{1,2}\. ?\d{1,2}$", text[max(0, start - 14):start]):
        return None  # the last dot of a Korean date: "2022. 6. 23. 열렸습니다"
    if _is_cased(nxt) and (nxt.islower() or glued):
        return None  # "5.x", "p. 39.and"
    return pos


def _after_word(text: str, start: int, pos: int, word: str, nxt: str, nxt_pos: int,
                glued: bool, sentence_start: int = 0) -> int | None:
    """A period after a cased (Latin, Cyrillic...) word: abbreviations, initials, acronyms."""
    following = _word_at(text, nxt_pos)
    dotted = _dotted_before(text, start)
    if dotted:
        # "U.S.S.R.", "e.g.", "p.m.", "D.C.", "H.G.": an acronym or a run of initials.
        if dotted in _NEVER_FINAL_DOTTED or glued:
            return None
        if following in _SENTENCE_STARTERS:
            return pos
        return pos if _name_opens_sentence(text, nxt_pos, following, sentence_start, start) else None
    if len(word) == 1:
        # An initial ("H. G. Wells", "I. M. Maisky") or "p. 39"; a sentence ends only
        # before a clear sentence start: "the letter u. The", "grade A. This".
        return pos if len(following) > 1 and following in _SENTENCE_STARTERS else None
    if word in _NEVER_FINAL:
        return None
    if word in _NUMBERED:
        if nxt.isdigit() or (following != "I" and re.fullmatch(r"[ivxlcIVXLC]+", following)):
            return None
        # "No." otherwise is the word "no" ending a sentence: fall through.
    if word in _MAYBE_FINAL:
        return pos if following in _SENTENCE_STARTERS and not glued else None
    if word.lower() == "etc":
        return pos if not glued and (nxt.isupper() or _is_uncased_letter(nxt) or nxt in "\"“‘'([") else None
    if glued:
        # "example.com", "file.txt", "3.x": no boundary without a space, unless an MT glue
        # like "tutor.His" or "Maisky.그는" (a Hangul word cannot continue a Latin token).
        if _is_uncased_letter(nxt):
            return pos
        if nxt.isupper() and len(word) >= 2 and not word.isupper():
            token = _TOKEN.match(text, pos).group(0)
            tail = token.rstrip(".,;:!?\"')]")
            if re.fullmatch(r"[A-Z][a-z'’]+(?:\[\d+\])*", tail) or re.fullmatch(r"[A-Z][a-z]*[가-힣]+", tail):
                return pos
        return None
    if _is_cased(nxt) and nxt.islower():
        return None  # an unknown abbreviation: "approx. five", "ca. twenty"
    return pos


# After "p.m." or "U.S." a capitalised word may open the next sentence ("...at 6 P.M. Mr. Smith then went",
# "...the U.S. Maisky was recalled") or go on with a name ("the U.S. Government in Virginia").  A title
# ("Mr.") or a name followed by a verb of narration opens one, unless the clause so far is an introductory
# phrase ("At 5 a.m. Mr. Smith went...").
_FINITE_VERBS = frozenset("""was were is are had has have did does said says told wrote returned went came became
arrived left met took made gave saw then also later would could will should might must may can""".split())
_INSTITUTIONS = frozenset("""Government Army Navy Air Senate Congress House Embassy Department Court Supreme Open
Treasury State States Marines Constitution Census Postal Coast Forces Military Administration Ambassador
President Secretary Attorney General Vice Prime Minister Embassy Consulate Federal National Capitol""".split())
_INTRODUCTORY = frozenset("At In On By From Since Until Before After Around About Near".split())


def _name_opens_sentence(text: str, nxt_pos: int, following: str, sentence_start: int, start: int) -> bool:
    if not following or not following[0].isupper() or following in _INSTITUTIONS:
        return False
    clause = text[sentence_start:start].split()
    if len(clause) < 3 or (clause[0].strip("\"'“‘(") in _INTRODUCTORY and len(clause) <= 4):
        return False  # "The U.S. President met", "At 5 a.m. Mr. Smith went to the bank."
    after = text[nxt_pos + len(following):nxt_pos + len(following) + 40]
    if following in ("Mr", "Mrs", "Ms", "Dr", "Prof", "Mme", "Mlle", "Messrs") and after.startswith("."):
        return True  # a personal title: "... at 6 P.M. Mr. Smith then went" (not "U.S. Sens. Graham")
    m = re.match(r"\s+([a-z]+)", after)
    return bool(m and m.group(1) in _FINITE_VERBS)


# A list item marker inside a paragraph: "1.", "2.)", "3)", "a.", with a bullet before it ("• 9.", "⁃10.").
_ITEM_MARKER = re.compile(r"(?:(?<=\s)|^)([•⁃▪‣◦·*-] ?)?(\d{1,3}|[a-z])(\.\)|\)|\.)(?=\s)")


def _list_items(text: str) -> list[tuple[int, int, int]]:
    """List item markers that run in sequence ("1. ... 2. ...", "a. ... b. ..."): (marker start, marker end,
    where the item starts).  An item starts a sentence; its marker's period ends none.  A lone "2." or
    numbers out of sequence (a Korean date "2022. 6. 23.") are not a list."""
    found = []
    for m in _ITEM_MARKER.finditer(text):
        label = m.group(2)
        value = int(label) if label.isdigit() else ord(label) - ord("a") + 1
        found.append((m.start(), m.end(), value, label.isdigit(), m.group(3)))
    items: list[tuple[int, int, int]] = []
    run: list = []

    def close():
        if len(run) >= 2 and (run[0][3] or run[0][2] == 1):  # letters start at "a."
            items.extend((b, e, b) for b, e, _, _, _ in run)

    for marker in found:
        if run and marker[3] == run[-1][3] and marker[4] == run[-1][4] and marker[2] == run[-1][2] + 1:
            run.append(marker)
            continue
        close()
        run = [marker]
    close()
    return items


def _bare_marker_boundaries(text: str) -> list[int]:
    """Korean sentences closed by a citation marker but no period: '...했습니다[5]1902년'."""
    cuts = []
    for m in re.finditer(r"(?:\[\d{1,4}\])+", text):
        before = text[max(0, m.start() - 8):m.start()].rstrip("\"'”’)")
        if not before.endswith("니다"):
            continue
        after = text[m.end():m.end() + 12]
        if not after or after[0].isspace() or _KO_CONTINUATION.match(after):
            continue
        if after[0].isdigit() or after[0].isupper() or _is_hangul(after[0]):
            cuts.append(m.end())
    return cuts


def _is_quote_mark(text: str, i: int) -> bool:
    """False for an apostrophe between two cased letters ("Maisky's", "don't")."""
    if text[i] == '"':
        return True
    return not (0 < i < len(text) - 1 and _is_cased(text[i - 1]) and _is_cased(text[i + 1]))


def _closes(text: str, pos: int, quotes: dict[int, bool]) -> bool:
    """Whether the straight quote at ``pos``, right after a terminator, closes a quotation.

    Followed by a space, the end, a marker or other punctuation it closes, and so
    before a Korean quotative particle ('..."라고').  Glued to a letter it is ambiguous
    ('...것입니다."[5]' vs '...들었습니다."우리는'): whether a quotation is open at
    that point decides.
    """
    nxt = text[pos + 1] if pos + 1 < len(text) else " "
    if not nxt.isalnum() or _KO_CONTINUATION.match(text, pos + 1):
        return True
    return quotes.get(pos, False)


def _inside_quotation(text: str) -> dict[int, bool]:
    """For each straight quote mark, whether a quotation of its kind is open just before it.

    Walks the paragraph once.  Curly quotes say which way they go; a straight quote
    after a space (or at the start) opens, one before a space or punctuation closes,
    and one glued on both sides ('"평화 전선"을', '...했다."그는') flips the state.
    Unbalanced quotes in machine-translated text thus only confuse the next glued mark,
    not the rest of the paragraph, as counting would.
    """
    state = {'"': False, "'": False}
    family = {'"': '"', "“": '"', "”": '"', "'": "'", "‘": "'", "’": "'"}
    before: dict[int, bool] = {}
    for i, ch in enumerate(text):
        kind = family.get(ch)
        if kind is None or not _is_quote_mark(text, i):
            continue
        inside = state[kind]
        if ch in "“‘":
            state[kind] = True
            continue
        if ch in "”’":
            state[kind] = False
            continue
        before[i] = inside
        state[kind] = _open_after_straight_quote(text, i, inside)
    return before


def _open_after_straight_quote(text: str, i: int, open_before: bool) -> bool:
    """Whether a quotation is open after the straight quote at ``i``: it opens after a space or an opening
    bracket, closes before a space or punctuation, and flips when glued on both sides."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace() or prev in "([{<«—–-":
        return True
    if not nxt.isalnum():
        return False
    return not open_before


def _word_before(text: str, end: int) -> str:
    m = re.search(r"[^\W\d_]+(?:['’][^\W\d_]+)*$", text[max(0, end - 40):end])
    return m.group(0) if m else ""


def _dotted_before(text: str, end: int) -> str:
    """The acronym or run of initials ending at ``end`` without its final dot: "U.S.S.R", "H.G", "e.g"."""
    m = re.search(r"(?<![^\W\d_])(?:[^\W\d_]{1,2}\.){1,6}[^\W\d_]{1,2}$", text[max(0, end - 30):end])
    return m.group(0) if m else ""


def _word_at(text: str, pos: int) -> str:
    m = re.match(r"[^\W\d_]+", text[pos:pos + 40])
    return m.group(0) if m else ""


def _masked_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _URL_OR_EMAIL.finditer(text)]


def _inside(ranges: list[tuple[int, int]], i: int) -> bool:
    """Whether ``i`` lies in one of the sorted, disjoint ``ranges``."""
    k = bisect.bisect_right(ranges, (i, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= i < ranges[k][1]


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# --- what only Kiwi can tell: sentences ended by a final ending alone, and interjections ------------

# Emoticons and runs of bare jamo that close a sentence after its punctuation: '답죠?ㅎㅅㅎ', '...! ^^', 'ㅋㅋ'.
_EMOTICON = re.compile(r"(?:[ㄱ-ㅣ]{1,12}|\^[_\-.oO]?\^{1,3}|[;:]-?[()DPp]|T[_.]T)(?=\s|$)")  # not "TT races"


def _after_emoticon(text: str, pos: int) -> int:
    """``pos`` moved past an emoticon that follows a sentence's punctuation, glued or after spaces on the line."""
    at = pos
    while at < len(text) and text[at] in " \t":
        at += 1
    m = _EMOTICON.match(text, at)
    return m.end() if m else pos


# The gate: a space after a syllable a final ending can end with ('좋다 ', '맛있었어요 ', '그랬었죠 ',
# '합니까 ', '좋네 ', '제출함 ', '먹었었음 ' after a past or existential stem: 었/았/겠/있/없 + 음, the archaic
# wish '하소서 ', the dialect's polite '힘들구먼유 '), before a Hangul word, a number or an opening quotation.
# Only these call Kiwi.  Left out, as they would cost calls
# for little: the -오/-소 of the archaic style (Kiwi reads them as connective endings when no punctuation
# follows), the -자/-라 of proposals and orders and the copula's 임 (자, 라 and 임 end many nouns: 기자, 나라,
# 게임), the noun-like 음 (다음, 처음), and the particles 보다 and 마다 (a quarter of the candidates in news).
_EF_CANDIDATE = re.compile(r"[다요죠까네함음유서](?=\s+(?:[가-힣]|\d|[\"“‘'][가-힣]))")


def _gate(text: str, i: int) -> bool:
    """Whether the syllable at ``i``, matched by _EF_CANDIDATE, may end a final ending (see above)."""
    prev = text[i - 1] if i else " "
    if not ("가" <= prev <= "힣"):
        return False
    ch = text[i]
    if ch == "다":
        return prev not in "보마"
    if ch == "음":
        return (ord(prev) - 0xAC00) % 28 in (18, 20)  # final ㅄ or ㅆ: 없음, 했음, 있었음
    if ch == "서":
        return prev == "소"  # the wish of the archaic style: 하소서, 용서하옵소서 (not the connective -어서)
    return True
# What may open the next sentence: a content word, an adverb, a determiner, an interjection; not a particle or
# an ending written apart ('도왔다 고 말했습니다'), nor a bound noun ('것', '수').
_AFTER = 8
_CLAUSE_OPENERS = frozenset("NNG NNP NP NR MM MAG MAJ IC VV VA XPN SL SH SN".split())
# A verb that takes the sentence before it as a quotation: '간다 했다', '좋다 그러더라'.
_QUOTING_VERBS = frozenset({"하", "그러", "이러"})
_TERMINATED = re.compile(r"[.!?…。！？][\"'”’)\]>»」』]*(?:\[[^\]\s]{1,12}\])*\s*$")
_OPENING = {"(": ")", "[": "]", "{": "}", "<": ">", "「": "」", "『": "』", "《": "》", "〈": "〉", "【": "】", "«": "»"}
_CLOSING = {v: k for k, v in _OPENING.items()}


def _final_ending_boundaries(text: str, boundaries: list[int], lead: int = 0) -> list[int]:
    """Sentence starts after a Korean final ending (Kiwi's EF) that no punctuation follows.

    '그것은 맛이 좋다 그러나 너무 비싸다' is two sentences; '어제 밥 먹었었음 그런데 너무 맛있었음 알겠삼?'
    three.  Conservative: Kiwi must read the word as closed by a final ending and the next word as the start of
    a clause; the sentence so far has two words or more and so has the rest (or the rest ends in punctuation),
    so headlines and short lines stay whole; nothing inside a quotation or bracket is cut, so a quoted
    sentence stays in the one that quotes it.  Returns the new sentence starts (after the whitespace).
    """
    candidates = [m.end() for m in _EF_CANDIDATE.finditer(text, lead) if _gate(text, m.start())]
    if not candidates:
        return []
    enclosed = _enclosed_at(text, candidates)
    edges = sorted(set(boundaries) | {0, len(text)})
    cuts: list[int] = []
    for end, inside in zip(candidates, enclosed):
        if inside:
            continue
        k = bisect.bisect_right(edges, end)
        seg_start = max(edges[k - 1], cuts[-1] if cuts else 0)
        seg_end = edges[k] if k < len(edges) else len(text)
        nxt = end
        while nxt < seg_end and text[nxt].isspace():
            nxt += 1
        if not _word_before_word(text, seg_start, end):
            continue  # '네 알겠습니다' / a one-word line
        if not _TWO_WORDS.match(text, nxt, seg_end) and not _TERMINATED.search(text, nxt, seg_end):
            continue  # a headline's last word, a name after the verb
        if _kiwi_closes_at(text, end, nxt, seg_start, seg_end):
            cuts.append(nxt)
    return cuts


_ENCLOSING_MARK = re.compile(r"[()\[\]{}<>「」『』《》〈〉【】«»“”‘’\"']")


def _enclosed_at(text: str, positions: list[int]) -> list[bool]:
    """For each of the sorted ``positions``, whether it lies inside a quotation or bracket opened before it.

    Brackets count; curly quotes say which way they go; a straight quote opens after a space or an opening
    bracket and closes before a space or punctuation, else flips, as :func:`_inside_quotation` reads them.
    An unclosed mark keeps the rest of the paragraph inside, so at worst no cut is made there.  Only the
    marks are visited, up to the last position.
    """
    out = []
    depth = 0
    double = single = False
    k = 0
    for m in _ENCLOSING_MARK.finditer(text, 0, positions[-1] + 1 if positions else 0):
        i = m.start()
        while k < len(positions) and positions[k] <= i:
            out.append(depth > 0 or double or single)
            k += 1
        ch = text[i]
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif ch == "“":
            double = True
        elif ch == "”":
            double = False
        elif ch == "‘":
            single = True
        elif ch == "’":
            single = single and not _is_quote_mark(text, i)
        elif _is_quote_mark(text, i):
            if ch == '"':
                double = _open_after_straight_quote(text, i, double)
            else:
                single = _open_after_straight_quote(text, i, single)
    out.extend([depth > 0 or double or single] * (len(positions) - k))
    return out


_TWO_WORDS = re.compile(r"\S+\s+\S")


def _word_before_word(text: str, lo: int, end: int) -> bool:
    """Whether another word precedes, within ``text[lo:end]``, the word that ends at ``end`` (bounded scan)."""
    i = end
    while i > lo and not text[i - 1].isspace():
        i -= 1
    while i > lo and text[i - 1].isspace():
        i -= 1
    return i > lo


def _eojeol_bounds(text: str, lo: int, hi: int, at: int, before: int, after: int) -> tuple[int, int]:
    """The window from ``before`` words before ``at`` to ``after`` words after it, within ``text[lo:hi]``."""
    start = at
    for _ in range(before + 1):
        while start > lo and text[start - 1].isspace():
            start -= 1
        while start > lo and not text[start - 1].isspace():
            start -= 1
    end = at
    for _ in range(after):
        while end < hi and text[end].isspace():
            end += 1
        while end < hi and not text[end].isspace():
            end += 1
    return start, end


def _kiwi_tokens(window: str) -> list:
    from corpus.kiwi import analyze  # loads Kiwi on first use: only texts that pass the gate pay for it
    return analyze(window)


def _kiwi_readings(window: str) -> list:
    from corpus.kiwi import readings
    return readings(window, _READINGS)


# How close (in log-probability) to Kiwi's best reading a reading of the word as a connective ending with the
# particle 요 must come to keep the sentence open ('많이 힘들었으니까요 근데': 0.5 below; the 해요체 '맛있었어요
# 다만' has none in Kiwi's first five); review.checks.model takes the same margin for a sentence's last word.
# Only a word ending in 요 that Kiwi's best reading closes asks for the further readings.
_READINGS = 5
_READING_MARGIN = 3.0
# Final endings Kiwi tags as connective (EC) when no punctuation follows, though the grammar has no connective
# of that form: the wish of the archaic style, '부디 만수무강 하소서 그런데 ...', and the copula's polite
# '-에요/-예요', '그러게나 말이에요 참말로 ...' (with a period Kiwi reads both as EF).
_FINAL_ONLY_ENDINGS = frozenset({"소서", "에요", "예요"})
# Kiwi's reading of a word's last morpheme that may hide the dialects' polite 유 for 요 (충청 '말이에유',
# '먹었어유'): an interjection (에유) or an ending; never a noun (자유, 이유, 우유 stay nouns).
_DIALECT_YU_TAGS = frozenset({"IC", "EC", "EF"})


def _kiwi_closes_at(text: str, end: int, nxt: int, seg_start: int, seg_end: int) -> bool:
    """Whether Kiwi reads the word ending at ``end`` as closed by a final ending and the word at ``nxt`` as
    opening a clause, in a window of two words before and a few after.

    Kiwi's best reading decides, but a word ending in 요 stays open when one of Kiwi's readings nearly as
    likely (_READING_MARGIN) takes it for a connective ending and the particle 요 ('많이 힘들었으니까요 근데',
    '표현이고요 그다음에'): the polite 요 follows any phrase of speech ('비가 오니까요 집에 있을게요'), so only
    punctuation tells that the sentence ends there."""
    w0 = _eojeol_bounds(text, seg_start, seg_end, end, 2, 0)[0]
    w1 = _eojeol_bounds(text, seg_start, seg_end, nxt, 0, _AFTER)[1]
    window, rel_end, rel_next = text[w0:w1], end - w0, nxt - w0
    tokens = _kiwi_tokens(window)
    if not _reading_closes(tokens, rel_end, rel_next):
        if window[rel_end - 1] != "유" or not any(t.end == rel_end and t.tag in _DIALECT_YU_TAGS for t in tokens):
            return False
        # the polite 유 of the dialects read as the standard 요 (one syllable for one: the offsets stay)
        window = window[:rel_end - 1] + "요" + window[rel_end:]
        if not _reading_closes(_kiwi_tokens(window), rel_end, rel_next):
            return False
    if window[rel_end - 1] != "요":
        return True
    found = _kiwi_readings(window)
    best = found[0][1]
    return not any(best - score <= _READING_MARGIN and _connective_with_yo(tokens, rel_end)
                   for tokens, score in found)


def _reading_closes(tokens: list, rel_end: int, rel_next: int) -> bool:
    """Whether this reading closes the word ending at ``rel_end`` with a final ending (EF, or an ending only a
    final one can be) and opens a clause with the word at ``rel_next`` (an opening quote skipped), not with a
    verb quoting the sentence before ('간다 했다')."""
    if not any(t.end == rel_end and (t.tag == "EF" or t.tag == "EC" and t.form in _FINAL_ONLY_ENDINGS)
               for t in tokens) or any(t.start < rel_end < t.end for t in tokens):
        return False
    following = next((t for t in tokens if t.start >= rel_next), None)
    if following is None or following.start != rel_next:
        return False
    if following.tag in ("SSO", "SS"):  # a quotation opening the next sentence: '말했다 "우리는 ...'
        following = next((t for t in tokens if t.start == rel_next + 1), None)
        if following is None:
            return False
    tag = following.tag.split("-")[0]
    return tag in _CLAUSE_OPENERS and not (tag == "VV" and following.form in _QUOTING_VERBS)


def _connective_with_yo(tokens: list, rel_end: int) -> bool:
    """Whether this reading ends the word at ``rel_end`` with a connective ending and the particle 요."""
    return any(b.end == rel_end and b.form == "요" and b.tag == "JX" and a.tag == "EC" and a.end == b.start
               for a, b in zip(tokens, tokens[1:]))


def _kiwi_adnominal_before(text: str, start: int, sentence_start: int) -> bool:
    """Whether Kiwi reads the word before ``start`` as closed by an adnominal ending (ETM: '같은', '하는'),
    which modifies what follows rather than ending a sentence, and no reading nearly as likely
    (_READING_MARGIN) takes the word for a noun ('그녀는 구울!': the ghoul, or 굽- + -을)."""
    w0 = _eojeol_bounds(text, sentence_start, start, start, 2, 0)[0]
    window, rel = text[w0:start], start - w0
    tokens = _kiwi_tokens(window)
    if not (tokens and tokens[-1].end == rel and tokens[-1].tag == "ETM"):
        return False
    found = _kiwi_readings(window)
    best = found[0][1]
    return not any(best - score <= _READING_MARGIN and reading and reading[-1].end == rel
                   and reading[-1].tag.startswith("NN") for reading, score in found)


def _kiwi_word_closes(text: str, start: int, sentence_start: int) -> bool:
    """Before an ellipsis at ``start``: whether Kiwi reads the word as closed by a final ending, or as an
    interjection ending a clause of two words or more ('그 맛이 크으..'; not '음... 글쎄요')."""
    w0 = _eojeol_bounds(text, sentence_start, start, start, 2, 0)[0]
    tokens = _kiwi_tokens(text[w0:start])
    if not tokens or tokens[-1].end != start - w0:
        return False
    last = tokens[-1]
    if last.tag == "EF":
        return True
    return last.tag == "IC" and len(text[sentence_start:start].split()) >= 2 and \
        not any(t.start < last.start < t.end for t in tokens)
