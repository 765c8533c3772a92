"""Every notebook in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium driven by Playwright.

For each notebooks/NN_*.ipynb, in a fresh workspace: wait for a connected idle kernel, Run > Run All
Cells, then check what a learner would see: no error output or traceback, every widget rendered
(none left at "Loading widget..." or "Error displaying widget", every browser-side view drawn), and
every slider, dropdown, toggle, checkbox and number box, once changed, redraws its widget's picture:
a new image src, loaded (a kernel-side view), or new pixels on its canvas (a browser-side view,
utils/web/*.js, which must also tell the kernel: its LiveView's settings() become the page's). A
control whose change only rewrites the widget's text (a message for an impossible setting, or a
caption for a setting the pictures do not show) passes and is listed (-s shows the list); one
that changes nothing visible, or shows an unexpected error, fails; so does a widget none of whose
controls redraws a picture. A screenshot of each notebook's main widget (the first one with
pictures and controls) goes to artifacts/browser/<notebook>.png.

    .venv/bin/pytest -m browser tests/test_browser.py -v

Without playwright or Chromium the tests skip, except under CI (CI=true), where they fail.
CHROMIUM=/path/to/chromium picks another browser binary.
"""

import json
from pathlib import Path

import pytest
from browser_support import (
    SIZES_JS,
    UNDRAWN,
    BrowserView,
    Notebook,
    PlaywrightTimeout,
    Voila,
)

ROOT = Path(__file__).resolve().parent.parent
# 04 runs in test_browser_zh as zh/04: the same code (test_editions), with its widget captions in Chinese.
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-3]_*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1200}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_every_widget_redraws(path, page, lab):
    notebook = Notebook(page, lab, path).open()
    notebook.run_all()
    problems = notebook.problems()
    assert not problems, f"{path.name} in JupyterLab:\n" + "\n".join(problems)

    views = notebook.widgets()
    assert views, f"{path.name} shows no widget (every notebook has one: README.md, every claim is played with)"
    main = next((v for v in views if v.has_pictures() and v.controls()),  # the first with pictures to play with
                next((v for v in views if v.has_pictures()), views[0]))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    main.screenshot(ARTIFACTS / f"{path.stem}.png")

    stuck, text_only = [], []
    for view in views:
        verdicts = []
        for kind, item, name in view.controls():
            verdict, outcomes = view.redraw(kind, item)
            verdicts.append(verdict)
            if verdict == "text":
                text_only.append(f"{view.label}: {kind} {name!r} changed only text: {outcomes[-1]['newHtml']}"[:300])
            elif verdict == "stuck":
                stuck.append(f"{view.label}: {kind} {name!r}: {describe(outcomes)}")
        if verdicts and view.has_pictures() and "redrew" not in verdicts:
            stuck.append(f"{view.label}: no control redraws its pictures")
    print("\n".join(text_only))  # answered in words, not pictures (messages, captions): shown with -s
    assert not stuck, f"{path.name}: controls without a proper answer (no redraw, or an unexpected error):\n" \
        + "\n".join(stuck)
    assert not notebook.problems(), "playing with the widgets broke something:\n" + "\n".join(notebook.problems())


def describe(outcomes):
    """What the widget did after each change: for a failure message."""
    if not outcomes:
        return "could not be changed"
    if outcomes[-1].get("problem"):  # a browser-side view: it did not draw, or the kernel did not learn the setting
        return f"after {len(outcomes)} change(s), {outcomes[-1]['problem']}"
    silent = sum(not o["answered"] for o in outcomes)
    return (f"{len(outcomes)} change(s), picture unchanged" + (f", {silent} never answered by the kernel" if silent
            else "") + f"; new messages: {[t for o in outcomes for t in o['newHtml']]}; "
            f"the widget shows: {' | '.join(outcomes[-1]['html'])[-300:]!r}")


DASHBOARD = ROOT / "dashboard" / "dashboard.ipynb"
DASHBOARD_WIDGETS = ".jp-OutputArea-output > .jupyter-widgets, .jp-OutputArea-output > .cnn-live"


@pytest.fixture
def voila(browser):
    """`python3 run.py class`'s server (Voila) on 127.0.0.1, serving the dashboard."""
    with Voila(DASHBOARD) as server:
        yield server


def kernel_side_redraws(page, view):
    """Step a kernel-side widget's first slider: whether one of its pictures changes (None: it has no slider)."""
    handles = view.locator(".noUi-handle")
    if not handles.count():
        return None
    before = view.evaluate("e => [...e.querySelectorAll('img')].map(i => i.src).join()")
    handles.first.scroll_into_view_if_needed()
    handles.first.focus()
    handles.first.press("ArrowRight" if handles.first.get_attribute("aria-valuenow") !=
                        handles.first.get_attribute("aria-valuemax") else "ArrowLeft")
    try:
        page.wait_for_function("([e, old]) => [...e.querySelectorAll('img')].map(i => i.src).join() !== old",
                               arg=[view.element_handle(), before], timeout=30_000)
        return True
    except PlaywrightTimeout:
        return False


