"""Presenter scale in a real browser: slider-step latency and a 1 s drag, for every widget of the dashboard.

    .venv/bin/python -m benchmarks.browser_drag [--steps 8] [--width 1280 --height 720]

The dashboard (`python3 run.py class`'s page) served by Voila with CNN_LAYERS_PRESENTER=1, opened in
Debian's Chromium (tests/browser_support.py). For each widget's first slider:
  step   ArrowRight/ArrowLeft on the handle; the time from the key press to the first animation frame
         after the last redrawn picture has loaded (median over the steps).
  drag   the mouse drags the handle across the slider's track in 1 s (30 moves); counted: the picture
         updates that reached the screen during the drag, and the time from the release to the last one
         (the widget settles on the final value).
Budgets (issue 11): step median <= 60 ms per widget; a drag shows >= 10 pictures and settles within 150 ms.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from tests.browser_support import Voila, chromium, missing_browser

ROOT = Path(__file__).resolve().parent.parent

DASHBOARD = ROOT / "dashboard" / "dashboard.ipynb"
WIDGETS = ".jp-OutputArea-output > .jupyter-widgets"
STEP_BUDGET_MS, DRAG_UPDATES, SETTLE_MS = 60, 10, 150

# Notes, in the page, when each picture of one widget changes and its new image is on screen.
WATCH_JS = r"""
root => {
  window.__shown = [];
  const seen = img => img.decode().catch(() => {}).then(() =>
    requestAnimationFrame(() => window.__shown.push(performance.now())));
  const observer = new MutationObserver(changes => changes.forEach(c => {
    if (c.type === 'attributes' && c.target.tagName === 'IMG') seen(c.target);
  }));
  observer.observe(root, {attributes: true, attributeFilter: ['src'], subtree: true});
  window.__stopWatching = () => observer.disconnect();
}
"""


def step_times(page, view, handle, steps):
    """Milliseconds from each key press to the last picture it redrew on screen (no redraw: left out)."""
    times = []
    for i in range(steps):
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        view.evaluate(WATCH_JS)
        start = page.evaluate("() => performance.now()")
        handle.press("ArrowLeft" if at_max or i % 2 else "ArrowRight")
        page.wait_for_timeout(400)
        shown = page.evaluate("() => { window.__stopWatching(); return window.__shown; }")
        if shown:
            times.append(max(shown) - start)
    return times


def drag(page, view, handle, seconds=1.0, moves=30):
    """Drag the handle from one end of its track to the other -> (pictures shown during it, ms from release to last)."""
    track = handle.locator("xpath=ancestor::*[contains(@class, 'noUi-target')][1]").bounding_box()
    box = handle.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    view.evaluate(WATCH_JS)
    page.mouse.down()
    start = time.perf_counter()
    for i in range(1, moves + 1):
        page.mouse.move(track["x"] + track["width"] * i / moves, y)
        page.wait_for_timeout(max(0.0, start + seconds * i / moves - time.perf_counter()) * 1000)
    release = page.evaluate("() => performance.now()")
    page.mouse.up()
    page.wait_for_timeout(1000)
    shown = page.evaluate("() => { window.__stopWatching(); return window.__shown; }")
    during = sum(t <= release for t in shown)
    settle = max(shown) - release if shown and max(shown) > release else 0.0
    return during, settle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    reason = missing_browser()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, Voila(DASHBOARD, env={"CNN_LAYERS_PRESENTER": "1"}) as server:
        browser = chromium(playwright)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(server.url, timeout=300_000)
        page.wait_for_function("sel => document.querySelectorAll(sel).length >= 8 && "
                               "!document.body.textContent.includes('Loading widget')", arg=WIDGETS, timeout=300_000)
        print(f"presenter scale, {args.width}x{args.height}")
        print(f"{'widget':<8} {'step p50 ms':>11} {'drag pictures':>14} {'settle ms':>10}  verdict")
        views = page.locator(WIDGETS)
        for i in range(views.count()):
            view = views.nth(i)
            handles = view.locator(".noUi-handle")
            if not handles.count():
                continue
            handle = handles.first
            view.evaluate("e => e.scrollIntoView()")
            handle.focus()
            steps = step_times(page, view, handle, args.steps)
            pictures, settle = drag(page, view, handle)
            p50 = statistics.median(steps) if steps else float("nan")
            ok = p50 <= STEP_BUDGET_MS and pictures >= DRAG_UPDATES and settle <= SETTLE_MS
            print(f"{i + 1:<8} {p50:11.1f} {pictures:14d} {settle:10.1f}  {'ok' if ok else 'OVER BUDGET'}")
        browser.close()


if __name__ == "__main__":
    main()
