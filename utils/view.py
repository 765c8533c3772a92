"""Widget scaffolding: controls on top, pictures below, redrawn as fast PNGs on every change.

A view subclasses `LiveView` and writes one method, `compute(**settings)`, which returns the
pictures to show as a list of `Panel`s (and may set `self.text` to a line of HTML). `LiveView`
wires the controls, encodes PNGs into `ipywidgets.Image`s, turns a bad setting into a message
(never a traceback), and carries a static PNG of its state for frontends without widgets.
Only APIs present in both ipywidgets 7.7 (Colab) and 8 are used.

A view that names an ES `module` (utils/web/<module>.js) is drawn in the browser instead: the module
computes and draws every setting itself, in one frame, with no kernel round trip (an anywidget, `Live`).
The kernel still computes every setting too, so `update()`, `settings()`, `panels` and `text` answer
from code as before, and the settings a learner drags are synced back to it. Without anywidget
(a lone notebook on a bare Jupyter) the same view is drawn by the kernel, and says so.
"""

import base64
import html
import json
import math
import numbers
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import torch

from . import draw
from .i18n import tr

try:  # the browser-side views' host (JupyterLab, Notebook, Colab, VS Code, Voila); without it, kernel-side views
    import anywidget
    import traitlets
except ImportError:
    anywidget = None

WEB = Path(__file__).resolve().parent / "web"  # the browser-side views' ES modules
_browser = [True]


@dataclass
class Panel:
    """One picture of a view: a title, an (h, w, 3) uint8 array and, where a colour stands for a number, its
    legend: (style, low, high) as in `draw.legend`."""

    title: str
    rgb: np.ndarray
    legend: tuple = None

    def shown(self):
        """The (H, W, 3) picture as the learner sees it: the caption above, the legend (if any) below."""
        rgb = self.rgb if self.legend is None else draw.keyed(self.rgb, *self.legend)
        return draw.captioned(rgb, self.title)

    def same(self, other):
        """Whether `other` draws the same picture (so it need not be encoded again)."""
        return (other is not None and (other.title, other.legend) == (self.title, self.legend)
                and np.array_equal(other.rgb, self.rgb))


class SettingError(ValueError):
    """A setting that cannot work (say a kernel larger than its input): shown as a message."""


