"""The site and the PDF handouts of `python3 run.py build` (tools/website.py).

Unit tests (no browser, no kernel): widget outputs become their picture with the settings under it, math
becomes MathML, links to project files lead to their pages. In `python3 run.py test all` (marked `kernels`
and `browser`): every notebook of both editions runs to the end, once (tests/conftest.py's `executed`: the
only run of each notebook in that tier), the whole site is made from those runs and, like a reader, each
page is opened from disk in Debian's Chromium: no console error, no request leaving the disk, no broken
link, anchor or image, no error output or traceback, every widget shown as a picture with a natural size.
Each handout is rendered to PNG (pdfium): not blank, with its pictures, and a Chinese page has its glyphs
from a CJK font. A screenshot of a widget picture on the site goes to artifacts/site/. The built site is
checked where CNN_LAYERS_SITE names it (e.g. `CNN_LAYERS_SITE=dist` after `python3 run.py build`).
"""

import base64
import io
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
import website
from browser_support import missing_browser
from test_build import exercises, not_yet_said

ROOT = Path(__file__).resolve().parent.parent

ARTIFACTS = ROOT / "artifacts" / "site"
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOK = ROOT / "notebooks" / "01_convolution.ipynb"


def png_bytes(width=6, height=4):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def need_browser():
    """Skip where Chromium or playwright is missing; under CI (CI=true) that is a failure instead."""
    reason = missing_browser()
    if reason and os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"CI must build the site and handouts, but {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)


def widget_output(**data):
    return nbformat.v4.new_output("display_data", data={website.WIDGET_VIEW: {"model_id": "abc"}, **data})


def test_a_widget_output_becomes_its_picture_with_its_settings_under_it():
    png = base64.b64encode(png_bytes()).decode()
    cell = nbformat.v4.new_code_cell(outputs=[widget_output(**{"image/png": png, "text/plain": "kernel=edge <3>"})])
    nb = nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {"state": {}}})
    data = website.widget_pictures(nb).cells[0].outputs[0]["data"]
    assert list(data) == ["text/html"] and "widgets" not in nb.metadata
    assert f'src="data:image/png;base64,{png}"' in data["text/html"]
    assert "kernel=edge &lt;3&gt;" in data["text/html"]  # the settings, escaped


def test_a_widget_without_a_picture_says_so_instead_of_showing_a_dead_control():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[widget_output(**{"text/plain": "x"})])])
    html = website.widget_pictures(nb).cells[0].outputs[0]["data"]["text/html"]
    assert "<img" not in html and "run the notebook to use it" in html


def render_markdown(text, source=NOTEBOOK):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    return website.render(source, nb, website.sources())


def test_math_is_mathml_and_the_page_loads_no_script():
    page = render_markdown(r"Inline $p_k = e^{z_k}$ and $\text{in\_features}$, and $$\frac{n+2p-k}{s}+1$$")
    assert page.count("<math") == 3 and len(re.findall(r'<math[^>]*display="block"', page)) == 1
    assert "$" not in page.split("<main>")[1] and "in\\_features" not in page
    assert "<script" not in page and "https://cdn" not in page


def test_links_to_project_files_lead_to_their_pages_or_the_repository():
    repo, ref = website.sync_notebooks.project()
    page = render_markdown("[next](02_max_pooling.ipynb) [home](../README.md#offline) "
                           "[lab](../run.py) [web](https://example.org/a) [here](#top)")
    assert 'href="02_max_pooling.html"' in page and 'href="../index.html#offline"' in page
    assert f'href="{repo}/blob/{ref}/run.py"' in page
    assert 'href="https://example.org/a"' in page and 'href="#top"' in page


def test_the_colab_badge_is_a_local_picture_and_another_remote_image_is_refused():
    page = render_markdown(f"[![Open In Colab]({website.COLAB_BADGE})](https://colab.research.google.com/x)")
    assert 'src="../site-assets/colab-badge.svg"' in page and website.COLAB_BADGE not in page
    with pytest.raises(ValueError, match="fetched from the network"):
        render_markdown("![logo](https://example.org/logo.png)")


def test_headings_have_the_anchors_github_gives_them():
    assert website.github_slug("Quick start: two commands") == "quick-start-two-commands"
    assert website.github_slug("Glossary · 术语表") == "glossary--术语表"


# ---- the whole site, built once, opened from disk in Chromium ----

