"""Every notebook's core path fits a 45-minute lesson a student does alone (tools/core_path.py), and its
sections' minutes tags (which TEACHING.md's tables repeat) come from the one reading model."""

import json
from pathlib import Path

import core_path
import pytest

NOTEBOOKS = core_path.notebooks()


def markdown(text, *tags):
    return {"cell_type": "markdown", "id": text[:8], "metadata": {"tags": list(tags)}, "source": [text]}


def code(text):
    return {"cell_type": "code", "id": text[:8], "metadata": {}, "source": [text], "outputs": []}


LESSON = [
    markdown("# 01 · Title"),
    markdown("## 1. Core part", "core"),
    markdown("Read these five words."),
    code("x = 1\n# a comment is not a line to read\n\nassert x == 1"),
    markdown("Predict: what is x?", "predict"),
    code("check_answer(x)"),
    markdown("### Deep dive · 深入: skipped"),
    code("y = 2\nz = 3"),
    markdown("### Back on the path"),
    markdown("Speaker notes are not read by students.", "notes"),
    markdown("<details><summary>Solution</summary>hidden words</details>"),
    markdown("## 2. Optional part", "optional"),
    code("w = 4"),
]


def test_the_core_path_skips_deep_dives_solutions_notes_and_optional_sections():
    figures = core_path.core_path(LESSON)
    assert figures["code lines"] == 3, "x = 1, the assert and the check; not the deep dive, the comment, the blank"
    assert (figures["asserts"], figures["predict"], figures["exercises"], figures["widgets"]) == (1, 1, 1, 0)
    assert figures["words"] == len("01 Title 1. Core part Read these five words. Predict: what is x? Back on the "
                                   "path".replace("1.", "1").split())


def test_chinese_counts_two_characters_a_word():
    assert core_path.words("卷积层 is a layer") == 1.5 + 3


def test_a_size_is_one_word_with_either_sign():
    assert core_path.words("a 2×2 window on 3×32×32 images") == core_path.words("a 2x2 window on 3x32x32 images") == 6


def test_a_path_past_its_budget_is_reported():
    path = Path("01_x.ipynb")
    long = [markdown("## A", "core"), markdown("word " * 1400), code("\n".join(f"x{i} = {i}" for i in range(131)))]
    found = core_path.problems(path, core_path.core_path(long), long)
    assert any(p.startswith("words 1401 > 1300") for p in found), found
    assert any(p.startswith("code lines 131 > 130") for p in found), found
    assert "predict 0 < 2" in found and "exercises 0 < 1" in found
    assert "no core section on ReLU" in found, "notebook 01's core path must hold ReLU"
    assert core_path.problems(Path("02_x.ipynb"), core_path.core_path(LESSON), LESSON) == ["predict 1 < 2"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(p.parents[1] if p.parent.name == "zh"
                                                                          else p.parent).as_posix())
def test_the_core_path_fits_its_budget(path):
    cells = json.loads(path.read_text())["cells"]
    found = core_path.problems(path, core_path.core_path(cells), cells)
    assert not found, f"{path.name}: {found} (python tools/core_path.py prints the table)"


@pytest.mark.parametrize("path", NOTEBOOKS[:len(NOTEBOOKS) // 2], ids=lambda p: p.name)
def test_the_minutes_tags_come_from_the_reading_model(path):
    minutes = {}
    for edition in (path, path.parent / "zh" / path.name):
        cells = json.loads(edition.read_text())["cells"]
        minutes[edition] = [t for c in cells for t in c.get("metadata", {}).get("tags", []) if t.startswith("minutes=")]
    expected = [f"minutes={m}" for m in core_path.section_minutes(json.loads(path.read_text())["cells"]).values()]
    assert minutes[path] == expected, f"{path.name}: run python tools/core_path.py --write {path.name[:2]}"
    assert minutes[path.parent / "zh" / path.name] == expected, f"zh/{path.name}: run python tools/editions.py"
