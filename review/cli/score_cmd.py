"""``mtreview score``: findings and scores for a JSONL file of sentence pairs."""
from __future__ import annotations

import argparse

from review import __version__


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score", help="score sentence pairs (JSONL with id, src, tgt) for garbling and MQM penalty",
        description="Run every check on each pair of a JSONL file (records with id, src, tgt; other keys are "
                    "ignored; records sharing a doc_id are judged as one document) and write the same ids with "
                    "score (garble score in [0, 1]), quality (learned quality estimate in [0, 1], higher = better), penalty (MQM: minor 1, major 5, critical 25), priority "
                    "and findings.")
    p.add_argument("--input", required=True, help="pairs to score (.jsonl)")
    p.add_argument("--output", required=True, help="where to write the scored records (.jsonl)")
    p.add_argument("--no-models", action="store_true", help="skip Kiwi and the sentence encoder (rules only)")
    p.add_argument("--disable", action="append", default=[], metavar="CHECK", help="switch a check off (repeatable)")
    p.add_argument("--profile", metavar="FILE",
                   help="a house-style profile (TOML): severities per check, allow-lists (acronyms, "
                        "do-not-translate terms, dismissed texts) and thresholds; see `mtreview checks --profile`")
    p.add_argument("--qe", metavar="KIND:PATH",
                   help="a neural QE model you have on disk, scored beside mtreview's own quality estimate and used "
                        "for the priority: 'comet:/path/to/checkpoint' (COMET/CometKiwi; pip install "
                        "'mtreview[qe]') or 'hf:/path/to/model' (a transformers cross-encoder; pip install "
                        "'mtreview[torch]')")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.assess import score_records
    from review.jsonl import write_jsonl

    if args.qe:
        from review.neural_qe import load_qe
        load_qe(args.qe)  # fail before reading the pairs
    from review.policy import DEFAULT_POLICY
    from review.profile import load_profile, profile_summary
    policy = load_profile(args.profile) if args.profile else DEFAULT_POLICY  # fails before the models load
    records = score_records(args.input, use_models=not args.no_models, disable=args.disable, qe=args.qe,
                            policy=policy)
    header = {"mtreview": __version__, "command": "score", "models": None if args.no_models else
              {"lm": "kiwipiepy", "encoder": "use-multilingual-v3", "quality": "review/data/quality_weights.json",
               **({"qe": args.qe} if args.qe else {})},
              **({"profile": profile_summary(policy)} if args.profile else {})}
    n = write_jsonl(args.output, records, header=header)
    flagged = sum(1 for r in records if r["penalty"] > 0)
    print(f"scored {n} pairs ({flagged} with findings) -> {args.output}")
    return 0
