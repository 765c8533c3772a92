"""utils.data: the offline dataset, normalisation, a download's progress, and CIFAR-10 with every failure simulated.

CIFAR-10 is faked the way torchvision's own tests do it: tiny batch files in the real pickle layout, and
`check_integrity` patched in `torchvision.datasets.cifar` (where CIFAR10 looks it up). No test reaches the
network: `urlopen` in utils.data is replaced for every test, by default with one that fails the test.
"""

import hashlib
import io
import json
import os
import pickle
import ssl
import sys
import tarfile
import urllib.error
from pathlib import Path

import numpy as np
import pytest
import torch
import torchvision.datasets.cifar
import torchvision.transforms as T
from PIL import Image
from torchvision.datasets import CIFAR10

from utils import data as D
from utils.net import class_name


class NetworkUsed(BaseException):
    """Raised if a test reaches for the real network (a BaseException, so no `except Exception` can hide it)."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed("a test tried to download from the real network")

    monkeypatch.setattr(D, "urlopen", refuse)
    monkeypatch.setattr(D, "OFFLINE_SIZES", (100, 50))  # the fallback, small: these tests are about the plumbing


def fake_urlopen(monkeypatch, body=b"", error=None, fail_after=None, length=None):
    """Replace utils.data.urlopen: serve body (announcing `length` bytes), or raise error at once or after
    `fail_after` bytes. Returns the list of calls (request, args, kwargs)."""
    calls = []

    class Response(io.BytesIO):
        headers = {"Content-Length": str(len(body) if length is None else length)}

        def read(self, size=-1):
            if fail_after is not None and self.tell() >= fail_after:
                raise error
            return super().read(size if fail_after is None else min(size, fail_after - self.tell()))

    def opener(request, *args, **kwargs):
        calls.append((request, args, kwargs))
        if error is not None and fail_after is None:
            raise error
        return Response(body)

    monkeypatch.setattr(D, "urlopen", opener)
    return calls


def write_fake_cifar(root, per_batch=4, seed=0, corrupt=None):
    """Tiny CIFAR-10 batch files in the real layout under root/cifar-10-batches-py; returns {name: (data, labels)}."""
    folder = root / CIFAR10.base_folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = {}
    for name in [n for n, _ in CIFAR10.train_list + CIFAR10.test_list]:
        pixels = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)
        labels = rng.integers(0, 10, per_batch).tolist()
        blob = pickle.dumps({"batch_label": name, "data": pixels, "labels": labels, "filenames": []})
        (folder / name).write_bytes(blob[: len(blob) // 2] if name == corrupt else blob)
        written[name] = (pixels, labels)
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    (folder / CIFAR10.meta["filename"]).write_bytes(pickle.dumps({"label_names": names, "num_vis": 3072}))
    return written


def fake_archive(tmp_path):
    """A tar.gz of fake batch files, as the real CIFAR-10 archive is laid out -> (bytes, md5)."""
    source = tmp_path / "source"
    write_fake_cifar(source)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(source / CIFAR10.base_folder, arcname=CIFAR10.base_folder)
    body = buffer.getvalue()
    return body, hashlib.md5(body).hexdigest()


@pytest.fixture
def trust_batches(monkeypatch):
    """Let CIFAR10 accept the fake batch files (their MD5s cannot match the real ones)."""
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda path, md5=None: True)


def leftovers(root):
    """Files a failed download might have left in root."""
    return sorted(p.name for p in root.glob("*") if p.is_file()) if root.exists() else []


# ---------------------------------------------------------------- the offline dataset

def test_make_shapes_gives_balanced_uint8_images_the_same_per_seed():
    images, labels = D.make_shapes(200, seed=3)
    assert images.shape == (200, 3, 32, 32) and images.dtype == torch.uint8
    assert labels.dtype == torch.int64
    assert torch.bincount(labels).tolist() == [20] * len(D.OFFLINE_CLASSES)
    again, again_labels = D.make_shapes(200, seed=3)
    assert torch.equal(images, again) and torch.equal(labels, again_labels)
    other, _ = D.make_shapes(200, seed=4)
    assert not torch.equal(images, other)


def test_make_shapes_varies_colour_and_is_not_blank():
    images, labels = D.make_shapes(100, seed=0)
    assert images.float().std() > 30  # shapes on backgrounds, not flat images
    # colour is no shortcut: the mean colour of the images of one class spreads as widely as that of all images
    one_class = images[labels == 0].float().mean((2, 3))
    assert one_class.std(0).min() > 20


@pytest.mark.parametrize("count", [0, -5, 2.5, "10"])
def test_make_shapes_rejects_a_bad_count(count):
    with pytest.raises(ValueError, match="count should be a positive int"):
        D.make_shapes(count)


def test_offline_data_has_the_default_sizes():
    data = D.offline_data()  # OFFLINE_SIZES, read when called (small here, patched by the autouse fixture)
    assert (len(data.train_labels), len(data.test_labels)) == D.OFFLINE_SIZES


def test_offline_data_splits_training_and_test():
    data = D.offline_data(seed=1, sizes=(300, 100))
    assert data.name == D.OFFLINE_NAME and data.classes == D.OFFLINE_CLASSES
    assert data.train_images.shape == (300, 3, 32, 32) and data.test_images.shape == (100, 3, 32, 32)
    assert data.train_labels.shape == (300,) and data.test_labels.shape == (100,)
    assert "300 training and 100 test images" in repr(data)


# ---------------------------------------------------------------- normalize, to_pictures

def test_normalize_matches_the_tutorials_totensor_and_normalize():
    images, _ = D.make_shapes(3, seed=0)
    tutorial = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    expected = torch.stack([tutorial(Image.fromarray(i.permute(1, 2, 0).numpy())) for i in images])
    torch.testing.assert_close(D.normalize(images), expected)
    torch.testing.assert_close(D.to_pictures(D.normalize(images)), images.float() / 255)


@pytest.mark.parametrize("bad", [torch.zeros(2, 3, 32, 32), np.zeros((2, 3, 32, 32), np.uint8)])
def test_normalize_wants_uint8_tensors(bad):
    with pytest.raises(TypeError, match="expected a uint8 tensor"):
        D.normalize(bad)


# ---------------------------------------------------------------- a download's progress (tqdm's bar)

@pytest.mark.parametrize("announced, shown", [(None, "| 3.00M/3.00M ["), (0, ": 3.00MB [")],
                         ids=["size announced", "size unknown"])
def test_a_download_shows_tqdms_bar_counting_its_bytes(tmp_path, monkeypatch, capsys, announced, shown):
    body = bytes(3 * 2**20 + 5)
    fake_urlopen(monkeypatch, body, length=announced)
    D._download(CIFAR10.url, tmp_path / "x.tar.gz", hashlib.md5(body).hexdigest())
    final = capsys.readouterr().err.split("\r")[-1]  # outside a notebook: one text line, redrawn, on stderr
    assert final.startswith("Downloading CIFAR-10") and shown in final, final
    assert (tmp_path / "x.tar.gz").read_bytes() == body


def test_in_notebook_is_false_outside_a_jupyter_kernel():
    assert D.in_notebook() is False


# ---------------------------------------------------------------- CIFAR-10, present

def test_cifar10_is_read_into_uint8_tensors_in_the_real_layout(tmp_path, trust_batches):
    written = write_fake_cifar(tmp_path, per_batch=4)
    data = D.cifar10_data(tmp_path, download=False)
    assert data.name == "CIFAR-10" and len(data.classes) == 10 and data.classes[0] == "airplane"
    assert data.train_images.shape == (20, 3, 32, 32) and data.train_images.dtype == torch.uint8
    assert data.test_images.shape == (4, 3, 32, 32)
    pixels, labels = written["data_batch_1"]
    # a CIFAR row is 1024 red values, then 1024 green, then 1024 blue, each row by row
    assert torch.equal(data.train_images[:4], torch.from_numpy(pixels.reshape(4, 3, 32, 32)))
    assert data.train_labels[:4].tolist() == labels
    assert data.test_labels.tolist() == written["test_batch"][1]


def test_auto_uses_cached_cifar10_and_says_so(tmp_path, trust_batches, capsys):
    write_fake_cifar(tmp_path)
    data = D.load_data("auto", root=tmp_path)
    assert data.name == "CIFAR-10"
    assert "Dataset: CIFAR-10" in capsys.readouterr().out


def test_offline_is_announced_even_when_chosen(tmp_path, capsys):
    data = D.load_data("offline", root=tmp_path)
    out = capsys.readouterr().out
    assert data.name == D.OFFLINE_NAME and "You chose the offline dataset" in out and CIFAR10.url in out
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # nothing downloaded, nothing written


def test_load_data_rejects_an_unknown_dataset():
    with pytest.raises(ValueError, match="dataset should be one of"):
        D.load_data("mnist")


# ---------------------------------------------------------------- CIFAR-10 downloaded (faked)

def test_a_download_is_verified_extracted_and_the_archive_removed(tmp_path, monkeypatch, trust_batches, capsys):
    body, md5 = fake_archive(tmp_path / "build")
    monkeypatch.setattr(CIFAR10, "tgz_md5", md5)
    calls = fake_urlopen(monkeypatch, body)
    root = tmp_path / "data"
    data = D.load_data("cifar10", root=root)
    assert data.name == "CIFAR-10" and len(calls) == 1
    request, args, kwargs = calls[0]
    assert request.full_url == CIFAR10.url and "context" not in kwargs  # SSL verification left as it is
    assert "Downloading CIFAR-10" in capsys.readouterr().err
    assert leftovers(root) == []  # no .part, and the verified archive was removed after extraction


def test_an_archive_put_there_by_hand_is_used_without_the_network(tmp_path, monkeypatch, trust_batches):
    body, md5 = fake_archive(tmp_path / "build")
    monkeypatch.setattr(CIFAR10, "tgz_md5", md5)
    root = tmp_path / "data"
    root.mkdir()
    (root / CIFAR10.filename).write_bytes(body)
    assert D.cifar10_data(root, download=False).name == "CIFAR-10"  # the autouse guard forbids any download


# ---------------------------------------------------------------- CIFAR-10 failures

def test_no_network_falls_back_with_the_reason_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    fake_urlopen(monkeypatch, error=urllib.error.URLError(OSError(-2, "Name or service not known")))
    data = D.load_data("auto", root=tmp_path)
    out = capsys.readouterr().out
    assert data.name == D.OFFLINE_NAME
    assert "CIFAR-10 is not available: no network connection" in out and "Falling back" in out
    assert CIFAR10.url in out  # how to get it by hand
    assert leftovers(tmp_path) == []


def test_cifar10_insists_with_a_clear_error(tmp_path, monkeypatch):
    fake_urlopen(monkeypatch, error=urllib.error.URLError(TimeoutError("timed out")))
    with pytest.raises(D.CifarUnavailable, match="no network connection.*To use CIFAR-10"):
        D.load_data("cifar10", root=tmp_path)


def test_a_timeout_while_reading_counts_as_no_network(tmp_path, monkeypatch, capsys):
    fake_urlopen(monkeypatch, b"x" * 5000, error=TimeoutError("The read operation timed out"), fail_after=3000)
    assert D.load_data("auto", root=tmp_path).name == D.OFFLINE_NAME
    assert "no network connection" in capsys.readouterr().out
    assert leftovers(tmp_path) == []


VERIFY_FAILED = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"


@pytest.mark.parametrize("error", [
    urllib.error.URLError(ssl.SSLCertVerificationError(1, VERIFY_FAILED)),
    ssl.SSLError(1, VERIFY_FAILED),
    urllib.error.URLError(f"{VERIFY_FAILED} (_ssl.c:1000)"),
], ids=["in-URLError", "raw-SSLError", "as-text"])
def test_an_ssl_error_says_fix_the_certificates_never_disable_checks(tmp_path, monkeypatch, capsys, error):
    fake_urlopen(monkeypatch, error=error)
    assert D.load_data("auto", root=tmp_path).name == D.OFFLINE_NAME
    out = capsys.readouterr().out
    assert "an SSL error" in out and "certifi" in out and "Never turn SSL checks off" in out
    assert leftovers(tmp_path) == []


def test_an_ssl_error_mid_download_removes_the_partial_file(tmp_path, monkeypatch, capsys):
    fake_urlopen(monkeypatch, b"x" * 5000, error=ssl.SSLError(1, "decryption failed"), fail_after=2500)
    assert D.load_data("auto", root=tmp_path).name == D.OFFLINE_NAME
    assert "an SSL error" in capsys.readouterr().out
    assert leftovers(tmp_path) == []


def test_an_http_error_is_named(tmp_path, monkeypatch, capsys):
    fake_urlopen(monkeypatch, error=urllib.error.HTTPError(CIFAR10.url, 404, "Not Found", {}, None))
    D.load_data("auto", root=tmp_path)
    assert "the server answered HTTP 404" in capsys.readouterr().out


def test_a_truncated_download_is_rejected_and_removed(tmp_path, monkeypatch, capsys):
    body, md5 = fake_archive(tmp_path / "build")
    monkeypatch.setattr(CIFAR10, "tgz_md5", md5)
    fake_urlopen(monkeypatch, body[: len(body) // 2], length=len(body))  # the connection ends early
    root = tmp_path / "data"
    assert D.load_data("auto", root=root).name == D.OFFLINE_NAME
    assert "truncated or corrupted" in capsys.readouterr().out
    assert leftovers(root) == []  # the half archive is gone: nothing can pass for good later


def test_an_interrupted_download_leaves_no_partial_file(tmp_path, monkeypatch):
    fake_urlopen(monkeypatch, b"x" * 5000, error=KeyboardInterrupt(), fail_after=1000)
    with pytest.raises(KeyboardInterrupt):
        D.load_data("auto", root=tmp_path)
    assert leftovers(tmp_path) == []


def test_a_corrupted_archive_in_the_folder_is_removed(tmp_path, monkeypatch, capsys):
    (tmp_path / CIFAR10.filename).write_bytes(b"not the CIFAR-10 archive")
    fake_urlopen(monkeypatch, error=urllib.error.URLError("offline"))
    assert D.load_data("auto", root=tmp_path).name == D.OFFLINE_NAME
    out = capsys.readouterr().out
    assert "was truncated or corrupted and has been removed" in out and "no network connection" in out
    assert leftovers(tmp_path) == []


def test_corrupted_batch_files_fail_the_md5_check_and_fall_back(tmp_path, monkeypatch, capsys):
    write_fake_cifar(tmp_path)  # real MD5 checks on: fake files never pass
    fake_urlopen(monkeypatch, error=urllib.error.URLError("offline"))
    assert D.load_data("auto", root=tmp_path).name == D.OFFLINE_NAME
    out = capsys.readouterr().out
    assert "cifar-10-batches-py are incomplete or corrupted, and downloading a fresh copy failed" in out
    assert "no network connection" in out


def test_a_truncated_batch_file_is_caught_even_past_the_md5_check(tmp_path, monkeypatch, trust_batches, capsys):
    write_fake_cifar(tmp_path, corrupt="data_batch_3")
    fake_urlopen(monkeypatch, error=urllib.error.URLError("offline"))
    with pytest.raises(D.CifarUnavailable, match="incomplete or corrupted"):
        D.load_data("cifar10", root=tmp_path)


def test_cifar10_without_download_says_it_is_missing(tmp_path):
    with pytest.raises(D.CifarUnavailable, match="downloading was not allowed"):
        D.cifar10_data(tmp_path, download=False)


def notebook_04_cells(*ids):
    """The source of notebook 04's cells with these ids, joined (its setup cell)."""
    cells = {c.get("id"): "".join(c["source"]) for c in json.loads(NOTEBOOK_04.read_text())["cells"]}
    return "\n".join(cells[i] for i in ids)


