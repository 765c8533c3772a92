"""utils.net.Net: the series network's shapes and size, from the formulas, and a clear input error."""

import re

import pytest
import torch

from utils.net import Net


def conv_out(n, k):
    return n - k + 1


def test_shapes_follow_the_formulas():
    net = Net()
    side = conv_out(conv_out(32, 5) // 2, 5) // 2
    assert net.fc1.in_features == 16 * side * side
    assert net(torch.zeros(7, 3, 32, 32)).shape == (7, 10)


def test_parameter_count_matches_the_layer_formulas():
    layers = [(3, 6, 5), (6, 16, 5)]
    conv = sum(o * i * k * k + o for i, o, k in layers)
    linear = sum(i * o + o for i, o in [(400, 120), (120, 84), (84, 10)])
    assert sum(p.numel() for p in Net().parameters()) == conv + linear


@pytest.mark.parametrize("shape", [(3, 32, 32), (2, 1, 32, 32), (2, 3, 28, 28)])
def test_wrong_input_shape_is_named(shape):
    with pytest.raises(ValueError, match=re.escape(f"(N, 3, 32, 32), got {tuple(shape)}")):
        Net()(torch.zeros(shape))
