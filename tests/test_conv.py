"""utils.conv: kernels, helpers, the two widgets of notebook 01, its exercise checkers and their solutions."""

import contextlib
import datetime
import io
import itertools
import re
from pathlib import Path
from unittest import mock

import ipywidgets
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.flop_counter import FlopCounterMode

from utils import conv, images
from utils.view import SettingError, sweep

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_convolution.ipynb"


def png_bytes(width=40, height=30):
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def pictures(view):
    return [(p.title, p.rgb.tobytes()) for p in view.panels]


# ---------------------------------------------------------------------------------------------- helpers


def test_every_preset_is_a_3x3_float_kernel_and_unknown_names_are_refused():
    for name, rows in conv.KERNELS.items():
        k = conv.kernel(name)
        assert k.shape == (3, 3) and k.dtype == torch.float32
        torch.testing.assert_close(k, torch.tensor(rows, dtype=torch.float32))
    with pytest.raises(ValueError, match="unknown kernel 'gauss'.*blur"):
        conv.kernel("gauss")


def test_presets_do_what_their_names_say():
    image = torch.rand(1, 1, 9, 9)
    same = lambda name, x: F.conv2d(x, conv.kernel(name)[None, None], padding=1)
    torch.testing.assert_close(same("identity", image), image)
    torch.testing.assert_close(same("blur", image)[..., 1:-1, 1:-1], F.avg_pool2d(image, 3, stride=1))
    torch.testing.assert_close(conv.kernel("sobel y"), conv.kernel("sobel x").T)
    flat = torch.full((1, 1, 5, 5), 0.7)
    for name in ("sobel x", "sobel y", "laplacian"):  # change detectors: silent on a flat patch
        assert same(name, flat)[..., 1:-1, 1:-1].abs().max() < 1e-6


def test_output_size_matches_pytorch_including_impossible_settings():
    for n, k, p, s, d in itertools.product(range(1, 10), range(1, 5), range(3), range(1, 4), range(1, 3)):
        x, w = torch.zeros(1, 1, n, n, dtype=torch.float64), torch.zeros(1, 1, k, k, dtype=torch.float64)
        try:
            real = F.conv2d(x, w, stride=s, padding=p, dilation=d).shape[-1]
        except RuntimeError:
            real = 0
        assert max(conv.output_size(n, k, p, s, d), 0) == real, (n, k, p, s, d)


@pytest.mark.parametrize("bad", [dict(n=0), dict(kernel_size=2.0), dict(stride=0), dict(padding=-1), dict(dilation=0)])
def test_output_size_names_the_bad_argument(bad):
    arguments = {"n": 8, "kernel_size": 3, **bad}
    with pytest.raises(ValueError, match=f"{next(iter(bad))} should be an int >= "):
        conv.output_size(**arguments)


def test_taps_are_the_pixels_autograd_says_an_output_reads():
    for k, s, d, row, col in [(3, 1, 1, 0, 0), (3, 2, 2, 1, 2), (2, 3, 1, 2, 0), (5, 1, 3, 0, 1)]:
        n = s * 3 + d * (k - 1) + 1
        x = torch.zeros(1, 1, n, n, requires_grad=True)
        F.conv2d(x, torch.ones(1, 1, k, k), stride=s, dilation=d)[0, 0, row, col].backward()
        read = torch.nonzero(x.grad[0, 0]).tolist()
        assert read == [[r, c] for r in conv.taps(row, k, s, d) for c in conv.taps(col, k, s, d)]


def test_stretch_scales_by_the_quantile_and_clips():
    values = torch.linspace(-1, 1, 101).view(1, 101) * torch.ones(3, 1)
    stretched = conv.stretch(values, quantile=0.5)
    limit = torch.quantile(values.abs().flatten(), 0.5)
    torch.testing.assert_close(stretched, (values / limit).clamp(-1, 1))
    assert stretched.abs().max() == 1
    zeros = torch.zeros(4, 4)
    assert torch.equal(conv.stretch(zeros), zeros)
    with pytest.raises(ValueError, match=r"expected an \(H, W\) tensor, got torch.Size\(\[2, 3, 4\]\)"):
        conv.stretch(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="got list"):
        conv.stretch([[1.0]])


