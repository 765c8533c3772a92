"""A class on JupyterHub: notebook 04 from a read-only folder, with a shared read-only CIFAR-10 copy or a broken one.

The tests run as root, and chmod does not stop root from writing. So "read-only" here is real: each run gets
a mount namespace of its own (`unshare --mount`) in which the folders are bind-mounted read-only, and every
write fails with EROFS, for root too, as it would for a student. (Run as another user, chmod a-w is used.)
The kernel is a subprocess, so a shared CIFAR-10 copy must pass torchvision's real MD5 check there: the fake
copy is CIFAR-10's layout filled with the offline shapes (learnable, so the notebook's CIFAR-10 asserts hold),
and sitecustomize.py on the kernel's PYTHONPATH swaps CIFAR-10's published MD5s for the fake files' own; a
file changed afterwards fails the check exactly as a damaged real copy would.
"""

import hashlib
import json
import os
import pickle
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from torchvision.datasets import CIFAR10

from utils import data as D

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04_lenet_end_to_end.ipynb"
# Each test starts a kernel-like process or notebook 04 under nbmake: `python3 run.py test all` runs them.
pytestmark = pytest.mark.kernels
DEAD_PROXY = "http://127.0.0.1:9"  # any download attempt fails at once and says "no network connection"
SITECUSTOMIZE = '''\
import json, os
from torchvision.datasets import CIFAR10
md5 = json.loads(open(os.environ["FAKE_CIFAR_MD5"]).read())
CIFAR10.train_list = [[name, md5[name]] for name, _ in CIFAR10.train_list]
CIFAR10.test_list = [[name, md5[name]] for name, _ in CIFAR10.test_list]
CIFAR10.meta = dict(CIFAR10.meta, md5=md5[CIFAR10.meta["filename"]])
'''


def read_only(command, folders):
    """`command` run with `folders` read-only: bind-mounted so in a mount namespace as root, chmod a-w otherwise."""
    if os.geteuid() != 0:
        for folder in folders:
            subprocess.run(["chmod", "-R", "a-w", folder], check=True)
        return command
    mounts = " && ".join(f"mount --bind {q} {q} && mount -o remount,bind,ro {q}"
                         for q in (shlex.quote(str(f)) for f in folders))
    # cd again once mounted: the working folder inherited from before the mount would still be the writable one
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", f'{mounts} && cd "$PWD" && exec "$@"', "sh",
            *command]


@pytest.fixture(scope="module")
def can_make_read_only(tmp_path_factory):
    """Skip (fail under CI) where no folder can be made read-only for this user."""
    folder = tmp_path_factory.mktemp("probe")
    done = subprocess.run(read_only(["touch", str(folder / "x")], [folder]), capture_output=True, text=True)
    if done.returncode == 0 or not any(s in done.stderr for s in ("Read-only file system", "Permission denied")):
        message = f"cannot make a folder read-only here: {done.stderr.strip() or 'the write succeeded'}"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message)
        pytest.skip(message)


