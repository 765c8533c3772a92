"""utils.draw: colour maps mean what they say, pictures stay crisp, PNGs decode back."""

import io
import os
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
import torch
from PIL import Image

import utils
from utils import draw


def test_image_style_maps_unit_values_to_bytes():
    rgb = torch.rand(3, 4, 5)
    out = draw.colorize(rgb, "image")
    assert out.shape == (4, 5, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, np.round(rgb.permute(1, 2, 0).numpy() * 255).astype(np.uint8))
    grey = draw.colorize(torch.tensor([[0.0, 1.0]]), "image")
    np.testing.assert_array_equal(grey[0], [[0, 0, 0], [255, 255, 255]])


def test_signed_style_is_white_at_zero_and_symmetric():
    out = draw.colorize(torch.tensor([[-2.0, 0.0, 2.0]]), "signed")
    lut = (matplotlib.colormaps["RdBu_r"](np.array([0.0, 0.5, 1.0]))[:, :3] * 255)
    assert np.abs(out[0].astype(float) - lut).max() <= 3
    assert out[0, 1].min() > 230, "zero should be near white"
    assert out[0, 0, 2] > out[0, 0, 0] and out[0, 2, 0] > out[0, 2, 2], "negative blue, positive red"


def test_activation_style_spans_the_sequential_map():
    out = draw.colorize(np.array([[0.0, 5.0, 10.0]]), "activation")
    lut = (matplotlib.colormaps["viridis"](np.array([0.0, 0.5, 1.0]))[:, :3] * 255)
    assert np.abs(out[0].astype(float) - lut).max() <= 3


def test_constant_maps_do_not_divide_by_zero():
    for style in ("signed", "activation"):
        assert draw.colorize(np.zeros((2, 2)), style).shape == (2, 2, 3)


@pytest.mark.parametrize(
    "array, style, words",
    [
        ([[1, 2]], "image", "tensor or NumPy array"),
        (np.zeros((2, 2)), "rainbow", "style should be one of"),
        (np.zeros((2, 2, 2, 2)), "signed", r"\(H, W\) map"),
        (np.zeros((3, 2, 2)), "signed", r"\(H, W\) map"),
    ],
)
def test_bad_input_names_what_was_expected(array, style, words):
    with pytest.raises((TypeError, ValueError), match=words):
        draw.colorize(array, style)


def test_picture_upscales_by_whole_pixels():
    array = torch.rand(8, 6)
    pic = draw.picture(array, "activation", size=64)
    assert pic.shape == (64, 48, 3)
    np.testing.assert_array_equal(pic[::8, ::8], draw.colorize(array, "activation"))
    assert draw.fit_factor((300, 200), 256) == 1


def test_draw_box_outlines_in_source_pixels():
    rgb = np.zeros((40, 40, 3), np.uint8)
    draw.draw_box(rgb, top=1, left=2, height=3, width=4, factor=5, color=(255, 0, 0), thickness=1)
    red = rgb[:, :, 0] > 0
    assert red[5, 10:30].all() and red[19, 10:30].all() and red[5:20, 10].all() and red[5:20, 29].all()
    assert not red[6:19, 11:29].any(), "the inside stays untouched"
    assert red.sum() == 2 * 20 + 2 * 13
    draw.draw_box(rgb, top=50, left=50, height=2, width=2, factor=5)  # off the picture: nothing drawn


def test_grid_tiles_in_rows():
    pics = [np.full((2, 3, 3), i * 40, np.uint8) for i in range(5)]
    out = draw.grid(pics, columns=2, gap=1)
    assert out.shape == (3 * 2 + 2, 2 * 3 + 1, 3)
    assert (out[3:5, 4:7] == 120).all()
    with pytest.raises(ValueError, match="at least one"):
        draw.grid([])


def test_png_decodes_to_the_same_pixels():
    rgb = np.random.default_rng(0).integers(0, 256, (7, 9, 3), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(draw.to_png(rgb)))), rgb)


def test_captioned_adds_a_text_line_above_in_the_series_font():
    rgb = np.zeros((10, 60, 3), np.uint8)
    out = draw.captioned(rgb, "hello")
    assert out.shape == (10 + round(draw.text_px() * 1.5), 60, 3)
    np.testing.assert_array_equal(out[-10:], rgb)
    rows = np.flatnonzero((out[:-10] < 128).any(axis=(1, 2)))
    assert rows.size and rows[-1] - rows[0] + 1 >= 0.6 * draw.text_px(), "as tall as the font, not PIL's tiny one"


def test_a_caption_wider_than_its_picture_widens_it_with_white():
    out = draw.captioned(np.zeros((4, 4, 3), np.uint8), "a long caption 卷积")
    assert out.shape[1] == draw.text_width("a long caption 卷积") + 4
    assert (out[-4:, :4] == 0).all() and (out[-4:, 4:] == 255).all()


def test_legend_runs_through_the_colour_map_with_its_ends_labelled():
    strip = draw.legend("signed", -2.5, 2.5, 120)
    assert strip.shape[1] == 120
    np.testing.assert_array_equal(strip[3, 0], draw.colorize(np.array([[-1.0, 1.0]]), "signed")[0, 0])
    np.testing.assert_array_equal(strip[3, -1], draw.colorize(np.array([[-1.0, 1.0]]), "signed")[0, 1])
    assert draw.number(-2.5) == "−2.5" and draw.number(1234.5) == "1.23e+03"
    keyed = draw.keyed(np.zeros((5, 120, 3), np.uint8), "activation", 0, 7)
    assert keyed.shape == (5 + strip.shape[0], 120, 3)
    narrow = draw.keyed(np.zeros((5, 20, 3), np.uint8), "signed", -0.111, 0.111)  # labels wider than the picture
    assert narrow.shape[1] > 20 and (narrow[:5, :20] == 0).all() and (narrow[:5, 20:] == 255).all()


def test_presenter_scale_doubles_pictures_and_enlarges_text_and_figures():
    import matplotlib

    dpi, size = matplotlib.rcParams["figure.dpi"], draw.picture(np.zeros((8, 8)), size=64).shape
    try:
        utils.presenter(True)
        assert draw.presenting() and draw.text_px() >= 18
        assert draw.picture(np.zeros((8, 8)), size=64).shape == (2 * size[0], 2 * size[1], 3)
        assert matplotlib.rcParams["figure.dpi"] == dpi * 1.4
    finally:
        utils.presenter(False)
    assert not draw.presenting() and matplotlib.rcParams["figure.dpi"] == dpi


def test_the_environment_variable_starts_in_the_presenter_scale():
    code = "from utils import draw; print(draw.presenting(), draw.text_px())"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "CNN_LAYERS_PRESENTER": "1"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", str(round(draw.TEXT_PX * draw.PRESENTER["text"]))]


def test_show_draws_one_titled_axis_per_array():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    draw.show([np.zeros((3, 3)), torch.rand(3, 4, 4)], titles=["a", "b"], style=["signed", "image"], columns=2)
    titles = [ax.get_title() for ax in plt.gcf().axes]
    plt.close("all")
    assert titles == ["a", "b"]
