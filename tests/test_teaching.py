"""The teacher's guides (TEACHING.md and TEACHING.zh-CN.md) agree with their notebooks: sections, minutes, widgets,
misconceptions, glossary; the Chinese one uses the glossary's terms."""

import json
import re
from pathlib import Path

import classroom
import editions
import pytest
import sync_notebooks

from utils import conv, fc, lenet, pool  # noqa: F401  (imported so every widget class is defined)
from utils.view import LiveView

ROOT = Path(__file__).resolve().parent.parent

# Each edition: its guide, its notebooks, and how its guide words the lesson paths, the cell a link points at
# and the classroom commands.
EDITIONS = {
    "en": {"guide": "TEACHING.md", "folder": sync_notebooks.NOTEBOOKS, "cell": ", the cell ",
           "core": "45-minute path: the core sections, {} minutes",
           "everything": "90-minute path: every section, {} minutes",
           "commands": ("python3 run.py lab", "python3 run.py class", "python3 run.py build", "utils.presenter(True)")},
    "zh": {"guide": "TEACHING.zh-CN.md", "folder": sync_notebooks.CHINESE, "cell": " 中的单元格 ",
           "core": "45 分钟路线：只讲核心小节，共 {} 分钟",
           "everything": "90 分钟路线：讲全部小节，共 {} 分钟",
           "commands": ("python3 run.py lab zh", "python3 run.py class", "python3 run.py build",
                        "utils.presenter(True)")},
}
GUIDES = {language: (ROOT / e["guide"]).read_text() for language, e in EDITIONS.items()}
PAIRS = [pytest.param(language, path, id=f"{language}-{path.name}")
         for language, e in EDITIONS.items() for path in sync_notebooks.notebook_paths(e["folder"])]
KINDS = {"core": "core", "optional": "optional", "核心": "core", "选读": "optional"}  # a guide's word: the tag
WIDGETS = {cls.__name__ for cls in LiveView.__subclasses__()}
GLOSSARY = editions.glossary()


def link_pattern(cell_words):
    """A link to a notebook's heading, then maybe the cell: `[01 › title](notebooks/...ipynb)<cell_words>*phrase*`."""
    return re.compile(rf"\[(\d\d) › ([^\]]+)\]\((notebooks/[^)]+\.ipynb)\)(?:{re.escape(cell_words)}\*([^*]+)\*)?")


def misconceptions(guide):
    """The items of the guide's misconceptions part (`## ...Common misconceptions`), one line each."""
    match = re.search(r"^## [^\n]*Common misconceptions.*?(?=^## |\Z)", guide, re.S | re.M)
    assert match, "the guide has no part '## ... Common misconceptions'"
    return re.findall(r"^- \*\*.+$", match.group(0), re.M)


def cells(path):
    return json.loads(path.read_text())["cells"]


def part(number, guide):
    """The guide's part for notebook `number` ("01"): from its `## 01 · ` heading to the next `## `."""
    match = re.search(rf"^## {number} · .*?(?=^## |\Z)", guide, re.S | re.M)
    assert match, f"the guide has no part '## {number} · ...'"
    return match.group(0)


def lesson_plan(text):
    """The rows of a part's table: [(section title, "core"/"optional", minutes)]; 核心/选读 are core/optional."""
    return [(title.strip(), KINDS[kind], int(minutes))
            for title, kind, minutes in re.findall(r"^\| (.+?) \| (core|optional|核心|选读) \| (\d+) \|$", text, re.M)]


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
    assert lesson_plan("| 甲 · A | 核心 | 8 |\n| 乙 · B | 选读 | 0 |\n| 丙 | 必讲 | 3 |\n") == [
        ("甲 · A", "core", 8), ("乙 · B", "optional", 0)]


