"""The review app's logic, apart from HTTP: read an output folder, answer API calls, record decisions.

:class:`ReviewApp` holds an output folder (``segments.jsonl``, ``names.jsonl``,
``reference.jsonl``), its :class:`~review.decisions.DecisionStore` and the
glossary file accepted proposals go to.  ``segments.jsonl`` is read again when
it changes on disk, so a rerun of ``review`` while the app runs shows up on the
next request.  API errors are :class:`ApiError` (an HTTP status and a message).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import InputError, MtreviewError
from review.decisions import (DECISIONS_FILE, FINDING_VERDICTS, NOTE_MAX_CHARS, PROPOSAL_VERDICTS, DecisionStore,
                              Decisions, finding_fingerprints, stored_proposal_keys)
from review.output import INCOMPLETE
from review.records import ReviewedPair


class ApiError(Exception):
    """A request the app refuses: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class _Loaded:
    stamp: tuple
    header: dict[str, Any]
    pairs: tuple[ReviewedPair, ...]
    proposals: tuple[dict[str, Any], ...] | None
    reference: Any
    by_fingerprint: dict[str, tuple[ReviewedPair, int]]
    fingerprints: tuple[str, ...]  # every finding's, in order (identical segments repeat theirs)
    by_key: dict[str, dict[str, Any]]


def _stamp(*paths: Path) -> tuple:
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            out.append(None)
    return tuple(out)


def read_names(path: Path) -> list[dict[str, Any]] | None:
    """The proposals in ``names.jsonl`` (None when the file is absent)."""
    from review.jsonl import read_jsonl

    if not path.is_file():
        return None
    try:
        _, records = read_jsonl(path)
    except Exception as e:  # jsonlines' InvalidLineError carries the line number
        raise InputError(str(path), f"invalid JSONL: {e}", line=getattr(e, "lineno", None)) from None
    for n, rec in enumerate(records, start=2):
        if not isinstance(rec, dict) or not isinstance(rec.get("variants"), list):
            raise InputError(str(path), "a proposal needs a list of variants", line=n)
    return records


def _bundled(path: Path) -> bool:
    """Whether ``path`` lies inside mtreview's own package data (the sample's demo glossary)."""
    import review
    package = Path(review.__file__).resolve().parent
    try:
        path.resolve().relative_to(package)
        return True
    except ValueError:
        return False


