"""Shared helpers for the CNN layers notebook series: images, drawing, widgets, the network, checks."""

from .draw import presenter
from .i18n import set_language, tr, use_font

__all__ = ["presenter", "set_language", "tr"]

use_font()  # pictures can carry Chinese on any machine, with or without a CJK font installed
