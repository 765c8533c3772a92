"""The Chinese edition (notebooks/zh/) as a translation of the English one, cell by cell, that cannot drift.

Both editions are one program: the same cells (same ids) in the same order, and every code cell the
same code once comments are dropped and string literals (f-string text included) are blanked. Each
Chinese cell records which English text it translates: `metadata.translation.en`, a hash of the English
cell's source. When an English cell changes, its Chinese cell is *stale*, like gettext's "fuzzy" mark.

    python tools/editions.py [NN ...]        create / update the Chinese skeletons (all, or those numbered)
    python tools/editions.py --check         change nothing; exit 1 on drift or stale translations
    python tools/editions.py apply NB FILE   put translations (JSON: cell id -> Chinese source) into NB

`update` copies new English cells over (untranslated, so stale), replaces a code cell whose program
changed, and never overwrites a current translation.
"""

import ast
import csv
import hashlib
import io
import json
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH, CHINESE = ROOT / "notebooks", ROOT / "notebooks" / "zh"


REJECTED = "rejected variants (never used in the Chinese edition)"
ALLOWED = "allowed once (file: the gloss that may use a rejected variant)"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
# What a learner does not read as prose: fenced code, `code` spans, link targets.
NOT_PROSE = re.compile(r"^ {0,3}```.*?^ {0,3}```[^\n]*$|`[^`\n]*`|\]\([^)\s]*\)", re.S | re.M)


def glossary():
    """i18n/glossary.tsv, the one source of the Chinese terms: a list of rows (dicts by column name)."""
    with (ROOT / "i18n" / "glossary.tsv").open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows, delimiter="\t"))


def variants():
    """The glossary's rejected variants: [(variant as written, its pattern, the term to use instead)].

    A variant is literal text, or a regular expression after "re:" (2x2 and its kin)."""
    return [(variant, re.compile(variant[3:] if variant.startswith("re:") else re.escape(variant)), row["中文"])
            for row in glossary() for variant in row[REJECTED].split("|") if variant]


def rejected_uses(text):
    """Every use of a rejected variant in `text`: [(the variant as found, the term to use instead, its context)]."""
    return [(found.group(), term, " ".join(text[max(found.start() - 12, 0):found.end() + 12].split()))
            for _, pattern, term in variants() for found in pattern.finditer(text)]


def rejected_in(text):
    """{variant as found in `text`: the term to use instead} for every rejected variant `text` uses."""
    return {found: term for found, term, _ in rejected_uses(text)}


def glosses():
    """{file, relative to the project: the one phrase in it allowed to use a rejected variant, a gloss at first use}."""
    return dict(row[ALLOWED].split(": ", 1) for row in glossary() if row[ALLOWED])


def prose(markdown):
    """A Markdown text as a learner reads it as prose: without code blocks, `code` spans and link targets."""
    return NOT_PROSE.sub(" ", markdown)


