"""Notebook 04 (the whole network · 整个网络): feature maps, receptive fields, pictures, widget, exercise checks."""

import copy

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from . import draw
from .checks import check_cases, check_choice, check_prediction
from .data import OFFLINE_CLASSES, make_shapes, normalize, to_pictures
from .i18n import tr
from .net import Net, class_name
from .view import LiveView, Panel

LAYERS = ("conv1", "pool1", "conv2", "pool2")


@torch.no_grad()
def feature_maps(net, inputs):
    """(N, 3, 32, 32) network inputs -> {layer: (N, C, H, W) maps} after conv1+ReLU, pool1, conv2+ReLU, pool2."""
    conv1 = F.relu(net.conv1(inputs))
    pool1 = net.pool(conv1)
    conv2 = F.relu(net.conv2(pool1))
    pool2 = net.pool(conv2)
    return {"conv1": conv1, "pool1": pool1, "conv2": conv2, "pool2": pool2}


def receptive_windows():
    """{layer: (stride, size)}: a unit at (y, x) of each layer sees input rows and columns [stride*y, stride*y + size).

    Measured, not derived: autograd finds which input pixels reach units (0, 0) and (0, 1) of each layer,
    in a copy of Net's layers with all-ones weights and average pooling over the same 2x2 windows (a max
    pool passes the gradient to one input only, but a unit can be influenced by its whole window).
    """
    net = Net()
    pool = nn.AvgPool2d(net.pool.kernel_size, net.pool.stride)
    for conv in (net.conv1, net.conv2):
        nn.init.ones_(conv.weight)
    image = torch.ones(1, 3, 32, 32, requires_grad=True)
    maps = {"conv1": net.conv1(image)}
    maps["pool1"] = pool(maps["conv1"])
    maps["conv2"] = net.conv2(maps["pool1"])
    maps["pool2"] = pool(maps["conv2"])
    windows = {}
    for name, output in maps.items():
        lefts, size = [], 0
        for x in (0, 1):
            (grad,) = torch.autograd.grad(output[0, 0, 0, x], image, retain_graph=True)
            columns = grad[0].abs().sum((0, 1)).nonzero().squeeze(1)
            lefts.append(int(columns[0]))
            size = int(columns[-1]) - int(columns[0]) + 1
        windows[name] = (lefts[1] - lefts[0], size)
    return windows


def show_feature_maps(inputs, maps, label):
    """Draw a (1, 3, H, W) network input, titled `label`, beside its {layer: (1, C, h, w)} maps, one scale a layer."""
    arrays, titles = [to_pictures(inputs[0].cpu())], [tr("input: {label}", label=label)]
    for layer, output in maps.items():
        output = output[0].cpu()
        tiles = [draw.picture(m, "activation", size=64, vmin=0, vmax=output.max().item()) for m in output]
        arrays.append(torch.from_numpy(draw.grid(tiles, columns=3 if len(tiles) <= 6 else 4)).permute(2, 0, 1) / 255)
        titles.append(tr("{layer}: {count} maps of {h}x{w}", layer=layer, count=len(output), h=output.shape[1],
                         w=output.shape[2]))
    draw.show(arrays, titles, columns=len(arrays), size=3)


def show_confusion(matrix, classes):
    """Draw a (C, C) confusion matrix (rows true classes, columns predicted) with its counts."""
    import matplotlib.pyplot as plt

    matrix = np.asarray(matrix)
    _, ax = plt.subplots(figsize=(6.5, 5.5))
    ax.imshow(matrix, cmap="Blues")
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(column, row, count, ha="center", va="center", fontsize=7,
                    color="white" if count > matrix.max() / 2 else "black")
    ax.set(xticks=range(len(classes)), yticks=range(len(classes)), xlabel=tr("predicted class"),
           ylabel=tr("true class"), title=tr("Confusion matrix, {count:,} test images", count=int(matrix.sum())))
    ax.set_xticklabels(classes, rotation=45, ha="right")
    ax.set_yticklabels(classes)
    plt.show()


