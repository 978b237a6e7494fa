"""Review tests: one BLAS thread (numpy's busy-waiting OpenBLAS threads slow the encoder down) and the
headless browser shared by the report and serve browser tests."""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("MTREVIEW_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (no browser download); tests using it skip without chromium."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
