"""Shared helpers for the CNN layers notebook series: images, drawing, widgets, the network, checks."""
