"""`python -m pipeline` is `itie-reconcile`."""

from pipeline.cli import main

raise SystemExit(main())
