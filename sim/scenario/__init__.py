"""Scenario files: the schema, YAML loading with located errors, and overrides."""
