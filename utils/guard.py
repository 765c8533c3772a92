"""Argument checks for the notebooks' from-scratch layers: agree with PyTorch, or say what is supported.

The teaching code stays short: it calls one of these at its top instead of checking inline.
"""

import torch

from .i18n import tr


def pair(value, name, low=0):
    """An int or a pair of ints (what nn.Conv2d stores) -> (int, int), each >= low; a clear error otherwise."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(values) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise TypeError(tr("{name} should be an int or a pair of ints (rows, columns), got {value!r}", name=name,
                           value=value))
    if any(v < low for v in values):
        raise ValueError(tr("{name} should be at least {low}, got {value!r}", name=name, low=low, value=value))
    return values


def batched(x, name="x"):
    """A (C, H, W) or (N, C, H, W) float tensor -> ((N, C, H, W) tensor, True if a batch axis was added)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(tr("{name} should be a torch.Tensor, got {kind}", name=name, kind=type(x).__name__))
    if x.dim() not in (3, 4):
        raise ValueError(tr("{name} should have shape (N, C, H, W) or (C, H, W), got {shape}", name=name,
                            shape=tuple(x.shape)))
    if not x.is_floating_point():
        raise TypeError(tr("{name} should hold floats (as PyTorch's layers require), got dtype {dtype}: try x.float()",
                           name=name, dtype=x.dtype))
    return (x, False) if x.dim() == 4 else (x[None], True)
