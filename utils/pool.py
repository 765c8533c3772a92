"""Notebook 02 (max pooling · 最大池化层): the photo's edge map, its two widgets and its exercise checks."""

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checks, draw, guard
from .conv import kernel
from .i18n import tr
from .images import check_image, load_photo
from .view import LiveView, Panel, SettingError, float32_bytes

WINNER = (230, 20, 60)  # outline of a window's winning pixel
FIRST, SECOND = (255, 255, 255), (255, 0, 255)  # the first two windows and their outputs
PADDING, SKIPPED, SAME, CHANGED = (150, 150, 150), 0.35, (225, 225, 225), (220, 30, 30)


def sobel_magnitude(image):
    """An (H, W) grey image in [0, 1] -> its (H-2, W-2) edge strength sqrt(gx² + gy²) (Sobel, no padding)."""
    check_image(image, channels=1)
    if min(image.shape) < 3:
        raise ValueError(tr("the image should be at least 3x3 for a 3x3 Sobel kernel, got {shape}",
                            shape=tuple(image.shape)))
    sobel = torch.stack([kernel("sobel x"), kernel("sobel y")])[:, None]
    return F.conv2d(image[None, None], sobel).pow(2).sum(1).sqrt()[0]


def edge_map(size=None):
    """The photo's edge map, as in notebook 01: (H-2, W-2) Sobel magnitude of the grey photo (longer side `size`)."""
    return sobel_magnitude(load_photo(size=size, gray=True))


def unchanged_fraction(before, after):
    """Two maps of the same shape -> the fraction of positions holding exactly the same value."""
    if not isinstance(before, torch.Tensor) or not isinstance(after, torch.Tensor):
        raise TypeError(tr("expected two tensors, got {first} and {second}", first=type(before).__name__,
                           second=type(after).__name__))
    if before.shape != after.shape:
        raise ValueError(tr("expected maps of the same shape, got {first} and {second}", first=tuple(before.shape),
                            second=tuple(after.shape)))
    return (before == after).float().mean().item()