def browser_side_redraws(page, view, index):
    """Change a browser-side view's first control (utils/web/*.js): whether it draws new pixels, in the page."""
    live = BrowserView(page, view, f"widget {index}")  # no kernel to ask on a Voila page
    kind, item, _ = live.controls()[0]
    verdict, _ = live.redraw(kind, item)
    return verdict == "redrew"


def test_dashboard_shows_every_widget_and_each_answers_a_slider(browser, voila):
    # One widget per code cell but the first (the imports); each one's first slider (a browser-side view's first
    # control), changed, redraws a picture.
    expected = sum(c["cell_type"] == "code" for c in json.loads(DASHBOARD.read_text())["cells"]) - 1
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(voila.url, timeout=300_000)
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                           arg=[DASHBOARD_WIDGETS, expected], timeout=300_000)
    page.wait_for_function("undrawn => !document.body.textContent.includes('Loading widget') && "
                           "!document.querySelector(undrawn)", arg=UNDRAWN, timeout=60_000)
    assert "Traceback" not in page.locator("body").inner_text() and not errors, errors
    views = page.locator(DASHBOARD_WIDGETS)
    silent, live = [], 0
    for i in range(views.count()):
        view = views.nth(i)
        if view.evaluate("e => e.classList.contains('cnn-live')"):
            live += 1
            redrew = browser_side_redraws(page, view, i + 1)
        else:
            redrew = kernel_side_redraws(page, view)
        if redrew is False:
            silent.append(f"widget {i + 1}")
    assert views.count() == expected and not silent, f"{views.count()} of {expected} widgets; no redraw: {silent}"
    modules = len([m for m in (ROOT / "utils" / "web").glob("*.js") if m.stem != "common"])
    assert live == modules, f"{live} browser-side views on the dashboard, expected one per module: {modules}"


PRESENTER_VIEWPORTS = [(1280, 720), (1920, 1080)]
MAIN_PICTURE_PX, LABEL_PX = 400, 18  # issue 11: presenter scale on, at 1280x720


@pytest.fixture(scope="module")
def presenter_page(browser):
    """The dashboard served with the presenter scale on (CNN_LAYERS_PRESENTER=1, as `run.py class` can start it),
    loaded once (Voila runs it in a new kernel per page load) and resized for each viewport."""
    with Voila(DASHBOARD, env={"CNN_LAYERS_PRESENTER": "1"}) as server:
        context = browser.new_context(viewport=dict(zip(("width", "height"), PRESENTER_VIEWPORTS[0])))
        page = context.new_page()
        page.goto(server.url, timeout=300_000)
        page.wait_for_function("([sel, undrawn]) => document.querySelectorAll(sel).length >= 8 && "
                               "!document.body.textContent.includes('Loading widget') && "
                               "!document.querySelector(undrawn)", arg=[DASHBOARD_WIDGETS, UNDRAWN], timeout=300_000)
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)", timeout=60_000)
        yield page
        context.close()


def measured_widgets(page, width, height):
    """At this viewport, per widget its sizes (SIZES_JS); screenshots of the page and of each widget saved."""
    page.set_viewport_size({"width": width, "height": height})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"presenter-{width}x{height}.png"), full_page=True)
    views, sizes = page.locator(DASHBOARD_WIDGETS), []
    for i in range(views.count()):  # what a projector shows with the widget at the top of the screen
        views.nth(i).evaluate("e => e.scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / f"presenter-{width}x{height}-{i + 1}.png"))
        sizes.append(views.nth(i).evaluate(SIZES_JS))
    return sizes


@pytest.mark.parametrize("width, height", PRESENTER_VIEWPORTS, ids=lambda v: str(v))
def test_presenter_scale_reads_from_the_back_row(presenter_page, width, height):
    # Every widget: the main (largest) picture >= 400 px on its long side, drawn at its own pixel size
    # (never stretched or squeezed), and every label >= 18 px, neither cut nor wrapped. Sizes printed (-s).
    problems = []
    for i, view in enumerate(measured_widgets(presenter_page, width, height), 1):
        pictures, labels = view["pictures"], view["labels"]
        main = max(pictures + view["diagrams"], key=lambda p: p["width"] * p["height"])
        print(f"{width}x{height} widget {i}: main picture {main['width']:.0f}x{main['height']:.0f}, "
              f"pictures {[round(p['width']) for p in pictures]}, label px {sorted({t['size'] for t in labels})}")
        if max(main["width"], main["height"]) < MAIN_PICTURE_PX:
            problems.append(f"widget {i}: main picture {main['width']:.0f}x{main['height']:.0f} px")
        problems += [f"widget {i}: a picture drawn at {p['width']:.0f}x{p['height']:.0f} px, not its own "
                     f"{p['natural']}" for p in pictures if [round(p["width"]), round(p["height"])] != p["natural"]]
        problems += [f"widget {i}: {t['text']!r} is {t['size']} px" + (", cut" if t["cut"] else "")
                     + (", wrapped" if t["wrapped"] else "") for t in labels
                     if t["size"] < LABEL_PX or t["cut"] or t["wrapped"]]
    assert not problems, f"at {width}x{height}:\n" + "\n".join(problems)
