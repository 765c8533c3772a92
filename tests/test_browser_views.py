"""The browser-side views (utils/web/*.js) checked against the kernel's own view, setting by setting, in Chromium.

Each view runs on a static page with no kernel (tools/live_widgets.py: the site's own shim), from the state its
Python class gives it. The test sets the page's controls the way a learner does (a slider's input event, a menu's
change event, a click on a toggle) to a few hundred random settings, and after each compares everything the page
shows with the Python view updated to the same setting, which computes with PyTorch:
- every picture, pixel for pixel (read back from the canvas);
- every caption, legend label, message (a refusal: the Python view's words) and the text under the pictures;
- pointing at an output pixel (kernel playground, pooling explorer): the products and their sum, or the window
  and its winner, against PyTorch's output at that pixel.
Then one smoke test per view in JupyterLab: the real anywidget, a slider moved, the kernel told.

    .venv/bin/pytest -m browser tests/test_browser_views.py -v
"""

import base64
import json
import re
from pathlib import Path

import live_widgets
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import conv, draw, fc, i18n, pool
from utils.view import control_values

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.browser
SETTINGS = 200  # random settings per view (and per language: a share of them in Chinese)
VIEWS = {
    "shape_calculator": conv.ShapeCalculator,
    "shift_explorer": pool.ShiftExplorer,
    "kernel_playground": conv.KernelPlayground,
    "pooling_explorer": pool.PoolingExplorer,
    "flatten_calculator": fc.FlattenCalculator,
    "temperature_explorer": fc.TemperatureExplorer,
}

# In the page: set controls as a learner does, and read back what the view shows.
PAGE_JS = r"""
window.__views = {
  root: () => document.querySelector('.cnn-view'),
  async set(settings) {  // every control of `settings` changed in the page, then one redraw awaited
    const root = this.root(), before = +root.dataset.drawn;
    for (const [name, value] of Object.entries(settings)) {
      const {input} = root.cnn.controls[name];
      if (input.tagName === 'SELECT') {
        input.value = JSON.stringify(value);
        input.dispatchEvent(new Event('change'));
      } else if (input.classList.contains('cnn-toggle')) {
        [...input.querySelectorAll('button')].find(b => b.dataset.value === JSON.stringify(value)).click();
      } else if (input.classList.contains('cnn-slider') && input.dataset.options) {
        input.value = JSON.parse(input.dataset.options).findIndex(v => v === value);
        input.dispatchEvent(new Event('input'));
      } else {
        input.value = String(value);
        input.dispatchEvent(new Event(input.type === 'number' ? 'change' : 'input'));
      }
    }
    while (+root.dataset.drawn === before) await new Promise(r => requestAnimationFrame(r));
    return this.read();
  },
  read() {
    const root = this.root();
    const panels = [...root.querySelectorAll('.cnn-panel')].map(box => {
      const canvas = box.querySelector('canvas');
      const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let rgb = '';
      for (let i = 0; i < rgba.length; i += 4) rgb += String.fromCharCode(rgba[i], rgba[i + 1], rgba[i + 2]);
      const labels = [...box.querySelectorAll('.cnn-legend-labels span')].map(s => s.textContent);
      return {title: box.querySelector('.cnn-title').textContent, width: canvas.width, height: canvas.height,
              rgb: btoa(rgb), legend: labels};
    });
    return {panels, message: root.querySelector('.cnn-message').textContent,
            heading: root.querySelector('.cnn-heading').textContent,
            text: root.querySelector('.cnn-text').textContent, settings: root.cnn.settings(),
            readouts: Object.fromEntries(Object.entries(root.cnn.controls).map(([n, c]) => [n,
              c.label.querySelector('.cnn-readout') ? c.label.querySelector('.cnn-readout').textContent : null]))};
  },
  textOf(html) {  // what a browser shows of the Python view's HTML
    const div = document.createElement('div');
    div.innerHTML = html;
    return div.textContent;
  },
  point(panel, y, x) {  // pointing at pixel (y, x) of a picture: each paragraph and cell shown, and which is bold
    const canvas = this.root().querySelectorAll('.cnn-panel > canvas')[panel], box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new PointerEvent('pointermove', {clientX: box.left + x + 0.5, clientY: box.top + y + 0.5}));
    return [...this.root().querySelectorAll('.cnn-point p, .cnn-point td')].map(e =>
      [e.textContent, e.classList.contains('cnn-chosen')]);
  },
};
"""


