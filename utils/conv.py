"""Notebook 01 (convolutional layer · 卷积层): preset kernels, its widgets and its exercise checks."""

import html
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checks, draw, guard, images
from .i18n import tr
from .view import LiveView, Panel, SettingError, float32_bytes, uploaded_file

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
        raise ValueError(tr("unknown kernel {name!r}; choose one of {names}", name=name, names=sorted(KERNELS)))
    return torch.tensor(KERNELS[name], dtype=torch.float32)


def sizes(n, kernel_size, padding=0, stride=1, dilation=1):
    """Refuse what is not an output-size setting (ints, each at least its low end) with an error naming it."""
    for name, value, low in [("n", n, 1), ("kernel_size", kernel_size, 1), ("padding", padding, 0),
                             ("stride", stride, 1), ("dilation", dilation, 1)]:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(tr("{name} should be an int >= {low}, got {value!r}", name=name, low=low, value=value))


def output_size(n, kernel_size, padding=0, stride=1, dilation=1):
    """Output length along one axis (ints -> int): floor((n + 2p - d(k-1) - 1) / s) + 1; <= 0 means impossible."""
    sizes(n, kernel_size, padding, stride, dilation)
    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv_arguments(x, weight, bias, stride, padding, dilation):
    """A conv2d's arguments -> (x as (N, C, H, W), True if unbatched, stride, padding, dilation as pairs).

    Padding comes back as ("same", "same") or a pair of ints. Anything F.conv2d refuses, or that the notebook's
    versions do not support, is refused with an error saying what is expected.
    """
    x, unbatched = guard.batched(x)
    if not isinstance(weight, torch.Tensor) or weight.dim() != 4:
        raise ValueError(tr("weight should be a tensor of shape (out_channels, in_channels, kh, kw), got {got}",
                            got=getattr(weight, "shape", type(weight).__name__)))
    if weight.dtype != x.dtype or (bias is not None and getattr(bias, "dtype", None) != x.dtype):
        raise TypeError(tr("x, weight and bias should have the same dtype, got {x}, {weight} and {bias}", x=x.dtype,
                           weight=weight.dtype, bias=getattr(bias, "dtype", type(bias).__name__)))
    if weight.shape[1] != x.shape[1]:
        raise ValueError(tr("weight expects {expected} input channels but x has {got} (groups are not supported "
                            "here: use F.conv2d)", expected=weight.shape[1], got=x.shape[1]))
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(tr("bias should have shape ({count},), one per kernel, got {shape}", count=weight.shape[0],
                            shape=tuple(bias.shape)))
    stride, dilation = guard.pair(stride, "stride", low=1), guard.pair(dilation, "dilation", low=1)
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(tr("padding should be 'same', 'valid', an int or a pair of ints, got {padding!r}",
                                padding=padding))
        if padding == "same" and stride != (1, 1):
            raise ValueError(tr("padding='same' needs stride 1 (as in PyTorch), got stride {stride}", stride=stride))
        padding = ("same", "same") if padding == "same" else (0, 0)
    else:
        padding = guard.pair(padding, "padding")
        for axis, n, k, p, d in zip((tr("height"), tr("width")), x.shape[2:], weight.shape[2:], padding, dilation):
            if n + 2 * p < d * (k - 1) + 1:
                raise ValueError(tr("the kernel spans d·(k−1)+1 = {span} pixels in {axis}, more than the padded "
                                    "input's {padded}: use a smaller kernel or more padding", span=d * (k - 1) + 1,
                                    axis=axis, padded=n + 2 * p))
    return x, unbatched, stride, padding, dilation


def taps(index, kernel_size, stride=1, dilation=1):
    """Output index along one axis (int, or an array to broadcast) -> (..., k) ints: the padded-input indices read."""
    return index * stride + dilation * np.arange(kernel_size)


def stretch(values, quantile=0.99):
    """(H, W) signed values -> the same divided by their `quantile` of |values|, clipped to [-1, 1] (for display)."""
    if not isinstance(values, torch.Tensor) or values.dim() != 2:
        raise ValueError(tr("expected an (H, W) tensor, got {got}",
                            got=getattr(values, "shape", type(values).__name__)))
    limit = torch.quantile(values.abs().flatten().float(), quantile).item()
    return (values / limit).clamp(-1, 1) if limit > 0 else values


