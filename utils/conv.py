"""Notebook 01 (convolutional layer · 卷积层): preset kernels, its widgets and its exercise checks."""

import html
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checks, draw, images
from .view import LiveView, Panel, SettingError, uploaded_file

# Classic hand-made 3x3 kernels, each a feature detector (rows are y, columns x).
KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}


def kernel(name):
    """A preset kernel by name -> (3, 3) float tensor."""
    if name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; choose one of {sorted(KERNELS)}")
    return torch.tensor(KERNELS[name], dtype=torch.float32)


def output_size(n, kernel_size, padding=0, stride=1, dilation=1):
    """Output length along one axis (ints -> int): floor((n + 2p - d(k-1) - 1) / s) + 1; <= 0 means impossible."""
    for name, value, low in [("n", n, 1), ("kernel_size", kernel_size, 1), ("padding", padding, 0),
                             ("stride", stride, 1), ("dilation", dilation, 1)]:
        if not isinstance(value, int) or value < low:
            raise ValueError(f"{name} should be an int >= {low}, got {value!r}")
    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def taps(index, kernel_size, stride=1, dilation=1):
    """Output index along one axis (int, or an array to broadcast) -> (..., k) ints: the padded-input indices read."""
    return index * stride + dilation * np.arange(kernel_size)


def stretch(values, quantile=0.99):
    """(H, W) signed values -> the same divided by their `quantile` of |values|, clipped to [-1, 1] (for display)."""
    if not isinstance(values, torch.Tensor) or values.dim() != 2:
        raise ValueError(f"expected an (H, W) tensor, got {getattr(values, 'shape', type(values).__name__)}")
    limit = torch.quantile(values.abs().flatten().float(), quantile).item()
    return (values / limit).clamp(-1, 1) if limit > 0 else values


def shifted(x, rows, cols):
    """(..., H, W) -> the same shape moved down by `rows` and right by `cols` (>= 0), zeros filling the gap."""
    height, width = x.shape[-2:]
    if not (0 <= rows <= height and 0 <= cols <= width):
        raise ValueError(f"shifts should be between 0 and the size {height}x{width} (down and right), "
                         f"got rows={rows}, cols={cols}")
    out = torch.zeros_like(x)
    out[..., rows:, cols:] = x[..., :height - rows, :width - cols]
    return out


# ----------------------------------------------------------------------------------------------
# Widgets

CUSTOM = "custom (typed in)"
WEIGHTS = [f"w{r}{c}" for r in range(3) for c in range(3)]


