"""Reviewer decisions: findings confirmed or marked false alarms, glossary proposals accepted or rejected.

Decisions live in ``decisions.sqlite`` beside ``segments.jsonl``.  A finding's
decision is keyed by a *fingerprint* of what it is about, not by its position:
the normalised Korean text of its pair, the check's name and the text of the
finding's spans (the English text and spans when the pair has no Korean).  A
rerun of ``review`` on the same translation, or on a revised one where that
segment is unchanged, gives the same fingerprints, so the decisions carry over;
a segment that changed is a new question and is asked again.

A glossary proposal's decision is keyed by its English name (case-folded), or by
its canonical Korean spelling when discovery found no English.

Every write runs in one transaction (``BEGIN IMMEDIATE``) and is also appended
to a ``history`` table, so the file says who decided what when, and in what order.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import sqlite3
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from corpus.errors import InputError
from review.records import Finding, ReviewedPair

DECISIONS_FILE = "decisions.sqlite"
FINDING_VERDICTS = ("confirmed", "false_alarm")
PROPOSAL_VERDICTS = ("accepted", "rejected")
SCHEMA_VERSION = 1
NOTE_MAX_CHARS = 4000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS finding_decision (
    fingerprint TEXT PRIMARY KEY,
    verdict TEXT CHECK (verdict IS NULL OR verdict IN ('confirmed', 'false_alarm')),
    note TEXT NOT NULL DEFAULT '',
    check_name TEXT NOT NULL,
    span_text TEXT NOT NULL,
    segment_hash TEXT NOT NULL,
    doc_id TEXT,
    pair_id TEXT,
    korean TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS proposal_decision (
    key TEXT PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    english TEXT,
    preferred TEXT,
    variants TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    glossary TEXT,
    entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    verdict TEXT,
    note TEXT NOT NULL DEFAULT ''
);
"""


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# --- fingerprints ------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC, every run of white space one space, no space at either end."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def segment_hash(pair: ReviewedPair) -> str:
    """A hash of the pair's normalised Korean text (of its English when it has no Korean)."""
    text = normalise_text(pair.tgt)
    basis = f"ko:{text}" if text else f"en:{normalise_text(pair.src)}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def span_text(finding: Finding) -> str:
    """The text a finding is about: its Korean spans (its English ones when it has none).

    A zero-width span (an insertion point) has no text; its offset stands in for it.
    """
    if finding.tgt_spans:
        return " | ".join(normalise_text(s.text) or f"@{s.start}" for s in finding.tgt_spans)
    if finding.src_spans:
        return "en: " + " | ".join(normalise_text(s.text) or f"@{s.start}" for s in finding.src_spans)
    return ""


def finding_fingerprints(pair: ReviewedPair) -> list[str]:
    """One fingerprint per finding of ``pair``, in order.

    Two findings of one check on the same text of one segment are told apart by
    their order (the checks are deterministic, so the order is stable).
    """
    seg = segment_hash(pair)
    seen: Counter[str] = Counter()
    out = []
    for f in pair.findings:
        base = f"{seg}\x1f{f.check}\x1f{span_text(f)}"
        n = seen[base]
        seen[base] += 1
        out.append(hashlib.sha256(f"{base}\x1f{n}".encode("utf-8")).hexdigest()[:32])
    return out


def proposal_key(proposal: Mapping[str, Any]) -> str:
    """A glossary proposal's key: ``en:`` + its English name case-folded, else ``ko:`` + its canonical form."""
    english = proposal.get("english")
    if english:
        return "en:" + normalise_text(str(english)).casefold()
    variants = proposal.get("variants") or []
    canonical = proposal.get("canonical") or (variants[0] if variants else "")
    return "ko:" + normalise_text(str(canonical))


def proposal_keys(proposals: Sequence[Mapping[str, Any]]) -> list[str]:
    """Keys for one document's proposals, unique among them and stable across reruns.

    A proposal keeps :func:`proposal_key` when no other proposal of the document shares it
    (so decisions made on earlier runs still apply); proposals that share it (one English
    name discovered as two clusters: Sidney / 시드니 and a Latin "Sidney") get their canonical
    form, then their spellings, then a count, added until each key is unique: one Accept
    must never mark, or write the spelling of, another proposal.
    """
    keys = [proposal_key(p) for p in proposals]
    for extend in (_with_canonical, _with_variants):
        counts = Counter(keys)
        keys = [extend(key, p) if counts[key] > 1 else key for key, p in zip(keys, proposals)]
    seen: Counter = Counter()
    unique = []
    for key in keys:
        seen[key] += 1
        unique.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return unique


