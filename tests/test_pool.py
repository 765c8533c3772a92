"""utils.pool: the edge map, the two pooling widgets over their whole range, and the exercise checkers."""

import re
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import pool
from utils.images import load_photo
from utils.net import Net
from utils.view import SettingError, sweep


def step(height=8, width=8, at=4):
    """An (H, W) image: 0 left of column `at`, 1 from it on (a vertical edge)."""
    image = torch.zeros(height, width)
    image[:, at:] = 1.0
    return image


# ---- sobel_magnitude, edge_map ----------------------------------------------------------------------

@pytest.mark.parametrize("transpose", [False, True], ids=["vertical edge", "horizontal edge"])
def test_sobel_magnitude_is_four_times_the_central_difference_across_a_straight_edge(transpose):
    image = step().T if transpose else step()
    across = image.T if transpose else image
    # Across a straight edge the Sobel response is (1 + 2 + 1) * the central difference, and 0 along it.
    expected = 4 * (across[1:-1, 2:] - across[1:-1, :-2]).abs()
    got = pool.sobel_magnitude(image)
    torch.testing.assert_close(got.T if transpose else got, expected)


@pytest.mark.parametrize("bad, error, words", [
    ([[0.0] * 4] * 4, TypeError, "torch.Tensor"),
    (torch.zeros(3, 8, 8), ValueError, r"\(H, W\)"),
    (torch.full((8, 8), 2.0), ValueError, r"\[0, 1\]"),
    (torch.zeros(8, 8, dtype=torch.uint8), TypeError, "float"),
    (torch.zeros(2, 8), ValueError, "at least 3x3"),
])
def test_sobel_magnitude_refuses_what_is_not_a_grey_image(bad, error, words):
    with pytest.raises(error, match=words):
        pool.sobel_magnitude(bad)


def test_edge_map_is_the_sobel_magnitude_of_the_grey_photo():
    photo = load_photo(size=40, gray=True)
    edges = pool.edge_map(40)
    assert edges.shape == (photo.shape[0] - 2, photo.shape[1] - 2)
    torch.testing.assert_close(edges, pool.sobel_magnitude(photo))
    assert edges.min() >= 0 and edges.max() > 1, "a photo has edges"


# ---- unchanged_fraction, outline, covered, changes --------------------------------------------------

def test_unchanged_fraction_counts_exactly_equal_positions():
    before = torch.arange(12.0).view(3, 4)
    after = before.clone()
    after[0, 0], after[2, 3] = -1.0, before[2, 3] + 1e-6
    assert pool.unchanged_fraction(before, after) == pytest.approx(10 / 12)
    assert pool.unchanged_fraction(before, before) == 1.0


def test_unchanged_fraction_refuses_mismatched_maps():
    with pytest.raises(ValueError, match=r"same shape.*\(3, 4\) and \(4, 3\)"):
        pool.unchanged_fraction(torch.zeros(3, 4), torch.zeros(4, 3))
    with pytest.raises(TypeError, match="two tensors"):
        pool.unchanged_fraction(np.zeros((2, 2)), torch.zeros(2, 2))


def test_outline_draws_the_border_of_each_marked_pixel_only():
    mask = np.zeros((3, 4), bool)
    mask[1, 2] = True
    rgb = np.zeros((3 * 5, 4 * 5, 3), np.uint8)
    pool.outline(mask, 5, (255, 0, 0), rgb)
    red = (rgb == (255, 0, 0)).all(-1)
    assert red.sum() == 4 * (5 - 1), "a 5x5 square's one-pixel border"
    assert red[5:10, 10:15].sum() == red.sum() and not red[6:9, 11:14].any(), "around pixel (1, 2), hollow"


@pytest.mark.parametrize("size, window, stride, padding", [
    (10, 2, 2, 0), (10, 2, 3, 0), (9, 3, 2, 1), (7, 2, 4, 1), (8, 1, 3, 0), (12, 5, 1, 2), (11, 4, 6, 2),
])
def test_covered_marks_the_pixels_average_pooling_sends_gradient_to(size, window, stride, padding):
    count = F.max_pool2d(torch.zeros(1, 1, 1, size), (1, window), (1, stride), (0, padding)).shape[-1]
    x = torch.ones(1, 1, 1, size, requires_grad=True)
    F.avg_pool2d(x, (1, window), (1, stride), (0, padding)).sum().backward()
    expected = (x.grad[0, 0, 0] != 0).numpy()
    np.testing.assert_array_equal(pool.covered(size, window, stride, padding, count), expected)


