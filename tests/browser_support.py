"""Drive JupyterLab in Debian's Chromium with Playwright: shared by tests/test_browser.py and benchmarks.

`JupyterLab(root)` serves `root` on 127.0.0.1 (a free port, no token, autosave off, a throwaway
workspace and settings folder); `chromium(playwright)` launches the system browser, which may only
reach loopback addresses; `Notebook` opens one notebook in a fresh workspace, runs it and plays
with its widgets the way a learner does: keys on slider handles, picks in dropdowns, clicks on
toggles and checkboxes.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # then missing_browser() says why and the browser tests skip (or fail under CI)
    PlaywrightTimeout = TimeoutError

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    # Only loopback: every host name fails to resolve but 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SERVER_START_S, KERNEL_READY_S, RUN_ALL_S, WIDGET_LOAD_S, WIDGET_UPDATE_S = 120, 120, 600, 60, 30
OUTPUTS = ".jp-Notebook .jp-OutputArea-output"
STDERR = '.jp-Notebook .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
SETTINGS = {  # user settings for the test server: never write the notebooks back, no pop-ups
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}


def find_chromium():
    """The path of the system Chromium, or None; the environment variable CHROMIUM names another one."""
    candidates = [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else CHROMIUM_CANDIDATES
    return next((shutil.which(c) for c in candidates if shutil.which(c)), None)


def missing_browser():
    """Why the browser tests cannot run here (playwright or chromium absent), or '' if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"playwright is not installed ({error}); pip install -r requirements-dev.txt"
    if not find_chromium():
        tried = os.environ.get("CHROMIUM") or ", ".join(CHROMIUM_CANDIDATES)
        return f"no Chromium found (tried {tried}); on Debian: apt-get install chromium"
    return ""


