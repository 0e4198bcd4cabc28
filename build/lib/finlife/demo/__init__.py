"""The demo world: a city of customers with accounts and history, seeded through the service layer."""
