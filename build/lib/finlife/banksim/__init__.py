"""Another bank, simulated: its own cards, accounts and books, reached only over the wire.

It imports nothing of finlife but ``kit`` (the message codecs): it stands for a separate bank.
"""
