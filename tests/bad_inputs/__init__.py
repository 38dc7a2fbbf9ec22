"""The catalogue of bad inputs: every kind of messy file, and what the kit does with it."""

__all__: list[str] = []
