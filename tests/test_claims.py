"""CLAIMS.md and CLAIMS.zh-CN.md: the note's nine claims, each linked to the notebook sections that measure it (headings
that exist), each with a verdict, the same in both languages."""

import json
import re
from pathlib import Path

import classroom
import pytest
import website

ROOT = Path(__file__).resolve().parent.parent

PAGES = {"en": (ROOT / "CLAIMS.md", ROOT / "notebooks", ["Holds", "Holds with a caveat", "Corrected"]),
         "zh": (ROOT / "CLAIMS.zh-CN.md", ROOT / "notebooks" / "zh", ["成立", "有条件地成立", "需要纠正"])}
README = {"en": ROOT / "README.md", "zh": ROOT / "README.zh-CN.md"}
LINK = re.compile(r"\]\((notebooks/[^)#\s]+)(?:#([^)\s]*))?\)")


def claims(text):
    """The numbered claims of a page: [(number, its text)]."""
    parts = re.split(r"(?m)^(\d+)\. ", text)[1:]
    return [(int(number), body) for number, body in zip(parts[::2], parts[1::2])]


def verdicts(body, words):
    """The verdicts a claim gives, in order: its bold phrases that are one of `words`."""
    return [bold for bold in re.findall(r"\*\*([^*]+?)[.。]?\*\*", body) if bold in words]


def sections(body):
    """Where a claim's links go: [(notebook path, anchor)]."""
    return LINK.findall(body)


def heading_cell(path, anchor):
    """The id of the notebook's cell whose heading has this anchor (GitHub's, as the site makes it), or None."""
    for cell in json.loads(path.read_text())["cells"]:
        found = classroom.heading(cell)
        if found and website.github_slug(found[1]) == anchor:
            return cell["id"]
    return None


def broken(text, folder):
    """Every link to a notebook that does not land on a heading of a notebook in `folder`: [message]."""
    problems = []
    for target, anchor in LINK.findall(text):
        path = ROOT / target
        if path.parent != folder or not path.exists():
            problems.append(f"{target}: not a notebook of {folder.relative_to(ROOT)}")
        elif not anchor:
            problems.append(f"{target}: no #heading to land on")
        elif heading_cell(path, anchor) is None:
            problems.append(f"{target}#{anchor}: no such heading (read the notebook and link its section again)")
    return problems


@pytest.mark.parametrize("language", PAGES)
def test_the_page_lists_the_nine_claims_each_measured_with_a_verdict(language):
    page, _, words = PAGES[language]
    found = claims(page.read_text())
    assert [number for number, _ in found] == list(range(1, 10)), f"{page.name}: claims numbered 1 to 9"
    for number, body in found:
        assert sections(body), f"{page.name} claim {number}: no link to the section that measures it"
        assert verdicts(body, words), f"{page.name} claim {number}: no verdict ({' / '.join(words)})"


@pytest.mark.parametrize("language", PAGES)
def test_every_link_lands_on_a_heading_of_its_own_edition(language):
    page, folder, _ = PAGES[language]
    problems = broken(page.read_text(), folder)
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


def test_both_pages_link_the_same_sections_and_give_the_same_verdicts():
    english, chinese = ([(number, [(Path(target).name, heading_cell(ROOT / target, anchor))
                                   for target, anchor in sections(body)],
                          [PAGES[language][2].index(v) for v in verdicts(body, PAGES[language][2])])
                         for number, body in claims(PAGES[language][0].read_text())] for language in ("en", "zh"))
    assert english == chinese, "CLAIMS.md and CLAIMS.zh-CN.md differ: (claim, [(notebook, heading cell)], [verdict])"


def test_a_link_to_a_missing_heading_is_caught():
    folder = PAGES["en"][1]
    good = "[01](notebooks/01_convolution.ipynb#" + website.github_slug(
        classroom.heading(json.loads((folder / "01_convolution.ipynb").read_text())["cells"][2])[1]) + ")"
    assert broken(good, folder) == []
    bad = ("[a](notebooks/01_convolution.ipynb#no-such-section) [b](notebooks/01_convolution.ipynb) "
           "[c](notebooks/zh/01_convolution.ipynb#x)")
    assert [p.split(":")[0] for p in broken(bad, folder)] == [
        "notebooks/01_convolution.ipynb#no-such-section", "notebooks/01_convolution.ipynb",
        "notebooks/zh/01_convolution.ipynb"]


def test_the_verdicts_are_read_and_a_claim_without_one_is_seen():
    words = PAGES["en"][2]
    assert verdicts("**Holds**, for one. **Holds with a caveat**, for two. **Feature (x).**", words) == [
        "Holds", "Holds with a caveat"]
    assert verdicts("**特征选择。** 特征选择：**成立。**", PAGES["zh"][2]) == ["成立"]
    assert verdicts("Measured in [01](notebooks/01_convolution.ipynb#x). It holds.", words) == []


@pytest.mark.parametrize("language", PAGES)
def test_each_readme_links_its_page(language):
    assert f"]({PAGES[language][0].name})" in README[language].read_text()
