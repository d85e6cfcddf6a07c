"""The Mesa model: actors, sides, strategies, protocols, escalation and outcomes."""
