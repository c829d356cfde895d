"""The `textrealms` command: plain line mode and the pack tools."""
