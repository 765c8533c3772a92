"""Slider-step latency in a real browser: from the key press to the new picture on screen.

    .venv/bin/python -m benchmarks.browser_latency [--steps 10] [--part 1|2|3] [notebooks/01_convolution.ipynb ...]

JupyterLab on 127.0.0.1, Debian's Chromium under Playwright (tests/browser_support.py). Part 1 runs
every notebook (or the ones given) and steps every slider of every widget with the arrow keys. In
the page, a listener notes the time of the keydown, and for every picture the step redraws, the
first animation frame after the new image has loaded: the latency of a step is the time until the
last redrawn picture is on screen (steps that only show a message are left out). Budget
(the README's Performance table): median <= 50 ms per widget.

Part 3: each browser-side view (utils/web/*.js, an anywidget) beside the same view drawn by the kernel
(view.browser_side(False)), in one JupyterLab notebook, and on a static page as the site shows it: the
key press to the picture drawn in its animation frame (median and p95), and a 1 s mouse drag across its
widest slider: the pictures drawn meanwhile, and whether the last shows the final value. Budget (issue
19): median <= 16 ms, p95 <= 33 ms, >= 30 pictures (a slider with fewer values: one per value).

Part 2, for comparison in the same run: each view of benchmarks/widgets.py's VIEWS twice in a
throwaway notebook in a temp folder, as its LiveView and rebuilt the `interact` way (the same
view's compute, its panels drawn with plt.imshow under %matplotlib inline), its first sliders
stepped the same way in both; and the floor, a slider that only swaps two precomputed PNGs in an
Image: what the Jupyter stack itself costs on this machine at this moment. Ratios, not absolute
times, are what hold on a shared machine.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.browser_support import JupyterLab, Notebook, Widget, chromium, missing_browser

ROOT = Path(__file__).resolve().parent.parent

BUDGET_MS = 50
WARMUP = 2
COMPARED_SLIDERS = 2  # part 2 steps the first 2 sliders of each view, in both versions
VIEWPORT = {"width": 1400, "height": 1200}

# The comparison notebook: cell 1 sets up, then per view one cell with its LiveView and one with `interact`.
SETUP = f'''import importlib.util

import ipywidgets as widgets
import matplotlib.pyplot as plt
from utils import view

view.browser_side(False)  # every LiveView drawn by the kernel here: part 3 compares the browser-side ones

spec = importlib.util.spec_from_file_location("bench_widgets", {str(ROOT / "benchmarks" / "widgets.py")!r})
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
%matplotlib inline


def clone(control):
    """A fresh control with the same range, value and label."""
    keys = ("options", "min", "max", "step", "value", "description", "readout_format", "orientation")
    return type(control)(**{{k: getattr(control, k) for k in keys if control.has_trait(k)}})


def interact_view(make):
    """The view rebuilt the `interact` way: its own compute, its panels drawn by matplotlib inline."""
    view = make()

    def redraw(**settings):
        with view.hold():  # keep the view's own controls in step (compute may read them), without its redraw
            for name, value in settings.items():
                view.controls[name].value = value
        try:
            panels = view.compute(**view.settings())
        except ValueError as error:
            print(error)
            return
        fig, axes = plt.subplots(1, len(panels), figsize=(3 * len(panels), 3), squeeze=False)
        for ax, panel in zip(axes.flat, panels):
            ax.imshow(panel.rgb, interpolation="nearest")
            ax.set_title(panel.title)
            ax.axis("off")
        plt.show()

    widgets.interact(redraw, **{{name: clone(c) for name, c in view.controls.items()}})
'''
# The floor: what the Jupyter stack itself costs, a slider swapping two precomputed PNGs in an Image.
FLOOR = """import numpy as np
from utils import draw

