"""Use cases: the only layer that opens transactions and commits, one commit per use case."""