class FeatureMapExplorer(LiveView):
    """Pick an image, a layer and a channel, before or after training: the input, that feature map, and all maps.

    Every feature map is computed once in __init__ for both networks, so a change only draws pictures.
    """

    def __init__(self, before, after, images, labels, classes):
        if images.dim() != 4 or tuple(images.shape[1:]) != (3, 32, 32) or images.dtype != torch.uint8:
            raise ValueError(tr("images should be (K, 3, 32, 32) uint8, got {shape} {dtype}", shape=tuple(images.shape),
                                dtype=images.dtype))
        if labels.shape != images.shape[:1]:
            raise ValueError(tr("expected one label per image ({count}), got shape {shape}", count=len(images),
                                shape=tuple(labels.shape)))
        inputs = normalize(images)
        self.maps, self.probabilities = {}, {}
        for name, net in (("after training", after), ("before training", before)):
            net = copy.deepcopy(net).cpu().eval()  # the learner's net stays where it is
            self.maps[name] = {layer: maps.numpy() for layer, maps in feature_maps(net, inputs).items()}
            with torch.no_grad():
                self.probabilities[name] = torch.softmax(net(inputs), 1)
        self.inputs = [draw.colorize(image / 255) for image in images.float()]
        self.labels, self.classes, self.windows = labels.tolist(), tuple(classes), receptive_windows()
        options = [(f"{i}: {class_name(self.classes[label])}", i) for i, label in enumerate(self.labels)]
        self.network_names = {"after training": tr("after training"), "before training": tr("before training")}
        networks = [(label, name) for name, label in self.network_names.items()]
        controls = {
            "image": widgets.Dropdown(options=options, value=0, description=tr("image")),
            "layer": widgets.ToggleButtons(options=LAYERS, value="conv1", description=tr("layer"),
                                           style={"button_width": "auto"}),  # as wide as each name
            "channel": widgets.IntSlider(value=0, min=0, max=15, description=tr("channel")),
            "network": widgets.ToggleButtons(options=networks, value="after training", description=tr("weights"),
                                             style={"button_width": "auto"}),
        }
        super().__init__(controls)

    def compute(self, image, layer, channel, network):
        maps = self.maps[network][layer][image]  # (C, H, W)
        with self.hold():
            self.controls["channel"].max = len(maps) - 1  # a learner cannot pick a channel the layer lacks
        channel = min(channel, len(maps) - 1)
        top = float(maps.max()) or 1.0  # one colour scale for the whole layer: channels compare
        chosen = maps[channel]
        one = draw.picture(chosen, "activation", size=224, vmin=0, vmax=top)
        small = [draw.picture(m, "activation", size=96 if len(maps) <= 6 else 64, vmin=0, vmax=top) for m in maps]
        factor = small[channel].shape[0] // chosen.shape[0]
        draw.draw_box(small[channel], 0, 0, *chosen.shape, factor, color=(255, 60, 60))
        y, x = np.unravel_index(chosen.argmax(), chosen.shape)
        stride, size, scale = *self.windows[layer], draw.scaled(7)
        picture = draw.draw_box(draw.upscale(self.inputs[image], scale), stride * y, stride * x, size, size, scale)
        label, p = self.labels[image], self.probabilities[network][image]
        guess = int(p.argmax())
        self.text = tr(
            "<b>{layer}</b>, channel {channel} of {channels}: a {h}x{w} map, strongest response {peak:.2f} (its "
            "window in the input is boxed); {zero:.0%} of it is zero.<br>Network {network}: predicts <b>{guess}</b> "
            "({p:.0%}); the true class {truth} gets {q:.0%}.", layer=layer, channel=channel, channels=len(maps),
            h=chosen.shape[0], w=chosen.shape[1], peak=chosen.max(), zero=np.mean(chosen == 0),
            network=self.network_names[network], guess=class_name(self.classes[guess]), p=p[guess],
            truth=class_name(self.classes[label]), q=p[label])
        legend = ("activation", 0, top)
        return [Panel(tr("input"), picture),
                Panel(tr("{layer}, channel {channel}", layer=layer, channel=channel), one, legend),
                Panel(tr("all {count} channels", count=len(maps)),
                      draw.grid(small, columns=3 if len(small) <= 6 else 4), legend)]


