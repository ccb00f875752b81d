"""The interactive timeline's data: the events of a window, or counts when it holds too many."""
