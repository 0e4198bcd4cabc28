"""``python -m finlife.cli``: the command, as a subprocess starts it (the tests' simulated bank)."""

from finlife.cli import app

if __name__ == "__main__":  # not when a tool imports every module (scripts/wheel_smoke.sh)
    app()
