#!/usr/bin/env python3
"""Build the English-Korean parallel corpus the bilingual lexicon is learned from.

    PYTHONPATH=. python training/lexicon/build_corpus.py [--out build/lexicon] [--shared /work/shared]

Steps (each source's licence is recorded in the output's ``sources.json``; only
sources whose licence lets a derived word table ship are used):

1. ``apt-get download`` the Debian packages below into ``OUT/debs`` (skipped when
   present) and unpack them with ``dpkg-deb -x``.
2. LibreOffice help (MPL-2.0): the same HTML tree in both languages; every
   ``<p>``, ``<h1-6>`` and ``<td>`` carries a stable ``id``, so paragraphs are
   paired by (file, id).  Debian FAQ (permissive notice): paired by the order
   of ``<p>``/``<h1-6>``/``<li>``/``<dt>`` in files whose counts match.
   NTREX-128 (CC BY-SA 4.0, already sentence-aligned): the documents not held out
   (:func:`ntrex_held_out`), so false alarms can still be measured on the rest.
3. Paragraphs with several sentences on both sides are sentence-aligned with
   mtreview's own aligner (:func:`corpus.align.align_segments`); 1-1, 1-2 and 2-1
   beads are kept.
4. Cleaning: Korean that is mostly Latin (left untranslated), identical sides,
   implausible length ratios and exact duplicates are dropped.
5. Split by document: one document in twenty (by a hash of its name) is dev.

Writes ``OUT/corpus/{train,dev}.tsv`` (source, document, English, Korean) and
``OUT/corpus/sources.json``.  The corpus itself is never committed.
GIMP help (GFDL-1.2) and the gettext catalogues (mostly GPL) are left out: a
table derived from them would carry their copyleft terms.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import re
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

PACKAGES = {
    "libreoffice-help-ko": "MPL-2.0", "libreoffice-help-en-us": "MPL-2.0",
    "debian-faq-ko": "Debian FAQ permission notice (verbatim and modified copies allowed)",
    "debian-faq": "Debian FAQ permission notice (verbatim and modified copies allowed)",
}
NTREX_LICENCE = "CC BY-SA 4.0"
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_SPACE_RE = re.compile(r"\s+")


def ntrex_held_out(doc_id: str) -> bool:
    """NTREX-128 documents kept out of the lexicon's training data (half, by a stable hash)."""
    return zlib.crc32(doc_id.encode()) % 2 == 0


def dev_document(doc: str) -> bool:
    return zlib.crc32(doc.encode()) % 20 == 0


# ------------------------------------------------------------------------------ download

def fetch(out: Path) -> Path:
    debs, root = out / "debs", out / "x"
    debs.mkdir(parents=True, exist_ok=True)
    missing = [p for p in PACKAGES if not list(debs.glob(f"{p}_*.deb"))]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True)
    if not (root / "usr").exists():
        for deb in sorted(debs.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


# ------------------------------------------------------------------------------ HTML text

class _Blocks(HTMLParser):
    """Text of block elements (``tags``), with their ids; hidden elements and scripts skipped."""

    def __init__(self, tags: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.tags, self.blocks = tags, []
        self._stack: list[list] = []     # open blocks: [tag, id, parts]
        self._skip = 0                   # depth inside hidden/script/style elements
        self._open: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = "hidden" in a or tag in ("script", "style", "pre", "code")
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._open.append((tag, hidden))
            self._skip += hidden
        if tag in self.tags:
            self._stack.append([tag, a.get("id", ""), []])

    def handle_endtag(self, tag):
        while self._open:
            t, hidden = self._open.pop()
            self._skip -= hidden
            if t == tag:
                break
        if tag in self.tags and self._stack and self._stack[-1][0] == tag:
            t, ident, parts = self._stack.pop()
            text = _SPACE_RE.sub(" ", "".join(parts)).strip()
            if text:
                self.blocks.append((t, ident, text))

    def handle_data(self, data):
        if self._stack and not self._skip:
            self._stack[-1][2].append(data)


def blocks(path: Path, tags: frozenset[str]) -> list[tuple[str, str, str]]:
    parser = _Blocks(tags)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser.blocks


_LO_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "td"})
_FAQ_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt"})


def libreoffice_pairs(root: Path):
    ko_root, en_root = root / "usr/share/libreoffice/help/ko", root / "usr/share/libreoffice/help/en-US"
    for ko_file in sorted(ko_root.rglob("*.html")):
        rel = ko_file.relative_to(ko_root)
        en_file = en_root / rel
        if not en_file.exists():
            continue
        en = {(t, i): text for t, i, text in blocks(en_file, _LO_TAGS) if i}
        for t, i, text in blocks(ko_file, _LO_TAGS):
            if i and (t, i) in en:
                yield "libreoffice", f"lo/{rel}", en[(t, i)], text


