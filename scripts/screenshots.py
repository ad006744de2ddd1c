"""Screenshots of a running site, for README and for looking at pages as a person would.

.venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 OUT_DIR [--login EMAIL] path...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from petittalk.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login", default="")
    parser.add_argument("--password", default="petittalk-demo")
    parser.add_argument("--mobile", action="store_true")
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    viewport = {"width": 390, "height": 844} if args.mobile else {"width": 1366, "height": 900}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport, timezone_id="America/New_York")
        if args.login:
            page.goto(args.base_url + "/accounts/login/")
            page.fill("input[name=login]", args.login)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
        for path in args.paths:
            page.goto(args.base_url + path)
            name = (path.strip("/").replace("/", "_") or "home") + (
                "-mobile" if args.mobile else ""
            )
            page.screenshot(path=str(args.out_dir / f"{name}.png"), full_page=args.full_page)
            print(args.out_dir / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
