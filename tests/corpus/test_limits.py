"""Input limits (issue 17): hostile input to every reader ends in an InputError naming file and line, fast."""
from __future__ import annotations

import json
import os
import threading
import time

import pytest

from corpus import limits
from corpus.errors import InputError
from corpus.readers import read_bitext, read_jsonl_bitext
from corpus.textio import read_text
from corpus.xliff import read_xliff_bitext
from glossary.tbx import read_tbx

KO = "이반 마이스키는 소련의 외교관이었습니다."
EN = "Ivan Maisky was a Soviet diplomat."
XLIFF2 = ('<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
          'srcLang="en" trgLang="ko"><file id="f">\n<unit id="u1"><segment><source>{src}</source>'
          '<target>{tgt}</target></segment></unit></file></xliff>\n')
XLIFF12 = ('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
           '<file source-language="en" target-language="ko" original="x"><body>\n'
           '<trans-unit id="1"><source>{src}</source><target>{tgt}</target></trans-unit></body></file></xliff>\n')


def _jsonl(tmp_path, *lines: str):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_number_over_python_digit_limit(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"id": 1, "src": EN, "tgt": KO}),
                  '{"id": ' + "9" * 5000 + ', "src": "a", "tgt": "' + KO + '"}')
    with pytest.raises(InputError, match=r"bad\.jsonl:2: a number 5,000 characters long"):
        read_jsonl_bitext(path)


def test_json_nested_thousands_deep(tmp_path):
    path = _jsonl(tmp_path, '{"id": 1, "src": "a", "tgt": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(InputError, match=r"bad\.jsonl:1: JSON nested 5001 levels deep"):
        read_jsonl_bitext(path)


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"id": 1, "src": "[" * 500 + EN, "tgt": "{" * 500 + KO}))
    bitext = read_jsonl_bitext(path)
    assert bitext.target.text.endswith(KO)


def test_lone_surrogate_in_jsonl_is_refused(tmp_path):
    path = _jsonl(tmp_path, '{"id": 1, "src": "Maisky \\ud800", "tgt": "' + KO + '"}')
    with pytest.raises(InputError, match=r"bad\.jsonl:1: .*lone surrogate U\+D800"):
        read_jsonl_bitext(path)


def test_json_nan_is_not_a_number(tmp_path):
    with pytest.raises(limits.LimitError, match="NaN is not a JSON number"):
        limits.loads('{"x": NaN}')


