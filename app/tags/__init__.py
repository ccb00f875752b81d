"""Tags: the topics an event touches (territories, the 20-point plan)."""
