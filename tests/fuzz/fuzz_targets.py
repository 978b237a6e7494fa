"""Fuzz targets shared by the bounded CI suite (tests/fuzz/test_fuzz.py, hypothesis) and the long run
(bench/fuzz_bench.py, a byte mutator): each target feeds one input to one entry point and raises
:class:`Unhandled` when it ends in anything but the clean error that entry point promises.

- readers (text, TSV, JSONL, XLIFF, TMX, TBX, glossary CSV, manifest): only MtreviewError (InputError...);
- the segmenter: no exception, spans in order, inside the text, non-empty;
- the app: every HTTP request is answered with a status below 500, within seconds;
- the whole review of a document (alignment, names, checks, scores, every report): only MtreviewError.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from corpus.errors import MtreviewError

SEEDS: dict[str, bytes] = {
    "txt": "이반 마이스키는 소련의 외교관이었다.\n\n그는 1932년 런던에 왔다. \"평화\"를 원했다(1941).\n".encode(),
    "tsv": "src\ttgt\nIvan Maisky was a diplomat.\t이반 마이스키는 외교관이었다.\nHe came.\t그는 왔다.\n".encode(),
    "jsonl": ('{"id": "a", "src": "Ivan Maisky was a diplomat.", "tgt": "이반 마이스키는 외교관이었다."}\n'
              '{"id": 2, "src": ["He came.", "He left."], "tgt": ["그는 왔다.", "그는 떠났다."]}\n').encode(),
    "xlf": ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
            'version="2.1" srcLang="en" trgLang="ko"><file id="f"><unit id="u1"><segment><source>Maisky '
            '<pc id="1">was</pc> born.</source><target>마이스키는 <pc id="1">태어났다</pc>.<cp hex="1F600"/>'
            '</target></segment><ignorable><source> </source></ignorable><segment><source>He came.</source>'
            '<target>그는 왔다.</target></segment></unit></file></xliff>\n').encode(),
    "xlf12": ('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
              '<file source-language="en" target-language="ko" original="x" datatype="plaintext"><body>'
              '<trans-unit id="1"><source>Maisky <g id="1">came</g>.</source><seg-source><mrk mtype="seg" '
              'mid="1">Maisky came.</mrk></seg-source><target><mrk mtype="seg" mid="1">마이스키가 <x id="2"/>왔다.'
              '</mrk></target></trans-unit></body></file></xliff>\n').encode(),
    "tmx": ('<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4"><header srclang="en" '
            'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
            'creationtoolversion="1"/><body><tu tuid="1"><tuv xml:lang="en"><seg>Maisky <bpt i="1">&lt;b&gt;'
            '</bpt>came<ept i="1">&lt;/b&gt;</ept>.</seg></tuv><tuv xml:lang="ko-KR"><seg>마이스키가 <hi>왔다</hi>.'
            '</seg></tuv></tu></body></tmx>\n').encode(),
    "tbx": ('<?xml version="1.0" encoding="UTF-8"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" '
            'style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc>'
            '</tbxHeader><text><body><conceptEntry id="maisky"><descrip type="subjectField">person</descrip>'
            '<langSec xml:lang="en"><termSec><term>Maisky</term></termSec></langSec><langSec xml:lang="ko">'
            '<termSec><term>마이스키</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
            '</termSec><termSec><term>메이스키</term><termNote type="administrativeStatus">'
            'deprecatedTerm-admn-sts</termNote></termSec></langSec></conceptEntry></body></text></tbx>\n').encode(),
    "tbx2": ('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en"><martifHeader>'
             '<fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></martifHeader><text><body>'
             '<termEntry id="maisky"><descrip type="subjectField">person</descrip><langSet xml:lang="en"><tig>'
             '<term>Maisky</term></tig></langSet><langSet xml:lang="ko"><tig><term>마이스키</term>'
             '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet></termEntry>'
             '</body></text></martif>\n').encode(),
    "csv": ("id,type,lang,term,status\nmaisky,person,en,Maisky,preferred\nmaisky,person,ko,마이스키,preferred\n"
            "maisky,person,ko,메이스키,deprecated\n").encode(),
    "manifest": "# docs\ntarget\tdoc_id\na.ko.txt\ta\nb.ko.txt\tb\n".encode(),
    "po": ('msgid ""\nmsgstr ""\n"Language: ko\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
           '#: a.c:1\nmsgctxt "menu"\nmsgid "Maisky came."\nmsgstr "마이스키가 왔다."\n\n'
           'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "파일 %d개"\n\n#~ msgid "old"\n#~ msgstr "옛"\n'
           ).encode(),
}
"""A small valid input of each kind: the mutator's starting points."""