def shifted(x, rows, cols):
    """(..., H, W) -> the same shape moved down by `rows` and right by `cols` (>= 0), zeros filling the gap."""
    height, width = x.shape[-2:]
    if not (0 <= rows <= height and 0 <= cols <= width):
        raise ValueError(tr("shifts should be between 0 and the size {height}x{width} (down and right), got "
                            "rows={rows}, cols={cols}", height=height, width=width, rows=rows, cols=cols))
    out = torch.zeros_like(x)
    out[..., rows:, cols:] = x[..., :height - rows, :width - cols]
    return out


# ----------------------------------------------------------------------------------------------
# Widgets

CUSTOM = "custom (typed in)"
WEIGHTS = [f"w{r}{c}" for r in range(3) for c in range(3)]


def labels():
    """What a learner reads for each option of the playground's menus (their values stay English), by value."""
    return {"identity": tr("identity"), "blur": tr("blur"), "sharpen": tr("sharpen"), "sobel x": tr("sobel x"),
            "sobel y": tr("sobel y"), "laplacian": tr("laplacian"), "emboss": tr("emboss"),
            CUSTOM: tr("custom (typed in)"), "photo": tr("photo"), "upload": tr("upload"), "signed": tr("signed"),
            "as image": tr("as image")}


class KernelPlayground(LiveView):
    """A 3x3 kernel (a preset or typed in) slid over the photo or an upload: (H, W) image -> (H, W) map."""

    SIZE, DISPLAY = 128, 256  # pixels worked on (so a 3x3 kernel's effect shows), pixels drawn (crisp 2x)
    module = "kernel_playground"

    def browser_data(self):
        """The images as float32 pixels (sent once each), the presets and the menus' words: the module does the rest."""
        return {"images": {name: float32_bytes(image) for name, image in self.images.items()},
                "shapes": {name: list(image.shape) for name, image in self.images.items()},
                "kernels": {name: np.ravel(k).tolist() for name, k in KERNELS.items()}, "custom": CUSTOM,
                "preset": self._preset, "labels": labels(), "display": self.DISPLAY}

    def browser_message(self, content, buffers):
        """A file the learner chose in the browser: used as the upload control's file would be."""
        if "upload" in content and buffers:
            self.use_upload(bytes(buffers[0]), content["upload"])

    def __init__(self, preset="sobel x"):
        self.images = {"photo": images.load_photo(size=self.SIZE, gray=True)}
        self.feature_map = None
        self._preset = preset
        self._upload_problem = ""
        label = labels()
        controls = {
            "preset": widgets.Dropdown(options=[(label[v], v) for v in [*KERNELS, CUSTOM]], value=preset,
                                       description=tr("preset")),
            "image": widgets.Dropdown(options=[(label[v], v) for v in ["photo", "upload"]], description=tr("image")),
            "show": widgets.Dropdown(options=[(label[v], v) for v in ["signed", "as image"]], description=tr("show")),
        }
        for name, value in zip(WEIGHTS, np.ravel(KERNELS[preset])):
            controls[name] = widgets.BoundedFloatText(value=float(value), min=-10, max=10, step=0.5,
                                                      layout=widgets.Layout(width="90px"))
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description=tr("Upload"))
        super().__init__(controls)
        if self.live is None:  # a browser-side view draws its own upload button
            self.widget.children[0].children += (self.upload,)  # beside the preset: not a setting to sweep
        self.upload.observe(self._on_upload, names="value")

    def _on_upload(self, change):
        name, data = uploaded_file(change["new"])
        self.use_upload(data, name)

    def use_upload(self, data, name=None):
        """Use an uploaded file's bytes as the image (or show why not, naming the file); gives the message or ''."""
        if data is None:
            return self.message
        try:
            image = images.image_from_bytes(data, size=self.SIZE, gray=True, name=name)
        except (TypeError, ValueError) as error:  # every file that is no usable image (see image_from_bytes)
            self._upload_problem = tr("Could not use that file: {error}. Still showing the previous image.",
                                      error=error)
        else:
            self.images["upload"] = image
            self.browser_changed()  # the browser-side view gets the new pixels before it is told to show them
            with self.hold():
                self.controls["image"].value = "upload"
        if self._upload_problem:
            self.browser_changed(note=self._upload_problem)
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
            raise SettingError(tr("No image uploaded yet: click Upload to choose a PNG or JPEG, or pick 'photo'."))
        w = self._fill_weights(preset)
        if not torch.isfinite(w).all():
            bad = ", ".join(n for n, v in zip(WEIGHTS, w.flatten().tolist()) if v != v or abs(v) == float("inf"))
            raise SettingError(tr("The weight {names} is not a number: type a number between -10 and 10 in its box.",
                                  names=bad))
        self.feature_map = F.conv2d(self.images[image][None, None], w[None, None], padding=1)[0, 0]
        total, low, high = w.sum().item(), self.feature_map.min().item(), self.feature_map.max().item()
        colours = tr("colours: red > 0 > blue, saturated for the strongest 1% of |values|.") if show == "signed" \
            else tr("shown clipped to [0, 1] like a photo.")
        self.text = tr("The weights sum to <b>{total:.3g}</b>, so a flat patch of brightness b gives {total:.3g}·b. "
                       "Output values run from {low:.3g} to {high:.3g}; {colours}", total=total, low=low, high=high,
                       colours=colours)
        size, top = "×".join(map(str, self.images[image].shape)), w.abs().max().item() or 1.0
        if show == "signed":  # saturated for the strongest 1%, so that faint edges show (as conv.stretch does)
            limit = torch.quantile(self.feature_map.abs().flatten(), 0.99).item() or 1.0
            shown = draw.picture(self.feature_map, "signed", self.DISPLAY, vmax=limit), ("signed", -limit, limit)
        else:
            shown = draw.picture(self.feature_map.clamp(0, 1), "image", self.DISPLAY), None
        return [
            Panel(f"{labels()[image]} {size}", draw.picture(self.images[image], "image", self.DISPLAY)),
            Panel(tr("kernel 3x3"), draw.picture(w, "signed", size=96, vmax=top), ("signed", -top, top)),
            Panel(tr("feature map {size} ({show})", size=size, show=labels()[show]), *shown),
        ]

    def summary(self):
        """The preset, image and display in one line; the nine weights too when they are typed in."""
        settings = {name: value for name, value in self.settings().items() if name not in WEIGHTS}
        if settings["preset"] == CUSTOM:
            settings["kernel"] = self._fill_weights(CUSTOM).tolist()
        return super().summary(settings)


