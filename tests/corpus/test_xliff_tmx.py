"""XLIFF 1.2 / 2.x and TMX as review input: pairing, inline markup, languages, malformed and hostile files."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.readers import read_bitext
from corpus.tmx import read_tmx_bitext
from corpus.xliff import read_xliff_bitext, read_xliff_units
from corpus.xmlsafe import sniff_root

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="maisky.html" source-language="en-US" target-language="ko-KR" datatype="html">
    <body>
      <group id="g1">
        <trans-unit id="t1">
          <source>Ivan <g id="1">Maisky</g> was born in <x id="2"/>Kirillov.</source>
          <target>이반 <g id="1">마이스키</g>는 <x id="2"/>키릴로프에서 태어났다.</target>
          <alt-trans><source>ALT</source><target>대안 번역</target></alt-trans>
        </trans-unit>
      </group>
      <trans-unit id="t2">
        <source>He was <bpt id="3">&lt;b&gt;</bpt>ambassador<ept id="3">&lt;/b&gt;</ept> in London.<ph id="4">&lt;br/&gt;</ph></source>
        <seg-source><mrk mtype="seg" mid="1">He was ambassador in London.</mrk></seg-source>
        <target><mrk mtype="seg" mid="1">그는 <bpt id="3">&lt;b&gt;</bpt>런던 주재 대사<ept id="3">&lt;/b&gt;</ept>였다.</mrk></target>
      </trans-unit>
      <trans-unit id="t3">
        <source>No translation yet.</source>
      </trans-unit>
      <trans-unit id="code" translate="no">
        <source>var x = 1;</source>
      </trans-unit>
      <trans-unit id="t4">
        <source>Track changes.</source>
        <target>변경 <mrk mtype="x-sdl-deleted">삭제된 </mrk>내용
          추적.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="{version}" srcLang="en" trgLang="ko">
  <file id="f1">
    <unit id="u1">
      <segment><source>Maisky was born in 1884.</source><target>마이스키는 1884년에 태어났다.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment><source>He <pc id="1">studied</pc> history.<ph id="2"/></source>
               <target>그는 역사를 <pc id="1">공부했다</pc>.<ph id="2"/></target></segment>
    </unit>
    <group id="g">
      <unit id="u2">
        <segment><source>A<cp hex="00A0"/>B and <mrk id="m1" type="term">Soviet</mrk> <sc id="s"/>union<ec startRef="s"/>.</source>
                 <target><mrk id="m1" type="term">소련</mrk> 연방.</target></segment>
      </unit>
    </group>
    <unit id="u3">
      <segment><source>Untranslated.</source></segment>
    </unit>
  </file>
</xliff>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="paragraph" o-tmf="x" adminlang="en"
          srclang="en-US" datatype="plaintext"/>
  <body>
    <tu tuid="a1">
      <tuv xml:lang="EN-US"><seg>Maisky met <bpt i="1">&lt;i&gt;</bpt>Churchill<ept i="1">&lt;/i&gt;</ept>.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Maisky traf Churchill.</seg></tuv>
      <tuv xml:lang="ko-KR"><seg>마이스키는 <hi type="b">처칠</hi>을 만났다.<ph x="1">&lt;br/&gt;</ph></seg></tuv>
    </tu>
    <tu>
      <tuv lang="en"><seg>Only English here.</seg></tuv>
    </tu>
    <tu tuid="a3">
      <tuv xml:lang="en-GB"><seg>First English.</seg></tuv>
      <tuv xml:lang="en-US"><seg>Second English.</seg></tuv>
      <tuv xml:lang="ko"><seg>첫 영어.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _paragraphs(doc) -> list[str]:
    return [doc.text[p.start:p.end] for p in doc.paragraphs]


def test_xliff12_units_inline_tags_and_missing_targets(tmp_path):
    bitext = read_bitext(_write(tmp_path, "maisky.xlf", XLIFF12))
    assert bitext.doc_id == "maisky" and bitext.paired_paragraphs
    assert bitext.unit_ids == ("t1", "t2", "t3", "t4")
    assert _paragraphs(bitext.source) == [
        "Ivan Maisky was born in Kirillov.", "He was ambassador in London.", "No translation yet.",
        "Track changes."]
    assert _paragraphs(bitext.target) == [
        "이반 마이스키는 키릴로프에서 태어났다.", "그는 런던 주재 대사였다.", "", "변경 내용 추적."]
    # the empty target is an empty paragraph, not a missing one: the rows stay paired
    assert len(bitext.source.paragraphs) == len(bitext.target.paragraphs) == 4
    assert bitext.target.paragraphs[2].segments == ()


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_xliff2_segments_joined_per_unit(tmp_path, version):
    bitext = read_bitext(_write(tmp_path, "doc.xliff", XLIFF2.format(version=version)))
    assert bitext.unit_ids == ("u1", "u2", "u3")
    assert _paragraphs(bitext.source) == [
        "Maisky was born in 1884. He studied history.", "A\u00a0B and Soviet union.", "Untranslated."]
    assert _paragraphs(bitext.target) == ["마이스키는 1884년에 태어났다. 그는 역사를 공부했다.", "소련 연방.", ""]


def test_xliff2_segments_without_ignorable_get_a_space(tmp_path):
    text = XLIFF2.format(version="2.1").replace("<ignorable><source> </source></ignorable>", "")
    bitext = read_xliff_bitext(_write(tmp_path, "doc.xlf", text))
    assert _paragraphs(bitext.target)[0] == "마이스키는 1884년에 태어났다. 그는 역사를 공부했다."


def test_tmx_picks_en_and_ko_by_prefix_and_flattens_codes(tmp_path):
    bitext = read_bitext(_write(tmp_path, "memory.tmx", TMX))
    assert bitext.doc_id == "memory" and bitext.unit_ids == ("a1", "2", "a3")
    assert _paragraphs(bitext.source) == ["Maisky met Churchill.", "Only English here.", "First English."]
    assert _paragraphs(bitext.target) == ["마이스키는 처칠을 만났다.", "", "첫 영어."]


def test_tmx_without_english_is_korean_alone(tmp_path):
    text = TMX.replace('xml:lang="EN-US"', 'xml:lang="fr"').replace('lang="en"', 'lang="fr"') \
        .replace('xml:lang="en-GB"', 'xml:lang="fr"').replace('xml:lang="en-US"', 'xml:lang="fr"')
    bitext = read_tmx_bitext(_write(tmp_path, "m.tmx", text))
    assert bitext.source is None and _paragraphs(bitext.target)[0] == "마이스키는 처칠을 만났다."


def test_tmx_without_korean_names_the_languages(tmp_path):
    text = TMX.replace('xml:lang="ko-KR"', 'xml:lang="ja"').replace('xml:lang="ko"', 'xml:lang="ja"')
    path = _write(tmp_path, "m.tmx", text)
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == f"{path}: no Korean (ko) text in any <tu> (languages found: EN-US, de-DE, en, en-GB, en-US, ja)"


def test_xml_suffix_is_sniffed(tmp_path):
    path = _write(tmp_path, "export.xml", TMX)
    assert sniff_root(path) == "tmx"
    assert read_bitext(path).unit_ids == ("a1", "2", "a3")
    path = _write(tmp_path, "export2.xml", XLIFF2.format(version="2.1"))
    assert read_bitext(path).unit_ids == ("u1", "u2", "u3")


def test_utf16_xliff_is_read(tmp_path):
    text = XLIFF12.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = _write(tmp_path, "u16.xlf", text, encoding="utf-16")
    assert _paragraphs(read_bitext(path).target)[0] == "이반 마이스키는 키릴로프에서 태어났다."


def test_malformed_xml_names_file_line_and_problem(tmp_path):
    text = XLIFF12.replace("<target>이반 <g id=\"1\">마이스키</g>", "<target>이반 <g id=\"1\">마이스키</x>")
    path = _write(tmp_path, "bad.xlf", text)
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert err.value.line == 8
    assert str(err.value) == f"{path}:8: malformed XML: mismatched tag (column 38)"


def test_truncated_file(tmp_path):
    path = _write(tmp_path, "cut.tmx", TMX[:400])
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == f"{path}:9: malformed XML: unclosed token (column 7)"


def test_wrong_languages_are_refused(tmp_path):
    path = _write(tmp_path, "koen.xlf", XLIFF12.replace('source-language="en-US" target-language="ko-KR"',
                                                        'source-language="ko-KR" target-language="en-US"'))
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == (f"{path}:3: source-language='ko-KR': mtreview reviews translations from English "
                              "(language code 'en')")


def test_unit_without_source(tmp_path):
    path = _write(tmp_path, "nosrc.xlf", XLIFF12.replace("<source>No translation yet.</source>", ""))
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == f"{path}:17: trans-unit 't3' has no <source>"


def test_no_target_at_all(tmp_path):
    text = XLIFF2.format(version="2.1")
    for tgt in ("<target>마이스키는 1884년에 태어났다.</target>", '<target><mrk id="m1" type="term">소련</mrk> 연방.</target>',
                '<target>그는 역사를 <pc id="1">공부했다</pc>.<ph id="2"/></target>'):
        assert tgt in text
        text = text.replace(tgt, "")
    path = _write(tmp_path, "empty.xlf", text)
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == f"{path}: none of its 3 units has a Korean target"


def test_not_xliff_root(tmp_path):
    path = _write(tmp_path, "x.xlf", TMX)
    with pytest.raises(InputError) as err:
        read_xliff_units(path)
    assert str(err.value) == f"{path}:3: not an XLIFF file: the root element is <tmx>"


XXE = """<?xml version="1.0"?>
<!DOCTYPE xliff [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<xliff version="1.2"><file source-language="en" target-language="ko"><body>
<trans-unit id="1"><source>&xxe;</source><target>비밀</target></trans-unit></body></file></xliff>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<tmx version="1.4"><body><tu><tuv xml:lang="ko"><seg>&lol2;</seg></tuv></tu></body></tmx>
"""

PARAM = """<?xml version="1.0"?>
<!DOCTYPE xliff [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<xliff version="1.2"><file><body></body></file></xliff>
"""


def test_external_entity_is_refused_and_nothing_is_read(tmp_path):
    secret = _write(tmp_path, "secret.txt", "TOP SECRET")
    path = _write(tmp_path, "xxe.xlf", XXE.format(secret=secret))
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == (f"{path}:2: entity declaration 'xxe' refused: XML entities are not allowed in "
                              "review input (they can expand without bound or read other files)")


def test_entity_expansion_is_refused(tmp_path):
    path = _write(tmp_path, "laughs.tmx", LAUGHS)
    with pytest.raises(InputError, match=r"laughs\.tmx:3: entity declaration 'lol' refused"):
        read_bitext(path)


def test_parameter_entity_is_refused(tmp_path):
    path = _write(tmp_path, "param.xlf", PARAM)
    with pytest.raises(InputError, match=r"param\.xlf:2: entity declaration 'remote' refused"):
        read_bitext(path)


def test_undeclared_entity_is_malformed(tmp_path):
    path = _write(tmp_path, "undef.xlf", XLIFF12.replace("Kirillov.", "&nbsp;Kirillov."))
    with pytest.raises(InputError, match=r"undef\.xlf:7: malformed XML: undefined entity"):
        read_bitext(path)


def test_entity_from_an_unread_external_dtd_is_an_error_not_a_silent_gap(tmp_path):
    text = TMX.replace("Only English here.", "Only&nbsp;English here.")
    path = _write(tmp_path, "dtd.tmx", text)
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == (f"{path}:13: entity &nbsp; is not defined in the file (external DTDs are not read; "
                              "write the character itself or a numeric reference)")


def test_character_references_are_text(tmp_path):
    path = _write(tmp_path, "refs.tmx", TMX.replace("Only English here.", "Only&#160;English &amp; more."))
    assert _paragraphs(read_bitext(path).source)[1] == "Only\u00a0English & more."


def test_unescaped_ampersand_is_malformed(tmp_path):
    path = _write(tmp_path, "amp.xlf", XLIFF12.replace("No translation yet.", "AT&T has no translation."))
    with pytest.raises(InputError) as err:
        read_bitext(path)
    assert str(err.value) == f"{path}:18: malformed XML: not well-formed (invalid token) (column 21)"


SEGMENTED12 = """<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="x" source-language="en" target-language="ko"><body>
  <trans-unit id="1">
   <source>Maisky, the ambassador, met <g id="1">Churchill</g>.</source>
   <seg-source><mrk mtype="seg" mid="1">Maisky, the ambassador,</mrk> <mrk mtype="seg" mid="2">met <g id="1">Churchill</g>.</mrk></seg-source>
   <target><mrk mtype="seg" mid="1">대사 마이스키는</mrk> <mrk mtype="seg" mid="2"><g id="1">처칠</g>을 만났다.</mrk></target>
  </trans-unit>
  <trans-unit id="2">
   <source>Not segmented. Two sentences.</source>
   <target>분할 안 됨. 두 문장.</target>
  </trans-unit>
 </body></file>
</xliff>
"""


def _sentences(doc, paragraph: int) -> list[str]:
    return [s.text for s in doc.paragraphs[paragraph].segments]


def test_xliff12_seg_source_segments_are_the_sentences(tmp_path):
    bitext = read_bitext(_write(tmp_path, "seg.xlf", SEGMENTED12))
    assert _sentences(bitext.source, 0) == ["Maisky, the ambassador,", "met Churchill."]
    assert _sentences(bitext.target, 0) == ["대사 마이스키는", "처칠을 만났다."]
    # offsets still index the document text
    for doc in (bitext.source, bitext.target):
        assert all(doc.text[s.start:s.end] == s.text for s in doc.iter_segments())
    # a unit the file does not segment is left to the sentence splitter: its text is all there
    assert " ".join(_sentences(bitext.target, 1)) == "분할 안 됨. 두 문장."


def test_xliff2_segments_are_the_sentences(tmp_path):
    bitext = read_bitext(_write(tmp_path, "seg2.xlf", XLIFF2.format(version="2.1")))
    assert _sentences(bitext.source, 0) == ["Maisky was born in 1884.", "He studied history."]
    assert _sentences(bitext.target, 0) == ["마이스키는 1884년에 태어났다.", "그는 역사를 공부했다."]
