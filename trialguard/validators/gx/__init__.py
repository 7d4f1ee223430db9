"""The check that runs expectations of GX suites given with --gx-suite (not a spec kind)."""