def example_explorer(seed=0):
    """A FeatureMapExplorer on two differently seeded untrained Nets and ten offline images (benchmarks, tests)."""
    nets = []
    for offset in (0, 1):
        torch.manual_seed(seed + offset)
        nets.append(Net())
    images, labels = make_shapes(10, seed)
    return FeatureMapExplorer(*nets, images, labels, OFFLINE_CLASSES)


# ---------------------------------------------------------------- exercise checks

def _lenet_multiply_adds(channels1, channels2):
    """Multiply-adds per image of Net with conv1 -> channels1 and conv2 -> channels2, counted by PyTorch."""
    net = Net()
    net.conv1, net.conv2 = nn.Conv2d(3, channels1, 5), nn.Conv2d(channels1, channels2, 5)
    net.fc1 = nn.Linear(channels2 * 5 * 5, 120)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        net(torch.zeros(1, 3, 32, 32))
    return counter.get_total_flops() // 2  # PyTorch counts a multiply-add as 2 FLOPs


def check_lenet_multiply_adds(lenet_multiply_adds):
    """Exercise: lenet_multiply_adds(channels1, channels2) -> multiply-adds per image of a Net with those channels."""
    hint = tr("add up the five layers: a convolution costs out_channels x out_height x out_width x in_channels x k x "
              "k (the maps stay 28x28 and 10x10 whatever the channels), a linear layer in x out, pooling none.")
    return check_cases(lenet_multiply_adds, ((6, 16), (3, 8), (12, 32), (1, 1), (16, 6)), _lenet_multiply_adds,
                       tr("conv2 costs in_channels x out_channels: doubling both channel counts quadruples it."), hint)


def conv2_multiply_adds(side):
    """Multiply-adds of Net's conv2 for one side x side input image, counted by PyTorch on Net's own layers."""
    net = Net()
    with torch.no_grad():
        pooled = net.pool(net.conv1(torch.zeros(1, 3, side, side)))
        with FlopCounterMode(display=False) as counter:
            net.conv2(pooled)
    return counter.get_total_flops() // 2


