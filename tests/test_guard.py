"""utils.guard: the argument checks the from-scratch layers share."""

import pytest
import torch

from utils import guard


@pytest.mark.parametrize("value, expected", [(2, (2, 2)), ((1, 3), (1, 3)), ([0, 4], (0, 4))])
def test_pair_accepts_an_int_or_a_pair(value, expected):
    assert guard.pair(value, "stride") == expected


@pytest.mark.parametrize("value", [1.5, "2", (1, 2, 3), True, (1, 2.0), None])
def test_pair_refuses_what_is_not_ints_and_names_the_setting(value):
    with pytest.raises(TypeError, match="stride should be an int or a pair of ints"):
        guard.pair(value, "stride")


def test_pair_refuses_values_below_the_low_end():
    with pytest.raises(ValueError, match=r"stride should be at least 1, got \(1, 0\)"):
        guard.pair((1, 0), "stride", low=1)


def test_batched_adds_a_batch_axis_only_when_missing():
    x = torch.zeros(3, 5, 5)
    four, added = guard.batched(x)
    assert four.shape == (1, 3, 5, 5) and added
    same, added = guard.batched(four)
    assert same is four and not added


@pytest.mark.parametrize("x, message", [
    (torch.zeros(5, 5), r"shape \(N, C, H, W\) or \(C, H, W\), got \(5, 5\)"),
    (torch.zeros(1, 3, 5, 5, dtype=torch.long), "should hold floats"),
    ([[1.0]], "should be a torch.Tensor, got list"),
])
def test_batched_names_what_it_expected_and_what_came(x, message):
    with pytest.raises((TypeError, ValueError), match=message):
        guard.batched(x)
