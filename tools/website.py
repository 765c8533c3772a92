"""The series to read without running: a static website (dist/site/) and PDF handouts (dist/site/pdf/).

    python tools/build.py site pdf        (or `python3 run.py build`, which runs every step)

Each notebook of both editions (notebooks/ and notebooks/zh/) is executed once, into dist/executed/,
and both the site and the handouts are made from that copy. The site mirrors the project: the README
is index.html, notebooks/NN_x.ipynb is notebooks/NN_x.html, so the notebooks' own links work once
.ipynb and .md become .html. nbconvert renders it (its lab template, the look of JupyterLab) because
it is installed already and renders exactly what Jupyter shows; Jupyter Book or mkdocs-jupyter would
add a second toolchain for the same pages. The pages work offline, from disk, with no script but the site's own:
- a widget is shown as the picture its `_repr_mimebundle_` carries, with its settings (its text/plain)
  written under it; the live-widget view and the notebook's widget state are dropped, so no dead
  slider is drawn and nothing is fetched from a CDN;
- except a browser-side view (utils/web/*.js): it runs live on its saved state, from the site's own
  copy of its module (tools/live_widgets.py), its picture kept for print;
- math is turned into MathML when the page is built (latex2mathml), which the browser draws itself;
- the Colab badge is a local copy; Chinese text uses the reader's CJK font, else the series' own.
The handouts are the same pages printed by Chromium (`chromium --headless --print-to-pdf`).
"""

import concurrent.futures
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import live_widgets
import nbformat
import sync_notebooks
from latex2mathml.converter import convert as latex_to_mathml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from utils import i18n
from utils.i18n import tr

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "site"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-pdf-header-footer"]
WORKERS = 2  # notebooks executed at once: the machine has 2 cores
QUICK_START = ("Quick start", "快速上手")  # words of the READMEs' headings on running the series
TIMEOUT_S = 600  # per cell


def sources():
    """The project's files the site shows: every notebook of both editions and the README(s), in order."""
    found = [readme for readme in sync_notebooks.READMES.values() if readme.exists()]
    for folder in sync_notebooks.READMES:
        found += sync_notebooks.notebook_paths(folder)
    return found


def page_path(source):
    """Where a project file's page goes in the site: README.md -> index.html, notebooks/x.ipynb -> notebooks/x.html."""
    relative = source.relative_to(ROOT)
    return Path("index.html") if relative == Path("README.md") else relative.with_suffix(".html")


def executed_path(dist, path):
    return dist / "executed" / path.relative_to(ROOT)


def execute(path, target):
    """Run the notebook at `path` in its own folder, as a learner would, and save the copy with outputs to `target`."""
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as error:  # a page must never show an error: stop, naming the notebook
        raise RuntimeError(f"{os.path.relpath(path, ROOT)} failed, so it has no page or handout:\n{error}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def execute_all(dist):
    """Execute every notebook of both editions once, WORKERS at a time, into dist/executed/; gives their paths."""
    os.environ.setdefault("CNN_LAYERS_DATASET", "offline")  # the kernels inherit it; the caller's choice wins
    shutil.rmtree(dist / "executed", ignore_errors=True)
    paths = [p for p in sources() if p.suffix == ".ipynb"]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda p: execute(p, executed_path(dist, p)), paths))


