"""Live widgets on a static page: the browser-side views (utils/web/*.js) run with no kernel at all.

The site (tools/website.py) shows every widget as the still picture its notebook saved. A browser-side
view also carries its widget state in the executed notebook (its controls, settings and data: texts,
colour tables, pixels), so the page can run its ES module on that state: the reader drags real sliders.

- `module_script(view)`: the view's module as a classic script, site-assets/live/<view>.js, that files
  it under window.__cnnModules. A classic script loads from disk (file://), where an ES module file
  would be refused; SHIM turns the text into a module (a Blob URL, as anywidget itself does).
- SHIM: a stand-in for anywidget's model (get, set, on, off, save_changes, send) over the saved state,
  and `cnnLive.start()`, which mounts every live widget of the page.
- `live_figure(...)`: the HTML of one widget: its state as JSON, the still picture (kept for print and
  for a reader without JavaScript), hidden on screen once the live view is drawn.
Nothing is fetched from outside the site: no CDN, no font service.
"""

import base64
import html
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from utils import view as views  # noqa: E402

LIVE_MODEL = ("anywidget", "AnyModel")  # (model_module, model_name) of the browser-side views' widgets
ASSETS = "live"  # the folder of the module scripts and the shim in the site's assets
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

SHIM = r"""
(() => {
  const modules = window.__cnnModules = window.__cnnModules || {};
  const loaded = {};

  function decoded(text) {  // base64 -> a DataView, as the widget manager hands a binary buffer to a view
    const raw = atob(text), out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return new DataView(out.buffer);
  }

  // The saved state ({view, controls, settings, data, note} and its buffers) -> anywidget's model, without a kernel.
  function model(saved) {
    const state = JSON.parse(JSON.stringify(saved.state)), listeners = new Map();
    for (const {path, data} of saved.buffers || []) {
      let node = state;
      for (const key of path.slice(0, -1)) node = node[key];
      node[path[path.length - 1]] = decoded(data);
    }
    const fire = name => (listeners.get(name) || []).slice().forEach(f => f());
    return {
      get: key => state[key],
      set(key, value) { const old = state[key]; state[key] = value; if (old !== value) fire(`change:${key}`); },
      on(name, callback) { listeners.set(name, [...(listeners.get(name) || []), callback]); },
      off(name, callback) { listeners.set(name, (listeners.get(name) || []).filter(f => f !== callback)); },
      save_changes() {},  // no kernel to tell
      send() {},
      kernel: false,
    };
  }

  async function module(name) {
    if (!loaded[name]) {
      if (!(name in modules)) throw new Error(`the page has no module ${name}`);
      const url = URL.createObjectURL(new Blob([modules[name]], {type: "text/javascript"}));
      loaded[name] = import(url).finally(() => URL.revokeObjectURL(url));
    }
    return (await loaded[name]).default;
  }

  async function mount(el, saved) {
    const m = model(saved), widget = await module(saved.state.view);
    const host = document.createElement("div");
    el.prepend(host);
    widget.render({model: m, el: host});
    el.classList.add("cnn-live-ready");
    return m;
  }

  async function start() {
    const found = [...document.querySelectorAll(".cnn-live-widget:not(.cnn-live-ready)")];
    return Promise.all(found.map(el => mount(el, JSON.parse(el.querySelector("script.cnn-state").textContent))
      .catch(error => { el.classList.add("cnn-live-failed"); console.error(error); })));
  }

  window.cnnLive = {model, mount, start};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""

# On screen the live view replaces the still picture; printed (the PDF handouts), the still picture stays.
STYLE = """
.cnn-live-widget.cnn-live-ready > .cnn-still {display: none;}
@media print {
  .cnn-live-widget > .cnn-live {display: none !important;}
  .cnn-live-widget.cnn-live-ready > .cnn-still {display: block;}
}
"""


def module_script(view):
    """The classic script that files a view's ES module (common.js and its own file) under window.__cnnModules."""
    return (f"window.__cnnModules = window.__cnnModules || {{}};\n"
            f"window.__cnnModules[{json.dumps(view)}] = {json.dumps(views.module_source(view))};\n")


