"""utils.fc: shapes down to flatten (against real PyTorch layers), the three widgets swept, the checkers."""

import math
from functools import cache
from unittest.mock import ANY

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from utils import draw, fc
from utils.images import load_photo
from utils.net import Net
from utils.view import SettingError, sweep


@cache
def pytorch_layers(kernel, pool):
    """Net's feature layers with another kernel and pooling window: real PyTorch modules."""
    return [nn.Conv2d(3, 6, kernel), nn.MaxPool2d(pool), nn.Conv2d(6, 16, kernel), nn.MaxPool2d(pool)]


@cache
def pytorch_stages(size, kernel, pool):
    """The shapes real conv/pool layers give for a blank size x size image, or None where PyTorch refuses."""
    layers = pytorch_layers(kernel, pool)
    x, shapes = torch.zeros(1, 3, size, size), [(3, size, size)]
    try:
        with torch.no_grad():
            for layer in layers:
                x = layer(x)
                shapes.append(tuple(x.shape[1:]))
    except RuntimeError:
        return None
    return shapes


# ---- square_photo, sample_images, seeded_net, trace_fc1 ----------------------------------------------

def test_square_photo_is_the_centre_square_of_the_photo():
    photo = load_photo()
    side = min(photo.shape[1:])
    top, left = (photo.shape[1] - side) // 2, (photo.shape[2] - side) // 2
    torch.testing.assert_close(fc.square_photo(side), photo[:, top:top + side, left:left + side])
    small = fc.square_photo(32)
    assert small.shape == (3, 32, 32) and 0 <= small.min() and small.max() <= 1


@pytest.mark.parametrize("bad, error, words", [
    (0, ValueError, "size should be at least 1, got 0"),
    (-3, ValueError, "at least 1"),
    (2.5, TypeError, "size should be a whole number, got float"),
    ("32", TypeError, "whole number, got str"),
])
def test_square_photo_refuses_a_size_that_is_not_a_whole_number_of_pixels(bad, error, words):
    with pytest.raises(error, match=words):
        fc.square_photo(bad)


def test_sample_images_are_fixed_32x32_inputs():
    first, second = fc.sample_images(), fc.sample_images()
    assert list(first) == ["photo", "photo, mirrored", "noise (seed 0)", "noise (seed 1)"]
    for name, image in first.items():
        assert image.shape == (3, 32, 32) and 0 <= image.min() and image.max() <= 1, name
        assert torch.equal(image, second[name]), f"{name} should be the same on every call"
    torch.testing.assert_close(first["photo, mirrored"], first["photo"].flip(-1))
    assert not torch.equal(first["noise (seed 0)"], first["noise (seed 1)"])


def test_seeded_net_repeats_for_a_seed_and_leaves_the_global_random_state_alone():
    state = torch.random.get_rng_state()
    a, b, c = fc.seeded_net(0), fc.seeded_net(0), fc.seeded_net(1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert isinstance(a, Net)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.fc1.weight, c.fc1.weight)


def test_trace_fc1_gives_exactly_what_fc1_receives_and_removes_its_hook():
    net, images = fc.seeded_net(), torch.stack(list(fc.sample_images().values()))
    features, logits = fc.trace_fc1(net, images)
    assert features.shape == (len(images), net.fc1.in_features)
    assert not net.fc1._forward_pre_hooks, "the hook should be removed"
    with torch.no_grad():
        torch.testing.assert_close(logits, net(images))
        torch.testing.assert_close(net.fc3(F.relu(net.fc2(F.relu(net.fc1(features))))), logits)


# ---- stage_shapes, in_features ----------------------------------------------------------------------

@pytest.mark.parametrize("kernel", range(1, 10))
@pytest.mark.parametrize("pool", range(1, 5))
def test_stage_shapes_match_real_pytorch_layers_and_refuse_exactly_where_pytorch_does(kernel, pool):
    for size in range(8, 65, 7):
        measured = pytorch_stages(size, kernel, pool)
        if measured is None:
            with pytest.raises(SettingError, match="does not fit"):
                fc.stage_shapes(size, kernel, pool)
            continue
        stages = fc.stage_shapes(size, kernel, pool)
        assert [name for name, _ in stages] == ["input", "conv1", "pool1", "conv2", "pool2"]
        assert [shape for _, shape in stages] == measured, (size, kernel, pool)
        c, h, w = measured[-1]
        assert fc.in_features(size, kernel, pool) == c * h * w


