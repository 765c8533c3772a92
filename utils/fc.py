"""Notebook 03 (fully connected layer · 全连接层): shapes down to flatten, its widgets and its exercise checks."""

import html
from functools import lru_cache

import ipywidgets as widgets
import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from . import draw
from .checks import check_cases, check_choice, check_prediction, report, what
from .i18n import tr
from .images import check_image, load_photo
from .net import Net, class_name
from .view import LiveView, Panel, SettingError

CLASSES = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")  # CIFAR-10's order
_TAB20 = (np.array(matplotlib.colormaps["tab20"].colors) * 255).astype(np.uint8)
_RGB = np.array([(230, 90, 90), (90, 180, 90), (90, 130, 230)], np.uint8)


def _whole(name, value):
    """`value` as a whole number >= 1, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(tr("{name} should be a whole number, got {kind} {value!r}", name=name,
                           kind=type(value).__name__, value=value))
    if value < 1:
        raise ValueError(tr("{name} should be at least 1, got {value}", name=name, value=value))
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


def image_label(name):
    """A sample image's name as the learner reads it (the English name stays the view's value)."""
    labels = {"photo": tr("photo"), "photo, mirrored": tr("photo, mirrored"),
              "noise (seed 0)": tr("noise (seed {seed})", seed=0), "noise (seed 1)": tr("noise (seed {seed})", seed=1)}
    return labels.get(name, name)


def seeded_net(seed=0):
    """A `Net` initialised from `seed`, leaving the global random state untouched."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return Net()


def disc_and_ring(count=200, seed=4):
    """`count` points in the unit disc (class 0), `count` on a ring 1.5 to 2.5 out (class 1) -> ((2N, 2), (2N,))."""
    gen = torch.Generator().manual_seed(seed)
    radius = torch.cat([torch.rand(count, generator=gen), 1.5 + torch.rand(count, generator=gen)])
    angle = torch.rand(2 * count, generator=gen) * 2 * torch.pi
    points = torch.stack([radius * angle.cos(), radius * angle.sin()], dim=1)
    return points, torch.cat([torch.zeros(count), torch.ones(count)]).long()


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
            raise SettingError(tr("{conv}'s {kernel}x{kernel} kernel does not fit in the {n}x{n} map it gets: "
                                  "{n} - {kernel} + 1 = {left} pixels would be left. Use a smaller kernel or a larger "
                                  "input.", conv=conv, kernel=kernel, n=n, left=n - kernel + 1))
        n = n - kernel + 1
        stages.append((conv, (c, n, n)))
        if n < pool:
            raise SettingError(tr("{pooled}'s {pool}x{pool} window does not fit in the {n}x{n} map it gets: "
                                  "{n} // {pool} = 0 pixels would be left. Use a smaller window or a larger input.",
                                  pooled=pooled, pool=pool, n=n))
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
        raise ValueError(tr("expected (C, h, w) maps, got {got}", got=getattr(maps, "shape", type(maps).__name__)))
    maps = maps.detach().numpy() if isinstance(maps, torch.Tensor) else np.asarray(maps)
    if style == "signed":
        scale = {"vmax": float(np.abs(maps).max()) or 1.0}
    else:
        scale = {"vmin": float(maps.min()), "vmax": float(maps.max())}
    return draw.grid([draw.picture(m, style, size, **scale) for m in maps], columns)


