"""run.py: each command starts the right program and passes the learner's extra arguments on to it."""

import ast
import os
import re
import sys
from pathlib import Path

import pytest

import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def started(monkeypatch):
    """The commands run.py would run, recorded instead of run (nothing is installed or started)."""
    commands = []
    monkeypatch.setattr(run, "install", lambda *requirements: None)
    monkeypatch.setattr(run, "install_ipywidgets7", lambda: commands.append(["install ipywidgets 7.7.1"]))
    monkeypatch.setattr(run, "run", lambda *command, env=None, **kwargs: commands.append(
        [str(c) for c in command] + [f"{k}={v}" for k, v in (env or {}).items() if os.environ.get(k) != v]))
    return commands


def test_lab_passes_extra_arguments_on_to_jupyterlab(started):
    run.main(["lab", "--port", "9999", "--ip", "0.0.0.0", "--no-browser"])
    [command] = started
    assert command[1:3] == ["lab", run.FIRST_NOTEBOOK["en"]], command
    assert command[-5:] == ["--port", "9999", "--ip", "0.0.0.0", "--no-browser"], command


def test_lab_zh_opens_the_chinese_edition_with_jupyterlabs_menus_in_chinese(started, monkeypatch, tmp_path):
    monkeypatch.setattr(run, "ZH_SETTINGS", tmp_path / "settings")
    run.main(["lab", "zh", "--no-browser"])
    [command] = started
    assert command[1:3] == ["lab", "notebooks/zh/01_convolution.ipynb"], command
    assert f"--LabApp.user_settings_dir={tmp_path / 'settings'}" in command and command[-1] == "--no-browser"
    folder, name, _ = run.ZH_LOCALE
    assert '"zh_CN"' in (tmp_path / "settings" / folder / name).read_text()
    assert (ROOT / command[2]).exists()


def test_lab_without_arguments_opens_the_first_notebook(started):
    run.main(["lab"])
    assert started[0][1:3] == ["lab", run.FIRST_NOTEBOOK["en"]]
    assert started[0][3:] == run.lab_font() + run.as_root()


def test_class_serves_the_dashboard_and_passes_extra_arguments_on_to_voila(started, monkeypatch):
    monkeypatch.setattr(run, "tool", lambda name: ROOT / "tests" / "test_run.py")  # a file that exists
    run.main(["class", "--port", "8866", "--no-browser"])
    [command] = started
    assert command[1:] == [run.DASHBOARD["en"], "--port", "8866", "--no-browser"], command
    assert (ROOT / run.DASHBOARD["en"]).exists()


def test_class_zh_serves_the_chinese_dashboard(started, monkeypatch):
    monkeypatch.setattr(run, "tool", lambda name: ROOT / "tests" / "test_run.py")
    run.main(["class", "zh", "--port", "8866"])
    assert started[0][1:] == ["dashboard/zh/dashboard.ipynb", "--port", "8866"], started[0]
    assert (ROOT / started[0][1]).exists()


def test_build_runs_the_steps_asked_for(started):
    run.main(["build", "copies"])
    assert started[0][1:] == ["tools/build.py", "copies"]


def test_test_runs_pytest_once_with_each_notebook_and_the_extra_arguments(started, monkeypatch):
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    run.main(["test", "-k", "pooling"])
    [command] = started
    assert command[1:] == ["-m", "pytest", "--nbmake", "-n", "2", "--dist", "loadfile", "-k", "pooling",
                           "OMP_NUM_THREADS=1"], command


@pytest.mark.parametrize("cores, workers", [(1, []), (2, ["-n", "2", "--dist", "loadfile"]),
                                            (64, ["-n", "4", "--dist", "loadfile"])])
def test_test_runs_a_worker_per_core_up_to_four(monkeypatch, cores, workers):
    monkeypatch.setattr(run.os, "cpu_count", lambda: cores)
    assert run.workers() == workers


def test_test_all_runs_every_test_then_the_widget_tests_with_ipywidgets_7(started, monkeypatch):
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    run.main(["test", "all", "-x"])
    ipywidgets7, colab, everything, widgets = started
    assert ipywidgets7 == ["install ipywidgets 7.7.1"]
    assert colab[1:] == ["tools/colab_env.py"] and (ROOT / colab[1]).exists()
    # a test file stays on one worker: the site's tests share one run of each notebook
    assert everything[1:] == ["-m", "pytest", "-m", "", "-n", "2", "--dist", "loadfile", "-x", "OMP_NUM_THREADS=1"]
    assert widgets[1:5] == ["-m", "pytest", "-m", "widgets and not browser and not kernels"], widgets
    assert widgets[-6:-3] == ["--dist", "loadfile", "-x"], widgets
    assert set(widgets[-3:]) == {f"PYTHONPATH={run.IPYWIDGETS7}", "EXPECT_IPYWIDGETS=7.7.1", "OMP_NUM_THREADS=1"}


def test_every_test_is_in_a_tier_and_the_markers_are_pyprojects(pytestconfig):
    # Without --nbmake and with pyproject's `-m` a plain pytest starts no kernel and no browser; `test all` (-m "")
    # runs the rest. The markers that select are the ones pyproject.toml registers.
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {"browser", "kernels", "widgets"} <= registered
    assert pytestconfig.getini("addopts")[-2:] == ["-m", "not browser and not kernels"]
    assert "--nbmake" not in pytestconfig.getini("addopts")


def test_run_py_promises_the_python_pyproject_requires(monkeypatch):
    promised = re.search(r'^requires-python = ">=(\d+)\.(\d+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert tuple(map(int, promised.groups())) == run.OLDEST_PYTHON
    said = ".".join(map(str, run.OLDEST_PYTHON))
    assert f"Python {said} or newer" in (ROOT / "README.md").read_text()
    monkeypatch.setattr(run.sys, "version_info", (3, run.OLDEST_PYTHON[1] - 1, 0))
    with pytest.raises(SystemExit, match=f"needs Python {said} or newer"):
        run.main(["lab"])


@pytest.mark.parametrize("argv", [[], ["labb"], ["--port", "9999"]])
def test_an_unknown_command_prints_the_usage(argv):
    with pytest.raises(SystemExit) as stop:
        run.main(argv)
    assert "python3 run.py lab" in str(stop.value.code)


@pytest.mark.skipif(os.name == "nt", reason="the stand-in python is a script with a #! line")
def test_pip_gets_the_learners_mirror_from_the_environment(monkeypatch, tmp_path):
    """A PyPI mirror set in PIP_INDEX_URL, or in a pip config file, reaches the pip that run.py starts: the
    environment's python is a stand-in that writes down the arguments and the pip settings it was started with."""
    seen = tmp_path / "seen.txt"
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!{sys.executable}\nimport os, sys\n"
                      f"open({str(seen)!r}, 'w').write(repr((sys.argv[1:], os.environ.get('PIP_INDEX_URL'), "
                      "os.environ.get('PIP_CONFIG_FILE'))))\n")
    python.chmod(0o755)
    monkeypatch.setattr(run, "VENV", tmp_path / "venv")  # a fresh stamp: run.py installs
    monkeypatch.setenv("PIP_INDEX_URL", "https://pypi.tuna.tsinghua.edu.cn/simple")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(tmp_path / "pip.conf"))
    run.install("requirements.txt")
    arguments, index, config = ast.literal_eval(seen.read_text())
    assert arguments[:3] == ["-m", "pip", "install"] and "requirements.txt" in arguments, arguments
    assert index == "https://pypi.tuna.tsinghua.edu.cn/simple" and config == str(tmp_path / "pip.conf")
