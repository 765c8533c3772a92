"""Shared test setup: notebooks run on the offline dataset, so the tests never depend on the network.

Set here, before nbmake starts any kernel (kernels inherit the environment), unless already set:
`CNN_LAYERS_DATASET=cifar10 python3 run.py test` runs notebook 04 on CIFAR-10 instead.
"""

import os

os.environ.setdefault("CNN_LAYERS_DATASET", "offline")
