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
    shown = decoded(view._images[0])  # the caption drawn in above the picture, at its own pixel size
    np.testing.assert_array_equal(shown, draw.captioned(view.panels[0].rgb, "panel 0"))
    assert view.panels[0].shown().shape == shown.shape
    assert (shown[-3:, :3] == 255).all() and (shown[-3:, 3:] == 255).all()
    view.controls["invert"].value = True  # as a learner clicks
    assert (decoded(view._images[0])[-3:, :3] == 0).all()


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
    assert len(view._images) == 2 and len(view._pictures.children[0].children) == 2
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


# update(): a value no control can take is refused with the setting, the value and what is allowed.

@pytest.mark.parametrize("settings, message", [
    ({"n": 9}, "n should be a whole number from 0 to 8, got 9"),
    ({"n": 2.5}, "n should be a whole number from 0 to 8, got 2.5"),
    ({"n": True}, "n should be a whole number from 0 to 8, got True"),
    ({"level": "0.5"}, "level should be a number from 0 to 1, got '0.5'"),
    ({"level": float("nan")}, "level should be a number from 0 to 1, got nan"),
    ({"invert": "yes"}, "invert should be True or False, got 'yes'"),
    ({"extra": None}, "extra should be one of 0, 1, got None"),
    ({"n": 3, "extra": 2}, "extra should be one of 0, 1, got 2"),
])
def test_update_refuses_a_value_the_control_cannot_take(settings, message):
    view = Squares()
    before = view.settings()
    with pytest.raises(ValueError) as error:
        view.update(**settings)
    assert str(error.value) == message
    assert view.settings() == {**before, "n": settings.get("n", 2) if "extra" in settings else 2}


def test_update_takes_an_option_by_its_label_in_any_letter_case_and_numbers_of_any_kind():
    view = Squares()
    assert view.update(extra=" ONE ", n=np.int64(3), level=1) == ""
    assert view.settings() == {"n": 3, "level": 1.0, "invert": False, "extra": 1}


class Rows(LiveView):
    """A toy view whose row slider follows the size: row < size."""

    def __init__(self):
        super().__init__({"size": widgets.IntSlider(value=4, min=1, max=9), "row": widgets.IntSlider(value=0, max=3)})

    def compute(self, size, row):
        self.controls["row"].max = size - 1
        return [Panel("rows", draw.picture(np.zeros((size, 1)), size=size))]


def test_a_range_that_follows_an_earlier_setting_of_the_same_update_is_checked_after_it():
    view = Rows()
    assert view.update(size=9, row=8) == "" and view.settings() == {"size": 9, "row": 8}
    with pytest.raises(ValueError, match="row should be a whole number from 0 to 1, got 5"):
        view.update(size=2, row=5)
    assert view.controls["row"].max == 1 and view.panels[0].rgb.shape[0] == 2  # the picture shows size 2


def test_sweep_keeps_a_following_control_out_of_its_random_mixes():
    view = Rows()
    for settings in sweep(view, random_combinations=20):
        assert view.update(**settings) == ""


def every_view():
    """One of each widget of the series, built as the notebooks build them (tests stay generic over `controls`)."""
    from utils import conv, fc, lenet, pool
    from utils.data import OFFLINE_CLASSES, make_shapes
    from utils.net import Net
    torch.manual_seed(0)
    images, labels = make_shapes(4, seed=2)
    return [conv.KernelPlayground(), conv.ShapeCalculator(), pool.PoolingExplorer(), pool.ShiftExplorer(),
            fc.FlattenCalculator(), fc.TemperatureExplorer(), fc.NeuronExplorer(),
            lenet.FeatureMapExplorer(Net(), Net(), images, labels, OFFLINE_CLASSES)]


@pytest.fixture(scope="module")
def views():
    return every_view()


def refused(view, name, value):
    """The ValueError message of view.update(name=value); the view's settings must stay as they were."""
    before = view.settings()
    with pytest.raises(ValueError) as error:
        view.update(**{name: value})
    assert view.settings() == before and view.error is None or isinstance(view.error, SettingError)
    return str(error.value)


def test_every_view_names_the_setting_the_value_and_the_options(views):
    checked = 0
    for view in views:
        for name, control in view.controls.items():
            if not hasattr(control, "options"):
                continue
            options = control_values(control)
            message = refused(view, name, None)
            assert message.startswith(f"{name} should be one of ") and message.endswith("got None")
            assert all(repr(option) in message for option in options)
            for option in (o for o in options if isinstance(o, str)):
                view.update(**{name: option.upper()})
                assert view.settings()[name] == option, (type(view).__name__, name, option)
                checked += 1
    assert checked >= 10


def test_every_view_names_the_setting_the_value_and_the_range(views):
    checked = 0
    for view in views:
        for name, control in view.controls.items():
            if hasattr(control, "options") or not hasattr(control, "max"):
                continue
            kind = "a whole number" if isinstance(control.value, int) else "a number"
            allowed = f"from {control.min:g} to {control.max:g}"
            assert refused(view, name, control.max + 1) == f"{name} should be {kind} {allowed}, got {control.max + 1!r}"
            assert allowed in refused(view, name, "1") and allowed in refused(view, name, float("nan"))
            checked += 1
    assert checked >= 10


