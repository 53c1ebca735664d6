"""Debian's Chromium, driven by Playwright, as every browser test and benchmark launches it.

``playwright install`` cannot download here: the browser is the system's ``/usr/bin/chromium``.
"""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# For timing the explorers: a page the window manager would call hidden must keep its full
# frame rate and timers, or a figure measures the throttling, not the explorer.
UNTHROTTLED_ARGS = ["--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                    "--disable-backgrounding-occluded-windows"]


def launch(playwright, *, unthrottled: bool = False):
    """Headless Chromium from ``playwright`` (``sync_playwright()``'s object), with the course's
    arguments; ``unthrottled``: also those of ``UNTHROTTLED_ARGS``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS + (UNTHROTTLED_ARGS if unthrottled else []))
