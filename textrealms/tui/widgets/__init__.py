"""The game screen's parts: story pane, side panel, status line, command input."""
