"""Images with alt text: uploaded, re-encoded, kept in the database and served for events."""