def chromium(playwright):
    """Launch the system Chromium headless (Playwright's own browser download needs the network)."""
    return playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server for `root` on 127.0.0.1, started on enter and shut down (kernels too) on exit.

    Everything it writes besides what the notebooks' code writes (workspaces, settings, checkpoints,
    its log) goes to a temporary folder removed on exit.
    """

    def __init__(self, root, args=(), settings=None):
        """`args`: more options for the server (run.lab_font(), say); `settings`: more user settings, by file."""
        self.root = Path(root).resolve()
        self.args, self.settings = list(args), {**SETTINGS, **(settings or {})}
        self.url = ""
        self.process = None
        self._scratch = None

    def __enter__(self):
        self._scratch = Path(tempfile.mkdtemp(prefix="browser-lab-"))
        settings = self._scratch / "settings"
        for name, values in self.settings.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        for attempt in range(3):  # a port taken between free_port() and the bind: try another
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self._scratch / "config"),
                       JUPYTER_RUNTIME_DIR=str(self._scratch / "runtime"), PYTHONUNBUFFERED="1")
            with open(self._scratch / f"server-{attempt}.log", "wb") as log:
                self.process = subprocess.Popen([
                    sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
                    "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                    "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
                    f"--ServerApp.root_dir={self.root}",
                    f"--LabApp.workspaces_dir={self._scratch / 'workspaces'}",
                    f"--LabApp.user_settings_dir={settings}", "--LabApp.news_url=None",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                    "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True",
                    # Opening a notebook makes a checkpoint copy: keep it out of the project (an absolute path).
                    f"--FileCheckpoints.checkpoint_dir={self._scratch / 'checkpoints'}", *self.args,
                ], cwd=self.root, stdout=log, stderr=subprocess.STDOUT, env=env)
            if self._wait_until_up():
                return self
            self._stop()
        raise RuntimeError(f"JupyterLab did not start; see the logs in {self._scratch}:\n{self.log()[-3000:]}")

    def __exit__(self, *exc):
        self._stop()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def log(self):
        """Everything the server printed so far."""
        return "\n".join(p.read_text(errors="replace") for p in sorted(self._scratch.glob("server-*.log")))

    def saves(self):
        """The files the server wrote through its contents API (the browser must save nothing)."""
        return [line.split("Saving file at ", 1)[1] for line in self.log().splitlines() if "Saving file at " in line]

    def api(self, path, method="GET"):
        """Call the server's REST API; gives the decoded JSON (or None for an empty answer)."""
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def _wait_until_up(self):
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                self.api("/api/status")
                return True
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        return False

    def shutdown_kernels(self):
        """End every session and kernel (one notebook's kernel must not outlive its test)."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")
        for kernel in self.api("/api/kernels"):
            self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def _stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.shutdown_kernels()
            self.api("/api/shutdown", method="POST")
            self.process.wait(timeout=30)
        except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)

    def workspace_url(self, notebook):
        """A fresh, never-used workspace that opens `notebook` (a path relative to root)."""
        relative = Path(notebook).resolve().relative_to(self.root).as_posix()
        return f"{self.url}/lab/workspaces/test-{uuid.uuid4().hex[:12]}/tree/{relative}?reset"


class Voila:
    """`voila <notebook>` on 127.0.0.1 (what `python3 run.py class` starts), started on enter, stopped on exit.

    `env`: extra environment variables for the server and its kernels (CNN_LAYERS_PRESENTER=1, say)."""

    def __init__(self, notebook, env=None):
        self.notebook, self.url, self.process, self.env = Path(notebook).resolve(), "", None, env or {}

    def __enter__(self):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-m", "voila", str(self.notebook), "--no-browser",
                                         "--Voila.ip=127.0.0.1", f"--port={port}"], stdout=self.log,
                                        stderr=subprocess.STDOUT,
                                        env=dict(os.environ, PYTHONUNBUFFERED="1", **self.env))
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("Voila did not start")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# Per widget (a .jupyter-widgets or .cnn-live root): its pictures' rendered sizes against their own pixel sizes, and
# every piece of text a learner reads (labels, readouts, buttons, menus, HTML): its computed font size,
# whether it is cut (text wider than its box) or wraps (taller than about one line).
SIZES_JS = r"""
root => {
  // an <img> (a kernel-side view) or a picture's canvas (a browser-side view, .cnn-live), at its own pixel size
  const pictures = [...root.querySelectorAll('img, .cnn-pictures canvas')].map(i => {
    const r = i.getBoundingClientRect();
    return {width: r.width, height: r.height,
            natural: i.tagName === 'IMG' ? [i.naturalWidth, i.naturalHeight] : [i.width, i.height]};
  });
  // a browser-side view whose pictures share one heading is one diagram drawn to one scale (the flatten calculator's
  // stages: the kernel-side view draws them as one picture): its pictures' block, measured as one
  const diagrams = [...root.querySelectorAll('.cnn-view')]
    .filter(v => v.querySelector('.cnn-heading').textContent.trim())
    .map(v => {  // the smallest box around its pictures
      const rs = [...v.querySelectorAll('.cnn-pictures canvas')].map(c => c.getBoundingClientRect());
      return {width: Math.max(...rs.map(r => r.right)) - Math.min(...rs.map(r => r.left)),
              height: Math.max(...rs.map(r => r.bottom)) - Math.min(...rs.map(r => r.top))};
    });
  const labels = [...root.querySelectorAll(
      '.widget-label, .jupyter-widget-label, .widget-readout, .jupyter-widget-readout, button, select, ' +
      '.widget-html-content td, .widget-html-content th, .widget-html-content p, .widget-html-content span, ' +
      '.cnn-label, .cnn-readout, .cnn-title, .cnn-message, .cnn-heading, .cnn-legend-labels span, ' +
      '.cnn-text td, .cnn-text th, .cnn-text p, .cnn-text span')]
    .filter(e => e.offsetParent && (e.textContent || '').trim())
    .map(e => {
      const style = getComputedStyle(e), size = parseFloat(style.fontSize);
      const lineHeight = parseFloat(style.lineHeight) || 1.4 * size;
      const oneLine = !['P', 'SPAN', 'TD', 'TH'].includes(e.tagName);  // labels, readouts, buttons, menus
      return {text: e.textContent.trim().slice(0, 40), size,
              cut: e.scrollWidth > e.clientWidth + 1 && style.overflow !== 'visible',
              wrapped: oneLine && e.getBoundingClientRect().height > 1.8 * lineHeight};
    });
  return {pictures, diagrams, labels};
}
"""


# In-page helpers. `window.__lab` reads the current notebook's kernel and model; `window.__probe`
# watches one widget around one interaction: the time of the learner's input (key, pointer or
# change event), the kernel's busy -> idle turns that handle the widget messages it sends, and,
# for every <img> whose source changes (or that appears), the first animation frame after the new
# picture has loaded: the moment it is on screen.
PAGE_JS = r"""
(() => {
  const panel = () => window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = () => { const p = panel(); const s = p && p.sessionContext && p.sessionContext.session;
                         return s ? s.kernel : null; };
  window.__lab = {
    kernelReady() { const p = panel(); const k = kernel();
      return !!k && k.connectionStatus === 'connected' && k.status === 'idle' && !!p.context && p.context.isReady; },
    lost: '',  // set when the kernel dies or restarts: running all then ends early, and problems() says so
    watchKernel() {
      kernel().statusChanged.connect((_, status) => {
        if (['dead', 'restarting', 'autorestarting'].includes(status)) this.lost = this.lost || status;
      });
    },
    cells() {  // [{type, count, outputs: [{type, text}]}] from the notebook model
      const cells = panel().content.model.cells, out = [];
      for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i), outputs = [];
        if (c.type === 'code') for (let j = 0; j < c.outputs.length; j++) {
          const o = c.outputs.get(j).toJSON();
          const data = o.data || {};
          const view = data['application/vnd.jupyter.widget-view+json'];
          outputs.push({type: o.output_type, text: o.output_type === 'error'
            ? o.ename + ': ' + o.evalue : String(data['text/plain'] || o.text || ''),
            model: view ? view.model_id : null});
        }
        out.push({type: c.type, count: c.type === 'code' ? c.executionCount : null, outputs});
      }
      return out;
    },
    async ask(code) {  // run code in the kernel outside any cell (no output in the notebook): what it prints
      const future = kernel().requestExecute({code, silent: false, store_history: false, allow_stdin: false});
      let printed = '', failed = '';
      future.onIOPub = msg => {
        if (msg.header.msg_type === 'stream') printed += msg.content.text;
        if (msg.header.msg_type === 'error') failed = msg.content.ename + ': ' + msg.content.evalue;
      };
      await future.done;
      if (failed) throw new Error(failed);
      return printed;
    },
    runFinished() {
      if (this.lost) return true;
      if (!this.kernelReady()) return false;
      if ([...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')].some(e => e.textContent.includes('*')))
        return false;
      const code = this.cells().filter(c => c.type === 'code');
      return code.every(c => c.count) || code.some(c => c.outputs.some(o => o.type === 'error'));
    },
  };
  window.__probe = {
    armed: false,
    arm(root) {
      this.disarm();
      Object.assign(this, {root, armed: true, t0: null, pending: new Set(), turns: 0, busyAt: null, idleAt: null,
                           before: new Map([...root.querySelectorAll('img')].map(i => [i, i.src])),
                           text: root.textContent, html: this.htmlText(root), tracked: new Map()});
      this.onInput = () => { if (this.t0 === null) this.t0 = performance.now(); };
      for (const type of ['keydown', 'pointerdown', 'input', 'change'])
        document.addEventListener(type, this.onInput, true);
      // The kernel's turns that answer this interaction: the busy -> idle status messages whose parent
      // is a widget message the page sent after the input (not, say, the debugger's own requests).
      this.kernel = kernel();
      this.onMessage = (_, {direction, msg}) => {
        if (direction === 'send') {
          if (this.t0 !== null && msg.header.msg_type === 'comm_msg') {
            this.pending.add(msg.header.msg_id);
            this.turns++;
          }
          return;
        }
        const parent = msg.parent_header && msg.parent_header.msg_id;
        if (msg.header.msg_type !== 'status' || !this.pending.has(parent)) return;
        const now = performance.now();
        if (msg.content.execution_state === 'busy' && this.busyAt === null) this.busyAt = now;
        if (msg.content.execution_state === 'idle') { this.pending.delete(parent); this.idleAt = now; }
      };
      this.kernel.anyMessage.connect(this.onMessage);
      this.observer = new MutationObserver(() => this.scan());
      this.observer.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    },
    htmlText(root) {  // the widget's HTML parts: titles, captions, messages (not control labels or readouts)
      return [...root.querySelectorAll('.widget-html-content')].map(e => e.textContent.trim()).filter(Boolean);
    },
    scan() {
      for (const img of this.root.querySelectorAll('img')) {
        if (!img.src || this.before.get(img) === img.src) continue;
        const seen = this.tracked.get(img);
        if (seen && seen.src === img.src) continue;
        const entry = {src: img.src, changed: performance.now(), painted: null};
        this.tracked.set(img, entry);
        const paint = () => requestAnimationFrame(t => { if (img.src === entry.src) entry.painted = t; });
        if (img.complete && img.naturalWidth) paint();
        else img.addEventListener('load', paint, {once: true});
      }
    },
    settled() {
      this.scan();
      return this.turns > 0 && this.pending.size === 0 && [...this.tracked.values()].every(e => e.painted !== null);
    },
    result() {
      const entries = [...this.tracked.entries()].filter(([img]) => img.isConnected).map(([, e]) => e);
      const painted = entries.map(e => e.painted - this.t0);
      const html = this.htmlText(this.root);
      const r = {images: entries.length, turns: this.turns, html,
                 textChanged: this.root.textContent !== this.text,
                 newHtml: html.filter(t => !this.html.includes(t)),
                 firstMs: painted.length ? Math.min(...painted) : null,
                 kernelMs: this.idleAt !== null && this.busyAt !== null ? this.idleAt - this.busyAt : null,
                 lastMs: painted.length ? Math.max(...painted) : null};
      this.disarm();
      return r;
    },
    disarm() {
      if (!this.armed) return;
      this.armed = false;
      this.observer.disconnect();
      for (const type of ['keydown', 'pointerdown', 'input', 'change'])
        document.removeEventListener(type, this.onInput, true);
      this.kernel.anyMessage.disconnect(this.onMessage);
    },
  };
})();
"""

# A widget a cell displays (not one nested in another widget): an output of the cell holding a widget view, an
# ipywidget's (.jupyter-widgets) or a browser-side view's (utils/web/*.js, an anywidget: its element is .cnn-live).
WIDGET_OUTPUTS = (".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:is(:has(> .jupyter-widgets), "
                  ":has(> .cnn-live))")
# A browser-side view has drawn once its module has run (common.js's mount sets data-drawn on every picture it draws).
UNDRAWN = ".cnn-live:not(:has(> .cnn-view[data-drawn]))"
LOADING, BROKEN = "Loading widget...", "Error displaying widget"
UNEXPECTED = "Unexpected "  # how LiveView starts the message of an error that is not a SettingError
STEPS = (+1, +1, -1, -1, -1, -1)  # arrow-key steps tried in turn on a slider or number: up twice, then down
# A control's name as the learner reads it: its label, else its options (toggle buttons have no label).
CONTROL_NAME_JS = r"""e => {
  const w = e.closest('.widget-inline-hbox, .widget-toggle-buttons, .widget-radio, .jupyter-widgets') || e;
  const texts = [...w.querySelectorAll('.widget-label, .widget-label-basic span')]
    .map(l => l.textContent.replace(/\u200b/g, '').trim()).filter(Boolean);
  if (texts.length) return texts[0];
  return [...w.querySelectorAll('button, option')].map(b => b.textContent.trim()).join('/');
}"""
# The controls a learner can change, by kind; buttons and file uploads are left alone.
CONTROLS = {
    "slider": ".noUi-target:not([disabled]) .noUi-handle",
    "dropdown": ".widget-dropdown select:not([disabled])",
    "toggle": ".widget-toggle-buttons:not(:has(button[disabled]))",
    "checkbox": ".widget-checkbox input[type=checkbox]:not([disabled])",
    "radio": ".widget-radio-box:not(:has(input[disabled]))",
    "number": ".widget-text input[type=number]:not([disabled])",
    "togglebutton": ".widget-toggle-button:not(.widget-toggle-buttons *):not([disabled])",
}


class Notebook:
    """One notebook open in a fresh JupyterLab workspace, with its kernel."""

    def __init__(self, page, lab, path):
        self.page, self.lab, self.path = page, lab, Path(path)
        self.page_errors = []
        page.on("pageerror", lambda error: self.page_errors.append(f"uncaught: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        # Errors the page logs (a widget view that failed, say); not the external resources the
        # loopback-only browser refuses by design (the Colab badge's image).
        where = message.location.get("url", "") if message.location else ""
        if message.type == "error" and (not where.startswith("http") or where.startswith(self.lab.url)):
            self.page_errors.append(f"console error: {message.text[:500]}")

    def open(self):
        """Load the notebook in a new workspace and wait for a connected, idle kernel."""
        self.page.goto(self.lab.workspace_url(self.path), wait_until="domcontentloaded")
        self.page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                    " && window.jupyterapp.shell.currentWidget.sessionContext)",
                                    timeout=KERNEL_READY_S * 1000)
        self.page.evaluate(PAGE_JS)
        self.page.wait_for_function("() => window.__lab.kernelReady()", timeout=KERNEL_READY_S * 1000)
        self.page.evaluate("() => window.__lab.watchKernel()")
        return self

    def run_all(self):
        """Run > Run All Cells from the menu bar, then wait until every cell ran (or one failed) and widgets loaded."""
        self.page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        self.page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        self.page.wait_for_function("() => window.__lab.runFinished()", timeout=RUN_ALL_S * 1000, polling=250)
        try:  # a widget still loading after this is reported by problems()
            self.page.wait_for_function(
                "([sel, text, undrawn]) => !document.querySelector(undrawn) && "
                "[...document.querySelectorAll(sel)].every(e => !e.textContent.includes(text))",
                arg=[OUTPUTS, LOADING, UNDRAWN], timeout=WIDGET_LOAD_S * 1000, polling=250)
        except PlaywrightTimeout:
            pass

    def cells(self):
        """The model's cells: [{type, count, outputs: [{type, text}]}]."""
        return self.page.evaluate("() => window.__lab.cells()")

    def problems(self):
        """Everything a learner would see go wrong: error outputs, tracebacks, unrun cells, broken widgets."""
        lost = self.page.evaluate("() => window.__lab.lost")
        found = [f"the kernel died or restarted (status {lost!r})"] if lost else []
        for i, cell in enumerate(self.cells()):
            if cell["type"] == "code" and not cell["count"]:
                found.append(f"cell {i} did not run")
            found += [f"cell {i} raised {o['text']}" for o in cell["outputs"] if o["type"] == "error"]
        for text in self.page.locator(STDERR).all_inner_texts():
            if "Traceback" in text or "Error" in text:
                found.append(f"stderr shows: {text[-600:]}")
        for text in self.page.locator(OUTPUTS).all_inner_texts():
            if BROKEN in text or LOADING in text:
                found.append(f"a widget did not render: {text[:200]!r}")
        undrawn = self.page.locator(UNDRAWN).count()
        if undrawn:
            found.append(f"{undrawn} browser-side view(s) never drew (their ES module did not run)")
        found += [f"JavaScript {e}" for e in self.page_errors]
        return found

    def widgets(self):
        """The widget views the notebook shows, in order, each as a `Widget`."""
        outputs = self.page.locator(WIDGET_OUTPUTS)
        labels = self.page.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(e => {
            const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
            const cell = e.closest('.jp-Cell');
            const outs = [...cell.querySelectorAll('.jp-OutputArea-child')];
            return [cells.indexOf(cell), outs.indexOf(e.closest('.jp-OutputArea-child'))];
        })""", WIDGET_OUTPUTS)
        cells = self.cells()
        found = []
        for n, (cell, output) in enumerate(labels):
            shown = cells[cell]["outputs"][output] if 0 <= output < len(cells[cell]["outputs"]) else {}
            name = re.match(r"<?(\w*)", shown.get("text", "")).group(1) or "widget"  # <VBox(...)>, ShapeCalculator: ...
            locator = outputs.nth(n)
            if locator.locator("> .cnn-live").count():
                found.append(BrowserView(self.page, locator, f"cell {cell}: {name}", shown.get("model")))
            else:
                found.append(Widget(self.page, locator, f"cell {cell}: {name}"))
        return found


class Widget:
    """One displayed widget view: its controls, and what happens to its pictures when one changes."""

    def __init__(self, page, locator, label):
        self.page, self.locator, self.label = page, locator, label

    def show(self):
        """Scroll the widget's top to the top of the window, so its controls and pictures are on screen."""
        self.locator.evaluate("e => e.scrollIntoView({block: 'start'})")

    def screenshot(self, path):
        """Save a PNG of the widget, once the notebook around it has stopped moving.

        Cells off screen are laid out lazily (CSS content-visibility), so scrolling to the widget
        can shift it again a frame later: scroll until its box stays put for 3 frames (at most ~2 s).
        """
        self.locator.evaluate("""async e => {
            let last = '', still = 0;
            for (let frame = 0; frame < 120 && still < 3; frame++) {
                e.scrollIntoView({block: 'start'});
                await new Promise(r => requestAnimationFrame(r));
                const box = JSON.stringify(e.getBoundingClientRect());
                still = box === last ? still + 1 : 0;
                last = box;
            }
        }""")
        self.locator.screenshot(path=path, animations="disabled")

    def has_pictures(self):
        return self.locator.locator("img").count() > 0

    def controls(self):
        """[(kind, locator, name)] for every control a learner can change, in page order."""
        found = []
        for kind, selector in CONTROLS.items():
            items = self.locator.locator(selector)
            for i in range(items.count()):
                item = items.nth(i)
                name = item.evaluate(CONTROL_NAME_JS)
                found.append((kind, item, name or f"{kind} {i + 1}"))
        return found

    def _observe(self, action):
        """Run `action` between arming and reading the probe.

        Gives {images: pictures redrawn, firstMs/lastMs: input -> first/last of them on screen,
        kernelMs: the kernel's busy -> idle for it as the page saw it, turns: widget messages sent,
        textChanged, html: the widget's HTML texts, newHtml: the ones that are new (a message),
        answered: False if the kernel never answered}.
        """
        self.locator.evaluate("root => window.__probe.arm(root)")
        try:
            action()
            try:
                self.page.wait_for_function("() => window.__probe.settled()", timeout=WIDGET_UPDATE_S * 1000,
                                            polling="raf")
            except PlaywrightTimeout:
                return {**self.page.evaluate("() => window.__probe.result()"), "answered": False}
            return {**self.page.evaluate("() => window.__probe.result()"), "answered": True}
        finally:
            self.page.evaluate("() => window.__probe.disarm()")

    def step_slider(self, handle, direction):
        """One arrow-key step on a slider handle: up for +1, down for -1 (the other way at either end)."""
        now, top, low, vertical = handle.evaluate("""e => [+e.getAttribute('aria-valuenow'),
            +e.getAttribute('aria-valuemax'), +e.getAttribute('aria-valuemin'),
            e.getAttribute('aria-orientation') === 'vertical']""")
        if (direction > 0 and now >= top) or (direction < 0 and now <= low):
            direction = -direction
        key = ("ArrowUp" if direction > 0 else "ArrowDown") if vertical else \
              ("ArrowRight" if direction > 0 else "ArrowLeft")
        self.show()
        handle.evaluate("e => e.focus({preventScroll: true})")
        return self._observe(lambda: self.page.keyboard.press(key))

    def attempts(self, kind, item):
        """How many different changes of a control to try before calling its picture stuck."""
        if kind in ("slider", "number"):
            return len(STEPS)
        if kind in ("dropdown", "toggle", "radio"):
            return max(1, item.locator("option, button, input").count() - 1)
        return 2

    def change(self, kind, item, attempt):
        """Change one control the way a learner would, a different way for each `attempt`; None if it can't."""
        if kind == "slider":
            return self.step_slider(item, direction=STEPS[attempt % len(STEPS)])
        if kind == "dropdown":
            values = item.evaluate("e => [...e.options].map(o => o.value)")
            current = item.evaluate("e => e.value")
            others = [v for v in values if v != current]
            return self._observe(lambda: item.select_option(others[attempt % len(others)])) if others else None
        if kind in ("toggle", "radio"):
            options = item.locator("button:not(.mod-active)" if kind == "toggle" else "input:not(:checked)")
            count = options.count()
            return self._observe(lambda: options.nth(attempt % count).click()) if count else None
        if kind in ("checkbox", "togglebutton"):
            return self._observe(item.click)
        if kind == "number":
            item.scroll_into_view_if_needed()
            item.focus()
            key = "ArrowUp" if STEPS[attempt % len(STEPS)] > 0 else "ArrowDown"
            return self._observe(lambda: (item.press(key), item.press("Enter")))
        raise ValueError(f"unknown control kind {kind!r}")

    def state(self, kind, item):
        """A control's current setting, as `restore` takes it back."""
        if kind == "slider":
            return item.evaluate("e => +e.getAttribute('aria-valuenow')")
        if kind == "number":
            return item.evaluate("e => +e.value")
        if kind == "dropdown":
            return item.evaluate("e => e.value")
        if kind == "toggle":
            return item.locator("button").evaluate_all("bs => bs.findIndex(b => b.classList.contains('mod-active'))")
        if kind == "radio":
            return item.locator("input").evaluate_all("xs => xs.findIndex(x => x.checked)")
        if kind == "checkbox":
            return item.is_checked()
        return item.evaluate("e => e.classList.contains('mod-active')")

    def restore(self, kind, item, value):
        """Put a control back to `value` (from `state`), so one control's test leaves the next a clean start."""
        for _ in range(2 * len(STEPS) + 2 if kind == "slider" else 1):
            now = self.state(kind, item)
            if now == value or (kind in ("slider", "number") and abs(now - value) <= 1e-9 * max(1, abs(value))):
                return
            if kind == "slider":
                self.step_slider(item, direction=1 if now < value else -1)
            elif kind == "dropdown":
                self._observe(lambda: item.select_option(value))
            elif kind == "number":
                self._observe(lambda: (item.fill(str(value)), item.press("Enter")))
            elif kind in ("toggle", "radio"):
                self._observe(item.locator("button" if kind == "toggle" else "input").nth(value).click)
            else:
                self._observe(item.click)

    def redraw(self, kind, item):
        """Change a control until the picture (or, for a widget without one, its text) changes, then put it back.

        Gives (verdict, outcomes): "redrew"; "text" if no change redrew a picture but the widget's
        text answered (a message for an impossible setting, say "upload" with nothing uploaded, or a
        caption for a setting the pictures do not show); "stuck" if nothing visible changed or the
        widget reported an unexpected error (not a SettingError) at any try. Several tries, because
        one step may land on an impossible setting, which shows a message and keeps the old picture.
        """
        start, outcomes = self.state(kind, item), []
        try:
            for attempt in range(self.attempts(kind, item)):
                outcome = self.change(kind, item, attempt)
                if outcome is None:
                    break
                outcomes.append(outcome)
                if any(UNEXPECTED in text for text in outcome["newHtml"]):
                    return "stuck", outcomes
                if outcome["images"] or (outcome["textChanged"] and not self.has_pictures()):
                    return "redrew", outcomes
        finally:
            self.restore(kind, item, start)
        if any(o["newHtml"] and o["answered"] for o in outcomes):
            return "text", outcomes
        return "stuck", outcomes