PAGE_CHECK_JS = r"""async () => {
  const found = [];
  const images = [...document.images];
  await Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  images.forEach((i, n) => { if (!i.naturalWidth) found.push(`image ${n} did not load: ${i.src.slice(0, 80)}`); });
  // a browser-side view runs live on its saved state (tools/live_widgets.py): it draws within a few seconds
  const live = [...document.querySelectorAll('.cnn-live-widget')];
  for (let t = 0; t < 100 && live.some(w => !w.classList.contains('cnn-live-ready')); t++)
    await new Promise(r => setTimeout(r, 100));
  live.forEach((w, n) => { if (!w.classList.contains('cnn-live-ready')) found.push(`live widget ${n} did not draw`); });
  const widgets = [...document.querySelectorAll('figure.widget')];
  widgets.forEach((f, n) => { const i = f.querySelector('img');
    if (!i || !i.naturalWidth || !i.naturalHeight) found.push(`widget ${n} has no picture: ${f.textContent}`); });
  for (const o of document.querySelectorAll('.jp-OutputArea-output')) {
    const stderr = o.dataset.mimeType === 'application/vnd.jupyter.stderr';
    if (/Traceback/.test(o.textContent) || (stderr && /Error/.test(o.textContent)))
      found.push(`error output: ${o.textContent.slice(0, 200)}`);
    const tofu = o.textContent.match(/Glyph \d+ \([^)]*\) missing from font/);  // a picture's text drawn as boxes
    if (tofu) found.push(`a figure lacks a glyph: ${tofu[0]}`);
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  return {found, links, widgets: widgets.length, pictures: widgets.filter(f => f.querySelector('img')).length,
          live: live.length};
}"""


@pytest.mark.kernels
@pytest.mark.parametrize("source", [p for p in website.sources() if p.suffix == ".ipynb"],
                         ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_each_notebook_runs_to_the_end_with_no_error_output_and_its_exercises_left_open(executed, source):
    dist, failures = executed
    assert failures[source] is None, failures[source]
    nb = nbformat.read(website.executed_path(dist, source), as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    # every exercise is left for the student: its checker, run on the series as shipped, says "not yet"
    said = not_yet_said(source, nb)
    assert said >= exercises(source) >= 1, f"{source.name}: {exercises(source)} exercises, {said} checkers said not yet"


@pytest.fixture(scope="module")
def dist(executed):
    """The site and handouts, made as `python3 run.py build` makes them from the notebooks run once."""
    need_browser()
    folder, failures = executed
    failed = [website.sync_notebooks.relative(p) for p, failure in failures.items() if failure]
    if failed:
        pytest.fail(f"no site: {', '.join(failed)} failed (see test_each_notebook_runs_to_the_end)", pytrace=False)
    if not os.environ.get("CNN_LAYERS_SITE"):
        website.write_site(folder)
        website.write_pdfs(folder)
    return folder


def executed_notebooks(dist):
    return sorted((dist / "executed").rglob("*.ipynb"))


def open_page(browser, path):
    """Open a page from disk; gives (page, problems seen while loading: console errors, requests off the disk)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    # blob: the live widgets' modules, made in the page from its own scripts (as anywidget does): nothing fetched
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:"))
            else problems.append(f"request {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


def anchors(browser, path, cache={}):  # noqa: B006 (one cache for the module)
    """The ids a page defines (for links with a #fragment)."""
    if path not in cache:
        page = browser.new_page()
        page.goto(path.as_uri())
        cache[path] = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
        page.close()
    return cache[path]


@pytest.mark.browser
def test_every_notebook_of_both_editions_has_a_page_and_a_handout(dist):
    notebooks = [p for p in website.sources() if p.suffix == ".ipynb"]
    assert len(notebooks) >= 4 and len(executed_notebooks(dist)) == len(notebooks)
    for path in notebooks:
        assert (dist / "site" / website.page_path(path)).exists(), path
        assert (dist / "site" / website.pdf_path(path)).stat().st_size > 10_000, path
    assert (dist / "site" / "index.html").exists()


@pytest.mark.browser
def test_every_page_loads_offline_without_errors_broken_links_or_missing_pictures(dist, browser):
    site = dist / "site"
    pages = sorted(site.rglob("*.html"))
    failures = []
    for path in pages:
        page, problems = open_page(browser, path)
        result = page.evaluate(PAGE_CHECK_JS)
        page.close()
        problems += result["found"]
        for link in result["links"]:
            if not link.startswith("file:"):
                continue
            target, _, fragment = unquote(link).partition("#")
            target = Path(re.sub(r"^file://", "", target))
            if not target.exists():
                problems.append(f"broken link {link}")
            elif fragment and target.suffix == ".html" and fragment not in anchors(browser, target):
                problems.append(f"link to a missing anchor {link}")
        failures += [f"{path.relative_to(site)}: {p}" for p in problems]
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_every_widget_of_the_executed_notebooks_is_a_picture_on_its_page(dist, browser):
    for nb_path in executed_notebooks(dist):
        outputs = [o for c in json.loads(nb_path.read_text())["cells"] for o in c.get("outputs", [])]
        assert not [o for o in outputs if o["output_type"] == "error"], nb_path
        widgets = sum(website.WIDGET_VIEW in o.get("data", {}) for o in outputs)
        source = ROOT / nb_path.relative_to(dist / "executed")
        page, _ = open_page(browser, dist / "site" / website.page_path(source))
        result = page.evaluate(PAGE_CHECK_JS)
        if source == NOTEBOOK:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            figure = page.locator(".cnn-live-widget, figure.widget:visible").first  # live: its still is hidden
            figure.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "01_convolution_widget.png"))
        page.close()
        assert result["widgets"] == result["pictures"] == widgets, (nb_path.name, result, widgets)
        if "01_" in source.name or "02_" in source.name:
            assert widgets >= 1, f"{source.name} shows no widget at all"
            assert result["live"] >= 1, f"{source.name}'s page runs no widget live (tools/live_widgets.py)"


# ---- the PDF handouts ----

def pdf_pictures_and_first_page(path):
    """(number of pictures placed on the handout's pages, its first page as a greyscale PIL image)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(path)
    pictures = sum(len(list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=5))) for page in pdf)
    return pictures, pdf[0].render(scale=1).to_pil().convert("L")


def has_ink(image, box=None):
    """Whether `image` (greyscale) has dark pixels (inside `box`, left/top/right/bottom in pixels)."""
    import numpy as np

    pixels = np.asarray(image.crop(box) if box else image)
    return (pixels < 128).mean() > (0.0005 if box is None else 0.02)


def cjk_glyphs(path, page_number=0, scale=2):
    """[(character, box height in points, ink in its box)] for the CJK characters of one PDF page."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(path)[page_number]
    text, image, height = page.get_textpage(), page.render(scale=scale).to_pil().convert("L"), page.get_height()
    found = []
    for i, char in enumerate(text.get_text_range()):
        if CJK.match(char):
            left, bottom, right, top = text.get_charbox(i)
            box = [round(v * scale) for v in (left, height - top, right, height - bottom)]
            found.append((char, top - bottom, has_ink(image, box)))
    return found


def assert_real_chinese_glyphs(glyphs, where):
    """Chinese characters drawn from a font that has them: each has ink, and their shapes differ (tofu boxes do not)."""
    assert len(glyphs) >= 3, f"{where}: no Chinese text found in the PDF"
    assert all(ink for _, _, ink in glyphs), f"{where}: a Chinese character has no ink: {glyphs}"
    heights = {round(h, 1) for _, h, _ in glyphs}
    assert len(heights) > 1, f"{where}: every Chinese character has the same box, as missing-glyph boxes do: {glyphs}"


@pytest.mark.browser
def test_every_handout_has_ink_and_its_pictures(dist):
    for nb_path in executed_notebooks(dist):
        outputs = [o for c in json.loads(nb_path.read_text())["cells"] for o in c.get("outputs", [])]
        pngs = {o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})}
        handout = dist / "site" / website.pdf_path(ROOT / nb_path.relative_to(dist / "executed"))
        pictures, first = pdf_pictures_and_first_page(handout)
        assert has_ink(first), f"{handout.name}: the first page is blank"
        assert pictures >= len(pngs) >= 1, f"{handout.name}: {pictures} pictures, {len(pngs)} in its notebook"


