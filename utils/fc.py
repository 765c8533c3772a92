"""Notebook 03 (fully connected layer · 全连接层): shapes down to flatten, its widgets and its exercise checks."""

import html

import ipywidgets as widgets
import matplotlib
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw

from . import draw
from .checks import check_cases
from .images import check_image, load_photo
from .net import Net
from .view import LiveView, Panel, SettingError

CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")  # CIFAR-10's order
_TAB20 = (np.array(matplotlib.colormaps["tab20"].colors) * 255).astype(np.uint8)
_RGB = np.array([(230, 90, 90), (90, 180, 90), (90, 130, 230)], np.uint8)


def _whole(name, value):
    """`value` as a whole number >= 1, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} should be a whole number, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} should be at least 1, got {value}")
    return int(value)


def square_photo(size=32):
    """The photo, centre-cropped to a square and resized: (3, size, size) floats in [0, 1]."""
    size = _whole("size", size)
    photo = load_photo()
    h, w = photo.shape[1:]
    side = min(h, w)
    square = photo[:, (h - side) // 2:(h - side) // 2 + side, (w - side) // 2:(w - side) // 2 + side]
    return F.interpolate(square[None], size=(size, size), mode="bilinear", antialias=True)[0].clamp(0, 1)


def sample_images():
    """A few fixed 32x32 inputs by name: the photo, mirrored, and seeded noise; each (3, 32, 32)."""
    photo = square_photo(32)
    noise = [torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(seed)) for seed in (0, 1)]
    return {"photo": photo, "photo, mirrored": photo.flip(-1), "noise (seed 0)": noise[0], "noise (seed 1)": noise[1]}


def seeded_net(seed=0):
    """A `Net` initialised from `seed`, leaving the global random state untouched."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return Net()


def trace_fc1(net, images):
    """(N, 3, 32, 32) images through `net` -> (what fc1 receives (N, 400), the logits (N, 10))."""
    seen = []
    handle = net.fc1.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0]))
    try:
        with torch.no_grad():
            logits = net(images)
    finally:
        handle.remove()
    return seen[0], logits


def stage_shapes(size=32, kernel=5, pool=2, channels=(3, 6, 16)):
    """Net's feature layers for a size x size input -> [(stage, (C, H, W))] from input to pool2."""
    size, kernel, pool = _whole("size", size), _whole("kernel", kernel), _whole("pool", pool)
    c_in, c1, c2 = (_whole("channels", c) for c in channels)
    stages, n = [("input", (c_in, size, size))], size
    for conv, pooled, c in (("conv1", "pool1", c1), ("conv2", "pool2", c2)):
        if n < kernel:
            raise SettingError(f"{conv}'s {kernel}x{kernel} kernel does not fit in the {n}x{n} map it gets: "
                               f"{n} - {kernel} + 1 = {n - kernel + 1} pixels would be left. "
                               "Use a smaller kernel or a larger input.")
        n = n - kernel + 1
        stages.append((conv, (c, n, n)))
        if n < pool:
            raise SettingError(f"{pooled}'s {pool}x{pool} window does not fit in the {n}x{n} map it gets: "
                               f"{n} // {pool} = 0 pixels would be left. Use a smaller window or a larger input.")
        n = n // pool
        stages.append((pooled, (c, n, n)))
    return stages


def in_features(size=32, kernel=5, pool=2):
    """The number fc1 must be built with (`nn.Linear(in_features, 120)`) for a size x size input."""
    c, h, w = stage_shapes(size, kernel, pool)[-1][1]
    return c * h * w


def maps_picture(maps, style="signed", columns=4, size=40):
    """(C, h, w) maps -> one (H, W, 3) uint8 grid, all maps on one shared colour scale."""
    if not isinstance(maps, (torch.Tensor, np.ndarray)) or maps.ndim != 3:
        raise ValueError(f"expected (C, h, w) maps, got {getattr(maps, 'shape', type(maps).__name__)}")
    maps = maps.detach().numpy() if isinstance(maps, torch.Tensor) else np.asarray(maps)
    if style == "signed":
        scale = {"vmax": float(np.abs(maps).max()) or 1.0}
    else:
        scale = {"vmin": float(maps.min()), "vmax": float(maps.max())}
    return draw.grid([draw.picture(m, style, size, **scale) for m in maps], columns)


