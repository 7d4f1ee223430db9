"""great-expectations (GX): a spec's rules exported as GX suites, a team's GX suites run as rules.

Exporting (`expectations`, `export`) is plain data and needs no GX; only `engine` and `suites`
import great_expectations, inside their functions, so a run without GX options never loads it.
"""
