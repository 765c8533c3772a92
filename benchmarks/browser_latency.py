"""Slider-step latency in a real browser: from the key press to the new picture on screen.

    .venv/bin/python benchmarks/browser_latency.py [--steps 10] [--part 1|2] [notebooks/01_convolution.ipynb ...]

JupyterLab on 127.0.0.1, Debian's Chromium under Playwright (tests/browser_support.py). Part 1 runs
every notebook (or the ones given) and steps every slider of every widget with the arrow keys. In
the page, a listener notes the time of the keydown, and for every picture the step redraws, the
first animation frame after the new image has loaded: the latency of a step is the time until the
last redrawn picture is on screen (steps that only show a message are left out). Budget
(DESIGN.md): median <= 50 ms per widget.

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import JupyterLab, Notebook, chromium, missing_browser  # noqa: E402

BUDGET_MS = 50
WARMUP = 2
COMPARED_SLIDERS = 2  # part 2 steps the first 2 sliders of each view, in both versions
VIEWPORT = {"width": 1400, "height": 1200}

# The comparison notebook: cell 1 sets up, then per view one cell with its LiveView and one with `interact`.
SETUP = f'''import importlib.util

import ipywidgets as widgets
import matplotlib.pyplot as plt

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
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import widgets

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/NN_*.ipynb")
    parser.add_argument("--steps", type=int, default=10, help="measured steps per slider (default 10)")
    parser.add_argument("--part", choices=("1", "2", "both"), default="both",
                        help="1: the notebooks' widgets, 2: the LiveView vs interact comparison (default both)")
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
            if args.part != "2":
                verdict = "every widget within budget; " if part1(browser, paths, args.steps) else \
                    "SOME WIDGET OVER BUDGET; "
            if args.part != "1":
                part2(browser, args.steps)
        finally:
            browser.close()
    print(f"\n{verdict}{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
