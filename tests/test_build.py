"""`python3 run.py build`: the teacher's copy is the series as it is; the student's has no solutions or
speaker notes, and still runs to the end with every exercise unanswered, each checker saying "not yet"."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build  # noqa: E402
import classroom  # noqa: E402
import sync_notebooks  # noqa: E402

NOTEBOOKS = sync_notebooks.notebook_paths()
NOT_YET = "❌ Not yet."
SOLUTIONS = re.compile(r"<details>.*?```python\n.*?```.*?</details>", re.S)


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dist")
    build.copies(folder)
    return folder


def cells(path):
    return json.loads(path.read_text())["cells"]


def exercises(path):
    """How many exercises a notebook has: one solution each."""
    return len(SOLUTIONS.findall("\n".join(classroom.text(c) for c in cells(path) if c["cell_type"] == "markdown")))


def test_the_teacher_copy_is_the_series_unchanged(dist):
    for path in NOTEBOOKS:
        assert (dist / "teacher" / "notebooks" / path.name).read_text() == path.read_text(), path.name
    for name in ["README.md", "pyproject.toml", "requirements.txt", "utils/__init__.py"]:
        assert (dist / "teacher" / name).read_bytes() == (ROOT / name).read_bytes(), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_student_copy_drops_solutions_and_notes_only(path, dist):
    original, student = cells(path), cells(dist / "student" / "notebooks" / path.name)
    assert not [c for c in student if "<details>" in classroom.text(c) or "notes" in classroom.tags(c)]
    dropped = [c for c in original if classroom.is_solution(c) or "notes" in classroom.tags(c)]
    assert len(student) == len(original) - len(dropped), "a cell that is no solution or note went missing"
    assert [c["id"] for c in student] == [c["id"] for c in original if c not in dropped]


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_links_in_the_copies_resolve(edition, dist):
    for path in [dist / edition / "README.md", *sorted((dist / edition / "notebooks").glob("*.ipynb"))]:
        text = path.read_text() if path.suffix == ".md" else "\n".join(
            classroom.text(c) for c in cells(path) if c["cell_type"] == "markdown")
        for link in re.findall(r"\]\(([^)\s]+)\)", text):
            if not link.startswith(("http://", "https://", "#", "mailto:")):
                assert (path.parent / link.split("#")[0]).exists(), f"{edition}: {path.name} links to missing {link}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_student_copy_runs_to_the_end_with_every_exercise_not_yet_answered(path, dist):
    copy = dist / "student" / "notebooks" / path.name
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(copy.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert printed.count(NOT_YET) >= exercises(path) >= 1, \
        f"{path.name}: {exercises(path)} exercises, but {printed.count(NOT_YET)} checkers said {NOT_YET!r}"