NOTEBOOK_04 = Path(__file__).resolve().parent.parent / "notebooks" / "04_lenet_end_to_end.ipynb"


def test_the_tests_run_notebooks_on_the_offline_set():
    assert os.environ["CNN_LAYERS_DATASET"] in D.DATASETS  # set by conftest.py unless the caller chose


@pytest.mark.parametrize("environment, expected", [(None, "auto"), ("offline", "offline"), ("cifar10", "cifar10")])
def test_notebook_04_reads_its_dataset_from_the_environment(monkeypatch, environment, expected):
    if environment is None:
        monkeypatch.delenv("CNN_LAYERS_DATASET", raising=False)
    else:
        monkeypatch.setenv("CNN_LAYERS_DATASET", environment)
    asked = []
    monkeypatch.setattr(D, "load_data", lambda dataset, seed: asked.append(dataset) or D.offline_data(seed, (10, 10)))
    namespace = {}
    exec(notebook_04_cells("8463e5b2"), namespace)  # the setup cell
    assert namespace["DATASET"] == expected and asked == [expected]


@pytest.mark.parametrize("fake_cifar, strict", [(True, False), (False, True)])
def test_notebook_04_asserts_strictly_only_on_the_offline_set(tmp_path, monkeypatch, trust_batches,
                                                              fake_cifar, strict):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CNN_LAYERS_DATASET", "cifar10" if fake_cifar else "offline")
    if fake_cifar:
        write_fake_cifar(tmp_path / "data")
    namespace = {}
    exec(notebook_04_cells("8463e5b2"), namespace)  # the setup cell
    assert namespace["data"].name == ("CIFAR-10" if fake_cifar else D.OFFLINE_NAME)
    assert namespace["STRICT"] is strict
    assert namespace["classes"] == [class_name(name) for name in namespace["data"].classes]


