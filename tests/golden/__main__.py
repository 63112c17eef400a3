"""``python -m tests.golden [CASE ...]``: write the golden outputs anew and print what moved."""

from tests.golden import main

raise SystemExit(main())
