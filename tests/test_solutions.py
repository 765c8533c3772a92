"""Every exercise's hidden solution, run on its own, is judged right by the notebook's own checker."""

import json
import re
from pathlib import Path

import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

RIGHT, WRONG = "✅ Right!", "❌ Not yet."
SOLUTION = re.compile(r"<details>.*?```python\n(.*?)```.*?</details>", re.S)


def solutions(path):
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return SOLUTION.findall(text)


SOLUTIONS = [(p.name, i, code) for p in sync_notebooks.notebook_paths() for i, code in enumerate(solutions(p))]


@pytest.mark.parametrize("path", sync_notebooks.notebook_paths(), ids=lambda p: p.name)
def test_each_notebook_has_at_least_three_exercises_with_solutions(path):
    assert len(solutions(path)) >= 3, f"{path.name}: expected >= 3 <details> solutions"


@pytest.mark.parametrize("name, index, code", SOLUTIONS, ids=[f"{n}-{i}" for n, i, _ in SOLUTIONS])
def test_solution_passes_its_checker(name, index, code, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"{name} solution {index + 1}", "exec"), {"__name__": "__solution__"})
    out = capsys.readouterr().out
    right, wrong = out.count(RIGHT), out.count(WRONG)
    assert right + wrong, f"solution {index + 1} of {name} never called a checker"
    assert not wrong, f"solution {index + 1} of {name} was judged wrong by its own checker:\n{out}"
