"""The HTML report: one self-contained file a reviewer opens offline.

The page comes from Jinja2 templates (``review/report/templates``, autoescaped)
with the stylesheet and the script (``review/report/assets``) inlined at render,
so the report stays one file and nothing is fetched from a network.  It reads
fine with scripts off; the script adds filters, sorting and "next major".

Layout, triage first: the pairs to fix, highest priority first, each linking
into the document; a summary; the names panel (collapsed, with a count); then
the document side by side, English | Korean, grouped by Korean paragraph.
Every finding is highlighted at its exact span; where spans overlap, the text
is cut at every span boundary and each piece lists all the findings covering
it (``data-f``), so a finding's highlight is the concatenation of its pieces.
Informational notes that only describe the input (``no-source``) are a quiet
badge beside the pair, never a highlight, and no filter counts them.

Large documents: the browser lays out and paints only the paragraphs near the
viewport (``content-visibility: auto``), and the script touches the DOM only
where a filter changes something, so a 5,000-pair report opens in well under
two seconds.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

import jinja2
from markupsafe import Markup, escape

from corpus.atomic import atomic_write
from corpus.records import Document
from review.checks.registry import is_informational
from review.decisions import Decisions, FindingDecision, finding_fingerprints, stored_proposal_keys
from review.records import Finding, ReviewedPair
from review.report.reference import ReferenceScores
from review.report.stats import (GARBLE_FLAG_THRESHOLD, SEVERITIES, CATEGORIES, Summary, actionable_findings,
                                 is_flagged, pair_penalty, pair_priority, ranked, severity_rank, summarize)
from review.report.worklist import snippet

TOP_N = 20
"""How many pairs the "Fix first" panel lists."""

TOP_SNIPPET_CHARS = 140

CHUNK_PAIRS = 40
"""Paragraphs are grouped into chunks of about this many pairs; the browser renders a chunk only near the
viewport (``content-visibility: auto``).  Chunks, not single paragraphs: a 5,000-pair page with one lazily
rendered box per paragraph loads fast but stutters when scrolled (p95 frame 170-380 ms measured), with 40-pair
chunks it scrolls at 17-33 ms per frame and opens in about 0.7 s (bench in tests/review/test_report_browser.py)."""
CHUNK_PAIR_HEIGHT = 70
"""Estimated height of one pair in pixels, for the placeholder of a chunk not yet rendered."""


@dataclass(frozen=True)
class _Mark:
    """One span of one finding to highlight in one text."""

    start: int
    end: int
    finding_id: str
    finding: Finding
    false_alarm: bool = False  # a reviewer marked the finding as a false alarm


# Below this learned quality estimate a pair is shown in red.  Not 0.5: the estimate ranks pairs well but is
# low on clean text too (pairs of professional human translations under 0.5: 40% of the NTREX held-out
# references, 39% of MQM dev's), and a report that reddens two pairs in five of a good translation cries wolf.
# Under 0.25 (measured with the weights of 727e1a8): 4.6% of those NTREX references, 8.1% of the MQM
# references, and 12.5% of MQM dev's MT segments, every one of which the annotators gave a major error.
QUALITY_LOW = 0.25


def _locate(text: str, start: int, end: int, expected: str) -> tuple[int, int] | None:
    """Where a span really is: its offsets when they match, else the first occurrence of its text."""
    if 0 <= start <= end <= len(text) and text[start:end] == expected:
        return start, end
    if expected:
        found = text.find(expected)
        if found >= 0:
            return found, found + len(expected)
    return None


def _tooltip(findings: Iterable[Finding]) -> str:
    lines = []
    for f in findings:
        line = f"{f.severity.value.upper()} · {f.check} ({f.category.value}): {f.message}"
        if f.suggestion:
            line += f" → {f.suggestion}"
        lines.append(line)
    return "\n".join(lines)


def highlight(text: str, marks: Sequence[_Mark]) -> Markup:
    """``text`` escaped, with every mark wrapped in ``<mark>``; overlapping marks are cut at boundaries."""
    if not marks:
        return escape(text)
    bounds = {0, len(text)}
    for m in marks:
        bounds.update((m.start, m.end))
    cuts = sorted(bounds)
    zero: dict[int, list[_Mark]] = {}  # zero-width marks (an insertion point, e.g. a missing space) by position
    for m in marks:
        if m.start == m.end:
            zero.setdefault(m.start, []).append(m)
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for m in zero.get(a, ()):
            out.append(_mark_html("", [m]))
        if b is None:
            break
        covering = [m for m in marks if m.start <= a and b <= m.end and m.start < m.end]
        piece = text[a:b]
        out.append(_mark_html(piece, covering) if covering else str(escape(piece)))
    return Markup("".join(out))


def _mark_html(piece: str, covering: Sequence[_Mark]) -> str:
    worst = max((m.finding.severity for m in covering), key=severity_rank)
    ids = " ".join(dict.fromkeys(m.finding_id for m in covering))
    cls = f"hl sev-{worst.value}" + (" zero" if not piece else "") + \
        (" fa" if all(m.false_alarm for m in covering) else "")
    return (f'<mark class="{cls}" data-f="{ids}" tabindex="0" '
            f'title="{escape(_tooltip(m.finding for m in covering))}">{escape(piece)}</mark>')


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "–"
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"


def _paragraph_of(pairs: Sequence[ReviewedPair]) -> list[int | None]:
    """Each pair's Korean paragraph; a pair without Korean goes with the pair before it (or after it)."""
    paras: list[int | None] = [p.paragraph for p in pairs]
    last = None
    for k, para in enumerate(paras):
        if para is None:
            paras[k] = last
        else:
            last = para
    nxt = None
    for k in range(len(paras) - 1, -1, -1):
        if paras[k] is None:
            paras[k] = nxt
        else:
            nxt = paras[k]
    return paras


