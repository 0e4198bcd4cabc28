"""finlife among banks: the bank directory, off-us cards (ISO 8583), credit transfers (ISO 20022),
net clearing positions and reconciliation against the other banks' settlement files."""
