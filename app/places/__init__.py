"""Places where events happen, with their other spellings and time zone."""
