"""Notebook 02's lesson: its core path runs on its own, and every measured claim about max pooling fails on its control.

Each control test runs the notebook's own cells (tests/notebook_code.run_cells), puts the control in place of max
pooling (average pooling, or plain subsampling, at the same output size; no pooling at all for the train/test gap; a
1-pixel shift where the lesson says 2) and runs the cell that asserts the claim: it must raise AssertionError. So the
notebook's asserts can fail, and a claim that stopped depending on the max would be caught. The checks that prove the
lesson's code right (they were cells of the lesson) live here too.
"""

import json

import core_path
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from notebook_code import NOTEBOOKS, run_cells

from utils.net import Net
from utils.pool import PoolingExplorer, edge_map

NB = "02_max_pooling.ipynb"
CELLS = json.loads((NOTEBOOKS / NB).read_text())["cells"]
SEE_IT, BACKWARD, BACKWARD_ASSERTS, FEATURES, SHIFT, ONE_CELL, TOLERANCE = (
    "c73cfbbf", "e163221a", "0be3c1d7", "5db59ec2", "e9a24264", "ad6c8ed8", "06ba7972")
TRAINING, BEST, GAP, MACS = "d9d32f08", "4d23c50f", "5e6f1a2b", "87060a55"
AVERAGE, SUBSAMPLING = nn.AvgPool2d(2), nn.MaxPool2d(1, stride=2)


def core_code():
    """The ids of the code cells a student runs on the core path, in order (introduction and core sections)."""
    return [cell["id"] for _, kind, kept in core_path.sections(CELLS) if kind == "core"
            for cell in kept if cell["cell_type"] == "code"]


@pytest.fixture(autouse=True)
def no_figures(monkeypatch):
    """The cells draw with matplotlib: nowhere to show them here."""
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: plt.close("all"))


@pytest.fixture(scope="module")
def lesson():
    """The namespace after the core path, run alone: no optional cell, deep dive or solution ran before."""
    import matplotlib.pyplot as plt

    show = plt.show
    plt.show = lambda *args, **kwargs: plt.close("all")
    try:
        return run_cells(NB, *core_code())
    finally:
        plt.show = show


def with_max_replaced(lesson, layer):
    """A copy of the lesson's namespace whose "max pooling" is `layer` (the control), the other layers unchanged."""
    return {**lesson, "layers": {**lesson["layers"], "max pooling": layer}}


def fails(namespace, *cell_ids, match=None):
    """Run cells on a namespace holding a control: the last one's assert must fail."""
    *setup, asserting = cell_ids
    run_cells(NB, *setup, namespace=namespace)
    with pytest.raises(AssertionError, match=match):
        run_cells(NB, asserting, namespace=namespace)


def test_the_core_path_runs_without_any_optional_cell(lesson):
    assert {"layers", "edges", "same", "results", "macs"} <= set(lesson)
    assert "max_pool2d_scratch" not in lesson, "the core path must not need the optional from-scratch section"


# ---- feature selection: every window holding an edge passes it on; not so for the controls ----------------------

@pytest.mark.parametrize("control", [AVERAGE, SUBSAMPLING], ids=["average pooling", "subsampling"])
def test_keeping_every_edge_is_the_maxs_doing(lesson, control):
    run_cells(NB, FEATURES, namespace={**lesson})  # as in the notebook: passes
    fails(with_max_replaced(lesson, control), FEATURES, match="never drops an edge")


def test_keeping_the_strongest_response_is_the_maxs_doing(lesson):
    run_cells(NB, SEE_IT, namespace={**lesson})
    fails(with_max_replaced(lesson, AVERAGE), SEE_IT, match="strongest response")


def test_one_input_in_four_gets_gradient_only_through_the_max(lesson):
    run_cells(NB, BACKWARD, BACKWARD_ASSERTS, namespace={**lesson})
    fails(with_max_replaced(lesson, AVERAGE), BACKWARD, BACKWARD_ASSERTS, match="1 input in 4")


# ---- shift robustness: a quarter unchanged after 1 pixel, none of the controls'; 2 pixels move it a cell -------------

@pytest.mark.parametrize("control", [AVERAGE, SUBSAMPLING], ids=["average pooling", "subsampling"])
def test_outputs_unchanged_by_a_one_pixel_shift_are_the_maxs_doing(lesson, control):
    fails(with_max_replaced(lesson, control), SHIFT, match="about a quarter")


def test_a_shift_of_one_pixel_does_not_move_the_pooled_map_by_a_cell(lesson):
    def shifted_less(feature_map, shift, width=212):
        return lesson["shifted"](feature_map, min(shift, 1), width)  # a 1-pixel shift where the cell asks for 2

    run_cells(NB, ONE_CELL, namespace={**lesson})
    fails({**lesson, "shifted": shifted_less}, ONE_CELL, match="exactly one cell")


