"""Set up and run the series with one command each.

    python3 run.py lab     set up (first time only) and open JupyterLab on notebook 01
    python3 run.py lab zh  the same in Chinese: notebooks/zh/01 and JupyterLab's own menus in Chinese
    python3 run.py test    set up (first time only) and run the contributors' tests: the unit tests, the
                           hygiene checks and each notebook of both editions run once (no browser, no build)
    python3 run.py test all  every test, as CI runs them: adds the browser suite, the site and PDF build, the
                           student copies, the Colab-like and JupyterHub runs, and the ipywidgets 7.7.1 pass
    python3 run.py class   set up (first time only) and serve the widget dashboard, without code (Voila)
    python3 run.py class zh  the same dashboard in Chinese
    python3 run.py build   write what a class hands out: dist/student/ (no solutions), dist/teacher/,
                           dist/standalone/ (single-file notebooks), dist/site/ (website, PDF handouts)

Setting up (Python 3.10 or newer) makes a virtual environment in .venv and installs requirements.txt into
it; `test` adds the maintainers' tools (requirements-dev.txt). `test all` also makes an overlay with
ipywidgets 7.7.1, the version Colab ships, to run the tests marked `widgets` a second time against it, and
.venv-colab (tools/colab_env.py: Colab's ipykernel and ipywidgets, no `utils`) for the standalone notebooks.
Extra arguments go on to the program each command starts: to JupyterLab
(`python3 run.py lab --port 9999 --no-browser`) and to pytest (`python3 run.py test -k pooling`).
"""

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OLDEST_PYTHON = (3, 10)  # pyproject.toml's requires-python: torch, numpy, pytest and Voila need 3.10 or newer
VENV = ROOT / ".venv"
IPYWIDGETS7 = ROOT / ".venv-ipywidgets7"
IPYWIDGETS7_PACKAGES = [
    "ipywidgets==7.7.1", "widgetsnbextension==3.6.*", "jupyterlab_widgets==1.1.*", "ipython_genutils",
]
FIRST_NOTEBOOK = {"en": "notebooks/01_convolution.ipynb", "zh": "notebooks/zh/01_convolution.ipynb"}
# JupyterLab's menus in Chinese (the zh-CN language pack), in settings of their own: `lab` stays English.
ZH_SETTINGS = VENV / "lab-settings-zh"
ZH_LOCALE = ("@jupyterlab/translation-extension", "plugin.jupyterlab-settings", '{"locale": "zh_CN"}')
DASHBOARD = {"en": "dashboard/dashboard.ipynb", "zh": "dashboard/zh/dashboard.ipynb"}


def tool(name):
    """The path of a program inside .venv."""
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def run(*command, **kwargs):
    """Run a command from the project folder, echoing it; stop with its exit code if it fails."""
    print("+", " ".join(str(c) for c in command), flush=True)
    code = subprocess.call([str(c) for c in command], cwd=ROOT, **kwargs)
    if code:
        sys.exit(code)


