"""What ``atelier export`` writes, as names and bytes: pure, like the rest of ``report/``.

The command (``atelier.cli``) finds and loads the session through the store, builds the report
once here, and hands the files to the store, which writes them (atomically, never over an
existing file without ``--force``).

- the participants' report: ``rapport.md`` / ``rapport.html`` (``rapport-prive.*`` with the
  private notes);
- one project's report: ``rapport-<projet>.*``;
- one report per team: a folder with ``rapport-<projet>.*`` for each project (and its
  ``rapport-<projet>.eml`` draft with ``--eml``) plus ``index.*``, which lists them and holds
  no note nor score;
- the facilitator's debrief: ``rapport-animateur.*`` (see :mod:`atelier.report.debrief`).
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from atelier.domain.content import Workshop
from atelier.domain.session import SessionRecord
from atelier.errors import BadInputError
from atelier.report import model as m

FORMATS = ("md", "html")
STDOUT = "-"
REPORT_STEM = "rapport"
PRIVATE_SUFFIX = "prive"
FACILITATOR_SUFFIX = "animateur"
INDEX_STEM = "index"
PER_PROJECT_DIR = "rapports-par-projet"
EML = "eml"

# -- French messages ---------------------------------------------------------------------------

WRONG_WORKSHOP = (
    "la session « {name} » a été faite avec l'atelier « {recorded} », pas « {given} » ; "
    "donnez le bon dossier avec --content, ou retirez --content"
)
WRITTEN = "Rapport écrit : {path}\n"
FOLDER_WRITTEN = "{count} rapports par projet et leur index écrits dans {path}{drafts}\n"
DRAFTS_WRITTEN = " (avec un brouillon de courriel .eml par projet)"
UNKNOWN_FORMAT = "format « {fmt} » inconnu ; formats : md, html"
NO_PROJECT_TO_EXPORT = "la session « {name} » n'a aucun projet : pas de rapport par projet"

INDEX_TITLE = "Comptes rendus par projet"
INDEX_INTRO = (
    "Un compte rendu par projet, à envoyer à ses porteurs : chacun ne contient que les notes "
    "et la grille de son projet."
)
INDEX_COL_PROJECT = "Projet"
INDEX_COL_CONTACT = "Courriel"
INDEX_COL_FILES = "Fichiers"
INDEX_CAPTION = "Les projets de la session et leurs fichiers"
INDEX_DRAFT = "brouillon de courriel"
INDEX_NO_ADDRESS = "—"


class ReportFile(NamedTuple):
    """A file to write: its name (no folder) and its bytes."""

    name: str
    data: bytes


def check_workshop(workshop: Workshop, record: SessionRecord) -> None:
    """BadInputError unless ``workshop`` is the one the session ran."""
    if workshop.id != record.workshop_id:
        raise BadInputError(
            WRONG_WORKSHOP.format(name=record.name, recorded=record.workshop_id, given=workshop.id)
        )


def render(report: m.Report, fmt: str) -> str:
    """The report as ``md`` or ``html`` text."""
    if fmt == "md":
        from atelier.report.markdown import render_report

        return render_report(report)
    if fmt == "html":
        from atelier.report.html import render_report as render_html_report

        return render_html_report(report)
    raise BadInputError(UNKNOWN_FORMAT.format(fmt=fmt))


def default_file_name(
    fmt: str,
    project_id: str | None = None,
    *,
    private: bool = False,
    facilitator: bool = False,
) -> str:
    """« rapport.md », « rapport-prive.html », « rapport-<projet>.html »,
    « rapport-animateur.md »."""
    parts = [REPORT_STEM]
    if facilitator:
        parts.append(FACILITATOR_SUFFIX)
    if project_id is not None:
        parts.append(project_id)
    if private and not facilitator:
        parts.append(PRIVATE_SUFFIX)
    return f"{'-'.join(parts)}.{fmt}"


def per_project_files(
    workshop: Workshop,
    record: SessionRecord,
    fmt: str,
    *,
    private: bool = False,
    eml: bool = False,
) -> list[ReportFile]:
    """One report per project (and its ``.eml`` draft), then the index that lists them."""
    if not record.projects:
        raise BadInputError(NO_PROJECT_TO_EXPORT.format(name=record.name))
    files: list[ReportFile] = []
    entries: list[tuple[m.Report, list[str]]] = []
    for project in record.projects:
        report = m.build_report(workshop, record, project, private=private)
        name = default_file_name(fmt, project.id, private=private)
        files.append(ReportFile(name, render(report, fmt).encode("utf-8")))
        names = [name]
        if eml:
            from atelier.report.eml import draft
            from atelier.report.text import render_project_text

            html = render(report, "html")
            draft_name = default_file_name(EML, project.id, private=private)
            files.append(ReportFile(draft_name, draft(report, html, render_project_text(report))))
            names.append(draft_name)
        entries.append((report, names))
    index = _index_html(workshop, record, entries) if fmt == "html" else _index_md(entries)
    files.append(ReportFile(f"{INDEX_STEM}.{fmt}", index.encode("utf-8")))
    return files


def _index_md(entries: list[tuple[m.Report, list[str]]]) -> str:
    from atelier.report.markdown import escape_cell, escape_heading

    first = entries[0][0]
    title = f"# {INDEX_TITLE} — {escape_heading(first.workshop.title)}"
    lines = [
        title,
        f"- **{m.LABEL_DATE}** : {m.format_day(first.day)}\n"
        f"- **{m.LABEL_SESSION}** : {escape_cell(first.record.name)}",
        INDEX_INTRO,
    ]
    rows = []
    for report, names in entries:
        project = report.projects[0].project
        links = ", ".join(f"[{name}]({name})" for name in names)
        address = _address(project.contact_email)
        rows.append(f"- **{escape_cell(project.name)}** ({escape_cell(address)}) : {links}")
    lines.append("\n".join(rows))
    return "\n\n".join(lines) + "\n"


def _address(address: str | None) -> str:
    return address or INDEX_NO_ADDRESS


def _index_html(
    workshop: Workshop, record: SessionRecord, entries: list[tuple[m.Report, list[str]]]
) -> str:
    def e(text: str) -> str:
        return escape(text, quote=True)

    first = entries[0][0]
    rows = []
    for report, names in entries:
        project = report.projects[0].project
        links = []
        for name in names:
            label = f"{name} ({INDEX_DRAFT})" if name.endswith(f".{EML}") else name
            links.append(f'<a href="{e(name)}">{e(label)}</a>')
        rows.append(
            f'<tr><th scope="row">{e(project.name)}</th>'
            f"<td>{e(_address(project.contact_email))}</td>"
            f"<td>{'<br>'.join(links)}</td></tr>"
        )
    title = f"{INDEX_TITLE} — {workshop.title}"
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{INDEX_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{e(title)}</h1>\n"
        f"<dl><dt>{e(m.LABEL_DATE)}</dt><dd>{e(m.format_day(first.day))}</dd>"
        f"<dt>{e(m.LABEL_SESSION)}</dt><dd>{e(record.name)}</dd></dl>\n"
        f"<p>{e(INDEX_INTRO)}</p>\n"
        f"<table><caption>{e(INDEX_CAPTION)}</caption><thead><tr>"
        f'<th scope="col">{e(INDEX_COL_PROJECT)}</th><th scope="col">{e(INDEX_COL_CONTACT)}</th>'
        f'<th scope="col">{e(INDEX_COL_FILES)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n</body>\n</html>\n"
    )


INDEX_STYLE = """
@page { size: A4; margin: 15mm; }
html { background: #fff; color: #000; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 11pt/1.45 system-ui, sans-serif; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; break-inside: avoid; }
caption { text-align: left; font-weight: 600; }
th, td { border: 1px solid #555; padding: .25em .45em; text-align: left; vertical-align: top; }
thead th { background: #eee; }
th[scope=row] { font-weight: normal; }
a { color: #000; }
"""
