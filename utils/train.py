"""Training `Net` on a dataset held in memory, and measuring it: accuracy, per class, confusion matrix.

No DataLoader: every epoch draws a seeded permutation of the indices and slices batches out of the
uint8 image tensor, so an epoch costs the network's arithmetic and little else. `train` shows tqdm's
progress bar over the batches and prints one line per epoch; in a notebook the bar is a widget, shown with
loss/accuracy curves redrawn after each epoch (one persistent matplotlib figure rendered to PNG into an
`ipywidgets.Image`).
"""

import base64
import io
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import torch
import torch.nn.functional as F
from IPython.display import display
from matplotlib.figure import Figure
from tqdm.auto import tqdm
from tqdm.notebook import tqdm_notebook

from .data import in_notebook, normalize
from .i18n import tr


@dataclass
class History:
    """What training measured: loss per batch; per epoch the training accuracy (measured on the batches as they
    went by), the test accuracy and the training time so far."""

    batch_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)  # cumulative training time, evaluation excluded


def train_epoch(net, images, labels, optimizer, schedule, batch_size, generator, on_batch=None):
    """One pass over (N, 3, 32, 32) uint8 images and (N,) labels in a seeded order -> ([loss per batch], accuracy)."""
    net.train()
    order = torch.randperm(len(labels), generator=generator).to(labels.device)
    losses, correct = [], 0
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        logits = net(normalize(images[batch]))
        loss = F.cross_entropy(logits, labels[batch])
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            raise FloatingPointError(tr("the loss diverged (it became {loss}) at step {step}", loss=losses[-1],
                                        step=len(losses)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        correct += (logits.argmax(1) == labels[batch]).sum().item()
        if on_batch:
            on_batch(len(losses))
    return losses, correct / len(order)


def train(net, data, epochs=5, batch_size=128, lr=0.006, device="cpu", seed=0, show=True, optimizer="adam"):
    """Train net on data (a utils.data.Data) -> History; every setting is checked before any training.

    optimizer="adam": Adam with a one-cycle learning rate peaking at lr (this series' recipe); "sgd": SGD with
    momentum 0.9 at a constant lr (the PyTorch tutorial's, with lr=0.001 and batch_size=4).
    The batch order depends only on `seed`; the starting weights are whatever `net` holds. The net and the
    images are put in channels-last memory order (pixel by pixel, channels together), which PyTorch's CPU
    convolutions run faster (about 15% here); the results are the same up to rounding.
    """
    device = check_settings(epochs, batch_size, lr, device, optimizer)
    net.to(device, memory_format=torch.channels_last)
    images = data.train_images.to(device).contiguous(memory_format=torch.channels_last)
    labels = data.train_labels.to(device)
    steps = math.ceil(len(labels) / batch_size)
    if optimizer == "adam":
        optimizer = torch.optim.Adam(net.parameters(), lr=lr)
        # Warm up for a quarter of the steps, and at least 1.5 steps: OneCycleLR divides by (warm-up steps - 1).
        warmup = min(0.75, max(0.25, 1.5 / (epochs * steps)))
        schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps,
                                                       pct_start=warmup)
    else:
        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    generator = torch.Generator().manual_seed(seed)
    history = History()
    monitor = Monitor(epochs, steps) if show else None
    for epoch in range(epochs):
        start = time.perf_counter()
        on_batch = (lambda i, e=epoch: monitor.batch(e * steps + i)) if monitor else None
        try:
            losses, train_accuracy = train_epoch(net, images, labels, optimizer, schedule, batch_size, generator,
                                                 on_batch)
        except FloatingPointError as error:
            raise FloatingPointError(tr("{error} of epoch {epoch}: lower the learning rate (lr={lr})", error=error,
                                        epoch=epoch + 1, lr=lr)) from None
        history.seconds.append((history.seconds[-1] if history.seconds else 0) + time.perf_counter() - start)
        history.batch_loss += losses
        history.train_accuracy.append(train_accuracy)
        history.test_accuracy.append(accuracy(net, data.test_images, data.test_labels))
        if show:  # tqdm.write: a text bar is cleared for the line and drawn again under it
            tqdm.write(tr("epoch {epoch}/{epochs}: loss {loss:.3f}, training accuracy {train:.1%}, test accuracy "
                          "{test:.1%} ({seconds:.1f} s of training)", epoch=epoch + 1, epochs=epochs,
                          loss=sum(losses) / len(losses), train=history.train_accuracy[-1],
                          test=history.test_accuracy[-1], seconds=history.seconds[-1]))
            monitor.epoch(history)
    if monitor:
        monitor.close()
    return history


def check_settings(epochs, batch_size, lr, device, optimizer):
    """Refuse impossible training settings, naming the setting, the value and what is allowed -> the torch.device."""
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(tr("{name} (the notebook's {upper}) should be a whole number of at least 1, got "
                                "{value!r}", name=name, upper=name.upper(), value=value))
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(tr("lr should be a positive number such as 0.006, got {lr!r}", lr=lr))
    if optimizer not in ("adam", "sgd"):
        raise ValueError(tr("optimizer should be 'adam' or 'sgd', got {optimizer!r}", optimizer=optimizer))
    try:
        device = torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(tr("device should be 'cpu', 'cuda' or 'mps', got {device!r}", device=device)) from None
    available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if device.type not in available:
        raise ValueError(tr("device should be 'cpu', 'cuda' or 'mps', got {device!r}", device=str(device)))
    if not available[device.type]:
        raise ValueError(tr("device {device!r} is not available on this computer: use 'cpu' (the parameter cell "
                            "picks 'cuda' only when torch.cuda.is_available())", device=str(device)))
    return device


@torch.no_grad()
def predict(net, images, batch_size=1000):
    """(N, 3, 32, 32) uint8 images -> (N, 10) logits, computed in batches on the net's device, returned on the CPU."""
    net.eval()
    device = next(net.parameters()).device
    return torch.cat([net(normalize(images[i:i + batch_size].to(device))).cpu()
                      for i in range(0, len(images), batch_size)])


def accuracy(net, images, labels):
    """The fraction of (N, 3, 32, 32) uint8 images whose predicted class is their (N,) label."""
    return (predict(net, images).argmax(1) == labels.cpu()).float().mean().item()


def confusion_matrix(predicted, labels, classes):
    """(N,) predicted and (N,) true class indices -> (classes, classes) counts; row = true class, column = predicted."""
    if predicted.shape != labels.shape or predicted.dim() != 1:
        raise ValueError(tr("expected two (N,) tensors of class indices, got {predicted} and {labels}",
                            predicted=tuple(predicted.shape), labels=tuple(labels.shape)))
    if len(labels) and (min(predicted.min(), labels.min()) < 0 or max(predicted.max(), labels.max()) >= classes):
        raise ValueError(tr("class indices should be in 0..{last}", last=classes - 1))
    return torch.bincount(labels * classes + predicted, minlength=classes * classes).view(classes, classes)


def per_class_accuracy(matrix):
    """(C, C) confusion matrix -> (C,) fraction of each true class predicted right (NaN for an absent class)."""
    return matrix.diag() / matrix.sum(1)


def save_checkpoint(net, path):
    """Save net's weights (its state_dict) to path, making the folder if needed."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(net.state_dict(), path)
    except (OSError, RuntimeError) as error:
        raise OSError(tr("could not save the checkpoint to {path}: {kind}: {error}. Choose a folder you can write to",
                         path=path.resolve(), kind=type(error).__name__, error=str(error).splitlines()[0])) from None


def load_checkpoint(net, path):
    """Load weights saved by save_checkpoint into net (tensors only: weights_only=True) -> net."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(tr("no checkpoint at {path}: train and save_checkpoint first", path=path.resolve()))
    device = next(net.parameters()).device
    try:
        weights = torch.load(path, map_location=device, weights_only=True)
    except (EOFError, OSError, RuntimeError) as error:  # an UnpicklingError (not only tensors) says why itself
        raise ValueError(tr("{path} is not a readable checkpoint: the file is empty, truncated or of another kind "
                            "({kind}). Save it again with save_checkpoint", path=path.resolve(),
                            kind=type(error).__name__)) from None
    net.load_state_dict(weights)
    return net


class Monitor:
    """tqdm's progress bar over every batch, and the loss/accuracy curves redrawn into one Image after each epoch.

    In a notebook tqdm's bar is a widget: it and the curves are one output, whose picture (the last curves) is
    what a frontend without widgets shows. Elsewhere the bar is tqdm's text bar and the curves are not shown.
    """

    def __init__(self, epochs, steps_per_epoch):
        self.epochs, self.steps = epochs, steps_per_epoch
        in_widgets = issubclass(tqdm, tqdm_notebook)  # tqdm.auto's choice: a widget inside a Jupyter kernel
        self.bar = tqdm(total=epochs * steps_per_epoch, desc=self._title(1), unit=tr("batches"),
                        **({"display": False} if in_widgets else {}))  # the widget goes in our output, below
        self.figure = Figure(figsize=(9, 3), dpi=80)
        self.loss_axes, self.accuracy_axes = self.figure.subplots(1, 2)
        self.image = widgets.Image(format="png")
        self.widget = widgets.VBox([self.bar.container, self.image] if in_widgets else [self.image])
        self.display = None
        if in_notebook():
            self.display = display(self._bundle(), raw=True, display_id=True)

    def _title(self, epoch):
        return tr("Training, epoch {epoch}/{epochs}", epoch=epoch, epochs=self.epochs)

    def batch(self, step):
        """Move the progress bar to `step` batches done, its title to the epoch they are in."""
        self.bar.set_description_str(self._title(min(self.epochs, 1 + (step - 1) // self.steps)), refresh=False)
        self.bar.update(step - self.bar.n)

    def epoch(self, history):
        """Redraw the curves from history."""
        loss, accuracy = self.loss_axes, self.accuracy_axes
        loss.clear()
        accuracy.clear()
        x = [(i + 1) / self.steps for i in range(len(history.batch_loss))]
        loss.plot(x, history.batch_loss, lw=0.8, color="tab:blue")
        loss.set(xlabel=tr("epoch"), ylabel=tr("loss (cross-entropy)"), title=tr("training loss per batch"),
                 xlim=(0, self.epochs))
        epochs = range(1, len(history.test_accuracy) + 1)
        accuracy.plot(epochs, history.train_accuracy, "o-", label=tr("training batches"))
        accuracy.plot(epochs, history.test_accuracy, "s-", label=tr("test images"))
        accuracy.set(xlabel=tr("epoch"), ylabel=tr("accuracy"), title=tr("accuracy after each epoch"),
                     xlim=(0.5, self.epochs + 0.5), ylim=(0, 1.02), xticks=range(1, self.epochs + 1))
        accuracy.legend(loc="lower right")
        self.figure.tight_layout()
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()

    def close(self):
        """Close the bar; refresh the displayed output so that frontends without widgets show the final curves."""
        self.bar.close()
        if self.display is not None:
            self.display.update(self._bundle(), raw=True)

    def _bundle(self):
        bundle = {
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                         "model_id": self.widget.model_id},
            "text/plain": tr("Training progress and curves (run the notebook to see them live)"),
        }
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
