"""Titles attached to names that the source does not give (``마이스키 대통령`` for plain "Maisky")."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import span
from review.records import Category, Severity

# Korean title -> English words that license it
TITLES = {
    "대통령": r"presiden(?:t|cy)", "총리": r"prime minister|premier|chancellor|pm\b", "수상": r"prime minister|premier",
    "대변인": r"spokes|press secretary", "장관": r"minister|secretary", "차관": r"deputy|under-?secretary|vice",
    "대사": r"ambassador|envoy", "특사": r"envoy|ambassador", "국왕": r"king", "여왕": r"queen", "왕자": r"prince",
    "박사": r"\bdr\b|doctor|ph\.?d", "교수": r"professor|prof\b", "장군": r"general|gen\b", "제독": r"admiral",
    "의원": r"\bmp\b|member|senator|congress|representative|lawmaker|deputy", "위원장": r"chair|commissioner|head",
    "회장": r"chair|president", "사장": r"president|ceo|head|chief",
}


# Office titles an MT system invents for a bare name; ranks such as 제독 or 박사 are only judged against English.
OFFICE_TITLES = frozenset({"대통령", "총리", "수상", "대변인", "장관", "차관", "위원장", "회장", "사장"})

# Places and bodies: "<country> 대사" is "the country's ambassador", not a title on a person.
PLACES = frozenset("""소련 독일 프랑스 이탈리아 일본 중국 러시아 미국 영국 스페인 폴란드 체코슬로바키아 체코 핀란드 캐나다 호주
인도 북한 한국 남한 이란 이라크 이스라엘 터키 튀르키예 그리스 루마니아 헝가리 오스트리아 스웨덴 노르웨이 덴마크 네덜란드
벨기에 스위스 포르투갈 멕시코 브라질 아르헨티나 칠레 이집트 사우디 사우디아라비아 우크라이나 베트남 태국 필리핀 인도네시아
말레이시아 싱가포르 뉴질랜드 아일랜드 스코틀랜드 웨일스 유럽 아시아 아프리카 몽골 리투아니아 라트비아 에스토니아 유고슬라비아
불가리아 세르비아 크로아티아 알바니아 나이지리아 케냐 남아공 시리아 레바논 요르단 쿠바 파키스탄 아프가니스탄 대만 홍콩 만주국
유엔 연맹 국제연맹 노동당 보수당 자유당 공화당 민주당 공산당 런던 모스크바 워싱턴 베를린 파리 도쿄 베이징 서울 바티칸 교황청
마케도니아 북마케도니아 카탈루니아 텍사스 캘리포니아 뉴욕 플로리다 오하이오 EU 나토 백악관 국무부""".split())
PLACE_SUFFIXES = ("국", "당", "부", "청", "회", "군", "도", "시", "주", "위원회", "정부", "대학")


def _titled_names(pair: CheckPair, ctx: DocumentContext):
    """(name token, title token) pairs: a proper noun directly followed by a title noun."""
    toks = ctx.signal(pair).tokens
    for a, b in zip(toks, toks[1:]):
        if a.tag == "NNP" and len(a.form) >= 2 and a.form not in PLACES and not a.form.endswith(PLACE_SUFFIXES) \
                and b.form in TITLES and b.start == a.end + 1 \
                and pair.tgt[a.end:b.start] == " ":
            after = pair.tgt[b.end:b.end + 1]
            if after and re.match(r"[\uac00-\ud7a3]", after) and not _particle_follows(toks, b):
                continue  # "대사관", "장관직": the title is part of a longer word
            yield a, b


def _particle_follows(toks, b) -> bool:
    i = toks.index(b)
    return i + 1 < len(toks) and toks[i + 1].start == b.end and toks[i + 1].tag.startswith(("J", "VCP", "XSN", "E"))


def _title_table(ctx: DocumentContext) -> dict[str, Counter]:
    def make():
        table: dict[str, Counter] = defaultdict(Counter)
        for p in ctx.pairs:
            for a, b in _titled_names(p, ctx):
                table[a.form][b.form] += 1
        return table
    return ctx._memo("titles", make)


def _title_in_document(ctx: DocumentContext, name: str, title: str) -> bool:
    """Another pair's English gives this title where its Korean has the name: the title is the document's."""
    def pairs_with_title():
        return {t: [p for p in ctx.pairs if p.src and re.search(pattern, p.src, re.IGNORECASE)]
                for t, pattern in TITLES.items()}
    return any(name in p.tgt for p in ctx._memo("titled_pairs", pairs_with_title)[title])


def _title_judgements(pair: CheckPair, ctx: DocumentContext):
    """(name token, title token, doubtful, evidence) for each title the Korean attaches to a name and the English
    does not license; ``doubtful``: the document names the person bare or with other titles (see below)."""
    if not ctx.has_lm:
        return []
    def judge():
        out = []
        table = _title_table(ctx)
        for a, b in _titled_names(pair, ctx):
            if pair.src.strip() and re.search(TITLES[b.form], pair.src, re.IGNORECASE):
                continue
            if pair.src.strip() and _title_in_document(ctx, a.form, b.form):
                continue  # "President Trump" elsewhere in the English: Korean news names him 트럼프 대통령 throughout
            bare = ctx.proper_nouns[a.form]
            titles = table[a.form]
            titled = sum(titles.values())
            doubtful = b.form in OFFICE_TITLES and (len(titles) >= 2 or (bare >= 3 and titles[b.form] <= max(2, 0.2 * bare))) \
                and titled <= bare
            others = ", ".join(f"{t} x{n}" for t, n in titles.items() if t != b.form)
            evidence = (f"the document names {a.form!r} {bare} times without a title"
                        + (f" and elsewhere with other titles ({others})" if others else ""))
            out.append((a, b, doubtful, evidence))
        return out
    return ctx._memo(("title-judgements", pair.index), judge)


@check("unsupported-title", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group=None, needs=("models",))
def unsupported_title(pair: CheckPair, ctx: DocumentContext):
    """A title attached to a name in the Korean that the English does not give and the document doubts."""
    me = CHECKS["unsupported-title"]
    out = []
    for a, b, doubtful, evidence in _title_judgements(pair, ctx):
        if not doubtful:
            continue  # reported by added-title, a note
        where = [span(pair.tgt, a.start, b.end)]
        if pair.src.strip():
            out.append(me.finding(f"the English gives no title {b.form!r} for {a.form!r}; {evidence}",
                                  tgt_spans=where, suggestion=a.form))
        else:
            out.append(me.finding(f"title {b.form!r} for {a.form!r} is doubtful: {evidence}", tgt_spans=where,
                                  suggestion=a.form))
    return out


@check("added-title", category=Category.ACCURACY, severity=Severity.MINOR,
       garble_group=None, needs=("models", "source"), informational=True)
def added_title(pair: CheckPair, ctx: DocumentContext):
    """A title the Korean adds to a name the English gives bare, with nothing in the document against it (a note).

    Korean news style names officeholders with their office (오바마 대통령, 아키노 대통령, 메이 수상, 김정은 위원장
    for plain "Obama", "Aquino", "May", "Kim"): on clean human references (NTREX-128, MQM dev) these titles were
    right every time, and MQM annotators marked none of those on MT.  Shown so that a reviewer can check the office
    (informational: no penalty, never queued).  A title the document itself doubts (the person named bare three
    times or more, or with other titles) is the ``unsupported-title`` error.
    """
    if not pair.src.strip():
        return []
    me = CHECKS["added-title"]
    return [me.finding(f"the English gives no title {b.form!r} for {a.form!r}; Korean style often adds the office "
                       "(check that it is right)", tgt_spans=[span(pair.tgt, a.start, b.end)], suggestion=a.form)
            for a, b, doubtful, _ in _title_judgements(pair, ctx) if not doubtful]