def github_slug(text):
    """A heading's anchor as GitHub makes it, so links written for GitHub (README.md#quick-start) work here."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


class SiteRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with math as MathML, links to project files as links to their pages."""

    def __init__(self, source, **kwargs):
        super().__init__(escape=False, **kwargs)
        self.source = source

    def block_math(self, body):
        return latex_to_mathml(body.replace(r"\_", "_"), display="block")

    def inline_math(self, body):
        return latex_to_mathml(body.replace(r"\_", "_"))

    def heading(self, text, level, **attrs):
        slug = github_slug(text)
        return f'<h{level} id="{slug}">{text}<a class="anchor-link" href="#{slug}">¶</a></h{level}>\n'

    def link(self, text, url, title=None):
        return super().link(text, self.site_url(url), title)

    def image(self, text, url, title=None):
        if url == COLAB_BADGE:
            return f'<img src="{relative_url(self.source, ROOT / "site-assets" / "colab-badge.svg")}" alt="{text}">'
        if re.match(r"[a-z]+:", url):
            raise ValueError(f"{self.source.name}: the image {url} would be fetched from the network at view time")
        return super().image(text, url, title)

    def site_url(self, url):
        """The link on the site: to a project file's page if it has one, else to the file in the repository."""
        if re.match(r"[a-z]+:|#", url):
            return url
        target, _, fragment = url.partition("#")
        path = (self.source.parent / target).resolve()
        if path in sources():
            new = relative_url(self.source, ROOT / page_path(path))
        else:
            repo, ref = sync_notebooks.project()
            new = f"{repo}/blob/{ref}/{path.relative_to(ROOT).as_posix()}"
        return new + ("#" + fragment if fragment else "")


def relative_url(source, target):
    """The URL from the page of `source` to `target` (a path in the site, given as if under ROOT)."""
    here = (ROOT / page_path(source)).parent
    return Path(os.path.relpath(target, here)).as_posix()


class SiteExporter(HTMLExporter):
    """HTMLExporter with our template and markdown renderer."""

    def __init__(self, source, **kwargs):
        super().__init__(template_name="site", extra_template_basedirs=[str(TEMPLATE.parent)], **kwargs)
        # extra_template_basedirs is tools/, whose folder site/ holds the template (extending nbconvert's lab)
        self.source = source

    @jinja2.pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        renderer = SiteRenderer(self.source, attachments=cell.get("attachments", {}))
        return MarkdownWithMath(renderer=renderer).render(source)


def widget_pictures(nb):
    """Replace every widget output by its picture with its settings under it; drop the widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            settings = html.escape(str(data.get("text/plain", "")))
            if "image/png" in data:
                body = f'<img class="widget-picture" src="data:image/png;base64,{data["image/png"].strip()}" alt="">'
                note = tr("A picture of the widget. Run the notebook to move its controls.")
            else:
                body, note = "", tr("A live widget: run the notebook to use it.")
            output["data"] = {"text/html": f'<figure class="widget">{body}<figcaption><code>{settings}</code>'
                                           f'<br><em>{note}</em></figcaption></figure>'}
            output.get("metadata", {}).pop(WIDGET_VIEW, None)
    return nb


def navigation(source, pages):
    """The site's bar, in the page's language: its edition's README, the other edition's page, this notebook's
    PDF handout, how to run it."""
    readme = sync_notebooks.READMES[sync_notebooks.CHINESE if language_of(source) == "zh" else sync_notebooks.NOTEBOOKS]
    links = [(tr("Contents"), relative_url(source, ROOT / page_path(readme)))]
    twin = twin_of(source)
    if twin and twin in pages:
        links.append(("中文" if language_of(twin) == "zh" else "English", relative_url(source, ROOT / page_path(twin))))
    if source.suffix == ".ipynb":
        links.append((tr("PDF handout"), relative_url(source, ROOT / pdf_path(source))))
        links.append((tr("Run it yourself"), relative_url(source, ROOT / page_path(readme)) + quick_start(readme)))
    return links


def quick_start(readme):
    """The anchor of a README's section on running the series (QUICK_START), or "" (the link opens the README)."""
    headings = re.findall(r"^##+ (.+)$", readme.read_text(encoding="utf-8"), re.M)
    found = next((h for h in headings if any(words in h for words in QUICK_START)), None)
    return "#" + github_slug(found) if found else ""


def language_of(source):
    """The language of a project file's page: "zh" for the Chinese edition and README.zh-CN.md, else "en"."""
    return "zh" if "zh" in source.relative_to(ROOT).parts or source.name.endswith(".zh-CN.md") else "en"


