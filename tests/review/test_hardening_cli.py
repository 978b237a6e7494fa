"""Issue 17: every hostile or careless command line ends in a clear message and a non-zero exit, never a
traceback or a hang."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.cli import EXIT_BROKEN_PIPE, main

ROOT = Path(__file__).resolve().parents[2]
KO = "이반 마이스키는 소련의 외교관이었습니다."
EN = "Ivan Maisky was a Soviet diplomat."


def _run(*args: str, stdin=None, stdout=subprocess.PIPE, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "review", *args], stdin=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, env=env, timeout=timeout, cwd=ROOT)


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "g.tbx"
    assert main(["glossary", "--glossary", str(path), "init"]) == 0
    return path


@pytest.mark.parametrize("args, message", [
    (["Foo", ""], "term '': empty or padded with spaces"),
    ([" Foo", "푸"], "term ' Foo': empty or padded with spaces"),
    (["Foo", "푸 "], "term '푸 ': empty or padded with spaces"),
    (["Fo\x01o", "푸"], "contains a control character TBX cannot hold"),
    (["Foo", "푸", "--id", "9bad"], "entry id '9bad' is not a valid XML id"),
    (["Foo", "푸", "--id", "a b"], "entry id 'a b' is not a valid XML id"),
    (["Foo", "푸", "--note", "x\x07"], "contains a control character"),
])
def test_glossary_add_bad_terms_are_messages(glossary, capsys, args, message):
    capsys.readouterr()
    assert main(["glossary", "--glossary", str(glossary), "add", *args]) == 1
    assert message in _error(capsys)


def test_glossary_path_that_is_a_directory(tmp_path, capsys):
    assert main(["glossary", "--glossary", str(tmp_path), "list"]) == 1
    assert "is a directory, not a file" in _error(capsys)


def test_glossary_unreadable(tmp_path, capsys):
    path = tmp_path / "g.tbx"
    path.write_text("<tbx/>", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who can read anything (root)")
    assert main(["glossary", "--glossary", str(path), "list"]) == 1
    assert "cannot read" in _error(capsys)


def test_invalid_utf8_in_arguments(glossary, capsys):
    # what Python makes of the bytes b"F\xffo" on a UTF-8 system
    assert main(["glossary", "--glossary", str(glossary), "add", "F\udcffo", "푸"]) == 1
    assert "argument english 'F\\xffo' is not valid UTF-8" in _error(capsys)


def test_invalid_utf8_in_arguments_as_bytes(tmp_path):
    gl = tmp_path / "g.tbx"
    assert _run("glossary", "--glossary", str(gl), "init").returncode == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable.encode(), b"-m", b"review", b"glossary", b"--glossary", bytes(gl),
                           b"add", b"F\xffo", "푸".encode()], capture_output=True, env=env, timeout=60)
    assert done.returncode == 1 and b"is not valid UTF-8" in done.stderr and b"Traceback" not in done.stderr


def test_existing_file_with_a_legacy_name_is_still_read(tmp_path, capsys):
    path = tmp_path / "ko\udcff.txt"
    path.write_text(KO + "\n", encoding="utf-8")
    assert main(["segment", "--lang", "ko", str(path)]) == 0
    assert KO in capsys.readouterr().out


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_bad_port(tmp_path, capsys, port):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", str(tmp_path), "--port", port])
    assert exit_.value.code == 2
    assert "is not a port number" in _error(capsys)


def test_manifest_field_over_128kb(tmp_path, capsys):
    manifest = tmp_path / "m.tsv"
    manifest.write_text("target\tdoc_id\n" + "x" * 200_000 + "\ta\n", encoding="utf-8")
    assert main(["review", "--manifest", str(manifest), "--out", str(tmp_path / "out")]) == 1
    assert "m.tsv:2: unreadable row: field larger than field limit" in _error(capsys)


@pytest.mark.parametrize("encoding", ["rot13", "base64"])
def test_non_text_encoding(tmp_path, capsys, encoding):
    path = tmp_path / "en.txt"
    path.write_text(EN, encoding="utf-8")
    assert main(["segment", "--lang", "en", "--encoding", encoding, str(path)]) == 1
    assert f"'{encoding}' is not a text encoding" in _error(capsys)


def _jsonl(tmp_path, record: str) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    return path


HUGE_NUMBER = '{"id": ' + "9" * 5000 + ', "src": "' + EN + '", "tgt": "' + KO + '"}'
DEEP = '{"id": 1, "src": "' + EN + '", "tgt": ' + "[" * 5000 + "]" * 5000 + "}"
SURROGATE = '{"id": 1, "src": "' + EN + '\\udc80", "tgt": "' + KO + '"}'


@pytest.mark.parametrize("record, message", [
    (HUGE_NUMBER, "in.jsonl:1: a number 5,000 characters long"),
    (DEEP, "in.jsonl:1: JSON nested 5001 levels deep"),
    (SURROGATE, "in.jsonl:1: a string holds a lone surrogate U+DC80"),
])
@pytest.mark.parametrize("command", ["review", "score"])
def test_hostile_json_input(tmp_path, capsys, record, message, command):
    path = _jsonl(tmp_path, record)
    args = ["review", str(path), "--out", str(tmp_path / "out")] if command == "review" else \
        ["score", "--input", str(path), "--output", str(tmp_path / "o.jsonl"), "--no-models"]
    assert main(args) == 1
    assert message in _error(capsys)
    assert not (tmp_path / "out" / "segments.jsonl").exists()


def test_hostile_json_input_to_align_is_skipped_with_a_warning(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([HUGE_NUMBER, DEEP, SURROGATE,
                               json.dumps({"id": "ok", "src": [EN], "tgt": [KO]})]) + "\n", encoding="utf-8")
    assert main(["align", "--input", str(path), "--output", str(tmp_path / "o.jsonl")]) == 0
    err = _error(capsys)
    for line, message in ((1, "a number 5,000 characters long"), (2, "JSON nested 5001 levels deep"),
                          (3, "a string holds a lone surrogate U+DC80")):
        assert f"in.jsonl:{line}: {message}" in err
    assert [json.loads(x).get("id") for x in (tmp_path / "o.jsonl").read_text().splitlines()[1:]] == ["ok"]


def test_fifo_as_input_does_not_block(tmp_path, capsys):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert main(["segment", "--lang", "ko", str(fifo)]) == 1
    assert "FIFO with nothing written to it" in _error(capsys)
    assert main(["review", str(fifo), "--out", str(tmp_path / "out")]) == 1
    assert time.monotonic() - started < 5


def test_segment_broken_pipe(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text((EN + " ") * 20 + "\n\n" + ("\n\n".join([EN] * 50_000)) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "review", "segment", "--lang", "en", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout.readline().startswith(b"Ivan")
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert "broken pipe" in err and "Traceback" not in err and "Exception ignored" not in err


def test_standard_output_to_a_full_disk(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text("\n\n".join([EN] * 5000) + "\n", encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = _run("segment", "--lang", "en", str(path), stdout=full)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "Error: standard output: No space left on device" in err and "Traceback" not in err


def test_segment_from_a_terminal_does_not_wait(tmp_path):
    leader, follower = pty.openpty()
    try:
        done = _run("segment", "--lang", "en", stdin=follower, timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 1 and b"standard input is a terminal" in done.stderr