@lru_cache(maxsize=256)
def _real_conv(c_in, c_out, k, padding, stride, dilation):
    """A real nn.Conv2d, built once per setting (the shape calculator asks PyTorch, not only the formula)."""
    return nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, dilation=dilation)


# The shape calculator's colours.
PAD = (215, 215, 215)  # zero padding
UNREAD, UNREAD_PAD = (255, 205, 210), (220, 180, 185)  # read by no output pixel (input, padding)
TAP, BOX = (255, 150, 0), (30, 60, 200)  # the chosen output pixel's taps, and their span
LINE, OUT = (150, 150, 150), (200, 225, 255)  # grid lines, output cells


def _grid_picture(rgb, factor):
    """(h, w, 3) cells -> a picture `factor` pixels per cell, with thin grid lines when cells are big enough."""
    big = draw.upscale(rgb, factor)
    if factor >= 6:
        big[::factor] = LINE
        big[:, ::factor] = LINE
    return big


@lru_cache(maxsize=1)
def pytorch_refusal():
    """PyTorch's own words refusing a kernel larger than its padded input, as a template with {padded} and {span}."""
    try:
        nn.Conv2d(1, 1, 3)(torch.empty(0, 1, 2, 2))
    except RuntimeError as error:
        said = str(error).splitlines()[0]
    template = said.replace("(2 x 2)", "({padded} x {padded})").replace("(3 x 3)", "({span} x {span})")
    if "{padded}" not in template or "{span}" not in template:
        raise RuntimeError(f"PyTorch's refusal has changed its words: {said!r}")
    return template


