"""finlife — a Finance + Life ecosystem platform for banks."""

__version__ = "0.1.0"