@pytest.mark.parametrize("control", [AVERAGE, SUBSAMPLING], ids=["average pooling", "subsampling"])
def test_with_a_tolerance_max_pooling_still_leads(lesson, control):
    namespace = {**lesson}
    run_cells(NB, TOLERANCE, namespace=namespace)
    controlled = with_max_replaced(lesson, control)
    fails({**controlled, "compared": {**controlled["layers"], "no pooling": nn.Identity()}}, TOLERANCE)


# ---- generalization: same fc1, three seeds; max tests best, and the gaps are alike --------------------------------

def test_testing_best_is_the_maxs_doing(lesson):
    """Train again with average pooling in max pooling's place: it cannot beat itself, so the assert fails."""
    fails(with_max_replaced(lesson, AVERAGE), TRAINING, BEST, match="max tests best")


class NetSizedForItsPooling(Net):
    """Net whose fc1 takes what conv2 gives when its pooling is set to nn.Identity (no pooling: 16x24x24 values)."""

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name == "pool" and isinstance(value, nn.Identity):
            super().__setattr__("fc1", nn.Linear(16 * 24 * 24, 120))


def test_the_gap_assert_sees_a_wider_gap_when_there_is_one(lesson):
    """No pooling at all (fc1 23x larger) in subsampling's place: that network memorises more, and the assert that
    the gaps are alike fails, so 'alike' is a measurement, not a tolerance that accepts anything."""
    namespace = {**lesson, "Net": NetSizedForItsPooling, "layers": {**lesson["layers"], "subsampling": nn.Identity()}}
    fails(namespace, TRAINING, GAP, match="gaps are alike")
    gap = namespace["gap"]
    assert gap["subsampling"] > gap["max pooling"] + 0.05, gap


# ---- what the lesson states and no longer proves in a cell ------------------------------------------------------

def test_subsampling_is_the_top_left_pixel_of_each_window_and_the_three_layers_agree_in_size(lesson):
    layers, x = lesson["layers"], torch.randn(2, 3, 10, 12)
    assert torch.equal(layers["subsampling"](x), x[..., ::2, ::2]), "a 1x1 window at stride 2 keeps every other pixel"
    assert {tuple(layer(x).shape) for layer in layers.values()} == {(2, 3, 5, 6)}


def test_conv_macs_agrees_with_a_count_by_the_convolution_itself(lesson):
    def counted(conv, x):  # ones convolved with ones: each multiply-add adds exactly 1 to the sum
        return int(F.conv2d(torch.ones_like(x[:1]), torch.ones_like(conv.weight), stride=conv.stride).sum())

    conv_macs, net = lesson["conv_macs"], lesson["net"]
    with torch.no_grad():
        for x in (lesson["pooled"], lesson["conv1_out"], torch.randn(1, 6, 9, 13)):
            assert conv_macs(net.conv2, x) == counted(net.conv2, x)


def test_nets_pooling_has_no_padding_and_sees_no_negative_value():
    net, seen = Net(), []
    hook = net.pool.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0].min().item()))
    with torch.no_grad():
        net(torch.randn(4, 3, 32, 32))
    hook.remove()
    assert net.pool.padding == 0 and len(seen) == 2 and min(seen) >= 0


@pytest.mark.widgets
def test_the_pooling_explorer_shows_the_40x34_edge_map_the_lesson_describes():
    assert tuple(PoolingExplorer().map.shape) == tuple(edge_map(42).shape) == (40, 34)


def test_exactly_one_input_in_four_gets_gradient_on_the_photo_despite_ties():
    edges = edge_map(256)
    tops = edges.unfold(0, 2, 2).unfold(1, 2, 2).flatten(-2).topk(2, dim=-1).values  # each window's two largest
    ties = (tops[..., 0] == tops[..., 1]).sum().item()
    assert 0 < ties < 0.01 * tops[..., 0].numel(), "a few windows hold two equal maxima"

    def receives_gradient(k, s):
        x = edges.clone()[None, None].requires_grad_(True)
        out = F.max_pool2d(x, k, s)
        out.sum().backward()
        return (x.grad != 0).float().mean().item(), out.numel() / edges.numel()

    assert receives_gradient(2, 2)[0] == 1 / 4, "PyTorch picks one winner of a tie: still 1 input in 4"
    overlapping, windows = receives_gradient(3, 2)
    assert overlapping < windows, "overlapping windows: one strong pixel wins several"