READER_KINDS = tuple(SEEDS)


class Unhandled(Exception):
    """An input made a target fail in a way it must not (a traceback, a wrong result, a hang)."""


def read_input(kind: str, data: bytes) -> None:
    """Feed ``data`` to the reader of ``kind``; only :class:`MtreviewError` may come out."""
    from corpus.readers import read_bitext
    from glossary.csvio import read_table
    from glossary.tbx import read_tbx
    from review.batch import read_manifest

    suffix = {"xlf12": ".xlf", "tbx2": ".tbx", "manifest": ".tsv"}.get(kind, "." + kind)
    with tempfile.TemporaryDirectory(prefix="mtreview-fuzz-") as folder:
        path = Path(folder) / f"input.ko{suffix}"
        path.write_bytes(data)
        for name in ("a.ko.txt", "b.ko.txt"):  # what the seed manifest lists
            (Path(folder) / name).write_text("마이스키.\n", encoding="utf-8")
        try:
            if kind in ("tbx", "tbx2"):
                read_tbx(path)
            elif kind == "csv":
                read_table(path)
            elif kind == "manifest":
                read_manifest(path)
            else:
                bitext = read_bitext(str(path))
                _check_document(bitext.target)
                if bitext.source is not None:
                    _check_document(bitext.source)
        except MtreviewError:
            pass
        except Exception as e:  # noqa: BLE001 - the point: anything else is a finding
            raise Unhandled(f"{kind}: {type(e).__name__}: {str(e)[:300]}") from e


def _check_document(doc) -> None:
    for seg in doc.segments:
        if doc.text[seg.start:seg.end] != seg.text:
            raise Unhandled(f"segment {seg.index} text differs from the document at its offsets")


def segment(text: str, lang: str) -> None:
    """The sentence splitter: no exception; non-empty spans, in order, inside ``text``."""
    from corpus.document import build_document
    from corpus.segment import split_sentences

    try:
        spans = split_sentences(text, lang)
        build_document(text, lang)
    except Exception as e:  # noqa: BLE001
        raise Unhandled(f"segment({lang}): {type(e).__name__}: {e}") from e
    previous_end = 0
    for start, end in spans:
        if not (previous_end <= start < end <= len(text)):
            raise Unhandled(f"segment({lang}): span {(start, end)} out of order or bounds (text of {len(text)})")
        previous_end = end


# --- the whole review -------------------------------------------------------------------------------
# What real documents mix into Korean MT and its English: names, particles, numbers in every script and
# notation (fractions, superscripts, Arabic-Indic and Devanagari digits, circled and Roman numerals, Korean
# and Chinese number words, huge numerals), brackets, quotes, citation marks, placeholders, inline tags,
# entities and mojibake, invisible and bidirectional marks, conjoining jamo, emoji with modifiers.
REVIEW_PIECES = (
    "마이스키는", "외교관이었다", "그는", "1941년", "3만", "10억", "½", "²", "٣٤", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠", "१२", "①",
    "Ⅻ", "十", "百万", "Maisky", "Churchill", "U.S.", "Mr.", "1,000", "3.5%", "$12", "£11mill", "2.5D", "ﾊﾝｶｸ",
    "１２３", "1e309", "9" * 60, "\u200b", "\u200d", "\u202e", "\ufeff", "\u0301", "ᄀ", "ᅡ", "ᆨ", "ㄱㄴ", "👍🏽", "🇰🇷",
    "&amp;", "&#39;", "Ã©", "(", ")", "[3]", "「", "」", "“", "”", "‘", "’", "'", '"', ".", "...", "!", "?", ",", ":",
    "—", "%s", "{0}", "%(name)s", "<b>", "</b>", "대통령", "박사", "의", "은", "는", "가", "했습니다.", "다.", "안",
    "못", "東jo秀木", "세mer", "the", "not", "only", "million", "first", "Ivan", "이반", "−", "×", "NaN", " ", "\t")


# Sentence pairs the random pieces are mixed into, so that the aligner pairs the lines and every pair check
# (numbers, names, titles, omissions...) sees both sides; documents of random pieces alone align to nothing.
BASE_PAIRS = (
    ("Ivan Maisky was a Soviet diplomat.", "이반 마이스키는 소련의 외교관이었다."),
    ("He came to London in 1932 and stayed for eleven years.", "그는 1932년 런던에 와서 11년 동안 머물렀다."),
    ("Churchill did not trust him, but only he could speak to Stalin.", "처칠은 그를 믿지 않았지만, 스탈린과 말할 수 있는 사람은 그뿐이었다."),
    ("The embassy had 3,000 books (most of them in Russian).", "대사관에는 책이 3,000권 있었다(대부분 러시아어)."),
    ("\"We want peace,\" he said on 22 June 1941.", "그는 1941년 6월 22일 \"우리는 평화를 원한다\"고 말했다."),
)


