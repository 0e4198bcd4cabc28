"""The Life channel: business districts, discovery of stores near the customer, and store reviews."""
