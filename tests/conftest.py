"""Shared fixtures: one Chromium (one Playwright sync session per process), one JupyterLab, every notebook
executed once for the `all` tier, Chinese for utils; and the `widgets` marker, given by module.
"""

import concurrent.futures
import os
from pathlib import Path

import ipywidgets
import pytest
from browser_support import JupyterLab, chromium, in_ci, missing_browser

import run
from utils import i18n

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1400, "height": 1200}
# The test modules about widgets: all their tests are marked `widgets`, so `python3 run.py test all` runs them
# again with ipywidgets 7.7.1 (Colab's); elsewhere a test that builds a widget carries the mark itself. One
# that builds a widget without the mark fails, saying so.
WIDGET_MODULES = {"test_conv", "test_fc", "test_images", "test_lenet", "test_pool", "test_view"}


def pytest_collection_modifyitems(items):
    for item in items:
        if getattr(item, "module", None) and item.module.__name__ in WIDGET_MODULES:
            item.add_marker(pytest.mark.widgets)


@pytest.fixture(autouse=True)
def widgets_are_marked(request):
    """A test that builds an ipywidget must be marked `widgets`, or the ipywidgets 7.7.1 pass would miss it."""
    built = []
    ipywidgets.Widget.on_widget_constructed(lambda widget: built.append(type(widget).__name__))
    yield
    ipywidgets.Widget.on_widget_constructed(None)
    exempt = any(request.node.get_closest_marker(name) for name in ("widgets", "browser", "kernels"))
    if built and not exempt:
        pytest.fail(f"this test built ipywidgets ({', '.join(sorted(set(built)))}) but is not marked `widgets`: "
                    "add @pytest.mark.widgets (tests/conftest.py says why)", pytrace=False)


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Every notebook of both editions run once, as `python3 run.py build` runs them -> (dist, {source: failure}).

    The one run of each notebook in `python3 run.py test all`: the site, its handouts and the student-copy
    checks read these outputs. A failure is the error naming the notebook, None when it ran to the end.
    CNN_LAYERS_SITE=dist checks an already built dist/ (the build stops at a failing notebook) instead.
    """
    import website

    notebooks = [p for p in website.sources() if p.suffix == ".ipynb"]
    if os.environ.get("CNN_LAYERS_SITE"):
        return Path(os.environ["CNN_LAYERS_SITE"]).resolve(), dict.fromkeys(notebooks)
    dist = tmp_path_factory.mktemp("dist")

    def failure(path):
        try:
            website.execute(path, website.executed_path(dist, path))
        except RuntimeError as error:
            return str(error)

    with concurrent.futures.ThreadPoolExecutor(website.WORKERS) as pool:
        return dist, dict(zip(notebooks, pool.map(failure, notebooks)))


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
    """JupyterLab serving the project, with the series' font as `run.py lab` starts it; it must never write a
    notebook back (they are committed without outputs)."""
    with JupyterLab(ROOT, args=run.lab_font()) as server:
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
