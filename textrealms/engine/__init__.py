"""The game master: parser, rules, and the game that runs turns."""
