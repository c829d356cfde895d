"""World packs and game state: schema, loader, checks, the state model and its reducer.

Pure data and pure functions: no I/O beyond reading pack files, no front-end imports.
"""