def _stack(shape, scale, colours, canvas=132):
    """One stage (C, H, W) as C squares stacked behind each other, H * scale pixels a side."""
    c, h, w = shape
    side_h, side_w = max(1, round(h * scale)), max(1, round(w * scale))
    step = min(4, 48 // c)
    out = np.full((canvas, canvas, 3), 255, np.uint8)
    for k in reversed(range(c)):  # channel 0 in front
        y = x = 4 + k * step
        out[y:y + side_h, x:x + side_w] = 40
        out[y + 1:y + side_h - 1, x + 1:x + side_w - 1] = colours[k % len(colours)]
    return out


def _vector(shape, width=140, row=6, gap=2):
    """The flattened (C, H, W) stage: one row of H*W cells per channel, channel 0 first."""
    c, h, w = shape
    out = np.full((c * (row + gap) + 6, width + 8, 3), 255, np.uint8)
    for k in range(c):
        out[4 + k * (row + gap):4 + k * (row + gap) + row, 4:4 + width] = _TAB20[k % len(_TAB20)]
    cells = h * w
    if width / cells >= 3:  # cell borders where they can be seen
        out[:, 4 + np.round(np.arange(1, cells) * width / cells).astype(int)] = 255
    return out


class FlattenCalculator(LiveView):
    """Sliders for input size, kernel and pooling window -> every layer's shape and fc1's in_features."""

    def __init__(self):
        style = {"description_width": "initial"}
        controls = {
            "size": widgets.IntSlider(value=32, min=8, max=64, description="input size", style=style),
            "kernel": widgets.IntSlider(value=5, min=1, max=9, description="conv kernel", style=style),
            "pool": widgets.IntSlider(value=2, min=1, max=4, description="pool window", style=style),
        }
        super().__init__(controls)

    def compute(self, size, kernel, pool):
        stages = stage_shapes(size, kernel, pool)
        scale = 76 / size  # the input spans 76 px; every later map is drawn to the same scale
        panels = [Panel(name, draw.captioned(_stack(shape, scale, _RGB if name == "input" else _TAB20),
                                         "x".join(map(str, shape)))) for name, shape in stages]
        c, h, w = stages[-1][1]
        panels.append(Panel("flatten", draw.captioned(_vector((c, h, w)), f"{c}x{h}x{w} = {c * h * w}")))
        self.text = _shape_table(stages, kernel, pool)
        return panels


def _shape_table(stages, kernel, pool):
    """HTML: each stage's operation, the output-size arithmetic and its shape, then fc1's line."""
    rows, previous = [], None
    for name, (c, h, w) in stages:
        if name.startswith("conv"):
            op, rule = f"Conv2d({previous[0]}, {c}, {kernel})", f"{previous[1]} − {kernel} + 1 = {h}"
        elif name.startswith("pool"):
            op, rule = f"MaxPool2d({pool})", f"⌊{previous[1]} / {pool}⌋ = {h}"
        else:
            op, rule = "", ""
        rows.append(f"<tr><td>{name}</td><td><code>{op}</code></td><td>{rule}</td>"
                    f"<td>{c}×{h}×{w}</td><td>{c * h * w:,}</td></tr>")
        previous = (c, h)
    c, h, w = stages[-1][1]
    n = c * h * w
    head = "<tr><th>stage</th><th>layer</th><th>output size</th><th>shape</th><th>values</th></tr>"
    fc1 = (f"<p>flatten: {c} × {h} × {w} = <b>{n:,}</b> numbers per image, so "
           f"<code>fc1 = nn.Linear({c} * {h} * {w}, 120)</code> = <code>nn.Linear({n}, 120)</code> "
           f"with {n * 120 + 120:,} parameters.</p>")
    return f"<table>{head}{''.join(rows)}</table>{fc1}"


class TemperatureExplorer(LiveView):
    """A temperature slider over one image's logits -> bars of softmax(logits / T) and a table."""

    TEMPERATURES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)

    def __init__(self, logits=None, classes=CLASSES):
        if logits is None:
            logits = trace_fc1(seeded_net(), square_photo(32)[None])[1][0]
        if not isinstance(logits, torch.Tensor) or logits.dim() != 1 or len(logits) != len(classes):
            got = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
            raise ValueError(f"expected one image's logits, a tensor of shape ({len(classes)},), got {got}")
        self.logits = logits.detach().double()
        self.classes = tuple(classes)
        self.probabilities = None
        self._labels = self._label_strip()
        slider = widgets.SelectionSlider(options=self.TEMPERATURES, value=1.0, description="temperature T")
        super().__init__({"temperature": slider})

    def _label_strip(self, slot=34):
        """The class names under the bars, drawn once."""
        strip = Image.new("RGB", (len(self.classes) * slot + 8, 14), "white")
        pen = ImageDraw.Draw(strip)
        for i, name in enumerate(self.classes):
            pen.text((4 + i * slot + 1, 1), name[:6], fill=(0, 0, 0))
        return np.asarray(strip)

    def compute(self, temperature):
        probabilities = torch.softmax(self.logits / temperature, dim=0)
        self.probabilities = probabilities
        slot, height = 34, 150
        bars = np.full((height + 8, len(self.classes) * slot + 8, 3), 255, np.uint8)
        top = int(probabilities.argmax())
        for i, p in enumerate(probabilities.tolist()):
            bar = max(1, round(p * height))
            bars[height + 4 - bar:height + 4, 4 + i * slot + 4:4 + (i + 1) * slot - 4] = \
                (230, 120, 30) if i == top else (70, 120, 200)
        bars[height + 4 - round(height / len(self.classes)), 4:-4] = 90  # the uniform 1/K line
        self.text = self._table(temperature, probabilities, top)
        return [Panel(f"softmax(logits / T): bar height = probability, grey line = 1/{len(self.classes)}",
                      np.concatenate([bars, self._labels]))]

    def _table(self, temperature, probabilities, top):
        """HTML: class, logit, logit / T and probability, the top class in bold, and the sum."""
        rows = "".join(
            f"<tr{' style=font-weight:bold' if i == top else ''}><td>{html.escape(name)}</td>"
            f"<td>{z:+.4f}</td><td>{z / temperature:+.3f}</td><td>{p:.4f}</td></tr>"
            for i, (name, z, p) in enumerate(zip(self.classes, self.logits.tolist(), probabilities.tolist())))
        head = "<tr><th>class</th><th>logit</th><th>logit / T</th><th>probability</th></tr>"
        return (f"<table>{head}{rows}</table><p>T = {temperature:g}: probabilities sum to "
                f"{float(probabilities.sum()):.6f}; predicted class (argmax) = {html.escape(self.classes[top])}.</p>")