# A browser-side view's controls (common.js's makeControl), by kind; its file upload is left alone, as above.
LIVE_CONTROLS = {
    "slider": "input.cnn-slider",
    "dropdown": "select.cnn-dropdown",
    "toggle": ".cnn-toggle",
    "number": "input.cnn-number",
}
# What a browser-side view shows, read in the page: how often it drew and when, a digest of each picture's pixels
# (its canvases, read back), its words (message, heading, captions, legends, text) and the settings it shows; and
# when the learner's input of this change came (LIVE_ARM_JS).
LIVE_SHOWN_JS = r"""el => {
  const root = el.querySelector('.cnn-view');
  const digest = c => {  // FNV-1a over the RGBA pixels
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0x811c9dc5;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return `${c.width}x${c.height}:${h >>> 0}`;
  };
  return {drawn: +root.dataset.drawn || 0, drawnAt: +root.dataset.drawnAt, inputAt: window.__liveInputAt,
          pictures: [...root.querySelectorAll('.cnn-pictures canvas')].map(digest),
          html: [...root.querySelectorAll('.cnn-message, .cnn-heading, .cnn-title, .cnn-legend-labels, .cnn-text')]
            .map(e => e.textContent.trim()).filter(Boolean),
          settings: root.cnn.settings()};
}"""
LIVE_ARM_JS = r"""() => {  // note the time of the next input event (key, pointer, change)
  if (!window.__liveListening) {
    window.__liveListening = true;
    const seen = () => { if (window.__liveInputAt === null) window.__liveInputAt = performance.now(); };
    for (const type of ['keydown', 'pointerdown', 'input', 'change']) document.addEventListener(type, seen, true);
  }
  window.__liveInputAt = null;
}"""
LIVE_CONTROL_NAME_JS = r"""e => {
  const label = e.closest('.cnn-control').querySelector('.cnn-label');
  return label ? label.textContent.trim() : [...e.querySelectorAll('button, option')].map(b => b.textContent).join('/');
}"""
# The settings the kernel holds for the browser-side view whose anywidget is model MODEL: its LiveView's settings(),
# found among the cells' results (Out), else among every object; printed as JSON (null: no such view). Run outside
# any cell, in a namespace of its own, so it leaves no name behind.
KERNEL_SETTINGS = """exec('''
import gc, json
from IPython import get_ipython
def shows(v):
    return getattr(getattr(v, "live", None), "model_id", None) == MODEL
results = list(get_ipython().user_ns.get("Out", {}).values())
view = next((v for v in results if shows(v)), None) or next((v for v in gc.get_objects() if shows(v)), None)
print(json.dumps(view.settings() if view is not None else None))
''', {"MODEL": %r})"""