class KernelPlayground(LiveView):
    """A 3x3 kernel (a preset or typed in) slid over the photo or an upload: (H, W) image -> (H, W) map."""

    SIZE, DISPLAY = 128, 256  # pixels worked on (so a 3x3 kernel's effect shows), pixels drawn (crisp 2x)

    def __init__(self, preset="sobel x"):
        self.images = {"photo": images.load_photo(size=self.SIZE, gray=True)}
        self.pictures = {"photo": draw.picture(self.images["photo"], "image", self.DISPLAY)}
        self.feature_map = None
        self._preset = preset
        self._upload_problem = ""
        controls = {
            "preset": widgets.Dropdown(options=[*KERNELS, CUSTOM], value=preset, description="preset"),
            "image": widgets.Dropdown(options=["photo", "upload"], description="image"),
            "show": widgets.Dropdown(options=["signed", "as image"], description="show"),
        }
        for name, value in zip(WEIGHTS, np.ravel(KERNELS[preset])):
            controls[name] = widgets.BoundedFloatText(value=float(value), min=-10, max=10, step=0.5,
                                                      layout=widgets.Layout(width="90px"))
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="Upload")
        super().__init__(controls)
        self.widget.children[0].children += (self.upload,)  # beside the preset: not a setting to sweep
        self.upload.observe(lambda change: self.use_upload(*uploaded_file(change["new"])[::-1]), names="value")

    def use_upload(self, data, name=None):
        """Use an uploaded file's bytes as the image (or show why not, naming the file); gives the message or ''."""
        if data is None:
            return self.message
        try:
            image = images.image_from_bytes(data, size=self.SIZE, gray=True, name=name)
        except (TypeError, ValueError) as error:  # every file that is no usable image (see image_from_bytes)
            self._upload_problem = f"Could not use that file: {error}. Still showing the previous image."
        else:
            self.images["upload"] = image
            self.pictures["upload"] = draw.picture(image, "image", self.DISPLAY)
            with self.hold():
                self.controls["image"].value = "upload"
        self.refresh()
        return self.message

    def _fill_weights(self, preset):
        """Put the preset's nine numbers in the boxes and switch the menu to "custom" once they differ."""
        if preset != self._preset and preset != CUSTOM:
            with self.hold():
                for name, value in zip(WEIGHTS, np.ravel(KERNELS[preset])):
                    self.controls[name].value = float(value)
        elif preset != CUSTOM and not np.allclose([self.controls[n].value for n in WEIGHTS], np.ravel(KERNELS[preset])):
            with self.hold():
                self.controls["preset"].value = CUSTOM
        self._preset = self.controls["preset"].value
        return torch.tensor([self.controls[n].value for n in WEIGHTS], dtype=torch.float32).view(3, 3)

    def compute(self, preset, image, show, **weights):
        """The chosen image, the kernel and the feature map (the weights are read from their boxes)."""
        problem, self._upload_problem = self._upload_problem, ""
        if problem:
            raise SettingError(problem)
        if image not in self.images:
            raise SettingError("No image uploaded yet: click Upload to choose a PNG or JPEG, or pick 'photo'.")
        w = self._fill_weights(preset)
        self.feature_map = F.conv2d(self.images[image][None, None], w[None, None], padding=1)[0, 0]
        total, low, high = w.sum().item(), self.feature_map.min().item(), self.feature_map.max().item()
        shown = stretch(self.feature_map) if show == "signed" else self.feature_map.clamp(0, 1)
        shown = draw.picture(shown, "signed" if show == "signed" else "image", self.DISPLAY)
        self.text = (f"The weights sum to <b>{total:.3g}</b>, so a flat patch of brightness b gives {total:.3g}·b. "
                     f"Output values run from {low:.3g} to {high:.3g}; "
                     + ("colours: red > 0 > blue, saturated for the strongest 1% of |values|."
                        if show == "signed" else "shown clipped to [0, 1] like a photo."))
        h, w_ = self.images[image].shape
        return [
            Panel(f"{image} {h}x{w_}", self.pictures[image]),
            Panel("kernel 3x3", draw.picture(w, "signed", size=96)),
            Panel(f"feature map {h}x{w_} ({show})", shown),
        ]


@lru_cache(maxsize=256)
def _real_conv(c_in, c_out, k, padding, stride, dilation):
    """A real nn.Conv2d, built once per setting (the shape calculator asks PyTorch, not only the formula)."""
    return nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, dilation=dilation)


# The shape calculator's colours.
PAD = (215, 215, 215)  # zero padding
UNREAD, UNREAD_PAD = (255, 205, 210), (220, 180, 185)  # read by no output pixel (input, padding)
TAP, BOX = (255, 150, 0), (30, 60, 200)  # the chosen output pixel's taps, and their span
LINE, OUT = (150, 150, 150), (200, 225, 255)  # grid lines, output cells


def _grid_picture(rgb, size=256):
    """(h, w, 3) cells -> upscaled picture with thin grid lines when cells are big enough; gives it and the factor."""
    factor = draw.fit_factor(rgb.shape, size)
    big = draw.upscale(rgb, factor)
    if factor >= 6:
        big[::factor] = LINE
        big[:, ::factor] = LINE
    return big, factor


