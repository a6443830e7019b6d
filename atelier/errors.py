"""User-facing errors.

Every failure a facilitator can cause or meet (bad content, a corrupt or locked session, a full
disk) is an :class:`AtelierError` carrying a French message that names the file, the line and
the fix. Only ``cli.py`` and the App turn them into output; nothing else prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_BAD_INPUT = 2

MAX_PROBLEMS_SHOWN = 20
"""Problems printed for one error; the rest are counted (« … et 17 980 autres »)."""


def french_count(number: int) -> str:
    """« 17 980 »: thousands separated by a no-break space, as French writes them."""
    return f"{number:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located as precisely as we can."""

    message: str
    path: Path | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def location(self) -> str:
        if self.path is None:
            return ""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        where = self.location()
        return f"{where} : {self.message}" if where else self.message


@dataclass(frozen=True)
class MoreProblems(Problem):
    """Stands for ``count`` further problems found but not detailed (a file with thousands of
    unknown keys): they are counted in « … et N autres », never listed."""

    count: int = 0


class AtelierError(Exception):
    """Base of every error shown to a user. ``str(error)`` is the message to show."""

    exit_code = EXIT_RUNTIME

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    @property
    def problem_count(self) -> int:
        """How many problems were found, detailed or not."""
        return sum(p.count if isinstance(p, MoreProblems) else 1 for p in self.problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        listed = [p for p in self.problems if not isinstance(p, MoreProblems)]
        shown = listed[:MAX_PROBLEMS_SHOWN]
        lines = [self.message, *(f"  - {problem}" for problem in shown)]
        hidden = len(listed) - len(shown)
        hidden += sum(p.count for p in self.problems if isinstance(p, MoreProblems))
        if hidden:
            plural = "autre" if hidden == 1 else "autres"
            lines.append(f"  … et {french_count(hidden)} {plural}")
        return "\n".join(lines)


class BadInputError(AtelierError):
    """Something the user gave us (content, session file, argument) is wrong: exit 2."""

    exit_code = EXIT_BAD_INPUT


class ContentError(BadInputError):
    """The workshop content (YAML in ``content/``) cannot be used as it is."""


class SessionError(BadInputError):
    """A session file cannot be read, or a session name is not acceptable."""


class SessionLocked(BadInputError):
    """Another atelier process holds the session."""


class SaveError(AtelierError):
    """A session could not be written to disk (the data is still in memory)."""