def same_settings(a, b):
    """Whether two settings (decoded JSON) agree: numbers by value (the page's 1 is the kernel's 1.0), to 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_settings(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_settings(x, y) for x, y in zip(a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    return a == b


class BrowserView(Widget):
    """A browser-side view (utils/web/*.js, an anywidget) in JupyterLab: its own controls and canvases.

    A change must redraw it in the browser (new pixels on a canvas, or new words: a refusal's message) and reach
    the kernel: its LiveView's settings() become the ones the page shows. `model`: the anywidget's model id; None
    where there is no JupyterLab kernel to ask (a Voila page), which checks the browser side only.
    """

    def __init__(self, page, locator, label, model=None):
        super().__init__(page, locator, label)
        self.model = model

    def has_pictures(self):
        return self.locator.locator(".cnn-pictures canvas").count() > 0

    def controls(self):
        found = []
        for kind, selector in LIVE_CONTROLS.items():
            items = self.locator.locator(selector)
            for i in range(items.count()):
                item = items.nth(i)
                found.append((kind, item, item.evaluate(LIVE_CONTROL_NAME_JS) or f"{kind} {i + 1}"))
        return found

    def shown(self):
        """What the view shows now (LIVE_SHOWN_JS)."""
        return self.locator.evaluate(LIVE_SHOWN_JS)

    def kernel_settings(self):
        """The settings the kernel's LiveView holds (decoded JSON; None if the kernel has no view for this widget)."""
        return json.loads(self.page.evaluate("code => window.__lab.ask(code)", KERNEL_SETTINGS % self.model))

    def _observe(self, action):
        """Run `action`, wait for the view to draw again, then for the kernel to hold the settings the page shows.

        Gives {images: pictures whose pixels changed, textChanged, html: its words, newHtml: the new ones,
        lastMs: input -> picture drawn, kernelMs: None, answered: it drew and the kernel learned the settings,
        problem: why not}.
        """
        before = self.shown()
        self.page.evaluate(LIVE_ARM_JS)
        action()
        outcome = {"images": 0, "turns": 0, "textChanged": False, "html": before["html"], "newHtml": [],
                   "firstMs": None, "lastMs": None, "kernelMs": None, "answered": False, "problem": ""}
        try:
            self.page.wait_for_function("([e, n]) => +e.querySelector('.cnn-view').dataset.drawn > n",
                                        arg=[self.locator.element_handle(), before["drawn"]],
                                        timeout=WIDGET_UPDATE_S * 1000, polling="raf")
        except PlaywrightTimeout:
            return {**outcome, "problem": f"the view did not draw again within {WIDGET_UPDATE_S} s"}
        after = self.shown()
        changed = len(after["pictures"]) if len(after["pictures"]) != len(before["pictures"]) else \
            sum(a != b for a, b in zip(after["pictures"], before["pictures"]))
        took = after["drawnAt"] - after["inputAt"] if after["inputAt"] is not None else None
        outcome.update(images=changed, textChanged=after["html"] != before["html"], html=after["html"],
                       newHtml=[t for t in after["html"] if t not in before["html"]], firstMs=took, lastMs=took)
        if self.model is None:
            return {**outcome, "answered": True}
        deadline, kernel = time.monotonic() + WIDGET_UPDATE_S, None
        while time.monotonic() < deadline:  # the page saves the settings to the kernel as it draws: not yet there?
            kernel, page = self.kernel_settings(), self.shown()["settings"]
            if kernel is None or same_settings(kernel, page):
                break
            time.sleep(0.05)
        if kernel is None:
            return {**outcome, "problem": f"the kernel has no view for widget {self.model}"}
        if not same_settings(kernel, page):
            return {**outcome, "problem": f"the page shows {page}, the kernel holds {kernel} {WIDGET_UPDATE_S} s later"}
        return {**outcome, "answered": True}

    def step_slider(self, handle, direction):
        """One arrow-key step on a slider (a range input): right for +1, left for -1 (the other way at either end)."""
        now, low, top = handle.evaluate("e => [+e.value, +e.min, +e.max]")
        if (direction > 0 and now >= top) or (direction < 0 and now <= low):
            direction = -direction
        handle.scroll_into_view_if_needed()
        handle.focus()
        return self._observe(lambda: self.page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft"))

    def attempts(self, kind, item):
        if kind in ("slider", "number"):
            return len(STEPS)
        return max(1, item.locator("option, button").count() - 1)

    def change(self, kind, item, attempt):
        direction = STEPS[attempt % len(STEPS)]
        if kind == "slider":
            return self.step_slider(item, direction)
        if kind == "number":  # the arrow keys step a number box by its step, within its range
            now, low, top = item.evaluate("e => [+e.value, +e.min, +e.max]")
            if (direction > 0 and now >= top) or (direction < 0 and now <= low):
                direction = -direction
            item.scroll_into_view_if_needed()
            item.focus()
            return self._observe(lambda: item.press("ArrowUp" if direction > 0 else "ArrowDown"))
        if kind == "dropdown":
            values = item.evaluate("e => [...e.options].map(o => o.value)")
            others = [v for v in values if v != item.evaluate("e => e.value")]
            return self._observe(lambda: item.select_option(others[attempt % len(others)])) if others else None
        if kind == "toggle":
            options = item.locator("button:not(.cnn-on)")
            count = options.count()
            return self._observe(lambda: options.nth(attempt % count).click()) if count else None
        raise ValueError(f"unknown control kind {kind!r}")

    def state(self, kind, item):
        if kind in ("slider", "number"):
            return item.evaluate("e => +e.value")
        if kind == "dropdown":
            return item.evaluate("e => e.value")
        return item.locator("button").evaluate_all("bs => bs.findIndex(b => b.classList.contains('cnn-on'))")

    def restore(self, kind, item, value):
        for _ in range(2 * len(STEPS) + 2 if kind == "slider" else 1):
            now = self.state(kind, item)
            if now == value or (kind in ("slider", "number") and abs(now - value) <= 1e-9 * max(1, abs(value))):
                return
            if kind == "slider":
                self.step_slider(item, direction=1 if now < value else -1)
            elif kind == "number":
                self._observe(lambda: item.fill(str(value)))
            elif kind == "dropdown":
                self._observe(lambda: item.select_option(value))
            else:
                self._observe(item.locator("button").nth(value).click)

    def redraw(self, kind, item):
        """Change a control until the pictures (or, if none changes, the words) change, then put it back.

        Gives (verdict, outcomes) as Widget.redraw does: "redrew", "text", or "stuck", which here also means a change
        the view did not draw or the kernel did not learn (the outcome's problem says which).
        """
        start, outcomes = self.state(kind, item), []
        try:
            for attempt in range(self.attempts(kind, item)):
                outcome = self.change(kind, item, attempt)
                if outcome is None:
                    break
                outcomes.append(outcome)
                if outcome["problem"]:
                    return "stuck", outcomes
                if outcome["images"]:
                    return "redrew", outcomes
        finally:
            self.restore(kind, item, start)
        if any(o["newHtml"] for o in outcomes):
            return "text", outcomes
        return "stuck", outcomes


def in_ci():
    """Whether this runs under CI (CI set to anything but empty/0/false/no, as CI services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
