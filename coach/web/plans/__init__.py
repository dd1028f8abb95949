"""Development plans: suggestions to start from, goals, check-ins, progress and trends."""
