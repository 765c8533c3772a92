"""The Chinese of every message `utils` shows a learner, keyed by its English (see utils/i18n.py)."""

ZH = {
}
