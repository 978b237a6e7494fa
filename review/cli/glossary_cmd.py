"""``mtreview glossary ...``: maintain a name glossary (TBX) and discover names in a Korean text.

Each subcommand is one ``(name, help, add_arguments, run)`` row of ``SUBCOMMANDS``;
another module can plug in a subcommand by appending one row (e.g. ``suggest``).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from corpus.errors import InputError, MtreviewError


def _load(args):
    from glossary.termbase import TermBase
    return TermBase.load(args.glossary)


def _save(tb, args, warnings=()) -> int:
    for w in warnings:
        print(f"Warning: {w}", file=sys.stderr)
    tb.save(args.glossary)
    return 0


def _show_entry(e) -> str:
    lines = [f"{e.id}  [{e.type.value}]"]
    for t in e.terms:
        lines.append(f"  {t.lang}  {t.text}  ({t.status.value})" + (f"  note: {t.note}" if t.note else ""))
    if e.note:
        lines.append(f"  note: {e.note}")
    if e.provenance:
        lines.append(f"  source: {e.provenance}")
    return "\n".join(lines)


# --- init ----------------------------------------------------------------------------
def _init_args(p):
    p.add_argument("--force", action="store_true", help="overwrite an existing glossary")


def _init(args) -> int:
    from glossary.termbase import TermBase
    if Path(args.glossary).exists() and not args.force:
        raise InputError(args.glossary, "already exists (use --force to overwrite)")
    TermBase().save(args.glossary)
    print(f"created {args.glossary}")
    return 0


# --- add -----------------------------------------------------------------------------
def _add_args(p):
    p.add_argument("english", help="English term (repeat with --en for more)")
    p.add_argument("korean", nargs="+", help="Korean forms; the first is preferred, the rest admitted")
    p.add_argument("--en", action="append", default=[], help="another English term")
    p.add_argument("--deprecated", action="append", default=[], help="a deprecated Korean form")
    p.add_argument("--type", default="person", choices=("person", "place", "organisation", "term"))
    p.add_argument("--note", default="")
    p.add_argument("--source", default="", help="provenance")
    p.add_argument("--id", help="entry id (default: from the English term)")


def _add(args) -> int:
    tb = _load(args)
    entry, warnings = tb.add([args.english, *args.en], args.korean[:1], admitted=args.korean[1:],
                             deprecated=args.deprecated, type=args.type, note=args.note,
                             provenance=args.source, entry_id=args.id)
    _save(tb, args, warnings)
    print(f"added {entry.id}")
    return 0


# --- list / show ---------------------------------------------------------------------
def _list_args(p):
    p.add_argument("--type", choices=("person", "place", "organisation", "term"))


def _list(args) -> int:
    from corpus.textwidth import table

    tb = _load(args)
    rows = []
    for e in tb:
        if args.type and e.type.value != args.type:
            continue
        others = ", ".join(f"{t.text}{'*' if t.status.value == 'deprecated' else ''}"
                           for t in e.korean if t.status.value != "preferred")
        rows.append([e.id, e.type.value, e.label, f"[{others}]" if others else ""])
    if rows:  # columns padded by display width: Hangul takes two terminal columns
        print("\n".join(table([["id", "type", "label", "other spellings (* deprecated)"], *rows])))
    return 0


def _key_args(p):
    p.add_argument("entry", help="entry id or one of its terms")


def _show(args) -> int:
    print(_show_entry(_load(args).resolve(args.entry)))
    return 0


# --- prefer / deprecate ----------------------------------------------------------------
def _form_args(p):
    p.add_argument("entry", help="entry id or one of its terms")
    p.add_argument("form", help="Korean form")


def _set_status(status):
    def run(args) -> int:
        tb = _load(args)
        entry, warnings = tb.set_korean_status(args.entry, args.form, status)
        _save(tb, args, warnings)
        print(_show_entry(entry))
        return 0
    return run


# --- merge / remove --------------------------------------------------------------------
def _merge_args(p):
    p.add_argument("keep", help="entry kept")
    p.add_argument("other", help="entry folded into it and removed")


def _merge(args) -> int:
    tb = _load(args)
    entry, warnings = tb.merge(args.keep, args.other)
    _save(tb, args, warnings)
    print(_show_entry(entry))
    return 0


def _remove_args(p):
    p.add_argument("entry", help="entry id or one of its terms")
    p.add_argument("form", nargs="?", help="remove only this term")


def _remove(args) -> int:
    tb = _load(args)
    entry = tb.remove(args.entry, args.form)
    _save(tb, args)
    print("removed" if entry is None else _show_entry(entry))
    return 0


# --- import / export -------------------------------------------------------------------
def _import_args(p):
    p.add_argument("file", help="CSV, TSV or TBX file")
    p.add_argument("--replace", action="store_true", help="replace the glossary instead of adding to it")


def _import(args) -> int:
    from glossary.termbase import TermBase
    incoming = TermBase.load(args.file)  # parse fully first: a bad file changes nothing
    tb = TermBase() if args.replace or not Path(args.glossary).exists() else _load(args)
    warnings = []
    for e in incoming:
        warnings = tb.put(e)
    _save(tb, args, warnings)
    print(f"imported {len(incoming)} entries")
    return 0


def _export_args(p):
    p.add_argument("file", help="output .csv, .tsv or .tbx ('-' = CSV on standard output)")
    p.add_argument("--tbx-version", choices=("v3", "v2"), default="v3",
                   help="for .tbx: TBX v3 (<tbx>, ISO 30042:2019; the default) or TBX v2 (<martif>, what most "
                        "CAT tools read); both TBX-Basic")


def _export(args) -> int:
    from glossary.csvio import table_string
    tb = _load(args)
    if args.file == "-":
        sys.stdout.write(table_string(tb))
    elif Path(args.file).suffix.lower() not in (".csv", ".tsv") and args.tbx_version == "v2":
        from glossary.tbx import write_tbx
        tb.validate()
        write_tbx(tb, args.file, version="v2")
    else:
        tb.save(args.file)
    return 0


# --- discover --------------------------------------------------------------------------
def _discover_args(p):
    p.add_argument("--target", action="append", help="Korean text; give several to discover across a corpus")
    p.add_argument("--source", action="append",
                   help="English text (optional); with several --target, one per --target in the same order")
    p.add_argument("--manifest", metavar="FILE",
                   help="discover across the documents of a review manifest (columns source, target, bitext, doc_id)")
    p.add_argument("--json", action="store_true", help="one JSON object per proposed entry")
    p.add_argument("--all", action="store_true",
                   help="every proposal: also names with a single spelling, and with --apply also those under "
                        "--min-confidence")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="with --apply: write only proposals whose confidence (0-1: uses, the canonical spelling's "
                        "share, an English name or glossary entry) is at least X (default 0.5)")
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--apply", action="store_true", help="write the proposals shown into --glossary")
    p.add_argument("--use-glossary", action="store_true",
                   help="read --glossary for canonical forms (implied by --apply)")


def _corpus_documents(args) -> list:
    """The documents named by --target/--source or --manifest, read as the review reads them."""
    from corpus.readers import doc_id_for, read_bitext
    from glossary.discovery import CorpusDocument
    if args.manifest:
        if args.target or args.source:
            raise MtreviewError("glossary discover: --manifest lists the documents; give no --target or --source with it")
        from review.batch import read_manifest
        docs = []
        for e in read_manifest(args.manifest):
            bitext = read_bitext(e.bitext or e.source, None if e.bitext else e.target, None, e.doc_id)
            docs.append(CorpusDocument(e.doc_id, bitext.target.text, bitext.source.text if bitext.source else None))
        return docs
    from corpus.textio import read_text
    if not args.target:
        raise MtreviewError("glossary discover: give --target (one or more) or --manifest")
    sources = args.source or []
    if sources and len(sources) != len(args.target):
        raise InputError(sources[0], f"{len(sources)} --source files for {len(args.target)} --target files: "
                                     "give one English file per Korean file, in the same order, or none")
    ids = [doc_id_for(t) for t in args.target]
    if len(set(ids)) != len(ids):
        ids = [f"{i + 1}-{d}" for i, d in enumerate(ids)]
    return [CorpusDocument(doc_id, read_text(t)[0], read_text(sources[i])[0] if sources else None)
            for i, (doc_id, t) in enumerate(zip(ids, args.target))]


def _discover(args) -> int:
    from glossary.discovery import apply_proposals, discover, discover_corpus, proposals_table
    from glossary.termbase import TermBase
    documents = _corpus_documents(args)
    tb = None
    if (args.use_glossary or args.apply) and Path(args.glossary).exists():
        tb = _load(args)
    # with --apply the glossary is given: new spellings of its names attach to its entries
    if len(documents) == 1 and not args.manifest:
        proposals = discover(documents[0].ko_text, en_text=documents[0].en_text, glossary=tb,
                             min_count=args.min_count)
    else:
        proposals = discover_corpus(documents, glossary=tb, min_count=args.min_count)
    if not args.all:
        proposals = [p for p in proposals if p.multi_spelling]
    from glossary.confidence import APPLY_MIN_CONFIDENCE, proposal_confidence
    confidence = [proposal_confidence(p) for p in proposals]
    if args.json:
        sys.stdout.write("".join(json.dumps({**p.to_json(), "confidence": c}, ensure_ascii=False) + "\n"
                                 for p, c in zip(proposals, confidence)))
    else:
        sys.stdout.write(proposals_table(proposals))
    if args.apply:
        threshold = APPLY_MIN_CONFIDENCE if args.min_confidence is None else args.min_confidence
        chosen = proposals if args.all else [p for p, c in zip(proposals, confidence) if c >= threshold]
        tb = tb if tb is not None else TermBase()
        _save(tb, args, apply_proposals(tb, chosen))
        held = len(proposals) - len(chosen)
        print(f"applied {len(chosen)} proposals to {args.glossary}"
              + (f"; {held} under confidence {threshold:g} left out (review them, or --all)" if held else ""),
              file=sys.stderr)
    return 0


def _locked(run_fn: Callable[[argparse.Namespace], int],
            when: Callable[[argparse.Namespace], bool] = lambda args: True) -> Callable[[argparse.Namespace], int]:
    """Run a subcommand that changes the glossary under its lock: concurrent changes all survive."""
    def run(args: argparse.Namespace) -> int:
        if not when(args):
            return run_fn(args)
        from glossary.termbase import glossary_lock
        with glossary_lock(args.glossary):
            return run_fn(args)
    return run


Sub = tuple[str, str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
SUBCOMMANDS: list[Sub] = [
    ("init", "create an empty glossary", _init_args, _locked(_init)),
    ("add", "add an entry", _add_args, _locked(_add)),
    ("list", "list entries", _list_args, _list),
    ("show", "show one entry", _key_args, _show),
    ("prefer", "make a Korean form the preferred one", _form_args, _locked(_set_status("preferred"))),
    ("deprecate", "mark a Korean form deprecated", _form_args, _locked(_set_status("deprecated"))),
    ("merge", "fold one entry into another", _merge_args, _locked(_merge)),
    ("remove", "remove an entry or one of its terms", _remove_args, _locked(_remove)),
    ("import", "import entries from CSV/TSV/TBX", _import_args, _locked(_import)),
    ("export", "export as CSV/TSV/TBX", _export_args, _export),
    ("discover", "find names and their spelling variants in a Korean text or a corpus", _discover_args,
     _locked(_discover, lambda args: args.apply)),
]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("glossary", help="maintain a name glossary; discover name variants",
                       description="Maintain a TBX name glossary and discover names in Korean text.")
    p.add_argument("--glossary", default="glossary.tbx", help="glossary file (default: ./glossary.tbx)")
    gsub = p.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")
    for name, help_text, add_args, run_fn in SUBCOMMANDS:
        sp = gsub.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("--glossary", default=argparse.SUPPRESS, help="glossary file (default: ./glossary.tbx)")
        add_args(sp)
        sp.set_defaults(run=run_fn)
    # `suggest` needs no glossary file: it asks the shipped transliteration model.
    from review.cli import suggest_cmd
    suggest_cmd.add_parser(gsub)
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])
