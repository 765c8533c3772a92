"""Notebook 02's from-scratch pooling: equal to PyTorch (values, shape, dtype, indices) or a clear error."""

import pytest
import torch
import torch.nn.functional as F
from notebook_code import check_every_sample, definitions, pytorch_samples

code = definitions("02_max_pooling.ipynb")
max_pool, avg_pool, loops, route = (code[name] for name in (
    "max_pool2d_scratch", "avg_pool2d_scratch", "max_pool_loops", "route_max_gradient"))


def samples(name):
    return pytorch_samples(name)[1]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.bfloat16])
def test_every_function_keeps_the_input_dtype_as_pytorch_does(dtype):
    x = torch.randn(2, 3, 6, 8).to(dtype)
    torch.testing.assert_close(loops(x, 2, 2), F.max_pool2d(x, 2))
    values, indices = max_pool(x, 3, 2, 1)
    expected, expected_indices = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    torch.testing.assert_close(values, expected)
    assert torch.equal(indices, expected_indices)
    rounding = {} if dtype == torch.float64 else dict(atol=1e-2, rtol=1e-2)  # sums in half precision round
    torch.testing.assert_close(avg_pool(x, 3, 2, 1), F.avg_pool2d(x, 3, 2, 1), **rounding)
    leaf = x.clone().requires_grad_(True)
    out = F.max_pool2d(leaf, 3, 2, 1)
    grad_out = torch.randn_like(out)
    out.backward(grad_out)
    got = route(x, grad_out, kernel_size=3, stride=2, padding=1)
    assert got.dtype == dtype
    torch.testing.assert_close(got, leaf.grad, **rounding)


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8])
def test_integer_maps_are_refused_with_a_hint(dtype):
    x = torch.arange(16).view(1, 4, 4).to(dtype)
    for function in (loops, max_pool, avg_pool):
        with pytest.raises(TypeError, match="should hold floats.*x.float()"):
            function(x, 2)


@pytest.mark.parametrize("settings, words", [
    (dict(kernel_size=2, stride=0), "stride should be at least 1"),
    (dict(kernel_size=3, padding=2), "padding should be at most half the window"),
    (dict(kernel_size=(2, 3), padding=(1, 2)), "padding should be at most half the window"),
    (dict(kernel_size=7), "larger than the padded input"),
    (dict(kernel_size=0), "kernel_size should be at least 1"),
    (dict(kernel_size=2.5), "kernel_size should be an int or a pair"),
    (dict(kernel_size=2, padding=-1), "padding should be at least 0"),
])
def test_what_pytorch_refuses_is_refused_with_a_clear_message(settings, words):
    x = torch.randn(1, 2, 5, 6)
    with pytest.raises(Exception):  # noqa: B017, PT011 - PyTorch's own refusal, whatever its type
        F.max_pool2d(x, **settings)
    for function in (max_pool, avg_pool):
        with pytest.raises((ValueError, TypeError), match=words):
            function(x, **settings)
    if set(settings) <= {"kernel_size", "stride"}:
        with pytest.raises((ValueError, TypeError), match=words):
            loops(x, settings["kernel_size"], settings.get("stride", settings["kernel_size"]))


@pytest.mark.parametrize("bad", [torch.randn(5, 6), torch.randn(1, 1, 1, 5, 6), [[1.0, 2.0]]])
def test_inputs_that_are_not_maps_are_refused(bad):
    for function in (loops, max_pool, avg_pool):
        with pytest.raises((ValueError, TypeError), match=r"\(N, C, H, W\)|torch.Tensor"):
            function(bad, 2)