def test_in_features_for_the_series_input_is_what_net_is_built_with():
    assert fc.in_features() == Net().fc1.in_features


def test_a_collapsing_map_is_named_with_the_layer_and_sizes():
    with pytest.raises(SettingError, match=r"conv2's 9x9 kernel does not fit in the 8x8 map"):
        fc.stage_shapes(24, 9, 2)
    with pytest.raises(SettingError, match=r"pool1's 4x4 window does not fit in the 2x2 map"):
        fc.stage_shapes(10, 9, 4)


@pytest.mark.parametrize("args, error, words", [
    ((0, 5, 2), ValueError, "size should be at least 1, got 0"),
    ((32, 2.5, 2), TypeError, "kernel should be a whole number, got float"),
    ((32, 5, True), TypeError, "pool should be a whole number, got bool"),
    ((32, 5, -1), ValueError, "pool should be at least 1"),
])
def test_stage_shapes_refuses_bad_numbers_clearly(args, error, words):
    with pytest.raises(error, match=words):
        fc.stage_shapes(*args)


def test_stage_shapes_refuses_bad_channels():
    with pytest.raises(ValueError, match="channels should be at least 1"):
        fc.stage_shapes(32, 5, 2, channels=(3, 0, 16))


# ---- maps_picture -----------------------------------------------------------------------------------

def test_maps_picture_tiles_the_maps_on_one_shared_scale():
    maps = torch.stack([torch.full((5, 5), 1.0), torch.full((5, 5), 2.0), torch.zeros(5, 5), -torch.ones(5, 5)])
    picture = fc.maps_picture(maps, "signed", columns=2, size=40)
    assert picture.dtype == np.uint8 and picture.shape == (2 * 40 + 4, 2 * 40 + 4, 3)
    one, two, zero, minus = picture[20, 20], picture[20, 64], picture[64, 20], picture[64, 64]
    assert zero.min() > 235, "0 is (near) white in the signed style"
    assert not np.array_equal(one, two), "1 and 2 on a shared scale must differ"
    assert one[0] > one[2] and minus[2] > minus[0], "positive is red, negative blue"
    activation = fc.maps_picture(maps[:2].abs(), "activation", columns=2)
    assert not np.array_equal(activation[5, 5], activation[5, -5])


@pytest.mark.parametrize("bad", [torch.zeros(5, 5), torch.zeros(1, 2, 5, 5), [[1.0]]])
def test_maps_picture_refuses_what_is_not_a_stack_of_maps(bad):
    with pytest.raises(ValueError, match=r"\(C, h, w\)"):
        fc.maps_picture(bad)


# ---- widgets ----------------------------------------------------------------------------------------

def sweep_all(view):
    """Each sweep setting, applied: it either draws or gives a SettingError message, never anything else."""
    for settings in sweep(view):
        message = view.update(**settings)
        assert view.error is None or isinstance(view.error, SettingError), (settings, repr(view.error))
        assert bool(message) == (view.error is not None)
        yield settings, message


def test_flatten_calculator_shows_the_in_features_pytorch_measures_and_explains_collapses():
    view = fc.FlattenCalculator()
    refused = 0
    for settings, message in sweep_all(view):
        measured = pytorch_stages(settings["size"], settings["kernel"], settings["pool"])
        assert (measured is None) == bool(message), settings
        if measured is None:
            refused += 1
            assert "does not fit" in message
            continue
        c, h, w = measured[-1]
        assert f"nn.Linear({c * h * w}, 120)" in view.text, settings
        assert len(view.stages) == 6 and all(p.rgb.dtype == np.uint8 for p in view.stages)
    assert refused, "the sweep should reach settings that collapse a map"


