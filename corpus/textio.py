"""Reading bytes into text: encoding detection and the whole-file sanity checks.

Korean files still come in CP949/EUC-KR and UTF-16 as often as UTF-8, so the
encoding is detected unless the user sets one: a BOM wins; then strict UTF-8;
then UTF-16 without BOM (many NUL bytes); then CP949 (a superset of EUC-KR).
Undecodable bytes are an error naming the file, line and byte offset, never
silently replaced.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from corpus.errors import InputError
from corpus.limits import read_bytes_limited, text_codec
from corpus.text import is_hangul, is_hangul_syllable

# What --encoding accepts besides any codec name Python knows.
ENCODING_ALIASES = {"euc-kr": "cp949", "euckr": "cp949", "ks_c_5601-1987": "cp949", "uhc": "cp949"}

MIN_HANGUL_SHARE = 0.2
"""A Korean file whose letters are less than this share Hangul is probably the wrong file."""


def _line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset (counting LF bytes before it)."""
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; returns ``(text, encoding_used)``.

    With ``encoding`` given, use it strictly; otherwise detect.  A BOM is
    stripped.  Raises :class:`InputError` for an empty file or undecodable bytes.
    """
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(path, "the file is empty")
    if encoding:
        enc = text_codec(ENCODING_ALIASES.get(encoding.lower(), encoding), path)
        if enc.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
            enc = "utf-8-sig"
        return _strict_decode(data, path, enc), enc
    if data.startswith(codecs.BOM_UTF8):
        return _strict_decode(data, path, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict_decode(data, path, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        # Several legacy decodings may succeed on the same bytes; keep the one that reads as text.
        best: tuple[float, str, str] | None = None
        for enc in ("cp949", "utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            score = _plausibility(text)
            if best is None or score > best[0]:
                best = (score, text, enc)
        if best is not None and best[0] >= 0.9:
            return best[1], best[2]
        off = utf8_error.start
        raise InputError(path, f"undecodable bytes {data[off:off + 4]!r}: not UTF-8, UTF-16 or CP949/EUC-KR "
                               "(set --encoding if you know it)",
                         line=_line_of(data, off), offset=off) from None


def _plausibility(text: str) -> float:
    """Share of characters that Korean/English documents are made of (Hangul, ASCII, common punctuation)."""
    if not text:
        return 0.0
    ok = sum(1 for ch in text if ch.isascii() and (ch.isprintable() or ch in "\n\t\r")
             or is_hangul_syllable(ch) or ch in "·…‘’“”–—「」『』《》〈〉※")
    return ok / len(text)


def _strict_decode(data: bytes, path: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        # Line numbers for UTF-16 need the decoded prefix, not a count of LF bytes.
        if encoding.lower().startswith("utf-16") or encoding.lower().startswith("utf_16"):
            line = data[: e.start].decode(encoding, errors="replace").count("\n") + 1
        else:
            line = _line_of(data, e.start)
        raise InputError(path, f"undecodable bytes {data[e.start:e.start + 4]!r} as {encoding}",
                         line=line, offset=e.start) from None


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; a missing or unreadable file is an :class:`InputError` naming it."""
    return read_bytes_limited(path)


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read and decode a file; newlines are normalised to ``\\n``.  Returns ``(text, encoding)``."""
    text, enc = decode_bytes(read_input_bytes(path), str(path), encoding)
    return normalise_newlines(text), enc


def normalise_newlines(text: str) -> str:
    """``\r\n`` becomes ``\n``; lone ``\r`` is a line end only in a file with no ``\n`` at all
    (old Mac files) and otherwise a stray left by pasting Windows lines (``muppets'\r\t...``): a space."""
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        text = text.replace("\r", "\n" if "\n" not in text else " ")
    return text


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of ``text`` (0.0 when there are no letters)."""
    letters = hangul = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if is_hangul(ch):
                hangul += 1
    return hangul / letters if letters else 0.0


def require_korean(text: str, path: str) -> None:
    """Reject a whole "Korean" file that has almost no Hangul (swapped or wrong file)."""
    share = hangul_share(text)
    if share < MIN_HANGUL_SHARE:
        raise InputError(path, f"expected Korean, but only {share:.0%} of its letters are Hangul "
                               "(are the source and target files swapped?)")


def require_not_korean(text: str, path: str) -> None:
    """Reject an "English" source file that is mostly Hangul (swapped files)."""
    share = hangul_share(text)
    if share > 0.5:
        raise InputError(path, f"expected English, but {share:.0%} of its letters are Hangul "
                               "(are the source and target files swapped?)")
