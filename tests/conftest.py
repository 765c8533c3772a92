"""Shared fixtures: one Chromium (one Playwright sync session per process), one JupyterLab, Chinese for utils."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_support import JupyterLab, chromium, in_ci, missing_browser  # noqa: E402

from utils import i18n  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1400, "height": 1200}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; skipped where it is missing, a failure under CI."""
    reason = missing_browser()
    if reason:
        if in_ci():
            pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(browser):
    """JupyterLab serving the project; it must never write a notebook back (they are committed without outputs)."""
    with JupyterLab(ROOT) as server:
        yield server
        saved = server.saves()
    assert not saved, f"the browser session saved {saved} (autosave is meant to be off)"


@pytest.fixture
def page(browser, lab):
    """A new browser context (no state from other tests); the kernel it started is shut down afterwards."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()
    lab.shutdown_kernels()


@pytest.fixture
def chinese():
    """utils speaks Chinese inside the test, English again after it."""
    i18n.set_language("zh")
    yield
    i18n.set_language("en")
