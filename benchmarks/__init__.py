"""Benchmarks of sales_tools against the ways a team would otherwise do the work (see README.md)."""
