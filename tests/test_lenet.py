"""utils.lenet: feature maps, receptive fields, notebook 04's pictures, the feature-map explorer and exercise checks."""

from unittest.mock import ANY

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import draw
from utils import lenet as L
from utils.data import OFFLINE_CLASSES, make_shapes, normalize
from utils.net import Net
from utils.view import SettingError, sweep


def fresh_net(seed=0):
    torch.manual_seed(seed)
    return Net()


@pytest.fixture(scope="module")
def explorer():
    return L.example_explorer()


def test_feature_maps_are_the_forward_pass_cut_open():
    net = fresh_net()
    inputs = normalize(make_shapes(5, seed=1)[0])
    maps = L.feature_maps(net, inputs)
    assert list(maps) == list(L.LAYERS)
    assert [tuple(m.shape[1:]) for m in maps.values()] == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5)]
    torch.testing.assert_close(maps["pool1"], F.max_pool2d(maps["conv1"], 2))
    logits = net.fc3(F.relu(net.fc2(F.relu(net.fc1(maps["pool2"].flatten(1))))))
    torch.testing.assert_close(logits, net(inputs))


def test_receptive_windows_follow_the_recursive_formula():
    # Without autograd: a k x k layer widens the window by (k - 1) steps; a stride-s pool multiplies the step by s.
    net, size, step, expected = Net(), 1, 1, {}
    layers = [("conv1", net.conv1.kernel_size[0], 1), ("pool1", net.pool.kernel_size, net.pool.stride),
              ("conv2", net.conv2.kernel_size[0], 1), ("pool2", net.pool.kernel_size, net.pool.stride)]
    for name, k, stride in layers:
        size += (k - 1) * step
        step *= stride
        expected[name] = (step, size)
    assert L.receptive_windows() == expected


@pytest.mark.parametrize("layer", L.LAYERS)
def test_a_unit_depends_on_its_window_only_in_the_real_net(layer):
    net = fresh_net(3)
    stride, size = L.receptive_windows()[layer]
    image = torch.rand(1, 3, 32, 32) * 2 - 1
    y, x = 1, 1
    top, left = stride * y, stride * x
    unit = lambda picture: L.feature_maps(net, picture)[layer][0, :, y, x]
    outside = image.clone()
    window = outside[..., top:top + size, left:left + size].clone()
    outside.uniform_(-1, 1)
    outside[..., top:top + size, left:left + size] = window
    torch.testing.assert_close(unit(outside), unit(image))  # everything outside changed: the unit did not
    inside = image.clone()
    inside[..., top:top + size, left:left + size].uniform_(-1, 1)
    assert not torch.allclose(unit(inside), unit(image))


def test_explorer_sweeps_every_setting_without_a_traceback(explorer):
    for settings in sweep(explorer):
        explorer.update(**settings)
        assert explorer.error is None or isinstance(explorer.error, SettingError), (settings, explorer.error)
        assert explorer.error is None, (settings, explorer.error)  # no setting is impossible here
        assert len(explorer.panels) == 3 and explorer.text


@pytest.mark.parametrize("setting, a, b", [
    ("image", 0, 3), ("layer", "conv1", "pool2"), ("channel", 0, 4), ("network", "before training", "after training"),
])
def test_explorer_panels_change_with_each_setting(explorer, setting, a, b):
    explorer.update(image=1, layer="conv2", channel=2, network="after training")
    explorer.update(**{setting: a})
    before = [p.rgb.copy() for p in explorer.panels]
    explorer.update(**{setting: b})
    after = [p.rgb for p in explorer.panels]
    assert any(x.shape != y.shape or not np.array_equal(x, y) for x, y in zip(before, after)), setting


def test_explorer_channel_range_follows_the_layer(explorer):
    explorer.update(layer="conv2", channel=15)
    assert explorer.controls["channel"].max == 15 and explorer.error is None and "channel 15 of 16" in explorer.text
    explorer.update(layer="conv1")
    assert explorer.controls["channel"].max == 5 and explorer.controls["channel"].value == 5
    assert explorer.error is None and "channel 5 of 6" in explorer.text


def test_explorer_shows_the_maps_of_the_chosen_network():
    before, after = fresh_net(0), fresh_net(1)
    images, labels = make_shapes(4, seed=2)
    view = L.FeatureMapExplorer(before, after, images, labels, OFFLINE_CLASSES)
    maps = L.feature_maps(before, normalize(images))["pool1"][2, 3].numpy()
    view.update(image=2, layer="pool1", channel=3, network="before training")
    assert f"strongest response {maps.max():.2f}" in view.text
    (y, x), (stride, size) = np.unravel_index(maps.argmax(), maps.shape), L.receptive_windows()["pool1"]
    picture, factor = view.panels[0].rgb, view.panels[0].rgb.shape[0] // 32
    corners = [(stride * y, stride * x), (stride * y + size, stride * x + size)]  # the box around the window
    (top, left), (bottom, right) = [(r * factor, c * factor) for r, c in corners]
    assert (picture[top, left] == (255, 200, 0)).all() and (picture[bottom - 1, right - 1] == (255, 200, 0)).all()