def install(*requirements):
    """Create .venv if needed and pip-install the requirement files, only when they changed."""
    if not tool("python").exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    files = [ROOT / r for r in requirements] + [ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{'+'.join(requirements)}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing packages (the first time takes a few minutes: torch is large) ...", flush=True)
    files = sum((["-r", r] for r in requirements), [])
    run(tool("python"), "-m", "pip", "install", "--disable-pip-version-check", *files)
    stamp.write_text(digest)


def install_ipywidgets7():
    """Install ipywidgets 7.7.1 (Colab's version) into an overlay folder put in front on PYTHONPATH."""
    stamp = IPYWIDGETS7 / ".installed"
    if stamp.exists() and stamp.read_text() == " ".join(IPYWIDGETS7_PACKAGES):
        return
    run(tool("python"), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--no-deps",
        "--upgrade", "--target", IPYWIDGETS7, *IPYWIDGETS7_PACKAGES)
    stamp.write_text(" ".join(IPYWIDGETS7_PACKAGES))


def as_root():
    """["--allow-root"] when running as root (containers, CI), where Jupyter servers refuse to start without it."""
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def lab(args):
    """JupyterLab on notebook 01; `lab zh` opens the Chinese edition with JupyterLab's menus in Chinese."""
    install("requirements.txt")
    language = "zh" if args[:1] == ["zh"] else "en"
    args = args[1:] if language == "zh" else args
    settings = []
    if language == "zh":
        folder, name, text = ZH_LOCALE
        (ZH_SETTINGS / folder).mkdir(parents=True, exist_ok=True)
        (ZH_SETTINGS / folder / name).write_text(text)
        settings = [f"--LabApp.user_settings_dir={ZH_SETTINGS}"]
    run(tool("jupyter"), "lab", FIRST_NOTEBOOK[language], *lab_font(), *settings, *as_root(), *args)


def lab_font():
    """JupyterLab's options to load utils/fonts/custom.css (the folder served as its /custom/): Chinese in the
    shipped font, menus and headings included, where the machine has no CJK font."""
    custom = json.dumps({"static_custom_path": [str(ROOT / "utils" / "fonts")]})
    return ["--LabApp.custom_css=True", f"--ServerApp.tornado_settings={custom}"]


def dashboard(args):
    """Serve the dashboard with Voila: every widget on one page, no code; `class zh` in Chinese (extra args go to
    voila, e.g. --port)."""
    install("requirements.txt")
    if not tool("voila").exists():
        sys.exit("The dashboard needs Voila, which needs Python 3.10 or newer: run.py with a newer python3.")
    language = "zh" if args[:1] == ["zh"] else "en"
    run(tool("voila"), DASHBOARD[language], *args[1 if language == "zh" else 0:])


def build(steps):
    install("requirements.txt")
    run(tool("python"), "tools/build.py", *steps)


def workers():
    """pytest-xdist's options: a worker per core, up to 4, handed a test file at a time (so a lesson's module
    fixture, its core path run, is built once, not on each worker). Each worker, and each
    notebook's kernel, runs torch on one thread (OMP_NUM_THREADS=1): two torch processes of two threads each on two
    cores spin against each other and run many times slower, one thread each runs 1.4x faster than one process on
    both cores."""
    count = min(os.cpu_count() or 1, 4)
    return ["-n", str(count), "--dist", "loadfile"] if count > 1 else []


def test(args):
    """`test`: unit tests, hygiene, each notebook once (nbmake); `test all`: every test, then the widget tests
    with ipywidgets 7.7.1. Which test is in which tier: the markers in pyproject.toml."""
    install("requirements-dev.txt")
    if args[:1] != ["all"]:
        run(tool("python"), "-m", "pytest", "--nbmake", *workers(), *args, env=dict(os.environ, OMP_NUM_THREADS="1"))
        return
    install_ipywidgets7()
    run(tool("python"), "tools/colab_env.py")  # .venv-colab, where the standalone notebooks run as on Colab
    # no --nbmake: the site build runs each notebook, once (its tests are one file, kept on one worker)
    run(tool("python"), "-m", "pytest", "-m", "", *workers(), *args[1:],
        env=dict(os.environ, OMP_NUM_THREADS="1"))
    print("\nThe tests that build widgets again, with ipywidgets 7.7.1 as on Colab:", flush=True)
    env = dict(os.environ, PYTHONPATH=str(IPYWIDGETS7), EXPECT_IPYWIDGETS=IPYWIDGETS7_PACKAGES[0].split("==")[1])
    # ipywidgets 7 on today's ipykernel warns about its Comm import on every widget: known, and not ours.
    run(tool("python"), "-m", "pytest", "-m", "widgets and not browser and not kernels", "-q",
        "-W", "ignore::DeprecationWarning", *workers(), *args[1:], env=dict(env, OMP_NUM_THREADS="1"))


COMMANDS = {"lab": lab, "class": dashboard, "build": build, "test": test}


def main(argv):
    """Run the command named by argv[0] with the rest of argv as its extra arguments."""
    if sys.version_info < OLDEST_PYTHON:
        sys.exit(f"The series needs Python {'.'.join(map(str, OLDEST_PYTHON))} or newer, and this python3 is "
                 f"{sys.version.split()[0]}: run run.py with a newer one (python3.12 run.py ...).")
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
