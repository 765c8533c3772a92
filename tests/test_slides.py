"""Slides, sections and student copies come from the notebooks' structure (tools/classroom.py)."""

import json
from pathlib import Path

import classroom
import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sync_notebooks.notebook_paths()
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes"}  # "-" is stored as no type: the deck's reading


def md(source, *tags, cell_id=None):
    return {"cell_type": "markdown", "id": cell_id or f"m{abs(hash(source)) % 10**8}", "source": [source],
            "metadata": {"tags": list(tags)} if tags else {}}


def code(source, cell_id=None):
    return {"cell_type": "code", "id": cell_id or f"c{abs(hash(source)) % 10**8}", "source": [source],
            "metadata": {}, "outputs": [], "execution_count": None}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_the_slide_type_its_structure_gives(path):
    cells = json.loads(path.read_text())["cells"]
    stored = [c["metadata"].get("slideshow", {}).get("slide_type", "-") for c in cells]
    written = {c["metadata"]["slideshow"].get("slide_type") for c in cells if "slideshow" in c["metadata"]}
    assert written <= SLIDE_TYPES, f"{path.name}: slide types jupyterlab-slideshow hides or does not know: " \
                                   f"{written - SLIDE_TYPES}; run tools/sync_notebooks.py"
    derived = classroom.slide_types(cells, sync_notebooks.GENERATED)
    wrong = [(i, s, d) for i, (s, d) in enumerate(zip(stored, derived)) if s != d]
    assert not wrong, f"{path.name}: (cell, stored, derived) {wrong}; run tools/sync_notebooks.py"
    shown = [c for c, kind in zip(cells, stored) if kind != "skip"]
    assert classroom.heading(shown[0])[0] == 1, f"{path.name}: the slideshow must open on the title"
    assert not any(classroom.is_solution(c) for c in shown), f"{path.name}: a solution shows in the slides"
    assert stored[-1] != "skip", f"{path.name}: from a skipped last cell (where Run All leaves you) the deck is blank"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_classroom_tags_are_well_formed(path):
    assert classroom.tag_problems(json.loads(path.read_text())["cells"]) == []


def test_headings_start_slides_and_subslides():
    cells = [md("# Title"), md("text"), code("x = 1"), md("## A section"), md("### A part"), md("#### small")]
    assert classroom.slide_types(cells) == ["slide", "-", "-", "slide", "subslide", "-"]


def test_a_deep_dive_is_skipped_up_to_the_next_heading_of_its_level():
    cells = [md("## Section"), md("### Deep dive: im2col"), code("a"), md("#### inside it"), code("b"),
             md("### Back on the slides"), md("## 深入 the details"), code("c"), md("## Next")]
    assert classroom.slide_types(cells) == ["slide", "skip", "skip", "skip", "skip", "subslide", "skip", "skip",
                                            "slide"]


def test_solutions_generated_cells_and_notes():
    cells = [md("nav", cell_id="navigation-top"), code("setup", cell_id="colab-setup"), md("# Title"),
             md("Ask the class first.", "notes"),
             md("<details><summary>Solution</summary>\n\n```python\nx\n```\n</details>"),
             md("### Deep dive: more"), md("nav", cell_id="navigation-bottom")]
    generated = {"navigation-top", "colab-setup", "navigation-bottom"}
    assert classroom.slide_types(cells, generated) == ["skip", "skip", "slide", "notes", "skip", "skip", "-"]


def test_the_student_copy_drops_solutions_and_notes_and_keeps_the_rest():
    solution = "<details><summary>Solution</summary>\n\n```python\nanswer = 4\n```\n</details>"
    cells = [md("# Title"), md("Talk about padding.", "notes"), md("**1.** Count it."), code("answer = ..."),
             md(solution), md(f"Before.\n\n{solution}\n\nAfter.")]
    kept = [classroom.text(c) for c in classroom.student_cells(cells)]
    assert kept == ["# Title", "**1.** Count it.", "answer = ...", "Before.\n\nAfter.\n"]
    assert "answer = 4" not in "".join(kept)


def slides(cells):
    """The cells with the slide metadata the sync tool gives them."""
    for cell, kind in zip(cells, classroom.slide_types(cells)):
        cell["metadata"]["slideshow"] = {"slide_type": kind}
    return cells


def test_sections_read_their_tags_and_slide_numbers():
    cells = slides([md("# Title"), md("## Idea", "core", "minutes=10"), md("### part"),
                    md("## Extra", "optional"), md("## Loose")])
    assert classroom.sections(cells) == [
        {"title": "Idea", "kind": "core", "minutes": 10, "slide": 1},
        {"title": "Extra", "kind": "optional", "minutes": None, "slide": 2},
        {"title": "Loose", "kind": None, "minutes": None, "slide": 3}]


def test_the_guide_must_agree_with_the_notebook():
    cells = slides([md("# Title"), md("## Idea", "core"), md("## Extra", "optional")])
    assert classroom.guide_disagreements(cells, [("Idea", "core"), ("Extra", "optional")]) == []
    problems = classroom.guide_disagreements(cells, [("Idea", "optional"), ("Missing", "core")])
    assert len(problems) == 3, problems
    assert any("'Idea' is optional in the guide but core" in p for p in problems)
    assert any("'Missing'" in p for p in problems) and any("'Extra' is missing" in p for p in problems)


@pytest.mark.parametrize("cell, problem", [
    (md("## S", "core", "optional"), "both core and optional"),
    (md("### S", "core"), "not a '## ' section heading"),
    (code("x") | {"metadata": {"tags": ["notes"]}}, "notes are markdown"),
    (md("## S", "core", "minutes=ten"), "minutes=N"),
    (md("Ask the class first.", "notes"), "label for the teacher"),
])
def test_bad_tags_are_named(cell, problem):
    [found] = classroom.tag_problems([cell])
    assert problem in found
