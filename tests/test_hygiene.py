"""The series is committed clean: no outputs, python3 kernel, generated cells current, links that resolve."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sync_notebooks.notebook_paths()
MAX_CELL_LINES = 30


def cells(path):
    return json.loads(path.read_text())["cells"]


def test_the_series_has_its_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names[0] == "01_convolution.ipynb", names
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(1, len(names) + 1)], f"numbering has gaps: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_synced(path):
    # No outputs, python3 kernelspec, navigation + Colab cells as tools/sync_notebooks.py writes them.
    expected = sync_notebooks.dumps(sync_notebooks.synced(path, NOTEBOOKS))
    assert path.read_text() == expected, f"{path.name} is out of date: run `python tools/sync_notebooks.py`"
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_cells_follow_the_one_repository_url(path):
    repo, ref = sync_notebooks.project()
    text = path.read_text()
    assert sync_notebooks.colab_url(path.name) in text
    setup = next(c for c in cells(path) if c["id"] == sync_notebooks.SETUP)
    assert f"git+{repo}@{ref}" in "".join(setup["source"])
    assert re.fullmatch(r"v\d+\.\d+\.\d+", ref), f"Colab must install a tag, not a branch: {ref}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_short_and_titled_in_both_languages(path):
    long = [(i, len("".join(c["source"]).splitlines())) for i, c in enumerate(cells(path))
            if c["cell_type"] == "code" and len("".join(c["source"]).splitlines()) > MAX_CELL_LINES]
    assert not long, f"code cells over {MAX_CELL_LINES} lines (index, lines): {long}"
    title = sync_notebooks.title(path)
    assert re.search(r"[\u4e00-\u9fff]", title), f"the title should carry the 中文 term too: {title!r}"


def markdown_links(text):
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("path", [*NOTEBOOKS, ROOT / "README.md"], ids=lambda p: p.name)
def test_relative_links_resolve(path):
    text = path.read_text()
    if path.suffix == ".ipynb":
        text = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    for link in markdown_links(text):
        if link.startswith(("http://", "https://", "#", "mailto:")):
            continue
        target = (path.parent / link.split("#")[0]).resolve()
        assert target.exists(), f"{path.name} links to {link}, which does not exist"


def test_readme_lists_every_notebook_with_its_colab_badge():
    readme = (ROOT / "README.md").read_text()
    assert readme == sync_notebooks.synced_readme(), "README's Colab links are stale: run tools/sync_notebooks.py"
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme, f"README has no link to {path.name}"
        assert sync_notebooks.colab_url(path.name) in readme, f"README has no Colab badge for {path.name}"


def test_readme_gives_both_test_tiers_and_ci_runs_the_whole_one():
    readme = (ROOT / "README.md").read_text()
    assert "python3 run.py lab" in readme and "python3 run.py test " in readme and "python3 run.py test all" in readme
    assert re.search(r"^python3 run\.py test all$", (ROOT / ".ci" / "run").read_text(), re.M), "CI runs every test"


def package_names(lines):
    names = set()
    for line in lines:
        line = line.split("#")[0].strip().lstrip("- ").strip()
        if line and not line.startswith(("-e", "-r", "name:", "channels", "dependencies", "pip", "conda-forge")):
            names.add(re.split(r"[<>=!~; ]", line)[0].lower().replace("_", "-"))
    return names


def test_requirements_and_environment_list_the_same_packages():
    pip = package_names((ROOT / "requirements.txt").read_text().splitlines())
    conda = package_names((ROOT / "environment.yml").read_text().splitlines())
    conda = {"torch" if n == "pytorch" else n for n in conda} - {"python"}
    assert pip == conda, f"only in requirements.txt: {pip - conda}; only in environment.yml: {conda - pip}"


def test_code_and_notebooks_are_lint_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- Publishing: every generated link follows the one repository URL and release in pyproject.toml

# A link that names the repository: (kind, pattern whose groups are the repository's "owner/name" and the git ref).
REPOSITORY_LINKS = [
    ("Colab", re.compile(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/blob/([^/\s)\"]+)/")),
    ("pip install", re.compile(r"git\+https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?@([^\s\"'\\]+?)[\"'\\]")),
    ("repository file", re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/blob/([^/\s)\"]+)/")),
    ("nbgitpuller", re.compile(r"git-pull\?repo=https%3A%2F%2Fgithub\.com%2F([\w.-]+)%2F([\w.-]+)&")),
]


def nbgitpuller_link(hub="https://hub.example.edu"):
    """The README's nbgitpuller link: clone the repository (branch main) into the home folder, open notebook 01."""
    repo, _ = sync_notebooks.project()
    name = repo.rstrip("/").split("/")[-1]
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}&branch=main"
            f"&urlpath={quote(f'lab/tree/{name}/notebooks/01_convolution.ipynb', safe='')}")