def test_text_plain_states_the_current_settings():
    view = Squares()
    view.update(n=3, invert=True)
    assert view._repr_mimebundle_()["text/plain"] == "Squares: n = 3 · level = 0.5 · invert = True · extra = 0"


def test_text_plain_reads_in_the_learners_language(chinese):
    # The line a static page prints under a widget's picture: its controls' labels and options, not their names.
    from utils import pool

    line = pool.PoolingExplorer().summary()
    assert line == "PoolingExplorer: 窗口 = 2 · 步幅 = 2 · 填充 = 0 · 池化 = 最大", line


def test_the_presenter_scale_doubles_pictures_and_enlarges_text_on_the_next_refresh():
    view = Squares()
    small, css = view.panels[0].rgb.shape, view._style.value
    try:
        draw.presenter(True)
        view.refresh()
        assert view.panels[0].rgb.shape[:2] == (2 * small[0], 2 * small[1])
        assert f"--jp-widgets-font-size: {draw.text_px()}px" in view._style.value and draw.text_px() >= 18
        assert "--jp-widgets-font-size: 15px" in css
    finally:
        draw.presenter(False)
    view.refresh()
    assert view.panels[0].rgb.shape == small and view._style.value == css


def test_every_label_is_as_wide_as_its_words():
    assert all(c.style.description_width == "initial" for c in Squares().controls.values())


def test_a_panel_with_a_legend_shows_it_under_the_picture():
    rgb = np.zeros((4, 90, 3), np.uint8)
    panel = Panel("map", rgb, ("signed", -2.0, 2.0))
    shown = panel.shown()
    np.testing.assert_array_equal(shown, draw.captioned(draw.keyed(rgb, "signed", -2.0, 2.0), "map"))
    assert panel.same(Panel("map", rgb.copy(), ("signed", -2.0, 2.0)))
    assert not panel.same(Panel("map", rgb, ("signed", -3.0, 3.0))) and not panel.same(None)


def test_under_the_presenter_scale_every_widgets_main_picture_is_at_least_400_px():
    try:
        draw.presenter(True)
        for view in every_view():
            longest = max(max(panel.shown().shape[:2]) for panel in view.panels)
            assert longest >= 400, f"{type(view).__name__}: its largest picture is {longest} px"
    finally:
        draw.presenter(False)


# ---- Browser-side views: the ES module, what it is given, and the kernel kept in step with it

from utils import view as view_module  # noqa: E402

BROWSER_SIDE = ("KernelPlayground", "ShapeCalculator", "PoolingExplorer", "ShiftExplorer", "FlattenCalculator",
                "TemperatureExplorer")


@pytest.fixture
def web(tmp_path, monkeypatch):
    """utils/web in a temporary folder (module_source and module_keys read it afresh)."""
    monkeypatch.setattr(view_module, "WEB", tmp_path)
    view_module.module_source.cache_clear()
    view_module.module_keys.cache_clear()
    yield tmp_path
    view_module.module_source.cache_clear()
    view_module.module_keys.cache_clear()


def test_a_module_is_joined_to_the_shared_helper_and_its_keys_are_read_from_it(web):
    (web / "common.js").write_text('export function help() { return tr("not a key"); }\n')
    (web / "toy.js").write_text('import {help, mount} from "./common.js";\nconst a = tr("one {n}", {n});\n'
                                'const b = tr("two " +\n  "lines \\"quoted\\"");\nconst c = tr("one {n}", {n: 2});\n'
                                'const d = tr(name);\nexport default {};\n')
    source = view_module.module_source("toy")
    assert source.startswith("export function help()") and "./common.js" not in source
    assert source.count("export default") == 1
    assert view_module.module_keys("toy") == ("not a key", "one {n}", 'two lines "quoted"')
    (web / "bad.js").write_text("export default {};\n")
    with pytest.raises(ValueError, match="should import from ./common.js"):
        view_module.module_source("bad")


def test_control_specs_say_what_the_module_draws():
    spec = view_module.control_spec
    assert spec("n", widgets.IntSlider(value=3, min=1, max=9, description="n")) == \
        {"name": "n", "label": "n", "kind": "slider", "min": 1, "max": 9, "step": 1}
    assert spec("m", widgets.ToggleButtons(options=[("max", "max"), ("avg", "avg")]))["kind"] == "toggle"
    assert spec("d", widgets.Dropdown(options=[("one", 1), ("two", 2)]))["options"] == [("one", 1), ("two", 2)]
    assert spec("t", widgets.SelectionSlider(options=(0.5, 1.0), value=1.0)) == \
        {"name": "t", "label": "", "kind": "options-slider", "options": [("0.5", 0.5), ("1.0", 1.0)]}
    assert spec("w", widgets.BoundedFloatText(min=-1, max=1, step=0.5))["kind"] == "number"


