"""Readers: every input format, every encoding, and the exact error for each kind of bad input."""
from __future__ import annotations

import json

import pytest

from corpus.errors import InputError
from corpus.readers import read_bitext, read_document, read_jsonl_bitext, read_text_pair, read_tsv_bitext
from corpus.textio import decode_bytes, read_text

KO = "이반 마이스키는 소련의 외교관이었습니다.\n\n그는 런던에서 일했습니다."
EN = "Ivan Maisky was a Soviet diplomat.\n\nHe worked in London."


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", KO.encode("utf-8")),
    ("utf-8-sig", b"\xef\xbb\xbf" + KO.encode("utf-8")),
    ("utf-16", KO.encode("utf-16")),  # with BOM
    ("utf-16-le", KO.encode("utf-16-le")),  # no BOM
    ("utf-16-be", KO.encode("utf-16-be")),  # no BOM
    ("cp949", KO.encode("cp949")),
    ("euc-kr", KO.encode("euc-kr")),
])
def test_encodings_are_detected(tmp_path, encoding, data):
    path = tmp_path / "ko.txt"
    path.write_bytes(data)
    text, _ = read_text(path)
    assert text == KO
    doc = read_document(path, "ko")
    assert [s.text for s in doc.segments] == ["이반 마이스키는 소련의 외교관이었습니다.", "그는 런던에서 일했습니다."]


