"""Slider panels and display helpers for the notebooks."""
