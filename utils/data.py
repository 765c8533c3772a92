"""Notebook 04's data: CIFAR-10 when it can be had, else an offline dataset of the same shape; held as tensors.

`load_data("auto" | "cifar10" | "offline")` gives a `Data` whose images are (N, 3, 32, 32) uint8 tensors,
loaded once; `normalize` turns a batch into the network's float input. CIFAR-10 comes through
`torchvision.datasets.CIFAR10` (its MD5 checks included). Our own download writes to a `.part` file that
is renamed only once its MD5 is right, so a failed or interrupted download leaves nothing that could later
pass as good. Whenever CIFAR-10 cannot be had, "auto" says why and falls back to the offline dataset.

Where files go (`folders()`, said once): CIFAR-10 is read from $CNN_LAYERS_DATA when set (a class can share
one read-only copy), else from data/ beside the notebook when writable, else from the user's cache folder;
checkpoints go to the first of these this kernel can write to. A read-only folder is never written to: a
missing or damaged copy there is reported, not repaired or downloaded.
"""

import math
import os
import ssl
import tempfile
import urllib.error
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.request import Request, urlopen

import torch
from IPython import get_ipython
from platformdirs import user_cache_path
from torchvision.datasets import CIFAR10
from torchvision.datasets.utils import calculate_md5, extract_archive
from tqdm.auto import tqdm

from .i18n import tr
from .net import class_name

DATASETS = ("auto", "cifar10", "offline")
OFFLINE_NAME = "offline shapes"
OFFLINE_CLASSES = ("disk", "ring", "square", "triangle", "plus", "cross",
                   "h-stripes", "v-stripes", "diagonal", "checker")
OFFLINE_SIZES = (12_000, 2_000)  # training and test images
DOWNLOAD_TIMEOUT = 30  # seconds without a byte before a download is given up
SHARED = "CNN_LAYERS_DATA"  # the environment variable naming the data folder (e.g. a class's shared copy)
_said = []  # the folders last announced, so each choice is said once


@dataclass
class Data:
    """A dataset held in memory: (N, 3, 32, 32) uint8 images and (N,) int64 labels, for training and test."""

    name: str
    classes: tuple
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor

    def __repr__(self):
        name = tr("offline shapes") if self.name == OFFLINE_NAME else self.name
        return tr("{name} ({train:,} training and {test:,} test images of shape {shape}, {classes} classes)",
                  name=name, train=len(self.train_labels), test=len(self.test_labels),
                  shape=tuple(self.train_images.shape[1:]), classes=len(self.classes))


class CifarUnavailable(RuntimeError):
    """CIFAR-10 could not be had; the message says why and how to get it."""


def normalize(images):
    """(N, 3, H, W) uint8 in [0, 255] -> float32 in [-1, 1], as the tutorial's ToTensor + Normalize(0.5, 0.5)."""
    if not isinstance(images, torch.Tensor) or images.dtype != torch.uint8:
        got = images.dtype if isinstance(images, torch.Tensor) else type(images).__name__
        raise TypeError(tr("expected a uint8 tensor of images (as stored in Data), got {got}", got=got))
    return images.float().div_(127.5).sub_(1.0)


def to_pictures(inputs):
    """Network inputs (..., 3, H, W) in [-1, 1] -> pictures in [0, 1] (the inverse of `normalize`)."""
    return ((inputs + 1) / 2).clamp(0, 1)


def in_notebook():
    """True inside a Jupyter kernel (where widgets show), False in a script or a test."""
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


# ---------------------------------------------------------------- the offline dataset

def _shape_mask(label, x, y, r, t, k, phase):
    """Boolean (n, H, W) masks of one class, from centred and rotated pixel coordinates x, y."""
    if label == 0:  # disk
        return x**2 + y**2 <= r**2
    if label == 1:  # ring
        d2 = x**2 + y**2
        return (d2 <= r**2) & (d2 >= (r - 2.5) ** 2)
    if label == 2:  # square
        return (x.abs() <= 0.8 * r) & (y.abs() <= 0.8 * r)
    if label == 3:  # triangle, apex up
        return (y >= -r) & (y <= 0.8 * r) & (x.abs() <= 0.55 * (y + r))
    if label in (4, 5):  # plus, and the same turned 45 degrees
        if label == 5:
            x, y = (x + y) / math.sqrt(2), (y - x) / math.sqrt(2)
        return ((x.abs() <= t) & (y.abs() <= r)) | ((y.abs() <= t) & (x.abs() <= r))
    if label == 6:
        return torch.sin(k * y + phase) > 0
    if label == 7:
        return torch.sin(k * x + phase) > 0
    if label == 8:
        return torch.sin(k * (x + y) / math.sqrt(2) + phase) > 0
    return torch.sin(k * x + phase) * torch.sin(k * y + phase) > 0  # checker


