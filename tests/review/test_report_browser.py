"""The HTML report in a real headless browser (Debian's chromium driven by Playwright).

Skipped only when chromium is absent (``apt-get install chromium``, which
``.ci/run`` does).  Playwright (a test dependency) drives that binary; its own
browser download is never used.
"""
from __future__ import annotations


import pytest

from _report_sample import sample_bitext, sample_pairs
from review.report import write_reports



PROPOSALS = [{"english": "Ivan Maisky", "variants": ["마이스키", "메이스키", "Maisky"],
              "counts": {"마이스키": 40, "메이스키": 31, "Maisky": 3}}]


@pytest.fixture(scope="module")
def report_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    b = sample_bitext()
    files = write_reports(out, {"mtreview": "test"}, sample_pairs(), target=b.target, source=b.source,
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
    pairs = sample_pairs()
    page.select_option("#show", "flagged")
    with_findings = sum(1 for p in pairs if p.findings)
    assert visible_pairs(page) == with_findings
    # Untick minor: pairs whose only findings are minor disappear, their minor highlights switch off.
    page.uncheck("#toolbar input[name=sev][value=minor]")
    not_only_minor = sum(1 for p in pairs if any(f.severity.value != "minor" for f in p.findings))
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
    page.click("#glossary .chip[data-q='메이스키']")
    assert page.input_value("#q") == "메이스키"
    shown = page.eval_on_selector_all("article.pair:not(.hidden)", "els => els.map(e => e.textContent)")
    assert shown and all("메이스키" in t for t in shown)
    assert page.problems == []
