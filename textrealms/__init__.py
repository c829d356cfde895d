"""TextRealms: a terminal text-adventure game run by an AI game master."""

__version__ = "0.1.0"