class ReviewApp:
    """One review output folder being reviewed."""

    def __init__(self, out_dir: str | Path, glossary: str | Path | None = None, profile: str | Path | None = None):
        self.out_dir = Path(out_dir)
        seg = self.out_dir / "segments.jsonl"
        if not seg.is_file():
            subs = sorted(p.parent.name for p in self.out_dir.glob("*/segments.jsonl")) if self.out_dir.is_dir() else []
            if subs:
                raise InputError(str(self.out_dir), "holds the reviews of several documents; serve one of them, "
                                 f"e.g. {self.out_dir / subs[0]} (documents: {', '.join(subs[:8])}"
                                 + (", ..." if len(subs) > 8 else "") + ")")
            raise InputError(str(self.out_dir), "not a review output folder: it has no segments.jsonl "
                             "(run `mtreview review --out DIR` first)")
        self.glossary_option = Path(glossary) if glossary else None
        self.profile_option = Path(profile) if profile else None
        self.store = DecisionStore(self.out_dir / DECISIONS_FILE)
        self._lock = threading.RLock()  # one reload, one glossary write at a time
        self._loaded: _Loaded | None = None
        self.load()

    # --- reading -----------------------------------------------------------------------------
    def load(self) -> _Loaded:
        """The output as it is on disk now (read again only when its files changed)."""
        from review.checks.registry import is_informational
        from review.report.worklist import load_output

        # the marker of an interrupted run is watched too: its appearance makes load_output refuse the folder
        paths = [self.out_dir / n for n in ("segments.jsonl", "names.jsonl", "reference.jsonl", INCOMPLETE)]
        stamp = _stamp(*paths)
        with self._lock:
            if self._loaded is not None and self._loaded.stamp == stamp:
                return self._loaded
            output = load_output(self.out_dir)
            proposals = read_names(paths[1])
            by_fp, all_fps = {}, []
            for pair in output.pairs:
                for k, fp in enumerate(finding_fingerprints(pair)):
                    by_fp.setdefault(fp, (pair, k))
                    if not is_informational(pair.findings[k].check):  # notes on the input are not decided on
                        all_fps.append(fp)
            # the ids names.jsonl was written with (unique per document); computed for an older file
            keys = stored_proposal_keys(proposals or [])
            proposals = [{**p, "id": key} for p, key in zip(proposals or [], keys)] if proposals is not None else None
            by_key = {p["id"]: p for p in proposals or ()}
            self._loaded = _Loaded(stamp, output.header, output.pairs,
                                   tuple(proposals) if proposals is not None else None, output.reference, by_fp,
                                   tuple(all_fps), by_key)
            return self._loaded

    def decisions(self) -> Decisions:
        return self.store.load()

    def glossary_target(self) -> tuple[Path | None, str]:
        """The glossary file accepted proposals are written to, or None and the reason there is none."""
        if self.glossary_option is not None:
            return self.glossary_option, ""
        configured = (self.load().header.get("config") or {}).get("glossary")
        if not configured:
            return None, "this review used no glossary: start serve with --glossary FILE to accept proposals"
        path = Path(configured)
        if _bundled(path):
            return None, ("the review used mtreview's bundled demo glossary, which is read-only: start serve with "
                          "--glossary FILE (a copy) to accept proposals")
        if not path.is_file():
            return None, f"the review's glossary {path} is not found: start serve with --glossary FILE"
        return path, ""

    def profile_target(self) -> tuple[Path | None, str]:
        """The house-style profile "ignore everywhere" writes to, or None and the reason there is none."""
        if self.profile_option is not None:
            return self.profile_option, ""
        configured = (self.load().header.get("config") or {}).get("profile")
        if not configured:
            return None, "this review used no profile: start serve with --profile FILE to ignore a text everywhere"
        return Path(configured), ""

    def state(self) -> dict[str, Any]:
        """Everything the page and ``GET /api/pairs`` show: pairs, findings, proposals, decisions."""
        loaded = self.load()
        decisions = self.decisions()
        pairs = []
        for pair in loaded.pairs:
            fps = finding_fingerprints(pair)
            rec = pair.to_dict()
            for f, fp in zip(rec["findings"], fps):
                d = decisions.findings.get(fp)
                f["fingerprint"] = fp
                f["decision"] = d.to_dict() if d else None
            pairs.append(rec)
        proposals = None
        if loaded.proposals is not None:
            proposals = []
            for p in loaded.proposals:
                key = p["id"]
                d = decisions.proposals.get(key)
                proposals.append({**p, "id": key, "decision": d.to_dict() if d else None})
        glossary, why = self.glossary_target()
        return {"out_dir": str(self.out_dir), "header": loaded.header, "pairs": pairs, "proposals": proposals,
                "glossary": {"path": str(glossary) if glossary else None, "writable": glossary is not None,
                             "reason": why},
                "profile": dict(zip(("path", "reason"), self._profile_state())),
                "counts": decision_counts(decisions, loaded.fingerprints)}

    def _profile_state(self) -> tuple[str | None, str]:
        path, why = self.profile_target()
        return (str(path) if path else None), why

    # --- writing -----------------------------------------------------------------------------
    def decide_finding(self, payload: Any) -> dict[str, Any]:
        """``POST /api/decision``: ``{"fingerprint", "verdict"?: "confirmed"|"false_alarm"|null, "note"?,
        "everywhere"?: true}``.

        ``everywhere`` widens a false alarm to the flagged Korean text everywhere: the text is added to the
        house-style profile's ``[allow] ignore`` list, so later reviews with that profile do not flag it.
        """
        body = _object(payload, allowed={"fingerprint", "verdict", "note", "pair_id", "everywhere"})
        everywhere = body.get("everywhere", False)
        if not isinstance(everywhere, bool):
            raise ApiError(400, "'everywhere' must be true or false")
        if everywhere and body.get("verdict") != "false_alarm":
            raise ApiError(400, "'everywhere' goes with the verdict false_alarm")
        fp = body.get("fingerprint")
        if not isinstance(fp, str) or not fp:
            raise ApiError(400, "'fingerprint' (a string naming the finding) is required")
        if "verdict" not in body and "note" not in body:
            raise ApiError(400, "give a 'verdict' (confirmed, false_alarm or null) or a 'note'")
        verdict = body.get("verdict")
        if "verdict" in body and verdict is not None and verdict not in FINDING_VERDICTS:
            raise ApiError(400, f"'verdict' must be one of {', '.join(FINDING_VERDICTS)} or null, not {verdict!r}")
        note = _note(body)
        found = self.load().by_fingerprint.get(fp)
        if found is None:
            raise ApiError(400, f"unknown finding {fp!r}: no finding of this review output has that fingerprint "
                           "(was the review run again? reload the page)")
        pair, index = found
        ignored = None
        if everywhere:
            ignored = self._ignore_everywhere(pair.findings[index])
        before = self.decisions().verdict(fp)
        decision = self.store.set_finding(pair, index, verdict=verdict, note=note,
                                          keep_verdict="verdict" not in body)
        after = decision.verdict if decision else None
        if "false_alarm" in (before, after) and before != after:
            self._rewrite_worklist()
        self._rewrite_xlsx()
        return {"fingerprint": fp, "pair_id": pair.id, "decision": decision.to_dict() if decision else None,
                "counts": decision_counts(self.decisions(), self.load().fingerprints),
                **({"ignored_everywhere": ignored} if ignored else {})}

    def _ignore_everywhere(self, finding) -> dict[str, Any]:
        """Add the finding's flagged Korean text to the profile's ignore list (checked before anything is saved)."""
        from review.profile import add_ignored_text

        path, why = self.profile_target()
        if path is None:
            raise ApiError(409, why)
        if not finding.tgt_spans or not finding.tgt_spans[0].text.strip():
            raise ApiError(400, "this finding flags no Korean text to ignore everywhere")
        text = finding.tgt_spans[0].text
        with self._lock:
            try:
                added = add_ignored_text(path, text)
            except InputError as e:
                raise ApiError(409, str(e)) from None
        return {"text": text, "profile": str(path), "added": added}

    def _rewrite_worklist(self) -> None:
        """``worklist.csv``/``.jsonl`` again, without the findings now marked as false alarms."""
        from review.report.worklist import write_worklist

        with self._lock:
            loaded = self.load()
            write_worklist(self.out_dir, loaded.pairs, loaded.reference, self.decisions())

    def _rewrite_xlsx(self) -> None:
        """``review.xlsx`` and ``review.xlf`` again (those the review wrote), with the decisions as they are now."""
        xlsx, xlf = self.out_dir / "review.xlsx", self.out_dir / "review.xlf"
        if not (xlsx.is_file() or xlf.is_file()):
            return
        with self._lock:
            loaded = self.load()
            decisions = self.decisions()
            if xlsx.is_file():
                from review.report.excel import write_xlsx
                write_xlsx(xlsx, loaded.pairs, decisions, loaded.header)
            if xlf.is_file():
                from review.exchange import write_xliff
                write_xliff(xlf, loaded.header, loaded.pairs, decisions=decisions)

    def decide_proposal(self, payload: Any) -> dict[str, Any]:
        """``POST /api/proposal``: ``{"key", "verdict": "accepted"|"rejected", "preferred"?, "note"?}``.

        Accepting writes the proposal into the glossary file (atomically, the old file kept as ``FILE~``).
        """
        body = _object(payload, allowed={"key", "verdict", "preferred", "note"})
        key = body.get("key")
        if not isinstance(key, str) or not key:
            raise ApiError(400, "'key' (a string naming the proposal) is required")
        verdict = body.get("verdict")
        if "verdict" not in body:
            raise ApiError(400, "'verdict' is required: accepted, rejected, or null to undo")
        if verdict is not None and verdict not in PROPOSAL_VERDICTS:
            raise ApiError(400, f"'verdict' must be one of {', '.join(PROPOSAL_VERDICTS)} or null (undo), "
                           f"not {verdict!r}")
        note = _note(body) or ""
        proposal = self.load().by_key.get(key)
        if proposal is None:
            raise ApiError(400, f"unknown proposal {key!r}: names.jsonl of this output has no such proposal")
        variants = [str(v) for v in proposal["variants"]]
        preferred = body.get("preferred")
        if preferred is not None and (not isinstance(preferred, str) or preferred not in variants):
            raise ApiError(400, f"'preferred' must be one of the proposal's spellings ({', '.join(variants)})")
        previous = self.decisions().proposals.get(key)
        if verdict is None:  # undo: the glossary entry back as it was, the decision forgotten
            return self._undo_proposal(key, previous)
        if previous is not None and previous.verdict == "accepted" and verdict != "accepted":
            raise ApiError(409, f"this proposal was already written to the glossary {previous.glossary} "
                           f"(entry {previous.entry_id}); undo it first")
        with self._lock, self.store.proposal_transaction(
                key, verdict, english=proposal.get("english"), preferred=preferred, variants=variants,
                note=note) as written:
            if verdict == "accepted":
                path, why = self.glossary_target()
                if path is None:
                    raise ApiError(409, f"cannot accept: {why}")
                written["glossary"] = str(path)
                written["entry_id"], written["changed"], before = _accept_into_glossary(path, proposal, preferred)
                undo = _read_undo(self.out_dir)
                if key not in undo:  # accepting twice keeps the state from before the first time
                    undo[key] = {"glossary": str(path), "entry_id": written["entry_id"], "before": before}
                    _write_undo(self.out_dir, undo)
        decision = self.decisions().proposals[key]
        return {"key": key, "decision": decision.to_dict(), "changed": written.get("changed", False)}

    def _undo_proposal(self, key: str, previous) -> dict[str, Any]:
        """Undo the decision on proposal ``key``; an accepted one puts its glossary entry back as it was."""
        from glossary.termbase import TermBase

        if previous is None:
            raise ApiError(409, "there is no decision on this proposal to undo")
        with self._lock:
            undo = _read_undo(self.out_dir)
            if previous.verdict == "accepted":
                saved = undo.get(key)
                if saved is None:
                    raise ApiError(409, f"no record of the glossary entry before it was accepted: change it in "
                                   f"{previous.glossary} with `mtreview glossary`")
                path = Path(saved["glossary"])
                from glossary.termbase import glossary_lock
                try:
                    with glossary_lock(path):
                        tb = TermBase.load(path)
                        if saved["before"] is None:
                            if saved["entry_id"] in tb:
                                tb.remove(saved["entry_id"])
                        else:
                            tb.put(_entry_from_dict(saved["before"]))
                        tb.save(path)
                except MtreviewError as e:
                    raise ApiError(409, f"cannot undo in the glossary: {e}") from None
            undo.pop(key, None)
            _write_undo(self.out_dir, undo)
            self.store.clear_proposal(key)
        return {"key": key, "decision": None, "changed": previous.verdict == "accepted"}


