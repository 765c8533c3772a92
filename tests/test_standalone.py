"""Single-file notebooks (tools/standalone.py): each carries `utils` in its setup cell and runs alone.

The setup cell is plain Python: the first tests run it with `python -S` (no site-packages, so no
installed `utils`) and check what it unpacks, where, and what it refuses. The `colab_like` tests (marked
`kernels`: `python3 run.py test all`) run the standalone notebooks (COLAB_RUNS) under nbmake from an empty folder in
.venv-colab (tools/colab_env.py: Colab's ipykernel 6.17.1 and ipywidgets 7.7.1, no `utils`); they skip
when .venv-colab is missing (`python tools/colab_env.py` makes it), except under CI, where they fail.
"""

import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import colab_env
import pytest
import standalone
import sync_notebooks
from browser_support import in_ci

ROOT = Path(__file__).resolve().parent.parent

SOURCES = standalone.notebooks()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The standalone notebooks, written to a fresh folder: {source path: standalone path}."""
    folder = tmp_path_factory.mktemp("standalone")
    written = standalone.write_all(folder)
    assert written == [folder / p.relative_to(ROOT / "notebooks") for p in SOURCES], "laid out as notebooks/"
    return dict(zip(SOURCES, written))


@pytest.fixture(scope="module")
def setup():
    """The standalone setup cell's source."""
    return standalone.setup_source()


def cells(path):
    return json.loads(path.read_text())["cells"]


def links(cell):
    """A markdown cell's text without its link targets, and the targets."""
    text = "".join(cell["source"])
    return re.sub(r"\]\([^)]*\)", "]()", text), re.findall(r"\]\(([^)]*)\)", text)


