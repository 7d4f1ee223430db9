"""dates operators."""
