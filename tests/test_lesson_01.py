"""Notebook 01's measured claims can fail: each test runs the cells of a claim, checks that its assert holds, then
swaps in the control (the kernel turned, the identity kernel, a layer without sharing, stride 1, the jump forgotten,
no ReLU) and sees the same assert fail. Checks that prove the lesson's code right live here too."""

import itertools
import types

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from notebook_code import definitions, run_cells

NOTEBOOK = "01_convolution.ipynb"
IMPORTS, PHOTO, EDGES = "d144de77", "6727f068", "1a647e72"


@pytest.fixture(autouse=True)
def no_figures(monkeypatch):
    """The cells draw with matplotlib: nowhere to show them here."""
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: plt.close("all"))


def run(*cell_ids, namespace=None):
    return run_cells(NOTEBOOK, *cell_ids, namespace=namespace)


def fails(cell_id, namespace):
    """Run the asserting cell on a namespace holding the control: its assert must fail."""
    with pytest.raises(AssertionError):
        run(cell_id, namespace=namespace)


def functional(**replaced):
    """torch.nn.functional with some functions replaced (how a test puts a control inside a cell's own call)."""
    shim = types.ModuleType("F")
    shim.__dict__.update(F.__dict__)
    shim.__dict__.update(replaced)
    return shim


def test_no_flip_fails_for_the_kernel_turned_by_180_degrees():
    ns = run(IMPORTS, "84202b5f", "6ee1caab")  # the claim holds: F.conv2d gives `out`
    x, turned = ns["x"], ns["w"].flip(0, 1)
    ns["out"] = torch.stack([torch.stack([(x[i:i + 3, j:j + 3] * turned).sum() for j in range(2)]) for i in range(2)])
    fails("6ee1caab", ns)  # what the loops give with the kernel turned (the mathematicians' convolution)


@pytest.fixture(scope="module")
def photo_maps():
    """The notebook's setup and its photo's feature maps (section 3), run once for the tests that start from them."""
    import matplotlib.pyplot as plt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plt, "show", lambda *args, **kwargs: plt.close("all"))
        return run(IMPORTS, PHOTO)


def test_edge_kernels_answer_edges_but_not_the_identity_kernel_nor_random_pixels(photo_maps):
    run(EDGES, namespace=dict(photo_maps))  # the claim holds
    identity = dict(photo_maps)
    names = identity["names"]
    identity["maps"] = photo_maps["maps"].clone()
    identity["maps"][names.index("sobel x")] = photo_maps["maps"][names.index("identity")]
    fails(EDGES, identity)  # a kernel that only copies brightness: about 2x, not 10x
    noise = dict(photo_maps)  # edge and flat pixels picked from an unrelated picture: no preference left
    noise["photo"] = torch.rand(photo_maps["photo"].shape, generator=torch.Generator().manual_seed(0))
    fails(EDGES, noise)


def test_the_stripe_kernel_answers_stripes_and_the_edge_kernel_does_not():
    ns = run(IMPORTS, "985e992f", "b8a70977")  # the claim holds
    for control in ["laplacian", "sobel x"]:  # answers stripes either way round; answers none
        ns["kernels"] = {"stripe kernel": ns["conv"].kernel(control), "sobel x": ns["conv"].kernel("sobel x")}
        fails("b8a70977", ns)
    ns["kernels"] = {"stripe kernel": torch.tensor([[-1.0, 2, -1]] * 3), "sobel x": torch.tensor([[-1.0, 2, -1]] * 3)}
    fails("b8a70977", ns)  # the control of the control: a kernel that does answer the stripes in Sobel's place


def test_the_learned_kernel_is_the_one_that_made_the_examples(photo_maps):
    ns = run("26a164b5", "a192b438", namespace=dict(photo_maps))  # Sobel x, found
    ns["targets"] = F.conv2d(ns["inputs"], ns["conv"].kernel("sobel y")[None, None])
    fails("a192b438", ns)  # examples made by Sobel y teach Sobel y, not Sobel x


def test_sharing_not_locality_is_what_saves_the_most(photo_maps):
    ns = run("d179b9f5", "c0f2f877", "bb9f6dd6", namespace=dict(photo_maps))  # the claim holds
    assert ns["local_params"] == 28 * 28 * 456
    ns["params"] = ns["local_params"]  # conv1 without sharing: its own kernels at every position
    fails("bb9f6dd6", ns)


