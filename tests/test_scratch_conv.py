"""Notebook 01's from-scratch convolutions: on any input, PyTorch's answer (values, shape, dtype) or a clear refusal."""

import pytest
import torch
import torch.nn.functional as F
from notebook_code import check_every_sample, definitions, pytorch_samples

code = definitions("01_convolution.ipynb")
CONV2DS = [code["conv2d_loops"], code["conv2d_im2col"]]


def randn(*shape, dtype=torch.float64, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


@pytest.mark.parametrize("conv2d", CONV2DS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("settings", [dict(), dict(stride=(2, 1)), dict(padding=(0, 2)), dict(dilation=(1, 2)),
                                      dict(stride=[3, 2], padding=[1, 0], dilation=[2, 1]), dict(padding="valid"),
                                      dict(padding="same", dilation=(2, 1))])
def test_unbatched_input_and_pair_settings_equal_pytorch(conv2d, settings):
    x, weight, bias = randn(3, 9, 8), randn(4, 3, 3, 2, seed=1), randn(4, seed=2)
    expected = F.conv2d(x, weight, bias, **settings)
    torch.testing.assert_close(conv2d(x, weight, bias, **settings), expected)  # values, shape and dtype
    torch.testing.assert_close(conv2d(x[None], weight, bias, **settings), expected[None])


@pytest.mark.parametrize("conv2d", CONV2DS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_output_keeps_the_input_dtype(conv2d, dtype):
    x, weight = randn(1, 2, 6, 6, dtype=dtype), randn(3, 2, 3, 3, dtype=dtype, seed=1)
    got = conv2d(x, weight, None, padding=1)
    assert got.dtype == dtype
    torch.testing.assert_close(got, F.conv2d(x, weight, padding=1))


REFUSED = [
    ("same with stride 2", lambda: (randn(1, 1, 6, 6), randn(1, 1, 3, 3), None, dict(stride=2, padding="same")),
     ValueError, "padding='same' needs stride 1"),
    ("kernel larger than the input", lambda: (randn(1, 1, 4, 4), randn(1, 1, 5, 5), None, dict()),
     ValueError, "kernel spans"),
    ("kernel larger than the padded input", lambda: (randn(1, 1, 4, 9), randn(1, 1, 3, 3), None, dict(dilation=3)),
     ValueError, "more than the padded input's 4"),
    ("integer input", lambda: (torch.ones(1, 1, 5, 5, dtype=torch.int64), torch.ones(1, 1, 3, 3, dtype=torch.int64),
                               None, dict()), TypeError, "should hold floats"),
    ("weight of another dtype", lambda: (randn(1, 1, 5, 5), randn(1, 1, 3, 3, dtype=torch.float32), None, dict()),
     TypeError, "same dtype"),
    ("channel mismatch", lambda: (randn(1, 3, 5, 5), randn(2, 4, 3, 3), None, dict()),
     ValueError, "4 input channels but x has 3"),
    ("bias of the wrong size", lambda: (randn(1, 1, 5, 5), randn(2, 1, 3, 3), randn(3), dict()),
     ValueError, r"bias should have shape \(2,\)"),
    ("2D input", lambda: (randn(5, 5), randn(1, 1, 3, 3), None, dict()), ValueError, r"\(N, C, H, W\) or \(C, H, W\)"),
    ("3D weight", lambda: (randn(1, 5, 5), randn(1, 3, 3), None, dict()), ValueError, "weight should be a tensor"),
    ("stride 0", lambda: (randn(1, 1, 5, 5), randn(1, 1, 3, 3), None, dict(stride=0)), ValueError, "stride should be"),
    ("float stride", lambda: (randn(1, 1, 5, 5), randn(1, 1, 3, 3), None, dict(stride=1.5)), TypeError, "stride"),
    ("negative padding", lambda: (randn(1, 1, 5, 5), randn(1, 1, 3, 3), None, dict(padding=-1)), ValueError, "padding"),
    ("unknown padding word", lambda: (randn(1, 1, 5, 5), randn(1, 1, 3, 3), None, dict(padding="full")),
     ValueError, "'same', 'valid'"),
    ("a list, not a tensor", lambda: ([[[1.0]]], randn(1, 1, 1, 1), None, dict()), TypeError, "torch.Tensor"),
]


@pytest.mark.parametrize("conv2d", CONV2DS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name, make, error, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_what_pytorch_refuses_or_we_do_not_support_is_refused_clearly(conv2d, name, make, error, words):
    x, weight, bias, settings = make()
    with pytest.raises(error, match=words):
        conv2d(x, weight, bias, **settings)


@pytest.mark.parametrize("conv2d", CONV2DS, ids=lambda f: f.__name__)
def test_pytorch_sample_inputs_give_pytorchs_answer_or_a_clear_refusal(conv2d):
    def check(sample):
        kwargs = dict(sample.kwargs)
        groups = kwargs.pop("groups", 1)
        expected = F.conv2d(sample.input, *sample.args, groups=groups, **kwargs)
        if groups != 1:  # not supported: a TypeError naming `groups` or a ValueError naming the channels
            with pytest.raises((TypeError, ValueError), match="groups"):
                conv2d(sample.input, *sample.args, groups=groups, **kwargs)
            with pytest.raises(ValueError, match="groups are not supported"):
                conv2d(sample.input, *sample.args, **kwargs)
            return "refused"
        torch.testing.assert_close(conv2d(sample.input, *sample.args, **kwargs), expected)
        return "answered"

    outcomes = check_every_sample(pytorch_samples("nn.functional.conv2d")[1], check)
    assert outcomes.count("answered") >= 10 and outcomes.count("refused") >= 10, outcomes


def test_output_size_equals_pytorch_or_refuses_like_it():
    output_size = code["output_size"]
    assert output_size(32, 5) == 28 and output_size(8, 3, s=2) == 3
    with pytest.raises(ValueError, match="more than n\\+2p = 4"):
        output_size(4, 5)
    for bad in [dict(n=2.0), dict(s=0), dict(k="3"), dict(p=-1), dict(d=True)]:
        args = {"n": 8, "k": 3, **bad}
        with pytest.raises(ValueError, match="should be an int"):
            output_size(args["n"], args["k"], args.get("p", 0), args.get("s", 1), args.get("d", 1))
