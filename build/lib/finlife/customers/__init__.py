"""One party record per person, shared by every channel: KYC levels, contact data, interactions."""
