"""Turn a saved session into reports: the participants' report (Markdown, or one self-contained
HTML page that prints on A4), one report per project and its e-mail draft, and the facilitator's
debrief. Pure: no file is read or written here (the store does that)."""

from atelier.report.html import render_html
from atelier.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
