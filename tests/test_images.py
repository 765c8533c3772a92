"""utils.images: the bundled photo, uploads, and clear errors for bad input."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

from utils import images


def png_bytes(width=40, height=30, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color=128 if mode == "L" else (200, 100, 50)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_photo_is_rgb_in_unit_range_and_resizes_its_longer_side():
    photo = images.load_photo()
    assert photo.shape == (3, 600, 512) and photo.dtype == torch.float32
    assert 0 <= photo.min() < 0.1 and 0.9 < photo.max() <= 1
    small = images.load_photo(size=64, gray=True)
    assert small.shape == (64, round(512 * 64 / 600))


def test_upload_bytes_decode_to_the_pixels_written():
    image = images.image_from_bytes(png_bytes(40, 30))
    assert image.shape == (3, 30, 40)
    expected = torch.tensor([200, 100, 50]) / 255
    torch.testing.assert_close(image[:, 0, 0], expected)
    assert images.image_from_bytes(png_bytes(40, 30), size=20, gray=True).shape == (15, 20)


@pytest.mark.parametrize(
    "data, error, words",
    [
        (b"", ValueError, "empty"),
        (b"this is a text file, not a picture", ValueError, "PNG or JPEG"),
        (png_bytes()[:40], ValueError, "could not read"),
        (b"x" * (images.MAX_UPLOAD_BYTES + 1), ValueError, "at most"),
        ("a string", TypeError, "bytes"),
    ],
)
def test_bad_uploads_give_a_clear_error(data, error, words):
    with pytest.raises(error, match=words):
        images.image_from_bytes(data)


def test_to_gray_matches_pil_luminance():
    rgb8 = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    pil = np.asarray(Image.fromarray(rgb8).convert("L"), dtype=np.float32)
    ours = images.to_gray(torch.from_numpy(rgb8).permute(2, 0, 1).float() / 255) * 255
    assert np.abs(ours.numpy() - pil).max() <= 1  # PIL rounds to whole numbers


@pytest.mark.parametrize(
    "image, channels, words",
    [
        (np.zeros((3, 4, 4)), None, "torch.Tensor"),
        (torch.zeros(3, 4, 4, dtype=torch.uint8), None, "dtype torch.uint8"),
        (torch.zeros(1, 3, 4, 4), None, r"\(H, W\) or \(C, H, W\)"),
        (torch.zeros(4, 4), 3, r"\(3, H, W\)"),
        (torch.full((3, 4, 4), 255.0), None, r"in \[0, 1\]"),
    ],
)
def test_check_image_names_what_was_expected_and_what_came(image, channels, words):
    with pytest.raises((TypeError, ValueError), match=words):
        images.check_image(image, channels=channels)