def test_shifted_moves_content_and_fills_zeros():
    x = torch.arange(1.0, 26).view(1, 1, 5, 5)
    moved = conv.shifted(x, 2, 1)
    torch.testing.assert_close(moved[..., 2:, 1:], x[..., :3, :4])
    assert moved[..., :2, :].abs().sum() == 0 and moved[..., :, :1].abs().sum() == 0
    torch.testing.assert_close(conv.shifted(x, 0, 0), x)
    torch.testing.assert_close(conv.shifted(x, 5, 0), torch.zeros_like(x))
    for rows, cols in [(-1, 0), (0, 6)]:
        with pytest.raises(ValueError, match="shifts should be between 0 and the size 5x5"):
            conv.shifted(x, rows, cols)


# ---------------------------------------------------------------------------------------------- kernel playground


def test_kernel_playground_sweeps_without_unexpected_errors():
    view = conv.KernelPlayground()
    messages = set()
    for settings in sweep(view):
        message = view.update(**settings)
        assert view.error is None or isinstance(view.error, SettingError), (settings, repr(view.error))
        messages.add(message)
    assert any("No image uploaded yet" in m for m in messages)  # 'upload' with no upload: a message, not a crash


def test_kernel_playground_output_is_the_convolution_of_the_photo():
    view = conv.KernelPlayground()
    weights = torch.randn(3, 3, generator=torch.Generator().manual_seed(3)).clamp(-10, 10)
    assert view.update(**{f"w{r}{c}": float(weights[r, c]) for r in range(3) for c in range(3)}) == ""
    photo = images.load_photo(size=conv.KernelPlayground.SIZE, gray=True)
    torch.testing.assert_close(view.feature_map, F.conv2d(photo[None, None], weights[None, None], padding=1)[0, 0])
    assert view.settings()["preset"] == conv.CUSTOM  # edited weights no longer match "sobel x"


def test_choosing_a_preset_fills_the_nine_weights_in_one_redraw():
    view = conv.KernelPlayground()
    computed = []
    original = view.compute
    view.compute = lambda **settings: computed.append(settings) or original(**settings)
    view.controls["preset"].value = "laplacian"  # as a learner picks it in the menu
    assert len(computed) == 1
    assert [view.controls[n].value for n in conv.WEIGHTS] == list(np.ravel(conv.KERNELS["laplacian"]))
    view.controls["w11"].value = -3.0  # one typed weight: the menu says custom, still one redraw
    assert len(computed) == 2 and view.settings()["preset"] == conv.CUSTOM
    view.controls["preset"].value = conv.CUSTOM  # custom keeps what was typed
    assert view.controls["w11"].value == -3.0


def test_kernel_playground_pictures_change_with_every_setting():
    view = conv.KernelPlayground()
    changes = {"preset": "blur", "show": "as image", **{name: 7.5 for name in conv.WEIGHTS}}
    for name, value in changes.items():
        view.update(preset="sobel x", show="signed")
        before = pictures(view)
        assert view.update(**{name: value}) == ""
        assert pictures(view) != before, name


def upload_value(data, name="me.png"):
    """A FileUpload value holding one file, in the installed ipywidgets' own format (7: dict, 8: tuple)."""
    if ipywidgets.__version__.startswith("7"):
        return {name: {"metadata": {"name": name, "type": "image/png", "size": len(data)}, "content": data}}
    return ({"name": name, "type": "image/png", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.datetime.now(datetime.timezone.utc)},)


def test_upload_of_a_png_through_the_widget_becomes_the_image():
    view = conv.KernelPlayground()
    data = png_bytes(40, 30)
    view.upload.set_trait("value", upload_value(data))  # as the frontend does (read-only in ipywidgets 7)
    assert view.message == "" and view.settings()["image"] == "upload"
    expected = images.image_from_bytes(data, size=conv.KernelPlayground.SIZE, gray=True)
    assert view.feature_map.shape == expected.shape
    assert view.update(image="photo") == "" and view.feature_map.shape != expected.shape
    assert view.update(image="upload") == ""


@pytest.mark.parametrize("data, words", [(b"this is not an image", "could not read the file as an image"),
                                         (b"\0" * (images.MAX_UPLOAD_BYTES + 1), "at most"),
                                         (b"", "empty")])
