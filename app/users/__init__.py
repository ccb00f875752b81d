"""Editors who sign in, and the API tokens that let programs write."""
