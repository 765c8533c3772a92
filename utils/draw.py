"""Arrays to pictures: colour maps, crisp upscaling, boxes, grids and PNG bytes.

Styles, chosen by what the numbers mean:
  "image"       values in [0, 1]: grey for (H, W), colour for (3, H, W)
  "signed"      kernels and raw responses: a diverging map, white at 0, blue < 0 < red
  "activation"  non-negative maps such as ReLU or pooling outputs: a sequential map

The presenter scale (`presenter(True)`, or CNN_LAYERS_PRESENTER=1) doubles the pixels per cell of every
picture, enlarges text 1.4x and draws matplotlib figures 1.4x larger, for a projector.
"""

import io
import os
from functools import lru_cache

import matplotlib
import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from .i18n import FONT, tr

STYLES = ("image", "signed", "activation")
_LUTS = {}
TEXT_PX = 15  # labels, readouts and captions at the normal scale
NORMAL, PRESENTER = {"pixels": 1, "text": 1.0}, {"pixels": 2, "text": 1.4}
_scale = dict(NORMAL)
_DPI = []  # matplotlib's own figure.dpi, kept to scale from


def presenter(on=True):
    """Switch the presenter scale on or off: widgets made or refreshed afterwards, and new figures, follow it."""
    _scale.update(PRESENTER if on else NORMAL)
    if not _DPI:
        _DPI.append(matplotlib.rcParams["figure.dpi"])
    matplotlib.rcParams["figure.dpi"] = _DPI[0] * _scale["text"]  # a figure's text and size grow together


def presenting():
    """Whether the presenter scale is on."""
    return _scale == PRESENTER


def scaled(pixels):
    """A picture size in pixels at the normal scale (int) -> the size at the current scale."""
    return pixels * _scale["pixels"]


def text_px():
    """The font size, in pixels, of labels, readouts and captions at the current scale."""
    return round(TEXT_PX * _scale["text"])


