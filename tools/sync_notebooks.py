"""Keep every notebook clean and linked: `python tools/sync_notebooks.py` rewrites them in place.

For each notebooks/NN_*.ipynb it strips outputs and execution counts, sets the python3 kernelspec,
and writes three generated cells: navigation and the "Open in Colab" badge at the top, the guarded
Colab setup cell after it, and navigation at the bottom. Every cell gets its slide type for the live
slideshow (metadata.slideshow.slide_type), derived from the notebook's structure by
tools/classroom.py; a cell's other metadata is dropped but its tags. The repository URL and the pinned tag
come from pyproject.toml, the one place they live; README.md's Colab links are updated to match.
`--check` changes nothing and exits 1 if anything is out of date (tests/test_hygiene.py checks too).
"""

import json
import re
import sys
from pathlib import Path

import classroom
import tomllib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
NAV_TOP, SETUP, NAV_BOTTOM = "navigation-top", "colab-setup", "navigation-bottom"
GENERATED = {NAV_TOP, SETUP, NAV_BOTTOM}
# The live slideshow (jupyterlab-rise): long slides scroll, start at the title, no animation to wait for.
RISE = {"scroll": True, "center": False, "start_slideshow_at": "beginning", "transition": "none"}


def project():
    """(repository URL, pinned git ref) from pyproject.toml."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return meta["urls"]["Repository"], f"v{meta['version']}"


def colab_url(name):
    """The Colab link that opens notebooks/<name> at the pinned tag."""
    repo, ref = project()
    return f"https://colab.research.google.com/github/{repo.split('github.com/')[1]}/blob/{ref}/notebooks/{name}"


def colab_badge(name):
    """Markdown for the "Open in Colab" badge of notebooks/<name>."""
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(name)})"


def setup_source():
    """The guarded first code cell: on Colab only, install the series' helpers at the pinned tag."""
    repo, ref = project()
    return (
        "# On Colab only: install this series' helpers (utils/) from its repository, pinned to a release.\n"
        "# Anywhere else they are already installed by `python3 run.py lab`, and this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "cnn-layers @ git+{repo}@{ref}"'
    )


def notebook_paths():
    """The series' notebooks in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


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
    parts.append("[Contents](../README.md)")
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
        c["metadata"] = {k: v for k, v in c.get("metadata", {}).items() if k in ("tags",)}
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    nav = navigation(path, paths)
    top = f"{nav}\n\n{colab_badge(path.name)}"
    nb["cells"] = [cell("markdown", NAV_TOP, top), cell("code", SETUP, setup_source()), *body,
                   cell("markdown", NAV_BOTTOM, nav)]
    for c, kind in zip(nb["cells"], classroom.slide_types(nb["cells"], GENERATED)):
        c["metadata"]["slideshow"] = {"slide_type": kind}
    nb["metadata"] = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}, "rise": RISE}
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return nb


def dumps(nb):
    """Serialise a notebook the way Jupyter does."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def synced_readme():
    """README.md with every Colab link pointing at the repository and tag in pyproject.toml."""
    text = (ROOT / "README.md").read_text()
    return re.sub(r"https://colab\.research\.google\.com/github/[^)\s]*?/notebooks/([\w.]+\.ipynb)",
                  lambda m: colab_url(m.group(1)), text)


def main(check=False):
    paths = notebook_paths()
    stale = []
    readme = synced_readme()
    if (ROOT / "README.md").read_text() != readme:
        stale.append("README.md")
        if not check:
            (ROOT / "README.md").write_text(readme)
    for path in paths:
        text = dumps(synced(path, paths))
        if path.read_text() != text:
            stale.append(path.name)
            if not check:
                path.write_text(text)
    if check and stale:
        sys.exit(f"out of date: {', '.join(stale)}; run: python tools/sync_notebooks.py")
    print(("checked " if check else "synced ") + ", ".join(p.name for p in paths))


if __name__ == "__main__":
    main(check="--check" in sys.argv)
