"""`python -m textrealms` runs the `textrealms` command."""

from textrealms.cli.main import main

raise SystemExit(main())