# --- templates and assets ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("review.report", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["fmt"] = _fmt
    return env


@functools.lru_cache(maxsize=None)
def asset(name: str) -> Markup:
    """A stylesheet or script shipped in ``review/report/assets``, to inline in a page."""
    text = resources.files("review.report").joinpath("assets", name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"asset {name} would close its own inline element")
    return Markup(text)


# --- summary pieces ------------------------------------------------------------------------------

def _histogram(summary: Summary, bins: int = 10) -> dict[str, Any] | None:
    """Geometry of the garble-score bar chart (bins over [0, 1], the flag threshold dashed)."""
    if not summary.garble_scores:
        return None
    counts = summary.histogram(bins)
    width, height, pad_l, pad_b, pad_t = 340, 150, 34, 26, 14
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    top = max(counts) or 1
    bar_w = plot_w / bins
    bars = []
    for k, c in enumerate(counts):
        h = plot_h * c / top
        x = pad_l + k * bar_w
        y = pad_t + plot_h - h
        lo, hi = k / bins, (k + 1) / bins
        bars.append({"x": f"{x + 1:.1f}", "y": f"{y:.1f}", "w": f"{bar_w - 2:.1f}", "h": f"{h:.1f}",
                     "lo": f"{lo:.1f}", "hi": f"{hi:.1f}", "count": c, "hot": lo >= GARBLE_FLAG_THRESHOLD,
                     "cx": f"{x + bar_w / 2:.1f}", "ty": f"{y - 3:.1f}"})
    base = pad_t + plot_h
    return {"width": width, "height": height, "pad_l": pad_l, "pad_t": pad_t, "base": base, "top": top,
            "axis_end": pad_l + plot_w, "n": len(summary.garble_scores), "bars": bars,
            "ticks": [{"x": f"{pad_l + plot_w * v:.1f}", "label": f"{v:g}"} for v in (0, 0.25, 0.5, 0.75, 1.0)],
            "thr_x": f"{pad_l + plot_w * GARBLE_FLAG_THRESHOLD:.1f}"}


def _bars(counts: dict[str, int]) -> list[tuple[str, int, float]]:
    top = max(counts.values(), default=0) or 1
    return [(name, n, 100 * n / top) for name, n in counts.items()]


def _summary_context(summary: Summary, pairs: Sequence[ReviewedPair],
                     reference: ReferenceScores | None) -> dict[str, Any]:
    n_info = sum(1 for p in pairs for f in p.findings if is_informational(f.check))
    findings_note = " · ".join(f"{v} {k}" for k, v in summary.by_severity.items())
    if n_info:
        findings_note += f" · {n_info} of them informational notes"
    cards = [
        ("Pairs", f"{summary.n_pairs}", f"{summary.n_with_source} with English · {summary.n_no_source} without"),
        ("Flagged", f"{summary.n_flagged}", f"{100 * summary.flagged_share:.1f}% of pairs worth fixing"),
        ("Findings", f"{summary.n_findings}", findings_note),
        ("MQM penalty / 100 words", f"{summary.penalty_per_100_words:.2f}",
         f"penalty {summary.penalty:g} over {summary.words} words"),
    ]
    if reference is not None and reference.corpus_chrf is not None:
        cards.append(("chrF / BLEU vs reference", f"{reference.corpus_chrf:.1f} / {reference.corpus_bleu:.1f}",
                      f"{len(reference.pairs)} pairs matched to the reference"))
    return {"cards": cards, "by_severity": _bars(summary.by_severity), "by_category": _bars(summary.by_category),
            "by_check": list((summary.by_check or {}).items()), "hist": _histogram(summary),
            "threshold": f"{GARBLE_FLAG_THRESHOLD:g}", "reference": reference}


