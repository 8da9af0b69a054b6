"""Reproducible speed and quality measurements (not tests): `make bench` or `python -m benchmarks`."""
