"""Saved games, the turn log and the model response cache, in one SQLite file."""