def test_unbatched_maps_and_tuple_settings_agree_with_pytorch():
    x = torch.randn(3, 9, 10)
    settings = dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), ceil_mode=True)
    values, indices = max_pool(x, **settings)
    expected, expected_indices = F.max_pool2d(x, **settings, return_indices=True)
    torch.testing.assert_close(values, expected)
    assert torch.equal(indices, expected_indices)
    settings.pop("dilation")
    torch.testing.assert_close(avg_pool(x, **settings), F.avg_pool2d(x, **settings))
    torch.testing.assert_close(loops(x, (3, 2), (2, 1)), F.max_pool2d(x, (3, 2), (2, 1)))
    leaf = x.clone().requires_grad_(True)
    out = F.max_pool2d(leaf, 3, 2, 1)
    out.backward(torch.ones_like(out))
    torch.testing.assert_close(route(x, torch.ones_like(out), kernel_size=3, stride=2, padding=1), leaf.grad)


def test_route_max_gradient_refuses_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"pooled output's shape \(1, 2, 3, 3\), got \(1, 2, 6, 6\)"):
        route(torch.randn(1, 2, 6, 6), torch.randn(1, 2, 6, 6), kernel_size=2)


def max_pool_agrees(sample, max_pool=max_pool):
    """Our max pooling gives PyTorch's values and indices on one of its sample inputs."""
    kwargs = dict(sample.kwargs)
    kwargs.pop("return_indices", None)
    expected, expected_indices = F.max_pool2d(sample.input, *sample.args, **kwargs, return_indices=True)
    values, indices = max_pool(sample.input, *sample.args, **kwargs)
    torch.testing.assert_close(values, expected)
    assert torch.equal(indices, expected_indices), "the indices differ"


def test_max_pool_equals_pytorch_on_its_own_sample_inputs():
    assert len(check_every_sample(samples("nn.functional.max_pool2d"), max_pool_agrees)) >= 100


def test_a_wrong_max_pool_is_named_on_every_sample_it_gets_wrong():
    # The control: a pooling wrong only for a square 3x3 window fails on exactly those samples, each one named.
    cases = samples("nn.functional.max_pool2d")[::24]  # 60 of them, both window shapes

    def wrong_for_3x3(x, kernel_size, **settings):
        values, indices = max_pool(x, kernel_size, **settings)
        return (values + 1 if kernel_size == 3 else values), indices

    wrong = [i for i, sample in enumerate(cases) if sample.kwargs["kernel_size"] == 3]
    assert 0 < len(wrong) < len(cases)
    with pytest.raises(AssertionError) as failure:
        check_every_sample(cases, lambda sample: max_pool_agrees(sample, wrong_for_3x3))
    named = [int(line.split()[1]) for line in str(failure.value).splitlines() if line.startswith("sample ")]
    assert named == wrong and f"{len(wrong)} of {len(cases)} samples disagree" in str(failure.value)


def test_avg_pool_equals_pytorch_on_its_own_sample_inputs_or_refuses_divisor_override():
    def check(sample):
        args, divisor = list(sample.args), None
        if len(args) == 6:
            args, divisor = args[:5], args[5]
        expected = F.avg_pool2d(sample.input, *args, divisor_override=divisor)
        if divisor is not None:
            with pytest.raises(TypeError, match="divisor_override"):
                avg_pool(sample.input, *args, divisor_override=divisor)
            return "refused"
        torch.testing.assert_close(avg_pool(sample.input, *args), expected)
        return "answered"

    outcomes = check_every_sample(samples("nn.functional.avg_pool2d"), check)
    assert outcomes.count("answered") >= 2 and outcomes.count("refused") >= 5, outcomes


def test_a_map_holding_minus_inf_with_padding_is_refused_not_answered_wrong():
    # A window of real -inf values beside the -inf padding: argmax could pick the padding (index -1).
    x = torch.full((1, 1, 3, 3), float("-inf"))
    x[0, 0, 2, 2] = 1.0
    with pytest.raises(ValueError, match="tie with the -inf padding"):
        code["max_pool2d_scratch"](x, 2, 2, 1)
    values, indices = code["max_pool2d_scratch"](x, 2, 2, 0)  # without padding there is no tie to break
    expected_values, expected_indices = F.max_pool2d(x, 2, 2, 0, return_indices=True)
    torch.testing.assert_close(values, expected_values)
    assert torch.equal(indices, expected_indices)
