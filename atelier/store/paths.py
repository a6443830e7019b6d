"""Where atelier keeps its files: a command-line flag beats the environment beats ``./``."""

from __future__ import annotations

import os
from pathlib import Path

from atelier.errors import SessionError
from atelier.store.atomic import failure_reason

SESSIONS_DIR_ENV = "ATELIER_SESSIONS_DIR"
DEFAULT_SESSIONS_DIR = "sessions"


def resolve_sessions_dir(flag: str | None = None) -> Path:
    """The sessions folder: ``--sessions-dir`` > ``$ATELIER_SESSIONS_DIR`` > ``./sessions``.

    The folder is created (with its parents) on first use."""
    raw = flag or os.environ.get(SESSIONS_DIR_ENV) or DEFAULT_SESSIONS_DIR
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SessionError(
            f"le dossier des sessions {path} existe déjà comme fichier ; "
            "choisissez un autre dossier avec --sessions-dir"
        ) from None
    except OSError as exc:
        raise SessionError(
            f"impossible de créer le dossier des sessions {path} ({failure_reason(exc)}) ; "
            "choisissez un autre dossier avec --sessions-dir"
        ) from None
    return path
