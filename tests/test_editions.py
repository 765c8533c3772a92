"""The Chinese edition is the English one translated: one program, current translations, the glossary's terms."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import editions  # noqa: E402
import sync_notebooks  # noqa: E402

ENGLISH = editions.english_paths()
GLOSSARY = editions.glossary()


def load(path):
    return json.loads(path.read_text())


def test_every_english_notebook_has_its_chinese_edition():
    missing = [p.name for p in ENGLISH if not editions.zh_path(p).exists()]
    assert not missing, f"no notebooks/zh/ edition of {missing}: run python tools/editions.py"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_both_editions_are_one_program(path):
    problems = editions.drift(load(path), load(editions.zh_path(path)), sync_notebooks.GENERATED)
    assert not problems, f"{path.name}: {problems}"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_every_chinese_cell_translates_the_current_english(path):
    stale = editions.stale(load(path), load(editions.zh_path(path)), sync_notebooks.GENERATED)
    assert not stale, f"translate again in notebooks/zh/{path.name} (cell id, English): {stale}"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_the_chinese_edition_uses_the_glossarys_terms(path):
    text = "\n".join(editions.source(c) for c in load(editions.zh_path(path))["cells"])
    used = editions.rejected_in(text)
    assert not used, f"notebooks/zh/{path.name} uses rejected variants (variant: use instead): {used}"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_the_chinese_edition_is_chinese_and_says_so_to_utils(path):
    cells = load(editions.zh_path(path))["cells"]
    prose = "".join(editions.source(c) for c in cells if c["cell_type"] == "markdown")
    assert len(re.findall(r"[\u4e00-\u9fff]", prose)) > 2000, f"{path.name}: too little Chinese in the prose"
    assert any('set_language("zh")' in editions.source(c) for c in cells), f"{path.name} never sets 'zh'"


def test_a_changed_english_cell_marks_its_translation_stale_and_a_changed_program_is_drift():
    english = {"cells": [{"id": "a", "cell_type": "markdown", "source": ["Padding"]},
                         {"id": "b", "cell_type": "code", "source": ["x = f(1)  # one\nprint(f'{x} done')"]}]}
    chinese = editions.update(english, None)
    for cell, en in zip(chinese["cells"], english["cells"]):
        editions.record(cell, en)
    chinese["cells"][0]["source"] = ["填充"]
    chinese["cells"][1]["source"] = ["x = f(1)  # 一\nprint(f'{x} 完成')"]
    assert not editions.stale(english, chinese) and not editions.drift(english, chinese)
    english["cells"][0]["source"] = ["Padding, on each side"]
    assert [i for i, _ in editions.stale(english, chinese)] == ["a"]
    english["cells"][1]["source"] = ["x = f(2)  # one\nprint(f'{x} done')"]
    assert [i for i, _ in editions.drift(english, chinese)] == ["b"]
    updated = editions.update(english, chinese)
    assert editions.source(updated["cells"][0]) == "填充", "a stale translation is kept, only marked"
    assert editions.source(updated["cells"][1]) == "x = f(2)  # one\nprint(f'{x} done')", "new program: English"


def test_the_readmes_glossary_uses_the_glossarys_terms():
    readme = (ROOT / "README.md").read_text().split("## Glossary", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:3] for line in readme.splitlines() if line.startswith("| ") and "---" not in line]
    terms = {row["中文"] for row in GLOSSARY}
    unknown = [(en.strip(), zh.strip()) for en, zh in rows[1:] if any(t not in terms for t in zh.strip().split(" / "))]
    assert len(rows) > 10 and not unknown, f"README glossary terms not in i18n/glossary.tsv: {unknown}"
