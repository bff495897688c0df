"""Taavon: the working system of a cooperative authority."""

__version__ = "0.1.0"
