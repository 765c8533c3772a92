"""tests/notebook_code.py loads what a notebook defines, and only that."""

import json

import pytest
import torch
import torch.nn.functional as F
from notebook_code import NOTEBOOKS, definitions, run_cells


def test_a_notebooks_functions_load_without_running_its_cells():
    code = definitions("01_convolution.ipynb")
    x, w = torch.randn(1, 2, 6, 6), torch.randn(3, 2, 3, 3)
    torch.testing.assert_close(code["conv2d_im2col"](x, w), F.conv2d(x, w))
    assert "photo" not in code, "top-level statements (loading the photo) must not run"


def test_cells_run_by_id_in_a_namespace_a_test_can_change():
    cells = json.loads((NOTEBOOKS / "01_convolution.ipynb").read_text())["cells"]
    code = [c["id"] for c in cells if c["cell_type"] == "code" and c["id"] != "colab-setup"]
    namespace = run_cells("01_convolution.ipynb", code[0], namespace={"kept": 1})
    assert namespace["kept"] == 1 and len(namespace) > 2, "the cell ran in the namespace given"
    with pytest.raises(AssertionError, match="not code cells"):
        run_cells("01_convolution.ipynb", cells[2]["id"])
