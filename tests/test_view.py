"""utils.view: the widget scaffold redraws, reports bad settings as messages, and carries a static PNG."""

import base64
import io
import os

import ipywidgets as widgets
import numpy as np
import pytest
import torch
from PIL import Image

from utils import draw
from utils.view import LiveView, Panel, SettingError, control_values, one_thread, sweep, uploaded_bytes, uploaded_file


class Squares(LiveView):
    """A toy view: an n x n picture of one grey level; n > 6 is impossible; n == 0 is a bug."""

    def __init__(self):
        self.computed = 0
        super().__init__({
            "n": widgets.IntSlider(value=2, min=0, max=8),
            "level": widgets.FloatSlider(value=0.5, min=0, max=1),
            "invert": widgets.Checkbox(value=False),
            "extra": widgets.Dropdown(options=[("none", 0), ("one", 1)], value=0),
        })

    def compute(self, n, level, invert, extra):
        self.computed += 1
        if n > 6:
            raise SettingError(f"n is {n}: at most 6")
        _ = 1 / n
        value = 1 - level if invert else level
        levels = [value, 0.25][:1 + extra]  # the second panel never changes
        return [Panel(f"panel {i}", draw.picture(np.full((n, n), v), size=n)) for i, v in enumerate(levels)]


def decoded(image_widget):
    return np.asarray(Image.open(io.BytesIO(image_widget.value)))


def test_a_change_redraws_once_and_the_png_shows_it():
    view = Squares()
    before = view.computed
    assert view.update(level=1.0, n=3) == ""
    assert view.computed == before + 1, "several settings at once: one redraw"
    assert decoded(view._images[0]).shape == (3, 3, 3) and (decoded(view._images[0]) == 255).all()
    view.controls["invert"].value = True  # as a learner clicks
    assert (decoded(view._images[0]) == 0).all()


def test_impossible_settings_become_a_message_and_bugs_are_labelled():
    view = Squares()
    assert view.update(n=7) == "n is 7: at most 6"
    assert isinstance(view.error, SettingError) and "at most 6" in view._message.value
    assert view.update(n=0).startswith("Unexpected ZeroDivisionError")
    assert view.update(n=2) == "" and view.error is None and view._message.value == ""


def test_unknown_settings_are_refused_by_name():
    with pytest.raises(KeyError, match="unknown setting"):
        Squares().update(size=3)


def test_panels_are_rebuilt_when_their_number_changes():
    view = Squares()
    view.update(extra=1)
    assert len(view._images) == 2 and len(view._pictures.children) == 2
    view.update(extra=0)
    assert len(view._images) == 1


def test_static_fallback_is_a_png_of_the_current_state():
    view = Squares()
    view.update(n=4, level=0.0)
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    png = np.asarray(Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))))
    assert png.shape == view.snapshot().shape
    assert (png[-4:, :4] == 0).all(), "the black 4x4 panel sits under its caption"


def test_control_values_cover_each_kind_of_control():
    assert control_values(widgets.IntSlider(min=2, max=5)) == [2, 3, 4, 5]
    wide = control_values(widgets.IntSlider(min=0, max=1000), most=25)
    assert wide[0] == 0 and wide[-1] == 1000 and len(wide) == 25
    assert control_values(widgets.FloatSlider(min=0, max=1))[::5] == [0.0, 0.5, 1.0]
    assert control_values(widgets.Dropdown(options=[("a", 1), ("b", 2)])) == [1, 2]
    assert control_values(widgets.ToggleButtons(options=["max", "avg"])) == ["max", "avg"]
    assert control_values(widgets.Checkbox()) == [False, True]
    with pytest.raises(TypeError, match="no known range"):
        control_values(widgets.Text())


def test_sweep_walks_every_value_of_every_control_then_mixes():
    view = Squares()
    settings = list(sweep(view, random_combinations=5))
    assert len(settings) == 9 + 11 + 2 + 2 + 5
    assert {s["n"] for s in settings} == set(range(9))
    messages = {view.update(**s) for s in settings}
    assert "n is 8: at most 6" in messages and "" in messages


def test_uploaded_file_and_bytes_read_ipywidgets_7_and_8_values():
    assert uploaded_bytes({}) is None and uploaded_bytes(()) is None and uploaded_file(()) == (None, None)
    seven = {"a.png": {"metadata": {"name": "a.png"}, "content": b"old"}, "b.png": {"metadata": {}, "content": b"new"}}
    eight = ({"name": "a.png", "content": memoryview(b"one")}, {"name": "b.png", "content": memoryview(b"two")})
    assert uploaded_bytes(seven) == b"new" and uploaded_bytes(eight) == b"two"
    assert uploaded_file(seven) == ("b.png", b"new") and uploaded_file(eight) == ("b.png", b"two")


def test_ipywidgets_is_the_version_this_run_was_built_for():
    # run.py sets EXPECT_IPYWIDGETS for the second run against Colab's ipywidgets 7.7.1.
    expected = os.environ.get("EXPECT_IPYWIDGETS")
    assert widgets.__version__ == expected if expected else widgets.__version__.startswith(("7.7", "8."))


def test_unchanged_panels_are_not_encoded_again():
    view = Squares()
    view.update(extra=1)
    first = view._images[0].value
    view._images[1].value = b"kept"  # a marker: encoding the unchanged panel again would overwrite it
    view.update(level=0.9)
    assert view._images[0].value != first and view._images[1].value == b"kept"


def test_one_thread_runs_torch_on_one_thread_and_restores_the_setting():
    before = torch.get_num_threads()
    with one_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with pytest.raises(KeyError), one_thread():
        raise KeyError("even after an error")
    assert torch.get_num_threads() == before
