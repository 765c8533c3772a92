"""How long a notebook's core path takes a student alone: words, code lines, asserts, questions, minutes.

The core path is what a student reads and runs in a 45-minute lesson: the title and introduction, then
every `## ` section tagged "core", without its deep dives (a heading with "Deep dive" / "深入" up to the
next heading of the same or a higher level), solutions (`<details>`), speaker notes (tag "notes") and the
generated navigation and Colab cells.

    python tools/core_path.py            print the table for both editions; exit 1 past a budget
    python tools/core_path.py --write [NN ...]   also write each section's minutes=N tag (English notebooks,
                                                 all or those numbered; `tools/editions.py NN` copies them to zh)

Minutes come from one reading model, the same for every section (so TEACHING.md's minutes come from here):
prose at READING words a minute, a code line read and run in CODE_LINE minutes, and a fixed time to play
with each widget, answer each predict-then-check question and do each exercise. A "word" is a Latin word
or number (a size such as 2×2 or 3×32×32 is one word), or HAN_PER_WORD Chinese characters (a Chinese
translation runs about 2.2 characters per English word). A predict-then-check question is a markdown cell
tagged "predict"; an exercise is a code cell that calls a `check_...` function.
"""

import json
import math
import re
import sys
from pathlib import Path

import classroom

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {"navigation-top", "colab-setup", "navigation-bottom"}
BUDGET = {"words": 1300, "code lines": 130, "minutes": 45}  # at most
REQUIRED = {"predict": 2, "exercises": 1}  # at least, on the core path
# Topics a notebook's core path must hold (a `## ` heading containing the word, in either edition).
CORE_TOPICS = {"01": ["Receptive field|感受野", "ReLU"]}
READING, CODE_LINE, HAN_PER_WORD = 130, 0.15, 2  # words a minute; minutes a line; characters a word
WIDGET, PREDICT, EXERCISE = 2.0, 1.5, 3.0  # minutes each
WIDGET_CLASSES = sorted({m for path in (ROOT / "utils").glob("*.py")
                         for m in re.findall(r"^class (\w+)\((?:\w+\.)?LiveView\)", path.read_text(), re.M)})


def words(markdown):
    """Reading length of markdown in words: Latin words and numbers, plus Chinese characters / HAN_PER_WORD."""
    text = re.sub(r"<[^>]+>", " ", markdown)
    latin = len(re.findall(r"[A-Za-z0-9]+(?:['’.×][A-Za-z0-9]+)*", text))
    return latin + len(re.findall(r"[\u3400-\u9fff]", text)) / HAN_PER_WORD


def code_lines(code):
    """The lines a learner reads in a code cell: not blank, not only a comment."""
    return [line for line in code.splitlines() if line.strip() and not line.strip().startswith("#")]


def sections(cells):
    """[(title, kind, [cells a student meets])]: the introduction (kind "core") and every `## ` section."""
    found, dive = [("Introduction", "core", [])], None
    for cell in cells:
        level, title = classroom.heading(cell) or (None, "")
        if dive is not None and level is not None and level <= dive:
            dive = None
        if level == 2:
            marks = [t for t in classroom.tags(cell) if t in (classroom.CORE, classroom.OPTIONAL)]
            found.append((title, marks[0] if marks else None, []))
        if level is not None and classroom.DEEP_DIVE.search(title):
            dive = level
        skipped = (dive is not None or cell.get("id") in GENERATED or classroom.is_solution(cell)
                   or classroom.NOTES in classroom.tags(cell))
        if not skipped:
            found[-1][2].append(cell)
    return found


def measure(cells):
    """What a student meets in these cells: {words, code lines, asserts, predict, exercises, widgets, minutes}."""
    prose = [classroom.text(c) for c in cells if c["cell_type"] == "markdown"]
    code = [classroom.text(c) for c in cells if c["cell_type"] == "code"]
    lines = [line for source in code for line in code_lines(source)]
    widget = re.compile(r"\b(?:" + "|".join(WIDGET_CLASSES) + r")\(")
    figures = {
        "words": round(sum(words(p) for p in prose)),
        "code lines": len(lines),
        "asserts": sum(line.strip().startswith("assert") for line in lines),
        "predict": sum("predict" in classroom.tags(c) for c in cells),
        "exercises": sum(bool(re.search(r"\bcheck_\w+\(", s)) for s in code),
        "widgets": sum(bool(widget.search(s)) for s in code),
    }
    figures["minutes"] = (figures["words"] / READING + figures["code lines"] * CODE_LINE + figures["widgets"] * WIDGET
                          + figures["predict"] * PREDICT + figures["exercises"] * EXERCISE)
    return figures


def section_minutes(cells):
    """{section title: whole minutes} for every `## ` section, from the reading model (rounded up)."""
    return {title: math.ceil(measure(kept)["minutes"]) for title, kind, kept in sections(cells)[1:]}


def core_path(cells):
    """The figures of a notebook's core path: the introduction and the core sections."""
    return measure([c for _, kind, kept in sections(cells) if kind == "core" for c in kept])


def problems(path, figures, cells):
    """What breaks a budget on this notebook's core path, as sentences."""
    found = [f"{name} {figures[name]} > {limit}" for name, limit in BUDGET.items() if figures[name] > limit]
    found += [f"{name} {figures[name]} < {least}" for name, least in REQUIRED.items() if figures[name] < least]
    core_titles = " ".join(title for title, kind, _ in sections(cells) if kind == "core")
    found += [f"no core section on {topic}" for topic in CORE_TOPICS.get(path.name[:2], [])
              if not re.search(topic, core_titles)]
    return found


def notebooks():
    """Both editions' notebooks, English first."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
        (ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def write_minutes(path):
    """Set the minutes=N tag of every `## ` section of an English notebook from the reading model."""
    nb = json.loads(path.read_text())
    minutes = section_minutes(nb["cells"])
    for cell in nb["cells"]:
        level, title = classroom.heading(cell) or (None, "")
        if level == 2 and title in minutes:
            kept = [t for t in classroom.tags(cell) if not classroom.MINUTES.fullmatch(t)]
            cell.setdefault("metadata", {})["tags"] = kept + [f"minutes={minutes[title]}"]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def report():
    """The table for both editions and the problems found: (lines of text, [problem])."""
    columns = ["words", "code lines", "asserts", "predict", "exercises", "widgets", "minutes"]
    lines, found = ["notebook".ljust(30) + "".join(c.rjust(11) for c in columns)], []
    for path in notebooks():
        cells = json.loads(path.read_text())["cells"]
        figures = core_path(cells)
        name = path.relative_to(ROOT / "notebooks").as_posix()
        lines.append(name.ljust(30) + "".join(f"{figures[c]:>11.0f}" for c in columns))
        found += [f"{name}: {p}" for p in problems(path, figures, cells)]
    return lines, found


def main(argv):
    if "--write" in argv:
        numbers = [a for a in argv if not a.startswith("--")]
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            if not numbers or path.name[:2] in numbers:
                write_minutes(path)
    lines, found = report()
    print("\n".join(lines))
    print("\n".join(found) or "every core path fits its budget")
    if found:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
