"""One project's report as an e-mail draft (``.eml``) that any mail client opens, ready to send.

``multipart/alternative``: the plain-text report first, then the HTML page (the client shows
the richest part it can). Subject from the workshop and the project; ``To:`` the project's
contact e-mail when the session has one; ``X-Unsent: 1`` asks clients that honour it (classic
Outlook) to open it as a draft; in Thunderbird, « Modifier comme nouveau message ». No
``Date`` nor ``Message-ID``: the client adds them when the message is sent. Nothing is sent
by atelier. Quoted-printable bodies keep the file pure ASCII; the MIME boundary is derived from
the content, so the same report gives the same file.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage

from atelier.report import model as m

SUBJECT = "{workshop} — {project} : compte rendu de l'atelier du {day}"
UNSENT_HEADER = "X-Unsent"


def subject(report: m.Report) -> str:
    project = report.projects[0].project
    return SUBJECT.format(
        workshop=" ".join(report.workshop.title.split()),
        project=" ".join(project.name.split()),
        day=m.format_day(report.day),
    )


def draft(report: m.Report, html: str, text: str) -> bytes:
    """The ``.eml`` bytes (CRLF line ends) of one project's report (``report.single_project``),
    its two renderings given."""
    assert report.single_project
    message = EmailMessage()
    message["Subject"] = subject(report)
    address = report.projects[0].project.contact_email
    if address:
        message["To"] = address
    message[UNSENT_HEADER] = "1"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    digest = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    message.set_boundary(f"atelier-{digest}")
    return message.as_bytes(policy=policy.SMTP)