class LiveView:
    """Base of every widget: `controls` (name -> widget), `compute(**settings) -> [Panel]`."""

    module = None  # a browser-side view's ES module, utils/web/<module>.js; None: drawn by the kernel

    def __init__(self, controls, columns=None):
        self.controls = dict(controls)
        self.columns = columns
        self.text = ""
        self.message = ""
        self.error = None
        self.panels = []
        self._holding = False
        self._images = []
        self._pictures = widgets.VBox()
        self._message = widgets.HTML()
        self._text = widgets.HTML()
        self._style = widgets.HTML()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
            if hasattr(control.style, "description_width"):
                control.style.description_width = "initial"  # a label as wide as its words, in any language
        self.live = Live.of(self) if self.module and browser_side() else None
        if self.live:
            self.widget = self.live
        else:
            rows = [_row(list(self.controls.values())[i:i + 3]) for i in range(0, len(self.controls), 3)]
            notice = [widgets.HTML(f"<i>{html.escape(fallback_notice())}</i>")] if self.module and not anywidget else []
            self.widget = widgets.VBox([*rows, *notice, self._message, self._pictures, self._text, self._style])
            self.widget.add_class("cnn-view")
        self.refresh()

    def browser_data(self):
        """What the ES module needs besides the settings (numbers, strings, bytes): the data of `Live`."""
        return {}

    def browser_changed(self, note=""):
        """Send the module new data (an uploaded image, say) and a note to show until the learner's next change."""
        if self.live is not None:
            self.live.data = browser_data(self)
            self.live.note = note

    def browser_message(self, content, buffers):
        """A message from the ES module (say an uploaded file's bytes); most views get none."""

    def from_browser(self, settings):
        """Settings a learner chose in the browser: the kernel takes them (as update() would) and recomputes."""
        if self._holding:
            return
        with self.hold():
            for name, value in settings.items():
                if name in self.controls:
                    try:
                        self.controls[name].value = accepted(name, self.controls[name], value)
                    except ValueError:  # a value the browser should not send (NaN in a number box): keep the last
                        pass
        self.refresh()

    def compute(self, **settings):
        """Return the list of Panels for these settings; raise SettingError for impossible ones."""
        raise NotImplementedError

    def settings(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **settings):
        """Set some controls (as a learner would) and redraw once; gives the error message or ''.

        A value no control can take (not an option, out of range, the wrong type) raises a ValueError saying what is.
        """
        unknown = set(settings) - set(self.controls)
        if unknown:
            raise KeyError(tr("unknown setting(s) {unknown}; this view has {names}", unknown=sorted(unknown),
                              names=sorted(self.controls)))
        with self.hold():
            try:
                for i, (name, value) in enumerate(settings.items()):
                    try:
                        value = accepted(name, self.controls[name], value)
                    except ValueError:
                        if i == 0:
                            raise
                        self.refresh()  # a range may follow the settings just made (a channel slider the layer's)
                        value = accepted(name, self.controls[name], value)
                    self.controls[name].value = value
            finally:
                self.refresh()
        for name, value in settings.items():  # a range that shrank with a later setting: say so, never clamp silently
            accepted(name, self.controls[name], value)
        return self.message

    @contextmanager
    def hold(self):
        """Change several controls without a redraw after each one."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def _on_change(self, change):
        if not self._holding:
            self.refresh()

    def refresh(self):
        """Recompute and redraw; a bad setting becomes a message in the widget, never a traceback."""
        self._style.value = style_sheet()
        try:
            self.text = ""
            with one_thread():
                panels = self.compute(**self.settings())
        except Exception as error:  # noqa: BLE001 - a widget must never show a traceback
            self.error = error
            self.message = str(error) if isinstance(error, ValueError) else \
                tr("Unexpected {kind}: {error}", kind=type(error).__name__, error=error)
            self._message.value = f'<span style="color:#b00020">{html.escape(self.message)}</span>'
            self._to_browser()
            return
        self.error = None
        self.message = ""
        self._message.value = ""
        if self.live is None:
            self._show(panels)
        self.panels = panels
        self._text.value = self.text
        self._to_browser()

    def _to_browser(self):
        """The browser-side view follows the kernel's settings (set from code, or ranges the kernel clamped)."""
        if self.live is not None:
            self._holding, holding = True, self._holding  # the browser's echo of these is no learner's change
            try:
                self.live.settings = self.settings()
            finally:
                self._holding = holding

    def _show(self, panels):
        """Each panel as one PNG, its caption drawn in, shown at its own pixel size (never stretched)."""
        if len(panels) != len(self._images):  # new widgets only when the number of pictures changes
            self._images = [widgets.Image(format="png", layout=widgets.Layout(flex="0 0 auto", margin="0 12px 8px 0"))
                            for _ in panels]
            columns = self.columns or len(panels)
            self._pictures.children = [_row(self._images[i:i + columns]) for i in range(0, len(panels), columns)]
        for i, (panel, image) in enumerate(zip(panels, self._images)):
            if not image.value or not panel.same(self.panels[i] if i < len(self.panels) else None):
                image.value = draw.to_png(panel.shown())  # only what changed: the photo rarely does

    def snapshot(self):
        """The view's current state as one (H, W, 3) picture with captions: the static fallback."""
        if not self.panels:
            return np.full((20, 200, 3), 255, np.uint8)
        return draw.grid([p.shown() for p in self.panels], columns=self.columns, gap=12)

    def summary(self, settings=None):
        """The current settings (or those given) in one line of text, for a page that shows the static picture."""
        settings = self.settings() if settings is None else settings
        return f"{type(self).__name__}: " + " · ".join(
            f"{_label(self.controls.get(name), name)} = {_shown(self.controls.get(name), value)}"
            for name, value in settings.items())

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The live widget where a frontend can draw it; a PNG of the first state everywhere else.
        bundle = {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
            "image/png": base64.b64encode(draw.to_png(self.snapshot())).decode("ascii"),
            "text/plain": self.summary(),
        }
        if self.live is None:
            return bundle
        _, metadata = self.live._repr_mimebundle_()  # on Colab: which widget manager loads anywidget's frontend
        return bundle, metadata


def _label(control, name):
    """What the learner reads beside a setting: its control's label (in the learner's language), else its name."""
    return getattr(control, "description", "") or name


def _shown(control, value):
    """A setting's value as the learner reads it: the label of its option (in the learner's language), else itself."""
    options = [o for o in getattr(control, "options", ()) if isinstance(o, tuple) and len(o) == 2]
    return next((label for label, v in options if isinstance(value, str) and v == value), value)


# ----------------------------------------------------------------------------------------------
# Browser-side views: the ES module, what it is given, and the anywidget that carries them.

def browser_side(on=None):
    """Whether views with an ES module are drawn in the browser: anywidget is installed and this is not switched off.

    `browser_side(False)` makes views built afterwards kernel-side (to compare the two), `browser_side(True)` undoes it.
    """
    if on is not None:
        _browser[0] = bool(on)
    return anywidget is not None and _browser[0]


