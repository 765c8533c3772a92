"""Every page the series draws declares its own Chinese font (utils/fonts/custom.css, @font-face), so Chinese is
drawn on a machine with no CJK font: the site and its PDF handouts, the dashboard (`run.py class [zh]`) and
JupyterLab (`run.py lab [zh]`); and the Chinese dashboard is Chinese.

The browser tests ask Chromium which font drew each piece of Chinese text (DevTools' CSS.getPlatformFontsForNode):
every CJK character must come from the shipped font. Without it (no CJK font on this machine, on purpose: `fc-list
:lang=zh` prints nothing) they come out as empty boxes from DejaVu Sans, and the tests fail. Screenshots go to
artifacts/site/ and artifacts/browser/.
"""

import base64
import json
import re
from pathlib import Path

import nbformat
import pytest
import website
from browser_support import JupyterLab, Voila
from editions import program
from sync_notebooks import tomllib
from test_browser import ARTIFACTS as BROWSER_ARTIFACTS
from test_fonts import PAGE_CJK as CJK
from test_site import ARTIFACTS as SITE_ARTIFACTS
from test_site import assert_real_chinese_glyphs, cjk_glyphs

import run
from utils import i18n

ROOT = Path(__file__).resolve().parent.parent
CSS = i18n.FONT_CSS.read_text(encoding="utf-8")
DASHBOARDS = {language: ROOT / path for language, path in run.DASHBOARD.items()}

# Numbers (data-cjk) every visible element with CJK characters in its own text (a menu: in its chosen option);
# gives [[its text, CJK characters it shows with what it holds], ...]: what Chromium reports drawing for it.
MARK_JS = r"""cjk => { const marked = [], count = text => (text.match(new RegExp(`[${cjk}]`, 'g')) || []).length;
  for (const e of document.querySelectorAll('body *')) {
    const select = e.tagName === 'SELECT', chosen = select ? (e.selectedOptions[0] || {}).text || '' : '';
    const own = select ? chosen : [...e.childNodes].filter(c => c.nodeType === Node.TEXT_NODE)
      .map(c => c.textContent).join('');
    delete e.dataset.cjk;
    if (count(own) && e.getClientRects().length) {
      e.dataset.cjk = marked.length;
      marked.push([own.trim(), count(select ? chosen : e.innerText || e.textContent)]);  // hidden: laid out
    }
  }
  return marked; }"""


def chinese_drawn(page):
    """[(text, CJK characters in it, glyphs the shipped font drew, the fonts Chromium used)] per visible element."""
    marked = page.evaluate(MARK_JS, CJK)
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = []
    for node in session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk]"})["nodeIds"]:
        attributes = session.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        index = dict(zip(attributes[::2], attributes[1::2])).get("data-cjk")
        if index is None:  # redrawn meanwhile (JupyterLab's status bar, say): its new text is not in `marked`
            continue
        text, cjk = marked[int(index)]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        if not fonts:  # not drawn (yet): JupyterLab leaves cells far below the screen unpainted
            continue
        ours = sum(f["glyphCount"] for f in fonts if f["familyName"] == i18n.FONT_NAME)
        found.append((text[:60], cjk, ours, sorted({f["familyName"] for f in fonts})))
    session.detach()
    return found


def assert_chinese_in_the_shipped_font(page, where, at_least):
    """Every CJK character on the page drawn by the shipped font (none as another font's empty box)."""
    drawn = chinese_drawn(page)
    assert len(drawn) >= at_least, f"{where}: only {len(drawn)} pieces of Chinese text found: {drawn}"
    wrong = [d for d in drawn if d[2] != d[1]]
    assert not wrong, f"{where}: Chinese not drawn by {i18n.FONT_NAME} (text, CJK, its glyphs, fonts): {wrong}"
    return drawn


# ---- what each page declares ----

def test_the_font_css_puts_the_shipped_font_first_for_chinese_only():
    declared = re.search(r"@font-face\s*{([^}]*)}", CSS).group(1)
    assert f'font-family: "{i18n.FONT_NAME}"' in declared and f'url("{i18n.FONT.name}")' in declared
    assert (i18n.FONT_CSS.parent / i18n.FONT.name).exists()
    assert re.match(f"[{CJK}]+$", "卷积层，特征图（池化）：。、") and not re.search(f"[{CJK}]", "abc 123 · × —")
    for variable in ("--jp-ui-font-family", "--jp-code-font-family"):  # the content font is the ui font
        assert re.search(rf'{variable}:\s*"{i18n.FONT_NAME}",', CSS), variable
    assert ":root:root {" in CSS, "the themes' :root comes later in JupyterLab: outrank it"