def faq_pairs(root: Path):
    faq = root / "usr/share/doc/debian/FAQ"
    for ko_file in sorted((faq / "ko").glob("*.ko.html")):
        en_file = faq / ko_file.name.replace(".ko.html", ".en.html")
        if not en_file.exists():
            continue
        en, ko = blocks(en_file, _FAQ_TAGS), blocks(ko_file, _FAQ_TAGS)
        if [t for t, _, _ in en] != [t for t, _, _ in ko]:
            continue   # structures differ: order pairing would be wrong
        for (_, _, e), (_, _, k) in zip(en, ko):
            yield "debian-faq", f"faq/{ko_file.name}", e, k


def ntrex_pairs(shared: Path):
    d = shared / "data" / "ntrex128"
    ids = [line.strip() for line in open(d / "DOCUMENT_IDS.tsv", encoding="utf-8")]
    src = open(d / "newstest2019-src.eng.txt", encoding="utf-8").read().splitlines()
    tgt = open(d / "newstest2019-ref.kor.txt", encoding="utf-8").read().splitlines()
    for doc, e, k in zip(ids, src, tgt):
        if not ntrex_held_out(doc):
            yield "ntrex128", f"ntrex/{doc}", e, k


# ------------------------------------------------------------------------------ sentences and cleaning

def sentence_pairs(rows, encoder):
    """Split multi-sentence paragraphs into sentence pairs with mtreview's aligner."""
    from corpus.align import align_segments
    from corpus.segment import split_sentences

    for source, doc, en, ko in rows:
        en_s = [en[a:b] for a, b in split_sentences(en, "en")]
        ko_s = [ko[a:b] for a, b in split_sentences(ko, "ko")]
        if len(en_s) < 2 or len(ko_s) < 2:
            yield source, doc, en, ko
            continue
        for bead in align_segments(en_s, ko_s, encoder):
            s, t = bead.src, bead.tgt
            if 1 <= len(s) <= 2 and 1 <= len(t) <= 2 and len(s) + len(t) <= 3:
                yield source, doc, " ".join(en_s[i] for i in s), " ".join(ko_s[j] for j in t)


def clean(rows):
    seen = set()
    for source, doc, en, ko in rows:
        en, ko = html.unescape(en).strip(), html.unescape(ko).strip()
        hangul, latin = len(_HANGUL_RE.findall(ko)), len(_LATIN_RE.findall(ko))
        if hangul < 2 or hangul < 0.5 * latin or len(_LATIN_RE.findall(en)) < 2 or en == ko:
            continue      # untranslated, or not text
        ratio = len(ko) / len(en)
        if not 0.15 <= ratio <= 1.6 or len(en) > 1000:
            continue
        key = (en, ko)
        if key in seen:
            continue
        seen.add(key)
        yield source, doc, en, ko


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build/lexicon")
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--no-sentence-align", action="store_true", help="keep paragraphs whole (faster)")
    args = ap.parse_args()
    out = Path(args.out)
    root = fetch(out)
    rows = [*libreoffice_pairs(root), *faq_pairs(root), *ntrex_pairs(Path(args.shared))]
    print(f"raw paragraph pairs: {len(rows)}", file=sys.stderr)
    rows = list(clean(rows))
    if not args.no_sentence_align:
        from corpus.encoders import load_encoder
        rows = list(clean(sentence_pairs(rows, load_encoder("use"))))
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    counts: dict[str, dict[str, int]] = {}
    with open(corpus / "train.tsv", "w", encoding="utf-8", newline="") as tr, \
            open(corpus / "dev.tsv", "w", encoding="utf-8", newline="") as dv:
        wt, wd = csv.writer(tr, delimiter="\t", lineterminator="\n"), csv.writer(dv, delimiter="\t", lineterminator="\n")
        for source, doc, en, ko in rows:
            split = "dev" if dev_document(doc) else "train"
            (wd if split == "dev" else wt).writerow([source, doc, en.replace("\t", " "), ko.replace("\t", " ")])
            counts.setdefault(source, {"train": 0, "dev": 0})[split] += 1
    versions = {deb.name for deb in (out / "debs").glob("*.deb")}
    sources = {"packages": {p: {"licence": lic, "deb": sorted(v for v in versions if v.startswith(p + "_"))}
                            for p, lic in PACKAGES.items()},
               "ntrex128": {"licence": NTREX_LICENCE, "held_out_rule": "crc32(doc_id) % 2 == 0 is held out",
                            "commit": (Path(args.shared) / "data/ntrex128/COMMIT.txt").read_text().strip()},
               "pairs": counts}
    (corpus / "sources.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
