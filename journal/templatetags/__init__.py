"""Template tags and filters of the journal."""
