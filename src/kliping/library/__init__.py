"""The library: the folder of articles, its catalog, which library to open, reading state."""
