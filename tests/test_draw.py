"""utils.draw: colour maps mean what they say, pictures stay crisp, PNGs decode back."""

import io

import matplotlib
import numpy as np
import pytest
import torch
from PIL import Image

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


def test_captioned_adds_a_text_line_above():
    rgb = np.zeros((10, 60, 3), np.uint8)
    out = draw.captioned(rgb, "hello", height=14)
    assert out.shape == (24, 60, 3)
    np.testing.assert_array_equal(out[14:], rgb)
    assert (out[:14] < 128).any(), "some caption pixels are dark"


def test_show_draws_one_titled_axis_per_array():
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    draw.show([np.zeros((3, 3)), torch.rand(3, 4, 4)], titles=["a", "b"], style=["signed", "image"], columns=2)
    titles = [ax.get_title() for ax in plt.gcf().axes]
    plt.close("all")
    assert titles == ["a", "b"]
