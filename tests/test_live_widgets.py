"""tools/live_widgets.py: a browser-side view's saved state becomes a live widget on a static page (no browser here:
tests/test_browser_views.py runs the pages)."""

import base64
import json
import re

import live_widgets
import nbformat
import pytest

from utils import pool, view

pytestmark = [pytest.mark.widgets, pytest.mark.skipif(view.anywidget is None, reason="anywidget is not installed")]


@pytest.fixture(scope="module")
def shift():
    return pool.ShiftExplorer()


def test_a_views_state_keeps_what_the_module_reads_and_its_bytes_as_base64(shift):
    saved = live_widgets.state_of(shift.live)
    assert set(saved["state"]) == {"view", "controls", "settings", "data", "note"}, "no _esm: the site has its own"
    assert saved["state"]["settings"] == shift.settings() and saved["state"]["data"]["map"] is None
    buffers = {tuple(b["path"]): base64.b64decode(b["data"]) for b in saved["buffers"]}
    assert buffers == {("data", "map"): shift.live.data["map"], **{("data", "luts", style): table for style, table
                                                                   in shift.live.data["luts"].items()}}


def executed(*outputs_of_views, other_widget=None):
    """A notebook as nbclient saves it: outputs pointing at widget models, and the models' state with buffers."""
    cells, models = [], {}
    for i, made in enumerate(outputs_of_views):
        saved = live_widgets.state_of(made.live)
        models[f"m{i}"] = {"model_module": "anywidget", "model_name": "AnyModel", "state": saved["state"],
                           "buffers": saved["buffers"]}
        cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
            "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": f"m{i}"}, "image/png": "AAAA",
                             "text/plain": "ShiftExplorer"})]))
    if other_widget:
        models["other"] = {"model_module": "@jupyter-widgets/controls", "model_name": "VBoxModel", "state": {}}
        cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
            "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "other"}, "text/plain": "x"})]))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {live_widgets.WIDGET_STATE: {"state": models}}
    return nb


def still(nb):
    """A stand-in for tools/website.py's widget_pictures: every widget output as a figure, the state dropped."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.outputs:
            output["data"] = {"text/html": "<figure>still</figure>"}
    return nb


def test_only_browser_side_views_go_live_and_the_scripts_come_once(shift):
    nb = live_widgets.with_live_widgets(executed(shift, shift, other_widget=True), still, "../site-assets")
    pages = [c.outputs[0]["data"]["text/html"] for c in nb.cells]
    assert all('<div class="cnn-live-widget" data-view="shift_explorer">' in p for p in pages[:2])
    assert all("<figure>still</figure>" in p for p in pages), "the still picture stays, for print"
    assert pages[2] == "<figure>still</figure>", "a kernel-side widget stays a picture"
    assert sum(p.count('src="../site-assets/live/shim.js"') for p in pages) == 1
    assert 'src="../site-assets/live/shift_explorer.js"' in pages[0]
    state = json.loads(re.search(r'<script type="application/json" class="cnn-state">(.*?)</script>', pages[0])[1])
    assert state == live_widgets.state_of(shift.live)


def test_a_state_cannot_close_its_script_tag():
    saved = {"state": {"view": "shift_explorer", "data": {"strings": {"x": "</script><b>"}}}, "buffers": []}
    figure = live_widgets.live_figure(saved, "")
    assert figure.count("</script>") == 1 and json.loads(re.search(r"cnn-state\">(.*?)</script>", figure)[1]) == saved


def test_assets_hold_the_shim_and_every_module_as_a_classic_script(tmp_path):
    written = live_widgets.write_assets(tmp_path)
    assert {p.name for p in written} == {"shim.js", *(f"{name}.js" for name in live_widgets.live_views())}
    assert set(live_widgets.live_views()) >= {"shape_calculator", "kernel_playground", "pooling_explorer",
                                              "shift_explorer", "flatten_calculator", "temperature_explorer"}
    script = (tmp_path / "live" / "shift_explorer.js").read_text()
    source = json.loads(re.search(r'\] = (".*");\n$', script)[1])
    assert source == view.module_source("shift_explorer") and "import " not in source.split("\n")[0]