def test_explicit_encoding_is_used(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes(KO.encode("euc-kr"))
    assert read_text(path, "euc-kr")[0] == KO
    with pytest.raises(InputError, match=r"ko\.txt:1 \(byte 0\): undecodable bytes .* as utf-8"):
        read_text(path, "utf-8")


def test_unknown_encoding_name(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_text(KO, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_text(path, "klingon")


def test_crlf_is_normalised(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes(KO.replace("\n", "\r\n").encode("utf-8"))
    assert read_text(path)[0] == KO


def test_undecodable_bytes_name_line_and_offset(tmp_path):
    path = tmp_path / "bad.txt"
    good = "첫 줄입니다.\n둘째 줄입니다.\n".encode("utf-8")
    path.write_bytes(good + b"\xff\xfe\xfa\x80 broken\n")
    with pytest.raises(InputError) as err:
        read_text(path)
    assert err.value.line == 3
    assert err.value.offset == len(good)
    assert str(err.value).startswith(f"{path}:3 (byte {len(good)}): undecodable bytes")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.txt: the file is empty"):
        read_document(path, "ko")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt", "ko")


def test_korean_file_without_hangul_is_rejected(tmp_path):
    en, ko = tmp_path / "a.en.txt", tmp_path / "a.ko.txt"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(EN, encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ko\.txt: expected Korean, but only 0% of its letters are Hangul"):
        read_text_pair(en, ko)


def test_swapped_files_are_rejected(tmp_path):
    en, ko = tmp_path / "a.en.txt", tmp_path / "a.ko.txt"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(KO, encoding="utf-8")
    with pytest.raises(InputError, match="expected Korean"):
        read_text_pair(ko, en)


def test_text_pair(tmp_path):
    en, ko = tmp_path / "maisky.en.txt", tmp_path / "maisky.ko.txt"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(KO, encoding="utf-8")
    bitext = read_text_pair(en, ko)
    assert bitext.doc_id == "maisky"
    assert not bitext.paired_paragraphs
    assert len(bitext.source.paragraphs) == 2 and len(bitext.target.paragraphs) == 2
    for doc in (bitext.source, bitext.target):
        for seg in doc.segments:
            assert doc.text[seg.start:seg.end] == seg.text


def test_one_paragraph_per_line(tmp_path):
    ko = tmp_path / "lines.ko.txt"
    ko.write_text("첫째 문단입니다.\n둘째 문단입니다.\n셋째 문단입니다.\n", encoding="utf-8")
    assert len(read_document(ko, "ko").paragraphs) == 3


def test_tsv_bitext(tmp_path):
    path = tmp_path / "bi.tsv"
    path.write_text("src\ttgt\nIvan Maisky was a diplomat.\t이반 마이스키는 외교관이었습니다.\n"
                    "\n He worked in London. \t그는 런던에서 일했습니다.\n", encoding="utf-8")
    bitext = read_tsv_bitext(path)
    assert bitext.paired_paragraphs
    assert bitext.unit_ids == ("2", "4")
    assert [p.text for p in bitext.source.paragraphs] == ["Ivan Maisky was a diplomat.", "He worked in London."]
    assert [p.text for p in bitext.target.paragraphs] == ["이반 마이스키는 외교관이었습니다.", "그는 런던에서 일했습니다."]


def test_tsv_wrong_column_count(tmp_path):
    path = tmp_path / "bi.tsv"
    path.write_text("Hello.\t안녕하세요.\nOne\ttwo\t셋\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bi\.tsv:2: expected 2 tab-separated columns \(English, Korean\), found 3"):
        read_tsv_bitext(path)


def test_tsv_cp949(tmp_path):
    path = tmp_path / "bi.tsv"
    path.write_bytes("Hello.\t안녕하세요.\n".encode("cp949"))
    assert read_tsv_bitext(path).target.paragraphs[0].text == "안녕하세요."


def test_jsonl_bitext_keeps_extra_keys_and_lists(tmp_path):
    path = tmp_path / "bi.jsonl"
    rows = [{"id": "a", "src": "Hello.", "tgt": "안녕하세요.", "label": 1, "type": "clean"},
            {"id": "b", "src": ["One.", "Two."], "tgt": ["하나.", "둘."], "gold": [[[0], [0]]]},
            {"id": "c", "src": "An English target is a finding, not an input error.", "tgt": "Untranslated."}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    bitext = read_jsonl_bitext(path)
    assert bitext.unit_ids == ("a", "b", "c")
    assert [s.text for s in bitext.target.paragraphs[1].segments] == ["하나.", "둘."]


def test_jsonl_skips_a_header_record(tmp_path):
    path = tmp_path / "bi.jsonl"
    path.write_text('{"mtreview": "0.1"}\n{"id": "a", "src": "Hi.", "tgt": "안녕."}\n', encoding="utf-8")
    assert read_jsonl_bitext(path).unit_ids == ("a",)


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "src": "Hi."', r"bi\.jsonl:2: invalid JSON"),
    ('["src", "tgt"]', r"bi\.jsonl:2: expected a JSON object, got list"),
    ('{"id": "a", "src": "Hi."}', r"bi\.jsonl:2: record has no 'tgt'"),
    ('{"id": "a", "src": "Hi.", "tgt": 5}', r"bi\.jsonl:2: 'tgt' must be a string or a list of strings, got int"),
])
def test_jsonl_errors(tmp_path, line, message):
    path = tmp_path / "bi.jsonl"
    path.write_text('{"id": "0", "src": "Hello.", "tgt": "안녕하세요."}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_jsonl_bitext(path)


def test_read_bitext_dispatches_on_suffix(tmp_path):
    tsv = tmp_path / "x.tsv"
    tsv.write_text("Hello.\t안녕하세요.\n", encoding="utf-8")
    ko = tmp_path / "x.ko.txt"
    ko.write_text(KO, encoding="utf-8")
    assert read_bitext(tsv).paired_paragraphs
    alone = read_bitext(ko)
    assert alone.source is None and len(alone.target.segments) == 2


def test_decode_bytes_prefers_utf8_over_cp949():
    text, enc = decode_bytes("마이스키".encode("utf-8"), "x")
    assert (text, enc) == ("마이스키", "utf-8")


def test_tsv_with_stray_carriage_returns(tmp_path):
    # English lines pasted from a Windows file keep their CR before the tab
    path = tmp_path / "bi.tsv"
    path.write_bytes("Welsh AMs worried.\r\t웨일스 의원들이 걱정했다.\nThey met.\r\t그들은 만났다.\n".encode("utf-8"))
    bitext = read_tsv_bitext(path)
    assert [p.text for p in bitext.source.paragraphs] == ["Welsh AMs worried.", "They met."]


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes("첫째 문단입니다.\r둘째 문단입니다.\r".encode("utf-8"))
    assert len(read_document(path, "ko").paragraphs) == 2