def page_html(view):
    """A static page holding one live view: its state from the Python view, the site's shim and module script."""
    saved = live_widgets.state_of(view.live)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{view.module}</title></head><body>'
            f'{live_widgets.live_figure(saved, "")}<script>{live_widgets.SHIM}</script>'
            f'<script>{live_widgets.module_script(view.module)}</script></body></html>')


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


def open_view(context, folder, view):
    """A page showing `view` live, drawn once; gives (page, errors seen)."""
    path = Path(folder) / f"{view.module}.html"
    path.write_text(page_html(view), encoding="utf-8")
    page, errors = context.new_page(), []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelector('.cnn-view[data-drawn]')")
    page.evaluate(PAGE_JS)
    return page, errors


def rgb(panel):
    """The RGB pixels a panel's canvas shows, (H, W, 3) uint8."""
    raw = np.frombuffer(base64.b64decode(panel["rgb"]), np.uint8)
    return raw.reshape(panel["height"], panel["width"], 3)


def legend_labels(legend):
    """The labels draw.legend writes under a picture, for a Panel's legend (style, low, high)."""
    style, low, high = legend
    if style == "signed":
        return [draw.number(low), "0", "+" + draw.number(high)]
    return [draw.number(low), draw.number(high)]


def compare(page, view, shown, where):
    """Every difference between what the page shows and the Python view, as sentences (none: they agree)."""
    problems = []
    if shown["message"] != view.message:
        problems.append(f"{where}: message {shown['message']!r}, Python says {view.message!r}")
    if view.message:  # a refusal: the message is what both show; the pictures stay as they were
        return problems
    python_text = page.evaluate("html => window.__views.textOf(html)", view.text)
    if shown["text"] != python_text:
        problems.append(f"{where}: text\n  page:   {shown['text']!r}\n  Python: {python_text!r}")
    if shown["heading"] != expected_heading(view):
        problems.append(f"{where}: heading {shown['heading']!r}, Python {expected_heading(view)!r}")
    panels = expected_panels(view)
    if len(shown["panels"]) != len(panels):
        return [*problems, f"{where}: {len(shown['panels'])} pictures, Python has {len(panels)}"]
    for i, (seen, panel) in enumerate(zip(shown["panels"], panels)):
        if seen["title"] != panel.title:
            problems.append(f"{where}: picture {i} titled {seen['title']!r}, Python {panel.title!r}")
        got = rgb(seen)
        if got.shape != panel.rgb.shape:
            problems.append(f"{where}: picture {i} is {got.shape}, Python's {panel.rgb.shape}")
        elif not np.array_equal(got, panel.rgb):
            wrong = np.argwhere((got != panel.rgb).any(-1))
            y, x = wrong[0]
            problems.append(f"{where}: picture {i} differs at {len(wrong)} pixels, first ({y}, {x}): page "
                            f"{got[y, x].tolist()}, Python {panel.rgb[y, x].tolist()}")
        expected = legend_labels(panel.legend) if panel.legend else []
        if seen["legend"] != expected:
            problems.append(f"{where}: picture {i} legend {seen['legend']}, Python {expected}")
    return problems


def expected_panels(view):
    """The pictures the page shows for a view: its panels (the flatten calculator: each stage of its diagram)."""
    return view.stages if isinstance(view, fc.FlattenCalculator) else view.panels


