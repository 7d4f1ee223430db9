"""sets operators."""