def test_changes_paints_differences_red_and_the_rest_grey():
    before = torch.zeros(4, 4)
    after = before.clone()
    after[1, 2] = 1.0
    rgb = pool.changes(before, after, factor=10)
    assert rgb.shape == (40, 40, 3) and rgb.dtype == np.uint8
    red = (rgb == pool.CHANGED).all(-1)
    assert red[10:20, 20:30].all() and red.sum() == 100 and (rgb[~red] == pool.SAME[0]).all()


# ---- PoolingExplorer -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def explorer():
    return pool.PoolingExplorer()


def torch_refuses(feature_map, window, stride, padding):
    """The reference for what is impossible: does F.max_pool2d refuse this setting?"""
    try:
        F.max_pool2d(feature_map[None, None], window, stride, padding)
    except RuntimeError:
        return True
    return False


def test_pooling_explorer_refuses_exactly_what_pytorch_refuses_with_a_message(explorer):
    seen_message = seen_fine = False
    for settings in sweep(explorer):
        message = explorer.update(**settings)
        assert explorer.error is None or isinstance(explorer.error, SettingError), repr(explorer.error)
        refused = torch_refuses(explorer.map, settings["window"], settings["stride"], settings["padding"])
        assert bool(message) == refused, (settings, message)
        seen_message, seen_fine = seen_message or bool(message), seen_fine or not message
    assert seen_message and seen_fine


def test_pooling_explorer_refuses_a_window_larger_than_the_padded_map():
    view = pool.PoolingExplorer(torch.rand(3, 4))
    message = view.update(window=6, stride=1, padding=1)
    assert "larger than the padded map (5x6)" in message and isinstance(view.error, SettingError)
    assert torch_refuses(view.map, 6, 1, 1)


@pytest.mark.parametrize("control, values", [
    ("window", (2, 3)), ("stride", (2, 1)), ("padding", (0, 1)), ("mode", ("max", "avg")),
])
def test_pooling_explorer_pictures_change_with_each_control(explorer, control, values):
    pictures = []
    for value in values:
        assert explorer.update(**{"window": 3, "stride": 2, "padding": 1, "mode": "max", control: value}) == ""
        pictures.append([p.rgb.copy() for p in explorer.panels])
    assert any(a.shape != b.shape or (a != b).any() for a, b in zip(*pictures)), f"{control} changed nothing"


@pytest.mark.parametrize("window, stride, padding", [(2, 2, 0), (3, 1, 1), (2, 3, 1), (5, 2, 2)])
def test_pooling_explorer_shows_pytorchs_output_and_counts_its_winners(explorer, window, stride, padding):
    assert explorer.update(window=window, stride=stride, padding=padding, mode="max") == ""
    out, indices = F.max_pool2d(explorer.map[None, None], window, stride, padding, return_indices=True)
    assert f"max pooling: {out.shape[-2]}x{out.shape[-1]} = {out.numel()} outputs" in explorer.text
    factor = explorer.panels[1].rgb.shape[0] // out.shape[-2]  # the pooled panel is the output, upscaled
    assert explorer.panels[1].rgb.shape[:2] == (out.shape[-2] * factor, out.shape[-1] * factor)
    winners = int(re.search(r"the (\d+) winning pixels", explorer.text).group(1))
    assert winners == torch.unique(indices).numel()
    red = (explorer.panels[0].rgb == pool.WINNER).all(-1)
    assert red.any() and explorer.panels[0].rgb.shape[0] <= 300


@pytest.mark.parametrize("window, stride, padding", [(2, 3, 0), (3, 3, 0), (2, 5, 1), (3, 1, 1)])
def test_pooling_explorer_dims_the_pixels_no_window_reads(explorer, window, stride, padding):
    assert explorer.update(window=window, stride=stride, padding=padding, mode="avg") == ""
    x = explorer.map[None, None].clone().requires_grad_(True)
    F.avg_pool2d(x, window, stride, padding).sum().backward()
    unread = int((x.grad == 0).sum())  # average pooling sends gradient to every pixel some window reads
    found = re.search(r"(\d+) pixels \(dimmed\) are in no window: (.*?)\.", explorer.text)
    assert (int(found.group(1)) if found else 0) == unread
    if found:
        assert ("stride" in found.group(2)) == (stride > window)


