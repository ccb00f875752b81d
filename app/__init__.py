"""Parley: a sourced, browsable timeline of a negotiation."""

__version__ = "0.1.0"
