"""Analysis: statistics across replications and analytic cross-checks."""
