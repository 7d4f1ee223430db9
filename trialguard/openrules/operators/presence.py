"""Presence operators: exists, not_exists."""
