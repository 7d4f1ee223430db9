"""uniqueness operators."""
