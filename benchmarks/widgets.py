"""Kernel-side update time of every widget, beside the same view redrawn with `interact` + inline matplotlib.

    .venv/bin/python -m benchmarks.widgets              # normal scale, then the presenter scale

For each widget: p50 and p95 of `view.update(...)` over a sweep of its settings (compute, colour,
PNG-encode, hand the bytes to ipywidgets), and p50 of the same pictures drawn the `interact` way:
a new matplotlib figure each time, rendered to PNG as the inline backend does. Both run in this one
process, so the ratio holds on a shared machine even when absolute times wander.
Budget (the README's Performance table): p50 <= 10 ms, p95 <= 30 ms.
"""

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from utils import conv, draw, fc, lenet, pool  # noqa: E402
from utils.view import sweep  # noqa: E402

# One line per widget: (name, a function that builds it). Add new widgets here.
VIEWS = [
    ("01 kernel playground", conv.KernelPlayground),
    ("01 shape calculator", conv.ShapeCalculator),
    ("02 pooling explorer", pool.PoolingExplorer),
    ("02 shift explorer", pool.ShiftExplorer),
    ("03 flatten calculator", fc.FlattenCalculator),
    ("03 temperature explorer", fc.TemperatureExplorer),
    ("03 neuron explorer", fc.NeuronExplorer),
    ("04 feature-map explorer", lenet.example_explorer),
]
P50_BUDGET_MS, P95_BUDGET_MS = 10, 30


def timed(function, *args, **kwargs):
    """Milliseconds one call takes."""
    start = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def inline_redraw(view, settings):
    """The same pictures the `interact` way: a new figure per change, rendered to PNG like %matplotlib inline."""
    panels = view.compute(**{**view.settings(), **settings})
    fig, axes = plt.subplots(1, len(panels), figsize=(3 * len(panels), 3), squeeze=False)
    for ax, panel in zip(axes.flat, panels):
        ax.imshow(panel.shown(), interpolation="nearest")
        ax.set_title(panel.title)
        ax.axis("off")
    print_figure(fig, "png", bbox_inches="tight")
    plt.close(fig)


def measure(name, make, rounds=3):
    """Print one row: p50/p95 of our updates, p50 of the inline redraw, and their ratio."""
    view = make()
    settings = [s for s in sweep(view, random_combinations=40) if not view.update(**s)]
    for s in settings[:5]:
        view.update(**s)  # warm up caches and lazy imports
    ours = [timed(view.update, **s) for _ in range(rounds) for s in settings]
    baseline = [timed(inline_redraw, view, s) for s in settings[:: max(1, len(settings) // 25)]]
    p50, p95, base = np.percentile(ours, 50), np.percentile(ours, 95), np.percentile(baseline, 50)
    ok = "ok" if p50 <= P50_BUDGET_MS and p95 <= P95_BUDGET_MS else "OVER BUDGET"
    print(f"{name:<28} {p50:7.2f} {p95:7.2f} {base:9.1f} {base / p50:7.1f}x  {ok}  ({len(ours)} updates)")
    return p50, p95


if __name__ == "__main__":
    for presenter in (False, True):
        draw.presenter(presenter)
        print(f"\n{'presenter scale' if presenter else 'normal scale'}")
        print(f"{'widget':<28} {'p50 ms':>7} {'p95 ms':>7} {'inline ms':>9} {'ratio':>8}")
        for name, make in VIEWS:
            measure(name, make)
