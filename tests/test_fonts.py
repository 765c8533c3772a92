"""Every Chinese string the series can draw has its glyphs in the shipped font: no empty boxes anywhere."""

import ast
import json
import re
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from notebook_code import magic
from PIL import ImageFont

from utils import i18n
from utils.messages_zh import ZH

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CMAP = TTFont(i18n.FONT).getBestCmap()
# matplotlib draws a glyph our font lacks with its bundled DejaVu Sans (font.family falls back along the list)
DEJAVU = TTFont(Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")).getBestCmap()
# What pages draw with the shipped font: utils/fonts/custom.css's unicode-range, as a regex character class's body.
PAGE_CJK = "".join(f"\\u{a.zfill(4)}-\\u{b.zfill(4)}" for a, b in re.findall(
    r"U\+([0-9A-F]+)-([0-9A-F]+)", re.search(r"unicode-range:([^;]*);", i18n.FONT_CSS.read_text()).group(1)))
PRINTED_ONLY = {"✅", "❌", "\ufe0f"}  # the checkers' verdict marks: printed text, drawn by the browser's emoji font


def notebook_strings(path):
    """The string constants of a notebook's code cells (titles, labels, printed text)."""
    found = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            code = "\n".join(magic(line) for line in "".join(cell["source"]).splitlines())
            found += [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant)
                      and isinstance(n.value, str)]
    return found


NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
DRAWN = sorted({s for s in [*ZH.values(), *(s for p in NOTEBOOKS for s in notebook_strings(p))] if CJK.search(s)})


def test_there_are_chinese_strings_to_check():
    assert len(DRAWN) > 50, "the catalog and the Chinese notebooks should give many Chinese strings"


def test_the_font_has_every_glyph_of_every_chinese_string():
    chars = {c for s in DRAWN for c in s if not c.isspace()} - PRINTED_ONLY
    missing = sorted(c for c in chars if ord(c) not in CMAP and (CJK.match(c) or ord(c) not in DEJAVU))
    assert not missing, f"the font lacks {''.join(missing)!r}: run python tools/make_font.py"


def test_the_font_has_every_chinese_character_a_page_shows():
    # Pages draw CJK characters with the shipped font only (utils/fonts/custom.css's unicode-range): one it lacks
    # is an empty box on a machine without a CJK font. Every text file of the project, and JupyterLab's menus.
    import make_font

    shown = {c for c in make_font.characters() if re.match(f"[{PAGE_CJK}]", c)}
    assert len(shown) > 1000 and {"卷", "帮", "助"} <= shown  # the notebooks' text and the menus (帮助: Help)
    missing = sorted(c for c in shown if ord(c) not in CMAP)
    assert not missing, f"the font lacks {''.join(missing)!r}: run python tools/make_font.py (see its docstring)"


@pytest.mark.parametrize("text", ["卷积层 · 特征图 3x32x32", "最大汇聚层（最大池化层）：步幅 2"])
def test_pil_draws_chinese_with_ink(text):
    font = ImageFont.truetype(str(i18n.FONT), 20)
    assert font.getmask(text).getbbox() is not None
    widths = [font.getlength(c) for c in "卷积层"]
    assert min(widths) > 10, "a Chinese glyph drawn as nothing (or as a thin box) is missing"
