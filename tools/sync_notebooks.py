"""Keep every notebook clean and linked: `python tools/sync_notebooks.py` rewrites them in place.

For each notebooks/NN_*.ipynb, and its Chinese edition notebooks/zh/NN_*.ipynb, it strips outputs and
execution counts, sets the python3 kernelspec, and writes three generated cells: navigation and the
"Open in Colab" badge at the top, the guarded Colab setup cell after it, and navigation at the bottom.
Every cell gets its slide type for the live slideshow (metadata.slideshow.slide_type), derived from
the notebook's structure by tools/classroom.py; a cell that goes on the slide above it ("-") carries
none, since jupyterlab-slideshow reads only a missing type as "-" (an explicit "-" hides the cell).
A cell's other metadata is dropped but its tags (and, in the Chinese edition, `translation`: the
English it translates, see tools/editions.py). The repository URL and the pinned tag come from
pyproject.toml, the one place they live; the READMEs' Colab links are updated to match. `--check`
changes nothing and exits 1 if anything is out of date (tests/test_hygiene.py checks too). Numbers
(`python tools/sync_notebooks.py 02 03`) limit it to those notebooks of both editions.
"""

import json
import re
import sys
from pathlib import Path

import classroom

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same module, from PyPI (requirements.txt)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHINESE = NOTEBOOKS / "zh"
READMES = {NOTEBOOKS: ROOT / "README.md", CHINESE: ROOT / "README.zh-CN.md"}
KEPT_METADATA = ("tags", "translation")
# What the generated cells say, per edition.
WORDS = {
    NOTEBOOKS: {"contents": "Contents", "setup": (
        "# On Colab only: install this series' helpers (utils/) from its repository, pinned to a release.\n"
        "# Anywhere else they are already installed by `python3 run.py lab`, and this cell does nothing.\n")},
    CHINESE: {"contents": "目录", "setup": (
        "# 仅在 Colab 上运行：从本系列的代码仓库安装辅助代码（utils/），固定在一个发布版本。\n"
        "# 在其他地方，`python3 run.py lab` 已经装好了它们，这个单元格什么也不做。\n")},
}
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
NAV_TOP, SETUP, NAV_BOTTOM = "navigation-top", "colab-setup", "navigation-bottom"
GENERATED = {NAV_TOP, SETUP, NAV_BOTTOM}


def project():
    """(repository URL, pinned git ref) from pyproject.toml."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return meta["urls"]["Repository"], f"v{meta['version']}"


def colab_url(name):
    """The Colab link that opens notebooks/<name> (e.g. "01_x.ipynb" or "zh/01_x.ipynb") at the pinned tag."""
    repo, ref = project()
    return f"https://colab.research.google.com/github/{repo.split('github.com/')[1]}/blob/{ref}/notebooks/{name}"


def relative(path):
    """A notebook's path below notebooks/: "01_x.ipynb", or "zh/01_x.ipynb" in the Chinese edition."""
    return path.relative_to(NOTEBOOKS).as_posix()


def colab_badge(name):
    """Markdown for the "Open in Colab" badge of notebooks/<name>."""
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(name)})"


def setup_source(folder=NOTEBOOKS):
    """The guarded first code cell: on Colab only, install the series' helpers at the pinned tag."""
    repo, ref = project()
    return (
        WORDS[folder]["setup"] +
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "cnn-layers @ git+{repo}@{ref}"'
    )


def notebook_paths(folder=NOTEBOOKS):
    """The series' notebooks in order (of one edition: NOTEBOOKS or CHINESE)."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def title(path):
    """A notebook's title: its first level-1 markdown heading."""
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "markdown" and cell.get("id") not in GENERATED:
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError(f"{path.name} has no '# Title' heading in a markdown cell")


def navigation(path, paths):
    """The navigation line: previous, contents, next."""
    i = paths.index(path)
    parts = []
    if i > 0:
        parts.append(f"[< {title(paths[i - 1])}]({paths[i - 1].name})")
    readme = Path(*[".."] * len(path.relative_to(ROOT).parent.parts), READMES[path.parent].name).as_posix()
    parts.append(f"[{WORDS[path.parent]['contents']}]({readme})")
    if i + 1 < len(paths):
        parts.append(f"[{title(paths[i + 1])} >]({paths[i + 1].name})")
    return " | ".join(parts)


def cell(kind, cell_id, source):
    """A clean cell of the given kind."""
    made = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source.splitlines(keepends=True)}
    if kind == "code":
        made.update(execution_count=None, outputs=[])
    return made


def synced(path, paths):
    """The notebook at `path` as it should be committed (a dict in nbformat 4.5)."""
    nb = json.loads(path.read_text())
    body = [c for c in nb["cells"] if c.get("id") not in GENERATED]
    for c in body:
        c["metadata"] = {k: v for k, v in c.get("metadata", {}).items() if k in KEPT_METADATA}
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    nav = navigation(path, paths)
    top = f"{nav}\n\n{colab_badge(relative(path))}"
    nb["cells"] = [cell("markdown", NAV_TOP, top), cell("code", SETUP, setup_source(path.parent)), *body,
                   cell("markdown", NAV_BOTTOM, nav)]
    for c, kind in zip(nb["cells"], classroom.slide_types(nb["cells"], GENERATED)):
        if kind != "-":
            c["metadata"]["slideshow"] = {"slide_type": kind}
    nb["metadata"] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def dumps(nb):
    """Serialise a notebook the way Jupyter does."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def synced_readme(readme=READMES[NOTEBOOKS]):
    """A README whose Colab links, pip line and nbgitpuller link follow the repository and tag in pyproject.toml."""
    repo, ref = project()
    text = readme.read_text()
    text = re.sub(r"https://colab\.research\.google\.com/github/[^)\s]*?/notebooks/([\w./]+\.ipynb)",
                  lambda m: colab_url(m.group(1)), text)
    text = re.sub(r'"cnn-layers @ git\+[^"@\s]+@[^"\s]+"', f'"cnn-layers @ git+{repo}@{ref}"', text)
    text = re.sub(r"git-pull\?repo=[^&\s]+", "git-pull?repo=" + repo.replace(":", "%3A").replace("/", "%2F"), text)
    folder = repo.rsplit("/", 1)[1]  # nbgitpuller clones into a folder named like the repository
    return re.sub(r"urlpath=lab%2Ftree%2F[^%\s]+%2Fnotebooks", f"urlpath=lab%2Ftree%2F{folder}%2Fnotebooks", text)


def main(check=False, numbers=()):
    """Sync (or with check, only check) every notebook of both editions, or those whose number is in `numbers`."""
    stale, done = [], []
    for folder, readme in READMES.items():
        if readme.exists() and readme.read_text() != synced_readme(readme):
            stale.append(readme.name)
            if not check:
                readme.write_text(synced_readme(readme))
        paths = notebook_paths(folder)
        for path in paths:
            if numbers and path.name[:2] not in numbers:
                continue
            text = dumps(synced(path, paths))
            if path.read_text() != text:
                stale.append(relative(path))
                if not check:
                    path.write_text(text)
        done += [relative(p) for p in paths if not numbers or p.name[:2] in numbers]
    if check and stale:
        sys.exit(f"out of date: {', '.join(stale)}; run: python tools/sync_notebooks.py")
    print(("checked " if check else "synced ") + ", ".join(done))


if __name__ == "__main__":
    main(check="--check" in sys.argv, numbers=[a for a in sys.argv[1:] if not a.startswith("--")])