def _mixed(rng, text: str) -> str:
    """``text`` with up to six words replaced or joined by random pieces and characters."""
    words = text.split(" ")
    for _ in range(rng.randint(0, 6)):
        piece = rng.choice(REVIEW_PIECES) if rng.random() < 0.85 else chr(rng.choice(
            (rng.randint(0x20, 0xD7FF), rng.randint(0xE000, 0x2FFFF), rng.randint(0xAC00, 0xD7A3))))
        at = rng.randrange(len(words) + 1)
        if rng.random() < 0.3 and at < len(words):
            words[at] = piece
        else:
            words.insert(at, piece)
    return (" " if rng.random() < 0.8 else "").join(words)


def random_bitext(rng, max_lines: int = 12) -> tuple[str, str]:
    """An English and a Korean document, line by line the same sentence pairs with random pieces mixed in
    (either side may also lose a line or gain an empty one)."""
    en, ko = [], []
    for _ in range(rng.randint(1, max_lines)):
        e, k = rng.choice(BASE_PAIRS)
        if rng.random() < 0.9:
            en.append(_mixed(rng, e))
        if rng.random() < 0.9:
            ko.append(_mixed(rng, k))
        if rng.random() < 0.1:
            rng.choice((en, ko)).append("")
    return "\n".join(en), "\n".join(ko)


def review_document(work: Path, en: str | None, ko: str, names: bool = True, use_models: bool = True,
                    reports: bool = False) -> None:
    """``mtreview review`` of one document, as a library call: it may refuse the input (MtreviewError),
    nothing else; a check that crashes (CheckError: reported to the user cleanly, but a bug) is a finding.
    ``reports`` also writes the Excel and XLIFF files."""
    from review.checks.registry import CheckError
    from review.config import ReviewConfig
    from review.pipeline import run_review

    # a folder of its own: an output folder holding another document's review is refused (MtreviewError),
    # which would hide every input after the first
    work = Path(tempfile.mkdtemp(dir=work))
    en_path, ko_path = work / "doc.en.txt", work / "doc.ko.txt"
    ko_path.write_text(ko, encoding="utf-8")
    if en is not None:
        en_path.write_text(en, encoding="utf-8")
    config = ReviewConfig(source=str(en_path) if en is not None else None, target=str(ko_path),
                          out_dir=str(work / "out"), names=names, use_models=use_models, xlsx=reports, xliff=reports)
    try:
        run_review(config)
    except CheckError as e:
        raise Unhandled(f"review: {e.check}: {str(e)[:300]}") from e
    except MtreviewError:
        pass
    except Exception as e:  # noqa: BLE001
        raise Unhandled(f"review: {type(e).__name__}: {str(e)[:300]}") from e
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- the app ----------------------------------------------------------------------------------------
ALLOWED_STATUSES = frozenset({200, 204, 400, 403, 404, 405, 409, 411, 413, 415, 501})


def app_request(address: tuple[str, int], method: str, path: str, headers: dict[str, str], body: bytes,
                timeout: float = 10.0) -> int:
    """Send one raw request; the server must answer with an allowed status (no 500, no dropped connection)."""
    host, port = address
    head = f"{method} {path} HTTP/1.1\r\n".encode("latin-1", "replace")
    default = {"Host": f"127.0.0.1:{port}", "Content-Length": str(len(body)), "Connection": "close"}
    merged = {**default, **headers}
    lines = b"".join(f"{k}: {v}\r\n".encode("latin-1", "replace") for k, v in merged.items())
    sock = socket.create_connection((host, port), timeout=timeout)
    started = time.monotonic()
    try:
        sock.sendall(head + lines + b"\r\n" + body)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    except (socket.timeout, TimeoutError):
        raise Unhandled(f"{method} {path}: no answer within {timeout} s") from None
    except ConnectionResetError:
        answer = b""
    finally:
        sock.close()
    if not answer:
        # a request line or headers http.server cannot parse may be answered 400 or dropped; a well-formed
        # one must be answered
        if _well_formed(method, path, merged):
            raise Unhandled(f"{method} {path}: connection closed without an answer")
        return 0
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    if status not in ALLOWED_STATUSES:
        raise Unhandled(f"{method} {path}: status {status} ({answer[:200]!r}) after {time.monotonic() - started:.1f} s")
    return status