UNDO_FILE = "glossary-undo.json"
"""Beside decisions.sqlite: each accepted proposal's glossary entry as it was before, for an undo."""


def _read_undo(out_dir: Path) -> dict[str, Any]:
    import json

    path = out_dir / UNDO_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise ApiError(409, f"{path} is not valid JSON: {e}") from None
    return data if isinstance(data, dict) else {}


def _write_undo(out_dir: Path, undo: dict[str, Any]) -> None:
    import json

    from corpus.atomic import atomic_write
    with atomic_write(out_dir / UNDO_FILE) as fh:
        fh.write(json.dumps(undo, ensure_ascii=False, indent=1))


def _entry_to_dict(entry) -> dict[str, Any]:
    from dataclasses import asdict
    d = asdict(entry)
    d["type"] = entry.type.value
    for side in ("english", "korean"):
        for t in d[side]:
            t["status"] = getattr(t["status"], "value", t["status"])
    return d


def _entry_from_dict(d: dict[str, Any]):
    from glossary.termbase import Entry, Status, Term
    terms = {side: tuple(Term(**{**t, "status": Status(t["status"])}) for t in d.get(side) or ())
             for side in ("english", "korean")}
    return Entry(d["id"], d["type"], terms["english"], terms["korean"], d.get("note", ""), d.get("provenance", ""))


