"""Turn a saved session into a report: Markdown, or one self-contained HTML page."""

from atelier.report.html import render_html
from atelier.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
