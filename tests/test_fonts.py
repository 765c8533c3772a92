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


DRAWN = sorted({s for s in [*ZH.values(), *(s for p in sorted((ROOT / "notebooks").rglob("*.ipynb"))
                                             for s in notebook_strings(p))] if CJK.search(s)})


def test_there_are_chinese_strings_to_check():
    assert len(DRAWN) > 50, "the catalog and the Chinese notebooks should give many Chinese strings"


def test_the_font_has_every_glyph_of_every_chinese_string():
    chars = {c for s in DRAWN for c in s if not c.isspace()} - PRINTED_ONLY
    missing = sorted(c for c in chars if ord(c) not in CMAP and (CJK.match(c) or ord(c) not in DEJAVU))
    assert not missing, f"the font lacks {''.join(missing)!r}: run python tools/make_font.py"


@pytest.mark.parametrize("text", ["卷积层 · 特征图 3x32x32", "最大汇聚层（最大池化层）：步幅 2"])
def test_pil_draws_chinese_with_ink(text):
    font = ImageFont.truetype(str(i18n.FONT), 20)
    assert font.getmask(text).getbbox() is not None
    widths = [font.getlength(c) for c in "卷积层"]
    assert min(widths) > 10, "a Chinese glyph drawn as nothing (or as a thin box) is missing"
