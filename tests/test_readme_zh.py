"""README.zh-CN.md is the Chinese README: every Chinese notebook with its badge, the commands, links that resolve, and
the same sections and glossary rows as README.md, so the two cannot drift apart silently. (Its terms are checked with
every other Chinese text, in tests/test_editions.py.)"""

import re
from pathlib import Path

import pytest
import sync_notebooks
import website

ROOT = Path(__file__).resolve().parent.parent

ENGLISH, CHINESE = ROOT / "README.md", ROOT / "README.zh-CN.md"


def headings(text, level):
    """The headings of one level, in order, outside code blocks: ["Quick start: two commands", ...]."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return [line[level + 1:].strip() for line in text.splitlines() if line.startswith("#" * level + " ")]


def english_part(heading):
    """The English of a bilingual heading: "Glossary · 术语表" and "术语表 · Glossary" both give "Glossary"."""
    parts = [p.strip() for p in heading.split(" · ")]
    return next((p for p in parts if not re.search(r"[\u4e00-\u9fff]", p)), heading)


def glossary_rows(text, marker):
    """The (English, 中文) pairs of a README's glossary table, the section starting at `marker`."""
    section = text.split(marker, 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in section.splitlines()
            if line.startswith("| ") and "---" not in line]
    return rows[1:]


def test_readme_zh_lists_every_chinese_notebook_with_its_colab_badge():
    readme = CHINESE.read_text()
    assert readme == sync_notebooks.synced_readme(CHINESE), "Colab links are stale: run tools/sync_notebooks.py"
    for path in sync_notebooks.notebook_paths(sync_notebooks.CHINESE):
        title = sync_notebooks.title(path).split(" · ")[1]
        assert f"[{title}](notebooks/zh/{path.name})" in readme, f"no link '{title}' to notebooks/zh/{path.name}"
        assert sync_notebooks.colab_badge(f"zh/{path.name}") in readme, f"no Colab badge for zh/{path.name}"


def test_readme_zh_gives_the_two_commands():
    commands = re.findall(r"^python3 run\.py \w+(?: zh)?", CHINESE.read_text(), flags=re.M)
    assert "python3 run.py lab zh" in commands and "python3 run.py test" in commands, commands


def test_the_two_readmes_link_to_each_other():
    assert "English: [README.md](README.md)" in CHINESE.read_text().splitlines()[:4]
    assert "中文版：[README.zh-CN.md](README.zh-CN.md)" in ENGLISH.read_text().splitlines()[:4]


def test_readme_zh_links_resolve():
    text = CHINESE.read_text()
    anchors = {website.github_slug(h) for level in (2, 3) for h in headings(text, level)}
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert len(links) > 10
    for link in links:
        if link.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = link.partition("#")
        if path:
            assert (ROOT / path).exists(), f"README.zh-CN.md links to {link}, which does not exist"
        else:
            assert anchor in anchors, f"README.zh-CN.md links to {link}: no such heading (headings: {anchors})"


@pytest.mark.parametrize("level", [2, 3])
def test_readme_zh_has_the_sections_of_readme_md(level):
    english = [english_part(h) for h in headings(ENGLISH.read_text(), level)]
    chinese = [english_part(h) for h in headings(CHINESE.read_text(), level)]
    assert len(chinese) == len(english) and chinese == english, (
        f"README.zh-CN.md's {'#' * level} sections {chinese} differ from README.md's {english}: translate the change")


def test_readme_zh_glossary_has_the_terms_of_readme_md():
    english = [(en, zh) for en, zh, _ in glossary_rows(ENGLISH.read_text(), "## Glossary")]
    chinese = [(en, zh) for zh, en, _ in glossary_rows(CHINESE.read_text(), "## 术语表")]
    assert len(english) > 10 and chinese == english, (
        f"glossary rows differ (English, 中文): only in README.md {set(english) - set(chinese)}, "
        f"only in README.zh-CN.md {set(chinese) - set(english)}")


def test_the_section_check_catches_a_missing_section():
    english = "# T\n## The notebooks\n```\n## not a heading\n```\n## Publishing · 发布\n"
    assert [english_part(h) for h in headings(english, 2)] == ["The notebooks", "Publishing"]
    chinese = "# T\n## notebook 一览 · The notebooks\n"
    assert [english_part(h) for h in headings(chinese, 2)] == ["The notebooks"]
