"""Notebook 03's lesson: its core path runs on its own, and every measured claim fails on its control.

Each control test runs the notebook's own cells (tests/notebook_code.run_cells), puts the control in place of the
measured object (the untrained weights, the head before training, no extra softmax, a layer that is not fully
connected, convolutions that see further) and runs the cell that asserts the claim: it must raise AssertionError.
So the notebook's asserts can fail, and a claim that stopped depending on what it measures would be caught.
"""

import copy
import json

import core_path
import pytest
import torch
import torch.nn as nn
from notebook_code import NOTEBOOKS, run_cells

NB = "03_fully_connected.ipynb"
CELLS = json.loads((NOTEBOOKS / NB).read_text())["cells"]


def core_code():
    """The ids of the code cells a student runs on the core path, in order (introduction and core sections)."""
    return [cell["id"] for _, kind, kept in core_path.sections(CELLS) if kind == "core"
            for cell in kept if cell["cell_type"] == "code"]


@pytest.fixture(scope="module")
def lesson():
    """The namespace after the core path, run alone: no optional cell, deep dive or solution ran before."""
    return run_cells(NB, *core_code())


def again(lesson, **controls):
    """A copy of the lesson's namespace with some names replaced (the objects they name are not copied)."""
    return {**lesson, **controls}


def test_the_core_path_runs_without_any_optional_cell(lesson):
    assert {"trained", "start", "model", "softmax", "cross_entropy"} <= set(lesson)


# ---- parameter learning: the loss falls, against the untrained weights -----------------------------------------

def test_the_loss_falls_only_because_of_training(lesson):
    run_cells(NB, "021609b2", namespace=again(lesson))  # as in the notebook: passes
    with pytest.raises(AssertionError):
        run_cells(NB, "021609b2", namespace=again(lesson, model=copy.deepcopy(lesson["start"])))


# ---- feature integration: the trained head needs many maps and places; the untrained one is the control ---------

def test_feature_integration_fails_for_the_untrained_network(lesson):
    run_cells(NB, "d159c1d8", namespace=again(lesson))
    with pytest.raises(AssertionError):
        run_cells(NB, "d159c1d8", namespace=again(lesson, trained=copy.deepcopy(lesson["net"])))


def test_feature_integration_is_not_one_map_carrying_the_answer(lesson):
    # A trained net whose fc1 reads map 0 only: one map alone then does as well as all maps, and the claim fails.
    one_map = copy.deepcopy(lesson["trained"])
    with torch.no_grad():
        one_map.fc1.weight.view(-1, 16, 25)[:, 1:] = 0
    with pytest.raises(AssertionError):
        run_cells(NB, "d159c1d8", namespace=again(lesson, trained=one_map))


# ---- why no softmax (optional section): the extra softmax is what shrinks the gradient and raises the loss -------

def test_the_extra_softmax_is_what_costs(lesson):
    run_cells(NB, "c49fc950", namespace=again(lesson))
    no_extra = lambda z, dim=-1: z  # the control: nothing between the model and the loss
    with pytest.raises(AssertionError):
        run_cells(NB, "c49fc950", namespace=again(lesson, softmax=no_extra))


# ---- regression (optional section): the trained head beats the baseline; the head before training does not ------

def test_regression_fails_with_the_head_before_training(lesson):
    namespace = run_cells(NB, "7e76c6ed", "1f5cc55b", namespace=again(lesson))
    with pytest.raises(AssertionError):
        run_cells(NB, "1f5cc55b", namespace=again(namespace, head=namespace["untrained_head"]))


# ---- how much each output sees (optional section) ----------------------------------------------------------------

def test_every_fc1_output_depends_on_every_input_fails_for_a_layer_that_is_not_fully_connected(lesson):
    run_cells(NB, "003f748e", namespace=again(lesson))
    local = copy.deepcopy(lesson["net"])
    with torch.no_grad():
        local.fc1.weight.view(-1, 16, 25)[:, :8] = 0  # each output ignores maps 0 to 7
    with pytest.raises(AssertionError):
        run_cells(NB, "003f748e", namespace=again(lesson, net=local))


def test_the_corners_fields_overlap_when_the_convolutions_see_further(lesson):
    run_cells(NB, "c8910813", namespace=again(lesson))
    wide = copy.deepcopy(lesson["net"])
    wide.conv2 = nn.Conv2d(6, 16, 5, dilation=3, padding=6)  # the same output size, a field more than twice as wide
    with pytest.raises(AssertionError, match="should not overlap"):
        run_cells(NB, "c8910813", namespace=again(lesson, net=wide))
