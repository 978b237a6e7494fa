"""The HTML report in a real headless browser (Debian's chromium driven by Playwright).

Skipped only when chromium is absent (``apt-get install chromium``, which
``.ci/run`` does).  Playwright (a test dependency) drives that binary; its own
browser download is never used.
"""
from __future__ import annotations


import time
from dataclasses import replace

import pytest

from _report_sample import sample_bitext, sample_pairs
from corpus.records import Span
from review.records import Category, Finding, Severity
from review.report import write_reports
from review.report.html import write_html_report
from review.report.stats import is_flagged, ranked

pytestmark = pytest.mark.slow  # a real browser, end to end: the fast loop skips it

NO_SOURCE = "no English source for this Korean (the source is incomplete); only the Korean could be checked"


def with_no_source_notes(pairs):
    """Each pair without English gets the whole-segment informational no-source finding, as a review gives it."""
    return [replace(p, findings=p.findings + (Finding("no-source", Category.ACCURACY, Severity.MINOR, NO_SOURCE,
                                                       (Span.of(p.tgt, 0, len(p.tgt)),)),))
            if p.no_source and p.tgt.strip() else p for p in pairs]


def report_pairs():
    return with_no_source_notes(sample_pairs())


def actionable(p):
    return [f for f in p.findings if f.check != "no-source"]


PROPOSALS = [{"english": "Ivan Maisky", "variants": ["마이스키", "메이스키", "Maisky"],
              "counts": {"마이스키": 40, "메이스키": 31, "Maisky": 3}}]


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    b = sample_bitext()
    files = write_reports(out, {"mtreview": "test"}, report_pairs(), target=b.target, source=b.source,
                          glossary_proposals=PROPOSALS)
    return files["report"].resolve().as_uri()


@pytest.fixture
def page(browser, report_url):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_url)
    page.problems, page.requests = problems, requests  # type: ignore[attr-defined]
    yield page
    page.close()


def visible_pairs(page) -> int:
    return page.locator("article.pair:visible").count()


def test_loads_without_errors_or_network(page):
    assert page.problems == []
    assert all(u.startswith("file://") for u in page.requests), page.requests
    n = len(sample_pairs())
    assert page.text_content("#shown") == f"{n} of {n} pairs shown"
    assert visible_pairs(page) == n


def test_filters_change_what_is_shown(page):
    pairs = report_pairs()
    page.select_option("#show", "flagged")
    # the informational no-source notes (on most pairs) do not count as findings to show
    with_findings = sum(1 for p in pairs if actionable(p))
    assert with_findings < sum(1 for p in pairs if p.findings) / 10
    assert visible_pairs(page) == with_findings
    # Untick minor: pairs whose only findings are minor disappear, their minor highlights switch off.
    page.uncheck("#toolbar input[name=sev][value=minor]")
    not_only_minor = sum(1 for p in pairs if any(f.severity.value != "minor" for f in actionable(p)))
    assert visible_pairs(page) == not_only_minor < with_findings
    assert page.locator("li.finding.sev-minor:visible").count() == 0
    # A check filter: only "repetition" left.
    page.uncheck("#toolbar input[name=sev][value=major]")
    page.check("#toolbar input[name=sev][value=minor]")
    page.check("#toolbar input[name=sev][value=major]")
    page.click("#toolbar details.drop summary")
    page.click("#checks-none")
    assert visible_pairs(page) == 0 and page.is_visible("#empty")
    page.check("#toolbar input[name=check][value=repetition]")
    assert visible_pairs(page) == sum(1 for p in pairs if any(f.check == "repetition" for f in p.findings))
    # Text search narrows further.
    page.fill("#q", "본말은")
    assert visible_pairs(page) == 1
    assert page.problems == []


def test_sort_by_priority_and_next_major(page):
    pairs = sample_pairs()
    page.select_option("#sort", "priority")
    ids = page.eval_on_selector_all("#flat article.pair", "els => els.map(e => e.id)")
    expected = [f"pair-{p.id}" for p in sorted(pairs, key=lambda p: (-p.priority, p.position))]
    assert ids == expected
    assert page.locator("#doc article.pair").count() == 0
    page.select_option("#sort", "doc")
    assert page.locator("#flat article.pair").count() == 0
    first = page.eval_on_selector_all("#doc article.pair", "els => els.slice(0, 3).map(e => e.id)")
    assert first == [f"pair-{p.id}" for p in pairs[:3]]
    # "Next major" visits the pairs with a major or critical finding in document order.
    majors = [f"pair-{p.id}" for p in pairs if any(f.severity.value in ("major", "critical") for f in p.findings)]
    seen = []
    for _ in majors:
        page.click("#next-major")
        active = page.eval_on_selector("li.finding.active", "el => el.closest('article').id")
        seen.append(active)
    assert seen == majors
    page.keyboard.press("n")  # wraps around to the first
    assert page.eval_on_selector("li.finding.active", "el => el.closest('article').id") == majors[0]
    assert page.problems == []


def test_click_highlight_and_glossary_chip(page):
    mark = page.locator("mark.hl", has_text="시드니베아트리스").first
    mark.click()
    active = page.locator("li.finding.active")
    assert active.count() == 1 and "Two names run together" in active.text_content()
    page.click("#glossary > summary")
    page.click("#glossary .chip[data-q='메이스키']")
    assert page.input_value("#q") == "메이스키"
    shown = page.eval_on_selector_all("article.pair:not(.hidden)", "els => els.map(e => e.textContent)")
    assert shown and all("메이스키" in t for t in shown)
    assert page.problems == []