@pytest.mark.browser
def test_the_chinese_handouts_show_chinese_glyphs(dist):
    handouts = sorted((dist / "site" / "pdf" / "zh").glob("*.pdf"))
    if not handouts:
        pytest.skip("no Chinese edition (notebooks/zh/) yet")
    for handout in handouts:
        assert_real_chinese_glyphs(cjk_glyphs(handout), handout.name)


@pytest.mark.browser
def test_a_chinese_page_prints_with_its_glyphs(tmp_path):
    """Without the whole build: one Chinese page printed, its characters from a CJK font (一 is flat, 卷 is not)."""
    need_browser()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · 卷积层\n\n卷积核是一个小的权重网格。")])
    page = website.write_page(tmp_path / "site", ROOT / "notebooks" / "zh" / NOTEBOOK.name, nb, website.sources())
    glyphs = cjk_glyphs(website.print_pdf(page, tmp_path / "zh.pdf", website.find_chromium()))
    assert "".join(c for c, _, _ in glyphs) == "卷积层卷积核是一个小的权重网格"
    assert_real_chinese_glyphs(glyphs, "a Chinese page")
    height = dict((c, h) for c, h, _ in glyphs)
    assert height["一"] < 0.4 * height["网"], glyphs


@pytest.mark.kernels
def test_a_notebook_that_fails_stops_the_build_naming_it(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert 1 == 2, 'the check failed'")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "05_broken.ipynb")
    with pytest.raises(RuntimeError, match=r"05_broken.ipynb failed, so it has no page(.|\n)*the check failed"):
        website.execute(tmp_path / "05_broken.ipynb", tmp_path / "out" / "05_broken.ipynb")
    assert not (tmp_path / "out").exists()
