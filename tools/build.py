"""Build what a class hands out, into dist/: `python tools/build.py [step ...]` (or `python3 run.py build`).

    copies      dist/teacher/ (everything) and dist/student/ (no solutions, no speaker notes), each laid
                out like the project (notebooks/, utils/, dashboard/, the READMEs and guides, requirements)
                so `utils` imports, `pip install -r requirements.txt` and the notebooks' links work there.
    standalone  dist/standalone/NN_*.ipynb (and zh/): single-file notebooks carrying `utils` in their
                setup cell, each under 1 MB, for a lone upload to Colab or Kaggle (tools/standalone.py)
    site        every notebook of both editions executed once (dist/executed/), rendered as a website
                that works offline from disk: dist/site/index.html (tools/website.py)
    pdf         one PDF handout per notebook, printed from its site page by Chromium: dist/site/pdf/

Without arguments every step runs, in order. A new step (a static site, PDFs, ...) is a function
taking the dist folder, added to STEPS.
"""

import json
import shutil
import sys
import time
from pathlib import Path

import classroom
import standalone
import sync_notebooks
import website

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
PROJECT_FILES = ["README.md", "README.zh-CN.md", "TEACHING.md", "TEACHING.zh-CN.md", "CLAIMS.md", "CLAIMS.zh-CN.md",
                 "pyproject.toml", "requirements.txt", "environment.yml"]
PROJECT_FOLDERS = ["utils", "notebooks", "dashboard", "i18n"]  # what the READMEs link to, and what runs
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "data")


def edition(target, keep):
    """Copy the project's notebooks and helpers to `target`, each notebook's cells filtered by `keep`."""
    shutil.rmtree(target, ignore_errors=True)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, target / name, ignore=IGNORE)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    for path in sorted((target / "notebooks").rglob("*.ipynb")):
        nb = json.loads(path.read_text())
        nb["cells"] = keep(nb["cells"])
        path.write_text(sync_notebooks.dumps(nb))


def copies(dist):
    """dist/teacher: the notebooks as they are; dist/student: without solutions and speaker notes."""
    edition(dist / "teacher", list)
    edition(dist / "student", classroom.student_cells)


def single_files(dist):
    """dist/standalone: one single-file notebook per notebook of both editions, with its size."""
    for path in standalone.write_all(dist / "standalone"):
        print(f"  {path.relative_to(dist)}: {path.stat().st_size:,} bytes")


def site(dist):
    """dist/executed: every notebook run once; dist/site: their pages (the pdf step prints them)."""
    website.execute_all(dist)
    website.write_site(dist)


STEPS = {"copies": copies, "standalone": single_files, "site": site, "pdf": website.write_pdfs}


def main(names):
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        sys.exit(f"unknown build step(s) {unknown}; the steps are: {', '.join(STEPS)}")
    for name in names or STEPS:
        start = time.monotonic()
        STEPS[name](DIST)
        print(f"built {name} in {DIST.relative_to(ROOT)}/ ({time.monotonic() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