def _well_formed(method: str, path: str, headers: dict[str, str]) -> bool:
    def token(text: str) -> bool:
        return bool(text) and all(33 <= ord(c) < 127 for c in text)
    try:
        length_ok = int(headers.get("Content-Length", "0")) >= 0
    except ValueError:
        length_ok = False
    return token(method) and method.isalpha() and token(path) and path.startswith("/") and length_ok \
        and all(token(k) and ":" not in k and all(32 <= ord(c) < 127 for c in v) for k, v in headers.items())


def app_payload(app, route: str, payload) -> None:
    """Call the app's decision routes directly with any JSON value: only ApiError may come out."""
    from review.serve.app import ApiError

    try:
        (app.decide_finding if route == "decision" else app.decide_proposal)(payload)
    except ApiError:
        pass
    except Exception as e:  # noqa: BLE001
        raise Unhandled(f"{route}: {type(e).__name__}: {e}") from e


def make_review_output(base: Path) -> Path:
    """A small reviewed output (rule-based checks, the bundled glossary copy) for the app targets."""
    import shutil

    from review.cli import main
    from review.pipeline import sample_paths

    base.mkdir(parents=True, exist_ok=True)
    ko = base / "fuzz.ko.txt"
    ko.write_text("\n\n".join(sample_paths()[1].read_text(encoding="utf-8").split("\n\n")[:6]) + "\n",
                  encoding="utf-8")
    glossary = base / "names.tbx"
    shutil.copyfile(sample_paths()[1].with_name("maisky.glossary.tbx"), glossary)
    out = base / "out"
    with open(os.devnull, "w") as quiet:
        import contextlib
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            code = main(["review", str(ko), "--out", str(out), "--quiet", "--no-models", "--glossary", str(glossary)])
    if code != 0:
        raise RuntimeError(f"could not make the review output for the app targets (exit {code})")
    return out


def mutate(data: bytes, rng) -> bytes:
    """One to eight random byte edits of the kinds that break parsers: flips, deletions, insertions of
    bytes or of markup that matters (deep nesting, huge numbers, surrogate escapes, entity declarations)."""
    pieces = [b"<", b">", b"</", b"&", b"&#x110000;", b"&#xD800;", b"\\ud800", b'"', b"\t", b"\n", b"\r", b"\x00",
              b"\xff", b"\xed\xa0\x80", b"[" * 2000, b"{" * 2000, b"9" * 5000, b"<g>" * 2000,
              b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b"&a;", b'<cp hex="110000"/>', b'<cp hex="D800"/>',
              "마".encode(), b"=cmd|", b"A" * 200_000]
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        pos = rng.randint(0, len(out))
        if choice < 0.3 and out:
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.5 and out:
            del out[pos:pos + rng.randint(1, 16)]
        elif choice < 0.8:
            out[pos:pos] = rng.choice(pieces)
        else:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def app_attack(rng, port: int) -> tuple[str, str, dict[str, str], bytes]:
    """A random request: a method, a path, headers and a body mixing valid and hostile parts."""
    method = rng.choice(["GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"])
    path = rng.choice(["/", "/api/pairs", "/api/decisions", "/api/decision", "/api/proposal", "/favicon.ico",
                       "/api/decision?x=1", "/../etc/passwd", "/%00", "/" + "a" * 5000])
    payloads = [{"fingerprint": "x", "verdict": "confirmed"}, {"fingerprint": "x", "verdict": None, "note": "n"},
                {"key": "en:maisky", "verdict": "accepted", "preferred": "마이스키"},
                {"key": "en:maisky", "verdict": "rejected"}, [], "s", 1, None, {"verdict": "maybe"},
                {"fingerprint": ["x"]}, {"key": {"a": 1}}, {"note": "x" * 100_000}]
    body = json.dumps(rng.choice(payloads), ensure_ascii=False).encode()
    if rng.random() < 0.5:
        body = mutate(body, rng)
    headers = {"Content-Type": rng.choice(["application/json", "application/json; charset=utf-8", "text/plain",
                                           ""])}
    if rng.random() < 0.3:
        headers["Origin"] = rng.choice([f"http://127.0.0.1:{port}", "http://evil.example", "null", ""])
    if rng.random() < 0.3:
        headers["Sec-Fetch-Site"] = rng.choice(["same-origin", "cross-site", "same-site", "none"])
    if rng.random() < 0.2:
        headers["Host"] = rng.choice(["evil.example", "", f"localhost:{port}"])
    if rng.random() < 0.2:
        headers["Content-Length"] = rng.choice(["-1", "abc", "99999999999999999999", str(len(body)),
                                                str(max(0, len(body) - 3))])
    return method, path, headers, body
