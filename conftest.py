"""Shared test setup: notebooks run on the offline dataset, so the tests never depend on the network.

At the project root, so it applies to every pytest run (a lone `pytest notebooks/04_...` too), set here,
before nbmake starts any kernel (kernels inherit the environment), unless already set:
`CNN_LAYERS_DATASET=cifar10 python3 run.py test` runs notebook 04 on CIFAR-10 instead.
"""

import os

os.environ.setdefault("CNN_LAYERS_DATASET", "offline")