def test_numbers_and_colour_tables_go_as_bytes():
    values = torch.tensor([[1.5, -2.0], [0.1, 3.0]])
    assert np.array_equal(np.frombuffer(view_module.float32_bytes(values), "<f4").reshape(2, 2), values.numpy())
    tables = view_module.colour_tables()
    assert {len(t) for t in tables.values()} == {768}
    assert tables["activation"][:3] == draw.colorize(np.zeros((1, 1)), "activation", 0, 1)[0, 0].tobytes()


@pytest.mark.skipif(view_module.anywidget is None, reason="anywidget is not installed")
def test_every_browser_side_view_is_a_live_widget_kept_in_step_with_the_kernel(views):
    live = [v for v in views if v.live is not None]
    assert sorted(type(v).__name__ for v in live) == sorted(BROWSER_SIDE)
    for view in live:
        assert view.widget is view.live and view.live.settings == view.settings()
        assert set(view.live.data["strings"]) == set(view_module.module_keys(view.module))
        bundle, metadata = view._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.live.model_id
        assert "image/png" in bundle, "the still picture stays for pages and PDFs"
        assert metadata == {}, "outside Colab no widget manager is named"


@pytest.mark.skipif(view_module.anywidget is None, reason="anywidget is not installed")
def test_on_colab_the_bundle_names_colabs_widget_manager_as_anywidget_does(monkeypatch):
    import sys
    import types

    from utils import pool
    url = "https://example.invalid/manager.min.js"
    colab = types.SimpleNamespace(enable_custom_widget_manager=lambda: None,
                                  _widgets=types.SimpleNamespace(_installed_url=url))
    monkeypatch.setitem(sys.modules, "google.colab.output", colab)
    _, metadata = pool.ShiftExplorer()._repr_mimebundle_()
    assert metadata == {"application/vnd.jupyter.widget-view+json": {"colab": {"custom_widget_manager": {"url": url}}}}


@pytest.mark.skipif(view_module.anywidget is None, reason="anywidget is not installed")
def test_code_moves_the_browser_and_the_browser_moves_the_kernel():
    from utils import conv
    view = conv.ShapeCalculator()
    view.update(n=20, k=3)
    assert view.live.settings["n"] == 20 and view.live.settings["k"] == 3
    view.live.settings = {**view.live.settings, "n": 9, "row": 5}  # as the frontend sends a learner's drag
    assert view.settings()["n"] == 9 and view.settings()["row"] == 5 and "= <b>7</b>" in view.text
    view.live.settings = {**view.live.settings, "k": 99, "stride": float("nan")}  # no control takes these: kept
    assert view.settings()["k"] == 3 and view.settings()["stride"] == 1
    view.live.settings = {**view.live.settings, "n": 2}  # impossible: the kernel says so, as the module does
    assert view.message.startswith("Impossible")


@pytest.mark.skipif(view_module.anywidget is None, reason="anywidget is not installed")
def test_a_file_sent_from_the_browser_is_used_or_refused_with_a_note():
    from utils import conv
    view = conv.KernelPlayground()
    png = draw.to_png(np.full((40, 30, 3), 200, np.uint8))
    view.browser_message({"upload": "grey.png"}, [memoryview(png)])
    assert view.settings()["image"] == "upload" and view.live.settings["image"] == "upload"
    assert view.live.data["shapes"]["upload"] == list(view.images["upload"].shape) and view.live.note == ""
    view.browser_message({"upload": "notes.txt"}, [b"not an image"])
    assert "notes.txt" in view.live.note and view.settings()["image"] == "upload"


def test_pytorch_refusal_is_pytorchs_own_words():
    from utils import conv
    template = conv.pytorch_refusal()
    with pytest.raises(RuntimeError) as error:
        torch.nn.Conv2d(1, 1, 4, dilation=2)(torch.empty(0, 1, 5, 5))
    assert str(error.value).splitlines()[0] == template.format(padded=5, span=7)


def test_without_anywidget_a_browser_side_view_is_drawn_by_the_kernel_and_says_so(monkeypatch):
    from utils import pool
    monkeypatch.setattr(view_module, "anywidget", None)
    view = pool.ShiftExplorer()
    assert view.live is None and isinstance(view.widget, widgets.VBox)
    notes = [c.value for c in view.widget.children if isinstance(c, widgets.HTML)]
    assert any("pip install anywidget" in note for note in notes)
    assert view.update(shift=2) == "" and view._images[0].value  # PNGs, as every kernel-side view


def test_browser_side_can_be_switched_off_to_compare_and_no_notice_is_shown_then():
    from utils import pool
    try:
        assert not view_module.browser_side(False)
        view = pool.ShiftExplorer()
    finally:
        view_module.browser_side(True)
    assert view.live is None and isinstance(view.widget, widgets.VBox)
    assert not any("anywidget" in c.value for c in view.widget.children if isinstance(c, widgets.HTML))
    assert view_module.browser_side() == (view_module.anywidget is not None)
