"""Make the font the series draws Chinese with: a subset of Noto Sans CJK SC, shipped in utils/fonts/.

Colab, and many fresh Linux, macOS and Windows machines, have no CJK font, and PIL's default font has
no Chinese glyphs, so Chinese in a picture would come out as empty boxes. Noto Sans CJK (SIL Open Font
License 1.1) covers it, but is 16 MB; the series needs only the characters its text uses. This keeps
those (every character in the project's notebooks, Markdown, catalog and code, plus printable ASCII, and
the Chinese of JupyterLab's own menus, from the zh-CN language pack `run.py lab zh` uses) and writes a font
of a few hundred KB, renamed as the licence asks of a modified version.

    python tools/make_font.py               (needs Debian's fonts-noto-cjk: apt-get install fonts-noto-cjk)
    python tools/make_font.py NotoSansCJK-Regular.ttc      (the same font from elsewhere, not installed:
        apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto, then
        noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)

tests/test_fonts.py fails when a string the series draws has a character the font lacks: run this again.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
FONT = ROOT / "utils" / "fonts" / "SeriesSansSC-Regular.otf"
FAMILY = "Series Sans SC"  # a modified version may not keep the original's reserved names
TEXT_FILES = (".ipynb", ".md", ".py", ".tsv", ".json")
MENUS = "jupyterlab_language_pack_zh_CN"  # JupyterLab's menus in Chinese (run.py lab zh)


def characters():
    """Every character in the project's tracked (and new) text files, JupyterLab's Chinese menus, printable ASCII."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    found = {chr(c) for c in range(0x20, 0x7F)}
    for name in listed:
        if name.endswith(TEXT_FILES) and (ROOT / name).is_file():
            found |= set((ROOT / name).read_text(encoding="utf-8", errors="ignore"))
    for catalog in menu_catalogs():  # {English: [Chinese, ...]}, and its header under ""
        messages = json.loads(catalog.read_text(encoding="utf-8"))
        found |= {c for english, chinese in messages.items() if english for text in chinese for c in text}
    return "".join(sorted(c for c in found if c.isprintable()))


def menu_catalogs():
    """The message catalogs (JSON) of JupyterLab's zh-CN language pack, installed with requirements.txt."""
    spec = importlib.util.find_spec(MENUS)
    if spec is None:
        sys.exit(f"{MENUS} is missing: pip install -r requirements.txt")
    return sorted(Path(spec.origin).parent.glob("locale/zh_CN/LC_MESSAGES/*.json"))


def simplified_chinese(source=SOURCE):
    """Noto Sans CJK SC Regular, out of Debian's collection (or the same .ttc at `source`)."""
    if not source.exists():
        sys.exit(f"{source} is missing: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)")
    for font in TTCollection(str(source)).fonts:
        if font["name"].getDebugName(4) == "Noto Sans CJK SC":
            return font
    sys.exit(f"no 'Noto Sans CJK SC' in {source}")


def rename(font):
    """Give the subset its own family name, keeping the copyright and licence records."""
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"


def main(argv):
    font = simplified_chinese(Path(argv[0]) if argv else SOURCE)
    options = subset.Options()
    options.hinting = False  # pictures are drawn at 13-40 px, where FreeType's autohinter does as well
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    text = characters()
    subsetter.populate(text=text)
    subsetter.subset(font)
    rename(font)
    FONT.parent.mkdir(exist_ok=True)
    font.recalcTimestamp = False  # the same characters give the same file: no change to commit
    font.save(str(FONT))
    print(f"{FONT.relative_to(ROOT)}: {len(font.getGlyphOrder())} glyphs for {len(text)} characters, "
          f"{FONT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