def test_the_locally_connected_count_is_one_weight_per_connection_and_one_bias_per_output():
    read_counts = definitions(NOTEBOOK)["read_counts"]
    connections = int(read_counts(32, 5).sum()) * 3 * 6  # every (input pixel, output pixel) read, per channel pair
    assert 28 * 28 * 6 * (3 * 5 * 5 + 1) == connections + 6 * 28 * 28  # the notebook's local_params


def test_equivariance_fails_for_a_layer_that_does_not_share_its_kernel(photo_maps):
    ns = run("bf65a858", namespace=dict(photo_maps))  # the claim holds
    ramp = torch.linspace(1, 2, 218)  # a different weight at every column: the kernel is no longer shared

    def unshared(x, w, **settings):
        out = F.conv2d(x, w, **settings)
        return out * ramp[:out.shape[-1]]

    ns["F"] = functional(conv2d=unshared)
    fails("bf65a858", ns)


def test_odd_shifts_at_stride_two_match_no_move_but_at_stride_one_they_do(photo_maps):
    ns = run("bf65a858", "56cc1f5d", namespace=dict(photo_maps))  # the claim holds for moves 0 to 5
    ns["F"] = functional(conv2d=lambda x, w, stride=1, **settings: F.conv2d(x, w, **settings))  # stride 1
    fails("56cc1f5d", ns)


def test_odd_shifts_at_stride_two_match_no_move_in_a_wider_range(photo_maps):
    x, w = photo_maps["photo"][None, None], photo_maps["conv"].kernel("sobel x")[None, None]
    old = F.conv2d(x, w, stride=2)
    new = F.conv2d(photo_maps["conv"].shifted(x, 1, 1), w, stride=2)
    for m in range(-10, 11):  # the old output moved by m positions, up-left or down-right
        a, b = (new[..., m:, m:], old[..., :old.shape[-2] - m, :old.shape[-1] - m]) if m >= 0 else (
            new[..., :m, :m], old[..., -m:, -m:])
        assert (a - b).abs().max() / old.abs().max() > 0.5, m


def test_the_receptive_field_check_fails_for_a_rule_that_forgets_the_jump():
    ns = run(IMPORTS, "c81e1d50", "3bbc60a9")  # the claim holds: 16, by the formula and by autograd
    assert ns["fields"] == {"conv1": 5, "pool1": 6, "conv2": 14, "pool2": 16}
    field, wrong = 1, {}
    for name, size, _ in ns["layers"]:
        field += size - 1  # the field grows by k - 1, as if every layer had stride 1
        wrong[name] = field
    ns["fields"] = wrong
    fails("3bbc60a9", ns)


def test_without_the_relu_two_convolutions_are_one_again(photo_maps):
    ns = run("74d051b9", namespace=dict(photo_maps))  # the claim holds
    ns["F"] = functional(relu=lambda t: t)
    fails("74d051b9", ns)


def test_the_edge_of_either_sign_needs_the_relu(photo_maps):
    ns = run("dca50592", "bfed6a15", namespace=dict(photo_maps))  # the claim holds
    shim = types.ModuleType("nn")
    shim.__dict__.update(nn.__dict__)
    shim.ReLU = nn.Identity  # the hidden layer without its ReLUs: a linear model again
    ns["nn"] = shim
    fails("bfed6a15", ns)


def test_the_linear_model_stays_flat_only_because_the_labels_are_symmetric(photo_maps):
    ns = run("dca50592", "bfed6a15", namespace=dict(photo_maps))  # the claim holds: flat, under half right
    ns["train_y"] = (ns["train_r"] > 0.5).float()  # strong positive edges only: a slope now pays off
    fails("bfed6a15", ns)  # the hidden layer's assert fails first here, so check the flat one's condition too
    linear_model, test_r = ns["linear_model"], ns["test_r"]  # trained on the control before the asserts ran
    assert not (linear_model(test_r).abs().max() < 0.1 and ns["linear"] < 0.5), ns["linear"]


def test_output_size_equals_pytorch_or_refuses_where_pytorch_does_on_a_grid():
    output_size = definitions(NOTEBOOK)["output_size"]
    checked = refused = 0
    for n, k, p, s, d in itertools.product(range(1, 13), range(1, 6), range(3), range(1, 4), range(1, 4)):
        try:
            expected = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p,
                                dilation=d).shape[-1]
        except RuntimeError:  # "Kernel size can't be greater than actual input size"
            with pytest.raises(ValueError, match="more than n\\+2p"):
                output_size(n, k, p, s, d)
            refused += 1
        else:
            assert output_size(n, k, p, s, d) == expected, (n, k, p, s, d)
        checked += 1
    assert refused > 100 and checked - refused > 1000, (checked, refused)