def check_conv2_prediction(guess):
    """Exercise (predict, then check): conv2's multiply-adds per image for 64x64 input images instead of 32x32."""
    small, large = conv2_multiply_adds(32), conv2_multiply_adds(64)
    conv1, pool1 = 64 - 4, (64 - 4) // 2
    side = pool1 - 4
    mistakes = {
        4 * small: tr("Four times 32x32's count assumes conv2's map grows 4x, but a 5x5 kernel loses 4 rows and "
                      "columns at any size."),
        small: tr("{small:,} is conv2's count for 32x32 images: the maps grow with the image.", small=small),
    }
    explain = tr("64x64 -> conv1 {conv1}x{conv1} -> pool {pool1}x{pool1} -> conv2 {side}x{side}: 16 x {side} x {side} "
                 "x 6 x 5 x 5 = {large:,}, {ratio:.2f}x the 32x32 count ({small:,}), not 4x: the 4 rows and columns "
                 "each 5x5 kernel loses weigh less in a bigger image. (fc1 would need {inputs} inputs, not 400: Net "
                 "itself refuses 64x64 images.)", conv1=conv1, pool1=pool1, side=side, large=large,
                 ratio=large / small, small=small, inputs=16 * (side // 2) ** 2)
    return check_prediction(guess, large, explain, mistakes=mistakes)


def zero_grad_options():
    """The options of check_zero_grad, letter -> why it is right or wrong, with gradients PyTorch accumulates here."""
    weight = torch.ones(1, requires_grad=True)
    (2 * weight).sum().backward()
    once = weight.grad.item()
    (2 * weight).sum().backward()  # no zero_grad in between
    twice = weight.grad.item()
    return {
        "A": tr("Right: backward adds each new gradient to the one in .grad (so that the gradients of several losses "
                "can be summed), and zero_grad empties it. Without it, the step after batch n follows the sum of n "
                "batches' gradients, old ones included, computed where the weights no longer are."),
        "B": tr("backward adds to .grad, it does not replace it: after one backward of 2w, w.grad holds {once}; "
                "after a second, {twice}. That is why zero_grad exists.", once=once, twice=twice),
        "C": tr("No error: PyTorch adds the new gradients to the old ones without a word (w.grad goes from {once} to "
                "{twice}), which is what makes this mistake quiet.", once=once, twice=twice),
        "D": tr("The weights still change at every step, only in the direction of the summed gradients."),
    }


def check_zero_grad(answer):
    """Exercise (why): the letter of what happens when the training loop leaves out optimizer.zero_grad()."""
    return check_choice(answer, zero_grad_options(), "A")


def colour_share(kernels):
    """(out, 3, k, k) kernels -> (out,) fraction of their squared weights in the differences between colours."""
    colour = kernels - kernels.mean(1, keepdim=True)  # each colour slice minus the mean of the three
    return colour.pow(2).sum((1, 2, 3)) / kernels.pow(2).sum((1, 2, 3))


def untrained_colour_share(layers=100):
    """The mean colour share of the kernels of `layers` untrained conv1 layers (seeded; the caller's RNG untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return torch.cat([colour_share(nn.Conv2d(3, 6, 5).weight.detach()) for _ in range(layers)]).mean().item()


def control_options():
    """The options of check_control, letter -> why it is right or wrong, with the untrained share measured here."""
    share, layers = untrained_colour_share(), 100
    return {
        "A": tr("Right: of the three directions the red, green and blue weights at a pixel span, one is brightness "
                "and two are differences between colours, so untrained kernels already put {share:.0%} of their "
                "squared weights there (measured on {layers} untrained conv1 layers). 70% says something about "
                "training only beside that number.",
                share=share, layers=layers),
        "B": tr("More epochs measure more training, not what training did: there is still no untrained share to "
                "compare with."),
        "C": tr("The test accuracy says how well the whole network classifies, not where conv1's weights lie."),
        "D": tr("Over half is not the question: untrained kernels already put {share:.0%} of their squared weights "
                "there (measured on {layers} untrained conv1 layers), so 70% alone cannot show what training did.",
                share=share, layers=layers),
    }


def check_control(answer):
    """Exercise (why): the letter of what to measure before saying training taught conv1 to look at colour."""
    return check_choice(answer, control_options(), "A")


def _most_confused_cases():
    """Confusion matrices with one largest off-diagonal count (and larger counts on the diagonal)."""
    g = torch.Generator().manual_seed(4)
    cases = []
    for classes, true, predicted in ((3, 2, 0), (3, 0, 2), (10, 3, 5), (10, 8, 1), (4, 1, 3)):
        matrix = torch.randint(0, 10, (classes, classes), generator=g)
        matrix.fill_diagonal_(100)
        matrix[true, predicted] = 50
        cases.append((matrix, (true, predicted)))
    return cases


def most_confused_reference(matrix):
    """(C, C) confusion matrix -> (true class, predicted class) of its largest off-diagonal count."""
    mistakes = matrix - torch.diag(matrix.diag())
    return divmod(int(mistakes.argmax()), len(matrix))


def check_most_confused(most_confused):
    """Exercise: most_confused(matrix) -> (true class, predicted class) of the largest mistake count."""
    hint = tr("the diagonal holds the right answers, so leave it out (e.g. matrix - torch.diag(matrix.diag())); rows "
              "are true classes and columns predicted ones: divmod(index, number of classes) gives (row, column).")
    cases = [(matrix,) for matrix, _ in _most_confused_cases()]
    return check_cases(most_confused, cases, most_confused_reference,
                       tr("That pair is where to look first: show a few of those images and see why."), hint)