def test_flatten_calculator_pictures_change_with_the_settings():
    view = fc.FlattenCalculator()
    before = [p.rgb.copy() for p in view.stages]
    view.update(size=48)
    assert not np.array_equal(before[1], view.stages[1].rgb), "conv1's stack should grow with the input"
    view.update(kernel=3)
    c, h, w = pytorch_stages(48, 3, 2)[-1]
    assert view.message == "" and f"{c}×{h}×{w}" in view.text
    assert view.stages[-1].title == f"flatten {c}x{h}x{w} = {c * h * w}", "the flattened vector's caption counts"
    assert [p.title.split()[0] for p in view.stages] == ["input", "conv1", "pool1", "conv2", "pool2", "flatten"]
    np.testing.assert_array_equal(view.panels[0].rgb, draw.grid([p.shown() for p in view.stages], gap=12))


def test_flatten_calculator_draws_every_stage_at_the_inputs_scale():
    view = fc.FlattenCalculator()
    sides = [int((p.rgb[:, 4, 0] == 40).sum()) for p in view.stages[:-1]]  # the front map's dark left edge
    assert sides == [max(1, round(h * draw.scaled(76) / 32)) for _, (_, h, _) in fc.stage_shapes(32)]


def test_temperature_bars_fill_a_labelled_axis_and_name_every_class():
    view = fc.TemperatureExplorer()
    chart = view.panels[0].rgb
    bars = (chart == (70, 120, 200)).all(-1) | (chart == (230, 120, 30)).all(-1)
    tallest = bars.sum(0).max()
    top = float(view.probabilities.max())
    axis = next(a for a in (0.25, 0.5, 1.0) if top <= a)
    assert tallest == pytest.approx(top / axis * draw.scaled(160), abs=2), "bar height = probability on the axis"
    assert tallest >= draw.scaled(160) * 0.4, "no thin strip under an empty band"


def test_temperature_explorer_shows_softmax_of_logits_over_t_summing_to_one():
    logits = torch.tensor([0.3, -1.2, 2.0, 0.0, 0.5])
    view = fc.TemperatureExplorer(logits, classes=list("abcde"))
    tops = []
    for settings, message in sweep_all(view):
        assert message == ""
        t = settings["temperature"]
        torch.testing.assert_close(view.probabilities, F.softmax(logits.double() / t, dim=0))
        torch.testing.assert_close(view.probabilities.sum(), torch.tensor(1.0, dtype=torch.float64))
        assert int(view.probabilities.argmax()) == int(logits.argmax())
        assert f"sum to {1:.6f}" in view.text
    for t in fc.TemperatureExplorer.TEMPERATURES:
        view.update(temperature=t)
        tops.append(float(view.probabilities.max()))
    assert all(a >= b for a, b in zip(tops, tops[1:])) and tops[0] > tops[-1], "the top probability falls as T rises"


def test_temperature_explorer_bars_change_with_t_and_default_to_nets_logits_for_the_photo():
    view = fc.TemperatureExplorer()
    assert view.logits.shape == (len(fc.CLASSES),)
    with torch.no_grad():
        expected = fc.seeded_net()(fc.square_photo(32)[None])[0]
    torch.testing.assert_close(view.logits, expected.double())
    view.update(temperature=1.0)
    flat = view.panels[0].rgb.copy()
    view.update(temperature=0.01)
    assert not np.array_equal(flat, view.panels[0].rgb)


@pytest.mark.parametrize("bad", [torch.zeros(2, 10), torch.zeros(9), [0.0] * 10])
def test_temperature_explorer_refuses_what_is_not_one_images_logits(bad):
    with pytest.raises(ValueError, match=r"shape \(10,\)"):
        fc.TemperatureExplorer(bad)


def test_neuron_explorer_activation_is_fc1s_output_for_every_neuron_and_image():
    net, images = fc.seeded_net(3), fc.sample_images()
    view = fc.NeuronExplorer(net, images)
    with torch.no_grad():
        features, _ = fc.trace_fc1(net, torch.stack(list(images.values())))
        outputs = net.fc1(features)
    for settings, message in sweep_all(view):
        assert message == ""
        expected = outputs[list(images).index(settings["image"]), settings["neuron"]]
        assert view.activation == pytest.approx(float(expected), abs=1e-5), settings
        assert f"{view.activation:+.4f}" in view.text
    assert view.controls["neuron"].max == net.fc1.out_features - 1