def make_shapes(count, seed=0, size=32):
    """`count` images of the 10 OFFLINE_CLASSES -> ((count, 3, size, size) uint8, (count,) int64), the same per seed.

    Each image is a shape or a texture in a random colour on a random background, with position, size,
    rotation, stripe period and pixel-noise jitter: not trivial, yet learnable to high accuracy in seconds.
    """
    if not isinstance(count, int) or count < 1:
        raise ValueError(tr("count should be a positive int, got {count!r}", count=count))
    g = torch.Generator().manual_seed(seed)
    labels = (torch.arange(count) % len(OFFLINE_CLASSES))[torch.randperm(count, generator=g)]
    background = torch.rand(count, 3, generator=g)
    foreground = (background + 0.25 + 0.5 * torch.rand(count, 3, generator=g)) % 1.0  # >= 0.25 apart per channel
    p = torch.rand(count, 7, generator=g)
    centre_y, centre_x = [(size - 1) / 2 + (p[:, i] - 0.5) * 10 for i in (0, 1)]  # +-5 pixels
    angle = (p[:, 2] - 0.5) * math.radians(20)
    radius, thickness = 5.5 + 4 * p[:, 3], 1.2 + 0.8 * p[:, 4]
    frequency, phase = 2 * math.pi / (5 + 4 * p[:, 5]), 2 * math.pi * p[:, 6]
    grid = torch.arange(size, dtype=torch.float32)
    dy, dx = grid.view(1, size, 1) - centre_y.view(-1, 1, 1), grid.view(1, 1, size) - centre_x.view(-1, 1, 1)
    cos, sin = torch.cos(angle).view(-1, 1, 1), torch.sin(angle).view(-1, 1, 1)
    mask = torch.empty(count, 1, size, size)
    for label in range(len(OFFLINE_CLASSES)):
        i = (labels == label).nonzero().squeeze(1)
        x, y = cos[i] * dx[i] + sin[i] * dy[i], cos[i] * dy[i] - sin[i] * dx[i]
        per_image = [v[i].view(-1, 1, 1) for v in (radius, thickness, frequency, phase)]
        mask[i, 0] = _shape_mask(label, x, y, *per_image).float()
    images = torch.lerp(background.view(-1, 3, 1, 1), foreground.view(-1, 3, 1, 1), mask)
    images += 0.12 * torch.randn(images.shape, generator=g)
    return images.clamp_(0, 1).mul_(255).add_(0.5).to(torch.uint8), labels


def offline_data(seed=0, sizes=None):
    """The offline default: `sizes` (training, test; OFFLINE_SIZES if None) images made from `seed` -> Data."""
    sizes = sizes or OFFLINE_SIZES
    images, labels = make_shapes(sum(sizes), seed)
    n = sizes[0]
    return Data(OFFLINE_NAME, OFFLINE_CLASSES, images[:n], labels[:n], images[n:], labels[n:])


# ---------------------------------------------------------------- where files go

class Folders(NamedTuple):
    """Where notebook 04's files go: CIFAR-10 is read from `data`, checkpoints are written to `checkpoints`."""

    data: Path
    checkpoints: Path


def writable(folder):
    """True when this process can create files in folder (made if missing): os.access, then a real write."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):  # a real write: the answer that holds for root, ACLs, mounts
            return os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False


def cache_folder():
    """The user's cache folder for this series, as platformdirs finds it: ~/.cache/cnn-layers ($XDG_CACHE_HOME)."""
    return user_cache_path("cnn-layers", appauthor=False)


def folders():
    """Where files go -> Folders(data, checkpoints): $CNN_LAYERS_DATA, else data/ if writable, else the cache."""
    local = writable("data")
    default = Path("data").resolve() if local else cache_folder()
    chosen = os.environ.get(SHARED, "").strip()
    data = Path(chosen).expanduser().resolve() if chosen else default
    result = Folders(data, data if data == default or writable(data) else default)
    if result != (_said[-1] if _said else None):
        _said.append(result)
        if result.checkpoints != data:
            note = tr("from {variable}, read-only: only read; checkpoints go in {checkpoints}", variable=SHARED,
                      checkpoints=result.checkpoints)
        elif chosen:
            note = tr("from {variable}: CIFAR-10 and checkpoints", variable=SHARED)
        else:
            note = tr("CIFAR-10 and checkpoints{why}; set {variable} to choose another folder", variable=SHARED,
                      why="" if local else tr(", as data/ beside the notebook is read-only"))
        print(tr("Data folder: {folder} ({note}).", folder=data, note=note), flush=True)
    return result


# ---------------------------------------------------------------- CIFAR-10

def _read_cifar10(root):
    """CIFAR-10's verified batch files under root -> Data (raises RuntimeError if missing or corrupted)."""
    parts = [CIFAR10(root, train=train, download=False) for train in (True, False)]
    tensors = []
    for part in parts:
        tensors += [torch.from_numpy(part.data).permute(0, 3, 1, 2).contiguous(), torch.tensor(part.targets)]
    return Data("CIFAR-10", tuple(parts[0].classes), *tensors)


