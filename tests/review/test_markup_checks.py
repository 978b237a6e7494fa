"""Tags and placeholders kept from XLIFF/TMX and checked: a golden file of deliberate tag errors, end to end."""
from __future__ import annotations

import json
from pathlib import Path

from review.cli import main
from review.jsonl import read_jsonl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tags"
CHECKS = {"tag-mismatch", "placeholder-mismatch"}


def test_tag_errors_golden(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["review", str(FIXTURES / "tags.xlf"), "--out", str(out), "--no-models", "--no-names",
                 "--quiet"]) == 0
    _, records = read_jsonl(out / "segments.jsonl")
    assert [r["tgt"] for r in records][0] == "이반 마이스키는 키릴로프에서 태어났다."  # the text a reader sees
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    got = {}
    for unit_id, r in zip(expected, records):
        got[unit_id] = [[f["check"], f["message"]] for f in r["findings"] if f["check"] in CHECKS]
    assert got == expected
    # the finding points where the added tag stands in the Korean (an insertion point)
    extra = next(f for f in records[2]["findings"] if f["check"] == "tag-mismatch")
    assert extra["tgt_spans"][0]["start"] == records[2]["tgt"].index("처칠")


def test_tmx_codes_are_kept_and_checked(tmp_path):
    tmx = tmp_path / "m.tmx"
    tmx.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en" datatype="plaintext" '
                   'segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="x"/><body>'
                   '<tu tuid="1"><tuv xml:lang="en"><seg>Maisky met <bpt i="1">&lt;i&gt;</bpt>Churchill'
                   '<ept i="1">&lt;/i&gt;</ept>.</seg></tuv><tuv xml:lang="ko"><seg>마이스키는 처칠을 만났다.'
                   '</seg></tuv></tu></body></tmx>', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", str(tmx), "--out", str(out), "--no-models", "--no-names", "--quiet"]) == 0
    _, records = read_jsonl(out / "segments.jsonl")
    msgs = [f["message"] for f in records[0]["findings"] if f["check"] == "tag-mismatch"]
    assert msgs == ["inline tags <1> </1> of the English missing in the Korean"]


def test_checks_list_the_new_checks(capsys):
    assert main(["checks"]) == 0
    names = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert CHECKS <= names
