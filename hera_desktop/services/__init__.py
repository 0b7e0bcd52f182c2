"""Business flows. Each public operation is one unit of work: all of its rows, or none."""
