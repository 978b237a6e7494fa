"""Tests of the glossary layer: jamo distance, term base files, matching, discovery, checks, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from corpus.errors import InputError
from glossary import csvio, tbx
from glossary.jamo import is_variant
from glossary.termbase import EntryType, GlossaryError, Status, TermBase

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_KO = ROOT / "review/data/sample/maisky.ko.txt"


# --- jamo distance -----------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [("마이스키", "메이스키"), ("마이스키", "매이스키"), ("드락스", "드랙스"),
                                 ("됭케르크", "던커크"), ("수데텐란트", "주데텐란트"), ("달라디에르", "달라디에"),
                                 ("베아트리스", "베아트리체"), ("애틀리", "아틀레이"), ("웨브", "웹")])
def test_variant_pairs_match(a, b):
    assert is_variant(a, b)


@pytest.mark.parametrize("a,b", [("리트비노프", "리벤트로프"), ("마이스키", "시코르스키"), ("폴란드", "핀란드"),
                                 ("처칠", "체임벌린"), ("독일", "동일"), ("비스마르크", "비버브룩"), ("웹", "웰스"),
                                 ("몰로토프", "리트비노프"), ("치체린", "체임벌린")])
def test_different_names_do_not_match(a, b):
    assert not is_variant(a, b)


# --- term base ---------------------------------------------------------------------------
def _sample_tb() -> TermBase:
    tb = TermBase()
    tb.add(["Ivan Maisky", "Maisky"], ["마이스키"], deprecated=["메이스키"], note="ambassador")
    tb.add(["Maxim Litvinov"], ["리트비노프"])
    tb.add(["Dunkirk"], ["됭케르크"], deprecated=["던커크"], type="place")
    return tb


def test_one_preferred_korean_form_and_shared_form_warning():
    tb = _sample_tb()
    entry, _ = tb.set_korean_status("Maisky", "메이스키", Status.PREFERRED)
    assert entry.preferred_korean.text == "메이스키"
    assert [t.status for t in entry.korean].count(Status.PREFERRED) == 1
    _, warnings = tb.add(["Ribbentrop"], ["리트비노프"])
    assert any("리트비노프" in w for w in warnings)
    with pytest.raises(GlossaryError):
        tb.set_korean_status("ivan-maisky", "메이스키", Status.DEPRECATED)  # the preferred form


names = st.text(alphabet=st.sampled_from("abcdefgh XYZ가나다라마바사아자한-,\"'&<>;\t"), min_size=1,
                max_size=12).map(str.strip).filter(lambda s: s and "\t" not in s)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(names, st.lists(names, min_size=1, max_size=3, unique=True),
                                  st.sampled_from(list(EntryType)), names), min_size=1, max_size=4))
def test_tbx_and_csv_round_trip(tmp_path, entries):
    tb = TermBase()
    for en, ko, etype, note in entries:
        tb.add([en], ko[:1], deprecated=ko[1:], type=etype, note=note, entry_id=tb.new_id("e"))
    for name in ("g.tbx", "g.csv", "g.tsv"):
        p = tmp_path / name
        tb.save(p)
        assert list(TermBase.load(p)) == list(tb)


GOOD_TBX = tbx.tbx_string(_sample_tb())


@pytest.mark.parametrize("text,line,what", [
    (GOOD_TBX.replace("</body>", ""), None, "not well-formed"),
    (GOOD_TBX.replace("deprecatedTerm-admn-sts", "oldTerm", 1), "oldTerm", "unknown administrativeStatus"),
    (GOOD_TBX.replace("deprecatedTerm-admn-sts", "preferredTerm-admn-sts", 1), 'id="ivan-maisky"',
     "exactly one preferred"),
    (GOOD_TBX.replace('xml:lang="ko"', 'xml:lang="fr"', 1), 'xml:lang="fr"', "langSec"),
    (GOOD_TBX.replace(">person<", ">planet<", 1), "planet", "unknown type"),
])
def test_malformed_tbx_names_file_line_and_problem(tmp_path, text, line, what):
    p = tmp_path / "bad.tbx"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        tbx.read_tbx(p)
    assert what in e.value.problem and str(p) in str(e.value)
    if line is not None:  # the line reported is the one holding the fault
        assert line in text.splitlines()[e.value.line - 1]
    else:
        assert e.value.line is not None


@pytest.mark.parametrize("text,line,what", [
    ("id,type,lang,term\nx,person,en,A\n", 1, "lacks column"),
    ("id,type,lang,term,status\nx,person,en,A,preferred\nx,person,ko,가,favourite\n", 3, "unknown status"),
    ("id,type,lang,term,status\nx,person,en,A,preferred,extra\n", 2, "fields"),
    ("id,type,lang,term,status\nx,person,ko,가,preferred\nx,person,ko,나,preferred\n", 2, "exactly one preferred"),
    ("id,type,lang,term,status\nx,person,de,A,preferred\n", 2, "unknown lang"),
    ("", 1, "empty file"),
])
def test_malformed_csv_names_file_line_and_problem(tmp_path, text, line, what):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        csvio.read_table(p)
    assert what in e.value.problem and e.value.line == line


# --- matching ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,term,expected", [
    ("마이스키는 왔다", "마이스키", ["마이스키"]),
    ("마이스키의 일기", "마이스키", ["마이스키"]),
    ("마이스키가 말했다", "마이스키", ["마이스키"]),
    ("체임벌린에게 보낸", "체임벌린", ["체임벌린"]),
    ("마이스키와 처칠", "마이스키", ["마이스키"]),
    ("리트비노프에게서 받은", "리트비노프", ["리트비노프"]),
    ("마이스키스탄에서", "마이스키", []),
    ("웹사이트에서", "웹", []),
    ("시드니 웹과 베아트리스 웹은", "웹", ["웹", "웹"]),
    ("체임벌린 정부가", "체임벌린", ["체임벌린"]),
    ("베아트리스 웹의 글", "베아트리스 웹", ["베아트리스 웹"]),
])
def test_korean_matching(text, term, expected):
    from glossary.matching import find_korean_term
    spans = find_korean_term(text, term)
    assert [text[s:e] for s, e in spans] == expected


def test_english_matching_case_possessive_and_surname():
    from glossary.matching import find_english_term
    text = "Maisky's youth; MAISKY met Neville Chamberlain. Chamberlain's policy and a chamberlain"
    assert [text[s:e] for s, e in find_english_term(text, "Maisky")] == ["Maisky", "MAISKY"]
    got = [text[s:e] for s, e in find_english_term(text, "Neville Chamberlain", person=True)]
    assert got == ["Neville Chamberlain", "Chamberlain"]


# --- checks ------------------------------------------------------------------------------
def test_checks_on_a_pair():
    from glossary.evidence import DocumentNames, pair_evidence
    tb = _sample_tb()
    ctx = DocumentNames({"드락스": ("드랙스", ("드랙스", "드락스"))})
    src = "Maisky met Litvinov at Dunkirk."
    tgt = "메이스키는 Litvinov와 매이스키의 드락스에서 만났다."
    issues = {i.kind: i for i in pair_evidence(src, tgt, tb, ctx)}
    assert issues["term-deprecated"].tgt_spans[0].text == "메이스키"
    assert issues["term-deprecated"].suggestion == "마이스키"
    assert issues["term-variant"].tgt_spans[0].text == "매이스키"
    assert issues["name-untranslated"].tgt_spans[0].text == "Litvinov"
    assert issues["name-untranslated"].suggestion == "리트비노프"
    assert issues["term-missing"].src_spans[0].text == "Dunkirk"
    assert issues["name-inconsistent"].suggestion == "드랙스"
    for i in issues.values():
        for sp in i.tgt_spans:
            assert tgt[sp.start:sp.end] == sp.text


def test_term_variant_needs_a_plausible_rendering_of_the_english():
    from glossary.evidence import pair_evidence
    from glossary.termbase import TermBase
    tb = TermBase()
    tb.add(["Klaus"], ["클라우스"])
    tb.add(["Litvinov"], ["리트비노프"])
    variants = lambda tgt: [i.tgt_spans[0].text for i in pair_evidence(None, tgt, tb) if i.kind == "term-variant"]
    assert variants("클라우수와 리트비노브가 왔다.") == ["클라우수", "리트비노브"]   # misspellings of these names
    # near in jamo but other names: Curaçao, Ribbentrop
    assert variants("큐라소와 리벤트로프가 왔다.") == []


# --- discovery ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def maisky_proposals():
    from glossary.discovery import discover
    return discover(SAMPLE_KO.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_discovery_finds_issue_clusters_whole(maisky_proposals):
    wanted = [["마이스키", "메이스키", "매이스키", "메이시", "Maisky"], ["됭케르크", "던커크"], ["드랙스", "드락스"],
              ["비버브룩", "Beaverbrook", "Beverbrook"], ["리트비노프", "Litvinov"], ["체임벌린", "Chamberlain"]]
    for spellings in wanted:
        assert any(set(spellings) <= set(p.variants) for p in maisky_proposals), spellings
    maisky = next(p for p in maisky_proposals if "메이스키" in p.variants)
    assert maisky.canonical == "마이스키" and maisky.english == "Maisky"
    assert maisky.counts["마이스키"] > maisky.counts["매이스키"]


@pytest.mark.slow
def test_discovery_finds_garbled_term_families(maisky_proposals):
    terms = [set(p.variants) for p in maisky_proposals if p.type == "term"]
    assert {"반유포자", "반유해", "반유쾌", "반(反)유고"} in terms
    assert any({"불개입", "비개입", "비간섭위원회"} <= t for t in terms)
    assert not any("반유대주의" in t for t in terms)  # anti-Semitism is another word
    # the Non-Intervention Committee: 불개입 is written before 위원회, the others with it inside
    committee = next(p for p in maisky_proposals if "비간섭위원회" in p.variants)
    assert committee.head == "위원회" and committee.canonical == "불개입"
    assert committee.suggestion_for("불개입위원회") == "불개입위원회"     # the canonical term, spelled together
    assert committee.suggestion_for("비간섭위원회") == "불개입위원회"
    assert committee.suggestion_for("비개입") == "불개입"
    assert committee.glossary_forms() == ("불개입 위원회", ["비간섭 위원회", "비개입 위원회"])


def test_term_family_head_keeps_suggestions_whole_and_spellings_apart():
    """A family whose spellings share a head noun: the glossary entry and the name check's suggestions keep
    the head, and a spelling that differs from the canonical one only by writing the head inside is no variant."""
    from glossary.discovery import Proposal, apply_proposals
    from glossary.evidence import DocumentNames, pair_evidence

    family = Proposal(None, ["반전", "반전동맹", "비전쟁동맹"], {"반전": 3, "반전동맹": 1, "비전쟁동맹": 2}, "term",
                      head="동맹")
    assert family.modifier("반전동맹") == "반전" and family.modifier("반전") == "반전"
    names = DocumentNames.from_proposals([family])
    found = pair_evidence(None, "반전동맹과 비전쟁동맹이 만났다.", None, names)
    assert [(f.kind, f.tgt_spans[0].text, f.suggestion) for f in found] == \
        [("name-inconsistent", "비전쟁동맹", "반전동맹")]
    tb = TermBase()
    apply_proposals(tb, [family])
    entry = next(iter(tb))
    assert entry.preferred_korean.text == "반전 동맹"
    assert [t.text for t in entry.korean if t.status is Status.DEPRECATED] == ["비전쟁 동맹"]
    # without a head nothing changes: the canonical spelling is the suggestion for every other one
    plain = Proposal(None, ["반유화", "반유해"], {"반유화": 2, "반유해": 1}, "term")
    assert plain.suggestion_for("반유해") == "반유화" and plain.glossary_forms() == ("반유화", ["반유해"])


@pytest.mark.slow
def test_discovery_keeps_different_people_apart(maisky_proposals):
    assert any("리트비노프" in p.variants for p in maisky_proposals)  # found, and on its own
    for p in maisky_proposals:
        assert not {"리트비노프", "리벤트로프"} <= set(p.variants)
        assert not {"처칠", "체임벌린"} <= set(p.variants)


@pytest.mark.slow
def test_discovery_precision_recall_against_annotation(maisky_proposals):
    import importlib.util
    spec = importlib.util.spec_from_file_location("discovery_bench", ROOT / "bench/discovery_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    fixture = json.loads((ROOT / "tests/fixtures/maisky_variant_clusters.json").read_text("utf-8"))
    r = bench.evaluate(maisky_proposals, fixture)
    assert r["precision"] >= 0.9
    assert r["recall"] >= 0.7


# --- CLI ---------------------------------------------------------------------------------
def _cli(*argv) -> int:
    from review.cli import main
    return main(list(argv))


@pytest.fixture
def gl(tmp_path):
    path = tmp_path / "g.tbx"
    assert _cli("glossary", "--glossary", str(path), "init") == 0
    assert _cli("glossary", "--glossary", str(path), "add", "Ivan Maisky", "마이스키", "--en", "Maisky",
                "--deprecated", "메이스키") == 0
    assert _cli("glossary", "--glossary", str(path), "add", "Maxim Litvinov", "리트비노프") == 0
    return path


def test_cli_init_refuses_to_overwrite(gl, capsys):
    assert _cli("glossary", "--glossary", str(gl), "init") == 1
    assert "already exists" in capsys.readouterr().err


def test_cli_add_list_show(gl, capsys):
    assert _cli("glossary", "--glossary", str(gl), "list") == 0
    out = capsys.readouterr().out
    assert "ivan-maisky" in out and "메이스키*" in out
    assert _cli("glossary", "--glossary", str(gl), "show", "메이스키") == 0
    assert "마이스키  (preferred)" in capsys.readouterr().out


def test_cli_prefer_and_deprecate(gl):
    assert _cli("glossary", "--glossary", str(gl), "prefer", "Maisky", "메이스키") == 0
    e = TermBase.load(gl).get("ivan-maisky")
    assert e.preferred_korean.text == "메이스키"
    assert _cli("glossary", "--glossary", str(gl), "deprecate", "ivan-maisky", "마이스키") == 0
    assert TermBase.load(gl).get("ivan-maisky").deprecated_korean[0].text == "마이스키"
    assert (gl.parent / "g.tbx~").exists()


def test_cli_merge_and_remove(gl):
    assert _cli("glossary", "--glossary", str(gl), "merge", "ivan-maisky", "maxim-litvinov") == 0
    tb = TermBase.load(gl)
    assert len(tb) == 1 and "리트비노프" in [t.text for t in tb.get("ivan-maisky").korean]
    assert _cli("glossary", "--glossary", str(gl), "remove", "ivan-maisky", "리트비노프") == 0
    assert "리트비노프" not in [t.text for t in TermBase.load(gl).get("ivan-maisky").korean]
    assert _cli("glossary", "--glossary", str(gl), "remove", "ivan-maisky") == 0
    assert len(TermBase.load(gl)) == 0


def test_cli_export_import(gl, tmp_path):
    csv_path = tmp_path / "out.csv"
    assert _cli("glossary", "--glossary", str(gl), "export", str(csv_path)) == 0
    other = tmp_path / "h.tbx"
    assert _cli("glossary", "--glossary", str(other), "import", str(csv_path)) == 0
    assert list(TermBase.load(other)) == list(TermBase.load(gl))


def test_cli_import_of_bad_file_leaves_glossary_untouched(gl, tmp_path, capsys):
    before = gl.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,type,lang,term,status\nx,person,en,A,sometimes\n", encoding="utf-8")
    assert _cli("glossary", "--glossary", str(gl), "import", str(bad)) == 1
    assert "bad.csv:2" in capsys.readouterr().err
    assert gl.read_bytes() == before


def test_cli_interrupted_write_keeps_old_file(gl, monkeypatch):
    before = gl.read_bytes()

    import glossary.tbx as tbx_mod

    class Exploding:
        def __init__(self, fh):
            self.fh = fh

        def write(self, text):
            self.fh.write(text[: len(text) // 2])
            raise OSError("disk full")

    import contextlib
    real_atomic = tbx_mod.atomic_write

    @contextlib.contextmanager
    def exploding_atomic(path, **kw):
        with real_atomic(path, **kw) as fh:
            yield Exploding(fh)

    monkeypatch.setattr(tbx_mod, "atomic_write", exploding_atomic)
    # the CLI reports the failed write as an error (exit 1), not a traceback; the old file is intact
    assert _cli("glossary", "--glossary", str(gl), "add", "Dunkirk", "됭케르크") == 1
    assert gl.read_bytes() == before
    assert not [p for p in gl.parent.iterdir() if p.name.endswith(".tmp")]


def test_cli_discover_json_and_apply(tmp_path, capsys):
    ko = tmp_path / "ko.txt"
    ko.write_text("메이스키는 런던에 왔다. 마이스키의 일기. 마이스키가 썼다. Maisky는 드락스를 만났다. "
                  "드랙스는 떠났다. 드랙스에게 말했다.\n", encoding="utf-8")
    g = tmp_path / "g.tbx"
    assert _cli("glossary", "--glossary", str(g), "discover", "--target", str(ko), "--json", "--apply") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    maisky = next(r for r in rows if "메이스키" in r["variants"])
    assert maisky["variants"][0] == "마이스키" and "Maisky" in maisky["variants"]
    assert maisky["english"] == "Maisky" and maisky["counts"]["마이스키"] == 2
    tb = TermBase.load(g)
    e = tb.find("마이스키")[0]
    assert e.preferred_korean.text == "마이스키" and "메이스키" in [t.text for t in e.deprecated_korean]


def test_demo_glossary_is_valid_and_covers_sample():
    tb = TermBase.load(ROOT / "review/data/sample/maisky.glossary.tbx")
    tb.validate()  # raises on an invalid entry
    assert tb.find("메이스키") and tb.find("던커크") and tb.find("드락스")


def test_discover_apply_attaches_new_spellings_to_existing_entries(tmp_path, capsys):
    ko = tmp_path / "ko.txt"
    ko.write_text("메이스키는 런던에 왔다. 마이스키의 일기. 마이스키가 썼다. 드락스를 만났다. "
                  "드랙스는 떠났다. 드랙스에게 말했다.\n", encoding="utf-8")
    g = tmp_path / "g.tbx"
    assert _cli("glossary", "--glossary", str(g), "init") == 0
    assert _cli("glossary", "--glossary", str(g), "add", "Ivan Maisky", "마이스키") == 0
    assert _cli("glossary", "--glossary", str(g), "discover", "--target", str(ko), "--apply") == 0
    tb = TermBase.load(g)
    maisky = tb.get("ivan-maisky")
    assert [t.text for t in maisky.deprecated_korean] == ["메이스키"]
    assert len(tb.find("마이스키")) == 1
    # 드락스/드랙스 (three uses, no English, a 2:1 split) is under the confidence --apply trusts unreviewed
    assert not tb.find("드랙스")
    assert "1 under confidence 0.5 left out" in capsys.readouterr().err
    assert _cli("glossary", "--glossary", str(g), "discover", "--target", str(ko), "--apply",
                "--min-confidence", "0.3") == 0
    tb = TermBase.load(g)
    drax = tb.find("드랙스")[0]
    assert drax.id == "ko-deuraekseu" and drax.preferred_korean.text == "드랙스"


def test_name_inconsistent_without_a_glossary():
    from glossary.evidence import DocumentNames, pair_evidence
    doc = ("메이스키는 런던에 왔다. 마이스키의 일기를 읽었다. 마이스키가 썼다. 마이스키는 떠났다.\n"
           "드락스를 만났다. 드랙스는 떠났다. 드랙스에게 말했다.\n")
    ctx = DocumentNames.from_text(doc)
    issues = pair_evidence(None, "메이스키는 드락스를 만났다.", None, ctx)
    got = {(i.kind, i.tgt_spans[0].text, i.suggestion) for i in issues}
    assert ("name-inconsistent", "메이스키", "마이스키") in got
    assert ("name-inconsistent", "드락스", "드랙스") in got


def test_name_hints_pair_name_only_lines_with_their_transliteration():
    from glossary.align_hints import name_hints
    en = ["Ivan Maisky", "Ivan Mikhailovich Maisky", "Maisky in 1941", "Early career", "Winston Churchill",
          "He met Winston Churchill."]
    ko = ["이반 마이스키", "Ivan Maisky", "1941년 대영제국 소련 대사 I. M. Maisky.", "경력초기", "윈스턴 처칠",
          "그는 윈스턴 처칠을 만났다."]
    assert sorted(name_hints(en, ko)) == [(0, 0), (4, 4)]
    assert name_hints(["Ivan Mikhailovich Maisky"], ["이반 마이스키"]) == []   # not the same name
    assert name_hints([], ko) == [] and name_hints(en, []) == []


def test_cli_list_and_discover_tables_align_hangul(gl, tmp_path, capsys):
    from corpus.textwidth import display_width

    assert _cli("glossary", "--glossary", str(gl), "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id") and len(lines) == 3
    # the "type" column starts at the same terminal column on every line, Hangul labels or not
    starts = {display_width(line[: line.index(kind)]) for line, kind in zip(lines, ("type", "person", "person"))}
    assert len(starts) == 1, lines
    labels = [line.split("  ")[0] for line in lines]
    assert labels[1].startswith("ivan-maisky")
    ko = tmp_path / "ko.txt"
    ko.write_text("메이스키는 런던에 왔다. 마이스키의 일기. 마이스키가 썼다. 드락스를 만났다. "
                  "드랙스는 떠났다. 드랙스에게 말했다.\n", encoding="utf-8")
    assert _cli("glossary", "--glossary", str(gl), "discover", "--target", str(ko)) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) >= 3
    # the "english" column begins at one terminal column in the header and in every row
    cols = {display_width(r[: r.index(key)]) for r, key in zip(rows, ["english", *[r.split()[2] for r in rows[1:]]])}
    assert len(cols) == 1, rows


def test_checks_lists_the_glossary_checks_and_disable_accepts_them(capsys):
    from review.checks.registry import select_checks

    assert _cli("checks") == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith(" ") is False
              and line.strip()}
    for name in ("term-deprecated", "term-missing", "term-variant", "name-untranslated", "name-inconsistent"):
        assert name in listed
    names = {s.name for s in select_checks(disable=["term-deprecated"])}
    assert "term-deprecated" not in names and "term-missing" in names


def test_review_disable_accepts_a_glossary_check(tmp_path):
    from review.config import ReviewConfig

    ReviewConfig(disabled_checks=("term-deprecated", "name-inconsistent"))  # validated: no "unknown check"
    ko = tmp_path / "d.ko.txt"
    ko.write_text("메이스키는 런던에 왔다. 마이스키의 일기를 읽었다.\n", encoding="utf-8")
    assert _cli("review", str(ko), "--out", str(tmp_path / "out"), "--quiet", "--no-models",
                "--disable", "term-deprecated") == 0


def test_discover_apply_all_takes_every_proposal_and_json_states_confidence(tmp_path, capsys):
    ko = tmp_path / "ko.txt"
    ko.write_text("드락스를 만났다. 드랙스는 떠났다. 드랙스에게 말했다.\n", encoding="utf-8")
    g = tmp_path / "g.tbx"
    assert _cli("glossary", "--glossary", str(g), "discover", "--target", str(ko), "--json", "--apply") == 0
    out = capsys.readouterr().out
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(0 <= r["confidence"] < 0.5 for r in rows)
    assert not TermBase.load(g).find("드랙스")
    assert _cli("glossary", "--glossary", str(g), "discover", "--target", str(ko), "--apply", "--all") == 0
    assert TermBase.load(g).find("드랙스")


def test_a_word_and_its_compound_with_another_head_are_two_terms():
    """비무장 (before 움직임) and 비무장지대 share their first syllables but name two things; 불개입 written before
    위원회 and 불개입위원회 are one term written two ways."""
    from glossary.discovery import term_families

    text = "정부는 먼저 비무장 움직임을 요구했지만 군대는 여전히 비무장지대에 머물렀다.\n" \
           "대사는 불개입 위원회에 나갔고 기자들은 불개입위원회를 비웃었으며 다른 이들은 비간섭위원회라고 불렀다.\n"
    families = [set(p.variants) for p in term_families(text, [])]
    assert not any({"비무장", "비무장지대"} <= f for f in families)
    assert any({"불개입", "불개입위원회"} <= f for f in families)


def test_a_verb_form_left_by_a_particle_cut_is_no_spelling_of_a_name():
    """그럼에도 ('nevertheless') loses 에도 as if it were a particle: 그럼 (그렇- + -ㅁ) is no spelling of 그레이엄."""
    from glossary.discovery import _satellite_eligible, discover

    assert not _satellite_eligible("그럼")
    assert _satellite_eligible("메이시") and _satellite_eligible("이든")   # names Kiwi splits stay eligible
    text = "".join(f"그레이엄 의원은 {n}일에 발언했다.\n" for n in range(1, 8)) + "그럼에도 그레이엄은 찬성했다.\n"
    assert not any("그럼" in p.variants for p in discover(text))
