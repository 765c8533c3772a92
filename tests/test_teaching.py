"""The teacher's guide (TEACHING.md) agrees with the notebooks: sections, minutes, widgets, misconceptions, glossary."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import classroom  # noqa: E402
import sync_notebooks  # noqa: E402

from utils import conv, fc, lenet, pool  # noqa: E402,F401  (imported so every widget class is defined)
from utils.view import LiveView  # noqa: E402

NOTEBOOKS = sync_notebooks.notebook_paths()
GUIDE = (ROOT / "TEACHING.md").read_text()
WIDGETS = {cls.__name__ for cls in LiveView.__subclasses__()}
LINK = re.compile(r"\[(\d\d) › ([^\]]+)\]\((notebooks/[^)]+\.ipynb)\)(?:, the cell \*([^*]+)\*)?")


def cells(path):
    return json.loads(path.read_text())["cells"]


def part(number, guide=GUIDE):
    """The guide's part for notebook `number` ("01"): from its `## 01 · ` heading to the next `## `."""
    match = re.search(rf"^## {number} · .*?(?=^## |\Z)", guide, re.S | re.M)
    assert match, f"TEACHING.md has no part '## {number} · ...'"
    return match.group(0)


def lesson_plan(text):
    """The rows of a part's table: [(section title, "core"/"optional", minutes)]."""
    return [(title.strip(), kind, int(minutes))
            for title, kind, minutes in re.findall(r"^\| (.+?) \| (core|optional) \| (\d+) \|$", text, re.M)]


def widget_cells(notebook_cells):
    """Indices of the code cells that display a widget (a LiveView) as their last line."""
    found = []
    for i, cell in enumerate(notebook_cells):
        source = classroom.text(cell).strip()
        if cell["cell_type"] != "code" or not source:
            continue
        last = source.splitlines()[-1].strip()
        made = {m.group(1) for m in re.finditer(r"^(\w+) = (?:\w+\.)?(\w+)\(", source, re.M) if m.group(2) in WIDGETS}
        shown = re.match(r"(?:\w+\.)?(\w+)\(", last)
        if last in made or (shown and shown.group(1) in WIDGETS):
            found.append(i)
    return found


def normalized(text):
    return re.sub(r"[*`\-]", "", text.lower())


def test_lesson_plan_rows_are_read():
    text = "## 01 · T\n\n| section | path | minutes |\n|---|---|---|\n| A · 甲 | core | 8 |\n| B | optional | 0 |\n"
    assert lesson_plan(part("01", text)) == [("A · 甲", "core", 8), ("B", "optional", 0)]


def test_widget_cells_are_found_and_class_attributes_are_not():
    made = [{"cell_type": "code", "source": ["x = fc.TemperatureExplorer(z)\n", "x "]},
            {"cell_type": "code", "source": ["for t in fc.TemperatureExplorer.TEMPERATURES:\n", "    print(t)"]},
            {"cell_type": "code", "source": ["conv.ShapeCalculator()"]},
            {"cell_type": "code", "source": ["y = 1\n", "y"]}]
    assert widget_cells(made) == [0, 2]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_guide_and_the_notebook_agree_on_every_section(path):
    number = path.name[:2]
    plan = lesson_plan(part(number))
    notebook = classroom.sections(cells(path))
    assert classroom.guide_disagreements(cells(path), [(title, kind) for title, kind, _ in plan]) == []
    minutes = {s["title"]: s["minutes"] for s in notebook}
    wrong = [(title, m, minutes[title]) for title, _, m in plan if minutes[title] != m]
    assert not wrong, f"{path.name}: (section, minutes in the guide, minutes tag) {wrong}"
    assert [title for title, _, _ in plan] == [s["title"] for s in notebook], "the guide lists the sections in order"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_lesson_paths_fit_their_time_and_the_guide_says_so(path):
    text = part(path.name[:2])
    plan = lesson_plan(text)
    core = sum(m for _, kind, m in plan if kind == "core")
    everything = sum(m for _, _, m in plan)
    assert core <= 45 and everything <= 90, f"{path.name}: core {core} min, everything {everything} min"
    assert f"45-minute path: the core sections, {core} minutes" in text
    assert f"90-minute path: every section, {everything} minutes" in text
    assert any(kind == "optional" and "Exercises" in title for title, kind, _ in plan), "exercises are optional"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_widget_has_notes_before_it_and_a_question_in_the_guide(path):
    notebook = cells(path)
    widgets = widget_cells(notebook)
    assert widgets, f"{path.name}: no widget found; is the widget detection out of date?"
    for i in widgets:
        before = notebook[i - 1]
        assert "notes" in classroom.tags(before), f"{path.name}: cell {i} shows a widget, no speaker notes before it"
        assert "?" in classroom.text(before), f"{path.name}: the notes before cell {i} ask the class no question"
    text = part(path.name[:2])
    for i in widgets:
        name = next(w for w in WIDGETS if w in classroom.text(notebook[i]))
        assert f"**{name}**" in text, f"TEACHING.md's part for {path.name} gives no question for {name}"