def test_links_are_read_in_both_wordings():
    en = "[01 › 2. Size · 尺寸](notebooks/01_convolution.ipynb), the cell *Per-side*; [02 › X](notebooks/02_x.ipynb)"
    zh = "见 [01 › 2. 尺寸 · Size](notebooks/zh/01_convolution.ipynb) 中的单元格 *每侧填充*。"
    assert link_pattern(EDITIONS["en"]["cell"]).findall(en) == [
        ("01", "2. Size · 尺寸", "notebooks/01_convolution.ipynb", "Per-side"), ("02", "X", "notebooks/02_x.ipynb", "")]
    assert link_pattern(EDITIONS["zh"]["cell"]).findall(zh) == [
        ("01", "2. 尺寸 · Size", "notebooks/zh/01_convolution.ipynb", "每侧填充")]


def test_widget_cells_are_found_and_class_attributes_are_not():
    made = [{"cell_type": "code", "source": ["x = fc.TemperatureExplorer(z)\n", "x "]},
            {"cell_type": "code", "source": ["for t in fc.TemperatureExplorer.TEMPERATURES:\n", "    print(t)"]},
            {"cell_type": "code", "source": ["conv.ShapeCalculator()"]},
            {"cell_type": "code", "source": ["y = 1\n", "y"]}]
    assert widget_cells(made) == [0, 2]


@pytest.mark.parametrize("language, path", PAIRS)
def test_the_guide_and_the_notebook_agree_on_every_section(language, path):
    number = path.name[:2]
    plan = lesson_plan(part(number, GUIDES[language]))
    notebook = classroom.sections(cells(path))
    assert classroom.guide_disagreements(cells(path), [(title, kind) for title, kind, _ in plan]) == []
    minutes = {s["title"]: s["minutes"] for s in notebook}
    wrong = [(title, m, minutes[title]) for title, _, m in plan if minutes[title] != m]
    assert not wrong, f"{path.name}: (section, minutes in the guide, minutes tag) {wrong}"
    assert [title for title, _, _ in plan] == [s["title"] for s in notebook], "the guide lists the sections in order"


@pytest.mark.parametrize("language, path", PAIRS)
def test_the_lesson_paths_fit_their_time_and_the_guide_says_so(language, path):
    edition = EDITIONS[language]
    text = part(path.name[:2], GUIDES[language])
    plan = lesson_plan(text)
    core = sum(m for _, kind, m in plan if kind == "core")
    everything = sum(m for _, _, m in plan)
    assert core <= 45 and everything <= 90, f"{path.name}: core {core} min, everything {everything} min"
    assert edition["core"].format(core) in text
    assert edition["everything"].format(everything) in text
    assert any(kind == "optional" and re.search("Exercises|练习", title)
               for title, kind, _ in plan), "exercises are optional"


def test_both_guides_plan_the_same_lessons():
    for path in sync_notebooks.notebook_paths():
        plans = [lesson_plan(part(path.name[:2], guide)) for guide in GUIDES.values()]
        assert [row[1:] for row in plans[0]] == [row[1:] for row in plans[1]], f"{path.name}: kinds and minutes differ"
        widgets = [sorted(re.findall(r"^- \*\*(\w+)\*\*", part(path.name[:2], g), re.M)) for g in GUIDES.values()]
        assert widgets[0] == widgets[1], f"{path.name}: the guides ask about different widgets {widgets}"


@pytest.mark.parametrize("language, path", PAIRS)
def test_every_widget_has_notes_before_it_and_a_question_in_the_guide(language, path):
    notebook = cells(path)
    widgets = widget_cells(notebook)
    assert widgets, f"{path.name}: no widget found; is the widget detection out of date?"
    for i in widgets:
        before = notebook[i - 1]
        assert "notes" in classroom.tags(before), f"{path.name}: cell {i} shows a widget, no speaker notes before it"
        assert re.search("[?？]", classroom.text(before)), f"{path.name}: the notes before cell {i} ask no question"
    text = part(path.name[:2], GUIDES[language])
    for i in widgets:
        name = next(w for w in WIDGETS if w in classroom.text(notebook[i]))
        assert f"**{name}**" in text, f"{EDITIONS[language]['guide']}: no question for {name} ({path.name})"