def _download(url, path, md5, timeout=DOWNLOAD_TIMEOUT):
    """Fetch url to path with a progress bar; written as path.part and renamed only when its MD5 is right."""
    part = path.with_name(path.name + ".part")
    try:
        with urlopen(Request(url, headers={"User-Agent": "pytorch/vision"}), timeout=timeout) as response:
            size = int(response.headers.get("Content-Length") or 0) or None
            done = 0
            with open(part, "wb") as file, tqdm(total=size, desc=tr("Downloading CIFAR-10"), unit="B",
                                                unit_scale=True, unit_divisor=1024) as progress:
                while chunk := response.read(2**20):
                    file.write(chunk)
                    done += len(chunk)
                    progress.update(len(chunk))
        if calculate_md5(part) != md5:
            raise RuntimeError(tr("the download is truncated or corrupted ({size:,} bytes, MD5 mismatch)", size=done))
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)  # never leave a partial file behind


def _reason(error):
    """Why CIFAR-10 could not be had, in a learner's words."""
    text = str(getattr(error, "reason", error))
    if isinstance(error, ssl.SSLError) or isinstance(getattr(error, "reason", None), ssl.SSLError) \
            or "CERTIFICATE_VERIFY_FAILED" in text:
        return tr("an SSL error ({error}). Your Python could not verify the server's certificate: update your "
                  "certificates (`pip install --upgrade certifi`; on macOS run 'Install Certificates.command' in the "
                  "Python folder). Never turn SSL checks off", error=text)
    if isinstance(error, urllib.error.HTTPError):
        return tr("the server answered HTTP {code} ({reason})", code=error.code, reason=error.reason)
    if isinstance(error, (urllib.error.URLError, TimeoutError, ConnectionError)):
        return tr("no network connection ({error})", error=text)
    return f"{type(error).__name__}: {error}"


def cifar10_data(root="data", download=True, timeout=DOWNLOAD_TIMEOUT):
    """CIFAR-10 from root (downloaded there once if allowed) -> Data; raises CifarUnavailable saying why."""
    root = Path(root)
    archive = root / CIFAR10.filename
    try:
        return _read_cifar10(root)
    except Exception:  # noqa: BLE001 - missing, or failing torchvision's MD5 checks: get a fresh copy below
        folder = root / CIFAR10.base_folder
        problem = tr("the files in {folder} are incomplete or corrupted", folder=folder) if folder.exists() else ""
    if not writable(root):  # a shared, read-only copy: report what is wrong, never repair or download into it
        raise CifarUnavailable(tr("{problem}; {root} is read-only here, so nothing in it is changed or downloaded: "
                                  "ask whoever manages it for a complete copy, or set {variable} to a folder you "
                                  "can write to", problem=problem or tr("it is not in {root}", root=root.resolve()),
                                  root=root.resolve(), variable=SHARED))
    try:
        if archive.exists() and calculate_md5(archive) != CIFAR10.tgz_md5:
            archive.unlink()  # a truncated or corrupted archive can never become good: remove it
            problem = tr("{archive} was truncated or corrupted and has been removed", archive=archive)
        if not archive.exists():
            if not download:
                raise CifarUnavailable(problem or tr("it is not in {root} and downloading was not allowed",
                                                     root=root.resolve()))
            root.mkdir(parents=True, exist_ok=True)
            _download(CIFAR10.url, archive, CIFAR10.tgz_md5, timeout)
        extract_archive(str(archive), str(root))
        data = _read_cifar10(root)
        archive.unlink()  # the verified batch files are all we need
        return data
    except CifarUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - every failure becomes a clear message
        reason = _reason(error)
        message = tr("{problem}, and downloading a fresh copy failed: {reason}", problem=problem, reason=reason) \
            if problem else reason
        raise CifarUnavailable(message) from error


def how_to_get_cifar10(root="data"):
    """One sentence on getting CIFAR-10 by hand."""
    where = Path(root).resolve()
    return tr("To use CIFAR-10, connect to the internet and run again with DATASET = 'auto' or 'cifar10' (170 MB, "
              "downloaded once into {where}), or download {url} yourself and put it in {where}.", where=where,
              url=CIFAR10.url)


def load_data(dataset="auto", root=None, seed=0):
    """Load the whole dataset once (from root, or folders().data) -> Data, saying which one it is and why."""
    if dataset not in DATASETS:
        raise ValueError(tr("dataset should be one of {datasets}, got {dataset!r}", datasets=DATASETS, dataset=dataset))
    root = folders().data if root is None else root
    if dataset != "offline":
        try:
            data = cifar10_data(root)
            print(tr("Dataset: CIFAR-10 from {root}: {data}", root=Path(root).resolve(), data=data))
            return data
        except CifarUnavailable as error:
            if dataset == "cifar10":
                raise CifarUnavailable(tr("CIFAR-10 is not available: {error}. {how}", error=error,
                                          how=how_to_get_cifar10(root))) from None
            why = tr("⚠️ CIFAR-10 is not available: {error}.\nFalling back to the offline default dataset.", error=error)
    else:
        why = tr("You chose the offline dataset (DATASET = 'offline').")
    data = offline_data(seed)
    classes = tr(", ").join(class_name(name) for name in data.classes)  # a list: "、" between Chinese words
    print(tr("{why}\nDataset: {data}\n  generated on this computer from seed {seed}, no download needed: {classes}.\n"
             "  {how}", why=why, data=data, seed=seed, classes=classes, how=how_to_get_cifar10(root)))
    return data
