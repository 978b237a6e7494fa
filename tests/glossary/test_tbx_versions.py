"""TBX v2 (<martif>) and v3 (<tbx>), read and written, TBX-Basic-valid: a CAT tool's v2 export in, v3 out,
v2 out again, with the same term base at every step."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from corpus.errors import InputError
from glossary.tbx import read_tbx, tbx_string, write_tbx
from glossary.termbase import TermBase

# What a CAT tool exports (memoQ/MultiTerm style): a DOCTYPE, tig and ntig, a third language, no id on one
# entry, a capitalised part of speech, properNoun, and data categories mtreview does not use.
CAT_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader>
    <fileDesc><sourceDesc><p>Names exported from a CAT tool</p></sourceDesc></fileDesc>
    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>
  </martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="subjectField">person</descrip>
      <descrip type="definition">Soviet ambassador in London, 1932-1943</descrip>
      <note>the diarist</note>
      <langSet xml:lang="en-US">
        <tig><term>Ivan Maisky</term><termNote type="partOfSpeech">properNoun</termNote></tig>
      </langSet>
      <langSet xml:lang="ko-KR">
        <tig><term>마이스키</term><termNote type="partOfSpeech">Noun</termNote>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <ntig><termGrp><term>메이스키</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp>
          <note>common MT misspelling</note></ntig>
      </langSet>
      <langSet xml:lang="fr"><tig><term>Ivan Maïski</term></tig></langSet>
    </termEntry>
    <termEntry>
      <descrip type="subjectField">place</descrip>
      <langSet xml:lang="en"><tig><term>Dunkirk</term></tig></langSet>
      <langSet xml:lang="ko"><tig><term>됭케르크</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>던커크</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="only-french"><langSet xml:lang="fr"><tig><term>Londres</term></tig></langSet></termEntry>
  </body></text>
</martif>
"""

TBX_BASIC_POS = {"noun", "verb", "adjective", "adverb", "other"}
TBX_BASIC_STATUS = {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                    "supersededTerm-admn-sts"}
TBX_BASIC_TERM_NOTES = {"partOfSpeech", "administrativeStatus", "termType", "geographicalUsage",
                        "grammaticalGender", "termLocation"}


def check_tbx_basic(text: str, version: str) -> None:
    """TBX-Basic's constraints on what mtreview writes: structure names per version, picklist values."""
    root = ET.fromstring(text)
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731
    names = {"v2": ("martif", "martifHeader", "termEntry", "langSet", "tig"),
             "v3": ("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec")}[version]
    assert local(root) == names[0] and root.get("type") == "TBX-Basic"
    if version == "v3":
        assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx" and root.get("style") == "dca"
    else:
        assert "}" not in root.tag  # TBX v2 has no namespace
    assert [local(c) for c in root] == [names[1], "text"]
    entries = [e for e in root.iter() if local(e) == names[2]]
    assert entries and all(e.get("id") for e in entries)
    for e in entries:
        for child in e:
            assert local(child) in ("descrip", "note", "admin", names[3]), local(child)
        for ls in (c for c in e if local(c) == names[3]):
            assert ls.get("{http://www.w3.org/XML/1998/namespace}lang") in ("en", "ko")
            for ts in ls:
                assert local(ts) == names[4]
                kinds = [local(c) for c in ts]
                assert kinds[0] == "term" and set(kinds[1:]) <= {"termNote", "note"}
                for note in (c for c in ts if local(c) == "termNote"):
                    assert note.get("type") in TBX_BASIC_TERM_NOTES
                    if note.get("type") == "partOfSpeech":
                        assert note.text in TBX_BASIC_POS, note.text
                    if note.get("type") == "administrativeStatus":
                        assert note.text in TBX_BASIC_STATUS


def test_cat_tool_v2_in_v3_out_v2_out(tmp_path):
    v2_in = tmp_path / "cat.tbx"
    v2_in.write_text(CAT_V2, encoding="utf-8")
    tb = read_tbx(v2_in)
    assert [e.type.value for e in tb] == ["person", "place"]  # the French-only entry is not ours
    maisky = tb.get("c1")
    assert maisky.preferred_korean.text == "마이스키" and [t.text for t in maisky.deprecated_korean] == ["메이스키"]
    assert maisky.deprecated_korean[0].note == "common MT misspelling"
    assert maisky.english[0].part_of_speech == "properNoun" and maisky.korean[0].part_of_speech == "noun"
    dunkirk = next(e for e in tb if e.id != "c1")
    assert [t.text for t in dunkirk.korean if t.status.value == "admitted"] == ["던커크"]
    assert maisky.note == "the diarist"

    v3 = tmp_path / "out.tbx"
    write_tbx(tb, v3)
    check_tbx_basic(v3.read_text(encoding="utf-8"), "v3")
    tb3 = read_tbx(v3)
    assert list(tb3) == list(tb)
    v2_out = tmp_path / "out-v2.tbx"
    write_tbx(tb3, v2_out, version="v2")
    check_tbx_basic(v2_out.read_text(encoding="utf-8"), "v2")
    assert list(read_tbx(v2_out)) == list(tb)
    # properNoun is written as TBX-Basic's noun plus the note that reading turns back into properNoun
    assert "properNoun" not in v3.read_text(encoding="utf-8") + v2_out.read_text(encoding="utf-8")


def test_the_shipped_demo_glossary_writes_tbx_basic_values():
    from pathlib import Path

    tb = TermBase.load(Path(__file__).resolve().parents[2] / "review/data/sample/maisky.glossary.tbx")
    for version in ("v3", "v2"):
        check_tbx_basic(tbx_string(tb, version), version)


def test_cli_export_v2_and_import_it_back(tmp_path):
    from review.cli import main

    g = tmp_path / "g.tbx"
    assert main(["glossary", "--glossary", str(g), "init"]) == 0
    assert main(["glossary", "--glossary", str(g), "add", "Ivan Maisky", "마이스키", "--deprecated", "메이스키"]) == 0
    out = tmp_path / "for-cat.tbx"
    assert main(["glossary", "--glossary", str(g), "export", str(out), "--tbx-version", "v2"]) == 0
    assert out.read_text(encoding="utf-8").split("\n")[1].startswith("<martif")
    h = tmp_path / "h.tbx"
    assert main(["glossary", "--glossary", str(h), "import", str(out)]) == 0
    assert list(TermBase.load(h)) == list(TermBase.load(g))


def test_bad_v2_files_name_the_line(tmp_path):
    bad = tmp_path / "bad.tbx"
    bad.write_text(CAT_V2.replace("deprecatedTerm-admn-sts", "obsolete"), encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tbx:\d+: unknown administrativeStatus 'obsolete'"):
        read_tbx(bad)
    other = tmp_path / "other.xml"
    other.write_text("<glossary/>", encoding="utf-8")
    with pytest.raises(InputError, match="expected <tbx> .* or <martif>"):
        read_tbx(other)