# ---------------------------------------------------------------- where files go (a class on JupyterHub)
# Read-only folders as a student's kernel meets them are in tests/test_jupyterhub.py; here a folder is made
# unwritable for root too by putting it under a file.

@pytest.fixture
def classroom_folders(tmp_path, monkeypatch):
    """cwd = a fresh notebook folder, no CNN_LAYERS_DATA, the user's cache in tmp_path, nothing said yet."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(D.SHARED, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(D, "_said", [])
    return tmp_path


def test_writable_makes_the_folder_and_refuses_one_under_a_file(tmp_path):
    assert D.writable(tmp_path / "new" / "data") and (tmp_path / "new" / "data").is_dir()
    (tmp_path / "a-file").write_text("")
    assert not D.writable(tmp_path / "a-file" / "data") and not D.writable(tmp_path / "a-file")


def test_files_go_to_data_beside_the_notebook_said_once(classroom_folders, capsys):
    data = classroom_folders / "data"
    assert D.folders() == D.folders() == D.Folders(data, data)
    out = capsys.readouterr().out
    assert out == f"Data folder: {data} (CIFAR-10 and checkpoints; set CNN_LAYERS_DATA to choose another folder).\n"


def test_an_unwritable_data_folder_sends_files_to_the_users_cache(classroom_folders, capsys):
    (classroom_folders / "data").write_text("")  # data/ cannot be made
    cache = classroom_folders / "cache" / "cnn-layers"
    assert D.folders() == D.Folders(cache, cache)
    assert "as data/ beside the notebook is read-only" in capsys.readouterr().out


def test_cnn_layers_data_names_the_folder(classroom_folders, monkeypatch, capsys):
    monkeypatch.setenv(D.SHARED, str(classroom_folders / "shared"))
    assert D.folders() == D.Folders(classroom_folders / "shared", classroom_folders / "shared")
    assert "(from CNN_LAYERS_DATA: CIFAR-10 and checkpoints)." in capsys.readouterr().out


def test_an_unwritable_shared_folder_is_only_read_and_never_downloaded_into(classroom_folders, monkeypatch, capsys):
    (classroom_folders / "a-file").write_text("")
    shared = classroom_folders / "a-file" / "cifar"
    monkeypatch.setenv(D.SHARED, str(shared))
    assert D.folders() == D.Folders(shared, classroom_folders / "data")
    assert D.load_data("auto").name == D.OFFLINE_NAME  # no_network: a download attempt would raise NetworkUsed
    out = capsys.readouterr().out
    assert f"(from CNN_LAYERS_DATA, read-only: only read; checkpoints go in {classroom_folders / 'data'})." in out
    assert f"it is not in {shared}; {shared} is read-only here, so nothing in it is changed or downloaded" in out
    assert "Falling back to the offline default dataset" in out and out.count("Data folder:") == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux convention (platformdirs knows the others)")
@pytest.mark.parametrize("variable, expected", [({"XDG_CACHE_HOME": "/x/cache"}, "/x/cache/cnn-layers"),
                                                ({}, "~/.cache/cnn-layers")])
def test_the_cache_folder_is_the_platforms(monkeypatch, variable, expected):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in variable.items():
        monkeypatch.setenv(name, value)
    assert D.cache_folder() == Path(expected).expanduser()
