"""kliping: a keyboard-driven terminal reader for a local collection of articles."""

__version__ = "0.1.0"