@pytest.mark.parametrize("language", EDITIONS)
def test_notes_cells_are_markdown_with_unique_ids(language):
    for path in sync_notebooks.notebook_paths(EDITIONS[language]["folder"]):
        notebook = cells(path)
        ids = [c["id"] for c in notebook]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate cell ids"
        notes = [c for c in notebook if "notes" in classroom.tags(c)]
        assert notes and all(c["cell_type"] == "markdown" and classroom.heading(c) is None for c in notes)


@pytest.mark.parametrize("language", EDITIONS)
def test_each_misconception_links_to_a_heading_and_a_cell_that_exist(language):
    edition = EDITIONS[language]
    items = misconceptions(GUIDES[language])
    assert len(items) >= 8
    for item in items:
        links = link_pattern(edition["cell"]).findall(item)
        assert links, f"a misconception without a link to the cell that dispels it: {item[:80]}"
        for number, title, target, phrase in links:
            path = ROOT / target
            assert path.parent == edition["folder"], f"{edition['guide']} links to {target}, not its own edition"
            assert path.name.startswith(number) and path.exists(), target
            notebook = cells(path)
            starts = [i for i, c in enumerate(notebook) if (classroom.heading(c) or (0, None))[1] == title]
            assert starts, f"{target} has no heading {title!r}"
            level = classroom.heading(notebook[starts[0]])[0]
            end = next((j for j in range(starts[0] + 1, len(notebook))
                        if (classroom.heading(notebook[j]) or (9,))[0] <= level), len(notebook))
            section = " ".join(classroom.text(c) for c in notebook[starts[0]:end])
            assert not phrase or phrase in section, f"{target} § {title!r} has no cell saying {phrase!r}"


def test_both_guides_list_the_same_misconceptions():
    counts = {}
    for language, guide in GUIDES.items():
        items = misconceptions(guide)
        counts[language] = [[(n, Path(t).name) for n, _, t, _ in link_pattern(EDITIONS[language]["cell"]).findall(i)]
                            for i in items]
    assert counts["en"] == counts["zh"], "the guides' misconceptions differ (their links, item by item)"


@pytest.mark.parametrize("language", EDITIONS)
def test_the_guide_names_the_classroom_commands_and_links_the_other_guide(language):
    for command in EDITIONS[language]["commands"]:
        assert command in GUIDES[language], command
    for other in EDITIONS.values():
        if other["guide"] != EDITIONS[language]["guide"]:
            head = GUIDES[language].split("\n## ", 1)[0]
            assert f"]({other['guide']})" in head, f"{EDITIONS[language]['guide']} links to {other['guide']} at its top"


def test_the_chinese_guide_uses_no_rejected_variant():
    used = editions.rejected_in(GUIDES["zh"])
    assert not used, f"TEACHING.zh-CN.md uses rejected variants (variant: use instead): {used}"


@pytest.mark.parametrize("language, path", PAIRS)
def test_the_glossary_uses_the_series_terms_and_the_notebook_uses_them(language, path):
    terms = {row["english"]: row["中文"] for row in GLOSSARY}
    notebook = cells(path)
    titles = [(2, "Glossary · 术语表"), (2, "术语表 · Glossary"), (2, "术语表")]
    [glossary] = [c for c in notebook if classroom.heading(c) in titles]
    assert notebook.index(glossary) == len(notebook) - 2, "the glossary comes last, before the bottom navigation"
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", classroom.text(glossary), re.M)[2:]  # after the header and rule
    assert rows, f"{path.name}: an empty glossary"
    body = normalized(" ".join(classroom.text(c) for c in notebook if c is not glossary))
    for english, chinese in rows:
        assert terms.get(english) == chinese, f"{path.name}: {english!r} | {chinese!r} is not a row of glossary.tsv"
        used = [normalized(p.strip()) for p in english.split("/")] + [chinese]
        assert any(u in body for u in used), f"{path.name}: the glossary lists {english!r}, never used in the notebook"
