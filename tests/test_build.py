"""`python3 run.py build`: the teacher's copy is the series as it is; the student's has no solutions or
speaker notes and the same code, so it runs to the end with every exercise unanswered, each checker saying
"not yet".

The copies are checked file by file (no kernel). That every exercise is left for the student is read from
the outputs of the notebooks run once for `python3 run.py test all` (tests/conftest.py's `executed`), in
tests/test_site.py beside the site's other checks of that run (a test file stays on one xdist worker, so the
notebooks run once): the student copy runs exactly that code. One student copy is run itself, to show the
copy works where it lies.
"""

import json
import re

import build
import classroom
import nbformat
import pytest
import sync_notebooks
from nbclient import NotebookClient

from utils.messages_zh import ZH

EDITIONS = {sync_notebooks.NOTEBOOKS: "en", sync_notebooks.CHINESE: "zh"}
NOTEBOOKS = [p for folder in EDITIONS for p in sync_notebooks.notebook_paths(folder)]
NOT_YET = {"en": "❌ Not yet.", "zh": ZH["❌ Not yet. {hint}"].format(hint="").strip()}
SOLUTIONS = re.compile(r"<details>.*?```python\n.*?```.*?</details>", re.S)
RUN = sync_notebooks.CHINESE / "01_convolution.ipynb"  # the student copy run in a kernel: the quickest notebook


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dist")
    build.copies(folder)
    return folder


def cells(path):
    return json.loads(path.read_text())["cells"]


def copy_of(path, dist, edition):
    """Where notebook `path` lies in the teacher's or the student's copy."""
    return dist / edition / path.relative_to(build.ROOT)


def exercises(path):
    """How many exercises a notebook has: one solution each."""
    return len(SOLUTIONS.findall("\n".join(classroom.text(c) for c in cells(path) if c["cell_type"] == "markdown")))


def not_yet_said(path, nb):
    """How many times the checkers said "not yet" in the outputs of `nb`, a run of notebook `path`."""
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    printed = "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    return printed.count(NOT_YET[EDITIONS[path.parent]])


def test_the_teacher_copy_is_the_series_unchanged(dist):
    for path in NOTEBOOKS:
        assert copy_of(path, dist, "teacher").read_text() == path.read_text(), path.name
    for name in ["README.md", "pyproject.toml", "requirements.txt", "utils/__init__.py"]:
        assert (dist / "teacher" / name).read_bytes() == (build.ROOT / name).read_bytes(), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=sync_notebooks.relative)
def test_the_student_copy_has_the_same_code_and_drops_solutions_and_notes_only(path, dist):
    original, student = cells(path), cells(copy_of(path, dist, "student"))
    code = lambda cells: [(c["id"], c["source"], c.get("metadata")) for c in cells if c["cell_type"] == "code"]
    assert code(student) == code(original), "the student copy runs exactly the series' code"
    assert not [c for c in student if "<details>" in classroom.text(c) or "notes" in classroom.tags(c)]
    dropped = [c for c in original if classroom.is_solution(c) or "notes" in classroom.tags(c)]
    assert len(student) == len(original) - len(dropped), "a cell that is no solution or note went missing"
    assert [c["id"] for c in student] == [c["id"] for c in original if c not in dropped]
    assert exercises(path) >= 1 and exercises(copy_of(path, dist, "student")) == 0


@pytest.mark.parametrize("edition", ["teacher", "student"])
def test_links_in_the_copies_resolve(edition, dist):
    for path in [dist / edition / "README.md", *sorted((dist / edition / "notebooks").rglob("*.ipynb"))]:
        text = path.read_text() if path.suffix == ".md" else "\n".join(
            classroom.text(c) for c in cells(path) if c["cell_type"] == "markdown")
        for link in re.findall(r"\]\(([^)\s]+)\)", text):
            if not link.startswith(("http://", "https://", "#", "mailto:")):
                assert (path.parent / link.split("#")[0]).exists(), f"{edition}: {path.name} links to missing {link}"


@pytest.mark.kernels
def test_a_student_copy_runs_to_the_end_where_it_lies(dist):
    copy = copy_of(RUN, dist, "student")
    nb = nbformat.read(copy, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(copy.parent)}}).execute()
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not_yet_said(RUN, nb) >= exercises(RUN) >= 1