def test_notes_cells_are_markdown_with_unique_ids():
    for path in NOTEBOOKS:
        notebook = cells(path)
        ids = [c["id"] for c in notebook]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate cell ids"
        notes = [c for c in notebook if "notes" in classroom.tags(c)]
        assert notes and all(c["cell_type"] == "markdown" and classroom.heading(c) is None for c in notes)


def test_each_misconception_links_to_a_heading_and_a_cell_that_exist():
    misconceptions = re.search(r"^## Common misconceptions.*?(?=^## |\Z)", GUIDE, re.S | re.M).group(0)
    items = re.findall(r"^- \*\*.+$", misconceptions, re.M)
    assert len(items) >= 8
    for item in items:
        links = LINK.findall(item)
        assert links, f"a misconception without a link to the cell that dispels it: {item[:80]}"
        for number, title, target, phrase in links:
            path = ROOT / target
            assert path.name.startswith(number) and path.exists(), target
            notebook = cells(path)
            starts = [i for i, c in enumerate(notebook) if (classroom.heading(c) or (0, None))[1] == title]
            assert starts, f"{target} has no heading {title!r}"
            level = classroom.heading(notebook[starts[0]])[0]
            end = next((j for j in range(starts[0] + 1, len(notebook))
                        if (classroom.heading(notebook[j]) or (9,))[0] <= level), len(notebook))
            section = " ".join(classroom.text(c) for c in notebook[starts[0]:end])
            assert not phrase or phrase in section, f"{target} § {title!r} has no cell saying {phrase!r}"


def test_the_guide_names_the_classroom_commands():
    for command in ("python3 run.py lab", "python3 run.py class", "python3 run.py build", "utils.presenter(True)"):
        assert command in GUIDE, command


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_glossary_uses_the_series_terms_and_the_notebook_uses_them(path):
    terms = {}
    for row in (ROOT / "i18n" / "glossary.tsv").read_text().splitlines()[1:]:
        english, chinese = row.split("\t")[:2]
        terms[english] = chinese
    notebook = cells(path)
    [glossary] = [c for c in notebook if classroom.heading(c) == (2, "Glossary · 术语表")]
    assert notebook.index(glossary) == len(notebook) - 2, "the glossary comes last, before the bottom navigation"
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", classroom.text(glossary), re.M)[2:]  # after the header and rule
    assert rows, f"{path.name}: an empty glossary"
    body = normalized(" ".join(classroom.text(c) for c in notebook if c is not glossary))
    for english, chinese in rows:
        assert terms.get(english) == chinese, f"{path.name}: {english!r} | {chinese!r} is not a row of glossary.tsv"
        used = [normalized(p.strip()) for p in english.split("/")] + [chinese]
        assert any(u in body for u in used), f"{path.name}: the glossary lists {english!r}, never used in the notebook"
