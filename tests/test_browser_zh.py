"""The Chinese edition in a real browser: notebooks 01 and 04 run and every widget redraws, as the English ones do,
and Chinese is drawn into the pictures themselves (not only into the HTML around them).

The check of the pictures is exact: the shape calculator of zh/01 is rebuilt here, in Chinese, and its first
picture (caption drawn in with the shipped font) must be what the browser shows, pixel for pixel on the screenshot.
A picture drawn with a font lacking the glyphs would differ (empty boxes), and tests/test_fonts.py checks that the
shipped font has every glyph the series draws.

    .venv/bin/pytest -p no:nbmake -o addopts= -m browser tests/test_browser_zh.py -v
"""

import io
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_support import Notebook  # noqa: E402
from test_browser import ARTIFACTS  # noqa: E402
from test_browser import test_notebook_runs_and_every_widget_redraws as runs_and_redraws  # noqa: E402

from utils import conv, i18n  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHINESE = [ROOT / "notebooks" / "zh" / name for name in ("01_convolution.ipynb", "04_lenet_end_to_end.ipynb")]
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: f"zh-{p.stem}")
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
    return panel.shown()


def test_chinese_is_drawn_into_the_pictures(page, lab, chinese_shape_calculator):
    notebook = Notebook(page, lab, CHINESE[0]).open()
    notebook.run_all()
    assert not notebook.problems(), "\n".join(notebook.problems())
    cell = page.locator(".jp-Notebook .jp-Cell", has=page.locator(".jp-InputArea", has_text="conv.ShapeCalculator()"))
    picture = cell.locator(".jupyter-widgets img").first
    picture.scroll_into_view_if_needed()
    shot = picture.screenshot(animations="disabled")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "zh-01-shape-calculator.png").write_bytes(shot)
    seen = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    expected = chinese_shape_calculator.astype(int)
    h, w = expected.shape[:2]
    assert abs(seen.shape[0] - h) <= 1 and abs(seen.shape[1] - w) <= 1, \
        f"shown at {seen.shape[:2]}, drawn at {(h, w)}: not at its own pixel size"
    # An element screenshot may take in one row or column of what is next to it (sub-pixel position): align first.
    difference = min((np.abs(seen[y:y + h, x:x + w] - expected) for y in (0, 1) for x in (0, 1)
                      if seen[y:y + h, x:x + w].shape == expected.shape), key=np.mean)
    caption = slice(0, round(h * 0.15))  # the top rows hold the caption
    assert (expected[caption] < 128).any(), "the caption strip has no ink"
    assert difference[caption].mean() < 2 and difference.mean() < 2, \
        f"the browser shows another picture (mean difference {difference.mean():.1f} of 255)"