class ShapeCalculator(LiveView):
    """Sliders for a Conv2d's settings -> output shape (formula and PyTorch), cost, and the patch behind a pixel."""

    def __init__(self):
        slider = lambda description, value, low, high: widgets.IntSlider(
            value=value, min=low, max=high, description=description)
        controls = {
            "n": slider("input size", 32, 1, 64), "k": slider("kernel", 5, 1, 11),
            "padding": slider("padding", 0, 0, 5), "stride": slider("stride", 1, 1, 5),
            "dilation": slider("dilation", 1, 1, 4), "c_in": slider("in chans", 3, 1, 16),
            "c_out": slider("out chans", 6, 1, 32), "row": slider("output row", 0, 0, 0),
            "col": slider("output col", 0, 0, 0),  # their max follows the output size
        }
        self.numbers = {}
        super().__init__(controls)

    def _follow_output(self, size):
        """Let the output row/col sliders reach exactly the output's last pixel; gives their (clamped) values."""
        with self.hold():
            for name in ("row", "col"):
                self.controls[name].max = size - 1
        return self.controls["row"].value, self.controls["col"].value

    def compute(self, n, k, padding, stride, dilation, c_in, c_out, row, col):
        """The padded input with the chosen pixel's patch, and the output; the numbers go in self.text."""
        size = output_size(n, k, padding, stride, dilation)
        try:
            conv = _real_conv(c_in, c_out, k, padding, stride, dilation)
            shape = tuple(conv(torch.empty(0, c_in, n, n)).shape[1:])  # an empty batch: shapes, no arithmetic
        except RuntimeError as error:
            shape, said = None, str(error).splitlines()[0]
        span, padded = dilation * (k - 1) + 1, n + 2 * padding
        if size <= 0 or shape is None:
            raise SettingError(
                f"Impossible: the kernel spans d·(k−1)+1 = {span} pixels but the padded input has only "
                f"n+2p = {padded}. Make the input larger, the kernel or dilation smaller, or add padding."
                + (f" (PyTorch says: {said})" if shape is None else ""))
        row, col = self._follow_output(size)
        params = sum(p.numel() for p in conv.parameters())
        macs = size * size * c_out * c_in * k * k
        self.numbers = {"formula": (c_out, size, size), "pytorch": shape, "parameters": params, "multiply_adds": macs}
        read = np.zeros(padded, bool)
        read[taps(np.arange(size)[:, None], k, stride, dilation).ravel()] = True
        self.text = self._describe(n, k, padding, stride, dilation, c_in, c_out, size, shape, params, macs, read)
        return [self._input_panel(n, k, padding, stride, dilation, c_in, row, col, read),
                self._output_panel(size, c_out, row, col)]

    def _describe(self, n, k, p, s, d, c_in, c_out, size, shape, params, macs, read):
        """The numbers under the pictures, as HTML."""
        agree = "✓ they agree" if shape == (c_out, size, size) else "✗ they DISAGREE"
        unread = [int(i) - p for i in np.flatnonzero(~read) if p <= i < p + n]
        line = f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
        return "<br>".join([
            f"<b>output size</b>: formula ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = <b>{size}</b>; "
            f"PyTorch's nn.Conv2d gives (N, {', '.join(map(str, shape))}): {agree}",
            f"<b>parameters</b>: {c_out}·({c_in}·{k}·{k} + 1) = {params:,} · <b>multiply-adds</b> per image: "
            f"{size}·{size}·{c_out}·{c_in}·{k}·{k} = {macs:,}",
            f"<b>PyTorch</b>: <code>{html.escape(line)}</code>",
            f"<b>input rows/cols never read</b>: {unread if unread else 'none'}",
            "orange: the taps behind the chosen output pixel · blue box: their span d·(k−1)+1 · grey: zero padding"
            " · pink: read by no output pixel",
        ])

    def _input_panel(self, n, k, p, s, d, c_in, row, col, read):
        """The padded input as cells: padding grey, never-read pink, the chosen pixel's taps orange."""
        padded = n + 2 * p
        inside = np.zeros(padded, bool)
        inside[p:p + n] = True
        pad, unread = ~np.outer(inside, inside), ~np.outer(read, read)
        rgb = np.full((padded, padded, 3), 255, np.uint8)
        rgb[pad] = PAD
        rgb[unread] = UNREAD
        rgb[pad & unread] = UNREAD_PAD
        rgb[np.ix_(taps(row, k, s, d), taps(col, k, s, d))] = TAP
        big, factor = _grid_picture(rgb)
        span = d * (k - 1) + 1
        draw.draw_box(big, row * s, col * s, span, span, factor, color=BOX)
        return Panel(f"input {c_in}x{n}x{n}, padded to {padded}x{padded}", big)

    def _output_panel(self, size, c_out, row, col):
        """The output as cells, the chosen pixel orange."""
        rgb = np.full((size, size, 3), OUT, np.uint8)
        rgb[row, col] = TAP
        return Panel(f"output {c_out}x{size}x{size}, pixel ({row}, {col})", _grid_picture(rgb)[0])


# ----------------------------------------------------------------------------------------------
# Exercise checks: each prints ✅ or ❌ with a hint and returns a bool, never raising.


def _scalar(function):
    """Wrap a learner's function so a plain number comes back as a 0-d tensor (compared with a tolerance)."""
    def wrapped(*args):
        got = function(*args)
        return torch.tensor(float(got)) if isinstance(got, (int, float, np.number)) else got
    return wrapped


