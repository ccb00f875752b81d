"""Helpers every domain uses: slugs, references by slug, the crud verbs, field types, pages."""
