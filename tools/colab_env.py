"""A Colab-like Python for testing the standalone notebooks: `python tools/colab_env.py` makes .venv-colab.

.venv-colab is a virtual environment without pip whose site-packages holds one .pth file listing
  1. .venv-colab/overlay: Colab's kernel and widget stack (PACKAGES), pip-installed there with --target;
  2. the main .venv's site-packages, reused as it is (torch, matplotlib, nbmake, ...), not copied.
Python does not read the .pth files inside a folder that a .pth file lists, so this project's editable
install (a .pth in .venv) is not seen there: `import utils` fails, as in a fresh Colab runtime.
`ensure()` creates or refreshes it and is a no-op when its stamp file says it is up to date.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / ".venv"
COLAB = ROOT / ".venv-colab"
OVERLAY = COLAB / "overlay"
STAMP = COLAB / ".installed"
# Colab's versions. ipykernel 6.17.1 was checked to run with .venv's jupyter_client 8, tornado 6 and pyzmq 27.
PACKAGES = ["ipykernel==6.17.1", "ipywidgets==7.7.1", "widgetsnbextension==3.6.*", "jupyterlab_widgets==1.1.*",
            "ipython_genutils"]


def python(venv=COLAB):
    """The interpreter of a virtual environment."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def site_packages(venv):
    """A virtual environment's site-packages folder, as its own interpreter reports it."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.check_output([python(venv), "-c", code], text=True).strip())


def wanted():
    """What the stamp file holds when .venv-colab is up to date: the packages and the folders it lists."""
    return "\n".join([*PACKAGES, str(OVERLAY), str(site_packages(MAIN))]) + "\n"


def ready():
    """True when .venv-colab exists and is up to date."""
    return python().exists() and STAMP.exists() and STAMP.read_text() == wanted()


def ensure():
    """Create or refresh .venv-colab (idempotent) and return its interpreter."""
    if not python(MAIN).exists():
        sys.exit(f"{MAIN} is missing: run `python3 run.py test` (or `python3 run.py lab`) first")
    if ready():
        return python()
    print(f"Making {COLAB.name}: {MAIN.name}'s packages with Colab's {', '.join(PACKAGES[:2])} ...", flush=True)
    subprocess.check_call([python(MAIN), "-m", "venv", "--without-pip", COLAB])  # same Python as .venv
    subprocess.check_call([python(MAIN), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                           "--no-deps", "--upgrade", "--target", OVERLAY, *PACKAGES])
    (site_packages(COLAB) / "colab-like.pth").write_text(f"{OVERLAY}\n{site_packages(MAIN)}\n")
    STAMP.write_text(wanted())
    return python()


if __name__ == "__main__":
    print(ensure())