def fallback_notice():
    """What a browser-side view says when it is drawn by the kernel because anywidget is missing."""
    return tr("anywidget is not installed here, so this widget is redrawn by the kernel (slower). For instant "
              "redraws: %pip install anywidget, then restart the kernel.")


IMPORT_COMMON = re.compile(r'^import \{[^}]*\} from "\./common\.js";\n', re.M)
TR_CALL = re.compile(r'\btr\(\s*((?:"(?:[^"\\\n]|\\.)*"\s*\+?\s*)+)')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


@cache
def module_source(name):
    """utils/web/<name>.js with the shared helper (common.js) in front of it, as one ES module (anywidget loads one)."""
    own = (WEB / f"{name}.js").read_text(encoding="utf-8")
    if not IMPORT_COMMON.search(own):
        raise ValueError(f"{name}.js should import from ./common.js in one import line")
    return (WEB / "common.js").read_text(encoding="utf-8") + "\n" + IMPORT_COMMON.sub("", own)


@cache
def module_keys(name):
    """The catalog's English keys a module shows: every tr("...") in it (adjacent literals joined by +), in order."""
    keys = []
    for call in TR_CALL.finditer(module_source(name)):
        key = "".join(json.loads(f'"{literal}"') for literal in LITERAL.findall(call.group(1)))
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def control_spec(name, control):
    """A control as the ES module draws it: its kind, label and range or options (labels in the learner's language)."""
    spec = {"name": name, "label": control.description}
    if isinstance(control, widgets.SelectionSlider):
        options = list(zip(control._options_labels, control._options_values))
        return {**spec, "kind": "options-slider", "options": options}
    if hasattr(control, "options"):
        kind = "toggle" if isinstance(control, widgets.ToggleButtons) else "dropdown"
        return {**spec, "kind": kind, "options": list(zip(control._options_labels, control._options_values))}
    kind = "number" if isinstance(control, (widgets.BoundedFloatText, widgets.BoundedIntText)) else "slider"
    return {**spec, "kind": kind, "min": control.min, "max": control.max, "step": control.step}


def float32_bytes(values):
    """A tensor or array -> its values as little-endian float32 bytes (the ES module reads them as a Float32Array)."""
    array = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(values)
    return np.ascontiguousarray(array, dtype="<f4").tobytes()


def colour_tables():
    """The colour maps of the "signed" and "activation" styles as 768 bytes each: the module colours as draw does."""
    return {style: draw._lut(name).tobytes() for style, name in (("signed", "RdBu_r"), ("activation", "viridis"))}


if anywidget is not None:
    class Live(anywidget.AnyWidget):
        """A view drawn in the browser by its ES module: the controls to draw, the settings (synced both ways with
        the kernel), the data the module computes from, and a note from the kernel (a file it could not use)."""

        view = traitlets.Unicode().tag(sync=True)
        controls = traitlets.List().tag(sync=True)
        settings = traitlets.Dict().tag(sync=True)
        data = traitlets.Dict().tag(sync=True)
        note = traitlets.Unicode().tag(sync=True)

        @classmethod
        def of(cls, view):
            """The browser side of a LiveView: its module, its controls and data, its current settings."""
            live = cls(_esm=module_source(view.module), view=view.module,
                       controls=[control_spec(name, c) for name, c in view.controls.items()],
                       settings=view.settings(), data=browser_data(view))
            live.observe(lambda change: view.from_browser(change["new"]), names="settings")
            live.on_msg(lambda _, content, buffers: view.browser_message(content, buffers))
            return live
else:
    Live = None


def browser_data(view):
    """A view's data for its module, with what every module gets: its texts in the learner's language, the colour
    tables and the current scale (pixels per cell, text size)."""
    return {"strings": {key: tr(key) for key in module_keys(view.module)}, "luts": colour_tables(),
            "scale": {"pixels": draw.scaled(1), "text_px": draw.text_px()}, **view.browser_data()}


def _row(children):
    """Widgets side by side, wrapping onto the next line (never squeezed) when the page is narrow."""
    return widgets.Box(children, layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))


def style_sheet():
    """A <style> sizing the text and controls of every view (class cnn-view) at the current scale."""
    size, f = draw.text_px(), draw.text_px() / draw.TEXT_PX
    return (f"<style>.cnn-view {{--jp-widgets-font-size: {size}px; --jp-widgets-inline-height: {round(28 * f)}px; "
            f"--jp-widgets-inline-width: {round(300 * f)}px; --jp-widgets-inline-width-short: {round(148 * f)}px; "
            f"--jp-widgets-inline-width-tiny: {round(72 * f)}px; --jp-widgets-slider-handle-size: {round(16 * f)}px; "
            f"--jp-widgets-radio-item-height: {round(20 * f)}px; font-size: {size}px; line-height: 1.4}} "
            f".cnn-view .widget-html-content, .cnn-view .jupyter-widget-html-content {{font-size: {size}px; "
            f"line-height: 1.4}} .cnn-view td, .cnn-view th {{padding: 2px 12px; text-align: right}} "
            f".cnn-view button {{white-space: nowrap}} .cnn-view .widget-toggle-buttons, "
            f".cnn-view .jupyter-widget-toggle-buttons {{display: flex; align-items: center}}</style>")  # label beside