def decision_counts(decisions: Decisions, fingerprints: tuple[str, ...]) -> dict[str, int]:
    """How many of this output's findings are confirmed, false alarms, or still open.

    A segment that occurs twice with the same text has the same findings, and one decision covers both."""
    verdicts = [decisions.verdict(fp) for fp in fingerprints]
    return {"findings": len(verdicts), "confirmed": verdicts.count("confirmed"),
            "false_alarm": verdicts.count("false_alarm"), "open": verdicts.count(None),
            "proposals_accepted": sum(1 for d in decisions.proposals.values() if d.verdict == "accepted"),
            "proposals_rejected": sum(1 for d in decisions.proposals.values() if d.verdict == "rejected")}


def _object(payload: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ApiError(400, f"the request body must be a JSON object, not {type(payload).__name__}")
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise ApiError(400, f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    return payload


def _note(body: dict[str, Any]) -> str | None:
    note = body.get("note")
    if note is None:
        return None
    if not isinstance(note, str):
        raise ApiError(400, "'note' must be a string")
    if len(note) > NOTE_MAX_CHARS:
        raise ApiError(400, f"'note' is {len(note)} characters long; at most {NOTE_MAX_CHARS}")
    return note.strip()


def _accept_into_glossary(path: Path, proposal: dict[str, Any],
                          preferred: str | None) -> tuple[str | None, bool, dict[str, Any] | None]:
    """Write ``proposal`` into the glossary at ``path`` (created if absent): its preferred spelling preferred,
    its other Hangul spellings (and a preferred form it replaces) deprecated, so the checks flag them.

    Returns (entry id, changed?, the entry as it was before, ``None`` if new) — the last for an undo.
    Under the glossary's lock, so an Accept and a concurrent ``mtreview glossary`` change both survive."""
    from glossary.termbase import GlossaryError, glossary_lock

    try:
        with glossary_lock(path):
            return _accept_unlocked(path, proposal, preferred)
    except GlossaryError as e:
        raise ApiError(409, str(e)) from None


def _accept_unlocked(path: Path, proposal: dict[str, Any],
                     preferred: str | None) -> tuple[str | None, bool, dict[str, Any] | None]:
    from glossary.discovery import Proposal, apply_proposals
    from glossary.termbase import GlossaryError, Status, TermBase

    try:
        tb = TermBase.load(path) if path.exists() else TermBase()
    except MtreviewError as e:
        raise ApiError(409, f"cannot read the glossary: {e}") from None
    variants = [str(v) for v in proposal["variants"]]
    if preferred:
        variants = [preferred] + [v for v in variants if v != preferred]
    prop = Proposal(english=proposal.get("english"), variants=variants,
                    counts={str(k): int(v) for k, v in (proposal.get("counts") or {}).items()},
                    type=str(proposal.get("type") or "person"),
                    glossary_id=_entry_for(tb, proposal), full_names=list(proposal.get("full_names") or []),
                    head=str(proposal["head"]) if proposal.get("head") else None)
    if not prop.hangul_variants:
        raise ApiError(400, "the proposal has no Korean spelling to put in the glossary")
    before = {e.id: e for e in tb}
    try:
        apply_proposals(tb, [prop], provenance="mtreview serve")
        entry_id = prop.glossary_id
        if entry_id is None:  # a new entry: the one that was not there before
            entry_id = next(e.id for e in tb if e.id not in before)
        old_preferred = before[entry_id].preferred_korean if entry_id in before else None
        # a chosen Hangul spelling; a term family's glossary form carries its head ('불개입 위원회' for 불개입)
        wanted = prop.glossary_forms()[0] if preferred and any(c.isalpha() and not c.isascii() for c in preferred) \
            else None
        if wanted and tb.get(entry_id).preferred_korean and tb.get(entry_id).preferred_korean.text != wanted:
            tb.set_korean_status(entry_id, wanted, Status.PREFERRED)
        keep = tb.get(entry_id).preferred_korean.text if tb.get(entry_id).preferred_korean else None
        # the reviewer chose one spelling: the others are wrong, and stay flagged (deprecated, not admitted)
        others = set(prop.hangul_variants) | ({old_preferred.text} if old_preferred else set())
        for term in tb.get(entry_id).korean:
            if term.text != keep and term.text in others and term.status is not Status.DEPRECATED:
                tb.set_korean_status(entry_id, term.text, Status.DEPRECATED)
    except GlossaryError as e:
        raise ApiError(409, f"the glossary refuses the change: {e}") from None
    changed = {e.id: e for e in tb} != before
    if changed:
        tb.save(path)
    return entry_id, changed, _entry_to_dict(before[entry_id]) if entry_id in before else None


def _entry_for(tb, proposal: dict[str, Any]) -> str | None:
    """The glossary entry a proposal belongs to: the one discovery named, else the one its English names."""
    gid = proposal.get("glossary_id")
    if gid and gid in tb:
        return str(gid)
    english = proposal.get("english")
    if english:
        found = tb.find(str(english))
        if len(found) == 1:
            return found[0].id
    return None
