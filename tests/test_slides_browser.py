"""A notebook as a live slideshow in JupyterLab (jupyterlab-slideshow), with a widget that works in its slide.

The teacher's path: run the notebook up to the widget, click the title, press the deck button in the
notebook's toolbar, step through the slides with Space until the widget is on screen, and
move one of its sliders: the picture must change. The title slide's Chinese is drawn with the series' own
font (JupyterLab started with `run.py lab`'s custom CSS), on a machine without a CJK font. The notebook is
served as tools/sync_notebooks.py writes it (tests/test_slides.py checks the committed files are exactly that).
A screenshot of the widget's slide goes to artifacts/browser/slides-<notebook>.png.
"""

from pathlib import Path

import pytest
import sync_notebooks
from browser_support import PAGE_JS, RUN_ALL_S, JupyterLab
from test_browser import ARTIFACTS
from test_pages_font import assert_chinese_in_the_shipped_font

import run

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser
NOTEBOOK = ROOT / "notebooks" / "01_convolution.ipynb"
WIDGET_CELL = "conv.ShapeCalculator()"
ON_SCREEN = ".jp-Deck .jp-deck-mod-onscreen"  # the cells of the slide the deck shows
MAX_STEPS = 60  # presses of Space allowed to reach the widget's slide


def served_copy(folder):
    """Write the notebook, synced as it is committed, under folder/notebooks/; gives its path."""
    target = folder / "notebooks" / NOTEBOOK.name
    target.parent.mkdir()
    nb = sync_notebooks.synced(NOTEBOOK, sync_notebooks.notebook_paths())
    target.write_text(sync_notebooks.dumps(nb))
    return target, [i for i, c in enumerate(nb["cells"]) if "".join(c["source"]).strip() == WIDGET_CELL][0]


def test_a_widget_works_inside_the_live_slideshow(browser, tmp_path):
    path, widget_cell = served_copy(tmp_path)
    with JupyterLab(tmp_path, args=run.lab_font()) as lab:  # as `run.py lab` starts it: with the series' font
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(lab.workspace_url(path), wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext", timeout=120_000)
        page.evaluate(PAGE_JS)
        page.wait_for_function("() => window.__lab.kernelReady()", timeout=120_000)

        # Run everything above the widget and the widget's cell, as a teacher does before class.
        page.evaluate(f"() => {{ window.jupyterapp.shell.currentWidget.content.activeCellIndex = {widget_cell}; }}")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-above')")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
        page.wait_for_function(f"""() => {{ const c = window.__lab.cells();
            return window.__lab.kernelReady() && c.slice(0, {widget_cell + 1}).every(x => x.type !== 'code' || x.count)
                   && document.querySelector('.jp-Notebook .noUi-handle, .jp-Notebook .cnn-view[data-drawn]'); }}""",
                               timeout=RUN_ALL_S * 1000)

        # Click the title, press the deck button, then Space until the widget is on the slide.
        page.locator(".jp-MarkdownCell", has=page.locator("h1")).first.click()
        page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="deck"] button').click()
        page.wait_for_selector(ON_SCREEN, timeout=10_000)
        assert page.locator(ON_SCREEN).first.locator("h1").count() == 1, "the deck must open on the title slide"
        drawn = assert_chinese_in_the_shipped_font(page, "the title slide", at_least=1)
        assert any("卷积层" in text for text, *_ in drawn), f"the title's Chinese name is not on the slide: {drawn}"
        # ipywidgets' slider handle, or a browser-side view's range input (an anywidget output is no .jupyter-widgets)
        handle = page.locator(f"{ON_SCREEN} :is(.jupyter-widgets .noUi-handle, input.cnn-slider)").first
        for _ in range(MAX_STEPS):
            if handle.count() and handle.is_visible():
                break
            page.keyboard.press("Space")  # the deck's "next fragment, subslide or slide"
            page.wait_for_timeout(50)
        assert handle.is_visible(), f"no slider on screen after {MAX_STEPS} steps through the slides"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"slides-{NOTEBOOK.stem}.png")

        # Move the slider with the keyboard: its value and the picture change, the slide stays.
        picture = page.locator(f"{ON_SCREEN} :is(.jupyter-widgets img, .cnn-view)").first  # a browser-side view: drawn
        slider_value = "e => e.getAttribute('aria-valuenow') ?? e.value"
        shown = """() => window.jupyterapp.shell.currentWidget.content.widgets
            .map((cell, i) => cell.hasClass('jp-deck-mod-onscreen') ? i : -1).filter(i => i >= 0)"""
        picture = picture.element_handle()  # the same element, wherever the slideshow goes
        before = picture.evaluate("e => e.src || e.dataset.drawn")
        value, slide = handle.evaluate(slider_value), page.evaluate(shown)
        assert widget_cell in slide, f"the slide shows cells {slide}, not the widget's cell {widget_cell}"
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([e, old]) => (e.src || e.dataset.drawn) !== old",
                               arg=[picture, before],
                               timeout=30_000)
        assert handle.evaluate(slider_value) != value
        assert page.evaluate(shown) == slide, "moving the slider must not move the slideshow"
        assert page.locator(ON_SCREEN).locator("text=Error displaying widget").count() == 0
        assert not errors, errors
        lab.shutdown_kernels()
