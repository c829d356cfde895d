"""The TUI's screens: title, world picker, game, help and stats."""