def test_neuron_explorer_pictures_change_with_the_neuron_and_the_image():
    view = fc.NeuronExplorer()
    before = [p.rgb.copy() for p in view.panels]
    view.update(neuron=5)
    assert np.array_equal(before[0], view.panels[0].rgb), "same input image"
    assert not np.array_equal(before[2], view.panels[2].rgb), "another neuron has other weights"
    view.update(image="noise (seed 0)")
    assert not np.array_equal(before[0], view.panels[0].rgb)
    assert not np.array_equal(before[1], view.panels[1].rgb), "another image gives fc1 other inputs"


@pytest.mark.parametrize("bad, error, words", [
    ({"small": torch.zeros(3, 16, 16)}, ValueError, r"small should have shape \(3, 32, 32\)"),
    ({"bright": torch.full((3, 32, 32), 2.0)}, ValueError, r"\[0, 1\]"),
    ({"grey": torch.zeros(32, 32)}, ValueError, r"\(3, H, W\)"),
])
def test_neuron_explorer_refuses_images_net_cannot_take(bad, error, words):
    with pytest.raises(error, match=words):
        fc.NeuronExplorer(images=bad)


# ---- exercise checkers ------------------------------------------------------------------------------

def right_ce_gradient(z, target):
    e = (z - z.amax(-1, keepdim=True)).exp()
    return (e / e.sum(-1, keepdim=True) - F.one_hot(target, z.shape[-1])) / len(z)


def in_place_ce_gradient(z, target):
    """Right, but overwrites its input: the checker must still judge it right."""
    z.sub_(z.amax(-1, keepdim=True)).exp_()
    return z.div_(z.sum(-1, keepdim=True)).sub_(F.one_hot(target, z.shape[-1])).div_(len(z))


def zeroing_ce_gradient(z, target):
    """Wrong: zeroes the logits, then answers for the zeroed logits."""
    z.zero_()
    return right_ce_gradient(z, target)


HOSTILE = [lambda *a: torch.tensor([400.0, 1.0]), lambda *a: "400", lambda *a: ANY, lambda *a: float("nan"),
           lambda *a: torch.full((1, 3), float("nan")), lambda *a: True]

CHECKERS = [
    # checker, a right answer, wrong answers (each must fail with a hint)
    (fc.check_ce_gradient, right_ce_gradient,
     [lambda z, t: right_ce_gradient(z, t) * len(z), lambda z, t: z.softmax(-1) - F.one_hot(t, z.shape[-1]) / len(z),
      lambda z, t: (z.exp() / z.exp().sum(-1, keepdim=True) - F.one_hot(t, z.shape[-1])) / len(z),
      zeroing_ce_gradient, lambda z, t: right_ce_gradient(z, t).T]),
]


@pytest.mark.parametrize("checker, right, wrongs", CHECKERS, ids=[c[0].__name__ for c in CHECKERS])
def test_checker_passes_a_right_answer_and_fails_wrong_ones_with_a_hint(checker, right, wrongs, capsys):
    assert checker(right)
    assert "✅ Right!" in capsys.readouterr().out
    for wrong in wrongs + HOSTILE:
        assert not checker(wrong)
        out = capsys.readouterr().out
        assert "❌ Not yet." in out and "Hint:" in out


@pytest.mark.parametrize("checker", [c[0] for c in CHECKERS], ids=[c[0].__name__ for c in CHECKERS])
def test_checker_fails_an_unfinished_stub_or_a_crash_politely(checker, capsys):
    def stub(*args):
        ...

    def crash(*args):
        raise ZeroDivisionError("division by zero")

    assert not checker(stub)
    assert "did you forget `return`" in capsys.readouterr().out
    assert not checker(crash)
    assert "raised ZeroDivisionError" in capsys.readouterr().out


def test_a_right_function_that_changes_its_inputs_is_still_right(capsys):
    assert fc.check_ce_gradient(in_place_ce_gradient)
    assert "✅ Right!" in capsys.readouterr().out


