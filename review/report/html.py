"""The HTML report: one self-contained file a reviewer opens offline.

Rendered here in Python (so the page reads fine even with scripts off) with
inline CSS, inline SVG and a small inline script for filters, sorting and
"next major finding".  Nothing is fetched from a network.

Layout: a summary (penalty per 100 words, counts by severity and category, a
histogram of garble scores, reference scores when given), the glossary panel,
then the document side by side, English | Korean, grouped by Korean paragraph.
Every finding is highlighted at its exact span; where spans overlap, the text
is cut at every span boundary and each piece lists all the findings covering
it (``data-f``), so a finding's highlight is the concatenation of its pieces.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from corpus.atomic import atomic_write
from corpus.records import Document
from review.checks.registry import is_informational
from review.decisions import Decisions, FindingDecision, finding_fingerprints, proposal_key
from review.records import Finding, ReviewedPair
from review.report.reference import ReferenceScores
from review.report.stats import (GARBLE_FLAG_THRESHOLD, Summary, is_flagged, pair_penalty, pair_priority,
                                 severity_rank, summarize)

_esc = html.escape


@dataclass(frozen=True)
class _Mark:
    """One span of one finding to highlight in one text."""

    start: int
    end: int
    finding_id: str
    finding: Finding
    false_alarm: bool = False  # a reviewer marked the finding as a false alarm


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


def highlight(text: str, marks: Sequence[_Mark]) -> str:
    """``text`` escaped, with every mark wrapped in ``<mark>``; overlapping marks are cut at boundaries."""
    if not marks:
        return _esc(text)
    bounds = {0, len(text)}
    for m in marks:
        bounds.update((m.start, m.end))
    cuts = sorted(bounds)
    zero = {}  # zero-width marks (an insertion point, e.g. a missing space) by position
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
        out.append(_mark_html(piece, covering) if covering else _esc(piece))
    return "".join(out)


def _mark_html(piece: str, covering: Sequence[_Mark]) -> str:
    worst = max((m.finding.severity for m in covering), key=severity_rank)
    ids = " ".join(dict.fromkeys(m.finding_id for m in covering))
    cls = f"hl sev-{worst.value}" + (" zero" if not piece else "") + \
        (" fa" if _all_false_alarms(covering) else "")
    return (f'<mark class="{cls}" data-f="{ids}" tabindex="0" '
            f'title="{_esc(_tooltip(m.finding for m in covering))}">{_esc(piece)}</mark>')


def _all_false_alarms(covering: Sequence[_Mark]) -> bool:
    """Whether a reviewer marked every finding covering a piece a false alarm (findings that only describe
    the input, such as no-source over a whole pair, do not count)."""
    counted = [m for m in covering if not is_informational(m.finding.check)]
    return bool(counted) and all(m.false_alarm for m in counted)


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


# --- summary pieces ------------------------------------------------------------------------------

def histogram_svg(summary: Summary, bins: int = 10) -> str:
    """An inline SVG bar chart of the garble scores (bins over [0, 1], the flag threshold dashed)."""
    if not summary.garble_scores:
        return '<p class="muted">No garble scores in this output.</p>'
    counts = summary.histogram(bins)
    width, height, pad_l, pad_b, pad_t = 340, 150, 34, 26, 14
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    top = max(counts) or 1
    bar_w = plot_w / bins
    parts = [f'<svg class="hist" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="Histogram of garble scores">',
             f'<title>Garble scores of {len(summary.garble_scores)} pairs</title>']
    for k, c in enumerate(counts):
        h = plot_h * c / top
        x = pad_l + k * bar_w
        y = pad_t + plot_h - h
        lo, hi = k / bins, (k + 1) / bins
        cls = "bar hot" if lo >= GARBLE_FLAG_THRESHOLD else "bar"
        parts.append(f'<rect class="{cls}" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}">'
                     f'<title>{lo:.1f}–{hi:.1f}: {c} pairs</title></rect>')
        if c:
            parts.append(f'<text class="cnt" x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}">{c}</text>')
    base = pad_t + plot_h
    parts.append(f'<line class="axis" x1="{pad_l}" y1="{base}" x2="{pad_l + plot_w}" y2="{base}"/>')
    for v in (0, 0.25, 0.5, 0.75, 1.0):
        x = pad_l + plot_w * v
        parts.append(f'<text class="tick" x="{x:.1f}" y="{base + 15}">{v:g}</text>')
    tx = pad_l + plot_w * GARBLE_FLAG_THRESHOLD
    parts.append(f'<line class="thr" x1="{tx:.1f}" y1="{pad_t - 6}" x2="{tx:.1f}" y2="{base}"/>')
    parts.append(f'<text class="ylab" x="4" y="{pad_t + 4}">{top}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar_rows(counts: dict[str, int], css_prefix: str) -> str:
    top = max(counts.values(), default=0) or 1
    rows = []
    for name, n in counts.items():
        rows.append(f'<tr><th scope="row"><span class="dot {css_prefix}-{_esc(name)}"></span>{_esc(name)}</th>'
                    f'<td class="num">{n}</td><td class="barcell">'
                    + (f'<span class="hbar {css_prefix}-{_esc(name)}" style="width:{100 * n / top:.1f}%"></span>'
                       if n else "") + '</td></tr>')
    return "".join(rows)


def _summary_html(summary: Summary, reference: ReferenceScores | None) -> str:
    cards = [
        ("Pairs", f"{summary.n_pairs}", f"{summary.n_with_source} with English · {summary.n_no_source} without"),
        ("Flagged", f"{summary.n_flagged}", f"{100 * summary.flagged_share:.1f}% of pairs worth fixing"),
        ("Findings", f"{summary.n_findings}", " · ".join(f"{v} {k}" for k, v in summary.by_severity.items())),
        ("MQM penalty / 100 words", f"{summary.penalty_per_100_words:.2f}",
         f"penalty {summary.penalty:g} over {summary.words} words"),
    ]
    if reference is not None and reference.corpus_chrf is not None:
        cards.append(("chrF / BLEU vs reference", f"{reference.corpus_chrf:.1f} / {reference.corpus_bleu:.1f}",
                      f"{len(reference.pairs)} pairs matched to the reference"))
    card_html = "".join(f'<div class="card"><div class="card-label">{_esc(a)}</div>'
                        f'<div class="card-value">{_esc(b)}</div><div class="card-note">{_esc(c)}</div></div>'
                        for a, b, c in cards)
    checks = summary.by_check or {}
    check_rows = "".join(f'<tr><th scope="row"><code>{_esc(k)}</code></th><td class="num">{v}</td></tr>'
                         for k, v in checks.items()) or '<tr><td class="muted">No findings.</td></tr>'
    ref_html = ""
    if reference is not None:
        ref_html = (
            '<div class="panel-block wide"><h3>Reference</h3>'
            f'<p><code>{_esc(reference.path)}</code>: {len(reference.pairs)} pairs scored '
            f'({_esc(reference.method)} alignment; {reference.n_reference_unmatched} of '
            f'{reference.n_reference_segments} reference sentences unmatched).</p>'
            + ("<dl class=\"sig\">"
               f"<dt>chrF {_fmt(reference.corpus_chrf)}</dt><dd><code>{_esc(reference.chrf_signature)}</code></dd>"
               f"<dt>BLEU {_fmt(reference.corpus_bleu)}</dt><dd><code>{_esc(reference.bleu_signature)}</code></dd>"
               f"<dt>TER (per pair)</dt><dd><code>{_esc(reference.ter_signature)}</code></dd>"
               "</dl>" if reference.corpus_chrf is not None else "<p class=\"muted\">No pair matched.</p>")
            + "</div>")
    return (
        f'<section id="summary" class="panel"><h2>Summary</h2><div class="cards">{card_html}</div>'
        '<div class="panel-grid">'
        f'<div class="panel-block"><h3>By severity</h3><table class="bars">{_bar_rows(summary.by_severity, "sev")}'
        '</table></div>'
        f'<div class="panel-block"><h3>By category</h3><table class="bars">{_bar_rows(summary.by_category, "cat")}'
        '</table></div>'
        f'<div class="panel-block"><h3>By check</h3><table class="checks">{check_rows}</table></div>'
        f'<div class="panel-block"><h3>Garble scores</h3>{histogram_svg(summary)}'
        + (f'<p class="muted small">Dashed line: the worklist threshold ({GARBLE_FLAG_THRESHOLD:g}).</p>'
           if summary.garble_scores else "") + '</div>'
        f'{ref_html}</div></section>')


def _proposal_counts(prop: dict[str, Any]) -> list[tuple[str, int | None]]:
    variants = [str(v) for v in prop.get("variants") or []]
    counts = prop.get("counts")
    if isinstance(counts, dict):
        return [(v, counts.get(v)) for v in variants] + \
            [(str(k), c) for k, c in counts.items() if k not in variants]
    if isinstance(counts, list) and len(counts) == len(variants):
        return list(zip(variants, counts))
    return [(v, None) for v in variants]


def _glossary_html(proposals: Sequence[dict[str, Any]] | None, decisions: Decisions | None = None) -> str:
    if proposals is None:
        body = '<p class="muted">No glossary proposals in this run.</p>'
    elif not proposals:
        body = '<p class="muted">Name discovery proposed no entries.</p>'
    else:
        rows = []
        for prop in sorted(proposals, key=lambda p: (-len(p.get("variants") or []),
                                                     -sum(c or 0 for _, c in _proposal_counts(p)))):
            vc = _proposal_counts(prop)
            chips = "".join(
                f'<button type="button" class="chip{" canon" if k == 0 else ""}" data-q="{_esc(v)}" '
                f'title="Show the pairs containing {_esc(v)}">{_esc(v)}'
                + (f'<span class="chip-n">×{c}</span>' if c is not None else "") + "</button>"
                for k, (v, c) in enumerate(vc))
            english = prop.get("english")
            flag = ' <span class="tag warn">variants</span>' if len(vc) > 1 else ""
            key = proposal_key(prop)
            decided = decisions.proposals.get(key) if decisions else None
            if decided is not None:
                flag += (f' <span class="tag dec dec-{decided.verdict}" title="{_esc(decided.updated_at)}">'
                         f'{decided.verdict}</span>')
            rows.append(f'<tr data-key="{_esc(key)}"'
                        + (f' data-decision="{decided.verdict}"' if decided else "")
                        + (f' data-glossary-id="{_esc(str(prop["glossary_id"]))}"' if prop.get("glossary_id") else "")
                        + f'><td class="gl-en">{_esc(str(english)) if english else "<span class=muted>unknown</span>"}'
                        f'{flag}</td><td>{chips}</td><td class="num">{sum(c or 0 for _, c in vc)}</td></tr>')
        body = ('<table class="gloss"><thead><tr><th>English</th><th>Spellings found (proposed canonical first)</th>'
                f'<th class="num">Uses</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    n = "" if not proposals else f" ({len(proposals)})"
    return f'<details id="glossary" class="panel" open><summary><h2>Names{n}</h2></summary>{body}</details>'


# --- the document ----------------------------------------------------------------------------------

def _finding_item(fid: str, f: Finding, located: bool, fingerprint: str = "",
                  decision: FindingDecision | None = None) -> str:
    sugg = f'<div class="sugg">Suggestion: <span lang="ko">{_esc(f.suggestion)}</span></div>' if f.suggestion else ""
    where = "" if located else ' <span class="muted small">(span not found in text)</span>'
    verdict = decision.verdict if decision else None
    dec_cls = f" dec-{verdict}" if verdict else ""
    dec_html = ""
    if decision is not None:  # the reviewer's decision (``mtreview serve``)
        label = {"confirmed": "confirmed", "false_alarm": "false alarm"}.get(verdict or "", "note")
        dec_html = (f' <span class="dec-tag dec-{verdict or "noted"}" title="Reviewer decision, '
                    f'{_esc(decision.updated_at)}">{label}</span>'
                    + (f'<div class="dec-note">Note: {_esc(decision.note)}</div>' if decision.note else ""))
    return (f'<li class="finding sev-{f.severity.value}{dec_cls}" data-f="{fid}" data-fp="{fingerprint}" '
            + (f'data-decision="{verdict}" ' if verdict else "")
            + f'data-sev="{f.severity.value}" data-cat="{f.category.value}" data-check="{_esc(f.check)}">'
            f'<span class="badge sev-{f.severity.value}">{f.severity.value}</span> '
            f'<code class="chk">{_esc(f.check)}</code> <span class="cat">{f.category.value}</span> '
            f'<span class="msg">{_esc(f.message)}</span>{where}{dec_html}{sugg}</li>')


def _reference_html(mt: str, ref: str) -> str:
    """The reference as a post-edit of the MT: what the editor deleted struck out, what they added marked."""
    if mt.split() == ref.split():
        return '<div class="ref same"><span class="ref-label">Reference</span> identical</div>'
    parts = []
    sm = difflib.SequenceMatcher(None, mt, ref, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            parts.append(_esc(ref[j1:j2]))
            continue
        if i2 > i1:
            parts.append(f"<del>{_esc(mt[i1:i2])}</del>")
        if j2 > j1:
            parts.append(f"<ins>{_esc(ref[j1:j2])}</ins>")
    return (f'<div class="ref" lang="ko" title="The reference, as edits of the machine translation">'
            f'<span class="ref-label">Reference</span> {"".join(parts)}</div>')


def _pair_html(pair: ReviewedPair, para: int | None, first_id: int, reference: ReferenceScores | None,
               heading: bool = False, decisions: Decisions | None = None) -> str:
    tgt_marks, src_marks, items = [], [], []
    fingerprints = finding_fingerprints(pair)
    for k, f in enumerate(pair.findings):
        fid = f"f{first_id + k}"
        decision = decisions.findings.get(fingerprints[k]) if decisions else None
        false_alarm = decision is not None and decision.verdict == "false_alarm"
        located = not (f.tgt_spans or f.src_spans)
        for spans, text, marks in ((f.tgt_spans, pair.tgt, tgt_marks), (f.src_spans, pair.src, src_marks)):
            for s in spans:
                where = _locate(text, s.start, s.end, s.text)
                if where is not None:
                    marks.append(_Mark(where[0], where[1], fid, f, false_alarm))
                    located = True
        items.append((f, fid, located, fingerprints[k], decision))
    items.sort(key=lambda t: -severity_rank(t[0].severity))
    sevs = sorted({f.severity.value for f in pair.findings})
    cats = sorted({f.category.value for f in pair.findings})
    checks = sorted({f.check for f in pair.findings})
    no_source = not pair.src.strip()
    classes = ["pair", "heading"] if heading and pair.tgt.strip() else ["pair"]
    if is_flagged(pair):
        classes.append("flagged")
    if no_source:
        classes.append("nosrc")
    if pair.findings:
        classes.append("sev-" + max((f.severity for f in pair.findings), key=severity_rank).value)
    if no_source:
        label = "no source" if pair.no_source else "no English"
        why = ("The English source is not available for this part of the document; checks that need no "
               "English still ran." if pair.no_source else "No English was aligned to this Korean.")
        src_cell = f'<span class="nosrc-tag" title="{_esc(why)}">{label}</span>'
    else:
        src_cell = highlight(pair.src, src_marks)
    tgt_cell = highlight(pair.tgt, tgt_marks) if pair.tgt.strip() else '<span class="nosrc-tag">no Korean</span>'
    ref = reference.pairs.get(pair.id) if reference else None
    meta = [f'<span class="pos">#{pair.position}</span>']
    if para is not None:
        meta.append(f'<span class="pn">¶{para}</span>')
    prio = pair_priority(pair)
    meta.append(f'<span title="Review priority (higher: read first)">prio <b>{_fmt(prio)}</b></span>')
    if pair.findings:
        meta.append(f'<span title="MQM penalty">pen {_fmt(pair_penalty(pair))}</span>')
    if pair.score is not None:
        hot = " hot" if pair.score >= GARBLE_FLAG_THRESHOLD else ""
        meta.append(f'<span class="garble{hot}" title="Garble score (0 clean, 1 garbled)">garble {pair.score:.2f}</span>')
    if ref is not None:
        meta.append(f'<span title="chrF against the reference">chrF {ref.chrf:.1f}</span>')
        if ref.ter is not None:
            meta.append(f'<span title="TER against the reference (edits per 100 reference words)">'
                        f'TER {ref.ter:.1f}</span>')
    ref_html = _reference_html(pair.tgt, ref.ref) if ref is not None else ""
    findings_html = ("<ul class=\"findings\">" + "".join(_finding_item(fid, f, loc, fp, dec) for f, fid, loc, fp, dec in items)
                     + "</ul>") if items else ""
    return (f'<article class="{" ".join(classes)}" id="pair-{_esc(pair.id)}" data-pos="{pair.position}" '
            f'data-doc="{_esc(pair.doc_id)}" data-priority="{prio:.6g}" data-para="{"" if para is None else para}" '
            f'data-sev="{" ".join(sevs)}" data-cat="{" ".join(cats)}" data-check="{_esc(" ".join(checks))}">'
            f'<div class="meta">{"".join(meta)}</div>'
            f'<div class="src" lang="en">{src_cell}</div>'
            f'<div class="tgt" lang="ko">{tgt_cell}{ref_html}</div>'
            f'{findings_html}</article>')


def _document_html(pairs: Sequence[ReviewedPair], target: Document | None,
                   reference: ReferenceScores | None, counter: list[int], decisions: Decisions | None = None) -> str:
    headings = {p.index for p in target.paragraphs if p.heading} if target is not None else set()
    paras = _paragraph_of(pairs)
    out, current, open_section = [], object(), False
    for pair, para in zip(pairs, paras):
        if para != current:
            if open_section:
                out.append("</section>")
            current = para
            head = "heading" if para in headings else ""
            label = f"¶ {para}" if para is not None else "Unplaced"
            out.append(f'<section class="para {head}" data-para="{"" if para is None else para}">'
                       f'<div class="para-head">{label}{" · heading" if head else ""}</div>')
            open_section = True
        out.append(_pair_html(pair, para, counter[0], reference, pair.paragraph in headings, decisions))
        counter[0] += len(pair.findings)
    if open_section:
        out.append("</section>")
    return "".join(out)


def _toolbar_html(summary: Summary) -> str:
    sev = "".join(f'<label class="tog sev-{s}"><input type="checkbox" name="sev" value="{s}" checked> {s} '
                  f'<span class="n">{n}</span></label>' for s, n in summary.by_severity.items())
    cat = "".join(f'<label class="tog"><input type="checkbox" name="cat" value="{c}" checked> {c} '
                  f'<span class="n">{n}</span></label>' for c, n in summary.by_category.items() if n)
    chk = "".join(f'<label class="tog"><input type="checkbox" name="check" value="{_esc(c)}" checked> '
                  f'<code>{_esc(c)}</code> <span class="n">{n}</span></label>' for c, n in summary.by_check.items())
    return (
        '<div id="toolbar" role="toolbar" aria-label="Filters">'
        f'<div class="grp"><span class="grp-label">Severity</span>{sev}</div>'
        f'<div class="grp"><span class="grp-label">Category</span>{cat or "<span class=muted>none</span>"}</div>'
        f'<details class="grp drop"><summary>Checks ({len(summary.by_check)})</summary><div class="drop-body">'
        '<div class="drop-actions"><button type="button" id="checks-all">All</button>'
        f'<button type="button" id="checks-none">None</button></div>{chk or "<span class=muted>none</span>"}'
        '</div></details>'
        '<div class="grp"><label>Show <select id="show"><option value="all">all pairs</option>'
        '<option value="flagged">pairs with matching findings</option></select></label>'
        '<label>Sort <select id="sort"><option value="doc">document order</option>'
        '<option value="priority">priority (highest first)</option></select></label>'
        '<input type="search" id="q" placeholder="Find text…" aria-label="Find text"></div>'
        '<div class="grp nav"><button type="button" id="prev-major" title="Previous major or critical finding (p)">'
        '◀ Prev</button><button type="button" id="next-major" class="primary" '
        'title="Next major or critical finding (n)">Next major ▶</button>'
        '<span id="shown" aria-live="polite"></span></div></div>')


_CSS = """
:root{--bg:#f6f7f9;--panel:#fff;--ink:#1d2330;--muted:#6b7280;--line:#e3e6eb;--accent:#2456c9;
--crit:#b3261e;--crit-bg:#fbe4e2;--maj:#c25e00;--maj-bg:#fdebd6;--min:#8a6d00;--min-bg:#fbf3c6;
--font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans KR","Noto Sans CJK KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.55 var(--font)}
header.top{background:#1f2a44;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:19px;font-weight:600}
header.top .sub{color:#c7cfdf;font-size:12.5px;margin-top:2px}
header.top code{color:#e6ecf7}
main{max-width:1500px;margin:0 auto;padding:16px 24px 80px}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin-bottom:14px}
.panel h2{font-size:15px;margin:0 0 10px;display:inline-block}
.panel h3{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}
.card{flex:1 1 170px;border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fbfcfd}
.card-label{font-size:11.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card-value{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.card-note{font-size:12px;color:var(--muted)}
.panel-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:14px 24px}
.panel-block.wide{grid-column:1/-1}
table{border-collapse:collapse}
table.bars{width:100%}
table.bars th,table.checks th{text-align:left;font-weight:500;padding:2px 8px 2px 0;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;padding:2px 8px}
td.barcell{width:60%}
.hbar{display:block;height:9px;border-radius:5px;background:#9aa7bd;min-width:1px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px;background:#9aa7bd}
.sev-critical.hbar,.sev-critical.dot{background:var(--crit)}.sev-major.hbar,.sev-major.dot{background:var(--maj)}
.sev-minor.hbar,.sev-minor.dot{background:#d4b106}
table.checks{font-size:13px}
.hist .bar{fill:#8fa3c7}.hist .bar.hot{fill:var(--crit)}.hist .axis{stroke:#9aa0aa}
.hist .thr{stroke:var(--crit);stroke-dasharray:4 3}.hist text{font-size:10px;fill:var(--muted);text-anchor:middle}
.hist .ylab{text-anchor:start}
dl.sig{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:6px 0 0}
dl.sig dt{font-weight:600}dl.sig dd{margin:0}
details.panel>summary{cursor:pointer;list-style:none}
details.panel>summary::-webkit-details-marker{display:none}
details.panel>summary h2::before{content:"▸ ";color:var(--muted)}details.panel[open]>summary h2::before{content:"▾ "}
table.gloss{width:100%;font-size:13.5px}
table.gloss th{text-align:left;font-size:12px;color:var(--muted);font-weight:500;border-bottom:1px solid var(--line);padding:4px 8px}
table.gloss td{border-bottom:1px solid #f0f1f4;padding:5px 8px;vertical-align:top}
.chip{font:inherit;border:1px solid var(--line);background:#f3f5f9;border-radius:12px;padding:1px 9px;margin:1px 4px 1px 0;cursor:pointer}
.chip.canon{background:#e5edff;border-color:#b9cbf5;font-weight:600}
.chip:hover{border-color:var(--accent)}.chip-n{color:var(--muted);margin-left:4px;font-weight:400;font-size:12px}
.tag{font-size:11px;border-radius:4px;padding:0 5px;margin-left:4px}.tag.warn{background:var(--maj-bg);color:var(--maj)}
#toolbar{position:sticky;top:0;z-index:10;background:rgba(255,255,255,.97);border:1px solid var(--line);border-radius:8px;
padding:8px 12px;margin-bottom:12px;display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;box-shadow:0 2px 6px rgba(20,30,50,.06)}
.grp{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center}
.grp-label{font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.tog{border:1px solid var(--line);border-radius:14px;padding:1px 9px 1px 6px;cursor:pointer;white-space:nowrap;font-size:13px}
.tog .n{color:var(--muted);font-size:12px}
.tog.sev-critical{border-color:#eab2ad}.tog.sev-major{border-color:#f1c896}.tog.sev-minor{border-color:#e6d690}
details.drop{position:relative}details.drop>summary{cursor:pointer;border:1px solid var(--line);border-radius:6px;padding:2px 10px;font-size:13px}
.drop-body{position:absolute;top:30px;left:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px;
max-height:320px;overflow:auto;box-shadow:0 6px 18px rgba(20,30,50,.15);display:flex;flex-direction:column;gap:4px;min-width:230px}
.drop-actions{display:flex;gap:6px;margin-bottom:4px}
select,input[type=search],button{font:inherit;font-size:13px}
select,input[type=search]{border:1px solid var(--line);border-radius:6px;padding:2px 6px;background:#fff}
input[type=search]{width:170px}
button{border:1px solid var(--line);background:#fff;border-radius:6px;padding:3px 10px;cursor:pointer}
button:hover{border-color:var(--accent)}button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
#shown{color:var(--muted);font-size:12.5px;margin-left:6px}
.colhead{display:grid;grid-template-columns:92px 1fr 1fr;gap:0 14px;font-size:12px;text-transform:uppercase;
letter-spacing:.05em;color:var(--muted);padding:0 12px 4px}
.para{background:var(--panel);border:1px solid var(--line);border-radius:8px;margin-bottom:10px;overflow:hidden}
.para-head{font-size:11.5px;color:var(--muted);background:#f9fafb;border-bottom:1px solid var(--line);padding:3px 12px}
.pair.heading .src,.pair.heading>.tgt{font-weight:650}.pair.heading .ref{font-weight:400}
.pair{display:grid;grid-template-columns:92px 1fr 1fr;gap:4px 14px;padding:8px 12px;border-bottom:1px solid #f0f1f4;
border-left:3px solid transparent;scroll-margin-top:120px}
.pair:last-child{border-bottom:0}
.pair.sev-critical{border-left-color:var(--crit)}.pair.sev-major{border-left-color:var(--maj)}.pair.sev-minor{border-left-color:#d4b106}
.pair.hidden{display:none}.pair.dim{opacity:.5}
.pair.flash{animation:flash 1.4s ease-out}@keyframes flash{0%{background:#fff5c2}100%{background:transparent}}
.meta{font-size:11.5px;color:var(--muted);display:flex;flex-direction:column;gap:1px;font-variant-numeric:tabular-nums}
.meta .pos{color:var(--ink);font-weight:600}.meta .garble.hot{color:var(--crit);font-weight:600}
.src{color:#2b3345}.tgt{font-size:15px}
.nosrc-tag{display:inline-block;font-size:11.5px;color:var(--muted);border:1px dashed #c5cad3;border-radius:4px;padding:0 6px}
.ref{margin-top:4px;font-size:13px;color:#4b5563;border-left:2px solid #c7d2e5;padding-left:8px}
.ref ins{background:#d9f2e1;color:#14532d;text-decoration:none;border-radius:2px}
.ref del{background:#fbe0de;color:#8a1c14;border-radius:2px}
.ref.same{border-left-color:#d9f2e1}
.ref-label{font-size:10.5px;text-transform:uppercase;color:var(--muted);letter-spacing:.04em}
mark.hl{background:var(--min-bg);color:inherit;border-bottom:2px solid #d4b106;border-radius:2px;cursor:pointer;padding:0 1px}
mark.hl.sev-major{background:var(--maj-bg);border-bottom-color:var(--maj)}
mark.hl.sev-critical{background:var(--crit-bg);border-bottom-color:var(--crit)}
mark.hl.zero::after{content:"‸";color:var(--crit);font-weight:700}
mark.hl.off{background:transparent;border-bottom-color:transparent;cursor:auto}
mark.hl.active,li.finding.active{outline:2px solid var(--accent);outline-offset:1px}
ul.findings{grid-column:2/4;list-style:none;margin:2px 0 0;padding:0;display:flex;flex-direction:column;gap:2px}
li.finding{font-size:12.5px;padding:2px 6px;border-radius:4px;background:#fafbfc;cursor:pointer}
li.finding.off{display:none}
li.finding.dec-false_alarm{opacity:.6}li.finding.dec-false_alarm .msg{text-decoration:line-through}
.dec-tag{display:inline-block;font-size:10.5px;border-radius:3px;padding:0 5px;margin-left:4px;font-weight:600}
.dec-tag.dec-confirmed{background:#d9f2e1;color:#14532d}.dec-tag.dec-false_alarm{background:#e5e7eb;color:#374151}
.dec-tag.dec-noted{background:#e5edff;color:#1f3d7a}.dec-note{color:#1f3d7a;margin-left:4px;font-style:italic}
mark.hl.fa{background:transparent;border-bottom:2px dotted #9aa0aa}
.tag.dec-accepted{background:#d9f2e1;color:#14532d}.tag.dec-rejected{background:#e5e7eb;color:#374151}
.badge{display:inline-block;font-size:10.5px;text-transform:uppercase;letter-spacing:.03em;border-radius:3px;padding:0 5px;font-weight:600}
.badge.sev-critical{background:var(--crit);color:#fff}.badge.sev-major{background:var(--maj);color:#fff}.badge.sev-minor{background:#e9d76a;color:#4a3b00}
code.chk{font-size:12px;color:#1f3d7a}.cat{color:var(--muted);font-size:11.5px}
.sugg{color:#17633a;margin-left:4px}
.muted{color:var(--muted)}.small{font-size:12px}
body:not(.by-priority) .meta .pn{display:none}
#flat{display:none}body.by-priority #flat{display:block}body.by-priority #doc{display:none}
#flat .pair{background:var(--panel);border:1px solid var(--line);border-radius:8px;margin-bottom:6px}
#empty{display:none;padding:20px;text-align:center;color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
kbd{border:1px solid #c9ced6;border-bottom-width:2px;border-radius:3px;padding:0 4px;font-size:11px}
@media (max-width:900px){.pair,.colhead{grid-template-columns:1fr}.pair .meta{flex-direction:row;gap:8px}ul.findings{grid-column:1}}
@media print{#toolbar{display:none}.pair.hidden{display:grid}}
"""

_JS = r"""
(function(){
'use strict';
var doc=document.getElementById('doc'), flat=document.getElementById('flat');
var pairs=Array.prototype.slice.call(document.querySelectorAll('article.pair'));
var homes=pairs.map(function(p){return p.parentNode;});
var texts=pairs.map(function(p){return p.textContent.toLowerCase();});
var byFinding={};
pairs.forEach(function(p){
  p.querySelectorAll('li.finding').forEach(function(li){byFinding[li.getAttribute('data-f')]=li;});
});
function checked(name){
  var s={};document.querySelectorAll('#toolbar input[name="'+name+'"]').forEach(function(i){if(i.checked)s[i.value]=1;});
  return s;
}
function apply(){
  var sev=checked('sev'),cat=checked('cat'),chk=checked('check');
  var show=document.getElementById('show').value;
  var q=document.getElementById('q').value.trim().toLowerCase();
  var n=0;
  pairs.forEach(function(p,idx){
    var on={},any=false,has=false;
    p.querySelectorAll('li.finding').forEach(function(li){
      has=true;
      var ok=sev[li.getAttribute('data-sev')]&&cat[li.getAttribute('data-cat')]&&chk[li.getAttribute('data-check')];
      li.classList.toggle('off',!ok);
      if(ok){on[li.getAttribute('data-f')]=1;any=true;}
    });
    p.querySelectorAll('mark.hl').forEach(function(m){
      var ids=m.getAttribute('data-f').split(' '),vis=false;
      for(var k=0;k<ids.length;k++){if(on[ids[k]]){vis=true;break;}}
      m.classList.toggle('off',!vis);
    });
    var match=!q||texts[idx].indexOf(q)>=0;
    var visible=match&&(show==='all'||any);
    p.classList.toggle('hidden',!visible);
    p.classList.toggle('dim',visible&&has&&!any);
    if(visible)n++;
  });
  document.querySelectorAll('section.para').forEach(function(s){
    s.style.display=s.querySelector('article.pair:not(.hidden)')?'':'none';
  });
  document.getElementById('shown').textContent=n+' of '+pairs.length+' pairs shown';
  document.getElementById('empty').style.display=n?'none':'block';
}
function sortPairs(){
  var mode=document.getElementById('sort').value;
  if(mode==='priority'){
    var order=pairs.slice().sort(function(a,b){
      return (parseFloat(b.getAttribute('data-priority'))-parseFloat(a.getAttribute('data-priority')))||
             (pairs.indexOf(a)-pairs.indexOf(b));});
    order.forEach(function(p){flat.appendChild(p);});
    document.body.classList.add('by-priority');
  }else{
    pairs.forEach(function(p,k){homes[k].appendChild(p);});
    document.body.classList.remove('by-priority');
  }
}
function clearActive(){document.querySelectorAll('.active').forEach(function(e){e.classList.remove('active');});}
function activate(ids){
  clearActive();
  ids.forEach(function(id){
    if(byFinding[id])byFinding[id].classList.add('active');
    document.querySelectorAll('mark.hl').forEach(function(m){
      if((' '+m.getAttribute('data-f')+' ').indexOf(' '+id+' ')>=0)m.classList.add('active');});
  });
}
document.addEventListener('click',function(e){
  var m=e.target.closest('mark.hl');
  if(m&&!m.classList.contains('off')){activate(m.getAttribute('data-f').split(' '));return;}
  var li=e.target.closest('li.finding');
  if(li){activate([li.getAttribute('data-f')]);return;}
  var chip=e.target.closest('.chip');
  if(chip){var q=document.getElementById('q');q.value=chip.getAttribute('data-q');apply();
    document.getElementById('toolbar').scrollIntoView();}
});
function majors(){
  return pairs.filter(function(p){
    if(p.classList.contains('hidden'))return false;
    return !!p.querySelector('li.finding.sev-major:not(.off),li.finding.sev-critical:not(.off)');
  }).sort(function(a,b){return a.compareDocumentPosition(b)&Node.DOCUMENT_POSITION_FOLLOWING?-1:1;});
}
var current=null;
function jump(dir){
  var list=majors();if(!list.length)return;
  var k=current?list.indexOf(current):-1, target;
  if(k<0){
    var top=document.getElementById('toolbar').getBoundingClientRect().bottom+4;
    if(dir>0){target=list.filter(function(p){return p.getBoundingClientRect().top>top;})[0]||list[0];}
    else{var before=list.filter(function(p){return p.getBoundingClientRect().top<top-8;});target=before[before.length-1]||list[list.length-1];}
  }else{target=list[(k+dir+list.length)%list.length];}
  current=target;
  target.scrollIntoView({block:'start'});
  target.classList.remove('flash');void target.offsetWidth;target.classList.add('flash');
  var ids=[];target.querySelectorAll('li.finding.sev-major:not(.off),li.finding.sev-critical:not(.off)').forEach(function(li){ids.push(li.getAttribute('data-f'));});
  activate(ids);
}
document.getElementById('next-major').addEventListener('click',function(){jump(1);});
document.getElementById('prev-major').addEventListener('click',function(){jump(-1);});
document.addEventListener('keydown',function(e){
  var t=e.target.tagName;if(t==='INPUT'||t==='SELECT'||t==='TEXTAREA'||e.ctrlKey||e.metaKey||e.altKey)return;
  if(e.key==='Enter'&&e.target.matches&&e.target.matches('mark.hl')){activate(e.target.getAttribute('data-f').split(' '));return;}
  if(e.key==='n'){jump(1);e.preventDefault();}else if(e.key==='p'){jump(-1);e.preventDefault();}
  else if(e.key==='/'){document.getElementById('q').focus();e.preventDefault();}
});
document.getElementById('toolbar').addEventListener('change',function(e){
  if(e.target.id==='sort'){sortPairs();}
  current=null;apply();
});
document.getElementById('q').addEventListener('input',function(){current=null;apply();});
function setChecks(v){document.querySelectorAll('#toolbar input[name="check"]').forEach(function(i){i.checked=v;});current=null;apply();}
document.getElementById('checks-all').addEventListener('click',function(){setChecks(true);});
document.getElementById('checks-none').addEventListener('click',function(){setChecks(false);});
window.addEventListener('scroll',function(){if(current){var r=current.getBoundingClientRect();if(r.bottom<0||r.top>window.innerHeight)current=null;}},{passive:true});
apply();
})();
"""


def render_html_report(header: dict[str, Any] | None, pairs: Sequence[ReviewedPair], *,
                       target: Document | None = None, source: Document | None = None,
                       glossary_proposals: Sequence[dict[str, Any]] | None = None,
                       reference: ReferenceScores | None = None, title: str | None = None,
                       decisions: Decisions | None = None, extra_head: str = "", extra_top: str = "",
                       extra_body: str = "") -> str:
    """The whole report as one HTML string (see :func:`write_html_report`).

    ``extra_head``/``extra_top``/``extra_body`` are HTML added at the end of the
    head, at the top of the main column and at the end of the body (``mtreview
    serve`` adds its decision controls there).
    """
    header = header or {}
    pairs = list(pairs)
    summary = summarize(pairs)
    doc_ids = list(summary.doc_ids) or ["(empty)"]
    title = title or f"mtreview · {', '.join(doc_ids)}"
    config = header.get("config") or {}
    inputs = [f"{label} <code>{_esc(str(config[key]))}</code>" for label, key in
              (("English", "source"), ("Korean", "target")) if config.get(key)]
    if not inputs:  # the bundled sample, or documents not read from files named in the config
        inputs = [f"{label} <code>{_esc(Path(doc.path).name)}</code>" for label, doc in
                  (("English", source), ("Korean", target)) if doc is not None and doc.path]
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sub = " · ".join(inputs + [f"mtreview {_esc(str(header.get('mtreview', '')))}", f"generated {generated}"])
    counter = [0]
    body = []
    for doc_id in summary.doc_ids:
        doc_pairs = sorted((p for p in pairs if p.doc_id == doc_id), key=lambda p: p.position)
        doc_target = target if target is not None and target.doc_id == doc_id else None
        if len(summary.doc_ids) > 1:
            body.append(f'<h2 class="doc-title">{_esc(doc_id)}</h2>')
        body.append(_document_html(doc_pairs, doc_target, reference, counter, decisions))
    top = [p for p in sorted(pairs, key=lambda p: -pair_priority(p)) if is_flagged(p)][:1]
    hint = ("" if not top else
            f' The highest-priority pair is <a href="#pair-{_esc(top[0].id)}">#{top[0].position}</a>.')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<meta name=\"generator\" content=\"mtreview\">"
        f"<title>{_esc(title)}</title><style>{_CSS}</style>{extra_head}</head><body>"
        f'<header class="top"><h1>{_esc(title)}</h1><div class="sub">{sub}</div></header><main>'
        f"{extra_top}{_summary_html(summary, reference)}{_glossary_html(glossary_proposals, decisions)}"
        f"{_toolbar_html(summary)}"
        '<p class="muted small">Hover or click a highlight for the finding; <kbd>n</kbd>/<kbd>p</kbd> jump to the '
        f'next/previous major or critical finding, <kbd>/</kbd> finds text.{hint}</p>'
        '<div class="colhead"><span></span><span>English</span><span>Korean</span></div>'
        f'<div id="doc">{"".join(body)}</div><div id="flat"></div>'
        '<div id="empty">No pair matches the filters.</div></main>'
        f'<footer>Written by mtreview {_esc(str(header.get("mtreview", "")))}. Severity weights: minor 1, major 5, '
        'critical 25; penalty per 100 words uses English words where the pair has English, Korean words otherwise.'
        f"</footer><script>{_JS}</script>{extra_body}</body></html>\n")


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
