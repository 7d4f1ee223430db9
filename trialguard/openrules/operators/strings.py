"""strings operators."""