def stale_links(text):
    """The links in `text` that name another repository or release than pyproject.toml: [(kind, link), ...]."""
    repo, ref = sync_notebooks.project()
    ours = repo.split("github.com/")[1].rstrip("/")
    stale = []
    for kind, pattern in REPOSITORY_LINKS:
        for match in pattern.finditer(text):
            if kind == "nbgitpuller":
                wrong = "/".join(match.groups()) != ours
            else:
                wrong = match.group(1) != ours or match.group(2) != ref
            if wrong:
                stale.append((kind, match.group(0)))
    return stale


def published_files(tmp_path):
    """Every file with generated links: both editions' notebooks, the READMEs, the standalone notebooks."""
    import standalone

    readmes = [p for p in sync_notebooks.READMES.values() if p.exists()]
    return [*standalone.notebooks(), *readmes, *standalone.write_all(tmp_path / "standalone")]


def test_every_generated_link_follows_pyproject(tmp_path):
    repo, ref = sync_notebooks.project()
    files = published_files(tmp_path)
    assert len([p for p in files if p.suffix == ".ipynb"]) == 4 * len(NOTEBOOKS), "both editions, standalone too"
    for path in files:
        text = path.read_text()
        stale = stale_links(text)
        assert not stale, (f"{path.name} has links that disagree with pyproject.toml ({repo}, {ref}): {stale}. "
                           "Run tools/sync_notebooks.py (and `python3 run.py build`); fix the others by hand")
        if path.suffix == ".ipynb":
            name = "zh/" + path.name if path.parent.name == "zh" else path.name
            assert sync_notebooks.colab_url(name) in text, f"{path} has no Colab badge for {name}"
    for path in sync_notebooks.notebook_paths(sync_notebooks.NOTEBOOKS) + sync_notebooks.notebook_paths(
            sync_notebooks.CHINESE):
        setup = next(c for c in cells(path) if c["id"] == sync_notebooks.SETUP)
        assert "".join(setup["source"]) == sync_notebooks.setup_source(path.parent), f"{path}: setup cell is stale"


def test_readme_teaches_a_class_and_publishing_with_our_repository():
    readme = (ROOT / "README.md").read_text()
    repo, ref = sync_notebooks.project()
    assert nbgitpuller_link() in readme, f"README's nbgitpuller link should be {nbgitpuller_link()}"
    assert f'pip install "cnn-layers @ git+{repo}@{ref}"' in readme
    assert f"git tag {ref} && git push origin main {ref}" in readme, "Publishing pushes the tag Colab installs"
    assert ".venv/bin/python tools/sync_notebooks.py" in readme and "CNN_LAYERS_DATA" in readme
    assert "dist/standalone/" in readme and "File → Upload notebook" in readme


def test_a_stale_link_is_caught(monkeypatch):
    readme = (ROOT / "README.md").read_text()
    assert stale_links(readme) == []
    monkeypatch.setattr(sync_notebooks, "project", lambda: ("https://github.com/someone/else", "v9.9.9"))
    kinds = {kind for kind, _ in stale_links(readme)}
    assert kinds == {"Colab", "pip install", "nbgitpuller"}, kinds
    notebook = (ROOT / "notebooks" / "zh" / NOTEBOOKS[0].name).read_text()
    assert {kind for kind, _ in stale_links(notebook)} == {"Colab", "pip install"}
    assert stale_links("see https://github.com/someone/else/blob/v9.9.9/README.md") == []
    assert stale_links("see https://github.com/someone/else/blob/v0.1.0/README.md") == [
        ("repository file", "https://github.com/someone/else/blob/v0.1.0/")]
