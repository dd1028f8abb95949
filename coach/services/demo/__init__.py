"""Demo and synthetic data: the demo organisation (seeded only into the embedded database
unless asked), removing it, and synthetic organisations for benchmarks at scale.

Everything here goes through the same services real data does, so the HR summary and the
disclosure rules hold for demo data too.
"""
