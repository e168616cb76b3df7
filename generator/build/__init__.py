"""The build pipeline (see run.py)."""
