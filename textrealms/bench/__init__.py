"""`textrealms bench`: the latency design measured on this machine, scenario by scenario.

Each scenario runs the real engine (and, where it matters, the real HTTP client against
the loopback model server, the real SQLite store, or the real TUI in a child process) and
returns its numbers as a JSON fragment plus rows for the summary table.
"""
