"""``mtreview serve`` in a real headless browser (Debian's chromium driven by Playwright).

Skipped only when chromium is absent (``apt-get install chromium``, which ``.ci/run`` does).
The page loads without console errors; a click on "False alarm" is saved (a reload shows it),
and the decision is still there after the server is stopped and started again; a note and an
accepted name proposal likewise, and all of them after a rerun of ``review``.
"""
from __future__ import annotations

import re

import pytest

from _serve_sample import make_review, rerun
from glossary.tbx import read_tbx
from review.decisions import load_decisions
from review.serve import start_in_thread

pytestmark = pytest.mark.slow  # a real browser, end to end: the fast loop skips it

expect = pytest.importorskip("playwright.sync_api").expect




@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    return make_review(tmp_path_factory.mktemp("serve-browser"))


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.set_default_timeout(5000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url)
    page.problems = problems  # type: ignore[attr-defined]
    return page


def finding(page, check):
    return page.locator(f"li.finding[data-check='{check}']").first


def test_decisions_in_the_browser_persist_across_reload_and_restart(browser, reviewed):
    ko, glossary, out = reviewed
    server = start_in_thread(str(out), port=0)
    port = server.httpd.server_address[1]
    url = server.url
    try:
        page = open_page(browser, url)
        assert page.problems == []
        n_findings = page.locator("li.finding").count()
        assert n_findings > 0 and page.locator("li.finding .decide").count() == n_findings
        assert page.text_content("#dec-counts").startswith(f"{n_findings} findings")

        li = finding(page, "empty-brackets")
        fp = li.get_attribute("data-fp")
        with page.expect_response("**/api/decision") as resp:
            li.locator("button[data-v=false_alarm]").click()
        assert resp.value.status == 200
        expect(li).to_have_attribute("data-decision", "false_alarm")
        expect(page.locator("#dec-counts")).to_contain_text("1 false alarms")
        # the highlight of a finding marked as a false alarm is muted
        expect(page.locator(f"mark.hl[data-f~='{li.get_attribute('data-f')}']").first).to_have_class(re.compile(r"\bfa\b"))

        # a note on another finding, typed and saved with Enter
        other = finding(page, "term-deprecated")
        other.locator(".note-btn").click()
        other.locator(".note-in").fill("메이스키 → 마이스키")
        with page.expect_response("**/api/decision"):
            other.locator(".note-in").press("Enter")
        expect(other.locator("div.dec-note")).to_have_text("Note: 메이스키 → 마이스키")

        # accept a name proposal (the names panel opens on a click): it goes into the glossary file
        page.click("#glossary > summary")
        row = page.locator("#glossary tr[data-key='ko:옴스크']")
        with page.expect_response("**/api/proposal") as resp:
            row.locator("button[data-v=accepted]").click()
        assert resp.value.status == 200
        expect(row).to_have_attribute("data-decision", "accepted")
        assert read_tbx(glossary).find("옴스크")
        # undo takes it out of the glossary again; accept once more for the rest of the test
        with page.expect_response("**/api/proposal") as resp:
            row.locator("button[data-v=undo]").click()
        assert resp.value.status == 200
        expect(row).not_to_have_attribute("data-decision", "accepted")
        assert not read_tbx(glossary).find("옴스크")
        with page.expect_response("**/api/proposal"):
            row.locator("button[data-v=accepted]").click()
        expect(row).to_have_attribute("data-decision", "accepted")

        page.reload()
        li = page.locator(f"li.finding[data-fp='{fp}']")
        expect(li).to_have_attribute("data-decision", "false_alarm")
        expect(li.locator("button[data-v=false_alarm]")).to_have_attribute("aria-pressed", "true")
        assert page.problems == []
        page.close()
    finally:
        server.stop()

    assert load_decisions(out).verdict(fp) == "false_alarm"
    # a new server on the same port: the same page shows the same decisions
    server = start_in_thread(str(out), port=port)
    try:
        assert server.url == url
        page = open_page(browser, url)
        li = page.locator(f"li.finding[data-fp='{fp}']")
        assert li.get_attribute("data-decision") == "false_alarm"
        assert "dec-false_alarm" in li.get_attribute("class")
        expect(finding(page, "term-deprecated").locator("div.dec-note")).to_have_text("Note: 메이스키 → 마이스키")
        assert page.locator("#glossary tr[data-key='ko:옴스크']").get_attribute("data-decision") == "accepted"
        assert page.problems == []
        page.close()
    finally:
        server.stop()

    # a rerun of review on the same input, then the app again: the decisions are still there
    rerun(ko, glossary, out)
    server = start_in_thread(str(out), port=port)
    try:
        page = open_page(browser, url)
        li = page.locator(f"li.finding[data-fp='{fp}']")
        assert li.get_attribute("data-decision") == "false_alarm"
        # undo: a second click on the pressed button clears the decision
        with page.expect_response("**/api/decision"):
            li.locator("button[data-v=false_alarm]").click()
        expect(li).not_to_have_attribute("data-decision", "false_alarm")
        page.reload()
        assert page.locator(f"li.finding[data-fp='{fp}']").get_attribute("data-decision") is None
        assert page.problems == []
        page.close()
    finally:
        server.stop()
