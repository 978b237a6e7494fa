"""Gettext PO input: messages as units, msgctxt in the id, plural forms, errors; an unsupported format."""
from __future__ import annotations

import pytest

from corpus.errors import InputError
from corpus.po import read_po_units
from corpus.readers import read_bitext

PO = r'''# Korean translation
msgid ""
msgstr ""
"Language: ko\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: app.py:10
msgid "Open file"
msgstr "파일 열기"

msgctxt "menu"
msgid "Open"
msgstr "열기"

msgctxt "door state"
msgid "Open"
msgstr "열림"

#, python-format
msgid "%d file was deleted by %s."
msgid_plural "%d files were deleted by %s."
msgstr[0] "%d개의 파일이 삭제되었습니다."

msgid "Maisky was born in 1884 "
"in Kirillov."
msgstr "마이스키는 1884년 키릴로프에서 태어났다."

msgid "Not yet translated"
msgstr ""

#~ msgid "Old message"
#~ msgstr "옛 메시지"
'''


@pytest.fixture
def po_file(tmp_path):
    path = tmp_path / "app.ko.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_messages_contexts_and_plurals(po_file):
    rows = read_po_units(po_file)
    texts = [(src, tgt) for _, src, tgt in rows]
    assert texts == [("Open file", "파일 열기"), ("Open", "열기"), ("Open", "열림"),
                     ("%d files were deleted by %s.", "%d개의 파일이 삭제되었습니다."),
                     ("Maisky was born in 1884 in Kirillov.", "마이스키는 1884년 키릴로프에서 태어났다."),
                     ("Not yet translated", "")]
    ids = [uid for uid, _, _ in rows]
    assert len(set(ids)) == len(ids)
    assert "menu|Open" in ids[1] and "door state|Open" in ids[2] and ids[3].endswith("[0]")


def test_po_bitext_pairs_one_message_per_paragraph(po_file):
    b = read_bitext(str(po_file))
    assert b.doc_id == "app" and b.paired_paragraphs
    assert len(b.source.paragraphs) == len(b.target.paragraphs) == 6
    assert b.target.text.split("\n")[1] == "열기"


def test_po_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "a"\nmsgstr "가"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.po:3: not a valid PO file"):
        read_bitext(str(bad))
    fr = tmp_path / "fr.po"
    fr.write_text(PO.replace("Language: ko", "Language: fr"), encoding="utf-8")
    with pytest.raises(InputError, match="Language: 'fr'"):
        read_bitext(str(fr))


@pytest.mark.parametrize("name,content,problem", [
    ("report.docx", b"PK\x03\x04 binary", "unsupported format '.docx'"),
    ("paper.pdf", b"%PDF-1.7", "unsupported format '.pdf'"),
    ("page.html", "<html><body>마이스키</body></html>".encode(), "unsupported format"),
    ("data.xml", '<?xml version="1.0"?><resources><string>마이스키</string></resources>'.encode(),
     "root element is <resources>"),
])
def test_unsupported_formats_are_refused_clearly(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as e:
        read_bitext(str(path))
    assert name in str(e.value)


def test_plain_text_with_angle_brackets_is_still_text(tmp_path):
    path = tmp_path / "doc.ko"
    path.write_text("마이스키는 <같다> 그리고 런던에 갔다.\n", encoding="utf-8")
    assert "<같다>" in read_bitext(str(path)).target.text