def test_pooling_explorer_average_mode_has_no_winners(explorer):
    assert explorer.update(window=2, stride=2, padding=0, mode="avg") == ""
    assert "winning" not in explorer.text and "1/4 of its gradient" in explorer.text
    assert not (explorer.panels[0].rgb == pool.WINNER).all(-1).any()


@pytest.mark.parametrize("bad", [torch.rand(3, 5, 5), torch.ones(5, 5, dtype=torch.long), "map"])
def test_pooling_explorer_refuses_a_feature_map_that_is_not_2d_floats(bad):
    with pytest.raises(ValueError, match=r"\(H, W\) float tensor"):
        pool.PoolingExplorer(bad)


# ---- ShiftExplorer ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shifter():
    return pool.ShiftExplorer()


def test_shift_explorer_never_fails_over_its_range(shifter):
    for settings in sweep(shifter):
        assert shifter.update(**settings) == "" and shifter.error is None, settings


def test_shift_explorer_moves_the_content_right_by_the_shift(shifter):
    for shift in range(1, shifter.MAX_SHIFT + 1):
        torch.testing.assert_close(shifter.crop(shift)[:, shift:], shifter.crop(0)[:, :-shift])


@pytest.mark.parametrize("shift, window", [(0, 2), (1, 2), (2, 2), (1, 4), (3, 3)])
def test_shift_explorer_reports_the_fractions_pytorch_gives(shifter, shift, window):
    shifter.update(shift=shift, window=window)
    assert f"Shifted {shift} px right, max pooled {window}x{window}." in shifter.text
    before, after = shifter.crop(0), shifter.crop(shift)
    same_map = (before == after).float().mean()
    same_pool = (F.max_pool2d(before[None], window) == F.max_pool2d(after[None], window)).float().mean()
    assert f"{same_pool:.0%} of the pooled outputs" in shifter.text
    assert f"{same_map:.0%} of the feature map" in shifter.text
    if shift == 0:
        assert "100% of the pooled outputs, 100% of the feature map" in shifter.text


@pytest.mark.parametrize("control, values", [("shift", (0, 1)), ("window", (2, 3))])
def test_shift_explorer_pictures_change_with_each_control(shifter, control, values):
    pictures = []
    for value in values:
        shifter.update(**{"shift": 1, "window": 2, control: value})
        pictures.append([p.rgb.copy() for p in shifter.panels])
    assert any(a.shape != b.shape or (a != b).any() for a, b in zip(*pictures)), f"{control} changed nothing"


def test_pooled_maps_are_drawn_at_their_inputs_scale(explorer, shifter):
    explorer.update(window=2, stride=2, padding=0)
    h, out = explorer.map.shape[0], F.max_pool2d(explorer.map[None, None], 2)
    factor = explorer.panels[0].rgb.shape[0] // h
    assert explorer.panels[1].rgb.shape[:2] == (out.shape[-2] * factor, out.shape[-1] * factor)
    assert explorer.panels[0].legend == explorer.panels[1].legend == ("activation", 0, explorer.vmax)
    shifter.update(shift=1, window=2)
    assert [p.rgb.shape[0] for p in shifter.panels] == [192, 192, 192, 96, 96, 96]




# ---- Checkers --------------------------------------------------------------------------------------

def verdict(capsys, checker, answer):
    ok = checker(answer)
    return ok, capsys.readouterr().out


def avg_pool_backward_by_loops(x, grad_out, k, s):
    grad = torch.zeros_like(x)
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            grad[i * s:i * s + k, j * s:j * s + k] += grad_out[i, j] / (k * k)
    return grad


def unfinished(*args):
    ...


def zero_inputs_then_zeros(x, grad_out, k, s):
    x.zero_()
    grad_out.zero_()
    return torch.zeros_like(x)


