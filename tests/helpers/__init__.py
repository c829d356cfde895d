"""What the tests share, one module per idea; test modules import from here, never from
each other (and never from `conftest.py`, which holds only fixtures).

- `paths`: the repository, the tests' data folders and the test pack
- `waiting`: how long a test waits for what it expects, and waiting on a condition
- `events`: the one recorder of a game's event stream
- `rules_game`: a game by the rules alone, and the text of its turns
- `validity`: every number in range and every id resolvable
- `faulty`: a provider that fails, hangs or slows down on demand, and counts its calls
- `clocks`: clocks that say what the test tells them
- `metrics`: fixed metrics snapshots, and a game master that shows them
- `stores`: an answer cache in a dict
- `save_files`: files that are not a saves database, a file's digest, a save read back
- `played`: a game played in process into a save store, and what it told
- `loopback`: the real HTTP client and game master against the loopback model server
- `scripted`: a chat-completions server that sends exactly the bytes a test scripts
- `cli`: the installed `textrealms` script, run as a player would, and its saves folder
- `sleeps`: the delays code asks `asyncio.sleep` for, without waiting them out
- `bench`: what a bench test checks of a scenario's report (that it has every field)
- `pilot`, `saving_app`, `story_app`: driving the TUI (these import Textual)
"""
