"""Domain-free building blocks shared by every module."""