def test_avg_pool_backward_checker_passes_a_right_answer_and_hints_at_wrong_ones(capsys):
    ok, out = verdict(capsys, pool.check_avg_pool_backward, avg_pool_backward_by_loops)
    assert ok and out.startswith("✅")
    wrongs = [
        lambda x, g, k, s: g.repeat_interleave(k, 0).repeat_interleave(k, 1) / (k * k),  # only right when s == k
        lambda x, g, k, s: torch.zeros_like(x), lambda x, g, k, s: g, zero_inputs_then_zeros, unfinished,
        lambda *args: 1 / 0, lambda *args: "gradient", lambda *args: mock.ANY, lambda *args: 0.0,
    ]
    for wrong in wrongs:
        ok, out = verdict(capsys, pool.check_avg_pool_backward, wrong)
        assert not ok and out.startswith("❌") and "Hint:" in out, out


def test_avg_pool_backward_cases_cover_overlapping_and_skipped_pixels():
    strides = [(k, s) for _, k, s in pool.AVG_BACKWARD_CASES]
    assert any(s < k for k, s in strides) and any(s > k for k, s in strides) and any(s == k for k, s in strides)


@pytest.mark.parametrize("guess, ok, words", [
    (16 * 10 * 10 * 120 + 120, True, "measured value is 192120"), (48_120, False, "both poolings"),
    (192_000, False, "bias"), (1_600, False, "fc1's inputs"), (376_440, False, "10x10, not 14x14"),
    (1_106_040, False, "first pooling is still there"), (..., False, "write your prediction"),
    ("192120", False, "one number"), (mock.ANY, False, "one number"), (torch.tensor([1.0, 2.0]), False, "one number"),
])
def test_fc1_one_pooling_checker_names_each_common_mistake(capsys, guess, ok, words):
    verdict_, out = verdict(capsys, pool.check_fc1_one_pooling, guess)
    assert bool(verdict_) == ok and words in out, out


def test_fc1_one_pooling_answer_is_what_net_without_its_second_pooling_feeds_fc1():
    net = Net()
    with torch.no_grad():
        maps = net.conv2(net.pool(F.relu(net.conv1(torch.zeros(1, 3, 32, 32)))))  # no second pooling
    assert maps.shape == (1, 16, 10, 10)
    assert sum(p.numel() for p in torch.nn.Linear(maps[0].numel(), 120).parameters()) == 192_120


@pytest.mark.parametrize("answer, ok", [("B", True), ("b ", True), ("A", False), ("C", False), ("D", False),
                                        (..., False), ("E", False), (2, False), (mock.ANY, False)])
def test_gradient_choice_checker_explains_every_option(capsys, answer, ok):
    verdict_, out = verdict(capsys, pool.check_gradient_choice, answer)
    assert bool(verdict_) == ok and out.startswith("✅" if ok else "❌"), out
    assert all(len(why) > 40 for why in pool.gradient_choices().values())


@pytest.mark.parametrize("answer, ok, words", [
    ("B", True, "dilutes"), (" b", True, "e/4"), ("A", False, "same size"), ("C", False, "no padding"),
    ("D", False, "nothing is trained"), (..., False, "write one letter"), ("E", False, "one letter"),
    (["B"], False, "one letter"),
])
def test_max_or_average_checker_teaches_with_each_wrong_answer(capsys, answer, ok, words):
    verdict_, out = verdict(capsys, pool.check_max_or_average, answer)
    assert bool(verdict_) == ok and out.startswith("✅" if ok else "❌") and words in out, out


def test_max_or_average_checker_speaks_chinese(chinese, capsys):
    pool.check_max_or_average("A")
    pool.check_max_or_average("B")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("❌ 还不对。A：不对") and "一样大" in out[0]
    assert out[1].startswith("✅ 正确！对") and "e/4" in out[1]


def test_the_right_answer_about_averaging_holds_on_the_photo():
    # B says the mean shares a thin edge with the window's flat pixels. On the photo's edge map, a window holding one
    # edge pixel almost never passes an edge value on when averaged; one holding four always does.
    edges = pool.edge_map(256)[None]
    threshold = torch.quantile(edges, 0.9)
    count = (F.avg_pool2d((edges >= threshold).float(), 2) * 4).round()  # edge pixels in each 2x2 window
    kept = F.avg_pool2d(edges, 2) >= threshold
    assert (count == 1).sum() > 100 and kept[count == 1].float().mean() < 0.05
    assert kept[count == 4].all()
