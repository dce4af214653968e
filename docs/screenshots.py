"""Regenerate the README screenshots: python docs/screenshots.py

Runs the dashboard headless over the shipped config and seeds, saves SVG
screenshots and converts them to PNG with cairosvg (the `dev` extra).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import cairosvg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.ui.app import DashboardApp  # noqa: E402

SHOTS = [
    # (file name, size, theme, keys pressed after the panes fill)
    ("dashboard-dark-120x36", (120, 36), "textual-dark", []),
    ("dashboard-light-120x36", (120, 36), "textual-light", []),
    ("dashboard-dark-80x24", (80, 24), "textual-dark", ["4"]),
    ("dashboard-light-80x24", (80, 24), "textual-light", ["2"]),
    ("detail-dark-120x36", (120, 36), "textual-dark", ["j", "j", "enter"]),
    ("detail-light-120x36", (120, 36), "textual-light", ["4", "enter"]),
    ("dashboard-dark-200x50", (200, 50), "textual-dark", ["2"]),
    ("documents-dark-120x36", (120, 36), "textual-dark", ["d"]),
    ("find-dark-120x36", (120, 36), "textual-dark", ["f", "t", "a", "i", "w", "a", "n", " ", "u", "s"]),
]


async def shoot(name: str, size: tuple[int, int], theme: str, keys: list[str]) -> None:
    app = DashboardApp(ROOT / "config.yaml", watch=False, use_cache=False)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await app.wait_for(lambda: app.snapshot is not None or app.error is not None)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        svg = app.export_screenshot(title=f"tui ({size[0]}x{size[1]}, {theme})")
    (ROOT / "docs" / f"{name}.svg").write_text(svg, encoding="utf-8")
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(ROOT / "docs" / f"{name}.png"))
    (ROOT / "docs" / f"{name}.svg").unlink()
    print(f"docs/{name}.png")


async def main() -> None:
    for shot in SHOTS:
        await shoot(*shot)


if __name__ == "__main__":
    asyncio.run(main())
