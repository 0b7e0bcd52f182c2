"""Speed benchmarks for HERA Desktop: ``python -m benchmarks [--quick]`` prints figures and ratios.

Each benchmark module has ``run(size, workdir) -> list[Row]``; nothing here asserts a timing.
"""