def test_a_bad_upload_gives_a_message_and_keeps_the_previous_image(data, words):
    view = conv.KernelPlayground()
    before = pictures(view)
    message = view.use_upload(data)
    assert message.startswith("Could not use that file") and words in message
    assert isinstance(view.error, SettingError) and pictures(view) == before
    assert view.settings()["image"] == "photo"
    assert view.update(w00=1.0) == ""  # the message goes away at the next change


# ---------------------------------------------------------------------------------------------- shape calculator


def test_shape_calculator_sweeps_without_unexpected_errors_and_refuses_impossible_settings():
    view = conv.ShapeCalculator()
    impossible = 0
    for settings in sweep(view):
        message = view.update(**settings)
        assert view.error is None or isinstance(view.error, SettingError), (settings, repr(view.error))
        impossible += message.startswith("Impossible")
    assert impossible > 0
    assert "Impossible" in view.update(n=3, k=7, padding=0, dilation=1)
    assert "PyTorch says" in view.message


@pytest.mark.parametrize("n, k, padding, stride, dilation, c_in, c_out",
                         [(32, 5, 0, 1, 1, 3, 6), (14, 5, 0, 1, 1, 6, 16), (9, 3, 1, 2, 2, 2, 4), (8, 3, 0, 2, 1, 1, 1),
                          (64, 11, 5, 4, 1, 16, 32), (5, 2, 2, 3, 3, 3, 5)])
def test_shape_calculator_numbers_match_a_real_convolution(n, k, padding, stride, dilation, c_in, c_out):
    view = conv.ShapeCalculator()
    assert view.update(n=n, k=k, padding=padding, stride=stride, dilation=dilation, c_in=c_in, c_out=c_out) == ""
    layer = nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, dilation=dilation)
    with FlopCounterMode(display=False) as counter:
        out = layer(torch.randn(1, c_in, n, n))
    numbers = view.numbers
    assert numbers["formula"] == numbers["pytorch"] == tuple(out.shape[1:])
    assert numbers["parameters"] == sum(p.numel() for p in layer.parameters())
    assert numbers["multiply_adds"] == counter.get_total_flops() // 2  # a multiply-add counts as 2 flops
    line = re.search(r"<code>(.*)</code>", view.text).group(1)
    assert repr(eval(line, {"nn": nn})) == repr(layer)  # the PyTorch line shown builds this very layer
    assert f"{numbers['multiply_adds']:,}" in view.text and f"{numbers['parameters']:,}" in view.text


