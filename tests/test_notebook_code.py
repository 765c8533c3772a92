"""tests/notebook_code.py loads what a notebook defines, and only that."""

import torch
import torch.nn.functional as F
from notebook_code import definitions


def test_a_notebooks_functions_load_without_running_its_cells():
    code = definitions("01_convolution.ipynb")
    x, w = torch.randn(1, 2, 6, 6), torch.randn(3, 2, 3, 3)
    torch.testing.assert_close(code["conv2d_im2col"](x, w), F.conv2d(x, w))
    assert "photo" not in code, "top-level statements (loading the photo) must not run"
