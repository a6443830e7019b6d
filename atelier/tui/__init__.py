"""The terminal app. Importing it makes Rich's and Textual's line breaking keep no-break
spaces (French punctuation never starts a line: see typography.py)."""

from atelier.tui.typography import keep_no_break_spaces

keep_no_break_spaces()
