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

    .venv/bin/pytest -p no:nbmake -o addopts= -m browser tests/test_browser_views.py -v
"""

import base64
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import live_widgets  # noqa: E402

from utils import conv, draw, fc, i18n, pool  # noqa: E402
from utils.view import control_values  # noqa: E402

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
    """A random setting of every control, as a learner could pick it."""
    out = {}
    for name, control in view.controls.items():
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
        if following and not view.message:
            stages.append({name: int(rng.integers(view.controls[name].max + 1)) for name in following})
            view.update(**stages[-1])
        for stage in stages:
            shown = page.evaluate("s => window.__views.set(s)", stage)
        problems += compare(page, view, shown, f"setting {step} {view.settings()}")
        if len(problems) > 10:
            break
    return problems


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
