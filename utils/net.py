"""The series network: the classic LeNet-style CNN for 3x32x32 images (the PyTorch CIFAR-10 tutorial's)."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from .i18n import tr


class Net(nn.Module):
    """(N, 3, 32, 32) images -> (N, 10) class scores (logits)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)  # 3x32x32 -> 6x28x28
        self.pool = nn.MaxPool2d(2, 2)  # halves height and width
        self.conv2 = nn.Conv2d(6, 16, 5)  # 6x14x14 -> 16x10x10
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # the 16x5x5 maps, flattened
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        if x.dim() != 4 or tuple(x.shape[1:]) != (3, 32, 32):
            raise ValueError(tr("Net expects a batch of images of shape (N, 3, 32, 32), got {shape}",
                                shape=tuple(x.shape)))
        x = self.pool(F.relu(self.conv1(x)))  # 6x14x14
        x = self.pool(F.relu(self.conv2(x)))  # 16x5x5
        x = torch.flatten(x, 1)  # 400
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def class_name(name):
    """A class's English name (the data's identity: CIFAR-10's, fc.CLASSES', the offline shapes') -> the name shown."""
    names = {
        "airplane": tr("airplane"), "plane": tr("plane"), "automobile": tr("automobile"), "car": tr("car"),
        "bird": tr("bird"), "cat": tr("cat"), "deer": tr("deer"), "dog": tr("dog"), "frog": tr("frog"),
        "horse": tr("horse"), "ship": tr("ship"), "truck": tr("truck"),
        "disk": tr("disk"), "ring": tr("ring"), "square": tr("square"), "triangle": tr("triangle"),
        "plus": tr("plus"), "cross": tr("cross"), "h-stripes": tr("h-stripes"), "v-stripes": tr("v-stripes"),
        "diagonal": tr("diagonal"), "checker": tr("checker"),
    }
    return names.get(name, name)
