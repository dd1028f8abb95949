"""A person's home page: where they stand and their one next step, across every domain.

It only reads; it composes assessments, feedback and plans, and nothing depends on it.
"""