def test_the_gradient_checker_names_the_nan_of_a_naive_softmax(capsys):
    fc.check_ce_gradient(lambda z, t: (z.exp() / z.exp().sum(-1, keepdim=True) - F.one_hot(t, z.shape[-1])) / len(z))
    assert "nan" in capsys.readouterr().out


def fc1_fits(size):
    """Whether Net's layers, conv1 to fc1, run on a size x size image (PyTorch decides)."""
    net = Net()
    try:
        with torch.no_grad():
            x = net.pool(F.relu(net.conv2(net.pool(F.relu(net.conv1(torch.zeros(1, 3, size, size)))))))
            net.fc1(torch.flatten(x, 1))
    except RuntimeError:
        return False
    return True


def test_fc1_sizes_are_the_sizes_nets_layers_take():
    assert fc.fc1_sizes() == [size for size in fc.SIZES if fc1_fits(size)] == [32, 33, 34, 35]


def test_fc1_sizes_checker_passes_the_sizes_and_explains_a_missing_or_an_extra_one(capsys):
    rights = ([32, 33, 34, 35], (35, 34, 33, 32), range(32, 36), {32, 33, 34, 35}, [np.int64(s) for s in range(32, 36)])
    for right in rights:
        assert fc.check_fc1_sizes(right)
        assert "✅ Right!" in capsys.readouterr().out
    assert not fc.check_fc1_sizes([32])
    out = capsys.readouterr().out
    assert "33 is missing: 33 → 29 → 14 → 10 → 5" in out and "rounds down" in out
    assert not fc.check_fc1_sizes([32, 33, 34, 35, 36])
    assert "36 does not fit: 36 → 32 → 16 → 12 → 6, so the maps are 16×6×6 = 576 numbers, but fc1 takes 400" in (
        capsys.readouterr().out)
    assert not fc.check_fc1_sizes([10, 32, 33, 34, 35])
    assert "10 does not fit: conv2's 5x5 kernel does not fit" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [..., "32, 33", [32.0, 33], [True], 32, None, ANY, range(10**12), [[32]]])
def test_fc1_sizes_checker_says_not_yet_to_what_is_no_list_of_sizes(bad, capsys):
    assert not fc.check_fc1_sizes(bad)
    assert "❌ Not yet." in capsys.readouterr().out


def test_disc_and_ring_puts_class_0_in_the_disc_and_class_1_on_the_ring_the_same_per_seed():
    points, labels = fc.disc_and_ring(50, seed=1)
    radius = points.norm(dim=1)
    assert points.shape == (100, 2) and labels.dtype == torch.int64 and labels.tolist() == [0] * 50 + [1] * 50
    assert radius[labels == 0].max() < 1 and 1.5 <= radius[labels == 1].min() and radius.max() < 2.5
    torch.testing.assert_close(fc.disc_and_ring(50, seed=1)[0], points)
    assert not torch.equal(fc.disc_and_ring(50, seed=2)[0], points)


def test_uniform_loss_prediction_is_ln_10_and_common_mistakes_are_explained(capsys):
    assert fc.check_uniform_loss(math.log(10))
    assert fc.check_uniform_loss(2.3), "within 1%"
    assert "✅ Right!" in capsys.readouterr().out
    assert not fc.check_uniform_loss(0.1)
    out = capsys.readouterr().out
    assert "❌ Not yet." in out and "probability of the right class" in out and "2.30259" in out
    for unanswered_or_bad in (..., "2.3", torch.tensor([2.3, 2.3]), ANY, float("nan"), [2.3]):
        assert not fc.check_uniform_loss(unanswered_or_bad)
        assert "❌ Not yet." in capsys.readouterr().out


def test_no_softmax_choice_is_a_and_every_wrong_option_is_explained(capsys):
    assert fc.check_no_softmax("A") and fc.check_no_softmax(" a ")
    assert "log_softmax" in capsys.readouterr().out
    for wrong in "BCD":
        assert not fc.check_no_softmax(wrong)
        assert f"❌ Not yet. {wrong}: No:" in capsys.readouterr().out
    for unanswered_or_bad in (..., "E", 1, ANY, None):
        assert not fc.check_no_softmax(unanswered_or_bad)
        assert "❌ Not yet." in capsys.readouterr().out
