"""The frozen app's entry point: the hera-desktop command (a script, so no relative imports)."""
from hera_desktop.cli import main

raise SystemExit(main())
