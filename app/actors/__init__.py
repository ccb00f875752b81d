"""Actors: states, people, organizations and delegations that take part in events."""