def write_cifar_like(root, per_batch=2400, test=2000):
    """CIFAR-10's batch files under root, holding the offline shapes (learnable) -> {file name: its MD5}."""
    folder = root / CIFAR10.base_folder
    folder.mkdir(parents=True)
    names = [n for n, _ in CIFAR10.train_list + CIFAR10.test_list]
    images, labels = D.make_shapes(per_batch * 5 + test, seed=1)
    start = 0
    for name in names:
        stop = start + (test if name == "test_batch" else per_batch)
        batch = {"batch_label": name, "data": images[start:stop].reshape(stop - start, 3072).numpy(),
                 "labels": labels[start:stop].tolist(), "filenames": []}
        (folder / name).write_bytes(pickle.dumps(batch))
        start = stop
    meta = CIFAR10.meta["filename"]
    (folder / meta).write_bytes(pickle.dumps({"label_names": list(D.OFFLINE_CLASSES), "num_vis": 3072}))
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def snapshot(folder):
    """Every file under folder with its MD5: to show nothing was written, removed or changed."""
    return {p.relative_to(folder).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@pytest.fixture
def classroom(tmp_path):
    """A course folder with notebook 04, a shared data folder, a student's cache and the kernel's environment."""
    course, shared, cache, hooks = (tmp_path / n for n in ("course", "shared", "cache", "hooks"))
    for folder in (course, shared, cache, hooks):
        folder.mkdir()
    shutil.copy(NOTEBOOK, course)
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k not in ("CNN_LAYERS_DATA", "CNN_LAYERS_DATASET")}
    env.update(CNN_LAYERS_DATA=str(shared), XDG_CACHE_HOME=str(cache), MPLCONFIGDIR=matplotlib.get_configdir(),
               PYTHONPATH=str(hooks), FAKE_CIFAR_MD5=str(hooks / "md5.json"), http_proxy=DEAD_PROXY,
               https_proxy=DEAD_PROXY, HTTP_PROXY=DEAD_PROXY, HTTPS_PROXY=DEAD_PROXY,
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    return {"course": course, "shared": shared, "cache": cache / "cnn-layers", "env": env, "tmp": tmp_path}


def share(classroom, per_batch=40, test=20):
    """Put a CIFAR-10-like copy in the shared folder, its MD5s where the kernel's sitecustomize.py reads them."""
    md5 = write_cifar_like(classroom["shared"], per_batch, test)
    Path(classroom["env"]["FAKE_CIFAR_MD5"]).write_text(json.dumps(md5))


def damage(shared):
    """A half-finished copy: a truncated batch file and a truncated archive beside it."""
    batch = shared / CIFAR10.base_folder / "data_batch_3"
    batch.write_bytes(batch.read_bytes()[:1000])
    (shared / CIFAR10.filename).write_bytes(b"\x1f\x8b only the start of an archive")


def python(classroom, code, dataset="auto", shared=True):
    """Run `code` in a kernel-like process: cwd the read-only course folder, the shared folder read-only too."""
    env = dict(classroom["env"], CNN_LAYERS_DATASET=dataset)
    if not shared:
        env.pop("CNN_LAYERS_DATA")
    command = read_only([sys.executable, "-c", code], [classroom["course"], classroom["shared"]])
    return subprocess.run(command, cwd=classroom["course"], env=env, capture_output=True, text=True, timeout=300)


LOAD = ("from utils.data import folders, load_data\ndata = load_data({dataset!r})\n"
        "print('LOADED', data.name, folders().data, folders().checkpoints, sep='|')")


def test_a_read_only_notebook_folder_sends_files_to_the_users_cache(classroom, can_make_read_only):
    code = "from utils.data import writable\nprint('WRITABLE', writable('.'), writable('data'), writable({!r}))\n"
    done = python(classroom, code.format(str(classroom["tmp"])) + LOAD.format(dataset="offline"), dataset="offline",
                  shared=False)
    assert done.returncode == 0, done.stderr
    assert "WRITABLE False False True" in done.stdout, "the kernel sees the course folder as read-only, not tmp"
    assert D.writable(classroom["course"]), "outside the read-only namespace the same folder is writable"
    cache = classroom["cache"]
    assert done.stdout.count("Data folder:") == 1, "said once"
    assert (f"Data folder: {cache} (CIFAR-10 and checkpoints, as data/ beside the notebook is read-only; set "
            "CNN_LAYERS_DATA to choose another folder).") in done.stdout
    assert f"LOADED|offline shapes|{cache}|{cache}" in done.stdout


def test_a_shared_read_only_copy_is_read_and_checkpoints_go_to_the_cache(classroom, can_make_read_only):
    share(classroom)
    before = snapshot(classroom["shared"])
    done = python(classroom, LOAD.format(dataset="cifar10"), dataset="cifar10")
    assert done.returncode == 0, done.stderr
    assert (f"Data folder: {classroom['shared']} (from CNN_LAYERS_DATA, read-only: only read; checkpoints go in "
            f"{classroom['cache']}).") in done.stdout
    assert f"Dataset: CIFAR-10 from {classroom['shared']}: CIFAR-10 (200 training" in done.stdout
    assert snapshot(classroom["shared"]) == before


@pytest.mark.parametrize("dataset", ["auto", "cifar10"])
def test_a_broken_shared_copy_is_reported_never_rewritten_nor_downloaded_into(classroom, can_make_read_only,
                                                                              dataset):
    share(classroom)
    damage(classroom["shared"])
    before = snapshot(classroom["shared"])
    done = python(classroom, LOAD.format(dataset=dataset), dataset=dataset)
    said = done.stdout + done.stderr
    assert f"the files in {classroom['shared'] / CIFAR10.base_folder} are incomplete or corrupted; " \
           f"{classroom['shared']} is read-only here, so nothing in it is changed or downloaded" in said
    assert "Downloading" not in said and "no network connection" not in said, "no download was tried"
    if dataset == "auto":
        assert done.returncode == 0 and "Falling back to the offline default dataset" in said
        assert f"LOADED|offline shapes|{classroom['shared']}|{classroom['cache']}" in said
    else:
        assert done.returncode != 0 and "CifarUnavailable: CIFAR-10 is not available" in done.stderr
    assert snapshot(classroom["shared"]) == before, "the shared copy is left exactly as it was"


def nbmake(classroom, dataset):
    """Notebook 04 under nbmake with the course and shared folders read-only -> the finished process."""
    env = dict(classroom["env"], CNN_LAYERS_DATASET=dataset)
    notebook = classroom["course"] / NOTEBOOK.name
    command = [sys.executable, "-m", "pytest", "--nbmake", "--nbmake-timeout=300", "-p", "no:cacheprovider", "-q",
               str(notebook)]
    return subprocess.run(read_only(command, [classroom["course"], classroom["shared"]]), cwd=classroom["tmp"],
                          env=env, capture_output=True, text=True, timeout=900)


def test_notebook_04_runs_from_a_read_only_folder(classroom, can_make_read_only):
    # One run, on the shared copy: the only run of 04's CIFAR-10 branch. A broken copy is the load above (its
    # message, the fallback); the rest of 04 on the offline set runs in the site build.
    share(classroom, per_batch=800, test=1000)  # 4,000 training images of shapes: well above 35% in 5 epochs
    course, shared = snapshot(classroom["course"]), snapshot(classroom["shared"])
    done = nbmake(classroom, "cifar10")
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-5000:] + done.stderr[-2000:]
    assert snapshot(classroom["course"]) == course and snapshot(classroom["shared"]) == shared, "nothing written"
    assert (classroom["cache"] / "lenet.pt").stat().st_size > 200_000, "the checkpoint went to the user's cache"