def python_prose(code):
    """The Chinese in Python code (IPython magics allowed): its comments, and every string with Chinese in it,
    f-string and {format} fields read as 1 (so "{n}x{n}" is seen as "1x1")."""
    code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    try:
        comments = [token.string for token in tokenize.generate_tokens(io.StringIO(code).readline)
                    if token.type == tokenize.COMMENT]
        nodes = list(ast.walk(ast.parse(code)))
    except (SyntaxError, tokenize.TokenError):
        return prose(code)  # code that does not parse: read all of it
    strings = [node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    strings += ["".join(part.value if isinstance(part, ast.Constant) else "1" for part in node.values)
                for node in nodes if isinstance(node, ast.JoinedStr)]
    texts = [re.sub(r"\{[^{}]*\}", "1", text) for text in comments + strings if CJK.search(text)]
    return prose("\n".join(texts))


def notebook_prose(notebook):
    """The Chinese a learner reads in a notebook, cell by cell: [(cell id, prose)]."""
    return [(cell.get("id"), prose(source(cell)) if cell["cell_type"] == "markdown" else python_prose(source(cell)))
            for cell in notebook["cells"] if cell["cell_type"] in ("markdown", "code")]


def source(cell):
    """A cell's source as one string."""
    return "".join(cell["source"])


def fingerprint(cell):
    """A short hash of a cell's source: what a translation records as the English it translates."""
    return hashlib.sha256(source(cell).encode()).hexdigest()[:12]


class _Blank(ast.NodeTransformer):
    """Every string constant -> '' (f-strings keep their expressions, lose their text)."""

    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node


def program(code):
    """Python code (IPython magics allowed) -> its structure with comments and string text removed."""
    lines = [line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
             for line in code.splitlines()]
    return ast.dump(_Blank().visit(ast.parse("\n".join(lines))))


def zh_path(path):
    """notebooks/NN_x.ipynb -> notebooks/zh/NN_x.ipynb."""
    return CHINESE / path.name


def translated_from(cell):
    """The English fingerprint a Chinese cell records, or None if it was never translated."""
    return cell.get("metadata", {}).get("translation", {}).get("en")


def record(cell, english):
    """Mark `cell` as the translation of the English cell `english`, as it is now."""
    cell.setdefault("metadata", {})["translation"] = {"en": fingerprint(english)}


def untranslated(english):
    """A copy of an English cell for the Chinese edition, marked as not yet translated."""
    cell = json.loads(json.dumps(english))
    cell.setdefault("metadata", {})["translation"] = {"en": None}
    return cell


def update(english_nb, chinese_nb, generated=()):
    """The Chinese notebook brought in line with the English one: same cells, current translations kept."""
    by_id = {c.get("id"): c for c in chinese_nb["cells"]} if chinese_nb else {}
    cells = []
    for en in english_nb["cells"]:
        zh = by_id.get(en.get("id"))
        if en.get("id") in generated or zh is None or zh["cell_type"] != en["cell_type"]:
            cells.append(untranslated(en) if en.get("id") not in generated else en)
        elif en["cell_type"] == "code" and program(source(zh)) != program(source(en)):
            cells.append(untranslated(en))  # the program changed: start again from the English
        else:
            zh = json.loads(json.dumps(zh))
            zh["metadata"] = {**en.get("metadata", {}), "translation": zh.get("metadata", {}).get("translation", {})}
            cells.append(zh)
    return {**english_nb, "cells": cells}


def drift(english_nb, chinese_nb, generated=()):
    """What breaks the one-program rule: [(cell id, problem)]; empty when the editions agree."""
    en_ids = [c.get("id") for c in english_nb["cells"]]
    zh_ids = [c.get("id") for c in chinese_nb["cells"]]
    if en_ids != zh_ids:
        missing, extra = set(en_ids) - set(zh_ids), set(zh_ids) - set(en_ids)
        return [("*", f"the cells differ: missing {sorted(missing)}, extra {sorted(extra)}, or out of order")]
    problems = []
    for en, zh in zip(english_nb["cells"], chinese_nb["cells"]):
        if en["cell_type"] != zh["cell_type"]:
            problems.append((en["id"], f"a {en['cell_type']} cell in English, {zh['cell_type']} in Chinese"))
        elif en["cell_type"] == "code" and en["id"] not in generated:
            try:
                same = program(source(zh)) == program(source(en))
            except SyntaxError as error:
                same, problems = True, problems + [(en["id"], f"the Chinese code does not parse: {error}")]
            if not same:
                problems.append((en["id"], "the code differs from the English beyond comments and strings"))
    return problems


def stale(english_nb, chinese_nb, generated=()):
    """Chinese cells whose English changed since they were translated: [(cell id, English first line)]."""
    by_id = {c.get("id"): c for c in chinese_nb["cells"]}
    return [(en["id"], source(en).strip().split("\n", 1)[0][:70]) for en in english_nb["cells"]
            if en["id"] not in generated and en["id"] in by_id
            and translated_from(by_id[en["id"]]) != fingerprint(en)]


def apply(chinese_path, translations):
    """Put {cell id: Chinese source} into a Chinese notebook, recording the English each one translates."""
    english_nb = json.loads((ENGLISH / chinese_path.name).read_text())
    chinese_nb = json.loads(chinese_path.read_text())
    english = {c["id"]: c for c in english_nb["cells"]}
    for cell in chinese_nb["cells"]:
        if cell["id"] in translations:
            text = translations[cell["id"]]
            if cell["cell_type"] == "code" and program(text) != program(source(english[cell["id"]])):
                raise ValueError(f"cell {cell['id']}: the translated code differs beyond comments and strings")
            cell["source"] = text.splitlines(keepends=True)
            record(cell, english[cell["id"]])
    unknown = set(translations) - set(english)
    if unknown:
        raise ValueError(f"no such cells in {chinese_path.name}: {sorted(unknown)}")
    chinese_path.write_text(json.dumps(chinese_nb, indent=1, ensure_ascii=False) + "\n")


def english_paths():
    """The English notebooks, in order."""
    return sorted(ENGLISH.glob("[0-9][0-9]_*.ipynb"))


def main(argv):
    from sync_notebooks import GENERATED, dumps

    if argv[:1] == ["apply"]:
        apply(Path(argv[1]), json.loads(Path(argv[2]).read_text()))
        return
    check, problems = "--check" in argv, []
    wanted = [a for a in argv if not a.startswith("--")]
    CHINESE.mkdir(exist_ok=True)
    for path in english_paths():
        if wanted and path.name[:2] not in wanted:
            continue
        english = json.loads(path.read_text())
        target = zh_path(path)
        chinese = json.loads(target.read_text()) if target.exists() else None
        if not check:
            chinese = update(english, chinese, GENERATED)
            target.write_text(dumps(chinese))
        elif chinese is None:
            problems.append(f"{target.relative_to(ROOT)} is missing")
            continue
        problems += [f"{target.name} cell {i}: {p}" for i, p in drift(english, chinese, GENERATED)]
        problems += [f"{target.name} cell {i} is stale (English: {line!r})" for i, line in
                     stale(english, chinese, GENERATED)]
    print("\n".join(problems) or "the Chinese edition is current")
    if check and problems:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