def _proposal_counts(prop: dict[str, Any]) -> list[tuple[str, int | None]]:
    variants = [str(v) for v in prop.get("variants") or []]
    counts = prop.get("counts")
    if isinstance(counts, dict):
        return [(v, counts.get(v)) for v in variants] + \
            [(str(k), c) for k, c in counts.items() if k not in variants]
    if isinstance(counts, list) and len(counts) == len(variants):
        return list(zip(variants, counts))
    return [(v, None) for v in variants]


def _names_context(proposals: Sequence[dict[str, Any]] | None, decisions: Decisions | None) -> dict[str, Any]:
    if proposals is None:
        return {"proposals": None, "n_variant_names": 0}
    rows = []
    keys = dict(zip(map(id, proposals), stored_proposal_keys(proposals)))  # unique per document
    for prop in sorted(proposals, key=lambda p: (-len(p.get("variants") or []),
                                                 -sum(c or 0 for _, c in _proposal_counts(p)))):
        vc = _proposal_counts(prop)
        key = keys[id(prop)]
        english = prop.get("english")
        rows.append({"key": key, "english": str(english) if english else None, "variants": vc,
                     "uses": sum(c or 0 for _, c in vc),
                     "decided": decisions.proposals.get(key) if decisions else None,
                     "glossary_id": str(prop["glossary_id"]) if prop.get("glossary_id") else None})
    return {"proposals": rows, "n_variant_names": sum(1 for r in rows if len(r["variants"]) > 1)}


def _filters_context(pairs: Sequence[ReviewedPair]) -> dict[str, Any]:
    """Counts for the filter toggles: actionable findings only (informational notes are badges)."""
    sev = {s.value: 0 for s in SEVERITIES}
    cat = {c.value: 0 for c in CATEGORIES}
    chk: dict[str, int] = {}
    for p in pairs:
        for f in p.findings:
            if is_informational(f.check):
                continue
            sev[f.severity.value] += 1
            cat[f.category.value] += 1
            chk[f.check] = chk.get(f.check, 0) + 1
    return {"severity": list(sev.items()), "category": [(c, n) for c, n in cat.items() if n],
            "check": sorted(chk.items(), key=lambda kv: (-kv[1], kv[0]))}


def _top_context(pairs: Sequence[ReviewedPair], top_n: int) -> list[dict[str, Any]]:
    """The "Fix first" rows: flagged pairs by priority, each with its worst finding."""
    rows = []
    for p in [p for p in ranked(list(pairs)) if is_flagged(p)][:top_n]:
        findings = sorted(actionable_findings(p), key=lambda f: -severity_rank(f.severity))
        worst = findings[0] if findings else None
        rows.append({"id": p.id, "position": p.position, "priority": _fmt(pair_priority(p), 1),
                     "severity": worst.severity.value if worst else "garbled",
                     "checks": list(dict.fromkeys(f.check for f in findings)) or ["garble"],
                     "message": worst.message if worst else f"garble score {p.score:.2f}",
                     "text": snippet(p.tgt if p.tgt.strip() else p.src, TOP_SNIPPET_CHARS)})
    return rows


# --- the document ----------------------------------------------------------------------------------