def _stack(shape, scale, colours, canvas=132):
    """One stage (C, H, W) as C squares stacked behind each other, H * scale pixels a side, on a square canvas."""
    c, h, w = shape
    side_h, side_w = max(1, round(h * scale)), max(1, round(w * scale))
    step = min(4, 48 // c) * canvas / 132
    out = np.full((canvas, canvas, 3), 255, np.uint8)
    for k in reversed(range(c)):  # channel 0 in front
        y = x = round(4 + k * step)
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

    module = "flatten_calculator"

    def browser_data(self):
        """The stages' colours: the module computes the shapes and draws each stage (self.stages) itself."""
        return {"rgb": _RGB.tolist(), "tab20": _TAB20.tolist()}

    def __init__(self):
        style = {"description_width": "initial"}
        controls = {
            "size": widgets.IntSlider(value=32, min=8, max=64, description=tr("input size"), style=style),
            "kernel": widgets.IntSlider(value=5, min=1, max=9, description=tr("conv kernel"), style=style),
            "pool": widgets.IntSlider(value=2, min=1, max=4, description=tr("pool window"), style=style),
        }
        self.stages = []
        super().__init__(controls)

    def compute(self, size, kernel, pool):
        stages = stage_shapes(size, kernel, pool)
        scale = draw.scaled(76) / size  # the input spans 76 px; every later map is drawn to the same scale
        self.stages = [Panel(f"{_stage(name)} {'x'.join(map(str, shape))}",
                             _stack(shape, scale, _RGB if name == "input" else _TAB20, draw.scaled(132)))
                       for name, shape in stages]
        c, h, w = stages[-1][1]
        vector = _vector((c, h, w), draw.scaled(140), draw.scaled(6), draw.scaled(2))
        self.stages.append(Panel(tr("flatten {c}x{h}x{w} = {n}", c=c, h=h, w=w, n=c * h * w), vector))
        self.text = _shape_table(stages, kernel, pool)
        diagram = draw.grid([stage.shown() for stage in self.stages], columns=3 if draw.presenting() else None, gap=12)
        return [Panel(tr("shapes from the input to flatten, drawn to one scale"), diagram)]  # one picture, one message


def _stage(name):
    """A stage's name as shown: the input in the chosen language, layers by their names in Net."""
    return tr("input") if name == "input" else name


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
        rows.append(f"<tr><td>{_stage(name)}</td><td><code>{op}</code></td><td>{rule}</td>"
                    f"<td>{c}×{h}×{w}</td><td>{c * h * w:,}</td></tr>")
        previous = (c, h)
    c, h, w = stages[-1][1]
    n = c * h * w
    words = (tr("stage"), tr("layer"), tr("output size"), tr("shape"), tr("values"))
    head = "<tr>" + "".join(f"<th>{word}</th>" for word in words) + "</tr>"
    fc1 = tr("<p>flatten: {c} × {h} × {w} = <b>{n:,}</b> numbers per image, so <code>fc1 = nn.Linear({c} * {h} * "
             "{w}, 120)</code> = <code>nn.Linear({n}, 120)</code> with {parameters:,} parameters.</p>", c=c, h=h, w=w,
             n=n, parameters=n * 120 + 120)
    return f"<table>{head}{''.join(rows)}</table>{fc1}"


class TemperatureExplorer(LiveView):
    """A temperature slider over one image's logits -> bars of softmax(logits / T) and a table."""

    TEMPERATURES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
    module = "temperature_explorer"

    def browser_data(self):
        """The logits, the class names in the learner's language, and the chart's frame per axis (PNG, drawn here with
        the series' font): the module computes softmax and draws the bars."""
        names = tuple(class_name(c) for c in self.classes)
        frames = {}
        for axis in (0.25, 0.5, 1.0):
            frame, left, slot, base, height = _chart_frame(names, axis, draw.text_px(), draw.scaled(160))
            frames[f"{axis:g}"] = {"png": draw.to_png(frame), "left": left, "slot": slot, "base": base,
                                   "height": height}
        return {"logits": self.logits.tolist(), "classes": list(names), "frames": frames}

    def __init__(self, logits=None, classes=CLASSES):
        if logits is None:
            logits = trace_fc1(seeded_net(), square_photo(32)[None])[1][0]
        if not isinstance(logits, torch.Tensor) or logits.dim() != 1 or len(logits) != len(classes):
            got = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
            raise ValueError(tr("expected one image's logits, a tensor of shape ({count},), got {got}",
                                count=len(classes), got=got))
        self.logits = logits.detach().double()
        self.classes = tuple(classes)
        self.probabilities = None
        slider = widgets.SelectionSlider(options=self.TEMPERATURES, value=1.0, description=tr("temperature T"))
        super().__init__({"temperature": slider})

    def compute(self, temperature):
        probabilities = torch.softmax(self.logits / temperature, dim=0)
        self.probabilities = probabilities
        top = int(probabilities.argmax())
        self.text = self._table(temperature, probabilities, top)
        axis = next(a for a in (0.25, 0.5, 1.0) if probabilities[top] <= a)  # tall bars, on a labelled axis
        title = tr("softmax(logits / T): bar height = probability, grey line = 1/{count}", count=len(self.classes))
        return [Panel(title, bar_chart(probabilities.tolist(), [class_name(c) for c in self.classes], top, axis))]

    def _table(self, temperature, probabilities, top):
        """HTML: class, logit, logit / T and probability, the top class in bold, and the sum."""
        rows = "".join(
            f"<tr{' style=font-weight:bold' if i == top else ''}><td>{html.escape(class_name(name))}</td>"
            f"<td>{z:+.4f}</td><td>{z / temperature:+.3f}</td><td>{p:.4f}</td></tr>"
            for i, (name, z, p) in enumerate(zip(self.classes, self.logits.tolist(), probabilities.tolist())))
        head = f"<tr><th>{tr('class')}</th><th>logit</th><th>logit / T</th><th>{tr('probability')}</th></tr>"
        return f"<table>{head}{rows}</table>" + tr(
            "<p>T = {temperature:g}: probabilities sum to {total:.6f}; predicted class (argmax) = {name}.</p>",
            temperature=temperature, total=float(probabilities.sum()), name=html.escape(class_name(self.classes[top])))


def bar_chart(values, names, top, axis):
    """Values in [0, axis] -> an (H, W, 3) bar chart: one bar per name (`top` in orange), a labelled axis, 1/K line."""
    frame, left, slot, base, height = _chart_frame(tuple(names), axis, draw.text_px(), draw.scaled(160))
    chart = frame.copy()
    for i, value in enumerate(values):
        x, y = left + i * slot, base - max(1, round(value / axis * height))
        chart[y:base + 1, x + slot // 6:x + slot - slot // 6] = (230, 120, 30) if i == top else (70, 120, 200)
    uniform = base - round(height / len(names) / axis)
    chart[uniform:uniform + max(1, draw.text_px() // 10), left:left + len(names) * slot] = 90
    return chart


@lru_cache(maxsize=16)
def _chart_frame(names, axis, size, height):
    """What a bar chart keeps from step to step: gridlines, tick labels and names -> (rgb, left, slot, base, height)."""
    slot = max(draw.scaled(40), max(draw.text_width(name, size) for name in names) + size // 2)
    left = draw.text_width(f"{axis / 2:g}", size) + size // 2
    right, base = left + len(names) * slot, size + height
    frame = Image.new("RGB", (right + 4, base + 2 * size), "white")
    pen, font = ImageDraw.Draw(frame), draw.font(size)
    for tick in (0, axis / 2, axis):
        y = base - round(tick / axis * height)
        pen.line([(left, y), (right, y)], fill=(225, 225, 225))
        pen.text((left - size // 4, y), f"{tick:g}", fill=(0, 0, 0), font=font, anchor="rm")
    for i, name in enumerate(names):
        pen.text((left + i * slot + slot / 2, base + size // 4), name, fill=(0, 0, 0), font=font, anchor="mt")
    frame = np.array(frame)
    frame.flags.writeable = False
    return frame, left, slot, base, height


class NeuronExplorer(LiveView):
    """Pick an fc1 neuron and an image -> its 400 weights as 16 maps of 5x5, its input and its activation."""

    def __init__(self, net=None, images=None):
        self.net = net if net is not None else seeded_net()
        images = images if images is not None else sample_images()
        for name, image in images.items():
            check_image(image, channels=3, name=name)
            if tuple(image.shape) != (3, 32, 32):
                raise ValueError(tr("{name} should have shape (3, 32, 32), got {shape}", name=name,
                                    shape=tuple(image.shape)))
        features, _ = trace_fc1(self.net, torch.stack(list(images.values())))
        c = self.net.conv2.out_channels
        side = round((features.shape[1] // c) ** 0.5)
        self.features = {name: f.view(c, side, side) for name, f in zip(images, features)}
        self.weights = self.net.fc1.weight.detach().view(-1, c, side, side)
        self.bias = self.net.fc1.bias.detach()
        with torch.no_grad():
            self.outputs = dict(zip(images, self.net.fc1(features)))  # every neuron's activation, per image
        self.images = images
        self.activation = None
        controls = {
            "neuron": widgets.IntSlider(value=0, min=0, max=len(self.weights) - 1, description=tr("fc1 neuron")),
            "image": widgets.Dropdown(options=[(image_label(name), name) for name in images], value=next(iter(images)),
                                      description=tr("input")),
        }
        super().__init__(controls)

    def compute(self, neuron, image):
        x, w = self.features[image], self.weights[neuron]
        contributions = w * x
        total = float(contributions.sum())
        self.activation = total + float(self.bias[neuron])
        everyone = self.outputs[image]
        rank = int((everyone > everyone[neuron]).sum()) + 1
        self.text = tr("<p>neuron {neuron}: w · x = {total:+.4f} (the sum of the {count} products on the right), + "
                       "bias {bias:+.4f} = <b>{activation:+.4f}</b>; after ReLU <b>{relu:.4f}</b>. For this input it "
                       "ranks {rank} of {neurons} fc1 neurons (1 = most active).</p>", neuron=neuron, total=total,
                       count=x.numel(), bias=float(self.bias[neuron]), activation=self.activation,
                       relu=max(0.0, self.activation), rank=rank, neurons=len(everyone))
        seen, c, side = self.features[image], len(x), x.shape[-1]
        signed = [("signed", -m, m) for m in (float(w.abs().max()) or 1.0, float(contributions.abs().max()) or 1.0)]
        return [
            Panel(tr("input image 3x32x32"), draw.picture(self.images[image], "image", 128)),
            Panel(tr("what fc1 sees: {c} maps of {side}x{side}", c=c, side=side),
                  maps_picture(seen, "activation", size=50), ("activation", float(seen.min()), float(seen.max()))),
            Panel(tr("this neuron's weights"), maps_picture(w, "signed", size=50), signed[0]),
            Panel(tr("weight x input: each product"), maps_picture(contributions, "signed", size=50), signed[1]),
        ]


# ---- what the notebook's from-scratch functions support: the right answer, or a clear error ----

def need_logits(z, dim=-1):
    """Refuse what softmax / logsumexp do not support: z must be a float tensor with values along dim (int or tuple)."""
    if not isinstance(z, torch.Tensor) or not z.is_floating_point():
        raise TypeError(tr("the logits should be a float tensor, got {got}: try torch.tensor(...).float()",
                           got=what(z)))
    for d in dim if isinstance(dim, (tuple, list)) else (dim,):
        if isinstance(d, bool) or not isinstance(d, int) or not -max(z.dim(), 1) <= d < max(z.dim(), 1):
            raise ValueError(tr("dim should be one of the logits' dimensions (shape {shape}), got {dim!r}",
                                shape=tuple(z.shape), dim=d))
        if z.dim() and z.shape[d] == 0:
            raise ValueError(tr("the logits have no values along dim {dim} (shape {shape})", dim=d,
                                shape=tuple(z.shape)))


def need_labels(z, target):
    """Refuse what cross_entropy does not support: (N, C) float logits and (N,) int64 class numbers in 0..C-1."""
    need_logits(z)
    if z.dim() != 2:
        raise ValueError(tr("cross_entropy takes logits of shape (N, C), one row per example, got {shape}: for one "
                            "example use z[None]; other layouts are not supported here", shape=tuple(z.shape)))
    if not isinstance(target, torch.Tensor) or target.dtype != torch.int64:
        raise TypeError(tr("target should hold class numbers as an int64 (torch.long) tensor, got {got}; class "
                           "probabilities (float targets) are not supported here", got=what(target)))
    if target.shape != z.shape[:1]:
        raise ValueError(tr("target should have shape ({rows},), one class number per row of logits, got {shape}",
                            rows=len(z), shape=tuple(target.shape)))
    if len(target) and not 0 <= int(target.min()) <= int(target.max()) < z.shape[1]:
        bad = int(target.min()) if target.min() < 0 else int(target.max())
        raise ValueError(tr("target holds class {bad}, but there are {count} classes: 0 to {last}", bad=bad,
                            count=z.shape[1], last=z.shape[1] - 1))


def need_linear(x, weight, bias=None, grad_out=None):
    """Refuse what linear / linear_backward do not support: float x (..., in), weight (out, in), bias or grad_out."""
    for name, t in (("weight", weight), ("x", x), ("bias", bias), ("grad_out", grad_out)):
        if t is not None and (not isinstance(t, torch.Tensor) or t.dtype != weight.dtype or not t.is_floating_point()):
            raise TypeError(tr("{name} should be a float tensor of weight's dtype ({dtype}), got {got}", name=name,
                               dtype=getattr(weight, "dtype", "?"), got=what(t)))
    out, n = weight.shape[0] if weight.dim() else 0, x.shape[-1] if x.dim() else 0
    if weight.dim() != 2 or x.dim() == 0 or n != weight.shape[1]:
        raise ValueError(tr("expected x (..., in_features) and weight (out_features, in_features), got x {x} and "
                            "weight {weight}", x=tuple(x.shape), weight=tuple(weight.shape)))
    if bias is not None and bias.shape != (out,):
        raise ValueError(tr("bias should have shape ({out},), one per output, got {shape}", out=out,
                            shape=tuple(bias.shape)))
    if grad_out is not None and (x.dim() != 2 or grad_out.shape != (len(x), out)):
        raise ValueError(tr("the backward pass takes a batch x (N, in_features) and grad_out (N, {out}), got x {x} "
                            "and grad_out {grad}", out=out, x=tuple(x.shape), grad=tuple(grad_out.shape)))


def need_lr(lr):
    """Refuse a learning rate torch.optim.SGD refuses: it must be a number >= 0."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr >= 0:
        raise ValueError(tr("the learning rate should be a number >= 0, got {lr!r}", lr=lr))


# ---- exercise checkers ----------------------------------------------------------------------------

SIZES = range(8, 65)  # the square image sizes exercise 1 asks about


def fc1_sizes(sizes=SIZES):
    """The square image sizes among `sizes` whose maps end 16x5x5 in Net's layers: what its fc1 was built for."""
    fits = []
    for size in sizes:
        try:
            fits += [size] if in_features(size) == in_features() else []
        except SettingError:  # a map collapses on the way
            pass
    return fits


def _size_story(size):
    """The side of `size` after each layer of Net, as text -> (text, numbers fc1 would get), or (why not, None)."""
    try:
        stages = stage_shapes(size)
    except ValueError as error:  # a map collapses, or the size is no size
        return str(error), None
    c, h, w = stages[-1][1]
    return tr("{chain}, so the maps are {c}×{h}×{w} = {n} numbers", chain=" → ".join(str(s[1][1]) for s in stages),
              c=c, h=h, w=w, n=c * h * w), c * h * w


def check_fc1_sizes(answer):
    """Exercise (think, then check): the square image sizes from 8 to 64 that Net's fc1 fits, as a list."""
    if answer is ...:
        return report(False, "", tr("write the sizes (a list of whole numbers) in place of `...`, then run the cell "
                                    "again."))
    whole = lambda s: isinstance(s, (int, np.integer)) and not isinstance(s, bool)
    if not (isinstance(answer, (list, tuple, set, range)) and len(answer) <= 1000 and all(map(whole, answer))):
        return report(False, "", tr("the answer should be a list of whole numbers such as [30, 31], got {got}.",
                                    got=what(answer)))
    right, given = fc1_sizes(), sorted({int(s) for s in answer})
    missing, extra = [s for s in right if s not in given], [s for s in given if s not in right]
    if missing:
        story, _ = _size_story(missing[0])
        return report(False, "", tr("{size} is missing: {story}, just what fc1 takes. Each pooling rounds down (//).",
                                    size=missing[0], story=story))
    if extra:
        story, numbers = _size_story(extra[0])
        said = tr("{size} does not fit: {story}", size=extra[0], story=story)
        return report(False, "", said if numbers is None else tr("{said}, but fc1 takes {n}.", said=said,
                                                                 n=in_features()))
    return report(True, tr("{sizes}: each pooling rounds down, so these sizes all end in 5×5 maps. Any other size "
                           "needs another fc1, or a layer that pools to a fixed size first.",
                           sizes=", ".join(map(str, right))), "")


def check_uniform_loss(guess):
    """Exercise (predict, then check): the cross-entropy when all 10 logits are equal."""
    measured = F.cross_entropy(torch.zeros(1, len(CLASSES)), torch.tensor([0])).item()
    mistakes = {0.1: tr("0.1 is the probability of the right class; the loss is minus its log."),
                0: tr("a loss of 0 needs probability 1 on the right class; here it gets only 1/10."),
                1: tr("1 would be -log(1/e): the loss is -log(1/10)."),
                10: tr("10 is the number of classes; the loss is its natural log.")}
    return check_prediction(guess, measured, tr("Equal logits give every class 1/10, and -log(1/10) = ln 10 ≈ 2.303: "
                                                "an untrained classifier starts near this loss."),
                            tolerance=0.01, mistakes=mistakes)


def no_softmax_options():
    """The options of check_no_softmax, letter -> why it is right or wrong, in the chosen language."""
    return {
        "A": tr("Right: nn.CrossEntropyLoss applies log_softmax itself; a softmax in forward would be applied twice, "
                "squashing the logits into [0, 1] and shrinking the gradients."),
        "B": tr("No: softmax is cheap (one exp per class); speed is not the reason."),
        "C": tr("No: softmax keeps the order of the scores, so the argmax (the predicted class) is the same with or "
                "without it; it does not make the prediction more accurate."),
        "D": tr("No: a softmax is differentiable and backpropagation goes through it; the trouble is that the loss "
                "already has one inside it."),
    }


def check_no_softmax(answer):
    """Exercise (why): why Net's forward returns logits and has no softmax."""
    return check_choice(answer, no_softmax_options(), "A")


def _ce_gradient(z, target):
    """Autograd's gradient of the mean cross-entropy with respect to the (N, C) logits."""
    z = z.detach().clone().requires_grad_()
    F.cross_entropy(z, target).backward()
    return z.grad


def check_ce_gradient(function):
    """Exercise (build): function(logits (N, C), target (N,)) -> d(mean cross-entropy)/d(logits), (N, C)."""
    gen = torch.Generator().manual_seed(7)
    cases = [(torch.randn(n, c, generator=gen, dtype=torch.float64) * s, torch.randint(c, (n,), generator=gen))
             for n, c, s in ((1, 3, 1.0), (4, 10, 1.0), (6, 5, 30.0), (3, 2, 1000.0))]
    return check_cases(function, cases, _ce_gradient,
                       tr("The gradient is the prediction minus the truth, per example."),
                       tr("differentiate -z[y] + logsumexp(z): each row gets softmax(z) minus 1 at the right class "
                          "(F.one_hot(target, C)); the mean over N rows divides everything by N. Use a stable "
                          "softmax."))
