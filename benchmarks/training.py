"""Training throughput of `Net`: our in-memory loop beside the PyTorch tutorial's pipeline, in one run.

    .venv/bin/python -m benchmarks.training

1. Images per second, CIFAR-shaped data (3x32x32 uint8, the offline shapes), the same `Net`:
   - ours: the whole dataset as one uint8 tensor, batches sliced by a seeded index permutation
     (utils.train.train with its defaults, which notebook 04 uses: Adam, batch 128);
   - the tutorial's: a torchvision-style Dataset of PIL images with ToTensor + Normalize transforms,
     a DataLoader with batch 4, shuffling and 2 workers, SGD lr 0.001 momentum 0.9.
   Rounds alternate between the two (and the matmul peak below) and the best round of each counts, so
   that a busy machine slows them alike; the ratio is the figure to quote (target: >= 12x).
2. The fraction of this machine's matrix-multiply peak (a large torch.mm, GFLOP/s) that our training
   reaches, counting a training step as 3x the forward pass's multiply-adds, 2 FLOPs each.
3. The offline default dataset: test accuracy and training time with notebook 04's settings.
"""

import inspect
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision.transforms as T
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torch.utils.flop_counter import FlopCounterMode

from utils.data import Data, make_shapes, offline_data
from utils.net import Net
from utils.train import train

TARGET_RATIO = 12
DEFAULTS = inspect.signature(train).parameters
EPOCHS, BATCH = DEFAULTS["epochs"].default, DEFAULTS["batch_size"].default
OURS_IMAGES, TUTORIAL_IMAGES, WARMUP_BATCHES, ROUNDS = 12_000, 3_000, 50, 4


class PILImages(Dataset):
    """The tutorial's way: one PIL image per item, converted by transforms on every access."""

    def __init__(self, images, labels, transform):
        self.images = [Image.fromarray(image.permute(1, 2, 0).numpy()) for image in images]
        self.labels, self.transform = labels.tolist(), transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.labels[i]


def tutorial_throughput(images, labels):
    """Images/s of the tutorial's loop (DataLoader batch 4, 2 workers, SGD), after WARMUP_BATCHES batches."""
    transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    loader = DataLoader(PILImages(images, labels, transform), batch_size=4, shuffle=True, num_workers=2)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    counted = 0
    for i, (inputs, targets) in enumerate(loader):
        if i == WARMUP_BATCHES:
            start, counted = time.perf_counter(), 0
        optimizer.zero_grad()
        loss = F.cross_entropy(net(inputs), targets)
        loss.backward()
        optimizer.step()
        counted += len(targets)
    return counted / (time.perf_counter() - start)


def our_throughput(data):
    """Images/s of utils.train.train: the second of two epochs (evaluation excluded)."""
    history = train(Net(), data, epochs=2, show=False)
    return len(data.train_labels) / (history.seconds[1] - history.seconds[0])


def matmul_peak(n=2048, repeats=5):
    """This machine's float32 matrix-multiply speed in GFLOP/s: the best of a few n x n torch.mm."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = min(timed(torch.mm, a, b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def forward_multiply_adds():
    """Multiply-adds of one image through Net, counted by PyTorch (a multiply-add is 2 FLOPs)."""
    with FlopCounterMode(display=False) as counter:
        Net()(torch.zeros(1, 3, 32, 32))
    return counter.get_total_flops() // 2


def main():
    torch.manual_seed(0)
    images, labels = make_shapes(OURS_IMAGES + 1000, seed=0)
    data = Data("benchmark", tuple(range(10)), images[:OURS_IMAGES], labels[:OURS_IMAGES], images[-1000:],
                labels[-1000:])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; CIFAR-shaped data, Net on the CPU")
    ours, tutorial, peaks = [], [], []
    for round_ in range(1, ROUNDS + 1):  # interleaved, so that a busy spell slows all three alike
        ours.append(our_throughput(data))
        tutorial.append(tutorial_throughput(images[:TUTORIAL_IMAGES], labels[:TUTORIAL_IMAGES]))
        peaks.append(matmul_peak())
        print(f"  round {round_}: ours {ours[-1]:8,.0f} images/s   tutorial {tutorial[-1]:6,.0f} images/s   "
              f"matmul {peaks[-1]:6.1f} GFLOP/s")
    ratio = max(ours) / max(tutorial)
    verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"training throughput: ours {max(ours):,.0f} images/s (batch {BATCH}), tutorial {max(tutorial):,.0f} "
          f"images/s (batch 4, DataLoader, 2 workers): {ratio:.1f}x  (target >= {TARGET_RATIO}x: {verdict})")

    macs = forward_multiply_adds()
    flops_per_image = 3 * macs * 2
    peak = max(peaks)
    reached = max(ours) * flops_per_image / 1e9
    print(f"matmul peak {peak:.1f} GFLOP/s (2048x2048 torch.mm); training reaches {reached:.1f} GFLOP/s "
          f"(3 x {macs:,} multiply-adds x 2 FLOPs per image) = {reached / peak:.0%} of the peak")

    accuracies, seconds = [], []
    for seed in (0, 1, 2):
        torch.manual_seed(seed)
        offline = offline_data(seed)
        history = train(Net(), offline, seed=seed, show=False)
        accuracies.append(history.test_accuracy[-1])
        seconds.append(history.seconds[-1])
        print(f"  offline default, seed {seed}: test accuracy {accuracies[-1]:.1%} after {seconds[-1]:.1f} s")
    print(f"offline default dataset (notebook 04's settings: {EPOCHS} epochs, batch {BATCH}): test accuracy "
          f"{min(accuracies):.1%}-{max(accuracies):.1%}, training time median {statistics.median(seconds):.1f} s "
          f"(budget: >= 95% in <= 10 s)")


if __name__ == "__main__":
    main()