@pytest.mark.parametrize("images, labels, message", [
    (torch.zeros(2, 3, 32, 32), torch.zeros(2, dtype=torch.long), "uint8"),
    (torch.zeros(2, 1, 32, 32, dtype=torch.uint8), torch.zeros(2, dtype=torch.long), r"\(K, 3, 32, 32\)"),
    (torch.zeros(2, 3, 32, 32, dtype=torch.uint8), torch.zeros(3, dtype=torch.long), "one label per image"),
])
def test_explorer_rejects_bad_images(images, labels, message):
    with pytest.raises(ValueError, match=message):
        L.FeatureMapExplorer(fresh_net(), fresh_net(1), images, labels, OFFLINE_CLASSES)


# ---------------------------------------------------------------- exercise checks

def right_multiply_adds(c1, c2):
    return c1 * 28 * 28 * 3 * 25 + c2 * 10 * 10 * c1 * 25 + c2 * 25 * 120 + 120 * 84 + 84 * 10


def right_most_confused(matrix):
    mistakes = matrix - torch.diag(matrix.diag())
    return divmod(int(mistakes.argmax()), len(matrix))


def stub(*args):
    ...


def broken(*args):
    raise IndexError("oops")


@pytest.mark.parametrize("checker, right, wrongs", [
    (L.check_lenet_multiply_adds, right_multiply_adds,
     [lambda c1, c2: right_multiply_adds(c1, c2) - 120 * 84,  # forgot fc2
      lambda c1, c2: c1 * 28 * 28 * 3 * 25 + c2 * 10 * 10 * 6 * 25 + c2 * 25 * 120 + 120 * 84 + 84 * 10]),  # fixed 6
    (L.check_most_confused, right_most_confused,
     [lambda m: divmod(int(m.argmax()), len(m)),  # the diagonal wins
      lambda m: divmod(int((m - torch.diag(m.diag())).argmax()), len(m))[::-1],  # (predicted, true)
      lambda m: 3]),
])
def test_checkers_pass_right_answers_and_hint_at_wrong_ones(capsys, checker, right, wrongs):
    assert checker(right)
    assert capsys.readouterr().out.startswith("✅")
    for wrong in [*wrongs, stub, broken]:
        assert not checker(wrong)
        out = capsys.readouterr().out
        assert out.startswith("❌") and "Hint:" in out, out
    checker(stub)
    assert "None" in capsys.readouterr().out


def test_the_most_confused_reference_finds_each_planted_mistake():
    for matrix, expected in L._most_confused_cases():
        assert L.most_confused_reference(matrix) == expected


def forever(*args):
    while True:
        pass


def clears_its_input(matrix):
    answer = right_most_confused(matrix.clone())
    matrix.zero_()  # a function that changes its input must not change what the checker expects
    return answer


HOSTILE = {
    "a vector": lambda *args: torch.tensor([651_720.0, 5.0]),
    "a string": lambda *args: "651720",
    "ANY": lambda *args: ANY,
    "a list": lambda *args: [5],
    "NaN": lambda *args: float("nan"),
}


@pytest.mark.parametrize("checker", [L.check_lenet_multiply_adds, L.check_most_confused])
@pytest.mark.parametrize("answer", list(HOSTILE), ids=list(HOSTILE))
def test_checkers_refuse_wrong_types_with_a_hint_and_never_crash(capsys, checker, answer):
    assert not checker(HOSTILE[answer])
    out = capsys.readouterr().out
    assert out.startswith("❌ Not yet.") and "Hint:" in out, out


@pytest.mark.parametrize("checker", [L.check_lenet_multiply_adds, L.check_most_confused])
def test_checkers_stop_a_function_that_never_returns(capsys, monkeypatch, checker):
    monkeypatch.setattr(L.check_cases, "__defaults__", (0.2,))
    assert not checker(forever)
    out = capsys.readouterr().out
    assert out.startswith("❌ Not yet.") and "did not finish" in out, out


def test_the_confusion_checker_is_not_misled_by_a_function_that_changes_its_input(capsys):
    assert L.check_most_confused(clears_its_input)
    assert not L.check_most_confused(lambda m: (m.zero_(), (0, 0))[1])
    assert capsys.readouterr().out.count("❌") == 1


