"""Who did what, through which channel, when: the bank's audit trail."""
