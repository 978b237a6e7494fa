"""The HTML report: well-formed, self-contained, every finding highlighted exactly at its span."""
from __future__ import annotations

import re
import time
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from _report_sample import sample_bitext, sample_pairs
from review.records import Severity
from review.report.html import _fmt, render_html_report, write_html_report
from review.report.stats import summarize

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PROPOSALS = [{"english": "Ivan Maisky", "variants": ["마이스키", "메이스키", "Maisky"],
              "counts": {"마이스키": 40, "메이스키": 31, "Maisky": 3}},
             {"english": None, "variants": ["드락스", "드랙스"], "counts": [2, 1]}]


class ReportParser(HTMLParser):
    """Checks nesting and collects, per pair and cell, the text offsets of every highlight piece."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.attrs_seen: list[tuple[str, str, str]] = []
        self.pair: str | None = None
        self.cell: str | None = None  # "src" / "tgt" while inside one (outside a nested .ref)
        self.cell_depth = 0
        self.in_ref = 0
        self.cell_pos = 0
        self.mark: dict | None = None
        self.marks: list[dict] = []  # {pair, cell, start, text, ids}
        self.cell_text: dict[tuple[str, str], str] = {}
        self.findings: dict[str, dict] = {}  # data-f -> attrs of the li
        self.articles: list[dict] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            self.attrs_seen.append((tag, k, v or ""))
        if "id" in a:
            self.ids.append(a["id"])
        if tag not in VOID:
            self.stack.append(tag)
        classes = (a.get("class") or "").split()
        if tag == "article" and "pair" in classes:
            self.pair = a["id"]
            self.articles.append(a)
        if tag == "div" and self.pair and self.cell is None and ("src" in classes or "tgt" in classes):
            self.cell = "src" if "src" in classes else "tgt"
            self.cell_depth = len(self.stack)
            self.cell_pos = 0
            self.cell_text[(self.pair, self.cell)] = ""
        elif tag == "div" and self.cell and "ref" in classes:
            self.in_ref = len(self.stack)
        if tag == "mark" and self.cell and not self.in_ref:
            self.mark = {"pair": self.pair, "cell": self.cell, "start": self.cell_pos, "text": "",
                         "ids": a["data-f"].split(), "class": classes}
        if tag == "li" and "finding" in classes:
            self.findings[a["data-f"]] = {**a, "pair": self.pair}

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
            return
        if self.in_ref and len(self.stack) == self.in_ref:
            self.in_ref = 0
        if self.cell and len(self.stack) == self.cell_depth:
            self.cell = None
        if tag == "mark" and self.mark is not None:
            self.marks.append(self.mark)
            self.mark = None
        if tag == "article":
            self.pair = None
        self.stack.pop()

    def handle_data(self, data):
        if self.cell and not self.in_ref:
            if self.mark is not None:
                self.mark["text"] += data
            key = (self.pair, self.cell)
            self.cell_text[key] += data
            self.cell_pos += len(data)


@pytest.fixture(scope="module")
def pairs():
    return sample_pairs()


@pytest.fixture(scope="module")
def report(pairs):
    b = sample_bitext()
    html = render_html_report({"mtreview": "test", "config": {"source": "maisky.en.txt", "target": "maisky.ko.txt"}},
                              pairs, target=b.target, source=b.source, glossary_proposals=PROPOSALS)
    parser = ReportParser()
    parser.feed(html)
    parser.close()
    return html, parser


def test_well_formed(report):
    html, parser = report
    assert html.startswith("<!DOCTYPE html>")
    assert parser.errors == []
    assert parser.stack == []
    assert len(parser.ids) == len(set(parser.ids)), "duplicate element ids"


def test_cells_hold_the_exact_pair_texts(report, pairs):
    _, parser = report
    for p in pairs:
        assert parser.cell_text[(f"pair-{p.id}", "tgt")] == p.tgt
        if p.src:
            assert parser.cell_text[(f"pair-{p.id}", "src")] == p.src


def test_every_finding_span_highlighted_exactly_once(report, pairs):
    _, parser = report
    n_findings = sum(len(p.findings) for p in pairs)
    assert len(parser.findings) == n_findings
    by_pair = {f"pair-{p.id}": p for p in pairs}
    checked = 0
    for fid, li in parser.findings.items():
        pair = by_pair[li["pair"]]
        # The marks of this finding, joined into runs, must be the spans of a finding of this check.
        for cell, spans_attr in (("tgt", "tgt_spans"), ("src", "src_spans")):
            pieces = sorted((m for m in parser.marks if m["pair"] == li["pair"] and m["cell"] == cell
                             and fid in m["ids"]), key=lambda m: m["start"])
            runs: list[list] = []
            for m in pieces:
                if runs and runs[-1][1] == m["start"] and m["text"]:
                    runs[-1][1] += len(m["text"])
                    runs[-1][2] += m["text"]
                else:
                    runs.append([m["start"], m["start"] + len(m["text"]), m["text"]])
            candidates = [f for f in pair.findings if f.check == li["data-check"]
                          and f.severity.value == li["data-sev"]]
            expected = [[[s.start, s.end, s.text] for s in sorted(getattr(f, spans_attr), key=lambda s: s.start)]
                        for f in candidates]
            assert runs in expected, (fid, cell, runs, expected)
            checked += len(runs)
    assert checked == sum(len(f.tgt_spans) + len(f.src_spans) for p in pairs for f in p.findings)


def test_overlapping_and_zero_width_spans(report, pairs):
    _, parser = report
    shared = [m for m in parser.marks if len(m["ids"]) > 1]
    assert shared, "the repetition and the term-variant finding overlap: some piece must carry both"
    assert any(m["text"] == "레오니트 크라신" for m in shared)
    zero = [m for m in parser.marks if "zero" in m["class"]]
    assert len(zero) == 1 and zero[0]["text"] == ""
    pair = next(p for p in pairs if f"pair-{p.id}" == zero[0]["pair"])
    assert pair.tgt[zero[0]["start"] - 1: zero[0]["start"] + 2] == ".학생"


def test_escaping(report):
    html, parser = report
    assert "&lt;in this document&gt; &amp; more" in html
    assert "<in this document>" not in html
    titles = [v for tag, k, v in parser.attrs_seen if tag == "mark" and k == "title"]
    assert any('"국민"' in t for t in titles), "the parsed title keeps the quotes the raw HTML escapes"


def test_no_external_resources(report):
    html, parser = report
    for tag, key, value in parser.attrs_seen:
        if key in ("src", "href", "action", "data", "poster", "xlink:href"):
            assert value.startswith("#"), (tag, key, value)
    assert not any(tag in ("link", "iframe", "img") for tag, _, _ in parser.attrs_seen)
    assert not re.search(r"url\(|@import|<script[^>]+src", html)
    assert "http://" not in html.split("<main>")[0].split("</style>")[0]


def test_controls_present(report, pairs):
    html, parser = report
    for element_id in ("toolbar", "show", "sort", "q", "next-major", "prev-major", "checks-all", "checks-none",
                       "summary", "glossary", "doc", "flat"):
        assert element_id in parser.ids
    names = [v for tag, k, v in parser.attrs_seen if tag == "input" and k == "value"]
    for s in Severity:
        assert s.value in names
    checks = {f.check for p in pairs for f in p.findings}
    assert len(checks) >= 5  # the sample's findings come from many checks: a filter for each
    for check in checks:
        assert check in names
    assert 'value="priority"' in html


def test_no_source_pairs_marked(report, pairs):
    html, parser = report
    nosrc = [a for a in parser.articles if "nosrc" in a["class"].split()]
    assert len(nosrc) == sum(1 for p in pairs if not p.src) > 100
    assert html.count('class="nosrc-tag"') >= len(nosrc)


def test_summary_histogram_and_glossary(report, pairs):
    html, parser = report
    s = summarize(pairs)
    assert f"{s.penalty_per_100_words:.2f}" in html
    bars = re.findall(r'<rect class="bar[^"]*"[^>]*><title>([0-9.]+)–([0-9.]+): (\d+) pairs</title>', html)
    assert len(bars) == 10
    assert sum(int(n) for _, _, n in bars) == sum(1 for p in pairs if p.score is not None)
    assert "메이스키<span class=\"chip-n\">×31</span>" in html
    assert "드랙스<span class=\"chip-n\">×1</span>" in html
    sev_rows = re.findall(r'<th scope="row"><span class="dot sev-(\w+)"></span>\w+</th><td class="num">(\d+)</td>',
                          html)
    assert dict(sev_rows) == {k: str(v) for k, v in s.by_severity.items()}


def test_bad_span_offsets_fall_back_to_the_text(pairs):
    p = next(p for p in pairs if any(f.check == "untranslated" for f in p.findings))
    f = next(f for f in p.findings if f.check == "untranslated")
    moved = replace(f, tgt_spans=(replace(f.tgt_spans[0], start=0, end=len(f.tgt_spans[0].text)),))
    html = render_html_report({}, [replace(p, findings=(moved,))])
    assert ">Maisky</mark>" in html


def test_large_document_renders_fast(tmp_path, pairs):
    many = []
    for rep in range(3):
        for p in pairs:
            many.append(replace(p, id=f"big:{len(many)}", doc_id="big", position=len(many),
                                paragraph=(p.paragraph or 0) + rep * 1000))
    assert len(many) >= 500
    t0 = time.perf_counter()
    path = write_html_report(tmp_path / "report.html", {}, many)
    elapsed = time.perf_counter() - t0
    assert elapsed < 5, elapsed
    parser = ReportParser()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.errors == [] and parser.stack == []
    assert len(parser.articles) == len(many)


def test_reference_shown_as_post_edit(tmp_path, pairs):
    from review.report.reference import read_reference, score_reference
    from review.pipeline import sample_paths

    rep = "대사 레오니트 크라신 대사 레오니트 크라신"
    ref_path = tmp_path / "post.ko.txt"
    ref_path.write_text(sample_paths()[1].read_text(encoding="utf-8").replace(rep, "대사 레오니트 크라신"),
                        encoding="utf-8")
    subset = pairs[:20]
    scores = score_reference(subset, read_reference(ref_path), str(ref_path))
    html = render_html_report({}, subset, reference=scores)
    parser = ReportParser()
    parser.feed(html)
    assert parser.errors == [] and parser.stack == []
    assert html.count("<del>") == 1 and "<del> 대사 레오니트 크라신</del>" in html
    assert html.count("</span> identical</div>") == sum(1 for p in subset if p.tgt.strip() and rep not in p.tgt)
    assert f"<dt>chrF {_fmt(scores.corpus_chrf)}</dt>" in html and f"<dt>BLEU {_fmt(scores.corpus_bleu)}</dt>" in html
    assert scores.chrf_signature in html and scores.bleu_signature in html
    k = next(p for p in subset if rep in p.tgt)
    assert f"chrF {scores.pairs[k.id].chrf:.1f}" in html and f"TER {scores.pairs[k.id].ter:.1f}" in html
    # The cells still hold exactly the pair texts (the reference sits outside them).
    for p in subset:
        assert parser.cell_text[(f"pair-{p.id}", "tgt")] == p.tgt


def test_markup_in_the_texts_is_escaped():
    from corpus.records import Span
    from review.records import Category, Finding, ReviewedPair

    tgt = '마이스키 <script>alert(1)</script> & "따옴표" \'작은\' &amp; </div>'
    src = "Maisky <b>bold</b> & co"
    start = tgt.index("<script>")
    f = Finding("encoding", Category.FLUENCY, Severity.MAJOR, "Markup </mark> in the text",
                (Span.of(tgt, start, start + len("<script>alert(1)</script>")),),
                (Span.of(src, 7, 18),), suggestion='<b>"x"</b>')
    pair = ReviewedPair(id="x:0", doc_id="x", position=0, src_idx=(0,), tgt_idx=(0,), src=src, tgt=tgt,
                        paragraph=0, findings=(f,), penalty=5.0, priority=5.0)
    html = render_html_report({}, [pair])
    parser = ReportParser()
    parser.feed(html)
    assert parser.errors == [] and parser.stack == []
    assert parser.cell_text[("pair-x:0", "tgt")] == tgt
    assert parser.cell_text[("pair-x:0", "src")] == src
    assert [m["text"] for m in parser.marks if m["cell"] == "tgt"] == ["<script>alert(1)</script>"]
    assert [m["text"] for m in parser.marks if m["cell"] == "src"] == ["<b>bold</b>"]
    assert html.count("<script>") == 1  # only the report's own script
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert re.search(r"&lt;b&gt;(&quot;|&#34;)x(&quot;|&#34;)&lt;/b&gt;", html)  # the suggestion


def test_css_and_js_are_package_files_inlined(report):
    from importlib import resources

    html, _ = report
    assets = resources.files("review.report").joinpath("assets")
    for name in ("report.css", "report.js"):
        text = assets.joinpath(name).read_text(encoding="utf-8")
        assert len(text) > 1000 and text in html, name
    # the Korean text names Korean fonts, so Hangul does not fall back to boxes without them
    css = assets.joinpath("report.css").read_text(encoding="utf-8")
    assert ":lang(ko)" in css and '"Noto Sans CJK KR"' in css and '"Malgun Gothic"' in css


def test_top_panel_lists_flagged_pairs_by_priority(report, pairs):
    from review.report.stats import is_flagged, ranked

    html, parser = report
    hrefs = re.findall(r'<a class="top-link" href="#([^"]+)"', html)
    assert hrefs == [f"pair-{p.id}" for p in ranked(pairs) if is_flagged(p)][:20]
    assert html.index('id="top"') < html.index('id="summary"') < html.index('id="glossary"') < html.index('id="doc"')
    assert set(hrefs) <= set(parser.ids)
    assert '<details id="glossary" class="panel">' in html  # collapsed


def test_quality_and_neural_qe_shown_per_pair(pairs):
    low, middling, high = (replace(pairs[0], quality=0.21, qe=0.64), replace(pairs[1], quality=0.42),
                           replace(pairs[1], id="other", quality=0.93))
    html = render_html_report({}, [low, middling, high])
    assert re.search(r'<span class="quality hot"[^>]*>quality 0\.21</span>', html)
    assert re.search(r'<span class="quality"[^>]*>quality 0\.42</span>', html)   # clean text is often this low
    assert re.search(r'<span class="quality"[^>]*>quality 0\.93</span>', html)
    assert re.search(r'<span class="quality"[^>]*>QE 0\.64</span>', html)
    assert html.count(">QE ") == 1  # only the pair the QE model scored
