"""Screens shown over the main reader screen."""
