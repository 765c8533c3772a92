"""utils.i18n: one language per notebook, the catalog's lookups, and a font that draws Chinese."""

import io
import warnings

import matplotlib
import pytest
from fontTools.ttLib import TTFont

from utils import i18n

matplotlib.use("Agg")


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setitem(i18n.ZH, "the file {name} is empty", "文件 {name} 是空的")
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_english_is_the_default_and_fields_are_filled_after_the_lookup(chinese):
    assert i18n.tr("the file {name} is empty", name="a.png") == "文件 a.png 是空的"
    i18n.set_language("en")
    assert i18n.language() == "en"
    assert i18n.tr("the file {name} is empty", name="a.png") == "the file a.png is empty"


def test_pad_counts_a_chinese_character_as_two_columns():
    assert [i18n.width(t) for t in ("disk", "圆盘", "Sobel x", "（1）", "")] == [4, 4, 7, 5, 0]
    assert i18n.pad("圆盘", 6) == "圆盘  " and i18n.pad("圆盘", 6, ">") == "  圆盘"
    assert i18n.pad("disk", 6, ">") == "  disk" and i18n.pad(12, 1) == "12"  # never cut, str() of anything
    rows = [i18n.pad(name, 8, ">") + " |" for name in ("disk", "圆盘", "h-stripes", "横条纹")]
    assert {i18n.width(row) for row in rows[:2] + rows[3:]} == {10}, "aligned whatever the script"


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"one of \['en', 'zh'\], got 'fr'"):
        i18n.set_language("fr")


def test_the_shipped_font_is_a_cjk_font_with_its_licence():
    cmap = TTFont(i18n.FONT).getBestCmap()
    assert all(ord(c) in cmap for c in "卷积层特征图 ABC 0123"), "the font lacks common glyphs"
    assert "SIL OPEN FONT LICENSE" in (i18n.FONT.parent / "OFL.txt").read_text()


def test_matplotlib_draws_chinese_with_the_shipped_font_and_no_missing_glyph():
    import matplotlib.pyplot as plt

    i18n.use_font()
    fig, ax = plt.subplots()
    ax.set_title("卷积层 convolutional layer")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for tofu
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