def pool_arguments(x, kernel_size, stride=None, padding=0, dilation=1):
    """Check a from-scratch pooling's arguments as F.max_pool2d does -> (kernel, stride, padding, dilation) pairs.

    x: a (C, H, W) or (N, C, H, W) float tensor; each setting an int or (rows, columns); stride None means the window.
    """
    guard.batched(x)
    if stride is None or stride == () or stride == []:
        stride = kernel_size  # PyTorch's default
    k, s, p, d = (guard.pair(tuple(v) * 2 if isinstance(v, (tuple, list)) and len(v) == 1 else v, name, low)
                  for v, name, low in [(kernel_size, "kernel_size", 1), (stride, "stride", 1), (padding, "padding", 0),
                                       (dilation, "dilation", 1)])
    for n, k1, p1, d1 in zip(x.shape[-2:], k, p, d):
        span = d1 * (k1 - 1) + 1
        if p1 > span // 2:
            raise ValueError(tr("padding should be at most half the window ({span} pixels wide): at most {most}, got "
                                "{padding!r} (PyTorch refuses it too: a window could hold nothing but padding)",
                                span=span, most=span // 2, padding=padding))
        if n + 2 * p1 < span:
            raise ValueError(tr("the window ({span} pixels wide) is larger than the padded input ({padded}): input "
                                "{shape}, kernel_size {kernel_size!r}, padding {padding!r}", span=span,
                                padded=n + 2 * p1, shape=tuple(x.shape), kernel_size=kernel_size, padding=padding))
    if any(p) and torch.isneginf(x).any():  # a real -inf would tie with the -inf padding, and argmax picks either
        raise ValueError(tr("the map holds -inf values, which tie with the -inf padding: not supported here with "
                            "padding {padding!r} (use padding 0, or F.max_pool2d)", padding=padding))
    return k, s, p, d


def outline(mask, factor, color, rgb):
    """Outline every True pixel of an (h, w) mask on an (h*factor, w*factor, 3) picture, in place."""
    ring = np.ones((factor, factor), bool)
    ring[1:-1, 1:-1] = False
    rgb[np.tile(ring, mask.shape) & draw.upscale(mask[:, :, None], factor)[:, :, 0]] = color
    return rgb


def covered(size, window, stride, padding, count):
    """(size,) bool: which of `size` input positions some of `count` windows (window, stride, padding) cover."""
    hit = np.zeros(size + 2 * padding, bool)
    for start in range(0, count * stride, stride):
        hit[start:start + window] = True
    return hit[padding:padding + size]


class PoolingExplorer(LiveView):
    """Window, stride, padding and max/avg over an (H, W) feature map (default: the photo's 40x34 edge map)."""

    MAX_PADDING = 3
    module = "pooling_explorer"

    def browser_data(self):
        """The feature map (float32) and the colours: the module pools and draws every setting itself."""
        colours = {"WINNER": WINNER, "FIRST": FIRST, "SECOND": SECOND, "PADDING": PADDING, "SKIPPED": SKIPPED}
        return {"map": float32_bytes(self.map), "shape": list(self.map.shape), "vmax": self.vmax,
                "max_padding": self.MAX_PADDING, "colors": colours}

    def __init__(self, feature_map=None):
        feature_map = edge_map(42) if feature_map is None else feature_map
        if not isinstance(feature_map, torch.Tensor) or feature_map.dim() != 2 or not feature_map.is_floating_point():
            got = tuple(feature_map.shape) if isinstance(feature_map, torch.Tensor) else type(feature_map).__name__
            raise ValueError(tr("feature_map should be an (H, W) float tensor, got {got}", got=got))
        self.map = feature_map
        self.vmax = float(feature_map.max())
        self.rgb = draw.colorize(feature_map, "activation", vmin=0, vmax=self.vmax)
        super().__init__({
            "window": widgets.IntSlider(value=2, min=1, max=6, description=tr("window")),
            "stride": widgets.IntSlider(value=2, min=1, max=6, description=tr("stride")),
            "padding": widgets.IntSlider(value=0, min=0, max=self.MAX_PADDING, description=tr("padding")),
            "mode": widgets.ToggleButtons(options=[(tr("max"), "max"), (tr("avg"), "avg")], value="max",
                                          description=tr("pooling")),
        })

    def compute(self, window, stride, padding, mode):
        (h, w), k, s, p = self.map.shape, window, stride, padding
        if p > k // 2:
            raise SettingError(tr("padding {p} is more than half the window ({k}): at most {most}, or a window "
                                  "could hold nothing but padding", p=p, k=k, most=k // 2))
        if k > min(h, w) + 2 * p:
            raise SettingError(tr("the window ({k}x{k}) is larger than the padded map ({h}x{w})", k=k, h=h + 2 * p,
                                  w=w + 2 * p))
        x = self.map[None, None]
        if mode == "max":
            out, index = F.max_pool2d(x, k, s, p, return_indices=True)
        else:
            out = F.avg_pool2d(x, k, s, p)
        oh, ow = out.shape[-2:]
        factor = draw.fit_factor((h + 2 * self.MAX_PADDING, w + 2 * self.MAX_PADDING), draw.scaled(256))
        canvas = np.empty((h + 2 * p, w + 2 * p, 3), np.uint8)
        canvas[:] = PADDING
        seen = covered(h, k, s, p, oh)[:, None] & covered(w, k, s, p, ow)[None, :]
        canvas[p:p + h, p:p + w] = np.where(seen[:, :, None], self.rgb, (self.rgb * SKIPPED).astype(np.uint8))
        picture, winners = draw.upscale(canvas, factor), None
        if mode == "max":
            winners = np.zeros(h * w, bool)
            winners[index.flatten().numpy()] = True
            outline(np.pad(winners.reshape(h, w), p), factor, WINNER, picture)
        pooled = draw.upscale(draw.colorize(out[0, 0], "activation", vmin=0, vmax=self.vmax), factor)  # one scale
        for i, color in enumerate([FIRST, SECOND][:ow]):
            draw.draw_box(picture, 0, i * s, k, k, factor, color)
            draw.draw_box(pooled, 0, i, 1, 1, factor, color)
        self.text = self.describe(mode, k, s, p, (h, w), (oh, ow), seen, winners)
        legend = ("activation", 0, self.vmax)
        return [Panel(tr("feature map {h}x{w}", h=h, w=w), picture, legend),
                Panel(tr("pooled output {h}x{w}", h=oh, w=ow), pooled, legend)]

    @staticmethod
    def describe(mode, k, s, p, size, out_size, seen, winners):
        """One line of HTML about the current setting: sizes, skipped pixels, where the gradient goes."""
        n, m = size[0] * size[1], out_size[0] * out_size[1]
        kind = tr("max pooling") if mode == "max" else tr("avg pooling")
        parts = [tr("{kind}: {oh}x{ow} = {m} outputs from {h}x{w} = {n} inputs ({share:.0%}).", kind=kind,
                    oh=out_size[0], ow=out_size[1], m=m, h=size[0], w=size[1], n=n, share=m / n)]
        if p:
            parts.append(tr("Grey border: padding, filled with -inf.") if mode == "max" else
                         tr("Grey border: padding, filled with 0 (counted in the mean)."))
        if not seen.all():
            why = tr("stride {s} > window {k}", s=s, k=k) if s > k else \
                tr("the last rows or columns do not fill a window")
            parts.append(tr("{count} pixels (dimmed) are in no window: {why}.", count=int((~seen).sum()), why=why))
        if winners is not None:
            parts.append(tr("<span style='color:rgb{color}'>Red</span>: the {count} winning pixels, the only ones to "
                            "receive gradient ({share:.0%} of the inputs).", color=WINNER, count=int(winners.sum()),
                            share=winners.sum() / n))
        else:
            parts.append(tr("Every pixel in a window gets 1/{count} of its gradient.", count=k * k))
        parts.append(tr("White and magenta: the first two windows and their outputs."))
        return " ".join(parts)


class ShiftExplorer(LiveView):
    """Shift a 32x32 crop of the photo's edge map right by 0..4 pixels: which pooled outputs change?"""

    SIZE, MAX_SHIFT, TOP = 32, 4, 6
    module = "shift_explorer"

    def browser_data(self):
        """The edge map (float32) and how the crops are cut from it: the module crops, pools and draws."""
        return {"map": float32_bytes(self.map), "shape": list(self.map.shape), "vmax": self.vmax, "size": self.SIZE,
                "max_shift": self.MAX_SHIFT, "top": self.TOP, "colors": {"SAME": SAME, "CHANGED": CHANGED}}

    def __init__(self):
        self.map = edge_map(48)
        self.vmax = float(self.map.max())
        super().__init__({
            "shift": widgets.IntSlider(value=1, min=0, max=self.MAX_SHIFT, description=tr("shift (px)")),
            "window": widgets.IntSlider(value=2, min=2, max=4, description=tr("window")),
        }, columns=3)

    def crop(self, shift):
        """The (32, 32) view of the edge map with its content moved `shift` pixels right."""
        left = self.MAX_SHIFT - shift
        return self.map[self.TOP:self.TOP + self.SIZE, left:left + self.SIZE]

    def compute(self, shift, window):
        before, after = self.crop(0), self.crop(shift)
        pooled = [F.max_pool2d(m[None], window)[0] for m in (before, after)]
        same_map, same_pool = unchanged_fraction(before, after), unchanged_fraction(*pooled)
        factor = draw.fit_factor((self.SIZE, self.SIZE), draw.scaled(208))  # one scale: pooled maps look smaller
        drawn = [draw.upscale(draw.colorize(m, "activation", vmin=0, vmax=self.vmax), factor)
                 for m in (before, after, *pooled)]
        legend = ("activation", 0, self.vmax)
        self.text = tr("Shifted {shift} px right, max pooled {window}x{window}. Unchanged (exactly equal, at the same "
                       "position): {pooled:.0%} of the pooled outputs, {pixels:.0%} of the feature map's pixels.",
                       shift=shift, window=window, pooled=same_pool, pixels=same_map)
        return [
            Panel(tr("feature map"), drawn[0], legend),
            Panel(tr("shifted right"), drawn[1], legend),
            Panel(tr("changed pixels (red)"), changes(before, after, factor)),
            Panel(tr("max pooled"), drawn[2], legend),
            Panel(tr("pooled after the shift"), drawn[3], legend),
            Panel(tr("changed outputs (red)"), changes(*pooled, factor)),
        ]


def changes(before, after, factor=1):
    """Two (H, W) maps -> an (H*factor, W*factor, 3) picture of where they differ: red changed, light grey the same."""
    rgb = np.where((before != after).numpy()[:, :, None], np.uint8(CHANGED), np.uint8(SAME)).astype(np.uint8)
    return draw.upscale(rgb, factor)


# ---- Exercises --------------------------------------------------------------------------------------

BY_HAND_MAP = torch.tensor([[-3, -1, 4, 2], [-5, -2, 0, 7], [6, 1, -4, 3], [2, 8, -6, -1]], dtype=torch.float32)
BY_HAND = {"kernel_size": 3, "stride": 2, "padding": 1}


def check_max_pool_by_hand(answer):
    """Check a hand-computed 2x2 answer: BY_HAND_MAP max-pooled with BY_HAND (3x3 windows, stride 2, padding 1)."""
    expected = F.max_pool2d(BY_HAND_MAP[None, None], **BY_HAND)[0, 0]
    praise = tr("Padding is -inf, so a window of negatives still gives a negative maximum.")
    if answer is ... or answer is None:
        return checks.report(False, praise, tr("replace `...` with your 2x2 answer, e.g. [[a, b], [c, d]]."))
    try:
        got = torch.as_tensor(answer, dtype=torch.float32)
    except (TypeError, ValueError) as error:
        return checks.report(False, praise, tr("write the answer as a list of 2 rows of 2 numbers ({error}).",
                                               error=error))
    problem = checks.compare(got, expected)
    if problem and got.shape == expected.shape and bool(((got == 0) & (expected < 0)).any()):
        problem = tr("{problem}. Hint: {hint}", problem=problem,
                     hint=tr("padding is -inf, not 0: it can never be the maximum."))
    elif problem:
        problem = tr("{problem}. Hint: {hint}", problem=problem,
                     hint=tr("window (i, j) covers rows 2i-1..2i+1 and columns 2j-1..2j+1 (row -1 is padding)."))
    return checks.report(not problem, praise, problem)


def check_fc1_one_pooling(guess):
    """Check a parameter count of fc1 (weights + biases) in `Net` with its first pooling only."""
    with torch.no_grad():
        maps = nn.Conv2d(6, 16, 5)(F.max_pool2d(nn.Conv2d(3, 6, 5)(torch.zeros(1, 3, 32, 32)), 2))  # no second pool
    measured = sum(p.numel() for p in nn.Linear(maps[0].numel(), 120).parameters())
    return checks.check_prediction(guess, measured, mistakes={
        48_120: tr("That is fc1 with both poolings (16x5x5 = 400 inputs)."),
        192_000: tr("Those are the weights: each of the 120 neurons has a bias too."),
        1_600: tr("That is the number of fc1's inputs (16x10x10); each of its 120 neurons weighs them all."),
        376_440: tr("conv2's 5x5 kernel trims 4 pixels: its maps are 10x10, not 14x14."),
        1_106_040: tr("That is fc1 without either pooling (16x24x24 inputs); the first pooling is still there."),
    }, explain=tr("With the first pooling only, the side goes 32, 28, 14, 10: fc1 takes 16x10x10 = 1,600 values and "
                  "needs 1,600 x 120 weights + 120 biases."))


def gradient_choices():
    """The options of check_gradient_choice, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("No: that is average pooling, which shares each window's gradient among its 4 pixels."),
        "B": tr("Yes: the output is a copy of the winner. Nudge any other pixel a little and the output does not "
                "move, so its derivative is 0; nudge the winner and the output moves by as much, so its derivative "
                "is 1."),
        "C": tr("No: max is differentiable wherever the maximum is unique (almost everywhere). The gradient is 1 for "
                "the winner, and autograd computes it (the backward pass above checks that)."),
        "D": tr("No: that is ReLU's rule. Max pooling compares the pixels of a window with each other, not with 0: "
                "a window of 4 positive pixels still sends its gradient to one of them."),
    }


def check_gradient_choice(answer):
    """Check the letter picked for: why does 2x2 max pooling send gradient to only 1 input in 4?"""
    return checks.check_choice(answer, gradient_choices(), correct="B")


def max_or_average_choices():
    """The options of check_max_or_average, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("No: both keep one value per 2x2 window, so their outputs have the same size and every window is "
                "passed on. What differs is the value each window passes on."),
        "B": tr("Yes: one edge pixel of strength e among three flat pixels near 0 averages to about e/4, below the "
                "threshold unless e is at least four times the threshold; the maximum is e itself. Averaging dilutes a "
                "thin edge, the maximum selects it."),
        "C": tr("No: these 2x2 windows at stride 2 have no padding at all. What pulls the mean down is the window's "
                "own flat pixels."),
        "D": tr("No: nothing is trained in this measurement, it is one forward pass over a fixed edge map. The "
                "gradient says where learning would go, not what the forward pass keeps."),
    }


def check_max_or_average(answer):
    """Check the letter picked for: why does average pooling drop edges that max pooling keeps?"""
    return checks.check_choice(answer, max_or_average_choices(), correct="B")


AVG_BACKWARD_CASES = [((4, 4), 2, 2), ((5, 5), 3, 1), ((7, 6), 3, 2), ((7, 7), 2, 3), ((3, 8), 1, 2), ((6, 6), 4, 1)]


def avg_pool_backward_by_autograd(x, grad_out, k, s):
    """(H, W) map, (OH, OW) gradient of F.avg_pool2d(x[None], k, s) -> the (H, W) gradient of x, by autograd."""
    x = x.clone().requires_grad_(True)
    F.avg_pool2d(x[None], k, s).backward(grad_out[None])
    return x.grad


def check_avg_pool_backward(avg_pool_backward):
    """Check avg_pool_backward(x, grad_out, k, s) -> x's (H, W) gradient through k x k average pooling at stride s."""
    generator = torch.Generator().manual_seed(3)
    cases = []
    for (h, w), k, s in AVG_BACKWARD_CASES:
        x = torch.randn(h, w, generator=generator)
        cases.append((x, torch.randn(F.avg_pool2d(x[None], k, s).shape[1:], generator=generator), k, s))
    return checks.check_cases(
        avg_pool_backward, cases, avg_pool_backward_by_autograd,
        praise=tr("Every pixel collects grad_out / (k*k) from each window that holds it: 0, 1 or several."),
        hint=tr("start from zeros like x; for each output (i, j) add grad_out[i, j] / (k*k) to all of "
                "x[i*s:i*s+k, j*s:j*s+k]. Windows overlap when s < k, and some pixels are in no window when s > k."),
    )