def page_title(nb):
    """A notebook's first heading, as its page's title (nbconvert would call every page "Notebook")."""
    for cell in nb.cells:
        heading = re.search(r"^# (.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if heading:
            return re.sub(r"[*_`]", "", heading.group(1)).strip()
    return None


def twin_of(source):
    """The same page in the other edition (it may not exist)."""
    chinese, english = sync_notebooks.CHINESE, sync_notebooks.NOTEBOOKS
    readmes = sync_notebooks.READMES
    if source == readmes[english]:
        return readmes[chinese]
    if source == readmes[chinese]:
        return readmes[english]
    return (english if source.parent == chinese else chinese) / source.name


def pdf_path(source):
    """Where a notebook's handout goes in the site: pdf/NN_x.pdf or pdf/zh/NN_x.pdf."""
    return Path("pdf") / source.relative_to(sync_notebooks.NOTEBOOKS).with_suffix(".pdf")


def readme_notebook(readme):
    """The README as a one-cell notebook, so it is rendered like the notebooks."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(readme.read_text())])


def render(source, nb, pages):
    """The HTML page of one project file (its executed notebook `nb`), in the file's language: its title, bar and
    the widgets' captions (words from utils' catalog)."""
    language, previous = language_of(source), i18n.language()
    i18n.set_language(language)
    try:
        exporter = SiteExporter(source, language_code=language)
        resources = {"site": {"navigation": navigation(source, pages),
                              "assets": relative_url(source, ROOT / "site-assets")}}
        nb.metadata.setdefault("title", page_title(nb) or source.stem)
        page = live_widgets.with_live_widgets(nb, widget_pictures, resources["site"]["assets"])  # arithmetic: live
        body, _ = exporter.from_notebook_node(page, resources=resources)
    finally:
        i18n.set_language(previous)
    return body


def write_site(dist):
    """Write dist/site/ from the executed notebooks in dist/executed/ (execute_all first)."""
    site = dist / "site"
    shutil.rmtree(site, ignore_errors=True)
    pages = sources()
    for source in pages:
        nb = readme_notebook(source) if source.suffix == ".md" else nbformat.read(executed_path(dist, source), 4)
        write_page(site, source, nb, pages)
    return site


def write_page(site, source, nb, pages):
    """Write the page of `source` (a project file; `nb` its executed notebook) and the assets it uses into `site`."""
    if not (site / "site-assets").exists():
        shutil.copytree(TEMPLATE / "assets", site / "site-assets")
        live_widgets.write_assets(site / "site-assets")  # the browser-side views' modules and their shim
        for name in ("custom.css", "SeriesSansSC-Regular.otf"):  # the series' Chinese font, declared with @font-face
            shutil.copy2(ROOT / "utils" / "fonts" / name, site / "site-assets")
    target = site / page_path(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(source, nb, pages))
    return target


def find_chromium():
    """The system Chromium (CHROMIUM names another), or None."""
    candidates = [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else CHROMIUM
    return next((shutil.which(c) for c in candidates if shutil.which(c)), None)


def print_pdf(page, target, chromium):
    """Print one site page to a PDF with headless Chromium."""
    target.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([chromium, *CHROMIUM_ARGS, f"--print-to-pdf={target}", page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=300)
    if done.returncode or not target.exists():
        raise RuntimeError(f"Chromium could not print {page} to {target}:\n{done.stderr[-2000:]}")
    return target


def write_pdfs(dist):
    """One handout per notebook, dist/site/pdf/[zh/]NN_x.pdf, printed from its page in dist/site/ (write_site first)."""
    if not (dist / "site" / "index.html").exists():
        sys.exit(f"No site to print in {dist / 'site'}: run the site step first (python tools/build.py site pdf).")
    chromium = find_chromium()
    if not chromium:
        sys.exit("The PDF handouts need Chromium (on Debian: apt-get install chromium; or set CHROMIUM=/path).")
    shutil.rmtree(dist / "site" / "pdf", ignore_errors=True)
    notebooks = [p for p in sources() if p.suffix == ".ipynb"]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda p: print_pdf(dist / "site" / page_path(p), dist / "site" / pdf_path(p), chromium),
                             notebooks))
