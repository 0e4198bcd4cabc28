"""The other bank (the simulator on loopback) and the small bank of the accounts tests, as the
interbank tests have them."""

from tests.interbank.conftest import admin, bank, other_bank, simulator, simulator_process

__all__ = ["admin", "bank", "other_bank", "simulator", "simulator_process"]
