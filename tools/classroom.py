"""A notebook as a class sees it: its slides, its sections (core or optional, minutes), its student copy.

Everything here is derived from the notebook's structure, so slides, copies and the teacher's guide
cannot drift from the text:

- a `# ` or `## ` heading starts a slide, a `### ` heading a sub-slide; every other cell goes on the
  slide of the heading above it ("-");
- skipped in the slides: a deep dive (a heading with "Deep dive" / "深入" and every cell up to the
  next heading of the same or a higher level), a solution (a markdown cell with `<details>`), the
  generated navigation and Colab setup cells, except the last cell (the bottom navigation), which
  ends the last slide: jupyterlab-slideshow starts at the active cell, Run All leaves it on the last
  one, and from a skipped last cell the deck shows a blank page;
- speaker notes: markdown cells tagged "notes" (the teacher's talking points), opening with a label
  (NOTES_LABELS) so that a student reading alone knows they are addressed to the teacher;
- a section is a `## ` heading; tag its cell "core" or "optional", and "minutes=N" for its time in
  class. `sections` reads them; `guide_disagreements` compares them with the teacher's guide.
"""

import re

NOTES, CORE, OPTIONAL = "notes", "core", "optional"
NOTES_LABELS = ("**For the teacher**\n\n", "**教师提示**\n\n")  # English, Chinese
DEEP_DIVE = re.compile(r"deep dive|深入", re.I)
SOLUTION = re.compile(r"\s*<details>.*?</details>\s*", re.S)
MINUTES = re.compile(r"minutes=(\d+)")


def text(cell):
    """A cell's source as one string."""
    return "".join(cell["source"])


def tags(cell):
    """A cell's tags (a list of strings)."""
    return cell.get("metadata", {}).get("tags", [])


def heading(cell):
    """(level, title) of a markdown cell that starts with a heading, else None."""
    first = text(cell).lstrip().split("\n", 1)[0]
    match = re.match(r"(#{1,6}) +(.+)", first) if cell["cell_type"] == "markdown" else None
    return (len(match.group(1)), match.group(2).strip()) if match else None


def is_solution(cell):
    """Whether a cell holds an exercise's solution (a `<details>` block)."""
    return cell["cell_type"] == "markdown" and "<details>" in text(cell)


def slide_types(cells, generated=()):
    """The slide type of each cell in `cells` (nbformat cell dicts); `generated` ids are skipped but the last."""
    types, dive = [], None  # dive: the level of the deep-dive heading we are inside, if any
    for i, cell in enumerate(cells):
        level = (heading(cell) or (None,))[0]
        if dive is not None and level is not None and level <= dive:
            dive = None
        if level is not None and DEEP_DIVE.search(heading(cell)[1]):
            dive = level
        if i == len(cells) - 1 and cell.get("id") in generated:
            types.append("-")
        elif dive is not None or cell.get("id") in generated or is_solution(cell):
            types.append("skip")
        elif cell["cell_type"] == "markdown" and NOTES in tags(cell):
            types.append("notes")
        elif level is not None and level <= 2:
            types.append("slide")
        elif level == 3:
            types.append("subslide")
        else:
            types.append("-")
    return types


def sections(cells):
    """The `## ` sections in order: [{"title", "kind": "core"/"optional"/None, "minutes": int or None, "slide"}].

    "slide" is the section's slide number in the slideshow (0 = the title slide), as the deck counts them.
    """
    found, slide = [], -1
    for cell in cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        slide += kind == "slide"
        level, title = heading(cell) or (None, None)
        if level == 2:
            marks = [t for t in tags(cell) if t in (CORE, OPTIONAL)]
            minutes = [int(m.group(1)) for t in tags(cell) if (m := MINUTES.fullmatch(t))]
            found.append({"title": title, "kind": marks[0] if len(marks) == 1 else None,
                          "minutes": minutes[0] if minutes else None, "slide": slide})
    return found


def tag_problems(cells):
    """What is wrong with the classroom tags: core and optional together, "notes" on code, a bad minutes tag."""
    problems = []
    for i, cell in enumerate(cells):
        marks = set(tags(cell))
        if {CORE, OPTIONAL} <= marks:
            problems.append(f"cell {i} is tagged both core and optional")
        if marks & {CORE, OPTIONAL} and (heading(cell) or (0,))[0] != 2:
            problems.append(f"cell {i} is tagged core/optional but is not a '## ' section heading")
        if NOTES in marks and cell["cell_type"] != "markdown":
            problems.append(f"cell {i} is tagged notes but is a {cell['cell_type']} cell (notes are markdown)")
        elif NOTES in marks and not text(cell).startswith(NOTES_LABELS):
            problems.append(f"cell {i} is tagged notes but does not open with a label for the teacher: {NOTES_LABELS}")
        bad = [t for t in marks if t.startswith("minutes") and not MINUTES.fullmatch(t)]
        if bad:
            problems.append(f"cell {i} has {bad}: write minutes=N, N a whole number")
    return problems


def guide_disagreements(cells, guide):
    """Where the teacher's guide and the notebook disagree; `guide` is [(section title, "core"/"optional")]."""
    notebook = {s["title"]: s["kind"] for s in sections(cells)}
    problems = [f"the guide lists {title!r}, which is not a section of the notebook"
                for title, _ in guide if title not in notebook]
    problems += [f"{title!r} is {kind} in the guide but {notebook[title] or 'untagged'} in the notebook"
                 for title, kind in guide if title in notebook and notebook[title] != kind]
    listed = {title for title, _ in guide}
    problems += [f"the notebook's section {title!r} is missing from the guide"
                 for title in notebook if title not in listed]
    return problems


def student_cells(cells):
    """The cells of the student copy: without solutions (`<details>` blocks) and without speaker notes."""
    kept = []
    for cell in cells:
        if cell["cell_type"] == "markdown" and NOTES in tags(cell):
            continue
        if is_solution(cell):
            rest = SOLUTION.sub("\n\n", text(cell)).strip()
            if not rest:
                continue
            cell = {**cell, "source": (rest + "\n").splitlines(keepends=True)}
        kept.append(cell)
    return kept
