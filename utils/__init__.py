"""Shared helpers for the CNN layers notebook series: images, drawing, widgets, the network, checks."""

from .i18n import set_language, tr, use_font

__all__ = ["set_language", "tr"]

use_font()  # pictures can carry Chinese on any machine, with or without a CJK font installed