class ShapeCalculator(LiveView):
    """Sliders for a Conv2d's settings -> output shape (formula and PyTorch), cost, and the patch behind a pixel."""

    module = "shape_calculator"

    def browser_data(self):
        """The colours of the cells and PyTorch's refusal: the module computes the rest (checked against this class)."""
        colours = {"PAD": PAD, "UNREAD": UNREAD, "UNREAD_PAD": UNREAD_PAD, "TAP": TAP, "BOX": BOX, "LINE": LINE,
                   "OUT": OUT}
        return {"colors": colours, "pytorch_refusal": pytorch_refusal()}

    def __init__(self):
        slider = lambda description, value, low, high: widgets.IntSlider(
            value=value, min=low, max=high, description=description)
        controls = {
            "n": slider(tr("input size"), 32, 1, 64), "k": slider(tr("kernel"), 5, 1, 11),
            "padding": slider(tr("padding"), 0, 0, 5), "stride": slider(tr("stride"), 1, 1, 5),
            "dilation": slider(tr("dilation"), 1, 1, 4), "c_in": slider(tr("in chans"), 3, 1, 16),
            "c_out": slider(tr("out chans"), 6, 1, 32), "row": slider(tr("output row"), 0, 0, 0),
            "col": slider(tr("output col"), 0, 0, 0),  # their max follows the output size
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
            problem = tr("Impossible: the kernel spans d·(k−1)+1 = {span} pixels but the padded input has only "
                         "n+2p = {padded}. Make the input larger, the kernel or dilation smaller, or add padding.",
                         span=span, padded=padded)
            raise SettingError(problem if shape is not None else
                               tr("{problem} (PyTorch says: {said})", problem=problem, said=said))
        row, col = self._follow_output(size)
        params = sum(p.numel() for p in conv.parameters())
        macs = size * size * c_out * c_in * k * k
        self.numbers = {"formula": (c_out, size, size), "pytorch": shape, "parameters": params, "multiply_adds": macs}
        read = np.zeros(padded, bool)
        read[taps(np.arange(size)[:, None], k, stride, dilation).ravel()] = True
        self.text = self._describe(n, k, padding, stride, dilation, c_in, c_out, size, shape, params, macs, read)
        factor = draw.fit_factor((n + 2 * padding,) * 2, draw.scaled(256))  # one scale: a smaller map looks smaller
        return [self._input_panel(n, k, padding, stride, dilation, c_in, row, col, read, factor),
                self._output_panel(size, c_out, row, col, factor)]

    def _describe(self, n, k, p, s, d, c_in, c_out, size, shape, params, macs, read):
        """The numbers under the pictures, as HTML."""
        agree = tr("✓ they agree") if shape == (c_out, size, size) else tr("✗ they DISAGREE")
        unread = [int(i) - p for i in np.flatnonzero(~read) if p <= i < p + n]
        line = f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
        return "<br>".join([
            tr("<b>output size</b>: formula ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = <b>{size}</b>; "
               "PyTorch's nn.Conv2d gives (N, {shape}): {agree}", n=n, p=p, d=d, k=k, s=s, size=size,
               shape=", ".join(map(str, shape)), agree=agree),
            tr("<b>parameters</b>: {c_out}·({c_in}·{k}·{k} + 1) = {params:,} · <b>multiply-adds</b> per image: "
               "{size}·{size}·{c_out}·{c_in}·{k}·{k} = {macs:,}", c_out=c_out, c_in=c_in, k=k, params=params,
               size=size, macs=macs),
            f"<b>PyTorch</b>: <code>{html.escape(line)}</code>",
            tr("<b>input rows/cols never read</b>: {unread}", unread=unread if unread else tr("none")),
            tr("orange: the taps behind the chosen output pixel · blue box: their span d·(k−1)+1 · grey: zero "
               "padding · pink: read by no output pixel"),
        ])

    def _input_panel(self, n, k, p, s, d, c_in, row, col, read, factor):
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
        big = _grid_picture(rgb, factor)
        span = d * (k - 1) + 1
        draw.draw_box(big, row * s, col * s, span, span, factor, color=BOX)
        return Panel(tr("input {c_in}x{n}x{n}, padded to {padded}x{padded}", c_in=c_in, n=n, padded=padded), big)

    def _output_panel(self, size, c_out, row, col, factor):
        """The output as cells at the input's scale, the chosen pixel orange."""
        rgb = np.full((size, size, 3), OUT, np.uint8)
        rgb[row, col] = TAP
        return Panel(tr("output {c_out}x{size}x{size}, pixel ({row}, {col})", c_out=c_out, size=size, row=row,
                        col=col), _grid_picture(rgb, factor))


# ----------------------------------------------------------------------------------------------
# Exercise checks: each prints ✅ or ❌ with a hint and returns a bool, never raising.


def check_stride_prediction(guess):
    """Check a prediction: the output size of Conv2d(3, 6, 5, stride=3, padding=1) on a 3x32x32 image."""
    measured = F.conv2d(torch.zeros(1, 3, 32, 32), torch.zeros(6, 3, 5, 5), stride=3, padding=1).shape[-1]
    return checks.check_prediction(
        guess, measured,
        explain=tr("(32 + 2·1 − 5) / 3 = 9.67, floored to 9, plus 1 for the first position: 10 rows and 10 columns."),
        mistakes={11: tr("Rounding up counts a window that would run past the padded edge."),
                  9: tr("The +1 counts the first window, at position 0."),
                  30: tr("That is stride 1: stride 3 keeps every third position.")})


def why_options():
    """The options of check_why_parameters, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("Right: one kernel (3·5·5 weights and a bias per output map) is reused at every position, so more "
                "positions reuse the same numbers."),
        "B": tr("No: convolution takes any size; a larger image simply gives a larger feature map (try the shape "
                "calculator). Nothing is resized."),
        "C": tr("No: locality alone is not enough. A locally connected layer reads the same 5×5 windows but has its "
                "own weights at each position, so its count grows with the number of positions (section 4)."),
        "D": tr("No: padding changes the output size, not the number of weights; conv1 has no padding at all."),
    }


def check_why_parameters(answer):
    """Check a letter: why conv1's parameter count does not depend on the image size."""
    return checks.check_choice(answer, why_options(), correct="A")


def equivariance_options():
    """The options of check_why_equivariance, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("No: a convolution uses the same kernel at every position, whatever its stride; that sharing is "
                "what makes it equivariant at stride 1."),
        "B": tr("No: the zeros that come in change only a band a few pixels wide along the border (section 5). "
                "At stride 2 the mismatch is everywhere, in the middle of the map too."),
        "C": tr("Right: stride 2 computes the map at every second position only. A 1-pixel shift moves the content "
                "half an output pixel, between two positions the layer computes, so the new map holds values the "
                "old one never had. A 2-pixel shift moves it by exactly one position."),
        "D": tr("No: equivariance does not need a symmetric kernel. At stride 1, Sobel x's map moves with the input "
                "exactly (section 5); what stride 2 adds is that only every second position is kept."),
    }


def check_why_equivariance(answer):
    """Check a letter: why a 1-pixel shift breaks equivariance at stride 2."""
    return checks.check_choice(answer, equivariance_options(), correct="C")


def relu_options():
    """The options of check_why_relu, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("No: counting weights says nothing about what can be computed. What matters is that w1 followed by "
                "w2 is exactly one 5×5 kernel, which section 7's least-squares fit found with almost no error."),
        "B": tr("Right: a weighted sum of weighted sums is one weighted sum. Each output reads a 5×5 patch through "
                "the same 25 combined weights at every position: one convolution. max(x, 0) is not a weighted "
                "sum, so a ReLU in between breaks this."),
        "C": tr("No: negative responses pass through a linear layer like any others and carry information; nothing "
                "cancels. Setting them to 0 is what the ReLU does."),
        "D": tr("No: PyTorch runs both layers as written. The merge is arithmetic, not a speed trick: linear steps "
                "in a row are one linear step."),
    }


