"""Test-wide settings: under CI, Hypothesis draws the same examples on every run, so that a
submission's verdict does not depend on the draw; on a developer's machine it keeps exploring
(and replays any failure it found from its local database)."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
