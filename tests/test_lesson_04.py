"""Notebook 04's measured claims can fail: each of its asserts passes on the trained network and fails when the
control is swapped into the notebook's own cells (the untrained network, a loop without zero_grad, the same recipe
twice). Also what moved out of the lesson: the notebook's Net is the series' Net, and `shift` is a roll inside."""

import copy

import matplotlib
import pytest
import torch
from notebook_code import cells_source, run_cells

import utils.net

matplotlib.use("Agg")
NAME = "04_lenet_end_to_end.ipynb"
SETUP = ("07897beb", "8463e5b2", "2e076bda", "75946f03")  # Net, the data, net and initial (untrained), the hooks


def untrained(namespace, seed=1):
    """Another untrained Net from the notebook's own class: a control that is not the notebook's `initial`."""
    torch.manual_seed(seed)
    return namespace["Net"]()


@pytest.fixture(scope="module")
def setup():
    """The notebook's namespace after its setup cells (the offline set, as the tests set it), nothing trained."""
    from utils.train import accuracy, train

    return {**run_cells(NAME, *SETUP), "train": train, "accuracy": accuracy}


@pytest.fixture(scope="module")
def trained(setup):
    """The notebook's namespace after its training cell too."""
    namespace = {**setup, "net": copy.deepcopy(setup["net"])}
    return run_cells(NAME, "c6702711", namespace=namespace)  # train for EPOCHS epochs


def with_control(namespace, **swapped):
    """A copy of the namespace with some names bound to the control (the cells only read what they share)."""
    return {**namespace, **swapped}


def test_the_tests_see_the_strict_offline_set(trained):
    assert trained["STRICT"], "the controls below are about the offline set's asserts"


def test_accuracy_passes_trained_and_fails_on_the_untrained_network(trained):
    run_cells(NAME, "f6035a09", namespace=with_control(trained))
    with pytest.raises(AssertionError, match="95%"):
        run_cells(NAME, "f6035a09", namespace=with_control(trained, net=trained["initial"]))


@pytest.mark.parametrize("cells", [("f5688c9e", "7cbc18ad"), ("f5688c9e", "9e4b1be2", "ee1100cc")],
                         ids=["smoother kernels", "closer to the hand-made kernels"])
def test_kernel_claims_pass_trained_and_fail_on_another_untrained_network(trained, cells):
    run_cells(NAME, *cells, namespace=with_control(trained))
    with pytest.raises(AssertionError, match="smoother|resemble"):
        run_cells(NAME, *cells, namespace=with_control(trained, net=untrained(trained)))


def test_the_shift_cost_passes_trained_and_fails_on_the_untrained_network(trained):
    shifted = ("175d1c94", "6a08b28b", "c8bc66d0")
    namespace = run_cells(NAME, *shifted, namespace=with_control(trained, labels=trained["data"].test_labels))
    assert namespace["cost"][4] > 0.05, "the trained network loses accuracy to a 4-pixel shift"
    data = copy.copy(trained["data"])  # the control needs fewer test images to show its flat curve
    data.test_images, data.test_labels = data.test_images[:500], data.test_labels[:500]
    with pytest.raises(AssertionError, match="every further pixel"):
        run_cells(NAME, *shifted, namespace=with_control(trained, data=data, labels=data.test_labels,
                                                          net=trained["initial"]))


@pytest.fixture
def small(setup):
    """The namespace with 1,000 training images: the loop and the recipes compare the same way, faster."""
    data = copy.copy(setup["data"])
    data.train_images, data.train_labels = data.train_images[:1000], data.train_labels[:1000]
    return with_control(setup, data=data)


def test_train_is_the_written_loop_and_a_loop_without_zero_grad_is_not(small):
    run_cells(NAME, "b0d85d6b", "a0b00c55", namespace=small)
    loop = cells_source(NAME, "b0d85d6b")
    assert "optimizer.zero_grad()" in loop
    exec(loop.replace("optimizer.zero_grad()", "pass"), small)  # the control: gradients pile up
    with pytest.raises(AssertionError, match="train\\(\\) should be this loop"):
        run_cells(NAME, "a0b00c55", namespace=small)


def test_our_recipe_beats_the_tutorials_and_our_recipe_twice_does_not(small):
    run_cells(NAME, "cd5294e6", namespace=small)
    recipe = cells_source(NAME, "cd5294e6")
    tutorial = 'dict(batch_size=4, lr=0.001, optimizer="sgd")'
    assert recipe.count(tutorial) == 1
    with pytest.raises(AssertionError, match="faster|more accurate"):
        exec(recipe.replace(tutorial, "dict(batch_size=128)"), small)  # the control: the same recipe twice


def test_the_notebooks_net_is_the_series_net():
    net_class = run_cells(NAME, "07897beb")["Net"]
    torch.manual_seed(0)
    ours = net_class()
    torch.manual_seed(0)
    series = utils.net.Net()
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [(n, p.shape) for n, p in series.named_parameters()]
    images = torch.randn(5, 3, 32, 32)
    torch.testing.assert_close(ours(images), series(images))


def test_shift_is_a_roll_away_from_the_border():
    shift = run_cells(NAME, "175d1c94", namespace={"F": torch.nn.functional, "torch": torch})["shift"]
    images = torch.rand(8, 3, 32, 32)
    for dy, dx in ((0, 3), (2, 0), (-1, 0), (0, -4), (2, -1)):
        p = max(abs(dy), abs(dx))
        inside = (..., slice(p, -p), slice(p, -p))
        torch.testing.assert_close(shift(images, dy, dx)[inside], torch.roll(images, (dy, dx), (-2, -1))[inside])
        assert shift(images, dy, dx).shape == images.shape
