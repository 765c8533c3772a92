"""The Chinese edition in a real browser: notebooks 01 and 04 run, 04's widgets (kernel-side, captions drawn in
Chinese) redraw as the English ones do, and the shape calculator, drawn in the browser, shows Chinese.

The check of the picture is exact: the shape calculator of zh/01 is rebuilt here, in Chinese; its first picture
must be what the browser's canvas shows, pixel for pixel on the screenshot, under its Chinese caption (text, in
the page's font: tests/test_pages_font.py checks that the shipped font draws it). The kernel-side widgets draw
their captions into their PNGs with the shipped font, and tests/test_fonts.py checks that it has every glyph the
series draws.

    .venv/bin/pytest -m browser tests/test_browser_zh.py -v
"""

import io
import re
from pathlib import Path

import numpy as np
import pytest
from browser_support import Notebook
from fontTools.ttLib import TTFont
from PIL import Image
from test_browser import ARTIFACTS
from test_browser import test_notebook_runs_and_every_widget_redraws as runs_and_redraws

from utils import conv, i18n

ROOT = Path(__file__).resolve().parent.parent
CHINESE = [ROOT / "notebooks" / "zh" / name for name in ("01_convolution.ipynb", "04_lenet_end_to_end.ipynb")]
# zh/01 runs in test_chinese_is_drawn_into_the_pictures; its widgets redraw as the English 01's do (same code).
# zh/04 is the only run of 04 in JupyterLab (test_browser takes the English 01-03).
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", CHINESE[1:], ids=lambda p: f"zh-{p.stem}")
def test_chinese_notebook_runs_and_every_widget_redraws(path, page, lab):
    runs_and_redraws(path, page, lab)


@pytest.fixture
def chinese_shape_calculator():
    """The shape calculator as zh/01 makes it (set_language("zh"), default settings): its first picture."""
    i18n.set_language("zh")
    try:
        panel = conv.ShapeCalculator().panels[0]
    finally:
        i18n.set_language("en")
    assert CJK.search(panel.title), f"the caption should be Chinese: {panel.title!r}"
    glyphs = TTFont(i18n.FONT).getBestCmap()
    missing = [c for c in panel.title if not c.isspace() and ord(c) not in glyphs]
    assert not missing, f"the shipped font would draw {missing} as empty boxes"
    return panel


def test_chinese_is_drawn_into_the_pictures(page, lab, chinese_shape_calculator):
    notebook = Notebook(page, lab, CHINESE[0]).open()
    notebook.run_all()
    assert not notebook.problems(), "\n".join(notebook.problems())
    cell = page.locator(".jp-Notebook .jp-Cell", has=page.locator(".jp-InputArea", has_text="conv.ShapeCalculator()"))
    # Drawn in the browser (utils/web/shape_calculator.js): the picture on a canvas, its caption as text above it.
    shown = cell.locator(".cnn-panel").first
    assert shown.locator(".cnn-title").text_content() == chinese_shape_calculator.title
    picture = shown.locator("canvas")
    picture.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shown.screenshot(path=ARTIFACTS / "zh-01-shape-calculator.png", animations="disabled")
    shot = picture.screenshot(animations="disabled")
    seen = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    expected = chinese_shape_calculator.rgb.astype(int)
    h, w = expected.shape[:2]
    assert abs(seen.shape[0] - h) <= 1 and abs(seen.shape[1] - w) <= 1, \
        f"shown at {seen.shape[:2]}, drawn at {(h, w)}: not at its own pixel size"
    # An element screenshot may take in one row or column of what is next to it (sub-pixel position): align first.
    difference = min((np.abs(seen[y:y + h, x:x + w] - expected) for y in (0, 1) for x in (0, 1)
                      if seen[y:y + h, x:x + w].shape == expected.shape), key=np.mean)
    assert difference.mean() < 2, \
        f"the browser shows another picture (mean difference {difference.mean():.1f} of 255)"
