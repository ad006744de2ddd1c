"""The production settings plus one bench-only page (the ceiling); used only by bench_pages.py."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# collectstatic writes into a temporary folder, not into the working tree.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
