"""Golden tables per check family, clean pairs that must not fire, registry metadata, scores and the score CLI.

Pairs are drawn from the Maisky sample (the real MT defects the checks exist for) or written to mirror it.
Models (Kiwi, USE) load once per module.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from corpus.errors import MtreviewError
from review.checks import (CHECKS, CheckError, CheckPair, CheckSpec, TermContext, build_context, run_checks,
                           select_checks)
from review.checks.numbers import english_numbers, korean_numbers
from review.checks.registry import run_check
from review.policy import DEFAULT_POLICY, Policy
from review.records import Category, Finding, Severity
from review.scoring import FEATURES, default_model, document_penalty, garble_score, penalty, priority


@pytest.fixture(scope="module")
def models():
    """Load Kiwi and the sentence encoder once for the module."""
    from corpus.encoders import load_encoder
    from review.checks.context import load_kiwi
    return load_kiwi(), load_encoder("use")


def findings_for(src, tgt, *, no_source=False, others=(), use_models=True, policy=DEFAULT_POLICY):
    """Findings of one pair, judged in a document made of it and ``others`` (src, tgt) pairs."""
    pairs = [CheckPair("p0", src, tgt, 0, no_source)] + [CheckPair(f"o{i}", s, t, i + 1, not s)
                                                       for i, (s, t) in enumerate(others)]
    ctx = build_context(pairs, use_lm=use_models, use_embeddings=use_models, policy=policy)
    return run_checks(ctx)[0]


def fired(src, tgt, **kw):
    return {f.check for f in findings_for(src, tgt, **kw)} - {"no-source"}


# (src, tgt, expected check names) -- every check that fires must be listed
STRUCTURE = [
    ("Ivan Maisky was born Jan Lachowiecki in a nobleman's castle in Kirillov, near Nizhny Novgorod.", "",
     ["omission"]),
    ("As a student at St. Petersburg University, he was profoundly influenced by the writings of Sidney and "
     "Beatrice Webb, and he later worked as a poet.", "상트페테르부르크 대학 학생 시절 그는", ["omission"]),
    ("", "그는 뮌헨으로 이민을 갈 수 있었습니다.", ["addition"]),
    ("Soviet Union's ambassador to the United Kingdom[1][2] from 1932 to 1943.",
     "1932년부터 1943년까지 영국 주재[1] 소련 대사를 역임했습니다.", ["citation-mismatch"]),
    ("In November 1912, Maisky moved to London and shared a house with Maxim Litvinov and Georgy Chicherin.",
     "1912년 11월, 마이스키는 런던으로 이사를 왔고, Maxim LitvinovGeorgy Chicherin과 함께 집을 공유했습니다.",
     ["glued-words", "untranslated"]),
    ("", "그는 어린 시절을 보냈습니다.메이스키의 젊은 시절은 인문주의에 영향을 받았습니다.", ["glued-words"]),
    ("", "그는 아버지가 군의관으로 일했던 옴스크에서 자랐습니다.[4]그의 어머니는 러시아인이었습니다.", ["glued-words"]),
    ("Ivan Mikhailovich Maisky (Russian: Ива́н Миха́йлович Ма́йский) (19 January 1884 – 3 September 1975) was a "
     "Soviet diplomat.", "이반 미하일로비치 마이스키(, 1884년 1월 19일 ~ 1975년 9월 3일)는 소련의 외교관이었습니다.",
     ["empty-brackets", "omission"]),  # the Russian name in brackets is dropped: both say so
    ("", "그는 \"위대한 천둥번개가 되기를 이라고 썼습니다.", ["unbalanced-brackets"]),
    ("", "1927년 5월까지 대사 레오니트 크라신 대사 레오니트 크라신의 갑작스러운 죽음으로 대사 역할을 수행했습니다.",
     ["repetition"]),
    ("", "메이스키는 그가 본말은 절대 하지 않고, 본말은 절대 하지 않는 교활한 속임수라고 여겼습니다.", ["repetition"]),
    # a concise human translation (NTREX-128 reference), short for its English with nothing else missing: a note
    ("The species of shark responsible for the attack was unknown.", "공격한 상어의 종은 밝혀지지 않았다.",
     ["possible-omission"]),
    # word level, over the bilingual lexicon: a dropped negation; a word rendered as its opposite
    ("The government did not approve the plan.", "정부는 그 계획을 승인했다.", ["omission"]),
    ("Insert a new table into the document.", "문서에 새 표를 삭제합니다.", ["mistranslation"]),
]

LANGUAGE = [
    ("The meeting was postponed.", "그 meeting은 연기되었습니다.", ["untranslated"]),  # an English word left in
    ("The water was kept at a low pH for a week.", "물은 일주일 동안 낮은 pH농도로 유지되었다.", []),  # a symbol
    # a user name opening both texts before a colon, kept as the English writes it: a name (minor by default)
    ("kimtweets: RT @parkhan: the bridge is finally open", "kimtweets: RT @parkhan: 드디어 다리가 개통됐어요", ["untranslated"]),
    ("In November 1912, Maisky moved to London.", "1912년 11월, Maisky는 런던으로 이사를 왔습니다.", ["untranslated"]),
    ("He was appointed Minister of Labour in the Komuch government.",
     "그는 코무치(Komuch)로 알려진 임시 정부의 노동부 장관이 되었습니다.", ["untranslated-gloss"]),
    # a gloss that is neither the English's term nor a transliteration of its Hangul
    ("He was appointed Minister of Labour in the new government.",
     "그는 새 정부(Provisional Council)의 노동부 장관이 되었습니다.", ["untranslated"]),
    ("Maisky reported to Litvinov that his aim in London was to widen his circle.",
     "Maisky reported to Litvinov that his aim in London was to widen his circle.",
     ["untranslated", "source-copy"]),
    # a name kept in Latin (an infobox's native name) is untranslated, not a critical copy of the source
    ("Ivan Mikhailovich Maisky", "Ivan Maisky", ["untranslated"]),
    ("", "これは日本語で書かれた長い文章です。", ["wrong-language"]),
    ("", "총리는 일본의 초민족주의자인 도조 히데키(東jo秀木) 장군이었습니다.", ["mixed-script", "untranslated"]),
    ("", "그는 그의 비서인 세mer 크레머에게 임무를 맡겼습니다.", ["mixed-script", "untranslated"]),
    ("", "목적은 달리기를 통해 &quot;자유&quot;의 개념을 전달하는 것입니다.", ["encoding"]),
    ("", "이반 " + "마이스키는".encode("utf-8").decode("cp1252", errors="replace") + " 외교관이었습니다.", ["encoding"]),
]

NUMBERS = [
    ("In 1902, he was arrested for his political activities.", "1903년, 그는 자신의 정치 활동으로 체포되었습니다.",
     ["number-mismatch"]),
    ("In January 1906 he was arrested.", "1906년 3월 그는 체포되었습니다.", ["number-mismatch"]),
    ("Saved %d files.", "파일을 저장했습니다.", ["placeholder-mismatch"]),
    ("The deal was worth $11 billion.", "그 거래는 11억 달러 규모였습니다.", ["number-mismatch"]),
    ("Sikorski claimed there were 180,000 Polish prisoners.", "시코르스키는 폴란드 포로가 18만명이라고 주장했습니다.", []),
    ("(19 January 1884 – 3 September 1975)", "(1884년 1월 19일 ~ 1975년 9월 3일)", []),
    ("The deal was worth $11 billion.", "그 거래는 110억 달러 규모였습니다.", []),
    ("He was counsellor in Tokyo from 1927 to 1929.", "1927년부터 29년까지 도쿄 주재 소련 대사관에서 고문을 지냈습니다.", []),
    ("87% of the British public wanted an alliance with Moscow.", "영국 국민의 87%가 모스크바와의 동맹을 원했습니다.", []),
    ("The Treasury expects to raise up to £120 million a year.", "재무부는 연간 1억 2천만 파운드를 예상합니다.", []),
]

# Clock times, reformatted and spelled-out numbers, ranges and decades: the same number (issue 12).
NUMBER_FORMS = [
    ("The boy was found at about 10:00 BST.", "소년은 영국 서머타임 기준 10시경 발견되었습니다.", []),
    ("The incident unfolded on Thursday at about 19:30 BST.", "이 사건은 목요일 오후 7시 30분경에 일어났다.", []),
    ("About 1,000 people attended.", "약 천 명이 참석했다.", []),
    ("Viewers reached 2.5 million.", "시청자는 250만 명에 달했다.", []),
    ("He paid her $375,000.", "그는 그녀에게 37만 5,000달러를 지불했다.", []),
    ("He went to sell 15 pigs.", "그는 돼지 열 다섯 마리를 팔러 갔다.", []),
    ("Zaruhi, a 20-year-old mother, died.", "스무 살 어머니 자루히가 사망했다.", []),
    ("I earned a $5,000 award.", "나는 상금으로 오천 달러를 받았다.", []),
    ("Enrollment fell by nearly half a million.", "등록자 수는 50만 명 가까이 줄었다.", []),
    ("About 20 thousands attended the vigil.", "약 2만명이 촛불집회에 참가했다.", []),
    ("the 11,541 killed in the 1992-95 siege", "1992~1995년 포위전에서 죽은 11,541명", []),
    ("had it happened in the 80s", "1980년대에 일어났다면", []),
    ("The airport will remain closed until Oct.", "공항은 10월까지 폐쇄될 것입니다.", []),
    ("Teenagers are tempted online.", "10대들은 온라인에서 유혹을 받는다.", []),
    ("More than a million people fled.", "100만 명이 넘는 사람들이 피란했다.", []),
    ("Crowds may swell to 30 million.", "군중은 3천 만명으로 불어날 수 있다.", []),
    ("Profits fell to 50 billion won.", "이익은 5백억 원으로 줄었다.", []),
    ("It is protected by Article 12 of the treaty.", "그것은 조약 제12조로 보호된다.", []),
    ("The sheet is one-thousandth of a metre thick.", "그 종이의 두께는 1/1000미터이다.", []),
    ("The pump weighs about three-and-a-half kilos.", "펌프의 무게는 약 3.5킬로그램이다.", []),
    ("The session ran from 2ndMarch to 9th April 2001.", "회기는 2001년 3월 2일부터 4월 9일까지였다.", []),
    ("Follow the march at bit.ly/Xy7Qz9 and #june4 today.", "오늘 #6월4일 해시태그로 행진을 따라가세요.", []),
    ("The show topped the ratings this week.", "그 쇼는 이번 주 시청률 1위를 했다.", []),
    # the same forms with the wrong value are still reported
    ("The show was second in the ratings.", "그 쇼는 시청률 1위를 했다.", ["number-mismatch"]),
    ("It costs three million dollars a year.", "그것은 매년 3만 달러가 든다.", ["number-mismatch"]),
    ("Crowds may swell to 30 million.", "군중은 3천 명으로 불어날 수 있다.", ["number-mismatch"]),
    ("Profits fell to 50 billion won.", "이익은 5백만 원으로 줄었다.", ["number-mismatch"]),
    # a clock time changed is still reported
    ("The boy was found at about 10:00 BST.", "소년은 영국 서머타임 기준 11시경 발견되었습니다.", ["number-mismatch"]),
    ("He went to sell 15 pigs.", "그는 돼지 열 여섯 마리를 팔러 갔다.", ["number-mismatch"]),
]


@pytest.mark.parametrize("src,tgt,expected", NUMBER_FORMS)
def test_number_forms(models, src, tgt, expected):
    assert fired(src, tgt) & {"number-mismatch"} == set(expected)

# Clean pairs that must not fire: false alarms cost reviewers' trust.
CLEAN = [
    ("Maisky was a Soviet diplomat, historian and politician.", "마이스키는 소련의 외교관, 역사학자, 정치인이었습니다.", []),
    # an acronym Korean writes in Latin (the shipped list)
    ("The NKVD resident in the London embassy was Ivan Chichayev.", "런던 대사관의 NKVD 거주자는 이반 치차예프였습니다.", []),
    ("Three million people live in the province.", "그 지역에는 3백만 명이 거주합니다.", []),
    ("He said \"we will fight\" and left.", "그는 \"우리는 싸울 것\"이라고 말하고 떠났습니다.", []),
    ("The film was released in the U.S. last year.", "그 영화는 작년에 미국에서 개봉했습니다.", []),
    ("Forecasts are on weather.com.", "예보는 weather.com에서 볼 수 있습니다.", []),
    # quotation marks in mixed styles, and a quotation the English also closes without opening it here
    ("\"Historically, there was a bar and a church on every corner,\" Mr. Adams said.",
     "\"역사적으로, 골목마다 바와 교회가 있었습니다.” 아담 씨가 말했다.", []),
    ("There are more than 300,000 people living there,\" the Red Cross said.",
     "300,000명이 넘는 사람들이 그 곳에 살고 있습니다.”라고 적십자가 말했습니다.", []),
    ("Please drop Chequers and start listening.'", "제발 협정을 폐기하고 국민의 말을 들어라.”", []),
]


@pytest.mark.parametrize("src,tgt,expected", STRUCTURE + LANGUAGE + NUMBERS + CLEAN)
def test_golden(models, src, tgt, expected):
    # Korean-only rows are Korean whose English is unavailable, except the row that tests additions.
    assert fired(src, tgt, no_source=not src and "addition" not in expected) == set(expected)


def test_no_source_is_not_an_addition(models):
    found = findings_for("", "그는 뮌헨으로 이민을 갈 수 있었습니다.", no_source=True)
    assert [f.check for f in found] == ["no-source"]
    assert penalty(found) == 0


@pytest.mark.parametrize("src,tgt,severity", [
    # a name the English does not have, left in running Korean
    ("In November 1912, he moved to London.", "1912년 11월, Maisky는 런던으로 이사를 왔습니다.", Severity.MAJOR),
    # the English's name kept in Latin: a choice (minor); written in Hangul elsewhere in the document it is an
    # inconsistency the name checks report as major (name-untranslated, test_name_checks below)
    ("In November 1912, Maisky moved to London.", "1912년 11월, Maisky는 런던으로 이사를 왔습니다.", Severity.MINOR),
    ("He joined the government.", "그는 코무치(Provisional Council)로 알려진 정부에 들어갔습니다.", Severity.MINOR),
    # an acronym neither on the list nor in the English
    ("The liaison was Chichayev.", "NKVD-GRU 연락관은 치차예프였습니다.", Severity.MINOR),
    ("Maisky reported to Litvinov that his aim in London was to widen his circle.",
     "Maisky reported to Litvinov that his aim in London was to widen his circle.", Severity.CRITICAL),
])
def test_untranslated_severity(models, src, tgt, severity):
    found = [f for f in findings_for(src, tgt) if f.check == "untranslated"]
    assert found and max(found, key=lambda f: f.severity.weight).severity is severity


# Choices translators make on purpose (review.policy): minor at most under the default house style, not
# reported when a profile says "ignore", major when it says so.
DELIBERATE = [
    pytest.param("My little brother Annie was there.", "나의 어린 동생 Annie는 거기 있었다.", "latin_names",
                 [("Annie smiled.", "Annie는 웃었다.")], id="latin-name-kept"),
    pytest.param("Francis Galton's theory was wrong.", "Francis Galton의 이론은 틀렸다.", "latin_names",
                 [("Francis Galton was a cousin of Darwin.", "Francis Galton은 다윈의 사촌이었다.")], id="latin-full-name"),
    pytest.param("Mike: Yes, speaking.", "Mike: 네, 전데요.", "latin_names",
                 [("Mike: Who is it?", "Mike: 누구세요?")], id="speaker-label"),
    pytest.param("We built next to the new Peace Arts Center.", "우리는 새 Peace Arts center 옆에 지었다.", "latin_names",
                 [], id="latin-name-other-case"),
    pytest.param("Its edition, NewsAsia, was launched.", "그 판인 News Asia가 출시되었다.", "latin_names", [],
                 id="latin-name-other-spacing"),
    pytest.param("And 7elhamdy shares photographs.", "7elhamdy가 사진을 올렸다.", "latin_names", [],
                 id="user-name-with-digits"),
    pytest.param("His first song was Proud by Heather Small.", "그의 첫 노래는 Proud by Heather Small이었다.", "latin_names",
                 [], id="title-with-small-words"),
    pytest.param("He joined the Komuch government.", "그는 코무치(Komuch)로 알려진 정부에 들어갔습니다.", "glosses", [],
                 id="gloss"),
    pytest.param('He said "Il faut bien le faire" and left.', '그는 "Il faut bien le faire"라고 말하고 떠났다.',
                 "foreign_quotes", [], id="french-quotation"),
]


@pytest.mark.parametrize("src,tgt,setting,others", DELIBERATE)
def test_deliberate_latin_follows_the_policy(models, src, tgt, setting, others):
    def untranslated(policy):
        return [f for f in findings_for(src, tgt, others=others, policy=policy) if f.check == "untranslated"]
    default = untranslated(DEFAULT_POLICY)
    assert all(f.severity is Severity.MINOR for f in default)
    assert not untranslated(Policy(**{setting: "ignore"}))
    strict = untranslated(Policy(**{setting: "major"}))
    assert strict and all(f.severity is Severity.MAJOR for f in strict)
    if setting == "glosses":  # the default shows a gloss as an informational note, not an error
        found = findings_for(src, tgt, others=others)
        assert not default and [f.check for f in found] == ["untranslated-gloss"] and penalty(found) == 0
        assert not findings_for(src, tgt, others=others, policy=Policy(glosses="ignore"))


def test_a_latin_name_used_once_is_a_choice_too(models):
    # a name the English has, kept in Latin: a choice (minor), whether the document repeats it or not
    found = [f for f in findings_for("My little brother Annie was there.", "나의 어린 동생 Annie는 거기 있었다.")
             if f.check == "untranslated"]
    assert [f.severity for f in found] == [Severity.MINOR]
    # not in the English: left in running Korean, major
    found = [f for f in findings_for("My little brother was there.", "나의 어린 동생 Annie는 거기 있었다.")
             if f.check == "untranslated"]
    assert [f.severity for f in found] == [Severity.MAJOR]
    # an English word the English has in lower case is no name: still major
    found = [f for f in findings_for("The report is on the net today.", "보고서는 오늘 net에 있다.")
             if f.check == "untranslated"]
    assert [f.severity for f in found] == [Severity.MAJOR]


# Glosses (issue 12): the Latin original after its Korean form is the standard convention when it is the
# English's own term or the Hangul transliterates it; it is a note (informational), never an error.
GLOSSES = [
    ("A stone was unveiled at a parade in Rushden, Northamptonshire.",
     "노샘프턴셔 러시덴(Rushden, Northamptonshire)에서 열린 퍼레이드에서 기념비를 공개했습니다.",
     {"Rushden", "Northamptonshire"}),
    ("The reports focus on Impact and Learning.", "이 보고서는 '효과와 학습'(Impact and Learning)에 집중한다.",
     {"Impact and Learning"}),
    ("It was returned to the shipyard in Hamburg.",  # not in the English: the Hangul transliterates it
     "함부르크에 있는 블롬(Blohm) 조선소에 반환됐습니다.", {"Blohm"}),
    ("The research, by the Headmasters' and Headmistresses' Conference, found it.",
     "HMC(Headmasters' and Headmistresses' Conference)에서 실행한 연구에 따르면 그렇다.",
     {"Headmasters' and Headmistresses' Conference"}),
]


@pytest.mark.parametrize("src,tgt,glossed", GLOSSES)
def test_supported_glosses_are_notes(models, src, tgt, glossed):
    found = findings_for(src, tgt)
    assert not [f for f in found if f.check == "untranslated"]
    assert {f.tgt_spans[0].text for f in found if f.check == "untranslated-gloss"} == glossed
    assert penalty(found) == 0


def test_gloss_transliteration_threshold():
    from review.checks.language import GLOSS_TRANSLIT_MIN, _gloss_supported
    assert _gloss_supported("Komuch", "코무치", "")                       # a transliteration
    assert _gloss_supported("komuch", "", "He joined the Komuch.")        # the English's term, any case
    assert not _gloss_supported("Edition", "판본", "")                   # a translation the English lacks
    assert 0 < GLOSS_TRANSLIT_MIN < 1


@pytest.mark.parametrize("src,tgt", [
    ("The EU and NATO met the FBI and CNN on TV.", "EU와 NATO는 TV에서 FBI와 CNN을 만났다."),   # shipped acronyms
    ("Fans waited for the Los Angeles Lakers.", "팬들은 LA 레이커스를 기다렸다."),              # LA, FAQ: shipped
    ("Winds reached 100 mph.", "풍속은 100 mph에 달했습니다."),                                # a unit
    ("H.G. Wells wrote it.", "H.G. 웰스가 썼다."),                                              # initials
    ("H. G. Wells wrote it.", "H. G. 웰스가 썼다."),
    ("Il faut bien le faire.", "Il faut bien le faire."),  # a French line the English quotes: not a copy
    ("The MWP and PIP groups objected.", "MWP와 PIP 그룹이 반대했다."),  # acronyms kept as the English has them
])
def test_latin_korean_keeps_is_not_untranslated(models, src, tgt):
    assert not {"untranslated", "source-copy"} & {f.check for f in findings_for(src, tgt)}


def test_profile_allow_lists_extend_the_shipped_ones(models):
    src, tgt = "The deal with Acme Widgets fell through.", "WMP와 Acme Widgets의 거래는 무산되었다."
    assert {f.tgt_spans[0].text for f in findings_for(src, tgt) if f.check == "untranslated"} == {"WMP", "Acme Widgets"}
    policy = Policy(acronyms=DEFAULT_POLICY.acronyms | {"WMP"}, do_not_translate=frozenset({"acme widgets"}))
    assert not [f for f in findings_for(src, tgt, policy=policy) if f.check == "untranslated"]


def test_spans_point_at_the_defect(models):
    tgt = "이반 미하일로비치 마이스키(, 1884년 1월 19일)는 외교관이었습니다."
    (f,) = findings_for("", tgt, no_source=True)[1:]
    assert f.check == "empty-brackets" and f.tgt_spans[0].text == "(," and tgt[f.tgt_spans[0].start:].startswith("(,")
    src = "In 1902, he was arrested."
    found = findings_for(src, "1903년, 그는 체포되었습니다.")
    (num,) = [f for f in found if f.check == "number-mismatch"]
    assert num.tgt_spans[0].text == "1903" and num.src_spans[0].text == "1902" and num.suggestion == "1902"
    rep = [f for f in findings_for("", "대사 레오니트 크라신 대사 레오니트 크라신의 죽음") if f.check == "repetition"][0]
    assert rep.tgt_spans[0].text == "대사 레오니트 크라신 대사 레오니트 크라신의"


MAISKY_DOC = [
    ("", "마이스키는 1932년 런던으로 돌아왔습니다."), ("", "마이스키는 체임벌린과 협상했습니다."),
    ("", "마이스키가 외교부에 주장했습니다."), ("", "마이스키는 처칠과 가까웠습니다."),
    ("", "체임벌린은 마이스키를 싫어했습니다."),
]


def test_unsupported_title(models):
    # with English: the title is not there, and the document names him bare: an error
    assert "unsupported-title" in fired("He told Maisky that Britain would not help.",
                                        "그는 마이스키 대통령에게 영국이 돕지 않을 것이라고 말했습니다.", others=MAISKY_DOC)
    # the sentence alone: nothing says the office is wrong, a note for the reviewer (added-title)
    assert fired("He told Maisky that Britain would not help.",
                 "그는 마이스키 대통령에게 영국이 돕지 않을 것이라고 말했습니다.") == {"added-title"}
    # without English: judged against a document that names him bare
    assert "unsupported-title" in fired("", "마이스키 대통령은 외교부에 주장했습니다.", no_source=True, others=MAISKY_DOC)
    # a document that titles the person consistently is not flagged
    consistent = [("", "트럼프 대통령은 말했습니다."), ("", "트럼프 대통령이 떠났습니다."), ("", "트럼프 대통령을 만났습니다.")]
    assert "unsupported-title" not in fired("", "트럼프 대통령은 웃었습니다.", no_source=True, others=consistent)
    # "<country> 대사" is not a title on a person
    assert "unsupported-title" not in fired("", "그는 소련 대사로 임명되었습니다.", no_source=True, others=MAISKY_DOC)
    # the document's English gives the title elsewhere: Korean news repeats it with the name (NTREX-128)
    titled = [("President Donald Trump spoke on Monday.", "도널드 트럼프 대통령은 월요일에 연설했다.")]
    assert "unsupported-title" not in fired("Trump left the rally early.", "트럼프 대통령은 집회를 일찍 떠났다.",
                                            others=titled)
    # nothing in the document against the title: Korean news style adds the office, a note (added-title), not an error
    bare = fired("Trump left the rally early.", "트럼프 대통령은 집회를 일찍 떠났다.")
    assert "added-title" in bare and "unsupported-title" not in bare
    assert CHECKS["added-title"].informational


def test_a_user_name_label_is_a_name_kept_in_latin(models):
    found = [f for f in findings_for("kimtweets: RT @parkhan: the bridge is finally open",
                                     "kimtweets: RT @parkhan: 드디어 다리가 개통됐어요") if f.check == "untranslated"]
    assert [f.severity for f in found] == [Severity.MINOR]
    # the same lowercase word left in running Korean, not a label: still major
    found = [f for f in findings_for("the bridge kimtweets built is open", "kimtweets 다리가 개통됐어요")
             if f.check == "untranslated"]
    assert [f.severity for f in found] == [Severity.MAJOR]


def test_title_licensed_by_related_english_words(models):
    # "the Lee presidency", "press secretary" give the office the Korean names (대통령, 대변인)
    assert not {"unsupported-title", "added-title"} & fired(
        "Complaints rose sharply at the end of the Lee presidency.", "불만은 이명박 대통령 말기에 크게 늘었다.")
    assert not {"unsupported-title", "added-title"} & fired(
        "Sanders, the press secretary, cancelled the briefing.", "샌더스 대변인은 브리핑을 취소했다.")
    # a title the document doubts (named bare again and again) is still an error
    doubted = [("Sanders spoke first.", "샌더스가 먼저 말했다."), ("Sanders left.", "샌더스는 떠났다."),
               ("He met Sanders.", "그는 샌더스를 만났다."), ("Sanders smiled.", "샌더스는 웃었다.")]
    assert "unsupported-title" in fired("Sanders cancelled the briefing.", "샌더스 대변인은 브리핑을 취소했다.",
                                        others=doubted)


def test_glued_hangul_names(models):
    doc = [("", "버틀러는 동의했습니다."), ("", "로버트 허드슨은 말했습니다."), ("", "버틀러가 기록했습니다.")]
    found = [f for f in findings_for("", "마이스키는 랍 버틀러로버트 허드슨과 점심을 함께 했습니다.", no_source=True,
                                     others=doc) if f.check == "glued-words"]
    assert found and found[0].tgt_spans[0].text == "버틀러로버트" and found[0].suggestion == "버틀러 로버트"


def test_a_name_kiwi_knows_is_not_two_names_glued(models):
    # 인도네시아 begins with 인도, a name the document uses; Kiwi's dictionary has the whole word: one name
    doc = [("India voted.", "인도는 투표했다."), ("Sydney wrote.", "시드니는 썼다."), ("Beatrice agreed.", "베아트리스는 동의했다.")]
    found = [f for f in findings_for("Users in Indonesia started it.", "인도네시아 사용자들이 시작했다.", others=doc)
             if f.check == "glued-words"]
    assert not found
    # an unknown word made of two names the document uses apart is still reported
    found = [f for f in findings_for("Sidney and Beatrice Webb came.", "시드니베아트리스 웹이 왔다.", others=doc)
             if f.check == "glued-words"]
    assert [f.tgt_spans[0].text for f in found] == ["시드니베아트리스"]


def test_sentence_fragment(models):
    assert "sentence-fragment" in fired("", "세인트루이스의 학생으로서. 페테르부르크 대학에서 그는 영향을 받았습니다.",
                                        no_source=True)
    assert "sentence-fragment" not in fired("", "1932년 1월 21일 헬싱키에서 소련-핀란드 불가침 조약 체결.", no_source=True)


@pytest.mark.parametrize("tgt,empty", [
    ('그는 "가자"\n"어디로?"라고 물었다.', False),  # a quotation closing a line, the next opening the next line
    ('그는 "가자"\r\n"어디로?"', False),
    ('그는 자신은 "관련자들이 조작한" "가짜 뉴스"라고 반박했다.', False),  # two quotations in a row
    ('그는 " "라고 말했다.', True),
    ('그는 ""라고 말했다.', True),
])
def test_empty_brackets_across_lines(models, tgt, empty):
    assert ("empty-brackets" in fired("", tgt, no_source=True)) is empty


@pytest.mark.parametrize("src,tgt,broken", [
    # archaic and colloquial endings of speech close a sentence (issue 12)
    ("I won't do that.", "그 일은 하지 않소.", False),
    ("He gave it to me.", "그가 내게 주었소.", False),
    ("Because it's raining.", "왜냐하면 비가 오니까.", False),
    ("Because I'm hungry.", "배가 고프니까.", False),
    ("I said go.", "그래서 내가 말했잖아, 가라고.", False),
    ("Both at the same time, in different halls.", "차라리 서로 다른 홀에서 둘 다 동시에.", False),
    # a vocative after a clause closed by a polite ending (Kiwi reads 이거예요, before a comma as connective)
    ("This is the key point, Jenny, because the vote comes later.", "핵심은 이거예요, 제니. 투표는 나중에 하거든요.", False),
    ("Thank you for that, Minsu, since nobody else came.", "정말 고마워요, 민수. 아무도 안 왔거든요.", False),
    ("The striker shot and the keeper saved it while Lithgow ran.", "스트라이커가 공을 찼고, 골키퍼. 리스고우는 달렸다.", True),
    # machine translation cutting one English sentence in two after a connective ending
    ("Scott Pittman was denied by keeper Allan McGregor and Lithgow moved quickly.",
     "스콧 피트먼은 골키퍼 알란 맥그레고르에 의해 저지당했고. 리스고우는 재빠르게 움직였다.", True),
])
def test_sentence_fragment_reads_speech(models, src, tgt, broken):
    assert ("sentence-fragment" in fired(src, tgt)) is broken


NEWS = [
    ("The president met the prime minister on Monday.", "대통령은 월요일에 총리를 만났습니다."),
    ("Heavy rain is expected across the region this weekend.", "이번 주말 전국에 많은 비가 예상됩니다."),
    ("The company reported a sharp rise in profits.", "그 회사는 이익이 급증했다고 발표했습니다."),
    ("Police arrested a man on suspicion of theft.", "경찰은 절도 혐의로 한 남성을 체포했습니다."),
    ("The museum will reopen to visitors next month.", "박물관은 다음 달 관람객에게 다시 문을 엽니다."),
    ("Scientists discovered a new species of frog in the forest.", "과학자들은 숲에서 새로운 개구리 종을 발견했습니다."),
    ("The team won the championship after a long season.", "그 팀은 긴 시즌 끝에 우승을 차지했습니다."),
    ("Students protested against the tuition increase.", "학생들은 등록금 인상에 반대하는 시위를 벌였습니다."),
]


def test_fluency_flags_word_salad(models):
    salad = "시위를 등록금 반대하는 학생들은 벌였습니다. 인상에"
    assert "fluency" in fired("Students protested against the tuition increase.", salad, others=NEWS)
    assert "fluency" not in fired("Students protested against the tuition increase.",
                                  "학생들은 등록금 인상에 반대하는 시위를 벌였습니다.", others=NEWS)


def test_semantic_drift_flags_a_detached_translation(models):
    assert "semantic-drift" in fired("Police arrested a man on suspicion of theft.",
                                     "과학자들은 숲에서 새로운 개구리 종을 발견했습니다.", others=NEWS)
    assert "semantic-drift" not in fired("Police arrested a man on suspicion of theft.",
                                         "경찰은 절도 혐의로 한 남성을 체포했습니다.", others=NEWS)


def test_korean_number_forms():
    assert [n.values for n in korean_numbers("1884년 1월 19일")] == [(1884.0,), (1.0,), (19.0,)]
    assert korean_numbers("110억 달러")[0].values == (11e9,)
    assert korean_numbers("3천5백만 명")[0].values == (35e6,)
    assert korean_numbers("2천 만명")[0].values == (2e7,) and korean_numbers("2천 만큼")[0].values == (2e3,)
    assert korean_numbers("5백억 원")[0].values == (5e10,)
    assert korean_numbers("22조 원")[0].values == (22e12, 22.0)  # trillions, or an article number (제22조)
    assert english_numbers("fb.me/Ab5Cd and #mar15") == [] and english_numbers("the #1 song")[0].values == (1.0,)
    assert korean_numbers("1927년부터 29년까지")[1].values == (29.0, 1929.0)
    assert {v for n in english_numbers("19 January 1884") for v in n.values} == {19.0, 1.0, 1884.0}
    assert english_numbers("$11 billion")[0].values == (11e9,)


# -- glossary checks -------------------------------------------------------------------------------
def _termbase():
    from glossary.termbase import TermBase
    tb = TermBase()
    tb.add(["Ivan Maisky", "Maisky"], ["마이스키"], deprecated=["메이스키"])
    tb.add(["Maxim Litvinov"], ["리트비노프"])
    tb.add(["Dunkirk"], ["됭케르크"], type="place")
    return tb


# (src, tgt, expected (check, flagged text) pairs); the document spells 드랙스 two ways and uses no models
GLOSSARY_DOC = ["드락스는 떠났다.", "드랙스는 떠났다.", "드랙스에게 말했다.", "드랙스가 왔다."]
GLOSSARY = [
    ("Maisky arrived.", "메이스키가 도착했다.", [("term-deprecated", "메이스키")]),
    ("", "매이스키가 도착했다.", [("term-variant", "매이스키")]),
    ("Litvinov came.", "Litvinov가 왔다.", [("name-untranslated", "Litvinov")]),
    ("They left Dunkirk.", "그들은 떠났다.", [("term-missing", "Dunkirk")]),
    ("", "드락스를 만났다.", [("name-inconsistent", "드락스")]),
    ("Maisky met Litvinov.", "마이스키는 리트비노프를 만났다.", []),
]


@pytest.mark.parametrize("src,tgt,expected", GLOSSARY)
def test_glossary_checks_golden(src, tgt, expected):
    doc = [tgt, *GLOSSARY_DOC]
    terms = TermContext.from_text("\n".join(doc), termbase=_termbase())
    pairs = [CheckPair("p0", src, tgt, 0, not src)] + [CheckPair(f"o{i}", "", t, i + 1, True)
                                                       for i, t in enumerate(GLOSSARY_DOC)]
    found = run_checks(build_context(pairs, use_lm=False, use_embeddings=False, terms=terms))[0]
    # every finding is listed: 'Litvinov' is name-untranslated, which supersedes the generic untranslated
    got = [(f.check, (f.tgt_spans or f.src_spans)[0].text) for f in found if f.check != "no-source"]
    assert got == expected
    for f in found:
        assert f.severity is CHECKS[f.check].severity


def test_term_checks_wait_for_a_future_of_the_terms_and_find_the_same():
    """The review hands run_checks its name discovery as a future: the other checks run over every pair
    before it is asked for, and the findings (and their order) are those of the terms given at once."""
    doc = [src_tgt[1] for src_tgt in GLOSSARY] + GLOSSARY_DOC
    terms = TermContext.from_text("\n".join(doc), termbase=_termbase())
    pairs = [CheckPair(f"p{i}", src, tgt, i, not src) for i, (src, tgt, _) in enumerate(GLOSSARY)]
    at_once = run_checks(build_context(pairs, use_lm=False, use_embeddings=False, terms=terms))
    ran: list[str] = []

    class Later:   # the future: records when it is asked for
        def result(self):
            ran.append("terms asked")
            return terms

    ctx = build_context(pairs, use_lm=False, use_embeddings=False)
    seen = ctx.pairs[-1]
    original = CHECKS["untranslated"].func
    checks = [CheckSpec(**{**spec.__dict__, "func": (lambda p, c, f=original: ran.append(p.id) or f(p, c))})
              if spec.name == "untranslated" else spec for spec in select_checks()]
    later = run_checks(ctx, checks, terms=Later())
    assert later == at_once and any(f.check.startswith("name-") or f.check.startswith("term")
                                    for fs in later for f in fs)
    assert ran.index("terms asked") > ran.index(seen.id) and ctx.terms is terms


def test_glossary_checks_are_silent_without_the_glossary_context():
    pairs = [CheckPair("p0", "Maisky arrived.", "메이스키가 도착했다.")]
    found = run_checks(build_context(pairs, use_lm=False, use_embeddings=False))[0]
    assert not [f for f in found if f.category is Category.TERMINOLOGY]


# -- registry -------------------------------------------------------------------------------------
GOLDEN_CHECKS = {name for table in (STRUCTURE, LANGUAGE, NUMBERS, CLEAN) for _, _, names in table for name in names} | {
    "no-source", "unsupported-title", "added-title", "sentence-fragment", "fluency", "semantic-drift", "garble",  # garble: below
    "tag-mismatch"} | {  # tag-mismatch: the golden file tests/fixtures/tags (test_markup_checks.py)
    name for _, _, found in GLOSSARY for name, _ in found}


def test_the_registry_holds_every_check():
    from glossary.evidence import KINDS
    assert len(CHECKS) >= 23
    assert set(KINDS) <= set(CHECKS)  # every kind of glossary evidence is reported by a registered check


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_has_metadata_and_a_golden_case(name):
    from review.checks.registry import EXEMPT_PLACES, GARBLE_GROUPS, NEEDS
    spec = CHECKS[name]
    assert spec.title and not spec.title.endswith(":"), f"{name} needs a docstring title"
    assert isinstance(spec.category, Category) and isinstance(spec.severity, Severity)
    assert name == name.lower() and " " not in name
    assert spec.garble_group is None or spec.garble_group in GARBLE_GROUPS
    assert spec.needs <= set(NEEDS) and spec.exempt <= set(EXEMPT_PLACES)
    assert spec.supersedes <= set(CHECKS) - {name}
    assert 0.0 <= spec.priority_share <= 1.0
    assert name in GOLDEN_CHECKS, f"{name} has no golden test case"


def test_garble_score_alone_gets_a_finding_naming_its_signals(monkeypatch):
    """A pair on the worklist by the garble score alone says why (issue 12 item 4)."""
    import review.assess
    from review.assess import assess_pairs
    from review.scoring import FEATURES, GarbleModel

    weights = tuple(3.0 if name == "short_share" else 0.0 for name in FEATURES)
    monkeypatch.setattr(review.assess, "garble_score", lambda pair, found, ctx: 0.9)
    monkeypatch.setattr("review.scoring.default_model", lambda: GarbleModel(-1.0, weights))
    pairs = [CheckPair("p", "He agreed with the plan.", "그는 동의했다.")]  # short: no other check fires
    (a,) = assess_pairs(pairs, use_models=False)
    (f,) = [f for f in a.findings if f.check == "garble"]
    assert f.severity is Severity.MAJOR and f.category is Category.GARBLED
    assert "shorter than the English warrants" in f.message and f.tgt_spans[0].text == pairs[0].tgt
    (quiet,) = assess_pairs(pairs, use_models=False, disable=["garble"])
    assert not [f for f in quiet.findings if f.check == "garble"]
    monkeypatch.setattr(review.assess, "garble_score", lambda pair, found, ctx: 0.3)
    (low,) = assess_pairs(pairs, use_models=False)
    assert not [f for f in low.findings if f.check == "garble"]


def test_checks_that_need_the_source_or_models_are_silent_without_them():
    # every golden case, Korean only (no English) and without models: checks needing either say nothing
    cases = [t for table in (STRUCTURE, LANGUAGE, NUMBERS, CLEAN) for t in table]
    pairs = [CheckPair(str(i), "", tgt, i, True) for i, (_, tgt, _) in enumerate(cases)]
    found = {f.check for fs in run_checks(build_context(pairs, use_lm=False, use_embeddings=False)) for f in fs}
    assert found, "the golden cases fire some target-only checks"
    assert not {f for f in found if CHECKS[f].needs & {"source", "models"}}


def test_the_decorator_rejects_an_incomplete_spec():
    from review.checks.registry import check

    def doc(pair, ctx):
        """A check."""
    with pytest.raises(ValueError, match="must state its garble_group"):
        check("x-unstated", category=Category.FLUENCY, severity=Severity.MINOR)(doc)
    with pytest.raises(ValueError, match="unknown garble_group"):
        check("x-group", category=Category.FLUENCY, severity=Severity.MINOR, garble_group="nosuch")(doc)
    with pytest.raises(ValueError, match="unknown needs"):
        check("x-needs", category=Category.FLUENCY, severity=Severity.MINOR, garble_group=None, needs=("gpu",))(doc)
    with pytest.raises(ValueError, match="duplicate check 'fluency'"):
        check("fluency", category=Category.FLUENCY, severity=Severity.MINOR, garble_group=None)(doc)
    assert not {"x-unstated", "x-group", "x-needs"} & set(CHECKS)


def test_scoring_reads_the_spec():
    from review.scoring import features
    # informational findings weigh nothing; a check's priority share scales its findings
    assert penalty([_f(Severity.MINOR, "no-source")]) == 0 and CHECKS["no-source"].informational
    assert CHECKS["untranslated"].priority_share < 1.0
    untranslated = priority([_f(Severity.MAJOR, "untranslated")], 0.0, "가" * 100)
    other = priority([_f(Severity.MAJOR, "omission")], 0.0, "가" * 100)
    assert untranslated == pytest.approx(other * CHECKS["untranslated"].priority_share)
    # each finding feeds its check's garble group; a check with no group feeds none
    ctx = build_context([CheckPair("a", "", "가나다")], use_lm=False, use_embeddings=False)
    groups = [f[2:] for f in FEATURES[:-4]]
    x = features(ctx.pairs[0], [_f(Severity.MAJOR, "number-mismatch")], ctx)
    assert [g for g, v in zip(groups, x) if v] == ["number"]
    assert not any(features(ctx.pairs[0], [_f(Severity.MAJOR, "addition")], ctx)[:len(groups)])


def test_select_checks_by_name():
    chosen = select_checks(disable=["fluency", "semantic-drift"])
    assert "fluency" not in {c.name for c in chosen} and "repetition" in {c.name for c in chosen}
    assert [c.name for c in select_checks(["encoding"])] == ["encoding"]
    with pytest.raises(MtreviewError, match="unknown check 'no-such-check'"):
        select_checks(["no-such-check"])


@pytest.mark.slow
def test_a_misspelt_check_name_fails_before_any_work(tmp_path):
    import subprocess
    import sys
    manifest = tmp_path / "docs.tsv"
    manifest.write_text("source\ttarget\tdoc_id\na.en\ta.ko\ta\n", encoding="utf-8")
    probe = ("import sys; from review.cli import main; rc = main(sys.argv[1:]); "
             "heavy = sorted(m for m in ('review.pipeline', 'review.batch', 'kiwipiepy', 'corpus.align') "
             "if m in sys.modules); print(rc, heavy)")
    for args in (["review", "--disable", "nosuch"], ["review", "--manifest", str(manifest), "--out",
                                                      str(tmp_path / "out"), "--disable", "nosuch"]):
        run = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=60)
        assert run.stdout.strip() == "1 []", run.stdout + run.stderr  # nothing of the pipeline was even imported
        assert "unknown check 'nosuch'" in run.stderr
    assert not (tmp_path / "out").exists()


def test_disabled_check_does_not_run():
    pairs = [CheckPair("x", "", "목적은 &quot;자유&quot;입니다.", 0, True)]
    ctx = build_context(pairs, use_lm=False, use_embeddings=False)
    assert not [f for f in run_checks(ctx, select_checks(disable=["encoding"]))[0] if f.check == "encoding"]


def test_a_crashing_check_is_wrapped_with_its_name_and_pair():
    def broken(pair, ctx):
        """Always fails."""
        raise ZeroDivisionError("boom")
    spec = CheckSpec("broken", Category.FLUENCY, Severity.MINOR, broken, garble_group=None)
    ctx = build_context([CheckPair("doc:7", "src", "tgt")], use_lm=False, use_embeddings=False)
    with pytest.raises(CheckError, match=r"check 'broken' failed on pair doc:7: ZeroDivisionError: boom"):
        run_check(spec, ctx.pairs[0], ctx)


def test_extra_findings_provider_runs():
    def provider(pair, ctx):
        return [Finding("term-missing", Category.TERMINOLOGY, Severity.MAJOR, "term missing")]
    ctx = build_context([CheckPair("a", "x", "가나다")], use_lm=False, use_embeddings=False, providers=[provider])
    assert [f.check for f in run_checks(ctx)[0]] == ["term-missing"]


# -- scores ---------------------------------------------------------------------------------------
def _f(sev, check="repetition"):
    return Finding(check, Category.GARBLED, sev, "x")


def test_penalty_and_priority():
    assert penalty([_f(Severity.MINOR), _f(Severity.MAJOR), _f(Severity.CRITICAL)]) == 31
    assert penalty([_f(Severity.MINOR, "no-source")]) == 0
    short = priority([_f(Severity.MAJOR)], 0.5, "가" * 50)
    long = priority([_f(Severity.MAJOR)], 0.5, "가" * 500)
    none = priority([], 0.01, "가" * 50)
    assert short > long > 0 and short > none
    doc = document_penalty([("one two three four", "하나 둘", 5.0), ("five six seven eight", "셋", 0.0)])
    assert doc["penalty_per_100_source_words"] == 62.5


def test_garble_score_ranks_damage_above_clean(models):
    pairs = [CheckPair(str(i), s, t) for i, (s, t) in enumerate(NEWS)]
    pairs.append(CheckPair("salad", "Students protested against the tuition increase.",
                           "시위를 등록금 반대하는 학생들은 벌였습니다. 인상에"))
    pairs.append(CheckPair("copy", "Police arrested a man on suspicion of theft.",
                           "Police arrested a man on suspicion of theft."))
    ctx = build_context(pairs)
    found = run_checks(ctx)
    scores = [garble_score(p, f, ctx) for p, f in zip(ctx.pairs, found)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert min(scores[-2:]) > max(scores[:-2])
    assert len(default_model().weights) == len(FEATURES)


# -- the score command ----------------------------------------------------------------------------
def test_score_cli(models, tmp_path, capsys):
    from review.cli import main
    inp = tmp_path / "pairs.jsonl"
    rows = [{"id": "a", "src": "In 1902, he was arrested.", "tgt": "1903년, 그는 체포되었습니다.", "label": 1},
            {"id": "b", "src": NEWS[0][0], "tgt": NEWS[0][1], "type": "clean"}]
    inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    assert main(["score", "--input", str(inp), "--output", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    records = [r for r in lines if "id" in r]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["penalty"] >= 5 and records[0]["findings"][0]["check"] == "number-mismatch"
    assert records[0]["score"] > records[1]["score"]
    assert "scored 2 pairs" in capsys.readouterr().out


def test_score_cli_bad_input(tmp_path, capsys):
    from review.cli import main
    inp = tmp_path / "bad.jsonl"
    inp.write_text('{"id": "a", "src": "x", "tgt": "가"}\n{"id": "b", "src": "y"}\n', encoding="utf-8")
    assert main(["score", "--input", str(inp), "--output", str(tmp_path / "o.jsonl"), "--no-models"]) == 1
    assert f"Error: {inp}:2: record has no 'tgt'" in capsys.readouterr().err


# -- the review pipeline ----------------------------------------------------------------------------
def _pair(i, src_idx, tgt_idx, paragraph, src="", tgt="가나다"):
    from review.records import ReviewedPair
    return ReviewedPair(id=f"d:{i}", doc_id="d", position=i, src_idx=src_idx, tgt_idx=tgt_idx,
                        src=src, tgt=tgt, paragraph=paragraph)


def test_mark_no_source_past_the_end_and_in_paragraphs_without_english():
    from corpus.readers import Bitext
    from corpus.records import Document
    from review.pipeline import mark_no_source
    doc = Document("d", "ko", "", ())
    bitext = Bitext("d", doc, doc)
    pairs = [_pair(0, (0,), (0,), 0, "A."), _pair(1, (), (1,), 0),  # inside an aligned paragraph: addition
             _pair(2, (1,), (2,), 1, "B."), _pair(3, (), (3,), 2),   # a whole paragraph without English
             _pair(4, (2,), (4,), 3, "C."), _pair(5, (), (5,), 3), _pair(6, (), (6,), 4)]  # past the English end
    marked = [p.no_source for p in mark_no_source(bitext, pairs)]
    assert marked == [False, False, False, True, False, True, True]
    assert all(p.no_source for p in mark_no_source(Bitext("d", None, doc), pairs))


def test_review_writes_scored_segments(models, tmp_path):
    from review.jsonl import read_jsonl
    from review.pipeline import ReviewConfig, run_review
    src = tmp_path / "doc.tsv"
    src.write_text("In 1902, he was arrested.\t1903년, 그는 체포되었습니다.\n"
                   "He moved to London.\t그는 런던으로 이사했습니다.\n", encoding="utf-8")
    result = run_review(ReviewConfig(source=str(src), out_dir=str(tmp_path / "out")))
    header, records = read_jsonl(result.files["segments"])
    assert header["document"]["penalty_per_100_source_words"] > 0
    assert {"src", "tgt", "score", "penalty", "priority", "findings"} <= set(records[0])
    first = records[0]
    assert first["findings"][0]["check"] == "number-mismatch" and first["penalty"] >= 5
    assert first["priority"] > records[1]["priority"]


# -- robustness -----------------------------------------------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("가나다마이스키대통령는을의 (),.[]\"“”'&;#0123456789abcXYZ東秀Ã¬년월일억만%-\n"))


@settings(max_examples=150, deadline=None)
@given(src=st.text(_ALPHABET, max_size=60), tgt=st.text(_ALPHABET, max_size=80))
def test_rule_checks_never_crash_and_spans_fit(src, tgt):
    ctx = build_context([CheckPair("h", src, tgt), CheckPair("h2", "", tgt, 1, True)], use_lm=False,
                        use_embeddings=False)
    for pair, found in zip(ctx.pairs, run_checks(ctx)):
        for f in found:
            for s in f.tgt_spans:
                assert pair.tgt[s.start:s.end] == s.text
            for s in f.src_spans:
                assert pair.src[s.start:s.end] == s.text


def test_odd_texts_with_models(models):
    odd = ["", " ", "...", "😀😀", "가", "ABC", "[1][2]", "1884년", "다.다.다.다.", "&amp;" * 3]
    pairs = [CheckPair(str(i), s, t, i, not s) for i, (s, t) in enumerate((e, k) for e in ("", "A b c.") for k in odd)]
    ctx = build_context(pairs)
    results = run_checks(ctx)
    assert len(results) == len(pairs)
    for pair, found in zip(ctx.pairs, results):
        assert 0.0 <= garble_score(pair, found, ctx) <= 1.0


def test_checks_command_lists_every_check(capsys):
    from review.cli import main
    assert main(["checks"]) == 0
    out = capsys.readouterr().out
    for name, spec in CHECKS.items():
        assert f"{name} " in out and spec.title in out


def test_references_keep_names_in_latin_and_cite_other_people():
    from glossary.termbase import TermBase
    tb = TermBase()
    tb.add(["Ivan Maisky", "Maisky"], ["이반 마이스키", "마이스키"])
    tb.add(["Kuczynski"], ["쿠친스키"])
    doc = ["Maisky는 런던에 도착했습니다.", "쿠친스키는 코찬스키를 만났습니다.", "참고문헌",
           "The Maisky Diaries, Red Ambassador to the Court of St James's 1932-1943.", "코찬스키 2012, 페이지 166."]
    terms = TermContext.from_text("\n".join(doc), termbase=tb)
    pairs = [CheckPair(str(i), "", t, i, True) for i, t in enumerate(doc)]
    ctx = build_context(pairs, use_lm=False, use_embeddings=False, terms=terms)
    by_pair = [{f.check for f in fs} for fs in run_checks(ctx)]
    assert "name-untranslated" in by_pair[0] and "term-variant" in by_pair[1]     # the body: reported
    assert not by_pair[3] & {"name-untranslated", "term-variant", "untranslated"}  # a book title
    assert not by_pair[4] & {"name-untranslated", "term-variant"}                 # a cited author


def _in_paragraph(paragraph: str, sentences: list[str]) -> list[CheckPair]:
    pairs, pos = [], 0
    for i, s in enumerate(sentences):
        off = paragraph.index(s, pos)
        pairs.append(CheckPair(f"p{i}", "", s, i, True, paragraph, off))
        pos = off + len(s)
    return pairs


def test_a_quotation_over_two_sentences_is_balanced():
    para = '베아트리체 웹은 "가장 개방적인 사람입니다. 그러나 약간 오염되었을 것입니다."[5] 그는 떠났다 "그리고'
    pairs = _in_paragraph(para, ['베아트리체 웹은 "가장 개방적인 사람입니다.', '그러나 약간 오염되었을 것입니다."[5]',
                                 '그는 떠났다 "그리고'])
    found = run_checks(build_context(pairs, use_lm=False, use_embeddings=False), [CHECKS["unbalanced-brackets"]])
    assert found[0] == () and found[1] == ()
    assert [(s.text, s.start) for f in found[2] for s in f.tgt_spans] == [('"', 7)]
    # without the paragraph, each sentence alone looks unbalanced
    alone = [CheckPair(p.id, p.src, p.tgt, p.index, True) for p in pairs]
    assert all(run_checks(build_context(alone, use_lm=False, use_embeddings=False), [CHECKS["unbalanced-brackets"]]))


def test_a_sentence_glued_to_the_next_one():
    para = "그는 옴스크에서 어린 시절을 보냈습니다.[4]메이스키의 젊은 시절은 짧았습니다. 그는 떠났습니다."
    pairs = _in_paragraph(para, ["그는 옴스크에서 어린 시절을 보냈습니다.[4]", "메이스키의 젊은 시절은 짧았습니다.",
                                 "그는 떠났습니다."])
    found = run_checks(build_context(pairs, use_lm=False, use_embeddings=False), [CHECKS["glued-words"]])
    glued = [f for f in found[0] if "space after" in f.message]
    assert [s.text for f in glued for s in f.tgt_spans] == [".[4]"]
    assert glued[0].suggestion == ".[4] " and glued[0].severity == Severity.MINOR
    assert not [f for f in found[1] + found[2] if "space after" in f.message]


def test_untranslated_name_suggests_the_nikl_spelling(models):
    (churchill,) = [f for f in findings_for("Churchill came to London.", "Churchill는 런던에 왔습니다.")
                    if f.check == "untranslated"]
    assert churchill.suggestion == "처칠"          # the NIKL usage list's standard spelling
    (maisky,) = [f for f in findings_for("In November 1912, Maisky moved to London.",
                                         "1912년 11월, Maisky는 런던으로 이사를 왔습니다.") if f.check == "untranslated"]
    assert maisky.suggestion == "transliterate or translate it"   # not in the list: no guess offered as standard


# Clean human lines the LM gain alone called word salad (NTREX-128 references, issue 12): each ends in a
# final ending where Korean puts its predicate, which shuffled words rarely do.
FREE_BUT_FLUENT = [
    ("Are you ready?\" CNN reported.", "준비됐습니까?\" CNN이 이렇게 보도했다."),
    ("He was resolute, determined, unequivocal.\"", "그는 단호하고, 완강했으며, 명백했습니다.”"),
    ("Dianne Feinstein, did you leak?", "다이앤 파인스타인 의원님 유출했나요?"),
]


@pytest.mark.parametrize("src,tgt", FREE_BUT_FLUENT)
def test_fluency_spares_sentences_that_end_in_a_final_ending(models, src, tgt):
    assert "fluency" not in fired(src, tgt, others=NEWS)


def test_semantic_drift_severity_follows_the_cosine(models, monkeypatch):
    # a clear miss (detached pairs: median cosine 0.03) is major or critical; 0.15-0.30, where free human
    # renderings fall too, nothing by default and a minor finding to read when a profile raises the threshold
    from review.checks import model
    from review.checks.context import DocumentContext
    real = DocumentContext.signal
    wide = Policy(thresholds={"drift-cosine": 0.30})
    for cos, severity, policy in ((0.02, Severity.CRITICAL, DEFAULT_POLICY), (0.10, Severity.MAJOR, DEFAULT_POLICY),
                                  (0.25, None, DEFAULT_POLICY), (0.25, Severity.MINOR, wide)):
        monkeypatch.setattr(DocumentContext, "signal",
                            lambda self, pair, c=cos: dataclasses.replace(real(self, pair), cosine=c))
        found = [f.severity for f in findings_for("Police arrested a man on suspicion of theft.",
                                                  "경찰은 절도 혐의로 한 남성을 체포했습니다.", others=NEWS, policy=policy)
                 if f.check == "semantic-drift"]
        assert found == ([severity] if severity else [])
    assert model.DRIFT_COSINE_CRITICAL < model.DRIFT_COSINE_MAJOR


@pytest.mark.parametrize("src,ends", [
    ("Europe leads 10-6 going into Ryder Cup final day", False),   # a headline
    ("LeBron to make Lakers debut Sunday in San Diego", False),
    ("He said so.", True), ("\"Are you ready?\"", True), ("Jim explains:", True), ("", True),
])
def test_no_final_ending_counts_only_where_theenglish_ends_a_sentence(src, ends):
    from review.scoring import english_ends_a_sentence
    assert english_ends_a_sentence(src) is ends


def test_headline_in_nominal_style_is_not_garbled(models):
    # 유럽 10-6으로 앞서 라이더컵 결승전행: Korean headline style, no final ending, as the English headline has none
    from review.scoring import FEATURES, features
    pairs = [CheckPair("h", "Europe leads 10-6 going into Ryder Cup final day", "유럽 10-6으로 앞서 라이더컵 결승전행", 0)]
    ctx = build_context(pairs + [CheckPair(f"n{i}", s, t, i + 1) for i, (s, t) in enumerate(NEWS)])
    assert features(ctx.pairs[0], (), ctx)[FEATURES.index("no_final_ending")] == 0.0
    cut = CheckPair("c", "Europe leads going into the final day.", "유럽은 마지막 날을 앞두고", 0)
    ctx = build_context([cut] + [CheckPair(f"n{i}", s, t, i + 1) for i, (s, t) in enumerate(NEWS)])
    assert features(ctx.pairs[0], (), ctx)[FEATURES.index("no_final_ending")] == 1.0


# Captions, credits and tweets in Korean's nominal style, closed by a full stop after a noun or wrapped whole in
# brackets, and the polite ending -어서요 (Kiwi: connective ending + 요): complete, not stopped mid-sentence
# (issue 12: garble-only findings on MQM dev references).  Cut-off text still counts.
@pytest.mark.parametrize("src,tgt,closed", [
    ("Left: a poster shared by students.", "왼쪽: 학생들이 만든 홍보 포스터.", True),
    ("Image from the ministry's Facebook page.", "이미지 출처는 교육부 페이스북 페이지.", True),
    ("@minsu: Two hours waiting at the border.", "@minsu: 국경에서 기다린 지 2시간 째.", True),
    ("(Photo by the author, used with permission).", "(사진: 글쓴이 본인, 허가 후 게재)", True),
    ("I bought it for 30 dollars, shipping included.", "30달러에 샀습니다. 배송비 포함해서요.", True),
    ("Europe leads going into the final day.", "유럽은 마지막 날을 앞두고", False),
    ("(Photo by the author, used with permission).", "(사진: 글쓴이) 본인 허가", False),
    ("The committee met the minister on Monday.", "위원회는 월요일에 장관과", False),
])
def test_nominal_and_polite_closings_are_complete(models, src, tgt, closed):
    from review.scoring import FEATURES, features
    ctx = build_context([CheckPair("c", src, tgt, 0)] + [CheckPair(f"n{i}", s, t, i + 1) for i, (s, t) in enumerate(NEWS)])
    assert features(ctx.pairs[0], (), ctx)[FEATURES.index("no_final_ending")] == (0.0 if closed else 1.0)


def test_fluency_spares_captions_closed_after_a_noun(models):
    assert "fluency" not in fired("Image from the Rhizomatica wiki used under a Creative Commons license.",
                                  "리조마티카위키 이미지, 저작권 사용허가.", others=NEWS)


# Scraped page titles end in the site's name ("... · Global Voices"), which translators drop: the length checks
# read the English without it (issue 12: MQM dev references of Global Voices titles flagged as omissions).
@pytest.mark.parametrize("title,ko", [
    ("Kenya: Students Return to School After the Long Teachers' Strike", "케냐: 교사 파업 끝나 학생들 등교"),
    ("Peru: Farmers Protest the New Water Tax in Cusco", "페루: 쿠스코 농민들, 새 수도세에 항의"),
])
def test_dropped_site_name_of_a_page_title(models, title, ko):
    from review.scoring import FEATURES, features
    def judged(src):   # the findings and the garble score's length feature (the sentence cosine sees the name)
        ctx = build_context([CheckPair("t", src, ko, 0)] + [CheckPair(f"n{i}", s, t, i + 1) for i, (s, t) in enumerate(NEWS)])
        return ([(f.check, f.severity, f.message) for f in run_checks(ctx)[0]],
                features(ctx.pairs[0], (), ctx)[FEATURES.index("short_share")])
    assert judged(title + " · Global Voices") == judged(title)
    assert judged(title + " | BBC News") == judged(title)


def test_site_suffix_kept_when_the_korean_renders_it():
    from review.checks.text import dropped_site_suffix
    src = "Peru: Farmers Protest the New Water Tax · Global Voices"
    assert dropped_site_suffix(src, "페루: 농민들, 새 수도세에 항의") == len(" · Global Voices")
    assert dropped_site_suffix(src, "페루: 농민들, 새 수도세에 항의 · 글로벌 보이스") == 0
    assert dropped_site_suffix(src, "Global Voices는 페루 농민들이 새 수도세에 항의한다고 보도했다") == 0
    assert dropped_site_suffix(src, "글로벌 보이스는 페루 농민들이 새 수도세에 항의한다고 보도했다") == 0
    assert dropped_site_suffix("Farmers protest the new water tax.", "농민들이 새 수도세에 항의한다.") == 0


# Reformatted numbers in clean human translations (issue 12): imperial measures given in metric units, a scale
# shared by a run of numbers.  A wrong conversion or value is still reported.
@pytest.mark.parametrize("src,tgt,mismatch", [
    ("The challenge starts when you get to 30,000 feet.", "어려움은 9.1km까지 올라가면 시작됩니다.", False),
    ("The village is 239 miles from Patna.", "그 마을은 파트나에서 385킬로미터 떨어져 있다.", False),
    ("Winds reached 100 mph.", "풍속은 시속 161km에 달했습니다.", False),
    ("Cool in my terms is three or four or five thousand degrees.", "제게 3천, 4천, 5천도는 차가운 온도입니다.", False),
    ("Between 2 and 3 million people came.", "200만에서 300만 명이 왔다.", False),
    ("The plane flew at 30,000 feet.", "비행기는 12km 상공을 비행했다.", True),
    # dollars given in won at a plausible exchange rate; a century named by its number
    ("The watch is reportedly worth at least $450,000.", "그 시계는 약 5억 원을 호가한다고 알려졌다.", False),
    ("They paid 2 million dollars for it.", "그들은 그것에 24억 원을 냈다.", False),
    ("The watch is reportedly worth at least $450,000.", "그 시계는 약 5억 달러를 호가한다고 알려졌다.", True),
    ("The watch is reportedly worth at least $450,000.", "그 시계는 약 50억 원을 호가한다고 알려졌다.", True),
    ("Sea levels will rise by the end of this century.", "해수면은 21세기 말까지 상승할 것입니다.", False),
    ("Sea levels will rise by the end of the decade.", "해수면은 21세기 말까지 상승할 것입니다.", True),
    ("Cool in my terms is three or four thousand degrees.", "제게 3만, 4만도는 차가운 온도입니다.", True),
])
def test_number_conversions_and_shared_scales(models, src, tgt, mismatch):
    assert ("number-mismatch" in fired(src, tgt)) is mismatch


def test_fluency_spares_headlines_in_nominal_style(models):
    # the English is a headline (no sentence end): the Korean headline's telegraphic style is not word salad
    assert "fluency" not in fired("LeBron to make Lakers debut Sunday in San Diego",
                                  "르브론(LeBron), 일요일 샌디에이고에서 레이커스 데뷔", others=NEWS)


def test_acronym_gloss_of_a_translated_name(models):
    # the Korean translates the name and glosses its acronym; the English spells the name out
    found = findings_for("According to the Aviation Safety Network, 111 people died.",
                         "항공안전네트워크(ASN)의 자료에 따르면 111명이 사망했다.")
    assert [f.check for f in found if f.check.startswith("untranslated")] == ["untranslated-gloss"]
    found = findings_for("According to the network, 111 people died.", "항공안전네트워크(ASN)의 자료에 따르면 111명이 사망했다.")
    assert [f.severity for f in found if f.check == "untranslated"] == [Severity.MINOR]


def test_clock_with_a_dot_kept_whole(models):
    assert "number-mismatch" not in fired("Perfect time for a pint is 5.30pm on a Saturday, survey finds",
                                          "설문 조사 결과, 토요일 오후 5.30이 파인트 한 잔 마시기 딱 좋은 시간")
    assert "number-mismatch" in fired("Perfect time for a pint is 5.30pm on a Saturday.",
                                      "토요일 오후 6.30이 파인트 한 잔 마시기 딱 좋은 시간이다.")


# Word salad is judged per word that has context and by the spread a sentence of its length has: a short,
# natural sentence is not word salad, the same words shuffled are (issue 12: garble findings alone).
SALAD_DOCUMENT = [
    ("The council approved the new budget on Monday.", "시의회는 월요일에 새 예산안을 승인했습니다."),
    ("Officials said the bridge would reopen next spring.", "관계자들은 다리가 내년 봄에 다시 개통될 것이라고 말했습니다."),
    ("Heavy rain is expected across the region this weekend.", "이번 주말 지역 전역에 많은 비가 내릴 것으로 예상됩니다."),
    ("The company reported higher profits than last year.", "그 회사는 작년보다 높은 이익을 보고했습니다."),
    ("Police are asking witnesses to come forward.", "경찰은 목격자들에게 연락해 달라고 요청하고 있습니다."),
    ("The museum will be closed for repairs until March.", "박물관은 수리를 위해 3월까지 문을 닫습니다."),
    ("Students protested against the tuition increase.", "학생들은 등록금 인상에 항의했습니다."),
    ("The team won its third match in a row.", "그 팀은 세 경기 연속으로 승리했습니다."),
    ("Doctors say the patient is in stable condition.", "의사들은 환자의 상태가 안정적이라고 말합니다."),
    ("The festival attracted thousands of visitors.", "그 축제에는 수천 명의 방문객이 몰렸습니다."),
]


def test_short_natural_sentence_is_not_word_salad(models):
    from review.checks.context import gain_in_context
    from review.scoring import FEATURES, features

    assert gain_in_context(6.0, 4) == pytest.approx(8.0) and gain_in_context(6.0, 1) == 6.0
    natural = ("She was detained in Texas.", "그녀는 텍사스에 구금되었습니다.")
    shuffled = ("She was detained in Texas.", "구금되었습니다 텍사스에 그녀는.")
    salad = FEATURES.index("salad_z")
    pairs = [CheckPair(f"p{i}", s, t, i) for i, (s, t) in enumerate([natural, shuffled, *SALAD_DOCUMENT])]
    ctx = build_context(pairs, use_lm=True, use_embeddings=False)
    found = run_checks(ctx)
    z_natural = features(ctx.pairs[0], found[0], ctx)[salad]
    z_shuffled = features(ctx.pairs[1], found[1], ctx)[salad]
    assert z_natural < 1.0 < z_shuffled


@pytest.mark.parametrize("src,tgt,repeated", [
    # Korean says a word twice for English "X by X": idiomatic, not a loop
    ("The war moves closer, step by step.", "전쟁은 조금씩 조금씩 거리를 좁혀오고 있다.", False),
    # the English repeats a phrase itself (a song, a chant)
    ("(Sings) Up above my head up above my head I hear singing.", "(노래) 내 머리 위로 내 머리 위로 노래가 들린다.", False),
    # the same Korean for English that says it once is still a repetition
    ("The war moves closer.", "전쟁은 조금씩 조금씩 거리를 좁혀오고 있다.", True),
    ("I hear singing above my head.", "내 머리 위로 내 머리 위로 노래가 들린다.", True),
])
def test_repetition_the_english_asks_for(src, tgt, repeated):
    assert ("repetition" in fired(src, tgt, use_models=False)) is repeated
