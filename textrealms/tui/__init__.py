"""The full-screen Textual interface: it renders the game master's story, nothing more."""
