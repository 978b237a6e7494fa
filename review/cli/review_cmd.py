"""``mtreview review``: the main job."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.errors import InputError
from review.config import DEFAULT_OUT_DIR, ReviewConfig


def _workers(value: str) -> int | str:
    """--workers: a count of 1 or more, or 'auto' (resolved by review.batch.run_manifest)."""
    if value == "auto":
        return value
    try:
        return int(value)   # (run_manifest says a count under 1 is wrong)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of workers or 'auto', got {value!r}") from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="review a translation (the bundled Maisky sample when no files are given)",
        description="Read, segment, align and check an English source and its Korean translation, "
                    "and write segments.jsonl, report.html, worklist.csv and worklist.jsonl into the output "
                    "folder. SOURCE may be a .tsv or .jsonl bitext on its own; with no files, the bundled "
                    "Maisky sample is reviewed.")
    p.add_argument("source", nargs="?", help="English source (.txt), or a .tsv/.jsonl bitext")
    p.add_argument("target", nargs="?", help="Korean translation (.txt)")
    p.add_argument("--out", default=DEFAULT_OUT_DIR, help=f"output folder (default: ./{DEFAULT_OUT_DIR}/)")
    p.add_argument("--encoding", help="input encoding (default: detect UTF-8/UTF-16/CP949)")
    p.add_argument("--doc-id", help="document id (default: from the file name)")
    p.add_argument("--xliff", action="store_true",
                   help="also write review.xlf: the aligned document as XLIFF 2.1 with findings as notes")
    p.add_argument("--xlsx", action="store_true",
                   help="also write review.xlsx: the Excel QA report, one row per finding with the full English "
                        "and Korean, and a summary sheet")
    p.add_argument("--manifest", metavar="FILE",
                   help="review every document listed in FILE (TSV/CSV with columns source, target, doc_id, "
                        "or bitext, doc_id) into OUT/<doc_id>/; a rerun skips documents already done")
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="with --manifest: review N documents at a time in separate processes, or 'auto': one per "
                        "CPU this process may use (default: 1; with --engine ray: one per CPU of the Ray cluster, "
                        "also what 'auto' means there)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="with --manifest: 'local' processes (default) or 'ray': documents as Ray actors' tasks, "
                        "on this machine or a cluster (pip install 'mtreview[ray]')")
    p.add_argument("--corpus-names", action="store_true",
                   help="with --manifest: also discover names across all documents (one name spelled differently "
                        "in two articles is one proposal): OUT/names.jsonl and OUT/name-inconsistencies.csv, "
                        "shown by 'mtreview worklist OUT'")
    p.add_argument("--address", metavar="ADDR",
                   help="with --engine ray: the Ray cluster to join ('auto', 'ray://HOST:10001'; default: "
                        "$RAY_ADDRESS, else start Ray on this machine for the run)")
    p.add_argument("--force", action="store_true", help="with --manifest: review documents already done again")
    p.add_argument("--reference", metavar="FILE",
                   help="a reference or post-edited Korean file: per-pair chrF and TER in the report and "
                        "worklist, corpus chrF/BLEU in the summary (sacrebleu)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print nothing but errors (with --json: the JSON only, no progress or notes on stderr)")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary (JSON) on stdout")
    p.add_argument("--fail-on", choices=("minor", "major", "critical"), metavar="SEVERITY",
                   help="exit with status 3 when any finding is at or above SEVERITY (minor, major, critical)")
    p.add_argument("--disable", action="append", default=[], metavar="CHECK",
                   help="switch a check off by name (repeatable)")
    p.add_argument("--profile", metavar="FILE",
                   help="a house-style profile (TOML): severities per check, allow-lists (acronyms, "
                        "do-not-translate terms, dismissed texts) and thresholds; see `mtreview checks --profile`")
    p.add_argument("--glossary", metavar="FILE",
                   help="a term base (TBX, or CSV/TSV) to check names and terms against "
                        "(the bundled sample uses its demo glossary)")
    p.add_argument("--no-names", action="store_true",
                   help="skip name discovery and the name-spelling checks")
    p.add_argument("--no-models", action="store_true",
                   help="rule-based checks only: no Kiwi language model or embedding checks "
                        "(alignment still uses the --encoder)")
    p.add_argument("--encoder", default="use",
                   help="sentence encoder for alignment: 'use' (default) or 'hf:/path/to/local/model'")
    p.add_argument("--qe", metavar="KIND:PATH",
                   help="a neural QE model you have on disk, scored beside mtreview's own quality estimate and used "
                        "for the priority: 'comet:/path/to/checkpoint' (COMET/CometKiwi; pip install "
                        "'mtreview[qe]') or 'hf:/path/to/model' (a transformers cross-encoder; pip install "
                        "'mtreview[torch]')")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.manifest:
        return run_manifest_cmd(args)
    if args.workers is not None or args.force or args.engine != "local" or args.address or args.corpus_names:
        from corpus.errors import MtreviewError
        raise MtreviewError("--workers, --force, --engine, --address and --corpus-names go with --manifest")
    if args.reference is not None and not Path(args.reference).is_file():
        raise InputError(args.reference, "reference file not found")
    # built (and its check names validated) before the pipeline and its models are even imported
    config = ReviewConfig(source=args.source, target=args.target, out_dir=args.out,
                          encoding=args.encoding, doc_id=args.doc_id, reference=args.reference, xliff=args.xliff,
                          xlsx=args.xlsx,
                          disabled_checks=tuple(args.disable), use_models=not args.no_models,
                          glossary=args.glossary, names=not args.no_names, encoder=args.encoder, qe=args.qe,
                          profile=args.profile)
    if args.qe:
        from review.neural_qe import load_qe
        load_qe(args.qe)  # a missing or unreadable model fails now, before the review's work
    from review.pipeline import run_review
    from review.report.reference import read_reference_jsonl
    from review.report.terminal import EXIT_FAIL_ON, findings_at_or_above, format_summary, summary_dict

    if not args.quiet and not args.json:
        print(f"mtreview: reviewing {args.target or args.source or 'the bundled Maisky sample'} ...",
              file=sys.stderr, flush=True)
    from review.progress import StageBars

    # stage bars on stderr when it is a terminal (and not --quiet/--json); nothing in logs and pipes
    with StageBars(enabled=False if args.quiet or args.json else None) as bars:
        result = run_review(config, progress=bars)
    reference = read_reference_jsonl(result.files["reference"]) if "reference" in result.files else None
    if args.json:
        print(json.dumps(summary_dict(result.doc_id, result.pairs, result.files, reference), ensure_ascii=False,
                         indent=2))
    elif not args.quiet:
        print(format_summary(result.doc_id, result.pairs, result.files, reference,
                             result.n_source_segments, result.n_target_segments))
    if args.fail_on:
        n = findings_at_or_above(result.pairs, args.fail_on)
        if n:
            if not args.quiet:
                print(f"mtreview: {n} finding(s) at or above {args.fail_on}: exit status {EXIT_FAIL_ON}",
                      file=sys.stderr)
            return EXIT_FAIL_ON
    return 0


def run_manifest_cmd(args: argparse.Namespace) -> int:
    from corpus.errors import MtreviewError

    if args.source or args.target or args.doc_id:
        raise MtreviewError("--manifest lists the documents: give no SOURCE, TARGET or --doc-id with it")
    # validated once, here, rather than failing once per document
    base_config = ReviewConfig(encoding=args.encoding, xliff=args.xliff, xlsx=args.xlsx,
                               disabled_checks=tuple(args.disable),
                               use_models=not args.no_models, glossary=args.glossary, names=not args.no_names,
                               encoder=args.encoder, qe=args.qe, profile=args.profile)
    from review.batch import run_manifest
    from review.report.terminal import EXIT_FAIL_ON, findings_at_or_above, summary_dict
    from review.report.worklist import load_output

    result = run_manifest(args.manifest, args.out, workers=args.workers, force=args.force, base_config=base_config,
                          progress=not args.quiet, engine=args.engine, address=args.address,
                          corpus_names=args.corpus_names)
    # --json and --fail-on read every reviewed document's output, as they do for one document
    outputs = {o.doc_id: load_output(o.out_dir) for o in result.outcomes if o.status != "failed"} \
        if args.json or args.fail_on else {}
    if args.json:
        docs = []
        for o in result.outcomes:
            rec = {"doc_id": o.doc_id, "status": o.status, "line": o.line, "out_dir": o.out_dir,
                   "message": o.message}
            if o.doc_id in outputs:
                rec["summary"] = summary_dict(o.doc_id, outputs[o.doc_id].pairs, reference=outputs[o.doc_id].reference)
            docs.append(rec)
        print(json.dumps({"manifest": str(args.manifest), "out_dir": str(result.out_dir),
                          "documents": docs, "reviewed": result.count("done"), "skipped": result.count("skipped"),
                          "failed": result.count("failed"),
                          **({"corpus_files": {k: str(v) for k, v in result.corpus_files.items()}}
                             if result.corpus_files else {})}, ensure_ascii=False, indent=2))
    elif not args.quiet:
        print(f"{len(result.outcomes)} documents: {result.count('done')} reviewed, "
              f"{result.count('skipped')} already done, {result.count('failed')} failed; output in {result.out_dir}/")
        if result.corpus_files:
            from review.corpus_names import read_corpus_names
            rows = read_corpus_names(result.out_dir) or []
            print(f"names across the corpus: {len(rows)} spelled differently in different documents "
                  f"({result.corpus_files['name_inconsistencies']})")
    for o in result.failed:
        print(f"FAILED {o.doc_id} (manifest line {o.line}): {o.message}", file=sys.stderr)
    if result.failed:
        return 1
    if args.fail_on:
        n = sum(findings_at_or_above(out.pairs, args.fail_on) for out in outputs.values())
        if n:
            if not args.quiet:
                print(f"mtreview: {n} finding(s) at or above {args.fail_on} in {len(outputs)} documents: "
                      f"exit status {EXIT_FAIL_ON}", file=sys.stderr)
            return EXIT_FAIL_ON
    return 0