class NeuronExplorer(LiveView):
    """Pick an fc1 neuron and an image -> its 400 weights as 16 maps of 5x5, its input and its activation."""

    def __init__(self, net=None, images=None):
        self.net = net if net is not None else seeded_net()
        images = images if images is not None else sample_images()
        for name, image in images.items():
            check_image(image, channels=3, name=name)
            if tuple(image.shape) != (3, 32, 32):
                raise ValueError(f"{name} should have shape (3, 32, 32), got {tuple(image.shape)}")
        features, _ = trace_fc1(self.net, torch.stack(list(images.values())))
        c = self.net.conv2.out_channels
        side = round((features.shape[1] // c) ** 0.5)
        self.features = {name: f.view(c, side, side) for name, f in zip(images, features)}
        self.weights = self.net.fc1.weight.detach().view(-1, c, side, side)
        self.bias = self.net.fc1.bias.detach()
        with torch.no_grad():
            self.outputs = dict(zip(images, self.net.fc1(features)))  # every neuron's activation, per image
        self._fixed = {  # what changes only with the image, drawn once
            name: [Panel("input image (3x32x32)", draw.picture(image, "image", 128)),
                   Panel(f"what fc1 sees: {c} maps of {side}x{side}", maps_picture(self.features[name], "activation"))]
            for name, image in images.items()}
        self.activation = None
        controls = {
            "neuron": widgets.IntSlider(value=0, min=0, max=len(self.weights) - 1, description="fc1 neuron"),
            "image": widgets.Dropdown(options=list(images), value=next(iter(images)), description="input"),
        }
        super().__init__(controls)

    def compute(self, neuron, image):
        x, w = self.features[image], self.weights[neuron]
        contributions = w * x
        total = float(contributions.sum())
        self.activation = total + float(self.bias[neuron])
        everyone = self.outputs[image]
        rank = int((everyone > everyone[neuron]).sum()) + 1
        self.text = (f"<p>neuron {neuron}: w · x = {total:+.4f} (the sum of the {x.numel()} products on the right), "
                     f"+ bias {float(self.bias[neuron]):+.4f} = <b>{self.activation:+.4f}</b>; after ReLU "
                     f"<b>{max(0.0, self.activation):.4f}</b>. For this input it ranks {rank} of "
                     f"{len(everyone)} fc1 neurons (1 = most active).</p>")
        return [
            *self._fixed[image],
            Panel("this neuron's weights (red +, blue -)", maps_picture(w, "signed")),
            Panel("weight x input: each product", maps_picture(contributions, "signed")),
        ]


def check_in_features(function):
    """Exercise: function(size, kernel, pool) -> the in_features fc1 needs for a size x size input."""
    cases = [(32, 5, 2), (28, 5, 2), (64, 5, 2), (32, 3, 2), (40, 3, 3), (20, 1, 1)]
    return check_cases(function, cases, in_features, "You can size fc1 for any input now.",
                  "each conv takes kernel - 1 away from the side, each pool divides it by the window "
                  "(rounding down, //); at the end multiply conv2's 16 channels by the side squared.")


def check_softmax(function):
    """Exercise: function(logits (N, K)) -> probabilities (N, K), stable even for huge logits."""
    gen = torch.Generator().manual_seed(3)
    cases = [(torch.randn(4, 10, generator=gen),), (torch.randn(3, 5, generator=gen) * 1000,),
             (torch.tensor([[1000.0, 999.0, -1000.0]]),), (torch.tensor([[-5000.0, -5001.0]]),)]
    return check_cases(function, cases, lambda z: F.softmax(z, dim=-1), "Stable, even at logits of 1000.",
                  "exp of each row minus its max (z - z.max(-1, keepdim=True).values), divided by its row "
                  "sum (keepdim=True). Without the max, exp(1000) overflows to inf and inf / inf is nan.")


def check_linear_parameters(function):
    """Exercise: function(in_features, out_features) -> how many numbers nn.Linear learns."""
    cases = [(400, 120), (120, 84), (84, 10), (3, 1)]
    reference = lambda i, o: sum(p.numel() for p in nn.Linear(i, o).parameters())
    return check_cases(function, cases, reference, "That is why fc1 holds most of Net's parameters.",
                  "one weight per (input, output) pair, plus one bias per output.")


def check_flat_position(function):
    """Exercise: function(c, i, j, height, width) -> where maps[c, i, j] lands in torch.flatten(maps)."""
    cases = [(0, 0, 0, 5, 5), (0, 0, 1, 5, 5), (0, 1, 0, 5, 5), (1, 0, 0, 5, 5), (15, 4, 4, 5, 5), (2, 3, 1, 4, 6)]
    reference = lambda c, i, j, h, w: int(torch.arange((c + 1) * h * w).view(c + 1, h, w)[c, i, j])
    return check_cases(function, cases, reference, "Channel first, then row, then column.",
                  "every channel before c contributes height * width numbers, every row before i in "
                  "channel c contributes width, then add j.")
