"""Passage bookmarks: the model, the YAML file, the locked store, re-anchoring, export."""
