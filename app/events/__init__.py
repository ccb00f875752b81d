"""Events: the sourced claims the timeline is made of, and their revisions."""
