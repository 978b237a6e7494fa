"""Input limits shared by every reader and the app: what hostile or broken input may not do.

Every file, request body and argument mtreview reads passes through here, so a
huge number, a structure nested thousands deep, a code point beyond Unicode or
a lone surrogate is refused with a message naming where it is, instead of
ending in a traceback (``ValueError: Exceeds the limit (4300 digits)``,
``RecursionError``, ``OverflowError``, a C++ cast error from SentencePiece) or a
hang.  Limits are generous for real documents: a 5 MB paragraph is valid input.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from corpus.errors import InputError

MAX_INPUT_BYTES = 1 << 30
"""Largest input file read (1 GiB); more is refused rather than exhausting memory (``/dev/zero``)."""
MAX_JSON_DEPTH = 64
"""Deepest nesting of JSON arrays/objects accepted (records are two or three levels deep)."""
MAX_NUMBER_CHARS = 256
"""Longest JSON number literal accepted (Python refuses integers over 4,300 digits with a bare ValueError)."""
MAX_XML_DEPTH = 256
"""Deepest element nesting accepted in XML input (inline tags nested deeper are an attack, not markup)."""
MAX_FIELD_CHARS = 64 * 1024 * 1024
"""Longest single line or text field (64 Mi characters)."""
MAX_CODE_POINT = 0x10FFFF

_SURROGATE = re.compile("[\ud800-\udfff]")
_OPENERS = re.compile(r"[\[{]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[^\[\]{}]+")


class LimitError(ValueError):
    """Input beyond a limit or not text; the message says which and where in the value (no file name)."""


# --- encodings ------------------------------------------------------------------------------------
def text_codec(encoding: str, path: str) -> str:
    """The codec name for ``encoding``; an :class:`InputError` when unknown or not a text encoding.

    ``rot13``, ``base64``, ``zlib``... are codecs Python knows, but they do not turn bytes into text.
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(path, f"{encoding!r} is not a text encoding (it transforms bytes or text, "
                               "it does not decode a file); give a character encoding such as utf-8 or cp949")
    return encoding


# --- text -----------------------------------------------------------------------------------------
def find_surrogate(text: str) -> int | None:
    """Index of the first lone surrogate in ``text`` (``None`` when there is none)."""
    m = _SURROGATE.search(text)
    return m.start() if m else None


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD: one code point for one, offsets unchanged."""
    return _SURROGATE.sub("\ufffd", text)


def check_text(text: str, what: str = "text") -> str:
    """``text`` itself, or :class:`LimitError` for a lone surrogate or a field beyond the length limit.

    Lone surrogates (``"\\ud800"`` in JSON, ``<cp hex="D800"/>``) are not characters: no encoder,
    tokenizer or UTF-8 file can take them.
    """
    if len(text) > MAX_FIELD_CHARS:
        raise LimitError(f"{what} is {len(text):,} characters long (the limit is {MAX_FIELD_CHARS:,})")
    at = find_surrogate(text)
    if at is not None:
        raise LimitError(f"{what} holds a lone surrogate U+{ord(text[at]):04X} at character {at + 1} "
                         "(not a character: broken UTF-16 or a bad \\u escape)")
    return text


def check_values(value: Any, what: str = "value") -> Any:
    """Apply :func:`check_text` to every string (keys included) inside a parsed JSON value."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            check_text(v, what)
        elif isinstance(v, dict):
            for k, item in v.items():
                check_text(k, f"{what} key")
                stack.append(item)
        elif isinstance(v, list):
            stack.extend(v)
    return value


def char_from_code_point(hex_digits: str) -> str:
    """The character for a hexadecimal code point (XLIFF 2 ``<cp hex="...">``).

    :class:`LimitError` when it is not hexadecimal, beyond U+10FFFF or a surrogate.
    """
    digits = hex_digits.strip()
    if not re.fullmatch(r"[0-9A-Fa-f]{1,8}", digits):
        raise LimitError(f"code point {hex_digits[:20]!r} is not a hexadecimal number")
    cp = int(digits, 16)
    if cp > MAX_CODE_POINT:
        raise LimitError(f"code point U+{digits.upper()} is beyond Unicode (the last is U+10FFFF)")
    if 0xD800 <= cp <= 0xDFFF:
        raise LimitError(f"code point U+{cp:04X} is a surrogate, not a character")
    return chr(cp)


# --- JSON -----------------------------------------------------------------------------------------
def _parse_number(literal: str) -> int | float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise LimitError(f"a number {len(literal):,} characters long (the limit is {MAX_NUMBER_CHARS})")
    return int(literal) if literal.lstrip("-").isdigit() else float(literal)


def json_depth(text: str) -> int:
    """Deepest nesting of arrays/objects in a JSON text (brackets inside strings do not count).

    A text with no more opening brackets than :data:`MAX_JSON_DEPTH` cannot be nested deeper than
    that: their count, an upper bound, is returned without measuring.
    """
    openers = len(_OPENERS.findall(text))
    if openers <= MAX_JSON_DEPTH:
        return openers
    brackets = _BRACKETS.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(text: str | bytes) -> Any:
    """``json.loads`` within the limits: :class:`LimitError` beyond them, ``json.JSONDecodeError`` for bad JSON.

    Every string in the result is checked by :func:`check_text`.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if len(text) > MAX_FIELD_CHARS:
        raise LimitError(f"a JSON text of {len(text):,} characters (the limit is {MAX_FIELD_CHARS:,})")
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise LimitError(f"JSON nested {depth} levels deep (the limit is {MAX_JSON_DEPTH})")
    try:
        value = json.loads(text, parse_int=_parse_number, parse_float=_parse_number,
                           parse_constant=_refuse_constant)
    except RecursionError:  # pragma: no cover - json_depth refuses these first
        raise LimitError(f"JSON nested too deeply (the limit is {MAX_JSON_DEPTH})") from None
    return check_values(value, "a string")


def _refuse_constant(name: str) -> float:
    raise LimitError(f"{name} is not a JSON number")


def json_line(line: str, path: str, line_no: int) -> Any:
    """One JSONL line parsed within the limits; any problem is an :class:`InputError` naming file and line."""
    try:
        return loads(line)
    except json.JSONDecodeError as e:
        raise InputError(path, f"invalid JSON: {e.msg} (column {e.colno})", line=line_no) from None
    except LimitError as e:
        raise InputError(path, str(e), line=line_no) from None


# --- files ----------------------------------------------------------------------------------------
def read_bytes_limited(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file or a pipe, never more than ``limit``; never blocks on a FIFO without writer.

    A named FIFO is opened without waiting for a writer (a plain ``open`` would wait for ever); a
    device (``/dev/zero``, a terminal) is refused.  Raises :class:`InputError` naming the file.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a directory, not a file")
    is_fifo = stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)
    if not (stat.S_ISREG(st.st_mode) or is_fifo):
        raise InputError(name, "is not a regular file (a device or terminal); give a file or pipe the text in")
    if stat.S_ISREG(st.st_mode) and st.st_size > limit:
        raise InputError(name, f"is {st.st_size:,} bytes; the limit is {limit:,}")
    try:
        fd = os.open(path, os.O_RDONLY | (os.O_NONBLOCK if is_fifo else 0))
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror}") from None
    try:
        if is_fifo:  # opened: now wait for data like any reader (no writer at all reads as end of file)
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise InputError(name, f"is over {limit:,} bytes long; the limit is {limit:,}")
            chunks.append(chunk)
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror}") from None
    finally:
        os.close(fd)
    if is_fifo and not chunks:
        raise InputError(name, "is a FIFO with nothing written to it (no writer)")
    return b"".join(chunks)
