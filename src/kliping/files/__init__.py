"""The user's files, handled safely: atomic writes, locks, where files live, safe YAML, inert text."""