def expected_heading(view):
    """The title over all the pictures: the flatten calculator's diagram's (its one picture holds the stages)."""
    return view.panels[0].title if isinstance(view, fc.FlattenCalculator) else ""


def random_settings(view, rng):
    """A random setting of one to three controls (sometimes all), as a learner changes them; a number box gets any
    number with two decimals."""
    names = list(view.controls)
    chosen = names if rng.random() < 0.2 else list(rng.choice(names, size=min(len(names), rng.integers(1, 4)),
                                                                replace=False))
    out = {}
    for name in chosen:
        control = view.controls[name]
        if hasattr(control, "step") and not hasattr(control, "options") and isinstance(control.value, float):
            out[name] = round(float(rng.uniform(control.min, control.max)), 2)
        else:
            values = control_values(control, most=1000)
            out[name] = values[rng.integers(len(values))]
    return out


FOLLOWING = {"shape_calculator": ("row", "col")}  # controls whose range follows the others: set after them


def drive(page, view, rng, count):
    """`count` random settings, set in the page and in the Python view; gives every disagreement."""
    problems = []
    following = FOLLOWING.get(view.module, ())
    for step in range(count):
        settings = {k: v for k, v in random_settings(view, rng).items() if k not in following}
        stages = [settings]
        view.update(**settings)
        if following and not view.message and (not settings or rng.random() < 0.5):
            stages.append({name: int(rng.integers(view.controls[name].max + 1)) for name in following})
            view.update(**stages[-1])
        shown = page.evaluate("() => window.__views.read()")
        for stage in (s for s in stages if s):  # a stage that changes nothing would never redraw
            shown = page.evaluate("s => window.__views.set(s)", stage)
        where = f"setting {step} {view.settings()}"
        problems += compare(page, view, shown, where)
        if not view.message and isinstance(view, (conv.KernelPlayground, pool.PoolingExplorer)):
            problems += pointing(page, view, rng, where)
        if len(problems) > 10:
            break
    return problems


def pointing(page, view, rng, where, count=3):
    """Point at `count` random output pixels: what the page explains must be PyTorch's arithmetic of that pixel."""
    problems = []
    panel = 2 if isinstance(view, conv.KernelPlayground) else 1
    for _ in range(count):
        expected, (y, x) = explained(view, rng)
        shown = [tuple(cell) for cell in page.evaluate("([p, y, x]) => window.__views.point(p, y, x)", [panel, y, x])]
        if shown != expected:
            problems.append(f"{where}: pointing at ({y}, {x}) shows\n  {shown}\n  PyTorch: {expected}")
    return problems


