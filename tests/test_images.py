"""utils.images: the bundled photo, uploads, and clear errors for bad input."""

import datetime
import io

import ipywidgets
import numpy as np
import pytest
import torch
from PIL import Image

from utils import conv, images


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
        (png_bytes()[:40], ValueError, "could not read the file as an image"),
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


# A learner's own file: every kind of broken file gives one clear message naming it; odd but valid files load.

def noisy_png():
    """A PNG big enough to hold its pixels in several IDAT chunks."""
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (200, 200, 3), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def flipped(data, index, bits=0xFF):
    data = bytearray(data)
    data[index] ^= bits
    return bytes(data)


def second_idat_renamed():
    data = noisy_png()
    return flipped(data, data.index(b"IDAT", data.index(b"IDAT") + 1))  # PIL: SyntaxError: broken PNG file


BROKEN = {
    "broken PNG (SyntaxError)": second_idat_renamed(),
    "header length byte (ValueError)": flipped(png_bytes(), 11, 1),
    "header size byte (UnidentifiedImageError)": flipped(png_bytes(), 16),
    "pixel data byte (zlib OSError)": flipped(png_bytes(), 45),
    "truncated": noisy_png()[:60_000],
    "text": b"this is a text file, not a picture",
}


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
def test_every_broken_file_gives_one_clear_message_naming_it(data):
    with pytest.raises(ValueError) as error:
        images.image_from_bytes(data, name="me.png")
    assert str(error.value) == "could not read the file 'me.png' as an image (expected a PNG or JPEG)"


def test_the_other_upload_messages_name_the_file_too():
    with pytest.raises(ValueError, match="the file 'me.png' is empty"):
        images.image_from_bytes(b"", name="me.png")


@pytest.mark.parametrize("data", [BROKEN["broken PNG (SyntaxError)"], BROKEN["truncated"]])
def test_the_upload_button_shows_the_message_for_a_broken_file(data):
    view = conv.KernelPlayground()
    file = {"name": "me.png", "type": "image/png", "size": len(data), "content": memoryview(data),
            "last_modified": datetime.datetime.now(datetime.timezone.utc)}
    value = {"me.png": {"metadata": file, "content": data}} if ipywidgets.__version__.startswith("7") else (file,)
    view.upload.set_trait("value", value)  # as the frontend does
    assert view.message == "Could not use that file: could not read the file 'me.png' as an image (expected a PNG " \
        "or JPEG). Still showing the previous image."
    assert view.settings()["image"] == "photo" and view.panels


def test_a_16_bit_greyscale_png_keeps_its_full_range():
    ramp = np.tile(np.linspace(0, 65535, 256).round().astype(np.uint16), (4, 1))
    buffer = io.BytesIO()
    Image.fromarray(ramp).save(buffer, format="PNG")
    assert Image.open(io.BytesIO(buffer.getvalue())).mode.startswith("I")  # really a 16-bit PNG
    gray = images.image_from_bytes(buffer.getvalue(), gray=True)
    torch.testing.assert_close(gray, torch.from_numpy(ramp / 65535).float())
    assert abs(gray.mean().item() - 0.5) < 1e-3
    rgb = images.image_from_bytes(buffer.getvalue())
    assert rgb.shape == (3, 4, 256) and torch.equal(rgb[0], gray) and torch.equal(rgb[2], gray)


def test_a_phone_jpeg_turned_by_its_exif_orientation_stands_upright():
    array = np.zeros((30, 40, 3), np.uint8)
    array[:10] = 255  # white top band, as the camera stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", exif=exif, quality=95)
    image = images.image_from_bytes(buffer.getvalue())
    upright = torch.from_numpy(np.rot90(array, k=-1).copy()).permute(2, 0, 1) / 255
    assert image.shape == upright.shape == (3, 40, 30)
    assert (image - upright).abs().mean() < 0.02


def encoded(image, format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def test_an_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (8, 6), color) for color in ((255, 0, 0), (0, 0, 255))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    torch.testing.assert_close(images.image_from_bytes(data)[:, 0, 0], torch.tensor([1.0, 0, 0]))


def test_a_cmyk_jpeg_comes_out_rgb():
    data = encoded(Image.new("CMYK", (8, 6), (0, 255, 255, 0)), "JPEG", quality=95)
    image = images.image_from_bytes(data)
    assert image.shape == (3, 6, 8)
    torch.testing.assert_close(image.mean((1, 2)), torch.tensor([1.0, 0, 0]), atol=0.03, rtol=0)


def test_see_through_pixels_of_a_palette_png_and_a_grey_alpha_png_are_white():
    palette = Image.new("P", (4, 2), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette.putpixel((0, 0), 0)
    rgb = images.image_from_bytes(encoded(palette, "PNG", transparency=0))
    assert rgb[:, 0, 0].tolist() == [1.0, 1.0, 1.0] and rgb[:, 0, 1].tolist() == [1.0, 0.0, 0.0]
    grey = Image.new("LA", (4, 2), (0, 255))
    grey.putpixel((0, 0), (0, 0))
    gray = images.image_from_bytes(encoded(grey, "PNG"), gray=True)
    assert gray[0, 0] == 1.0 and gray[0, 1] == 0.0