def stored_proposal_keys(proposals: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ``id`` each proposal read from ``names.jsonl`` carries, or :func:`proposal_keys` when some lack one
    or they repeat (a file written before keys were unique)."""
    ids = [p.get("id") for p in proposals]
    if all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids):
        return ids  # type: ignore[return-value]
    return proposal_keys(proposals)


def _with_canonical(key: str, proposal: Mapping[str, Any]) -> str:
    variants = proposal.get("variants") or []
    canonical = proposal.get("canonical") or (variants[0] if variants else "")
    return f"{key}|{normalise_text(str(canonical))}" if key.startswith("en:") else key


def _with_variants(key: str, proposal: Mapping[str, Any]) -> str:
    return key + "|" + ",".join(sorted(normalise_text(str(v)) for v in proposal.get("variants") or []))


# --- records -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FindingDecision:
    fingerprint: str
    verdict: str | None  # "confirmed", "false_alarm", or None (a note only)
    note: str
    check: str
    span_text: str
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "verdict": self.verdict, "note": self.note, "check": self.check,
                "span_text": self.span_text, "created_at": self.created_at, "updated_at": self.updated_at}


@dataclass(frozen=True)
class ProposalDecision:
    key: str
    verdict: str  # "accepted" or "rejected"
    english: str | None
    preferred: str | None
    variants: tuple[str, ...]
    note: str
    glossary: str | None  # the glossary file an accepted proposal was written to
    entry_id: str | None
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "verdict": self.verdict, "english": self.english, "preferred": self.preferred,
                "variants": list(self.variants), "note": self.note, "glossary": self.glossary,
                "entry_id": self.entry_id, "created_at": self.created_at, "updated_at": self.updated_at}


@dataclass(frozen=True)
class Decisions:
    """All decisions of one review output, read at once."""

    findings: Mapping[str, FindingDecision] = field(default_factory=dict)
    proposals: Mapping[str, ProposalDecision] = field(default_factory=dict)

    def verdict(self, fingerprint: str) -> str | None:
        d = self.findings.get(fingerprint)
        return d.verdict if d else None

    def __bool__(self) -> bool:
        return bool(self.findings or self.proposals)


# --- the store ---------------------------------------------------------------------------------

class DecisionStore:
    """``decisions.sqlite``: one short-lived connection per operation, so any thread may call it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise InputError(str(self.path), f"decisions file of a newer mtreview (schema {version})")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as e:
            raise InputError(str(self.path), f"cannot open the decisions database: {e}") from None
        try:
            yield conn
        except sqlite3.DatabaseError as e:
            raise InputError(str(self.path), f"decisions database error: {e}") from None
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def load(self) -> Decisions:
        with self._connect() as conn:
            return _read_all(conn)

    def set_finding(self, pair: ReviewedPair, index: int, *, verdict: str | None = None, note: str | None = None,
                    keep_verdict: bool = False) -> FindingDecision | None:
        """Record a decision on finding ``index`` of ``pair``; returns it (None once cleared).

        ``keep_verdict`` leaves the stored verdict as it is (a note-only change);
        ``note=None`` leaves the stored note.  A decision with no verdict and no note is deleted.
        """
        if verdict is not None and verdict not in FINDING_VERDICTS:
            raise ValueError(f"verdict must be one of {FINDING_VERDICTS} or None, not {verdict!r}")
        finding = pair.findings[index]
        fp = finding_fingerprints(pair)[index]
        at = now_utc()
        with self.transaction() as conn:
            row = conn.execute("SELECT verdict, note, created_at FROM finding_decision WHERE fingerprint = ?",
                               (fp,)).fetchone()
            old_verdict, old_note, created = row if row else (None, "", at)
            new_verdict = old_verdict if keep_verdict else verdict
            new_note = old_note if note is None else note
            conn.execute("INSERT INTO history (at, kind, key, verdict, note) VALUES (?, 'finding', ?, ?, ?)",
                         (at, fp, new_verdict, new_note))
            if new_verdict is None and not new_note:
                conn.execute("DELETE FROM finding_decision WHERE fingerprint = ?", (fp,))
                return None
            conn.execute(
                "INSERT INTO finding_decision (fingerprint, verdict, note, check_name, span_text, segment_hash, "
                "doc_id, pair_id, korean, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(fingerprint) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, "
                "doc_id = excluded.doc_id, pair_id = excluded.pair_id, korean = excluded.korean, "
                "updated_at = excluded.updated_at",
                (fp, new_verdict, new_note, finding.check, span_text(finding), segment_hash(pair), pair.doc_id,
                 pair.id, pair.tgt, created, at))
        return FindingDecision(fp, new_verdict, new_note, finding.check, span_text(finding), created, at)

    @contextmanager
    def proposal_transaction(self, key: str, verdict: str, *, english: str | None, preferred: str | None,
                             variants: Sequence[str], note: str = "") -> Iterator[dict[str, Any]]:
        """Record a proposal decision inside one transaction around the caller's block.

        The block (writing the glossary file) may fill ``glossary`` and ``entry_id``
        in the dict it is given; if it raises, nothing is recorded.
        """
        if verdict not in PROPOSAL_VERDICTS:
            raise ValueError(f"verdict must be one of {PROPOSAL_VERDICTS}, not {verdict!r}")
        at = now_utc()
        extra: dict[str, Any] = {"glossary": None, "entry_id": None}
        with self.transaction() as conn:
            row = conn.execute("SELECT created_at FROM proposal_decision WHERE key = ?", (key,)).fetchone()
            created = row[0] if row else at
            yield extra
            conn.execute(
                "INSERT INTO proposal_decision (key, verdict, english, preferred, variants, note, glossary, entry_id, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "verdict = excluded.verdict, english = excluded.english, preferred = excluded.preferred, "
                "variants = excluded.variants, note = excluded.note, glossary = excluded.glossary, "
                "entry_id = excluded.entry_id, updated_at = excluded.updated_at",
                (key, verdict, english, preferred, json.dumps(list(variants), ensure_ascii=False), note,
                 extra["glossary"], extra["entry_id"], created, at))
            conn.execute("INSERT INTO history (at, kind, key, verdict, note) VALUES (?, 'proposal', ?, ?, ?)",
                         (at, key, verdict, note))

    def clear_proposal(self, key: str, note: str = "undone") -> None:
        """Forget the decision on proposal ``key`` (an undo); the history keeps both."""
        at = now_utc()
        with self.transaction() as conn:
            conn.execute("DELETE FROM proposal_decision WHERE key = ?", (key,))
            conn.execute("INSERT INTO history (at, kind, key, verdict, note) VALUES (?, 'proposal', ?, NULL, ?)",
                         (at, key, note))

    def history(self) -> list[dict[str, Any]]:
        with self._connect() as conn:
            rows = conn.execute("SELECT seq, at, kind, key, verdict, note FROM history ORDER BY seq").fetchall()
        return [dict(zip(("seq", "at", "kind", "key", "verdict", "note"), r)) for r in rows]


def _read_all(conn: sqlite3.Connection) -> Decisions:
    findings = {r[0]: FindingDecision(*r) for r in conn.execute(
        "SELECT fingerprint, verdict, note, check_name, span_text, created_at, updated_at FROM finding_decision")}
    proposals = {}
    for r in conn.execute("SELECT key, verdict, english, preferred, variants, note, glossary, entry_id, "
                          "created_at, updated_at FROM proposal_decision"):
        proposals[r[0]] = ProposalDecision(r[0], r[1], r[2], r[3], tuple(json.loads(r[4] or "[]")), r[5], r[6], r[7],
                                           r[8], r[9])
    return Decisions(findings, proposals)


def load_decisions(out_dir: str | Path) -> Decisions:
    """The decisions stored in ``out_dir/decisions.sqlite`` (none when the file is absent); read-only."""
    path = Path(out_dir) / DECISIONS_FILE
    if not path.is_file():
        return Decisions()
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as e:
        raise InputError(str(path), f"cannot open the decisions database: {e}") from None
    try:
        return _read_all(conn)
    except sqlite3.DatabaseError as e:
        raise InputError(str(path), f"not a readable decisions database: {e}") from None
    finally:
        conn.close()


# --- applying decisions ------------------------------------------------------------------------

def drop_false_alarms(pairs: Sequence[ReviewedPair], decisions: Decisions) -> list[ReviewedPair]:
    """The pairs without the findings a reviewer marked as false alarms.

    The penalty is recomputed from the findings left; the priority is scaled by
    how much of its finding weight is left (the scorer's document-level factors,
    such as repeated findings and reference sections, are kept as they were).
    """
    if not decisions.findings:
        return list(pairs)
    from review.scoring import penalty, priority

    out = []
    for pair in pairs:
        fps = finding_fingerprints(pair)
        kept = tuple(f for f, fp in zip(pair.findings, fps) if decisions.verdict(fp) != "false_alarm")
        if len(kept) == len(pair.findings):
            out.append(pair)
            continue
        score = pair.score or 0.0
        before = priority(pair.findings, score, pair.tgt)
        after = priority(kept, score, pair.tgt)
        new_priority = round(pair.priority * after / before, 4) if before > 0 else pair.priority
        out.append(replace(pair, findings=kept, penalty=penalty(kept), priority=new_priority))
    return out
