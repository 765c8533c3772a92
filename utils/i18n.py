"""The language a learner reads, English or Simplified Chinese, chosen once per notebook; and its font.

Every string `utils` shows a learner goes through `tr(english, **values)`: the English text is the key,
`messages_zh.ZH` holds its Chinese, and `{name}` fields are filled after the lookup. The font that
draws Chinese ships with the package (utils/fonts/, a subset of Noto Sans CJK SC), so pictures never
show empty boxes on a machine without a CJK font, Colab included.
"""

import base64
import unicodedata
from functools import cache
from pathlib import Path

from .messages_zh import ZH

LANGUAGES = {"en": "English", "zh": "简体中文"}
FONT = Path(__file__).resolve().parent / "fonts" / "SeriesSansSC-Regular.otf"
FONT_NAME = "Series Sans SC"
FONT_CSS = FONT.parent / "custom.css"  # @font-face for the pages the series draws (site, JupyterLab, dashboard)
_current = ["en"]


def set_language(code):
    """Choose the language of every message, label and caption `utils` makes: "en" or "zh"."""
    if code not in LANGUAGES:
        raise ValueError(f"the language should be one of {sorted(LANGUAGES)}, got {code!r}")
    _current[0] = code


def language():
    """The language chosen with set_language ("en" unless changed)."""
    return _current[0]


def tr(english, **values):
    """An English message (the catalog key) in the chosen language, its {fields} filled from `values`."""
    text = ZH.get(english, english) if _current[0] == "zh" else english
    return text.format(**values) if values else text


def width(text):
    """Columns `text` takes in a fixed-width font, as printed tables need: 2 for a wide (Chinese) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def pad(text, columns, align="<"):
    """str(text) filled with spaces to `columns` display columns, flush left ("<") or right (">")."""
    text = str(text)
    fill = " " * max(0, columns - width(text))
    return fill + text if align == ">" else text + fill


@cache
def use_font():
    """Let matplotlib draw Chinese: the shipped font as the fallback after the default family (done once)."""
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT))
    families = list(matplotlib.rcParams["font.family"])  # matplotlib falls back along this list, glyph by glyph
    if FONT_NAME not in families:
        matplotlib.rcParams["font.family"] = [*families, FONT_NAME]
    return FONT


def font_style():
    """A page's <style> that draws its Chinese with the shipped font, inlined: FONT_CSS with the font as a data URL.

    For a page with no other way to load it: the dashboard, which Voila serves with no custom CSS."""
    from IPython.display import HTML

    data = base64.b64encode(FONT.read_bytes()).decode()
    css = FONT_CSS.read_text(encoding="utf-8").replace(f'url("{FONT.name}")', f'url("data:font/otf;base64,{data}")')
    return HTML(f"<style>{css}</style>")