def check_why_relu(answer):
    """Check a letter: why two convolutions without a ReLU between them are one convolution."""
    return checks.check_choice(answer, relu_options(), correct="B")


def edge_responses(w, size=12):
    """(3, 3) kernel -> its largest |response| on a flat patch and on step edges of four directions, by name."""
    rows, cols = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    steps = {"flat": torch.full((size, size), 0.5), "horizontal": (rows >= size // 2).float(),
             "vertical": (cols >= size // 2).float(), "diagonal": (rows + cols >= size).float(),
             "other diagonal": (rows - cols >= 0).float()}
    return {name: F.conv2d(image[None, None], w.float()[None, None])[0, 0].abs().max().item()
            for name, image in steps.items()}


def check_diagonal_edge_kernel(diagonal_edge_kernel):
    """Check diagonal_edge_kernel() -> a (3, 3) kernel: strong where dark top-left meets bright bottom-right.

    It must stay silent on flat areas and on edges along the other diagonal (dark bottom-left, bright top-right).
    """
    praise = tr("It answers to brightness changing along the diagonal, and to nothing across it.")
    w, error = checks.call(diagonal_edge_kernel)
    if error:
        return checks.report(False, praise, tr("{problem}.", problem=error))
    if not isinstance(w, torch.Tensor) or tuple(w.shape) != (3, 3) or w.dtype == torch.bool or w.is_complex():
        return checks.report(False, praise, tr("expected a (3, 3) tensor of numbers, got {got}.", got=checks.what(w)))
    if not torch.isfinite(w).all():
        return checks.report(False, praise, tr("some weights are nan or inf: every weight should be an ordinary "
                                               "number."))
    seen = edge_responses(w)
    if seen["diagonal"] < 1e-3:
        return checks.report(False, praise, tr("it gives (almost) nothing where dark top-left meets bright "
                                               "bottom-right. Give the corner cells top-left and bottom-right weights "
                                               "of opposite sign."))
    for name in ("flat", "other diagonal"):
        if seen[name] > 0.05 * seen["diagonal"]:
            return checks.report(False, praise, {
                "flat": tr("it responds on a flat area: make the nine weights sum to 0."),
                "other diagonal": tr("it also responds to the other diagonal (dark bottom-left, bright top-right): "
                                     "make the weights equal along each line from bottom-left to top-right (w[r][c] "
                                     "depending only on r + c), like Sobel turned by 45 degrees.")}[name])
    return checks.report(True, praise, "")


def receptive_field_by_autograd(layers):
    """[(kernel, stride, dilation), ...] -> input pixels one output reads (1D, all-ones kernels, via autograd)."""
    n = 1
    for k, s, d in reversed(layers):  # the input just large enough for one output
        n = (n - 1) * s + d * (k - 1) + 1
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d in layers:
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    y[0, 0, 0].backward()
    read = torch.nonzero(x.grad[0, 0]).flatten()
    return int(read.max() - read.min() + 1)


def check_receptive_field(receptive_field):
    """Check receptive_field(layers) -> int, layers a list of (kernel, stride, dilation), against autograd."""
    cases = [([(5, 1, 1), (2, 2, 1), (5, 1, 1), (2, 2, 1)],), ([(3, 1, 1)] * 3,), ([(3, 1, 2), (3, 1, 4)],),
             ([(3, 2, 1), (3, 2, 1), (3, 2, 1)],), ([(7, 2, 1), (3, 1, 2)],), ([(1, 1, 1)],), ([(2, 3, 1), (3, 2, 3)],)]
    return checks.check_cases(
        receptive_field, cases, receptive_field_by_autograd,
        praise=tr("Each layer adds (its span − 1) times the jump: the product of the strides before it."),
        hint=tr("start with r = 1 and jump = 1; for each layer, r += d·(k−1)·jump (a dilated kernel spans d·(k−1)+1 "
                "pixels), then jump *= s."))