def test_font_style_inlines_the_font_for_a_page_without_custom_css():
    style = i18n.font_style().data
    data = re.search(r'url\("data:font/otf;base64,([^"]+)"\)', style).group(1)
    assert base64.b64decode(data) == i18n.FONT.read_bytes()
    inlined = CSS.replace(f'url("{i18n.FONT.name}")', f'url("data:font/otf;base64,{data}")')
    assert style == f"<style>{inlined}</style>", "the page style is custom.css, with nothing else changed"


def test_jupyterlab_serves_the_font_folder_as_its_custom_css():
    options = run.lab_font()
    assert "--LabApp.custom_css=True" in options
    [served] = [json.loads(o.split("=", 1)[1]) for o in options if o.startswith("--ServerApp.tornado_settings=")]
    [folder] = served["static_custom_path"]
    assert (Path(folder) / "custom.css").read_text(encoding="utf-8") == CSS  # /custom/custom.css, and the font


def test_every_site_page_links_the_font_css_after_nbconvert_styles_and_ships_the_font(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · 卷积层")])
    page = website.write_page(tmp_path, ROOT / "notebooks" / "zh" / "01_convolution.ipynb", nb, website.sources())
    html = page.read_text()
    link = html.index('href="../../site-assets/custom.css"')
    assert link > html.rindex("<style"), "linked before nbconvert's theme, whose :root variables would win"
    assert (tmp_path / "site-assets" / "custom.css").read_text(encoding="utf-8") == CSS
    assert (tmp_path / "site-assets" / i18n.FONT.name).read_bytes() == i18n.FONT.read_bytes()


def test_a_chinese_page_is_titled_navigated_and_captioned_in_chinese(tmp_path):
    png = base64.b64encode(i18n.FONT.read_bytes()[:8]).decode()  # what the picture holds does not matter here
    widget = nbformat.v4.new_output("display_data", data={website.WIDGET_VIEW: {}, "image/png": png, "text/plain": "x"})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("[目录](../../README.zh-CN.md)"),
                                         nbformat.v4.new_markdown_cell("# 01 · **卷积层**\n\n正文"),
                                         nbformat.v4.new_code_cell("conv.ShapeCalculator()", outputs=[widget])])
    html = website.render(ROOT / "notebooks" / "zh" / "01_convolution.ipynb", nb, website.sources())
    assert "<title>01 · 卷积层</title>" in html
    bar = re.findall(r'<a href="([^"]*)">([^<]*)</a>', html.split('<nav class="site-nav">')[1].split("</nav>")[0])
    assert [text for _, text in bar] == ["目录", "English", "PDF 讲义", "自己运行"], bar
    assert bar[0][0] == "../../README.zh-CN.html" and bar[3][0].startswith("../../README.zh-CN.html#")
    assert "这是小部件的静态图片" in html and "A picture of the widget" not in html
    english = website.render(ROOT / "notebooks" / "01_convolution.ipynb", nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 · Convolutional layer")]), website.sources())
    assert "<title>01 · Convolutional layer</title>" in english and ">Run it yourself</a>" in english
    assert i18n.language() == "en", "rendering a Chinese page leaves utils' language as it was"


def test_the_font_ships_with_the_package():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["utils"]
    shipped = {p for pattern in patterns for p in (ROOT / "utils").glob(pattern)}
    assert {i18n.FONT, i18n.FONT_CSS} <= shipped, "pip install (Colab's badge route) would leave the font out"


# ---- the dashboard in Chinese ----

def cells(path):
    return json.loads(path.read_text())["cells"]


def test_the_two_dashboards_are_one_program_in_two_languages():
    english, chinese = cells(DASHBOARDS["en"]), cells(DASHBOARDS["zh"])
    assert [(c["id"], c["cell_type"]) for c in english] == [(c["id"], c["cell_type"]) for c in chinese]
    for en, zh in zip(english, chinese):
        if en["cell_type"] == "code":
            assert program("".join(en["source"])) == program("".join(zh["source"])), en["id"]
    for language, path in DASHBOARDS.items():
        setup = "".join(cells(path)[1]["source"])  # its last line's value is what the cell shows
        assert f'set_language("{language}")' in setup, f"the {language} dashboard must set its language"
        assert setup.splitlines()[-1].startswith("font_style()"), f"the {language} dashboard must show the font"


def test_the_chinese_dashboard_says_everything_in_chinese():
    for cell in cells(DASHBOARDS["zh"]):
        if cell["cell_type"] == "markdown":
            prose = re.sub(r"`[^`]*`", "", "".join(cell["source"]))  # code spans are code
            english = set(re.findall(r"[A-Za-z]{2,}", prose)) - {"notebook", "softmax"}  # the glossary keeps these
            assert not english, f"{cell['id']}: English in the Chinese dashboard: {english}"
            assert re.search(f"[{CJK}]", prose), cell["id"]


# ---- in the browser, on this machine without a CJK font ----

@pytest.mark.browser
def test_a_chinese_site_page_and_its_handout_draw_chinese_with_the_shipped_font(browser, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 · 卷积层\n\n卷积核是一个小的**权重**网格，在图像上滑动。"),
        nbformat.v4.new_code_cell("print('输出尺寸')  # 公式：(n + 2p - k) // s + 1", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="输出尺寸：28×28\n")])])
    page_path = website.write_page(tmp_path / "site", ROOT / "notebooks" / "zh" / "01_convolution.ipynb", nb,
                                   website.sources())
    page = browser.new_page(viewport={"width": 1000, "height": 500})
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate("() => document.fonts.ready")
    SITE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SITE_ARTIFACTS / "zh-page.png"))
    drawn = assert_chinese_in_the_shipped_font(page, "a Chinese site page", at_least=5)
    for part in ("目录", "01 · 卷积层", "# 公式", "输出尺寸：28×28"):  # the bar, a heading, a comment, an output
        assert any(part in text for text, *_ in drawn), (part, drawn)
    page.close()

    handout = website.print_pdf(page_path, tmp_path / "zh.pdf", website.find_chromium())
    assert_real_chinese_glyphs(cjk_glyphs(handout), "a Chinese handout")
    import pypdfium2 as pdfium

    pdfium.PdfDocument(handout)[0].render(scale=1.5).to_pil().save(SITE_ARTIFACTS / "zh-handout-page1.png")