def _reference_html(mt: str, ref: str) -> dict[str, Any]:
    """The reference as a post-edit of the MT: what the editor deleted struck out, what they added marked."""
    if mt.split() == ref.split():
        return {"same": True}
    parts = []
    sm = difflib.SequenceMatcher(None, mt, ref, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            parts.append(str(escape(ref[j1:j2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(mt[i1:i2])}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(ref[j1:j2])}</ins>")
    return {"same": False, "html": Markup("".join(parts))}


_DECISION_LABEL = {"confirmed": "confirmed", "false_alarm": "false alarm"}


def _finding_view(fid: str, f: Finding, located: bool, fingerprint: str,
                  decision: FindingDecision | None) -> dict[str, Any]:
    verdict = decision.verdict if decision else None
    return {"fid": fid, "severity": f.severity.value, "category": f.category.value, "check": f.check,
            "message": f.message, "suggestion": f.suggestion, "located": located, "fingerprint": fingerprint,
            "decision": decision, "verdict": verdict, "decision_label": _DECISION_LABEL.get(verdict or "", "note")}


def _badge_label(f: Finding) -> str:
    return f.check.replace("-", " ")


def _pair_view(pair: ReviewedPair, para: int | None, first_id: int, reference: ReferenceScores | None,
               heading: bool = False, decisions: Decisions | None = None) -> dict[str, Any]:
    tgt_marks: list[_Mark] = []
    src_marks: list[_Mark] = []
    items, badges = [], []
    fingerprints = finding_fingerprints(pair)
    for k, f in enumerate(pair.findings):
        fid = f"f{first_id + k}"
        if is_informational(f.check):  # a note about the input, not an error: a badge, no highlight, no filter
            badges.append({"check": f.check, "label": _badge_label(f), "title": f.message})
            continue
        decision = decisions.findings.get(fingerprints[k]) if decisions else None
        false_alarm = decision is not None and decision.verdict == "false_alarm"
        located = not (f.tgt_spans or f.src_spans)
        for spans, text, marks in ((f.tgt_spans, pair.tgt, tgt_marks), (f.src_spans, pair.src, src_marks)):
            for s in spans:
                where = _locate(text, s.start, s.end, s.text)
                if where is not None:
                    marks.append(_Mark(where[0], where[1], fid, f, false_alarm))
                    located = True
        items.append((f, _finding_view(fid, f, located, fingerprints[k], decision)))
    items.sort(key=lambda t: -severity_rank(t[0].severity))
    actionable = [f for f, _ in items]
    no_source = not pair.src.strip()
    classes = ["pair", "heading"] if heading and pair.tgt.strip() else ["pair"]
    if is_flagged(pair):
        classes.append("flagged")
    if no_source:
        classes.append("nosrc")
    if actionable:
        classes.append("sev-" + max((f.severity for f in actionable), key=severity_rank).value)
    src_tag = None
    if no_source:
        src_tag = ({"label": "no source", "why": "The English source is not available for this part of the "
                    "document; checks that need no English still ran."} if pair.no_source else
                   {"label": "no English", "why": "No English was aligned to this Korean."})
    ref = reference.pairs.get(pair.id) if reference else None
    prio = pair_priority(pair)
    return {
        "id": pair.id, "doc_id": pair.doc_id, "position": pair.position, "para": para,
        "classes": " ".join(classes), "priority_attr": f"{prio:.6g}", "priority": _fmt(prio),
        "sevs": " ".join(sorted({f.severity.value for f in actionable})),
        "cats": " ".join(sorted({f.category.value for f in actionable})),
        "checks": " ".join(sorted({f.check for f in actionable})),
        "penalty": _fmt(pair_penalty(pair)) if actionable else None,
        "garble": f"{pair.score:.2f}" if pair.score is not None else None,
        "garble_hot": pair.score is not None and pair.score >= GARBLE_FLAG_THRESHOLD,
        "quality": f"{pair.quality:.2f}" if pair.quality is not None else None,
        "quality_low": pair.quality is not None and pair.quality < QUALITY_LOW,
        "qe": f"{pair.qe:.2f}" if pair.qe is not None else None,
        "chrf": f"{ref.chrf:.1f}" if ref is not None else None,
        "ter": f"{ref.ter:.1f}" if ref is not None and ref.ter is not None else None,
        "badges": badges, "src_tag": src_tag,
        "src_html": None if no_source else highlight(pair.src, src_marks),
        "tgt_html": highlight(pair.tgt, tgt_marks) if pair.tgt.strip() else None,
        "ref": _reference_html(pair.tgt, ref.ref) if ref is not None else None,
        "findings": [v for _, v in items],
    }


def _document_sections(pairs: Sequence[ReviewedPair], target: Document | None, reference: ReferenceScores | None,
                       counter: list[int], decisions: Decisions | None = None) -> list[dict[str, Any]]:
    headings = {p.index for p in target.paragraphs if p.heading} if target is not None else set()
    sections: list[dict[str, Any]] = []
    current: object = object()
    for pair, para in zip(pairs, _paragraph_of(pairs)):
        if para != current:
            current = para
            sections.append({"para": para, "heading": para in headings,
                             "label": f"¶ {para}" if para is not None else "Unplaced", "pairs": []})
        sections[-1]["pairs"].append(_pair_view(pair, para, counter[0], reference, pair.paragraph in headings,
                                                decisions))
        counter[0] += len(pair.findings)
    return sections


def _chunks(sections: list[dict[str, Any]], size: int = CHUNK_PAIRS) -> list[dict[str, Any]]:
    """Consecutive paragraphs grouped into chunks of at least ``size`` pairs (the last may be smaller)."""
    chunks: list[dict[str, Any]] = []
    for section in sections:
        if not chunks or chunks[-1]["n"] >= size:
            chunks.append({"sections": [], "n": 0})
        chunks[-1]["sections"].append(section)
        chunks[-1]["n"] += len(section["pairs"])
    for chunk in chunks:
        chunk["height"] = chunk["n"] * CHUNK_PAIR_HEIGHT + 30 * len(chunk["sections"])
    return chunks


def render_html_report(header: dict[str, Any] | None, pairs: Sequence[ReviewedPair], *,
                       target: Document | None = None, source: Document | None = None,
                       glossary_proposals: Sequence[dict[str, Any]] | None = None,
                       reference: ReferenceScores | None = None, title: str | None = None,
                       decisions: Decisions | None = None, extra_head: str = "", extra_top: str = "",
                       extra_body: str = "", top_n: int = TOP_N) -> str:
    """The whole report as one HTML string (see :func:`write_html_report`).

    ``extra_head``/``extra_top``/``extra_body`` are trusted HTML added at the end
    of the head, at the top of the main column and at the end of the body
    (``mtreview serve`` adds its decision controls there).
    """
    header = header or {}
    pairs = list(pairs)
    summary = summarize(pairs)
    doc_ids = list(summary.doc_ids) or ["(empty)"]
    config = header.get("config") or {}
    inputs = [(label, str(config[key])) for label, key in (("English", "source"), ("Korean", "target"))
              if config.get(key)]
    if not inputs:  # the bundled sample, or documents not read from files named in the config
        inputs = [(label, Path(doc.path).name) for label, doc in (("English", source), ("Korean", target))
                  if doc is not None and doc.path]
    counter = [0]
    documents = []
    for doc_id in summary.doc_ids:
        doc_pairs = sorted((p for p in pairs if p.doc_id == doc_id), key=lambda p: p.position)
        doc_target = target if target is not None and target.doc_id == doc_id else None
        sections = _document_sections(doc_pairs, doc_target, reference, counter, decisions)
        documents.append({"id": doc_id, "chunks": _chunks(sections)})
    context = {
        "title": title or f"mtreview · {', '.join(doc_ids)}", "inputs": inputs,
        "version": str(header.get("mtreview", "")),
        "generated": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "css": asset("report.css"), "js": asset("report.js"),
        "extra_head": Markup(extra_head), "extra_top": Markup(extra_top), "extra_body": Markup(extra_body),
        "top": _top_context(pairs, top_n), "n_flagged": summary.n_flagged,
        **_summary_context(summary, pairs, reference), **_names_context(glossary_proposals, decisions),
        "filters": _filters_context(pairs), "documents": documents,
    }
    return _environment().get_template("report.html.j2").render(context) + "\n"


def write_html_report(path: str | Path, header: dict[str, Any] | None, pairs: Sequence[ReviewedPair], *,
                      target: Document | None = None, source: Document | None = None,
                      glossary_proposals: Sequence[dict[str, Any]] | None = None,
                      reference: ReferenceScores | None = None, title: str | None = None,
                      decisions: Decisions | None = None) -> Path:
    """Write the self-contained HTML report to ``path`` atomically and return the path.

    ``target``/``source`` are the reviewed documents when at hand (headings are
    shown as such); ``glossary_proposals`` are name-discovery proposals
    (objects with ``english``, ``variants`` canonical first, and ``counts`` as a
    ``{variant: n}`` object or a list parallel to ``variants``);
    ``reference`` the scores against a reference translation; ``decisions`` the
    reviewer's decisions (``mtreview serve``), shown on the findings and proposals they concern.
    """
    text = render_html_report(header, pairs, target=target, source=source, glossary_proposals=glossary_proposals,
                              reference=reference, title=title, decisions=decisions)
    with atomic_write(path) as fh:
        fh.write(text)
    return Path(path)
