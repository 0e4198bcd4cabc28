"""``python -m finlife.cli``: the command, as a subprocess starts it (the tests' simulated bank)."""

from finlife.cli import app

app()
