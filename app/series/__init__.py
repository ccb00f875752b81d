"""Series: threads of rounds, such as the Abu Dhabi trilateral talks."""
