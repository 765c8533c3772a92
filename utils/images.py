"""Images to learn on: the bundled photo, a learner's upload, and input checks."""

import io

import matplotlib.cbook
import numpy as np
import torch
from PIL import Image, ImageOps

from .i18n import tr

MAX_UPLOAD_BYTES = 10 * 2**20
MAX_UPLOAD_PIXELS = 40_000_000


def load_photo(size=None, gray=False):
    """Grace Hopper's portrait (matplotlib's sample data): (3, H, W) or (H, W) floats in [0, 1]."""
    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    with Image.open(path) as image:
        return _to_tensor(image, size, gray)


def image_from_bytes(data, size=None, gray=False, name=None):
    """An uploaded file's bytes -> (3, H, W) or (H, W) floats in [0, 1]; an error naming the file if it is no image."""
    file = tr("the file") if name is None else tr("the file {name!r}", name=name)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(tr("expected the file's bytes, got {kind}", kind=type(data).__name__))
    data = bytes(data)
    if len(data) == 0:
        raise ValueError(tr("{file} is empty: expected a PNG or JPEG image", file=file))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(tr("{file} is {size:.1f} MB: expected an image of at most {most} MB", file=file,
                            size=len(data) / 2**20, most=MAX_UPLOAD_BYTES // 2**20))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height <= MAX_UPLOAD_PIXELS:
                return _to_tensor(image, size, gray)
    except Image.DecompressionBombError:  # over twice PIL's own limit: too large, as below
        pass
    except Exception:  # noqa: BLE001 - PIL raises SyntaxError, OSError, ValueError, struct.error... on a broken file
        raise ValueError(tr("could not read {file} as an image (expected a PNG or JPEG)", file=file)) from None
    raise ValueError(tr("{file} is too large to use here: over {most} megapixels", file=file,
                        most=MAX_UPLOAD_PIXELS // 10**6))


def _to_tensor(image, size, gray):
    """A PIL image (any mode, EXIF-rotated) -> (3, H, W) or (H, W) float tensor in [0, 1], longer side `size`."""
    image = ImageOps.exif_transpose(image)  # a phone photo stands upright
    if image.mode.startswith("I"):  # 16-bit greyscale: values up to 65535, kept as floats ("F") to lose nothing
        image, top = Image.fromarray(np.asarray(image, dtype=np.float32)), 65535.0
    else:
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:  # see-through parts on white
            image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
        image, top = image.convert("L" if gray else "RGB"), 255.0
    if size is not None:
        scale = size / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.BILINEAR)
    array = np.clip(np.asarray(image, dtype=np.float32) / top, 0, 1)
    if array.ndim == 2 and not gray:
        array = np.repeat(array[..., None], 3, axis=2)
    return torch.from_numpy(array) if gray else torch.from_numpy(array).permute(2, 0, 1).contiguous()


def to_gray(image):
    """(3, H, W) RGB in [0, 1] -> (H, W) luminance (ITU-R 601 weights)."""
    check_image(image, channels=3)
    weights = torch.tensor([0.299, 0.587, 0.114], dtype=image.dtype).view(3, 1, 1)
    return (image * weights).sum(0)


def check_image(image, channels=None, name="image"):
    """Raise a clear error unless `image` is a float tensor (C, H, W) or (H, W) with values in [0, 1]."""
    if not isinstance(image, torch.Tensor):
        raise TypeError(tr("{name} should be a torch.Tensor, got {kind}", name=name, kind=type(image).__name__))
    if not image.is_floating_point():
        raise TypeError(tr("{name} should hold floats in [0, 1], got dtype {dtype} (try image.float() / 255)",
                           name=name, dtype=image.dtype))
    expected_dims = {None: (2, 3), 1: (2,), 3: (3,)}[channels]
    if image.dim() not in expected_dims or (channels == 3 and image.shape[0] != 3):
        wanted = {None: "(H, W) or (C, H, W)", 1: "(H, W)", 3: "(3, H, W)"}[channels]
        raise ValueError(tr("{name} should have shape {wanted}, got {shape}", name=name, wanted=wanted,
                            shape=tuple(image.shape)))
    low, high = image.min().item(), image.max().item()
    if low < 0 or high > 1:
        raise ValueError(tr("{name} values should be in [0, 1], got values from {low:.3g} to {high:.3g}", name=name,
                            low=low, high=high))
    return image
