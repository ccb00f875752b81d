"""Sources (articles, transcripts) and the citations that tie them to events."""