def test_opens_on_the_pairs_to_fix_and_links_into_the_document(page):
    pairs = report_pairs()
    # the first panel of the page is "Fix first", above the summary, the names and the document
    first = page.eval_on_selector("main > section.panel, main > details.panel", "el => el.id")
    assert first == "top"
    assert page.eval_on_selector("#top", "el => el.getBoundingClientRect().top") < 200
    expected = [f"pair-{p.id}" for p in ranked(pairs) if is_flagged(p)][:20]
    links = page.eval_on_selector_all("#top a.top-link", "els => els.map(e => e.getAttribute('href').slice(1))")
    assert links == expected and len(links) == sum(1 for p in pairs if is_flagged(p))
    # the top pair is the critical repetition loop, not a no-source note
    assert "Garbled repetition loop" in page.text_content("#top li.top-item:first-child")
    # a link goes to its pair (even when a filter hides it) and marks its findings
    target = links[2]
    page.fill("#q", "no pair has this text")
    assert page.locator(f"#{target.replace(':', chr(92) + ':')}").is_hidden()
    page.click(f"#top a.top-link[href='#{target}']")
    box = page.eval_on_selector(f"[id='{target}']", "el => { const r = el.getBoundingClientRect(); "
                                "return [r.top, r.bottom, innerHeight]; }")
    assert 0 <= box[0] < box[2], box
    assert page.eval_on_selector_all("li.finding.active", "els => els.map(e => e.closest('article').id)") \
        and all(a == target for a in page.eval_on_selector_all("li.finding.active",
                                                                "els => els.map(e => e.closest('article').id)"))
    assert page.input_value("#q") == ""
    assert page.problems == []


def test_names_panel_collapsed_with_a_count(page):
    assert page.eval_on_selector("#glossary", "el => el.open") is False
    assert "Names (1)" in page.text_content("#glossary > summary")
    assert page.locator("#glossary table.gloss").is_hidden()
    page.click("#glossary > summary")
    assert page.locator("#glossary table.gloss").is_visible()


def test_name_chip_shows_exactly_the_pairs_containing_the_name(page):
    pairs = report_pairs()
    # 마이스키 appears in the findings (a suggestion) of a pair that does not contain it: it must not be shown
    assert any("마이스키" in f.message + (f.suggestion or "") and "마이스키" not in p.tgt + p.src
               for p in pairs for f in p.findings)
    page.click("#glossary > summary")
    page.click("#glossary .chip[data-q='마이스키']")
    shown = page.eval_on_selector_all("article.pair:not(.hidden)", "els => els.map(e => e.id)")
    assert shown == [f"pair-{p.id}" for p in pairs if "마이스키" in p.src + p.tgt]
    assert page.problems == []


def test_no_source_is_a_margin_badge_not_a_highlight(page):
    pairs = report_pairs()
    nosrc = [p for p in pairs if any(f.check == "no-source" for f in p.findings)]
    assert len(nosrc) > 100
    # no highlight carries the no-source finding; each such pair shows one quiet badge in its margin
    assert page.locator("mark.hl[title*='no-source']").count() == 0
    assert page.locator(".meta .info-badge[data-check=no-source]").count() == len(nosrc)
    plain = next(p for p in nosrc if not actionable(p))
    assert page.locator(f"[id='pair-{plain.id}'] mark.hl").count() == 0
    bg = page.eval_on_selector(f"[id='pair-{plain.id}'] .tgt", "el => getComputedStyle(el).backgroundColor")
    assert bg in ("rgba(0, 0, 0, 0)", "transparent")
    # term-level marks in a no-source pair stay visible
    marked = next(p for p in nosrc if actionable(p) and any(f.tgt_spans for f in actionable(p)))
    assert page.locator(f"[id='pair-{marked.id}'] mark.hl:not(.off)").count() >= 1
    assert "no-source" not in page.eval_on_selector_all("#toolbar input[name=check]", "els => els.map(e => e.value)")


def test_korean_fonts_named(page):
    family = page.eval_on_selector("article.pair .tgt", "el => getComputedStyle(el).fontFamily")
    for font in ("Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", "Nanum Gothic"):
        assert font in family, family


def big_pairs(n: int):
    base = report_pairs()
    out = []
    while len(out) < n:
        rep = len(out) // len(base)
        for p in base:
            if len(out) == n:
                break
            out.append(replace(p, id=f"big:{len(out)}", doc_id="big", position=len(out),
                               paragraph=(p.paragraph or 0) + rep * 1000))
    return out


def test_5000_pair_report_loads_under_two_seconds(browser, tmp_path):
    pairs = big_pairs(5000)
    path = write_html_report(tmp_path / "big.html", {"mtreview": "test"}, pairs)
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # best of three loads: the test machine is shared, a single load can be delayed by other work
    times = []
    for _ in range(3):
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.mtreviewReady !== undefined")
        times.append(page.evaluate("() => Math.max(window.mtreviewReady, "
                                   "performance.getEntriesByType('navigation')[0].loadEventEnd)"))
    assert errors == []
    assert page.text_content("#shown") == "5000 of 5000 pairs shown"
    assert min(times) < 2000, times
    # scrolling through: frames stay short (the browser renders only the paragraphs near the viewport)
    frames = page.evaluate("""async () => { const ts = []; let last = performance.now();
      await new Promise(done => { let k = 0; function step(now) { ts.push(now - last); last = now;
        window.scrollBy(0, 600); if (++k < 90) requestAnimationFrame(step); else done(); }
        requestAnimationFrame(step); });
      ts.sort((a, b) => a - b); return ts[Math.floor(ts.length * 0.9)]; }""")
    assert frames < 100, frames
    t0 = time.perf_counter()
    page.select_option("#sort", "priority")
    assert page.locator("#flat article.pair").count() == 5000
    assert time.perf_counter() - t0 < 3
    page.close()
