"""Goods: items with variations (price, SKU, stock) and categories, per merchant."""
