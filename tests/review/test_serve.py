"""``mtreview serve`` through its JSON API (a real server on a free port, in a thread), the decisions store,
and how decisions carry over to a rerun of ``review``, the worklist and the report."""
from __future__ import annotations

import http.client
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from _serve_sample import make_review, rerun
from corpus.records import Span
from glossary.tbx import read_tbx
from review.cli import main
from review.decisions import (DecisionStore, drop_false_alarms, finding_fingerprints, load_decisions,
                              proposal_key, proposal_keys)
from review.records import Category, Finding, ReviewedPair, Severity
from review.report.worklist import load_output
from review.serve import ServeError, make_server, start_in_thread
from review.serve.server import check_host


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The reviewed excerpt; each test copies it (decisions and glossary are per test)."""
    return make_review(tmp_path_factory.mktemp("serve-review"))


@pytest.fixture
def work(reviewed, tmp_path):
    ko, glossary, out = reviewed
    new_ko, new_gl, new_out = tmp_path / ko.name, tmp_path / glossary.name, tmp_path / "out"
    shutil.copyfile(ko, new_ko)
    shutil.copyfile(glossary, new_gl)
    shutil.copytree(out, new_out)
    # the copied header still names the original glossary: point it at this test's copy
    seg = new_out / "segments.jsonl"
    lines = seg.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["config"]["glossary"] = str(new_gl)
    seg.write_text("\n".join([json.dumps(header, ensure_ascii=False)] + lines[1:]) + "\n", encoding="utf-8")
    return new_ko, new_gl, new_out


class Client:
    def __init__(self, server):
        self.server = server
        self.host, self.port = server.httpd.server_address[:2]

    def request(self, method, path, body=None, headers=None, raw=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        hdrs = {"Content-Type": "application/json"} if method == "POST" else {}
        hdrs.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        ctype = resp.getheader("Content-Type", "")
        return resp.status, (json.loads(payload) if "json" in ctype else payload.decode("utf-8"))

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)


@pytest.fixture
def serve_dir():
    servers = []

    def start(out, **kw):
        s = start_in_thread(str(out), port=0, **kw)
        servers.append(s)
        return Client(s)

    yield start
    for s in servers:
        s.stop()


def findings_of(state):
    return [(p, f) for p in state["pairs"] for f in p["findings"]]


def pick(state, check):
    return next(f for p, f in findings_of(state) if f["check"] == check)


def test_api_lists_pairs_findings_and_proposals(work, serve_dir):
    _, glossary, out = work
    client = serve_dir(out)
    status, state = client.get("/api/pairs")
    assert status == 200
    assert len(state["pairs"]) == len(load_output(out).pairs)
    fps = [f["fingerprint"] for _, f in findings_of(state)]
    assert fps and len(set(fps)) == len(fps)
    assert all(f["decision"] is None for _, f in findings_of(state))
    keys = [p["id"] for p in state["proposals"]]
    assert "en:maisky" in keys and len(set(keys)) == len(keys)
    assert state["glossary"] == {"path": str(glossary), "writable": True, "reason": ""}
    status, page = client.get("/")
    # every finding has its decision controls, bar the informational notes (no-source, untranslated-gloss),
    # shown as badges
    from review.checks.registry import is_informational
    decidable = [f for _, f in findings_of(state) if not is_informational(f["check"])]
    assert status == 200 and 'id="serve-panel"' in page and page.count("data-fp=") == len(decidable) < len(fps)


def test_decisions_are_stored_with_timestamps_and_survive_a_restart(work, serve_dir):
    _, _, out = work
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    brackets, deprecated = pick(state, "empty-brackets"), pick(state, "term-deprecated")
    status, reply = client.post("/api/decision", {"fingerprint": brackets["fingerprint"], "verdict": "false_alarm"})
    assert status == 200 and reply["decision"]["verdict"] == "false_alarm"
    assert reply["counts"]["false_alarm"] == 1
    client.post("/api/decision", {"fingerprint": deprecated["fingerprint"], "verdict": "confirmed",
                                  "note": "  use 마이스키  "})
    # a note alone keeps the verdict
    status, reply = client.post("/api/decision", {"fingerprint": deprecated["fingerprint"], "note": "use 마이스키!"})
    assert reply["decision"]["verdict"] == "confirmed" and reply["decision"]["note"] == "use 마이스키!"
    client.server.stop()

    rows = sqlite3.connect(out / "decisions.sqlite").execute(
        "SELECT check_name, verdict, note, created_at, updated_at FROM finding_decision ORDER BY check_name").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("empty-brackets", "false_alarm", ""),
                                                  ("term-deprecated", "confirmed", "use 마이스키!")]
    assert all(r[3].endswith("+00:00") and r[4] >= r[3] for r in rows)

    again = serve_dir(out)
    _, state = again.get("/api/pairs")
    decided = {f["check"]: f["decision"]["verdict"] for _, f in findings_of(state) if f["decision"]}
    assert decided == {"empty-brackets": "false_alarm", "term-deprecated": "confirmed"}
    # clearing the verdict of a finding with no note deletes its decision
    status, reply = again.post("/api/decision", {"fingerprint": brackets["fingerprint"], "verdict": None})
    assert status == 200 and reply["decision"] is None
    _, listed = again.get("/api/decisions")
    assert [d["check"] for d in listed["findings"]] == ["term-deprecated"]
    assert len(DecisionStore(out / "decisions.sqlite").history()) == 4


@pytest.mark.parametrize("body, raw, headers, status, message", [
    (None, b"{not json", {}, 400, "invalid JSON"),
    ([1, 2], None, {}, 400, "must be a JSON object"),
    ({"fingerprint": "0" * 32, "verdict": "confirmed"}, None, {}, 400, "unknown finding"),
    ({"fingerprint": "FP", "verdict": "maybe"}, None, {}, 400, "'verdict' must be one of"),
    ({"fingerprint": "FP"}, None, {}, 400, "give a 'verdict'"),
    ({"fingerprint": "FP", "note": "x" * 5000}, None, {}, 400, "at most 4000"),
    ({"fingerprint": "FP", "verdict": "confirmed", "extra": 1}, None, {}, 400, "unknown field(s): extra"),
    ({"fingerprint": "FP", "verdict": "confirmed"}, None, {"Content-Type": "text/plain"}, 415, "as JSON"),
    ({"fingerprint": "FP", "verdict": "confirmed"}, None, {"Origin": "http://evil.example"}, 403, "cross-origin"),
    ({"fingerprint": "FP", "verdict": "confirmed"}, None, {"Host": "evil.example:80"}, 403, "is not this server"),
])
def test_bad_requests_are_refused_with_a_message(work, serve_dir, body, raw, headers, status, message):
    _, _, out = work
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    fp = findings_of(state)[0][1]["fingerprint"]
    if isinstance(body, dict) and body.get("fingerprint") == "FP":
        body = {**body, "fingerprint": fp}
    got, reply = client.post("/api/decision", body, raw=raw, headers=headers)
    assert got == status and message in reply["error"]
    assert not load_decisions(out)  # nothing was written


def test_other_refusals(work, serve_dir):
    _, _, out = work
    client = serve_dir(out)
    assert client.get("/nope")[0] == 404
    assert client.post("/api/nope", {})[0] == 404
    status, reply = client.post("/api/proposal", {"key": "en:nobody", "verdict": "accepted"})
    assert status == 400 and "unknown proposal" in reply["error"]
    status, reply = client.post("/api/proposal", {"key": "en:maisky", "verdict": "accepted", "preferred": "X"})
    assert status == 400 and "'preferred' must be one of" in reply["error"]
    status, reply = client.request("GET", "/api/pairs", headers={"Host": "attacker.example"})
    assert status == 403


def test_loopback_only_unless_allowed(work):
    _, _, out = work
    with pytest.raises(ServeError, match="--allow-remote"):
        make_server(str(out), host="0.0.0.0", port=0)
    assert "no login" in check_host("0.0.0.0", allow_remote=True)
    assert check_host("::1", allow_remote=False) is None and check_host("localhost", False) is None


def test_serve_refuses_a_folder_that_is_not_a_review_output(tmp_path, capsys):
    assert main(["serve", str(tmp_path)]) == 1
    assert "no segments.jsonl" in capsys.readouterr().err


def test_rerun_keeps_decisions_and_the_worklist_drops_false_alarms(work, serve_dir):
    ko, glossary, out = work
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    pair, brackets = next((p, f) for p, f in findings_of(state) if f["check"] == "empty-brackets")
    worklist_before = [json.loads(line)["id"] for line in (out / "worklist.jsonl").read_text().splitlines()]
    assert pair["id"] in worklist_before
    client.post("/api/decision", {"fingerprint": brackets["fingerprint"], "verdict": "false_alarm", "note": "fine"})
    client.server.stop()
    # the app rewrote the output's worklist at once
    rows = [json.loads(line) for line in (out / "worklist.jsonl").read_text().splitlines()]
    assert pair["id"] not in [r["id"] for r in rows] and len(rows) == len(worklist_before) - 1

    # A revised translation: another paragraph changed, the decided one not.
    text = ko.read_text(encoding="utf-8")
    assert "옴스크에서" in text
    ko.write_text(text.replace("옴스크에서", "옴스크에서 ").replace("어린 시절을", "유년기를"), encoding="utf-8")
    rerun(ko, glossary, out)

    after = load_output(out)
    fp_after = {fp for p in after.pairs for fp in finding_fingerprints(p)}
    assert brackets["fingerprint"] in fp_after  # the same finding, found again
    assert load_decisions(out).verdict(brackets["fingerprint"]) == "false_alarm"
    rows = [json.loads(line) for line in (out / "worklist.jsonl").read_text().splitlines()]
    assert pair["id"] not in [r["id"] for r in rows]
    assert len(rows) == len(worklist_before) - 1
    csv_text = (out / "worklist.csv").read_text(encoding="utf-8-sig")
    assert "empty-brackets" not in csv_text
    # the report shows the decision on the finding
    report = (out / "report.html").read_text(encoding="utf-8")
    li = report[report.index(f'data-fp="{brackets["fingerprint"]}"') - 200:][:1200]
    assert "dec-false_alarm" in li and "Note: fine" in li


def test_merged_worklist_drops_false_alarms(work, serve_dir, capsys):
    _, _, out = work
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    brackets = pick(state, "empty-brackets")
    capsys.readouterr()
    assert main(["worklist", str(out), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    client.post("/api/decision", {"fingerprint": brackets["fingerprint"], "verdict": "false_alarm"})
    assert main(["worklist", str(out), "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert len(after["queue"]) == len(before["queue"]) - 1
    assert all("empty-brackets" not in r["checks"] for r in after["queue"])
    assert after["documents"][0]["major"] == before["documents"][0]["major"] - 1


def test_accepting_a_proposal_writes_the_glossary(work, serve_dir):
    _, glossary, out = work
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    new = next(p for p in state["proposals"] if not p["glossary_id"] and p["english"] is None
               and len(p["variants"]) == 1)
    before = read_tbx(glossary)
    assert not before.find(new["canonical"])
    status, reply = client.post("/api/proposal", {"key": new["id"], "verdict": "accepted"})
    assert status == 200 and reply["changed"] is True
    after = read_tbx(glossary)
    entry = after.get(reply["decision"]["entry_id"])
    assert entry.preferred_korean.text == new["canonical"] and len(after) == len(before) + 1
    assert Path(str(glossary) + "~").is_file()  # the old file, kept
    assert len(read_tbx(str(glossary) + "~")) == len(before)
    # an accepted proposal cannot be quietly rejected: the glossary already has it
    status, reply = client.post("/api/proposal", {"key": new["id"], "verdict": "rejected"})
    assert status == 409 and "undo it first" in reply["error"]
    # rejecting another leaves the file alone
    other = next(p for p in state["proposals"] if p["id"] != new["id"] and not p["glossary_id"])
    stamp = glossary.stat().st_mtime_ns
    status, reply = client.post("/api/proposal", {"key": other["id"], "verdict": "rejected", "note": "not a name"})
    assert status == 200 and glossary.stat().st_mtime_ns == stamp
    # a known name with a chosen preferred spelling: 메이스키 made preferred, every other spelling of the
    # proposal (and the old preferred 마이스키) deprecated, so the checks keep flagging them
    maisky_prop = next(p for p in state["proposals"] if p["id"] == "en:maisky")
    before_tb = read_tbx(glossary)
    before_entry = before_tb.get(maisky_prop["glossary_id"]) if maisky_prop["glossary_id"] else None
    status, reply = client.post("/api/proposal", {"key": "en:maisky", "verdict": "accepted", "preferred": "메이스키"})
    assert status == 200
    maisky = read_tbx(glossary).get(reply["decision"]["entry_id"])
    assert maisky.preferred_korean.text == "메이스키"
    deprecated = {t.text for t in maisky.deprecated_korean}
    hangul = {v for v in maisky_prop["variants"] if any("가" <= c <= "힣" for c in v)}
    assert "마이스키" in deprecated and hangul - {"메이스키"} <= deprecated
    assert not [t for t in maisky.korean if t.status.value == "admitted" and t.text in hangul]
    decided = load_decisions(out).proposals
    assert {k: d.verdict for k, d in decided.items()} == {new["id"]: "accepted", other["id"]: "rejected",
                                                          "en:maisky": "accepted"}
    # undo: the entry is back as it was, the decision forgotten; the new entry's undo removes it
    status, reply = client.post("/api/proposal", {"key": "en:maisky", "verdict": None})
    assert status == 200 and reply["decision"] is None
    restored = read_tbx(glossary)
    assert before_entry is not None  # the sample glossary knows Maisky: the undo restores that entry exactly
    assert restored.get(before_entry.id) == before_entry
    status, reply = client.post("/api/proposal", {"key": new["id"], "verdict": None})
    assert status == 200 and not read_tbx(glossary).find(new["canonical"])
    assert set(load_decisions(out).proposals) == {other["id"]}
    status, reply = client.post("/api/proposal", {"key": new["id"], "verdict": None})
    assert status == 409 and "no decision" in reply["error"]
    status, reply = client.post("/api/proposal", {"key": other["id"]})
    assert status == 400 and "'verdict' is required" in reply["error"]


def test_accepting_a_term_family_keeps_its_head_noun(tmp_path):
    """A term family (one head noun, written inside some spellings) accepted with a chosen spelling: the
    glossary's preferred and deprecated terms carry the head, so the check's suggestion replaces the whole term."""
    from review.serve.app import _accept_unlocked

    path = tmp_path / "g.tbx"
    proposal = {"variants": ["반전", "반전동맹", "비전쟁동맹"], "counts": {"반전": 3, "반전동맹": 1, "비전쟁동맹": 2},
                "type": "term", "english": None, "head": "동맹"}
    entry_id, changed, _ = _accept_unlocked(path, proposal, "비전쟁동맹")
    entry = read_tbx(path).get(entry_id)
    assert changed and entry.preferred_korean.text == "비전쟁 동맹"
    assert {t.text for t in entry.deprecated_korean} == {"반전 동맹"}


def test_the_bundled_demo_glossary_is_not_written(work, serve_dir):
    _, _, out = work
    seg = out / "segments.jsonl"
    lines = seg.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    from review.pipeline import sample_paths
    header["config"]["glossary"] = str(sample_paths()[1].with_name("maisky.glossary.tbx"))
    seg.write_text("\n".join([json.dumps(header, ensure_ascii=False)] + lines[1:]) + "\n", encoding="utf-8")
    client = serve_dir(out)
    status, reply = client.post("/api/proposal", {"key": "en:maisky", "verdict": "accepted"})
    assert status == 409 and "--glossary" in reply["error"]
    assert not load_decisions(out).proposals  # the transaction was rolled back


# --- the store and fingerprints, without a server -----------------------------------------------

def _pair(tgt, *findings):
    return ReviewedPair(id="d:0", doc_id="d", position=0, src_idx=(), tgt_idx=(0,), src="", tgt=tgt,
                        findings=findings, penalty=sum(f.severity.weight for f in findings), priority=10.0)


def _finding(check, text, start, severity=Severity.MAJOR):
    return Finding(check, Category.FLUENCY, severity, "m", (Span(start, start + len(text), text),))


def test_fingerprints_follow_the_korean_text_not_its_layout():
    a = _pair("마이스키는  대사였다.", _finding("x", "마이스키", 0))
    spaced = _pair(" 마이스키는 대사였다. ", _finding("x", "마이스키", 1))
    changed = _pair("메이스키는 대사였다.", _finding("x", "메이스키", 0))
    assert finding_fingerprints(a) == finding_fingerprints(spaced)
    assert finding_fingerprints(a) != finding_fingerprints(changed)
    twice = _pair("가나 가나", _finding("x", "가나", 0), _finding("x", "가나", 3))
    assert len(set(finding_fingerprints(twice))) == 2
    assert proposal_key({"english": " Ivan  Maisky", "variants": ["이반"]}) == "en:ivan maisky"
    assert proposal_key({"english": None, "variants": ["소련"]}) == "ko:소련"


def test_drop_false_alarms_recomputes_penalty_and_priority(tmp_path):
    keep, drop = _finding("x", "마이스키", 0), _finding("y", "대사", 6, Severity.MINOR)
    pair = _pair("마이스키는 대사였다.", keep, drop)
    store = DecisionStore(tmp_path / "decisions.sqlite")
    store.set_finding(pair, 1, verdict="false_alarm")
    store.set_finding(pair, 0, verdict="confirmed")
    (left,) = drop_false_alarms([pair], load_decisions(tmp_path))
    assert left.findings == (keep,) and left.penalty == 5.0
    assert 0 < left.priority < pair.priority


def test_a_broken_decisions_file_is_reported(tmp_path):
    (tmp_path / "decisions.sqlite").write_bytes(b"this is not a database" * 10)
    from corpus.errors import InputError
    with pytest.raises(InputError, match="decisions.sqlite"):
        load_decisions(tmp_path)


def test_cli_refuses_a_non_loopback_host(work, capsys):
    _, _, out = work
    assert main(["serve", str(out), "--host", "0.0.0.0", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "Error: refusing to listen on 0.0.0.0" in err and "--allow-remote" in err


def test_review_writes_names_jsonl_and_removes_a_stale_one(work):
    ko, glossary, out = work
    from review.jsonl import read_jsonl
    header, names = read_jsonl(out / "names.jsonl")
    assert header["proposals"] == len(names) > 0 and header["glossary"]
    assert [n["id"] for n in names] == proposal_keys(names) and all(n["variants"] for n in names)
    assert len({n["id"] for n in names}) == len(names)  # one Accept marks one proposal
    maisky = next(n for n in names if n["id"] == "en:maisky")
    assert maisky["canonical"] == "마이스키" and "메이스키" in maisky["variants"]
    assert main(["review", str(ko), "--out", str(out), "--quiet", "--no-models", "--no-names"]) == 0
    assert not (out / "names.jsonl").exists()


def test_decisions_are_written_into_review_xlsx_and_review_xlf(work, serve_dir):
    import xml.etree.ElementTree as ET

    import openpyxl

    from review.exchange import write_xliff
    from review.report.excel import write_xlsx
    from review.report.worklist import load_output

    _, _, out = work
    output = load_output(out)
    write_xlsx(out / "review.xlsx", output.pairs)
    write_xliff(out / "review.xlf", output.header, output.pairs)
    client = serve_dir(out)
    _, state = client.get("/api/pairs")
    from review.checks.registry import is_informational
    pair, finding = next((p, f) for p, f in findings_of(state) if not is_informational(f["check"]))
    status, _ = client.post("/api/decision", {"fingerprint": finding["fingerprint"], "verdict": "confirmed",
                                              "note": "right"})
    assert status == 200
    rows = list(openpyxl.load_workbook(out / "review.xlsx")["Findings"].iter_rows(values_only=True))
    header = rows[0]
    decided = [dict(zip(header, r)) for r in rows[1:] if r[header.index("decision")]]
    assert len(decided) == 1 and decided[0]["note"] == "right" and decided[0]["check"] == finding["check"]
    notes = ET.parse(out / "review.xlf").getroot().iter("{urn:oasis:names:tc:xliff:document:2.0}note")
    assert [n.get("{urn:mtreview:review:1}decision") for n in notes if n.get("{urn:mtreview:review:1}decision")] \
        == ["confirmed"]