def run_setup(code, cwd, tmpdir, pythonpath=None):
    """Run `code` with python -S (stdlib only: no installed `utils`, nor what it imports), TMPDIR set."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(TMPDIR=str(tmpdir), **({"PYTHONPATH": str(pythonpath)} if pythonpath else {}))
    return subprocess.run([sys.executable, "-S", "-"], input=code, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def unpacked(tmpdir):
    """The folders the setup cell unpacked into `tmpdir`."""
    return sorted(Path(tmpdir).glob("cnn-layers-*"))


def test_the_payload_is_the_utils_package_byte_for_byte_and_reproducible():
    archive = zipfile.ZipFile(io.BytesIO(standalone.payload()))
    files = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in (ROOT / "utils").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    assert "utils/__init__.py" in files and "utils/guard.py" in files
    assert {name: archive.read(name) for name in archive.namelist()} == files
    assert standalone.payload() == standalone.payload(), "the same files must give the same zip"


def test_one_standalone_notebook_per_notebook_each_under_1_MB(built):
    assert [p.name for p in built][:4] == [
        "01_convolution.ipynb", "02_max_pooling.ipynb", "03_fully_connected.ipynb", "04_lenet_end_to_end.ipynb"]
    for target in built.values():
        size = target.stat().st_size
        print(f"{target.name}: {size:,} bytes")
        assert size < 1_000_000, f"{target.name} is {size:,} bytes, over the 1 MB budget"


def test_only_the_setup_cell_and_the_contents_link_change(built):
    repo, ref = sync_notebooks.project()
    for source, target in built.items():
        before, after = cells(source), cells(target)
        assert [c["id"] for c in before] == [c["id"] for c in after]
        for old, new in zip(before, after):
            if old["id"] == sync_notebooks.SETUP:
                assert "".join(new["source"]) == standalone.setup_source(source.parent)
            elif old["id"] in sync_notebooks.GENERATED:  # a link out of the notebooks' folder goes to the repository
                (old_text, old_links), (new_text, new_links) = links(old), links(new)
                assert new_text == old_text and len(new_links) == len(old_links)
                for was, now in zip(old_links, new_links):
                    moved = f"{repo}/blob/{ref}/" + was.lstrip("./") if was.startswith("../") else was
                    assert now == moved, (target.name, was, now)
            else:
                assert new == old, f"{target.name}: cell {old['id']} changed"
        assert json.loads(target.read_text())["metadata"] == json.loads(source.read_text())["metadata"]


@pytest.mark.parametrize("edition", standalone.WORDS, ids=["en", "zh"])
def test_the_setup_cell_is_readable_and_the_editions_differ_only_in_words(setup, edition):
    lines = standalone.setup_source(edition).splitlines()
    assert lines[0].startswith(("# Standalone copy", "# 独立副本")) and len(lines) <= 30
    assert all(len(line) <= 120 for line in lines[:-1]), "only the payload line may be long"
    assert re.fullmatch(r'unpack_helpers\("[0-9a-f]{64}", "[A-Za-z0-9+/=]+"\)', lines[-1])
    code = lambda text: [line.split("  #")[0] for line in text.splitlines()  # without comments and the message
                         if not line.startswith("#") and "RuntimeError(" not in line]
    assert code(standalone.setup_source(edition)) == code(setup)


def test_without_utils_the_cell_unpacks_the_package_to_a_temporary_folder(setup, tmp_path):
    notebook_folder, tmpdir = tmp_path / "notebook", tmp_path / "tmp"
    notebook_folder.mkdir(), tmpdir.mkdir()
    check = "\nprint(importlib.util.find_spec('utils').origin)"
    done = run_setup(setup + check, notebook_folder, tmpdir)
    assert done.returncode == 0, done.stderr
    [folder] = unpacked(tmpdir)
    assert Path(done.stdout.strip()) == folder / "utils" / "__init__.py"
    for path in standalone.package_files():
        assert (folder / path.relative_to(ROOT)).read_bytes() == path.read_bytes()
    assert list(notebook_folder.iterdir()) == [], "nothing is written next to the notebook"


def test_run_twice_in_one_kernel_it_unpacks_once(setup, tmp_path):
    done = run_setup(f"{setup}\n{setup}\nprint(importlib.util.find_spec('utils').origin)", tmp_path, tmp_path)
    assert done.returncode == 0, done.stderr
    [folder] = unpacked(tmp_path)
    assert done.stdout.strip() == str(folder / "utils" / "__init__.py")


def test_where_utils_is_installed_it_does_nothing(setup, tmp_path):
    done = run_setup(setup + "\nprint(importlib.util.find_spec('utils').origin)", tmp_path, tmp_path, pythonpath=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(ROOT / "utils" / "__init__.py") and unpacked(tmp_path) == []


@pytest.mark.parametrize("other", ["utils.py", "utils/__init__.py"])
def test_another_packages_utils_gives_way_to_ours(setup, tmp_path, other):
    (tmp_path / "other" / other).parent.mkdir(parents=True)
    (tmp_path / "other" / other).write_text("import sys\nNOT_OURS = True\n")
    check = "\nprint('utils' in sys.modules, importlib.util.find_spec('utils').origin)"
    done = run_setup("import utils\n" + setup + check, tmp_path, tmp_path, pythonpath=tmp_path / "other")
    assert done.returncode == 0, done.stderr
    [folder] = unpacked(tmp_path)
    assert done.stdout.split() == ["False", str(folder / "utils" / "__init__.py")]


def test_a_damaged_payload_is_refused_with_a_clear_message(setup, tmp_path):
    payload = setup.splitlines()[-1].split('"')[3]
    broken = payload[:1000] + ("A" if payload[1000] != "A" else "B") + payload[1001:]
    assert len(broken) == len(payload) and broken != payload
    done = run_setup(setup.replace(payload, broken), tmp_path, tmp_path)
    assert done.returncode != 0 and unpacked(tmp_path) == []
    assert "RuntimeError: This notebook's helpers are damaged" in done.stderr
    assert "download the notebook again" in done.stderr


def test_an_unusable_temp_folder_falls_back_to_another(setup, tmp_path):
    # TMPDIR that cannot hold a folder (a file: a read-only folder would not stop root) and a read-only
    # notebook folder: tempfile moves on to the system's temporary folder.
    (tmp_path / "not-a-folder").write_text("")
    notebook_folder = tmp_path / "read-only"
    notebook_folder.mkdir(mode=0o555)
    check = "\nprint(importlib.util.find_spec('utils').origin)"
    done = run_setup(setup + check, notebook_folder, tmp_path / "not-a-folder")
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip()).parent.parent
    try:
        assert folder.parent != tmp_path and folder.name.startswith("cnn-layers-")
        assert (folder / "utils" / "guard.py").read_bytes() == (ROOT / "utils" / "guard.py").read_bytes()
    finally:
        shutil.rmtree(folder)


def test_the_payload_decodes_to_the_zip(setup):
    line = setup.splitlines()[-1]
    payload = line.split('"')[3]
    assert base64.b64decode(payload) == standalone.payload()


# Colab-like: the notebooks themselves, in .venv-colab.

@pytest.fixture(scope="module")
def colab_python(tmp_path_factory):
    """The interpreter of .venv-colab, checked to be Colab-like; skipped when missing or stale, a failure under CI."""
    if not colab_env.ready():
        reason = f"{colab_env.COLAB.name} is missing or stale: make it with `python tools/colab_env.py`"
        if in_ci():
            pytest.fail(f"CI must run the Colab-like tests, but {reason}", pytrace=False)
        pytest.skip(reason)
    empty = tmp_path_factory.mktemp("empty")
    code = ("import importlib.util, ipykernel, ipywidgets, torch, torchvision, matplotlib, nbmake\n"
            "print(ipykernel.__version__, ipywidgets.__version__, importlib.util.find_spec('utils'))")
    done = subprocess.run([colab_env.python(), "-c", code], cwd=empty, env=colab_env_vars(empty),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["6.17.1", "7.7.1", "None"], "Colab's versions, and our package not installed"
    return colab_env.python()


def colab_env_vars(tmpdir):
    """The environment of a Colab-like run: no PYTHONPATH, the offline dataset, TMPDIR to look into."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(TMPDIR=str(tmpdir), CNN_LAYERS_DATASET="offline", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


