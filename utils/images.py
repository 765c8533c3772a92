"""Images to learn on: the bundled photo, a learner's upload, and input checks."""

import io

import matplotlib.cbook
import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 2**20
MAX_UPLOAD_PIXELS = 40_000_000


def load_photo(size=None, gray=False):
    """Grace Hopper's portrait (matplotlib's sample data): (3, H, W) or (H, W) floats in [0, 1]."""
    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    with Image.open(path) as image:
        return _to_tensor(image, size, gray)


def image_from_bytes(data, size=None, gray=False):
    """An uploaded file's bytes -> (3, H, W) or (H, W) floats in [0, 1]; a clear error if it is no image."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) == 0:
        raise ValueError("the file is empty: expected a PNG or JPEG image")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(
            f"the file is {len(data) / 2**20:.1f} MB: expected an image of at most "
            f"{MAX_UPLOAD_BYTES // 2**20} MB"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_UPLOAD_PIXELS:
                raise ValueError(f"the image is {image.width}x{image.height} pixels: too large to use here")
            return _to_tensor(image, size, gray)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError(f"could not read the file as an image (expected PNG or JPEG): {error}") from None


def _to_tensor(image, size, gray):
    """A PIL image -> (3, H, W) or (H, W) float tensor in [0, 1], its longer side resized to `size`."""
    image = image.convert("L" if gray else "RGB")
    if size is not None:
        scale = size / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.BILINEAR)
    array = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0)
    return array if gray else array.permute(2, 0, 1).contiguous()


def to_gray(image):
    """(3, H, W) RGB in [0, 1] -> (H, W) luminance (ITU-R 601 weights)."""
    check_image(image, channels=3)
    weights = torch.tensor([0.299, 0.587, 0.114], dtype=image.dtype).view(3, 1, 1)
    return (image * weights).sum(0)


def check_image(image, channels=None, name="image"):
    """Raise a clear error unless `image` is a float tensor (C, H, W) or (H, W) with values in [0, 1]."""
    if not isinstance(image, torch.Tensor):
        raise TypeError(f"{name} should be a torch.Tensor, got {type(image).__name__}")
    if not image.is_floating_point():
        raise TypeError(f"{name} should hold floats in [0, 1], got dtype {image.dtype} (try image.float() / 255)")
    expected_dims = {None: (2, 3), 1: (2,), 3: (3,)}[channels]
    if image.dim() not in expected_dims or (channels == 3 and image.shape[0] != 3):
        wanted = {None: "(H, W) or (C, H, W)", 1: "(H, W)", 3: "(3, H, W)"}[channels]
        raise ValueError(f"{name} should have shape {wanted}, got {tuple(image.shape)}")
    low, high = image.min().item(), image.max().item()
    if low < 0 or high > 1:
        raise ValueError(f"{name} values should be in [0, 1], got values from {low:.3g} to {high:.3g}")
    return image