def live_views():
    """The names of every browser-side view's module (utils/web/<name>.js, common.js aside)."""
    return sorted(p.stem for p in views.WEB.glob("*.js") if p.stem != "common")


def saved_state(state, buffers=()):
    """A Live widget's state for the page: what the module reads, binary buffers as base64 (no `_esm`: the page
    loads the site's own copy of the module)."""
    keep = {key: state[key] for key in ("view", "controls", "settings", "data", "note") if key in state}
    return {"state": keep, "buffers": [b for b in buffers if b["path"][0] in keep]}


def state_of(live):
    """The saved state of a Live widget in this process (what nbclient writes into an executed notebook)."""
    state, buffers, paths = {}, [], []
    for key in ("view", "controls", "settings", "data", "note"):
        state[key] = _without_bytes(getattr(live, key), [key], buffers, paths)
    return saved_state(state, [{"path": p, "encoding": "base64", "data": base64.b64encode(bytes(b)).decode("ascii")}
                               for p, b in zip(paths, buffers)])


def _without_bytes(value, path, buffers, paths):
    """value with every bytes-like item taken out into buffers (its path noted), as ipywidgets sends state."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        buffers.append(value)
        paths.append(path)
        return None
    if isinstance(value, dict):
        return {k: _without_bytes(v, [*path, k], buffers, paths) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_bytes(v, [*path, i], buffers, paths) for i, v in enumerate(value)]
    return value


def widget_states(nb):
    """model id -> saved state of every browser-side view in an executed notebook's widget state."""
    models = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return {model_id: saved_state(m["state"], m.get("buffers", [])) for model_id, m in models.items()
            if (m.get("model_module"), m.get("model_name")) == LIVE_MODEL and m["state"].get("view") in live_views()}


def live_figure(saved, still):
    """The HTML of a live widget on a page: its state, and `still` (the picture's HTML) for print and no script."""
    state = json.dumps(saved, separators=(",", ":")).replace("</", "<\\/")  # safe inside <script>
    return (f'<div class="cnn-live-widget" data-view="{html.escape(saved["state"]["view"])}">'
            f'<script type="application/json" class="cnn-state">{state}</script>'
            f'<div class="cnn-still">{still}</div></div>')


def page_scripts(views_used, assets):
    """The <style> and <script> tags a page with live widgets needs, from the site's assets folder `assets`."""
    tags = [f"<style>{STYLE}</style>", f'<script src="{assets}/{ASSETS}/shim.js"></script>']
    tags += [f'<script src="{assets}/{ASSETS}/{name}.js"></script>' for name in sorted(views_used)]
    return "\n".join(tags)


def write_assets(folder):
    """Write the shim and every module script into folder/live/; gives the paths written."""
    out = Path(folder) / ASSETS
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "shim.js"]
    written[0].write_text(SHIM, encoding="utf-8")
    for name in live_views():
        (out / f"{name}.js").write_text(module_script(name), encoding="utf-8")
        written.append(out / f"{name}.js")
    return written


def with_live_widgets(nb, still_pictures, assets):
    """The executed notebook `nb` for a page: every browser-side view live on its saved state, its still picture kept
    for print; every other widget as `still_pictures(nb)` draws it (tools/website.py's widget_pictures). The scripts
    the live views need come with the first of them, loaded from the site's assets folder `assets`."""
    states, live = widget_states(nb), []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            model = output.get("data", {}).get("application/vnd.jupyter.widget-view+json", {}).get("model_id")
            if model in states:
                live.append((output, states[model]))
    nb = still_pictures(nb)
    for i, (output, saved) in enumerate(live):
        scripts = page_scripts({s["state"]["view"] for _, s in live}, assets) if i == 0 else ""
        output["data"]["text/html"] = live_figure(saved, output["data"]["text/html"]) + scripts
    return nb