def nbmake(python, notebook, tmp_path):
    """Run one notebook, alone in an empty folder, under nbmake; (finished process, temp folder)."""
    folder, tmpdir = tmp_path / "empty", tmp_path / "tmp"
    folder.mkdir(), tmpdir.mkdir()
    shutil.copy(notebook, folder)
    done = subprocess.run([python, "-m", "pytest", "--nbmake", "--nbmake-timeout=300", "-p", "no:cacheprovider",
                           "-q", notebook.name], cwd=folder, env=colab_env_vars(tmpdir), capture_output=True,
                          text=True, timeout=900)
    return done, tmpdir


@pytest.mark.kernels
def test_colab_like_environment_lists_the_overlay_then_the_main_venv_and_is_kept(colab_python, monkeypatch):
    [pth] = colab_env.site_packages(colab_env.COLAB).glob("*.pth")
    assert pth.read_text().splitlines() == [str(colab_env.OVERLAY), str(colab_env.site_packages(colab_env.MAIN))]
    monkeypatch.setattr(colab_env.subprocess, "check_call", lambda *a, **k: pytest.fail(f"rebuilt: {a}"))
    assert colab_env.ensure() == colab_python, "an up-to-date environment is left as it is"


@pytest.mark.kernels
def test_colab_like_kernel_unpacks_once_when_run_twice(colab_python, setup, tmp_path):
    check = ("import tempfile\nimport ipykernel\nimport ipywidgets\nimport utils\nfrom utils import view\n"
             "assert (ipykernel.__version__, ipywidgets.__version__) == ('6.17.1', '7.7.1')\n"
             "assert utils.__file__.startswith(tempfile.gettempdir()), utils.__file__")
    nb = {"cells": [sync_notebooks.cell("code", f"c{i}", source) for i, source in enumerate([setup, setup, check])],
          "metadata": {"kernelspec": sync_notebooks.KERNELSPEC}, "nbformat": 4, "nbformat_minor": 5}
    notebook = tmp_path / "twice.ipynb"
    notebook.write_text(sync_notebooks.dumps(nb))
    done, tmpdir = nbmake(colab_python, notebook, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(unpacked(tmpdir)) == 1


# The editions are one program (tests/test_editions.py), so Colab-like runs take the four Chinese notebooks (the same
# code, plus the catalog and the shipped font, found inside the unpacked payload) and one English notebook.
COLAB_RUNS = [p for p in SOURCES if p.parent.name == "zh" or p.name.startswith("01_")]


@pytest.mark.kernels
@pytest.mark.parametrize("source", COLAB_RUNS, ids=[sync_notebooks.relative(p)[:-6] for p in COLAB_RUNS])
def test_colab_like_standalone_notebook_runs_alone(colab_python, built, source, tmp_path):
    done, tmpdir = nbmake(colab_python, built[source], tmp_path)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
    assert len(unpacked(tmpdir)) == 1, "the kernel had no `utils` of its own: the notebook unpacked its helpers"


def test_python3_run_py_build_writes_them_to_dist_standalone(tmp_path, capsys):
    import build

    assert list(build.STEPS)[:2] == ["copies", "standalone"], "`python3 run.py build` runs every step"
    build.STEPS["standalone"](tmp_path / "dist")
    for target in standalone.write_all(tmp_path / "direct"):
        written = tmp_path / "dist" / "standalone" / target.relative_to(tmp_path / "direct")
        assert written.read_bytes() == target.read_bytes(), written
    assert f"standalone/zh/{SOURCES[-1].name}: " in capsys.readouterr().out, "each file is listed with its size"
