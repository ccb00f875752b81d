"""Suggestions: events proposed by visitors, waiting for an editor's review."""
