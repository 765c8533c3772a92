"""The functions a notebook defines, loaded for unit tests without running the notebook's cells."""

import ast
import json
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def magic(line):
    """A line of Python, with an IPython magic (%pip ...) replaced by `pass` at the same indent."""
    stripped = line.lstrip()
    return line[:len(line) - len(stripped)] + "pass" if stripped.startswith(("%", "!")) else line


def definitions(name):
    """notebooks/<name> -> a namespace holding its imports, functions and classes (nothing else runs)."""
    cells = json.loads((NOTEBOOKS / name).read_text())["cells"]
    namespace = {"__name__": f"notebook {name}"}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        source = "\n".join(magic(line) for line in lines)
        kept = [node for node in ast.parse(source).body if isinstance(node, KEPT)]
        exec(compile(ast.Module(kept, type_ignores=[]), f"{name} cell {cell['id']}", "exec"), namespace)
    return namespace


def cells_source(name, *cell_ids):
    """The code of the cells `cell_ids` of notebooks/<name>, in the notebook's order, magics made `pass`."""
    cells = {c["id"]: c for c in json.loads((NOTEBOOKS / name).read_text())["cells"]}
    missing = [i for i in cell_ids if i not in cells]
    assert not missing, f"{name} has no cells {missing} (a test names them: update the test with the notebook)"
    markdown = [i for i in cell_ids if cells[i]["cell_type"] != "code"]
    assert not markdown, f"{name}: cells {markdown} are not code cells"
    return "\n".join(magic(line) for i in cell_ids for line in "".join(cells[i]["source"]).splitlines())


def run_cells(name, *cell_ids, namespace=None):
    """Run cells of notebooks/<name> (by id, in the order given) in `namespace`; gives the namespace.

    A control test runs the cells that set a measurement up, swaps the control into the namespace (untrained
    weights, average pooling), then runs the cell that asserts the claim and expects its AssertionError."""
    namespace = {"__name__": f"notebook {name}"} if namespace is None else namespace
    for cell_id in cell_ids:
        exec(compile(cells_source(name, cell_id), f"{name} cell {cell_id}", "exec"), namespace)
    return namespace


def pytorch_samples(name, variant=""):
    """PyTorch's own sample inputs (float64, CPU) for operator `name` -> (its OpInfo, [SampleInput])."""
    import torch
    from torch.testing._internal.common_methods_invocations import op_db  # needs expecttest (requirements-dev)

    op = next(op for op in op_db if op.name == name and op.variant_test_name == variant)
    return op, list(op.sample_inputs("cpu", torch.float64))


def described(sample):
    """One of PyTorch's sample inputs in one line: tensors by shape, other arguments as written."""
    import torch

    show = lambda value: f"tensor{list(value.shape)}" if isinstance(value, torch.Tensor) else repr(value)
    shown = [show(sample.input), *map(show, sample.args), *(f"{k}={show(v)}" for k, v in sample.kwargs.items())]
    return f"{sample.name or ''}({', '.join(shown)})"


def check_every_sample(samples, check):
    """Run check(sample) on every sample; fail naming each one it fails on (not only the first) -> its results."""
    import pytest

    results, failed = [], []
    for number, sample in enumerate(samples):
        try:
            results.append(check(sample))
        except (Exception, pytest.fail.Exception) as error:  # noqa: BLE001 - every disagreement is reported
            why = " ".join(str(error).split())
            failed.append(f"sample {number} {described(sample)}: {type(error).__name__}: {why}")
    assert not failed, f"{len(failed)} of {len(samples)} samples disagree with PyTorch:\n" + "\n".join(failed)
    return results