def test_the_conv2_prediction_reveals_the_measured_count_and_explains_the_4x_guess(capsys):
    assert L.conv2_multiply_adds(32) == 16 * 10 * 10 * 6 * 25  # the table's conv2 row
    assert L.conv2_multiply_adds(64) == 16 * 26 * 26 * 6 * 25
    assert not L.check_conv2_prediction(...)
    assert "in place of `...`" in capsys.readouterr().out
    assert not L.check_conv2_prediction(4 * 240_000)
    out = capsys.readouterr().out
    assert out.startswith("❌") and "1,622,400" in out and "loses 4 rows" in out
    for hostile in ("1622400", torch.tensor([1_622_400, 1]), ANY, float("inf")):
        assert not L.check_conv2_prediction(hostile)
        assert capsys.readouterr().out.startswith("❌ Not yet.")
    assert L.check_conv2_prediction(1_622_400)
    assert capsys.readouterr().out.startswith("✅ Right!")


@pytest.mark.parametrize("checker, options", [(L.check_zero_grad, L.zero_grad_options),
                                              (L.check_control, L.control_options)])
def test_the_why_questions_explain_every_option_and_refuse_odd_answers(capsys, checker, options):
    assert not checker(...)
    assert capsys.readouterr().out.startswith("❌ Not yet.")
    for letter in "BCD":
        assert not checker(letter.lower())
        assert options()[letter] in capsys.readouterr().out
    for hostile in ("E", 1, ANY, None):
        assert not checker(hostile)
        assert capsys.readouterr().out.startswith("❌ Not yet.")
    assert checker(" A ")
    assert capsys.readouterr().out.startswith("✅ Right!")


def test_the_zero_grad_answer_is_what_a_training_loop_without_it_does():
    # The checker's figures (2.0 then 4.0) come from PyTorch; here a real loop shows the sum of the batches' gradients.
    net, batches = fresh_net(), [normalize(make_shapes(4, seed=s)[0]) for s in (1, 2)]
    grads = []
    for images in batches:
        net.fc3.weight.grad = None
        net(images).sum().backward()
        grads.append(net.fc3.weight.grad.clone())
    net.fc3.weight.grad = None
    for images in batches:  # no zero_grad in between
        net(images).sum().backward()
    torch.testing.assert_close(net.fc3.weight.grad, grads[0] + grads[1])
    assert "2.0" in L.zero_grad_options()["B"] and "4.0" in L.zero_grad_options()["B"]


def test_untrained_kernels_put_two_thirds_of_their_squares_in_colour_differences():
    state = torch.random.get_rng_state()
    share = L.untrained_colour_share()
    assert abs(share - 2 / 3) < 0.02, share
    assert torch.equal(torch.random.get_rng_state(), state), "the learner's random numbers are left alone"
    grey = torch.ones(6, 3, 5, 5) * torch.randn(6, 1, 5, 5)  # the same slice in every colour: no colour at all
    assert L.colour_share(grey).abs().max() < 1e-6 and f"{share:.0%}" in L.control_options()["A"]


def test_show_confusion_writes_every_nonzero_count(monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda: None)
    matrix = torch.tensor([[5, 0, 1], [0, 7, 0], [2, 0, 9]])
    L.show_confusion(matrix, ["a", "b", "c"])
    ax = plt.gcf().axes[0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(int(n)) for n in matrix.flatten() if n)
    assert ax.get_title() == "Confusion matrix, 24 test images" and ax.get_xlabel() == "predicted class"
    plt.close("all")


def test_show_feature_maps_draws_the_input_and_every_layer(monkeypatch):
    shown = []
    monkeypatch.setattr(draw, "show", lambda arrays, titles, **kwargs: shown.append((arrays, titles)))
    inputs = normalize(make_shapes(1, seed=3)[0])
    L.show_feature_maps(inputs, L.feature_maps(fresh_net(), inputs), "disk")
    [(arrays, titles)] = shown
    assert titles == ["input: disk", "conv1: 6 maps of 28x28", "pool1: 6 maps of 14x14", "conv2: 16 maps of 10x10",
                      "pool2: 16 maps of 5x5"]
    torch.testing.assert_close(arrays[0], (inputs[0] + 1) / 2)  # the input as it was, before normalize


def test_explorer_maps_carry_the_layers_colour_scale(explorer):
    explorer.update(layer="pool2", channel=3, network="after training")
    top = float(explorer.maps["after training"]["pool2"][explorer.settings()["image"]].max())
    assert explorer.panels[1].legend == explorer.panels[2].legend == ("activation", 0, top)
    assert explorer.panels[1].title == "pool2, channel 3" and explorer.panels[2].title == "all 16 channels"
    assert explorer.controls["layer"].style.button_width == "auto", "a button as wide as its name: 'pool2' on one line"


def test_presenter_scale_makes_the_chosen_map_at_least_400_px():
    try:
        draw.presenter(True)
        view = L.example_explorer()
        for layer in L.LAYERS:
            view.update(layer=layer)
            assert max(view.panels[1].rgb.shape[:2]) >= 400, layer
        assert view.panels[0].rgb.shape[0] == 32 * draw.scaled(7)
    finally:
        draw.presenter(False)