def cells_of(panel, factor_size):
    """The colour at the centre of each cell of an upscaled grid picture: (cells, cells, 3)."""
    factor = panel.rgb.shape[0] // factor_size
    return panel.rgb[factor // 2::factor, factor // 2::factor][:factor_size, :factor_size]


@pytest.mark.parametrize("n, k, padding, stride, dilation, row, col",
                         [(9, 3, 1, 2, 2, 2, 1), (8, 3, 0, 2, 1, 2, 0), (8, 2, 0, 3, 1, 1, 2), (10, 4, 2, 1, 1, 5, 7)])
def test_the_stepper_highlights_the_patch_and_the_pixels_never_read(n, k, padding, stride, dilation, row, col):
    view = conv.ShapeCalculator()
    assert view.update(n=n, k=k, padding=padding, stride=stride, dilation=dilation) == ""
    assert view.update(row=row, col=col) == ""
    size = conv.output_size(n, k, padding, stride, dilation)
    assert view.controls["row"].max == view.controls["col"].max == size - 1
    padded = n + 2 * padding
    x = torch.zeros(1, 1, padded, padded, requires_grad=True)  # autograd says which padded pixels are read
    out = F.conv2d(x, torch.ones(1, 1, k, k), stride=stride, dilation=dilation)
    out[0, 0, row, col].backward(retain_graph=True)
    patch = x.grad[0, 0] != 0
    x.grad = None
    out.sum().backward()
    never = (x.grad[0, 0] == 0).numpy()
    cells = cells_of(view.panels[0], padded)
    assert np.array_equal(np.all(cells == conv.TAP, axis=-1), patch.numpy())
    pink = np.all(cells == conv.UNREAD, axis=-1) | np.all(cells == conv.UNREAD_PAD, axis=-1)
    assert np.array_equal(pink, never & ~patch.numpy())
    output = cells_of(view.panels[1], size)
    assert np.array_equal(np.argwhere(np.all(output == conv.TAP, axis=-1)), [[row, col]])


def test_output_sliders_follow_the_output_size_and_clamp():
    view = conv.ShapeCalculator()
    view.update(row=27, col=27)
    assert view.update(n=10) == "" and view.controls["row"].max == 5 and view.settings()["row"] == 5
    assert "pixel (5, 5)" in view.panels[1].title


def test_shape_calculator_pictures_or_titles_change_with_every_setting():
    view = conv.ShapeCalculator()
    changes = {"n": 20, "k": 3, "padding": 2, "stride": 2, "dilation": 2, "c_in": 1, "c_out": 10, "row": 3, "col": 4}
    for name, value in changes.items():
        view.update(n=32, k=5, padding=0, stride=1, dilation=1, c_in=3, c_out=6)
        view.update(row=0, col=0)
        before = pictures(view)
        assert view.update(**{name: value}) == ""
        assert pictures(view) != before, name


# ---------------------------------------------------------------------------------------------- exercise checkers


def verdict(checker, answer):
    """(what the checker returned, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = checker(answer)
    return result, out.getvalue()


def unfinished(*args):
    ...


def broken(*args):
    raise IndexError("index 9 is out of bounds")


RIGHT_AND_WRONG = {
    conv.check_diagonal_edge_kernel: (
        lambda: torch.tensor([[-2.0, -1, 0], [-1, 0, 1], [0, 1, 2]]),
        [lambda: conv.kernel("sobel x"), lambda: conv.kernel("sobel y"), lambda: torch.ones(3, 3),
         lambda: torch.zeros(3, 3), lambda: torch.ones(5, 5), lambda: [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]],
         lambda: torch.tensor([[-1.0, 0, 1], [0, 0, 0], [1, 0, -1]]),  # answers both diagonals
         lambda: torch.full((3, 3), float("nan")),
         lambda: torch.tensor([[-2.0, -1, 0], [-1, 0, 1], [0, 1, float("inf")]]),
         lambda: torch.ones(3, 3, dtype=torch.bool)]),
    conv.check_receptive_field: (
        lambda layers: 1 + sum(d * (k - 1) * int(np.prod([s for _, s, _ in layers[:i]])) for i, (k, _, d) in
                               enumerate(layers)),
        [lambda layers: 1 + sum(k - 1 for k, _, _ in layers),  # forgets the jump
         lambda layers: 1 + sum((k - 1) * int(np.prod([s for _, s, _ in layers[:i]]))
                                for i, (k, _, _) in enumerate(layers)),  # forgets dilation
         lambda layers: torch.tensor([16.0, 16.0])]),  # a vector where a number is expected
}
HOSTILE = [lambda *args: torch.ones(3), lambda *args: "16", lambda *args: mock.ANY, lambda *args: float("nan"),
           lambda *args: [a.zero_() for a in args if isinstance(a, torch.Tensor)] and 0.0]


@pytest.mark.parametrize("checker", RIGHT_AND_WRONG, ids=lambda c: c.__name__)
def test_checkers_pass_right_answers_and_hint_at_wrong_ones(checker):
    right, wrongs = RIGHT_AND_WRONG[checker]
    ok, said = verdict(checker, right)
    assert ok and said.startswith("✅"), said
    for wrong in [*wrongs, *HOSTILE, unfinished, broken]:
        ok, said = verdict(checker, wrong)
        assert not ok and said.startswith("❌ Not yet.") and len(said) > 40, (wrong, said)
    assert "return" in verdict(checker, unfinished)[1]  # a stub still holding `...` gets a polite nudge
    assert "IndexError" in verdict(checker, broken)[1]


def test_diagonal_edge_hints_name_the_problem():
    said = lambda kernel: verdict(conv.check_diagonal_edge_kernel, lambda: kernel)[1]
    assert "almost) nothing" in said(torch.tensor([[0.0, 1, 2], [-1, 0, 1], [-2, -1, 0]]))  # the other diagonal only
    assert "other diagonal" in said(conv.kernel("sobel y"))
    assert "sum to 0" in said(torch.tensor([[-2.0, -1, 0], [-1, 0, 1], [0, 1, 2]]) + 0.5)
    assert "(3, 3) tensor" in said(torch.ones(5, 5))
    assert "nan or inf" in said(torch.full((3, 3), float("nan")))
    assert "nan or inf" in said(torch.tensor([[-2.0, -1, 0], [-1, 0, 1], [0, 1, float("inf")]]))


def test_receptive_field_reference_agrees_with_the_two_dimensional_picture():
    x = torch.zeros(1, 1, 40, 40, requires_grad=True)  # Net's stack in 2D, as the notebook draws it
    y = F.avg_pool2d(F.conv2d(F.avg_pool2d(F.conv2d(x, torch.ones(1, 1, 5, 5)), 2), torch.ones(1, 1, 5, 5)), 2)
    y[0, 0, 0, 0].backward()
    rows = torch.nonzero(x.grad[0, 0].sum(1)).flatten()
    assert conv.receptive_field_by_autograd([(5, 1, 1), (2, 2, 1), (5, 1, 1), (2, 2, 1)]) == len(rows) == 16
    assert conv.receptive_field_by_autograd([(3, 1, 2)]) == 5  # a dilated kernel spans d(k-1)+1 pixels


@pytest.mark.parametrize("guess, words", [(10, "✅ Right!"), (11, "Rounding up"), (30, "stride 1"), (..., "prediction"),
                                          ("10", "one number"), (float("nan"), "one number"), (mock.ANY, "one number")])
def test_stride_prediction_reveals_the_measured_size_and_explains_mistakes(guess, words):
    ok, said = verdict(conv.check_stride_prediction, guess)
    assert bool(ok) == (guess == 10 and isinstance(guess, int)) and words in said, said
    if isinstance(guess, int):
        assert "measured value is 10" in said


WHY = [(conv.check_why_parameters, conv.why_options, "A"),
       (conv.check_why_equivariance, conv.equivariance_options, "C"),
       (conv.check_why_relu, conv.relu_options, "B")]


@pytest.mark.parametrize("checker, options, right", WHY, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("answer", ["A", "b", "C", "d", "E", ..., 1, mock.ANY])
def test_why_questions_explain_every_option(checker, options, right, answer):
    ok, said = verdict(checker, answer)
    assert bool(ok) == (isinstance(answer, str) and answer.upper() == right)
    if isinstance(answer, str) and answer.upper() in options():
        assert options()[answer.upper()] in said  # a wrong answer gets the reason it is wrong: a hint that teaches
    else:
        assert said.startswith("❌ Not yet.") and "A, B, C, D" in said
    assert all(len(why) > 80 for why in options().values())  # every option, right or wrong, is explained
    assert options()[right].startswith("Right") and all(options()[o].startswith("No") for o in "ABCD" if o != right)


# ---------------------------------------------------------------------------------------------- kernel playground: NaN


@pytest.mark.parametrize("value", [float("nan"), float("-nan")])
def test_a_nan_weight_typed_in_the_playground_is_said_in_the_widget(value):
    view = conv.KernelPlayground()
    before = pictures(view)
    view.controls["w12"].value = value  # typed in the box (the browser sends it as is)
    message = view.message
    assert "w12" in message and "not a number" in message and isinstance(view.error, SettingError)
    assert pictures(view) == before
    assert view.update(w12=1.0) == ""


def test_kernel_playground_text_plain_states_the_settings():
    view = conv.KernelPlayground()
    line = "KernelPlayground: preset = sobel x · image = photo · show = signed"
    bundle = view._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle  # a browser-side view adds anywidget's metadata
    assert bundle["text/plain"] == line
    view.update(w11=2.0)
    assert view.summary().endswith("kernel = [[-1.0, 0.0, 1.0], [-2.0, 2.0, 2.0], [-1.0, 0.0, 1.0]]")


def test_kernel_playground_legends_give_the_colour_scale_of_the_numbers():
    view = conv.KernelPlayground()
    limit = torch.quantile(view.feature_map.abs().flatten(), 0.99).item()
    assert view.panels[1].legend == ("signed", -2.0, 2.0)  # sobel x: weights from -2 to 2
    assert view.panels[2].legend == ("signed", -limit, limit) and view.panels[0].legend is None
    view.update(show="as image")
    assert view.panels[2].legend is None


def test_shape_calculator_draws_input_and_output_at_one_scale():
    view = conv.ShapeCalculator()
    assert view.update(n=32, k=5, padding=0) == ""
    (ih, iw), (oh, ow) = view.panels[0].rgb.shape[:2], view.panels[1].rgb.shape[:2]
    assert ih / 32 == oh / 28 and iw == ih and ow == oh, "28x28 cells drawn smaller than 32x32 ones"