@contextmanager
def one_thread():
    """Run torch on one thread inside: widget-sized ops finish sooner than they wait for a busy second core."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def accepted(name, control, value):
    """A learner's value for a control (options, checkbox, number) -> the value it takes, or a ValueError: why not."""
    if hasattr(control, "options"):
        pairs = [o if isinstance(o, tuple) else (o, o) for o in control.options]
        for label, option in pairs:
            if _names(value, option) or _names(value, label):
                return option
        options = ", ".join(repr(option) for _, option in pairs)
        raise ValueError(tr("{name} should be one of {options}, got {value!r}", name=name, options=options,
                            value=value))
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        if isinstance(value, bool):
            return value
        raise ValueError(tr("{name} should be True or False, got {value!r}", name=name, value=value))
    low, high = _range(control)
    whole = isinstance(control.value, int)
    if _is_number(value, whole) and math.isfinite(value) and low <= value <= high:
        return int(value) if whole else float(value)
    said = {"name": name, "low": low, "high": high, "value": value}
    if whole and math.isfinite(low):
        raise ValueError(tr("{name} should be a whole number from {low:g} to {high:g}, got {value!r}", **said))
    if math.isfinite(low):
        raise ValueError(tr("{name} should be a number from {low:g} to {high:g}, got {value!r}", **said))
    if whole:
        raise ValueError(tr("{name} should be a whole number (not nan or inf), got {value!r}", **said))
    raise ValueError(tr("{name} should be a number (not nan or inf), got {value!r}", **said))


def _names(value, option):
    """Whether a learner's value names an option: text in any letter case, numbers by value, the rest by type too."""
    if isinstance(value, str) and isinstance(option, str):
        return value.strip().lower() == option.lower()
    return (_is_number(value) and _is_number(option) or type(value) is type(option)) and value == option


def _is_number(value, whole=False):
    """Whether value is a whole number (or, unless whole, any real number), NumPy's included: never a bool."""
    return isinstance(value, numbers.Integral if whole else numbers.Real) and not isinstance(value, (bool, np.bool_))


def _range(control):
    """(lowest, highest) value a numeric control can take."""
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** control.min, control.base ** control.max
    return getattr(control, "min", -math.inf), getattr(control, "max", math.inf)


def uploaded_file(value):
    """A FileUpload's value (ipywidgets 7: dict name -> file; 8: tuple of files) -> newest (name, bytes), or Nones."""
    files = [{"name": name, **file} for name, file in value.items()] if isinstance(value, dict) else list(value)
    return (files[-1]["name"], bytes(files[-1]["content"])) if files else (None, None)


def uploaded_bytes(value):
    """A FileUpload's value -> the newest file's bytes, or None."""
    return uploaded_file(value)[1]


def control_values(control, most=25):
    """Every value a learner can pick on a control, sampled down to at most `most` for wide ranges."""
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True]
    if hasattr(control, "options"):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText, widgets.IntRangeSlider)):
        count = control.max - control.min + 1
        return sorted({control.min + round(i * (count - 1) / (most - 1)) for i in range(most)}) if count > most \
            else list(range(control.min, control.max + 1))
    if isinstance(control, (widgets.FloatSlider, widgets.BoundedFloatText, widgets.FloatLogSlider)):
        return [float(v) for v in np.linspace(control.min, control.max, 11)]
    if isinstance(control, (widgets.FloatText, widgets.IntText)):
        return [type(control.value)(v) for v in (-3, -1, 0, 1, 2.5)]
    raise TypeError(f"no known range for {type(control).__name__}")


def sweep(view, random_combinations=30, seed=0):
    """Settings for `view.update`: each control over its whole range from the defaults, then random mixes.

    A control whose range follows the others (say an output row below the output's size) keeps its value in the mixes.
    """
    defaults = view.settings()
    values = {name: control_values(control) for name, control in view.controls.items()}
    following = set()
    for name, options in values.items():
        for value in options:
            yield {**defaults, name: value}
            following |= {n for n, control in view.controls.items() if control_values(control) != values[n]}
    rng = np.random.default_rng(seed)
    for _ in range(random_combinations):
        yield {name: options[rng.integers(len(options))] for name, options in values.items() if name not in following}
