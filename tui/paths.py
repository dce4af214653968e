"""Where tui keeps things of its own: an explicit variable, else the XDG folder, else the usual one."""

from __future__ import annotations

import os
from pathlib import Path


def user_dir(explicit_env: str, xdg_env: str, *home_parts: str) -> Path:
    """$explicit_env, else $xdg_env/tui, else ~/<home_parts>/tui."""
    explicit = os.environ.get(explicit_env)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get(xdg_env)
    if xdg:
        return Path(xdg).expanduser() / "tui"
    return Path.home().joinpath(*home_parts, "tui")


STATE_ENV = "TUI_STATE_DIR"


def state_dir() -> Path:
    """User state (rows seen, suggestions dismissed): $TUI_STATE_DIR,
    $XDG_STATE_HOME/tui or ~/.local/state/tui."""
    return user_dir(STATE_ENV, "XDG_STATE_HOME", ".local", "state")
