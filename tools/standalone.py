"""Single-file notebooks: `python tools/standalone.py [folder]` writes dist/standalone/NN_*.ipynb.

Each is a notebook of the series whose Colab setup cell is replaced by one that carries the `utils`
package inside it: a zip of utils/, base64-encoded on the cell's last line, with its SHA-256. Run on
a machine where `utils` is not importable (Colab, Kaggle, any Jupyter after a lone upload), the cell
checks the hash, unpacks the zip to a new temporary folder and puts that folder on sys.path; where
`utils` is importable (installed, or unpacked by an earlier run in the same kernel) it does nothing.
So one file runs with nothing but torch, torchvision, matplotlib and ipywidgets present.
"""

import base64
import hashlib
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "utils"
OUT = ROOT / "dist" / "standalone"
LIMIT = 1_000_000  # bytes: the budget of one standalone notebook (issue 13)
README_LINK = re.compile(r"\((?:\.\./)+(README[\w.]*\.md)\)")  # (../README.md), (../../README.zh.md)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # one fixed date for every file, so the same package gives the same bytes

SETUP = '''\
# Standalone copy: the series' helpers (the `utils` package, {count} files) are zipped into this cell's last line,
# so this one file runs on Colab, Kaggle or any Jupyter with torch, torchvision, matplotlib and ipywidgets.
# Only where this series' `utils` is not importable are they checked (SHA-256) and unpacked to a new temp folder.
import base64
import hashlib
import importlib.util
import io
import os
import sys
import tempfile
import zipfile


def unpack_helpers(sha256, payload):
    found = importlib.util.find_spec("utils")  # where `import utils` would look, without importing it
    if found and any(os.path.isfile(os.path.join(f, "guard.py")) for f in found.submodule_search_locations or []):
        return  # this series' `utils`: installed, or unpacked by an earlier run of this cell
    if hashlib.sha256(payload.encode()).hexdigest() != sha256:
        raise RuntimeError("The helpers inside this notebook are damaged (their SHA-256 differs from the one "
                           "written here): download the notebook again.")
    folder = tempfile.mkdtemp(prefix="cnn-layers-")
    zipfile.ZipFile(io.BytesIO(base64.b64decode(payload))).extractall(folder)
    sys.path.insert(0, folder)
    sys.modules.pop("utils", None)  # forget another package's `utils`, if one was imported


unpack_helpers("{sha256}", "{payload}")'''


def package_files():
    """The files of the utils package (sources and any data it ships), without caches, in name order."""
    return sorted(p for p in PACKAGE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def payload():
    """The utils package as zip bytes, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in package_files():
            info = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), ZIP_DATE)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def setup_source():
    """The standalone setup cell's source: a short unpacker, then the package as one base64 line."""
    text = base64.b64encode(payload()).decode("ascii")
    return SETUP.format(count=len(package_files()), sha256=hashlib.sha256(text.encode()).hexdigest(), payload=text)


def standalone(path, setup):
    """The notebook at `path` (a dict) with `setup` as its setup cell and its contents link to the repository."""
    nb = json.loads(path.read_text())
    ids = [c.get("id") for c in nb["cells"]]
    if sync_notebooks.SETUP not in ids:
        raise ValueError(f"{path.name} has no '{sync_notebooks.SETUP}' cell: run `python tools/sync_notebooks.py`")
    nb["cells"][ids.index(sync_notebooks.SETUP)]["source"] = setup.splitlines(keepends=True)
    for c in nb["cells"]:
        if c.get("id") in sync_notebooks.GENERATED and c["cell_type"] == "markdown":
            c["source"] = [README_LINK.sub(readme_url, line) for line in c["source"]]
    return nb


def readme_url(match):
    """The README a relative link points at, in the repository at the pinned tag: a lone file has no ../README.md."""
    repo, ref = sync_notebooks.project()
    return f"({repo}/blob/{ref}/{match.group(1)})"


def notebooks():
    """Every notebook of the series, in every edition (notebooks/ and notebooks/zh/ when it exists)."""
    found = (ROOT / "notebooks").rglob("[0-9][0-9]_*.ipynb")
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def write_all(out_dir=OUT):
    """Write one standalone notebook per notebook into `out_dir` (laid out as notebooks/), return their paths."""
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    setup, written = setup_source(), []
    for path in notebooks():
        target = out_dir / path.relative_to(ROOT / "notebooks")
        text = sync_notebooks.dumps(standalone(path, setup))
        if len(text.encode()) >= LIMIT:
            raise ValueError(f"{target.name} would be {len(text.encode()):,} bytes, over the {LIMIT:,}-byte budget")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(target)
    return written


if __name__ == "__main__":
    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else OUT):
        print(f"{written} ({written.stat().st_size:,} bytes)")
