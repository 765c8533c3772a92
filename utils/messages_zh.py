"""The Chinese of every message `utils` shows a learner, keyed by its English (see utils/i18n.py).

Terms follow i18n/glossary.tsv (《动手学深度学习》's usage). Grouped by module; tests/test_messages.py
fails on a key that no code uses, a message that has no Chinese, or {fields} that differ.
"""

ZH = {
    # --- checks.py, images.py, view.py, draw.py, guard.py, conv.py, pool.py

    # --- fc.py, lenet.py, data.py, train.py, net.py

}
