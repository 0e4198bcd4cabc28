"""Go out: payments a partner makes under a customer's consent, confirmed by the customer in /app
above the thresholds (see service)."""