def explained(view, rng):
    """What pointing at a random output pixel should show, computed with PyTorch: ([(text, bold)], (y, x) in the
    picture)."""
    tr = i18n.tr
    if isinstance(view, conv.KernelPlayground):
        image = view.images[view.settings()["image"]]
        w = torch.tensor([view.controls[n].value for n in conv.WEIGHTS], dtype=torch.float32).view(3, 3)
        padded = F.pad(image, (1, 1, 1, 1))
        row, col = (int(rng.integers(n)) for n in image.shape)
        factor = view.panels[2].rgb.shape[0] // image.shape[0]
        cells = [(tr("{weight:.3g} × {pixel:.3g} = {product:.3g}", weight=w[i, j].item(),
                     pixel=padded[row + i, col + j].item(), product=(w[i, j] * padded[row + i, col + j]).item()), False)
                 for i in range(3) for j in range(3)]
        head = tr("Feature map pixel ({row}, {col}): weight × pixel under each of the 9 taps (0 outside the image: "
                  "padding 1), then their sum.", row=row, col=col)
        total = tr("sum of the 9 products = {value:.4g}", value=view.feature_map[row, col].item())
        return [(head, False), *cells, (total, False)], (row * factor + factor // 2, col * factor + factor // 2)
    settings, (h, w) = view.settings(), view.map.shape
    k, s, p, mode = settings["window"], settings["stride"], settings["padding"], settings["mode"]
    x = view.map[None, None]
    out, index = F.max_pool2d(x, k, s, p, return_indices=True) if mode == "max" else (F.avg_pool2d(x, k, s, p), None)
    oh, ow = out.shape[-2:]
    i, j = int(rng.integers(oh)), int(rng.integers(ow))
    factor = view.panels[1].rgb.shape[0] // oh
    top, left, cells = i * s - p, j * s - p, []
    for y in range(top, top + k):
        for x_ in range(left, left + k):
            inside = 0 <= y < h and 0 <= x_ < w
            text = f"{view.map[y, x_].item():.4g}" if inside else "−inf" if mode == "max" else "0"
            cells.append((text, bool(index is not None and inside and index[0, 0, i, j].item() == y * w + x_)))
    head = tr("Output ({i}, {j}) reads the {k}x{k} window at rows {top}..{bottom}, columns {left}..{right} (outside "
              "the map: padding).", i=i, j=j, k=k, top=top, bottom=top + k - 1, left=left, right=left + k - 1)
    value = out[0, 0, i, j].item()
    if mode == "max":
        at = index[0, 0, i, j].item()
        result = tr("The winner, in bold at ({row}, {col}), is the output: {value:.4g}.", row=at // w, col=at % w,
                    value=value)
    else:
        result = tr("The output is the mean of the {count} values, padding counted as 0: {value:.4g}.", count=k * k,
                    value=value)
    return [(head, False), *cells, (result, False)], (i * factor + factor // 2, j * factor + factor // 2)


@pytest.mark.parametrize("name", VIEWS)
def test_every_setting_shows_what_pytorch_computes(name, context, tmp_path):
    rng = np.random.default_rng(19)
    problems = []
    for language, count in (("en", SETTINGS * 3 // 4), ("zh", SETTINGS // 4)):
        i18n.set_language(language)
        try:
            view = VIEWS[name]()
            page, errors = open_view(context, tmp_path, view)
            problems += compare(page, view, page.evaluate("() => window.__views.read()"), f"{language} first")
            problems += drive(page, view, rng, count)
            problems += [f"JavaScript: {e}" for e in errors]
            page.close()
        finally:
            i18n.set_language("en")
    assert not problems, "\n".join(problems[:12])


# ---- The website: a page built as tools/website.py builds it, read from disk with the network off

SITE_CELLS = ["from utils import conv, fc, i18n, pool", "conv.ShapeCalculator()", "conv.KernelPlayground()",
              "pool.PoolingExplorer()", "pool.ShiftExplorer()", "fc.FlattenCalculator()", "fc.TemperatureExplorer()"]
PAGE_BUDGET = 1_500_000  # bytes a page with live widgets may load in all (issue 19)


def scratch_page(folder, language):
    """A page of the site, made by tools/website.py from a small notebook showing the six views, executed here."""
    import nbformat
    import website
    from nbclient import NotebookClient

    cells = [*SITE_CELLS[:1], f"i18n.set_language({language!r})", *SITE_CELLS[1:]]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    source = ROOT / "notebooks" / ("zh" if language == "zh" else "") / "01_convolution.ipynb"
    return website.write_page(Path(folder), source, nb, website.sources())


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_site_page_runs_the_views_from_disk_with_the_network_off(browser, tmp_path, language):
    page_file = scratch_page(tmp_path, language)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_offline(True)
    loaded, outside, errors = [], [], []
    page = context.new_page()
    page.on("request", lambda r: (loaded if r.url.startswith("file:") else [] if r.url.startswith(("blob:", "data:"))
                                  else outside).append(r.url))  # blob: the shim's module, made in the page
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_function("() => document.querySelectorAll('.cnn-live-widget.cnn-live-ready .cnn-view[data-drawn]')"
                           ".length === 6")
    page.evaluate(PAGE_JS)
    assert not outside and not errors, (outside, errors)
    size = sum(Path(url.removeprefix("file://")).stat().st_size for url in {u.split("#")[0] for u in loaded})
    assert size <= PAGE_BUDGET, f"the page and what it loads: {size:,} bytes"
    stills = page.locator(".cnn-live-widget > .cnn-still")
    assert stills.count() == 6 and not any(stills.nth(i).is_visible() for i in range(6)), "live views replace stills"
    # A reader drags a slider of each view: it redraws, with no kernel.
    for i in range(6):
        root = page.locator(".cnn-view").nth(i)
        before = int(root.get_attribute("data-drawn"))
        slider = root.locator("input[type=range], select").first
        slider.focus()
        page.keyboard.press("ArrowRight" if slider.evaluate("e => e.tagName") == "INPUT" else "ArrowDown")
        page.wait_for_function("([e, n]) => +e.dataset.drawn > n", arg=[root.element_handle(), before])
        assert not root.locator(".cnn-message").first.text_content(), f"view {i}"
    words = page.locator(".cnn-view").nth(0).text_content()
    assert (re.search("[\u4e00-\u9fff]", words) is not None) == (language == "zh"), words[:200]
    page.emulate_media(media="print")  # the handouts: still pictures, no live view
    assert all(stills.nth(i).is_visible() for i in range(6))
    assert not page.locator(".cnn-live").first.is_visible()
    context.close()


# ---- JupyterLab: the real anywidget, one notebook showing every browser-side view

def test_each_view_runs_in_jupyterlab_and_tells_the_kernel(browser, tmp_path):
    import nbformat
    from browser_support import JupyterLab, Notebook

    cells = [SITE_CELLS[0], *[f"view_{i} = {c}\nview_{i}" for i, c in enumerate(SITE_CELLS[1:])],
             "import json\nprint(json.dumps([v.settings() for v in (view_0, view_1, view_2, view_3, view_4, view_5)]))"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "views.ipynb"
    nbformat.write(nb, path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        with JupyterLab(tmp_path) as lab:
            notebook = Notebook(context.new_page(), lab, path).open()
            notebook.run_all()
            page = notebook.page
            page.wait_for_function("() => document.querySelectorAll('.cnn-view[data-drawn]').length === 6",
                                   timeout=60_000)
            assert not notebook.problems(), notebook.problems()
            moved = []
            for i in range(6):  # each view's first slider one step up, as a learner presses an arrow key
                root = page.locator(".cnn-view").nth(i)
                root.scroll_into_view_if_needed()
                before = int(root.get_attribute("data-drawn"))
                control = root.locator("input[type=range], select").first  # the playground has menus, no slider
                control.press("ArrowRight" if control.evaluate("e => e.tagName") == "INPUT" else "ArrowDown")
                try:
                    page.wait_for_function("([e, n]) => +e.dataset.drawn > n", arg=[root.element_handle(), before],
                                           timeout=15_000)
                except Exception:
                    page.screenshot(path=str(tmp_path / "lab.png"))
                    raise AssertionError(f"view {i} did not redraw; {tmp_path / 'lab.png'}") from None
                moved.append(root.evaluate("e => e.cnn.settings()"))
            page.wait_for_timeout(1000)  # the last settings reach the kernel
            page.evaluate("() => { const nb = window.jupyterapp.shell.currentWidget.content;"
                          " nb.activeCellIndex = nb.widgets.length - 1; }")
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
            page.wait_for_function(f"() => window.__lab.cells()[{len(cells) - 1}].outputs.length"
                                   f" && window.__lab.kernelReady()", timeout=60_000)
            kernel = json.loads(notebook.cells()[-1]["outputs"][0]["text"])
            assert kernel == moved, f"the pages show {moved}, the kernel has {kernel}"  # 1 == 1.0: numbers by value
            assert not notebook.problems(), notebook.problems()
    finally:
        context.close()
