"""A gettext PO file reviewed end to end: read, aligned message by message, checked, reported."""
from __future__ import annotations

import json

from review.cli import main
from review.jsonl import read_jsonl

PO = r'''msgid ""
msgstr ""
"Language: ko\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "Maisky was born in 1884 in Kirillov."
msgstr "마이스키는 1885년 키릴로프에서 태어났다."

msgctxt "menu"
msgid "Open the diary"
msgstr "일기 열기"

msgid "%d page"
msgid_plural "%d pages"
msgstr[0] "%d쪽"

msgid "He went to London in 1932."
msgstr ""
'''


def test_po_file_reviews_end_to_end(tmp_path, capsys):
    po = tmp_path / "diary.ko.po"
    po.write_text(PO, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", str(po), "--out", str(out), "--no-models", "--no-names", "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["document"] == "diary" and summary["pairs"] == 4
    _, records = read_jsonl(out / "segments.jsonl")
    assert [(r["src"], r["tgt"]) for r in records] == [
        ("Maisky was born in 1884 in Kirillov.", "마이스키는 1885년 키릴로프에서 태어났다."),
        ("Open the diary", "일기 열기"), ("%d pages", "%d쪽"), ("He went to London in 1932.", "")]
    checks = {f["check"] for r in records for f in r["findings"]}
    assert "number-mismatch" in checks  # 1884 -> 1885
    assert any(f["check"] in ("omission", "untranslated", "missing-translation", "empty-target")
               for f in records[3]["findings"]), records[3]["findings"]
    assert (out / "report.html").is_file() and (out / "worklist.csv").is_file()
