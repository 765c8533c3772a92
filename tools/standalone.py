"""Single-file notebooks: `python tools/standalone.py [folder]` writes dist/standalone/NN_*.ipynb (and zh/NN_*).

Each is a notebook of the series whose Colab setup cell is replaced by one that carries the `utils`
package inside it: a zip of utils/, base64-encoded on the cell's last line, with its SHA-256. Run on
a machine where `utils` is not importable (Colab, Kaggle, any Jupyter after a lone upload), the cell
checks the hash, unpacks the zip to a new temporary folder and puts that folder on sys.path; where
`utils` is importable (installed, or unpacked by an earlier run in the same kernel) it does nothing.
So one file runs with nothing but torch, torchvision, matplotlib, ipywidgets and tqdm present (and
platformdirs, which every Jupyter installs).
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
README_LINK = re.compile(r"\((?:\.\./)+(README[\w.-]*\.md)\)")  # (../README.md), (../../README.zh-CN.md)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # one fixed date for every file, so the same package gives the same bytes

# What the setup cell says, per edition (sync_notebooks.NOTEBOOKS or CHINESE).
WORDS = {
    sync_notebooks.NOTEBOOKS: {
        "intro": (
            "# Standalone copy: the series' helpers (the `utils` package, {count} files) are zipped into this cell's\n"
            "# last line, so this one file runs on Colab, Kaggle or any Jupyter with torch, torchvision, matplotlib,\n"
            "# ipywidgets and tqdm. Only where this series' `utils` is not importable are they checked (SHA-256) and\n"
            "# unpacked to a new temporary folder."),
        "where": "where `import utils` would look, without importing it",
        "ours": "this series' `utils`: installed, or unpacked by an earlier run of this cell",
        "forget": "forget another package's `utils`, if one was imported",
        "damaged": "This notebook's helpers are damaged (their SHA-256 differs): download the notebook again.",
    },
    sync_notebooks.CHINESE: {
        "intro": (
            "# 独立副本：本系列的辅助代码（`utils` 包，共 {count} 个文件）压缩后写在本单元格的最后一行，\n"
            "# 所以只要有 torch、torchvision、matplotlib、ipywidgets 和 tqdm，这一个文件就能在 Colab、Kaggle\n"
            "# 或任何 Jupyter 中运行。只有在无法导入本系列的 `utils` 时，才校验（SHA-256）并解压到新的临时文件夹。"),
        "where": "`import utils` 会从哪里导入（并不真的导入）",
        "ours": "本系列的 `utils`：已经安装，或已由本单元格上一次运行解压",
        "forget": "若导入过其他包的 `utils`，把它忘掉",
        "damaged": "这个 notebook 里的辅助代码已损坏（SHA-256 不符）：请重新下载它。",
    },
}
SETUP = '''\
{intro}
import base64
import hashlib
import importlib.util
import io
import os
import sys
import tempfile
import zipfile


def unpack_helpers(sha256, payload):
    found = importlib.util.find_spec("utils")  # {where}
    if found and any(os.path.isfile(os.path.join(f, "guard.py")) for f in found.submodule_search_locations or []):
        return  # {ours}
    if hashlib.sha256(payload.encode()).hexdigest() != sha256:
        raise RuntimeError("{damaged}")
    folder = tempfile.mkdtemp(prefix="cnn-layers-")
    zipfile.ZipFile(io.BytesIO(base64.b64decode(payload))).extractall(folder)
    sys.path.insert(0, folder)
    sys.modules.pop("utils", None)  # {forget}


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


def setup_source(folder=sync_notebooks.NOTEBOOKS):
    """The standalone setup cell of an edition: a short unpacker, then the package as one base64 line."""
    text = base64.b64encode(payload()).decode("ascii")
    words = dict(WORDS[folder], intro=WORDS[folder]["intro"].format(count=len(package_files())))
    return SETUP.format(**words, sha256=hashlib.sha256(text.encode()).hexdigest(), payload=text)


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
    """Every notebook of the series: the English edition, then the Chinese one."""
    return [path for folder in WORDS for path in sync_notebooks.notebook_paths(folder)]


def write_all(out_dir=OUT):
    """Write one standalone notebook per notebook into `out_dir` (laid out as notebooks/), return their paths."""
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    setups, written = {folder: setup_source(folder) for folder in WORDS}, []
    for path in notebooks():
        target = out_dir / sync_notebooks.relative(path)
        text = sync_notebooks.dumps(standalone(path, setups[path.parent]))
        if len(text.encode()) >= LIMIT:
            raise ValueError(f"{target.name} would be {len(text.encode()):,} bytes, over the {LIMIT:,}-byte budget")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(target)
    return written


if __name__ == "__main__":
    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else OUT):
        print(f"{written} ({written.stat().st_size:,} bytes)")
