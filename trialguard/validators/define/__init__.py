"""Checks of the datasets against the study's define.xml (the DEF- rules)."""