@pytest.mark.parametrize("template", [XLIFF2, XLIFF12])
def test_inline_tags_nested_thousands_deep(tmp_path, template):
    inline = "<pc id='p'>" * 3000 + "x" + "</pc>" * 3000 if template is XLIFF2 else "<g id='g'>" * 3000 + "x" + \
        "</g>" * 3000
    path = tmp_path / "deep.xlf"
    path.write_text(template.format(src=EN, tgt=inline), encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.xlf:\d: elements nested more than 256 deep"):
        read_xliff_bitext(path)


@pytest.mark.parametrize("hex_value, problem", [
    ("110000", "beyond Unicode"), ("FFFFFFFFFFFFFFFFFFFF", "not a hexadecimal number"),
    ("D800", "surrogate"), ("zz", "not a hexadecimal number")])
def test_xliff_cp_beyond_unicode_or_surrogate(tmp_path, hex_value, problem):
    path = tmp_path / "cp.xlf"
    path.write_text(XLIFF2.format(src=EN, tgt=f'{KO}<cp hex="{hex_value}"/>'), encoding="utf-8")
    with pytest.raises(InputError, match=rf"cp\.xlf:\d: <cp hex=.*{problem}"):
        read_xliff_bitext(path)


def test_xliff_cp_valid_is_the_character(tmp_path):
    path = tmp_path / "cp.xlf"
    path.write_text(XLIFF2.format(src=EN, tgt=f'{KO}<cp hex="1F600"/>'), encoding="utf-8")
    assert read_xliff_bitext(path).target.text == KO + "\U0001F600"


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib", "hex"])
def test_non_text_encodings_are_refused(tmp_path, encoding):
    path = tmp_path / "ko.txt"
    path.write_text(KO, encoding="utf-8")
    with pytest.raises(InputError, match=rf"ko\.txt: '{encoding}' is not a text encoding"):
        read_text(path, encoding)
    xlf = tmp_path / "u.xlf"
    xlf.write_text(XLIFF2.format(src=EN, tgt=KO), encoding="utf-8")
    with pytest.raises(InputError, match="is not a text encoding"):
        read_xliff_bitext(xlf, encoding)


def test_xml_declaring_a_non_text_encoding(tmp_path):
    path = tmp_path / "u.xlf"
    path.write_bytes(XLIFF2.format(src=EN, tgt=KO).replace('version="1.0"?', 'version="1.0" encoding="rot13"?')
                     .encode("utf-8"))
    with pytest.raises(InputError, match="'rot13' is not a text encoding"):
        read_xliff_bitext(path)


TBX_HEAD = '<?xml version="1.0"?>\n'
TBX_BODY = ('<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic"><text><body>'
            '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>{term}</term></termSec></langSec>'
            '</conceptEntry></body></text></tbx>\n')


def test_tbx_entity_declarations_are_refused_fast(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' if i else '<!ENTITY l0 "ha">' for i in range(10))
    path = tmp_path / "laughs.tbx"
    path.write_text(TBX_HEAD + f"<!DOCTYPE tbx [{laughs}]>\n" + TBX_BODY.format(term="&l9;"), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InputError, match=r"laughs\.tbx:2: entity declaration 'l0' refused"):
        read_tbx(path)
    assert time.monotonic() - started < 2


def test_tbx_external_entity_is_refused(tmp_path):
    path = tmp_path / "xxe.tbx"
    path.write_text(TBX_HEAD + '<!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    + TBX_BODY.format(term="&x;"), encoding="utf-8")
    with pytest.raises(InputError, match="entity declaration 'x' refused"):
        read_tbx(path)


def test_tbx_text_built_in_linear_time(tmp_path):
    # 200,000 character references in one term: expat reports each as its own piece of text
    path = tmp_path / "long.tbx"
    path.write_text(TBX_HEAD + TBX_BODY.format(term="Maisky" + "&#x41;" * 200_000), encoding="utf-8")
    started = time.monotonic()
    tb = read_tbx(path)
    assert len(next(iter(tb)).english[0].text) == 200_006
    assert time.monotonic() - started < 5


def test_tbx_nested_thousands_deep(tmp_path):
    path = tmp_path / "deep.tbx"
    path.write_text(TBX_HEAD + TBX_BODY.format(term="<hi>" * 3000 + "x" + "</hi>" * 3000), encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.tbx:2: elements nested more than 256 deep"):
        read_tbx(path)


def test_glossary_path_that_is_a_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory, not a file"):
        read_tbx(tmp_path)


def test_fifo_without_writer_does_not_block(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match="FIFO with nothing written to it"):
        read_bitext(str(fifo))
    assert time.monotonic() - started < 2


def test_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(KO + "\n")
    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.2)  # the writer is waiting in open(); the reader finds it there
    text, _ = read_text(fifo)
    writer.join(5)
    assert text.strip() == KO


def test_devices_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"/dev/zero: is not a regular file"):
        read_text("/dev/zero")


def test_input_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match=r"big\.txt: is 2,000 bytes; the limit is 1,000"):
        limits.read_bytes_limited(path, limit=1000)


@pytest.mark.parametrize("declared, problem", [("UTF-9999", "unknown encoding 'UTF-9999'"),
                                               ("rot13", "'rot13' is not a text encoding")])
def test_tbx_declaring_an_unknown_encoding(tmp_path, declared, problem):
    # found by the fuzz suite: expat looked the declared encoding up itself and raised LookupError
    path = tmp_path / "enc.tbx"
    path.write_text(f'<?xml version="1.0" encoding="{declared}"?>\n' + TBX_BODY.format(term="Maisky"),
                    encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        read_tbx(path)


def test_tbx_in_a_declared_legacy_encoding_is_read(tmp_path):
    path = tmp_path / "cp949.tbx"
    path.write_bytes(('<?xml version="1.0" encoding="cp949"?>\n' + TBX_BODY.format(term="마이스키")).encode("cp949"))
    assert next(iter(read_tbx(path))).english[0].text == "마이스키"


def test_tmx_inline_tags_nested_thousands_deep(tmp_path):
    path = tmp_path / "deep.tmx"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body><tu>'
                    f'<tuv xml:lang="en"><seg>{EN}</seg></tuv><tuv xml:lang="ko"><seg>'
                    + "<hi>" * 3000 + KO + "</hi>" * 3000 + "</seg></tuv></tu></body></tmx>\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.tmx:2: elements nested more than 256 deep"):
        read_bitext(str(path))