pngs = [draw.to_png(np.full((256, 256, 3), value, np.uint8)) for value in (40, 220)]
floor_image = widgets.Image(value=pngs[0], format="png")
floor_slider = widgets.IntSlider(value=0, min=0, max=10, description="floor")
floor_slider.observe(lambda change: setattr(floor_image, "value", pngs[change["new"] % 2]), names="value")
widgets.VBox([floor_slider, floor_image])"""


def comparison_notebook(folder, count):
    """Write the comparison notebook for the first `count` VIEWS into `folder`; gives its path."""
    cells = [SETUP]
    for i in range(count):
        cells += [f"live_{i} = bench.VIEWS[{i}][1]()\nlive_{i}", f"interact_view(bench.VIEWS[{i}][1])"]
    cells.append(FLOOR)
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                   "source": source} for i, source in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path = Path(folder) / "interact_comparison.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def views():
    """(name, factory) of every widget in benchmarks/widgets.py."""
    from benchmarks import widgets

    return widgets.VIEWS


def slider_steps(widget, steps, most=None):
    """{slider: [(ms to the pictures on screen, ms of the kernel's turn)]}: `steps` arrow-key steps per slider.

    After a warm-up; steps that redraw nothing (a message instead) are left out; the slider is put back.
    Only the first `most` sliders if given.
    """
    found = {}
    for kind, handle, name in widget.controls():
        if kind != "slider" or (most is not None and len(found) >= most):
            continue
        start, direction, times = widget.state(kind, handle), +1, []
        for i in range(WARMUP + steps):
            now, low, high = handle.evaluate("""e => ['aria-valuenow', 'aria-valuemin', 'aria-valuemax']
                                                .map(a => +e.getAttribute(a))""")
            direction = -1 if now >= high else +1 if now <= low else direction  # sweep up, then down, ...
            outcome = widget.step_slider(handle, direction)
            if i >= WARMUP and outcome["answered"] and outcome["lastMs"] is not None:
                times.append((outcome["lastMs"], outcome["kernelMs"]))
        widget.restore(kind, handle, start)
        found[name] = times
    return found


def median(values):
    """The median, NaN for none."""
    return statistics.median(values) if values else float("nan")


def row(times):
    """median, p90 of the latencies, median kernel turn, n."""
    screen, kernel = sorted(t for t, _ in times), [k for _, k in times if k is not None]
    if not screen:
        return "(no step redrew a picture: this slider changes text only)"
    p90 = screen[int(0.9 * (len(screen) - 1))]
    return f"{median(screen):7.1f} {p90:7.1f} {median(kernel):7.1f} {len(screen):3d}"


def measure(browser, lab, path, steps, most=None):
    """[(widget label, slider_steps(...))] for every widget of one notebook, after running it all."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        notebook = Notebook(context.new_page(), lab, path).open()
        notebook.run_all()
        problems = notebook.problems()
        if problems:
            raise RuntimeError(f"{path.name} does not run cleanly in JupyterLab: {problems}")
        return [(widget.label, slider_steps(widget, steps, most)) for widget in notebook.widgets()]
    finally:
        context.close()
        lab.shutdown_kernels()


def part1(browser, paths, steps):
    """Print every notebook widget's slider latencies; gives whether every widget is within budget."""
    print(f"Slider step in the browser, key press -> every redrawn picture on screen; {steps} steps per slider; "
          f"budget: median <= {BUDGET_MS} ms per widget")
    print("(median and p90 of key press -> pictures on screen; kernel: median of the kernel's busy -> idle turn "
          "inside it; ms)")
    print(f"{'notebook':<24} {'widget':<28} {'slider':<18} {'median':>7} {'p90':>7} {'kernel':>7} {'n':>3}")
    verdicts = []
    inside = all(p.is_relative_to(ROOT) for p in paths)
    with JupyterLab(ROOT if inside else os.path.commonpath([p.parent for p in paths])) as lab:
        for path in paths:
            for label, sliders in measure(browser, lab, path, steps):
                if not sliders:
                    print(f"{path.stem:<24} {label:<28} (no slider)")
                    continue
                for name, times in sliders.items():
                    print(f"{path.stem:<24} {label:<28} {name[:18]:<18} {row(times)}")
                every = [t for times in sliders.values() for t in times]
                ok = median([t for t, _ in every]) <= BUDGET_MS
                verdicts.append(ok)
                print(f"{path.stem:<24} {label:<28} {'= whole widget':<18} {row(every)}  "
                      f"{'ok' if ok else 'OVER BUDGET'}")
    return all(verdicts)


def part2(browser, steps):
    """Print LiveView vs interact for every view of benchmarks/widgets.py, and the floor."""
    named = views()
    print(f"\nThe same views as LiveView vs `interact` + %matplotlib inline (benchmarks/widgets.py VIEWS), "
          f"{steps} steps on each of the first {COMPARED_SLIDERS} sliders, same run (median ms, key press -> "
          "pictures on screen):")
    print(f"{'view':<26} {'LiveView ms':>11} {'interact ms':>11} {'ratio':>7}   (LiveView: kernel turn ms)")
    with tempfile.TemporaryDirectory(prefix="browser-latency-") as folder:
        path = comparison_notebook(folder, len(named))
        with JupyterLab(folder) as lab:
            widgets = measure(browser, lab, path, steps, most=COMPARED_SLIDERS)
    for i, (name, _) in enumerate(named):
        (_, live), (_, inline) = widgets[2 * i], widgets[2 * i + 1]
        live_all = [t for times in live.values() for t, _ in times]
        live_kernel = [k for times in live.values() for _, k in times if k is not None]
        inline_all = [t for times in inline.values() for t, _ in times]
        if not live_all or not inline_all:
            print(f"{name:<26} (no slider)")
            continue
        a, b = median(live_all), median(inline_all)
        print(f"{name:<26} {a:11.1f} {b:11.1f} {b / a:6.1f}x   ({median(live_kernel):.1f})")
    floor = [t for times in widgets[-1][1].values() for t, _ in times]
    floor_kernel = [k for times in widgets[-1][1].values() for _, k in times if k is not None]
    print(f"{'floor: Jupyter itself':<26} {median(floor):11.1f} {'':>11} {'':>7}   ({median(floor_kernel):.1f})  "
          "a slider swapping two precomputed PNGs in an Image: the least any widget takes here, now")


# ---- Part 3: the browser-side views (utils/web/*.js) beside the same views drawn by the kernel ----------------------

BROWSER_MS = (16, 33)  # budget of a browser-side view's step: median, p95 (one frame; two at worst)
DRAG_PICTURES = 30  # a 1 s drag across a slider shows at least this many pictures
LIVE = ("conv.ShapeCalculator", "conv.KernelPlayground", "pool.PoolingExplorer", "pool.ShiftExplorer",
        "fc.FlattenCalculator", "fc.TemperatureExplorer")
KEY_TIME_JS = "() => document.addEventListener('keydown', e => { window.__keyAt = e.timeStamp; }, true)"


def live_notebook(folder):
    """A notebook with each browser-side view twice: drawn by the kernel (browser_side(False)), then live."""
    cells = ["from utils import conv, fc, pool, view"]
    for name in LIVE:
        cells += [f"view.browser_side(False)\nkernel_side = {name}()\nview.browser_side(True)\nkernel_side",
                  f"{name}()"]
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                           "source": source} for i, source in enumerate(cells)],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    path = Path(folder) / "live_views.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def live_steps(page, root, steps):
    """[ms from the key press to the new picture drawn in its frame] for `steps` arrow keys on a live view's first
    slider (the playground's first number box: it has no slider), after a warm-up, sweeping up then down."""
    slider, times = root.locator("input[type=range], input[type=number]").first, []
    slider.scroll_into_view_if_needed()
    slider.focus()
    up, down = ("ArrowRight", "ArrowLeft") if slider.get_attribute("type") == "range" else ("ArrowUp", "ArrowDown")
    direction = up
    for i in range(WARMUP + steps):
        value, low, high = slider.evaluate("e => [+e.value, +e.min, +e.max]")
        direction = down if value >= high else up if value <= low else direction
        before = int(root.get_attribute("data-drawn"))
        page.keyboard.press(direction)
        page.wait_for_function("([e, n]) => +e.dataset.drawn > n", arg=[root.element_handle(), before], polling="raf")
        if i >= WARMUP:
            times.append(root.evaluate("e => +e.dataset.drawnAt") - page.evaluate("() => window.__keyAt"))
    return times


def live_drag(page, root, seconds=1.0, moves=60):
    """Drag the thumb of a live view's widest slider across its track in `seconds` -> (pictures drawn meanwhile,
    the values the drag crosses, whether the last picture shows the slider's final value); None without a slider."""
    sliders = root.locator("input[type=range]")
    if not sliders.count():
        return None
    widths = sliders.evaluate_all("es => es.map(e => (+e.max - +e.min) / (+e.step || 1))")
    slider = sliders.nth(widths.index(max(widths)))
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y, x0 = box["y"] + box["height"] / 2, box["x"] + 2
    slider.evaluate("e => { e.value = e.min; e.dispatchEvent(new Event('input')); }")
    page.wait_for_timeout(200)
    before = int(root.get_attribute("data-drawn"))
    page.mouse.move(x0, y)
    page.mouse.down()
    start = time.perf_counter()
    for i in range(1, moves + 1):
        page.mouse.move(x0 + (box["width"] - 4) * i / moves, y)
        page.wait_for_timeout(max(0.0, start + seconds * i / moves - time.perf_counter()) * 1000)
    drawn = int(root.get_attribute("data-drawn")) - before
    page.mouse.up()
    page.wait_for_timeout(300)
    last = slider.evaluate("""e => {  // the setting last drawn against the slider's own value (an option's, if any)
        const name = e.dataset.name, shown = e.closest('.cnn-view').cnn.settings()[name];
        return shown === (e.dataset.options ? JSON.parse(e.dataset.options)[+e.value] : +e.value);
    }""")
    return drawn, round(max(widths)), last


def kernel_steps(widget, steps):
    """[ms from the key press to the new PNG on screen] for `steps` steps of a kernel-side view's first slider (or
    first number box), after a warm-up."""
    sliders = slider_steps(widget, steps, most=1)
    if sliders:
        return [t for times in sliders.values() for t, _ in times]
    kind, item, _ = next(c for c in widget.controls() if c[0] == "number")
    start, times = widget.state(kind, item), []
    for i in range(WARMUP + steps):
        outcome = widget.change(kind, item, attempt=i % 2 * 2)  # up, down, ...
        if i >= WARMUP and outcome["answered"] and outcome["lastMs"] is not None:
            times.append(outcome["lastMs"])
    widget.restore(kind, item, start)
    return times


def site_page(folder):
    """A static page with the six views live, as the site shows them (tools/live_widgets.py's shim and scripts)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import live_widgets

    from utils import conv, fc, pool
    made = [conv.ShapeCalculator(), conv.KernelPlayground(), pool.PoolingExplorer(), pool.ShiftExplorer(),
            fc.FlattenCalculator(), fc.TemperatureExplorer()]
    body = "".join(live_widgets.live_figure(live_widgets.state_of(v.live), "") for v in made)
    scripts = "".join(f"<script>{live_widgets.module_script(v.module)}</script>" for v in made)
    path = Path(folder) / "site.html"
    path.write_text(f'<!doctype html><meta charset="utf-8"><body>{body}<script>{live_widgets.SHIM}</script>{scripts}',
                    encoding="utf-8")
    return path


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * (len(values) - 1) + 0.5))] if values else float("nan")


def part3(browser, steps):
    """Print kernel-side and browser-side step times per view, side by side (JupyterLab and a site page), and drags."""
    print(f"\nThe arithmetic views drawn by the kernel vs in the browser (utils/web/*.js), {steps} steps of the first "
          f"slider each; browser-side budget: median <= {BROWSER_MS[0]} ms, p95 <= {BROWSER_MS[1]} ms, a 1 s drag "
          f">= {DRAG_PICTURES} pictures (every value of a shorter slider) ending on the final value")
    print("(kernel-side: key press -> new PNG on screen; browser-side: key press -> picture drawn in its frame; ms)")
    print(f"{'view':<22} {'kernel p50':>10} {'p95':>6} {'| lab p50':>9} {'p95':>6} {'| site p50':>10} {'p95':>6} "
          f"{'ratio':>6} {'drag lab/site of steps':>22}  verdict")
    rows, verdicts = {}, []
    with tempfile.TemporaryDirectory(prefix="browser-latency-live-") as folder:
        path = live_notebook(folder)
        with JupyterLab(folder) as lab:
            context = browser.new_context(viewport=VIEWPORT)
            try:
                notebook = Notebook(context.new_page(), lab, path).open()
                notebook.run_all()
                page = notebook.page
                page.wait_for_function(f"() => document.querySelectorAll('.cnn-view[data-drawn]').length === "
                                       f"{len(LIVE)}")
                page.evaluate(KEY_TIME_JS)
                cells = page.locator(".jp-Notebook .jp-Cell")  # 0 imports, then per view: kernel-side, live
                for i, name in enumerate(LIVE):
                    cells.nth(1 + 2 * i).scroll_into_view_if_needed()
                    kernel_side = Widget(page, cells.nth(1 + 2 * i).locator(".jp-OutputArea-output").first, name)
                    root = cells.nth(2 + 2 * i).locator(".cnn-view")
                    rows[name] = {"kernel": kernel_steps(kernel_side, steps),
                                  "lab": live_steps(page, root, steps), "lab drag": live_drag(page, root)}
            finally:
                context.close()
                lab.shutdown_kernels()
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(site_page(folder).as_uri())
            page.wait_for_function(f"() => document.querySelectorAll('.cnn-view[data-drawn]').length === {len(LIVE)}")
            page.evaluate(KEY_TIME_JS)
            for i, name in enumerate(LIVE):
                root = page.locator(".cnn-view").nth(i)
                rows[name].update({"site": live_steps(page, root, steps), "site drag": live_drag(page, root)})
        finally:
            context.close()
    for name, row in rows.items():
        k, lab, site = row["kernel"], row["lab"], row["site"]
        dragged = [row[d] for d in ("lab drag", "site drag") if row[d] is not None]
        ok = all(median(t) <= BROWSER_MS[0] and percentile(t, 0.95) <= BROWSER_MS[1] for t in (lab, site)) and \
            all(count >= min(DRAG_PICTURES, values) and last for count, values, last in dragged)  # a short slider:
        verdicts.append(ok)  # every value it has
        drags = "/".join(str(count) for count, _, _ in dragged) + f" of {dragged[0][1]}" + (
            "" if all(last for *_, last in dragged) else " (last != final)") if dragged else "no slider"
        print(f"{name.split('.')[1]:<22} {median(k):10.1f} {percentile(k, 0.95):6.1f} | {median(lab):7.1f} "
              f"{percentile(lab, 0.95):6.1f} | {median(site):8.1f} {percentile(site, 0.95):6.1f} "
              f"{median(k) / median(lab):5.1f}x {drags:>22}  {'ok' if ok else 'OVER BUDGET'}")
    return all(verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    parser.add_argument("--steps", type=int, default=10, help="measured steps per slider (default 10)")
    parser.add_argument("--part", choices=("1", "2", "3", "both", "all"), default="all",
                        help="1: the notebooks' widgets, 2: the LiveView vs interact comparison, 3: the browser-side "
                             "views vs the same views kernel-side; both: 1 and 2 (default all)")
    args = parser.parse_args()
    reason = missing_browser()
    if reason:
        sys.exit(f"cannot run the browser benchmark: {reason}")
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = chromium(playwright)
        try:
            verdict = ""
            if args.part in ("1", "both", "all"):
                verdict = "every widget within budget; " if part1(browser, paths, args.steps) else \
                    "SOME WIDGET OVER BUDGET; "
            if args.part in ("2", "both", "all"):
                part2(browser, args.steps)
            if args.part in ("3", "all"):
                verdict += "every browser-side view within budget; " if part3(browser, args.steps) else \
                    "SOME BROWSER-SIDE VIEW OVER BUDGET; "
        finally:
            browser.close()
    print(f"\n{verdict}{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
