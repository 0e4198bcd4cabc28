"""Full-text search over stores: their own words and their merchant's goods, Chinese included."""