def check_output_pixel(output_pixel):
    """Check output_pixel(image (H, W), weight (k, k), row, col, stride) -> one output value, against F.conv2d."""
    g = torch.Generator().manual_seed(1)
    cases = [(torch.arange(25.0).view(5, 5), torch.tensor([[1.0, 0, -1]] * 3), 1, 2, 1)]
    for k, stride, row, col in [(3, 2, 1, 0), (2, 1, 3, 2), (3, 3, 1, 1), (1, 2, 2, 3)]:
        cases.append((torch.randn(8, 8, generator=g), torch.randn(k, k, generator=g), row, col, stride))
    reference = lambda x, w, row, col, s: F.conv2d(x[None, None], w[None, None], stride=s)[0, 0, row, col]
    return checks.check_cases(
        _scalar(output_pixel), cases, reference,
        praise="One output pixel is one dot product: the kernel times the patch under it, summed.",
        hint="the patch starts at input row row·stride and column col·stride and is k×k; "
             "multiply it element by element with the kernel and sum (no flipping).")


def check_same_padding(same_padding):
    """Check same_padding(kernel_size, dilation) -> per-side padding keeping the size at stride 1 (odd k)."""
    def reference(k, d, n=16):  # asked of PyTorch: the smallest padding whose output is as big as the input
        return next(p for p in range(20) if nn.Conv2d(1, 1, k, padding=p, dilation=d)(torch.empty(0, 1, n, n))
                    .shape[-1] == n)
    cases = [(3, 1), (5, 1), (1, 1), (3, 2), (5, 3), (7, 2)]
    return checks.check_cases(
        same_padding, cases, reference,
        praise="Padding d·(k−1)/2 on each side gives back exactly what the kernel's span takes away.",
        hint="the output is shorter than the input by d·(k−1) (the kernel's span minus one); "
             "PyTorch pads each side, so put half of that on each side.")


def check_horizontal_edge_kernel(horizontal_edge_kernel):
    """Check horizontal_edge_kernel() -> a (3, 3) kernel: strong on horizontal edges, ~0 on vertical ones and flat."""
    praise = "It fires where brightness changes from top to bottom, and stays silent on flat areas and vertical edges."
    w, error = checks.call(horizontal_edge_kernel)
    if error:
        return checks.report(False, praise, f"{error}.")
    if not isinstance(w, torch.Tensor) or tuple(w.shape) != (3, 3):
        got = f"a {type(w).__name__}" + (f" of shape {tuple(w.shape)}" if hasattr(w, "shape") else "")
        return checks.report(False, praise, f"expected a (3, 3) tensor, got {got}.")
    step = (torch.arange(12.0) >= 6).float()
    horizontal, vertical, flat = step[:, None].expand(12, 12), step[None, :].expand(12, 12), torch.full((12, 12), 0.5)
    respond = lambda image: F.conv2d(image[None, None], w.float()[None, None])[0, 0].abs().max().item()
    strength = respond(horizontal)
    if strength < 1e-3:
        turned = " It answers vertical edges instead: turn it by 90 degrees." if respond(vertical) >= 1e-3 else ""
        return checks.report(False, praise, "it gives (almost) nothing on a horizontal edge (dark above, bright "
                             f"below).{turned} Give the rows above and below the centre weights of opposite sign.")
    if respond(flat) > 0.05 * strength:
        return checks.report(False, praise, "it responds on a flat area: make the nine weights sum to 0.")
    if respond(vertical) > 0.05 * strength:
        return checks.report(False, praise, "it also responds to vertical edges (dark left, bright right): "
                             "make each row's weights all the same sign, varying only from top to bottom.")
    return checks.report(True, praise, "")


def check_conv_parameters(conv_parameters):
    """Check conv_parameters(in_channels, out_channels, kernel_size, bias) -> int, against nn.Conv2d's count."""
    def reference(c_in, c_out, k, bias):
        return sum(p.numel() for p in nn.Conv2d(c_in, c_out, k, bias=bias, device="meta").parameters())
    cases = [(3, 6, 5, True), (6, 16, 5, True), (1, 1, 3, False), (16, 32, 3, False), (2, 5, 1, True)]
    return checks.check_cases(
        conv_parameters, cases, reference,
        praise="Each output channel has one kernel of in·k·k weights plus one bias, shared by every position.",
        hint="count one k×k kernel per (input channel, output channel) pair, plus one bias per output channel "
             "when bias=True; the image size does not matter.")