@pytest.mark.browser
def test_the_chinese_dashboard_draws_chinese_with_the_shipped_font(browser):
    widgets = sum(c["cell_type"] == "code" for c in cells(DASHBOARDS["zh"]))  # one output each (the first: style)
    with Voila(DASHBOARDS["zh"]) as server:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(server.url, timeout=600_000, wait_until="load")  # Voila sends the page once every cell has run
        page.wait_for_function("n => document.querySelectorAll('.jp-OutputArea-output').length >= n && "
                               "!document.body.textContent.includes('Loading widget')", arg=widgets, timeout=120_000)
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=60_000)
        assert page.locator("h1").inner_text().strip() == "卷积神经网络的层：交互演示"
        BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(BROWSER_ARTIFACTS / "dashboard-zh.png"))
        page.locator("h2").last.scroll_into_view_if_needed()
        page.screenshot(path=str(BROWSER_ARTIFACTS / "dashboard-zh-network.png"))
        drawn = assert_chinese_in_the_shipped_font(page, "the Chinese dashboard", at_least=40)
        assert {"select", "button"} <= {t for t in page.evaluate(
            "() => [...document.querySelectorAll('[data-cjk]')].map(e => e.tagName.toLowerCase())")}, drawn
        page.context.close()


@pytest.mark.browser
def test_jupyterlab_zh_draws_headings_and_menus_with_the_shipped_font(browser):
    folder, name, text = run.ZH_LOCALE
    with JupyterLab(ROOT, args=run.lab_font(), settings={f"{folder}/{name}": json.loads(text)}) as lab:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(lab.workspace_url(ROOT / "notebooks" / "zh" / "01_convolution.ipynb"), wait_until="domcontentloaded")
        page.wait_for_selector(".jp-MarkdownCell h1", timeout=120_000)
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus"
                               " === 'idle'", timeout=120_000)
        page.evaluate("() => document.fonts.ready")
        BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(BROWSER_ARTIFACTS / "lab-zh.png"))
        drawn = assert_chinese_in_the_shipped_font(page, "JupyterLab (lab zh)", at_least=20)
        texts = {text for text, *_ in drawn}
        assert {"文件", "编辑", "帮助"} <= texts, "JupyterLab's menus should be in Chinese (the zh-CN language pack)"
        assert any(t.startswith("01 · 卷积层") for t in texts), "the notebook's heading"
        page.context.close()
        lab.shutdown_kernels()
