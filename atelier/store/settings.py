"""The facilitator's preferences (the theme), remembered between runs.

Kept in ``$ATELIER_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/atelier`` (``~/.config/atelier``).
Preferences are a convenience: a missing or broken file means defaults, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


def config_dir() -> Path:
    if explicit := os.environ.get("ATELIER_CONFIG_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "atelier"


@dataclass
class Settings:
    theme: str | None = None

    @classmethod
    def load(cls) -> Settings:
        path = config_dir() / "settings.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        theme = data.get("theme")
        return cls(theme=theme if isinstance(theme, str) else None)

    def save(self) -> None:
        """Best effort: losing a preference is not worth interrupting a workshop."""
        path = config_dir() / "settings.json"
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
            os.replace(tmp, path)


def write_crash_log(error: BaseException) -> Path | None:
    """Keep the details of an unexpected error for the developers; never raises."""
    import traceback
    from datetime import datetime

    try:
        folder = config_dir() / "crash"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path
