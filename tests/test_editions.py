"""The Chinese edition is the English one translated: one program, current translations, the glossary's terms."""

import json
import re
import sys
from pathlib import Path

import editions
import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

ENGLISH = editions.english_paths()
GENERATED = sync_notebooks.GENERATED
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


def chinese_in(path):
    """[(place, text)]: the Chinese a learner reads in a file. Chinese files as prose (notebooks in a zh/ folder cell by
    cell, the *.zh-CN.md pages); Python as its Chinese strings and comments; English pages as their Chinese words."""
    if path.suffix == ".py":
        return [("", editions.python_prose(path.read_text()))]
    if path.suffix == ".ipynb":
        places = [(f"cell {i}", text) for i, text in editions.notebook_prose(load(path))]
    else:
        places = [("", editions.prose(path.read_text()))]
    if not (path.parent.name == "zh" or path.name.endswith(".zh-CN.md")):
        places = [(place, "\n".join(editions.CJK_RUN.findall(text))) for place, text in places]
    return places


CHINESE_FILES = sorted(path for pattern in ["*.md", "notebooks/*.ipynb", "notebooks/zh/*.ipynb", "dashboard/*.ipynb",
                                             "dashboard/zh/*.ipynb", "utils/*.py", "tools/*.py"]
                       for path in ROOT.glob(pattern))


def rejected_uses(path, places):
    """Every rejected variant a file uses, as messages naming the file, the place, the variant and the term to use;
    the file's one allowed gloss (glossary column "allowed once") is not a use."""
    relative = path.relative_to(ROOT).as_posix()
    gloss = editions.glosses().get(relative)
    return [f"{relative}{' ' + place if place else ''}: {found!r} (use {term}) in '…{context}…'"
            for place, text in places
            for found, term, context in editions.rejected_uses(text.replace(gloss, "") if gloss else text)]


@pytest.mark.parametrize("path", CHINESE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_chinese_word_a_learner_reads_is_the_glossarys_term(path):
    uses = rejected_uses(path, chinese_in(path))
    assert not uses, "rejected variants (see i18n/glossary.tsv):\n" + "\n".join(uses)


@pytest.mark.parametrize("relative, gloss", editions.glosses().items(), ids=str)
def test_a_rejected_variant_is_glossed_once_at_the_first_use_of_its_term_and_nowhere_else(relative, gloss):
    path = ROOT / relative
    places = chinese_in(path)
    count = sum(text.count(gloss) for _, text in places)
    assert count == 1, f"{relative} should give {gloss!r} once, at the first use of its term; it gives it {count} times"
    term = gloss.split("（")[0]
    generated = {f"cell {i}" for i in sync_notebooks.GENERATED}
    body = [(place, "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
            for place, text in places if place not in generated]
    first = next(place for place, text in body if term in text)
    assert any(gloss in text for place, text in body if place == first), (
        f"{relative}: {term} is first used in {first}, but {gloss!r} comes later: gloss it at the first use")
    elsewhere = [other.relative_to(ROOT).as_posix() for other in CHINESE_FILES if other != path
                 and any(gloss in text for _, text in chinese_in(other))]
    assert not elsewhere, f"{gloss!r} belongs in {relative} only, not in {elsewhere}"


# Each synonym issue 18 found, put back into real Chinese text: the check must name it, its file and its term.
REINTRODUCED = [
    ("卷积层和汇聚层交替出现。", "汇聚", "池化"),
    ("第一个池化层（pool1，也叫汇聚层）", "汇聚", "池化"),
    ("感受野每层增加（跨度 − 1）乘以跳距。", "跳距", "步距"),
    ("梯度只流向获胜像素。", "获胜像素", "胜出者"),
    ("梯度只流向赢家。", "赢家", "胜出者"),
    ("先拖动这个控件的滑块。", "控件", "小部件"),
    ("把特征图切成 2x2 的窗口。", "2x2", "2×2"),
    ("conv2 输出 16x5x5 个值。", "16x5x5", "2×2"),
    ("每张特征映射是一个通道。", "特征映射", "特征图"),
    ("训练 5 个迭代周期。", "迭代周期", "轮"),
    ("有三个设置决定卷积核怎样移动。", "个设置", "超参数"),
    ("在 20 组设置上与 PyTorch 一致。", "组设置", "超参数"),
    ("六十种随机设置。", "种随机设置", "超参数"),
]


@pytest.mark.parametrize("sentence, variant, term", REINTRODUCED, ids=[v for _, v, _ in REINTRODUCED])
def test_the_check_fails_on_each_synonym_put_back(sentence, variant, term, tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    zh = tmp_path / "notebooks" / "zh" / "02_max_pooling.ipynb"
    readme = tmp_path / "README.zh-CN.md"
    zh.parent.mkdir(parents=True)
    notebook = load(editions.zh_path(ENGLISH[1]))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown" and c["id"] not in GENERATED)
    cell["source"] = [sentence]
    zh.write_text(json.dumps(notebook, ensure_ascii=False))
    readme.write_text(f"# 标题\n\n{sentence}\n")
    for path, place in [(zh, f"cell {cell['id']}"), (readme, "")]:
        uses = rejected_uses(path, chinese_in(path))
        relative = path.relative_to(tmp_path).as_posix()
        assert any(use.startswith(f"{relative}{' ' + place if place else ''}: {variant!r} (use {term})")
                   for use in uses), uses


def test_code_an_ordinary_word_and_the_one_gloss_are_not_synonyms(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    page = tmp_path / "README.zh-CN.md"
    page.write_text("用 `F.max_pool2d(x, 2)` 和 `2x2` 池化；`conv2x2` 是名字。设置环境变量 `PIP_INDEX_URL`。"
                    "哪个输入胜出？链接 [图](pics/2x2.png)。\n```\nx = 2x2\n```\n")
    assert rejected_uses(page, chinese_in(page)) == []
    code = "# 2x2 的窗口\nprint(f'{n}x{n} 像素')\nsize = '3x3'  # a name, not prose\n"
    found = [found for found, _, _ in editions.rejected_uses(editions.python_prose(code))]
    assert found == ["2x2", "1x1"], found
    [(relative, gloss)] = editions.glosses().items()
    page.write_text(f"{gloss}，之后只说池化。")
    assert rejected_uses(page, chinese_in(page)), "the gloss is allowed in its own file only"
    allowed = tmp_path / relative
    allowed.parent.mkdir(parents=True)
    allowed.write_text(page.read_text())
    assert rejected_uses(allowed, [("", allowed.read_text())]) == []


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
