"""Service-level tests (a package, so its module names never clash with tests/web)."""