def _lut(name):
    """A colour map as a (256, 3) uint8 lookup table, built once."""
    if name not in _LUTS:
        _LUTS[name] = (matplotlib.colormaps[name](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)
    return _LUTS[name]


def _numpy(array):
    """A tensor or array -> float32 NumPy array, with a clear error for anything else."""
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    if not isinstance(array, np.ndarray):
        raise TypeError(tr("expected a tensor or NumPy array, got {kind}", kind=type(array).__name__))
    return array.astype(np.float32, copy=False)


def colorize(array, style="image", vmin=None, vmax=None):
    """(H, W) or (3, H, W) values -> (H, W, 3) uint8 RGB in the given style."""
    a = _numpy(array)
    if style not in STYLES:
        raise ValueError(tr("style should be one of {styles}, got {style!r}", styles=STYLES, style=style))
    if a.ndim == 3 and a.shape[0] == 3 and style == "image":
        return (np.clip(a, 0, 1).transpose(1, 2, 0) * 255 + 0.5).astype(np.uint8)
    if a.ndim != 2:
        raise ValueError(tr("expected an (H, W) map (or (3, H, W) for style 'image'), got shape {shape}",
                            shape=a.shape))
    if style == "image":
        grey = (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if style == "signed":
        limit = vmax if vmax is not None else float(np.abs(a).max()) or 1.0
        low, high, lut = -limit, limit, _lut("RdBu_r")
    else:
        low = float(a.min()) if vmin is None else vmin
        high = float(a.max()) if vmax is None else vmax
        lut = _lut("viridis")
    scaled = (a - low) / ((high - low) or 1.0)
    return lut[(np.clip(scaled, 0, 1) * 255 + 0.5).astype(np.uint8)]


def upscale(rgb, factor):
    """(H, W, 3) -> (H*factor, W*factor, 3), nearest neighbour so pixels stay crisp."""
    return rgb.repeat(factor, axis=0).repeat(factor, axis=1)


def fit_factor(shape, size=256):
    """The whole-number upscale factor that brings the longer side of `shape` (H, W) near `size`."""
    return max(1, size // max(shape[0], shape[1]))


def picture(array, style="image", size=256, vmin=None, vmax=None):
    """(H, W) or (3, H, W) values -> (h, w, 3) uint8, coloured and upscaled to about `size` pixels (times the scale)."""
    rgb = colorize(array, style, vmin, vmax)
    return upscale(rgb, fit_factor(rgb.shape, scaled(size)))


def draw_box(rgb, top, left, height, width, factor=1, color=(255, 200, 0), thickness=2):
    """Draw a rectangle outline on an upscaled (h, w, 3) picture, in source-pixel coordinates, in place."""
    y0, x0 = max(0, top * factor), max(0, left * factor)
    y1, x1 = min(rgb.shape[0], (top + height) * factor), min(rgb.shape[1], (left + width) * factor)
    if y1 <= y0 or x1 <= x0:
        return rgb
    t = thickness
    rgb[y0:y0 + t, x0:x1] = color
    rgb[max(y0, y1 - t):y1, x0:x1] = color
    rgb[y0:y1, x0:x0 + t] = color
    rgb[y0:y1, max(x0, x1 - t):x1] = color
    return rgb


def grid(pictures, columns=None, gap=4, background=255):
    """A list of (h, w, 3) uint8 pictures -> one (H, W, 3) picture, tiled in rows."""
    if len(pictures) == 0:
        raise ValueError(tr("expected at least one picture to tile"))
    columns = columns or len(pictures)
    rows = -(-len(pictures) // columns)
    h = max(p.shape[0] for p in pictures)
    w = max(p.shape[1] for p in pictures)
    out = np.full((rows * h + (rows - 1) * gap, columns * w + (columns - 1) * gap, 3), background, np.uint8)
    for i, p in enumerate(pictures):
        r, c = divmod(i, columns)
        out[r * (h + gap):r * (h + gap) + p.shape[0], c * (w + gap):c * (w + gap) + p.shape[1]] = p
    return out


def to_png(rgb):
    """(H, W, 3) uint8 -> PNG bytes (fast compression: these are redrawn on every slider step)."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def font(size):
    """The series' font (Latin and Chinese) at `size` pixels, loaded once per size."""
    return ImageFont.truetype(str(FONT), size)


@lru_cache(maxsize=4096)
def text_width(text, size=None):
    """Width in pixels of `text` in the series' font at `size` (default: the current text size)."""
    return round(font(size or text_px()).getlength(text))


def captioned(rgb, caption):
    """(H, W, 3) uint8 -> the same under a one-line caption, widened with white if the caption is wider."""
    strip = _caption_strip(caption, rgb.shape[1], text_px())
    return np.concatenate([strip, widened(rgb, strip.shape[1])])


def widened(rgb, width):
    """(H, W, 3) uint8 -> (H, max(W, width), 3), white added on the right."""
    return np.pad(rgb, ((0, 0), (0, max(0, width - rgb.shape[1])), (0, 0)), constant_values=255)


@lru_cache(maxsize=1024)
def _caption_strip(caption, width, size):
    """A white strip at least `width` wide with `caption` written on it in the series' font at `size` px."""
    strip = Image.new("RGB", (max(width, text_width(caption, size) + 4), round(size * 1.5)), "white")
    ImageDraw.Draw(strip).text((2, size // 6), caption, fill=(0, 0, 0), font=font(size))
    return np.asarray(strip)


def number(value):
    """A number as a legend prints it: 3 significant digits, a true minus sign."""
    return f"{value:.3g}".replace("-", "−")


@lru_cache(maxsize=256)
def legend(style, low, high, width):
    """The colour scale of `style` ("signed" or "activation") from low to high: an (h, w, 3) strip, labelled.

    w is `width`, or more if the labels need it."""
    size = text_px()
    labels = [number(low), "0", "+" + number(high)] if style == "signed" else [number(low), number(high)]
    width = max(width, sum(text_width(label, size) for label in labels) + size * (len(labels) - 1))
    lut = _lut("RdBu_r" if style == "signed" else "viridis")
    bar = lut[np.linspace(0, 255, width).round().astype(int)]
    strip = Image.new("RGB", (width, round(size * 2.1)), "white")
    strip.paste(Image.fromarray(np.repeat(bar[None], size // 2, axis=0)), (0, 2))
    pen = ImageDraw.Draw(strip)
    for i, label in enumerate(labels):
        x = i * (width - text_width(label, size)) / (len(labels) - 1)
        pen.text((max(0, x), size // 2 + 4), label, fill=(0, 0, 0), font=font(size))
    return np.asarray(strip)


def keyed(rgb, style, low, high):
    """(H, W, 3) picture of values in `style` -> the same with its colour legend under it (low ... high)."""
    strip = legend(style, float(low), float(high), rgb.shape[1])
    return np.concatenate([widened(rgb, strip.shape[1]), strip])


def show(arrays, titles=None, style="image", columns=None, size=2.2):
    """Draw (H, W) or (3, H, W) arrays side by side with titles: a static matplotlib figure."""
    import matplotlib.pyplot as plt

    titles = titles or [""] * len(arrays)
    styles = style if isinstance(style, (list, tuple)) else [style] * len(arrays)
    columns = columns or len(arrays)
    rows = -(-len(arrays) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, array, title, s in zip(axes.flat, arrays, titles, styles):
        ax.imshow(colorize(array, s), interpolation="nearest")
        ax.set_title(title, fontsize="medium")
    fig.tight_layout()
    plt.show()


if os.environ.get("CNN_LAYERS_PRESENTER") == "1":
    presenter(True)
