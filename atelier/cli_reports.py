"""``atelier review``, ``export`` and ``bilan``: find and load the session (store), build the
report once (report), write it (store) or print it. Imports are lazy."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from atelier.cli import CONTENT_OPTION_HELP, _sessions_dir_option
from atelier.cli_output import say as _say
from atelier.cli_output import write_stdout as _write_stdout
from atelier.errors import EXIT_OK, EXIT_RUNTIME, AtelierError

if TYPE_CHECKING:
    from atelier.cli import FrenchArgumentParser
    from atelier.domain.content import Workshop
    from atelier.domain.session import SessionRecord
    from atelier.store.session_store import SessionStore


EXPORT_DESCRIPTION = """\
Écrit le rapport d'une session. Par défaut, le rapport des participants, sûr à transférer :
daté du jour de la session, il s'ouvre sur le quiz et ses explications puis les retours de
chaque projet, et ne contient ni les notes de l'animation ni les « Notes libres » (--prive les
ajoute, avec les horaires). --par-projet écrit un rapport par équipe, que chacune peut recevoir :
aucun n'a les notes ou la grille d'un autre projet. --eml y ajoute un brouillon de courriel par
projet (à ouvrir dans sa messagerie ; rien n'est envoyé). --animateur écrit le bilan de
l'animation : prévu / réel, dépassements, difficulté du quiz, et des durées suggérées pour la
prochaine fois, tirées de cette session et des précédentes du même atelier."""

BILAN_DESCRIPTION = """\
Affiche dans le terminal le bilan des sessions d'un atelier (toutes celles du dossier des
sessions) : prévu / réel par étape avec un graphique, dépassements, pitchs, difficulté du quiz,
et les durées et le programme suggérés pour la prochaine fois (médiane des durées réelles,
arrondie aux 5 minutes)."""


def add_export_parser(commands: argparse._SubParsersAction[FrenchArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="exporter le rapport d'une session (Markdown ou HTML, un par équipe, courriels)",
        add_help=False,
        description=EXPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    export.add_argument("session", metavar="SESSION", help="nom ou chemin de la session")
    export.add_argument(
        "--format", choices=("md", "html"), default="md", help="format (défaut : md)"
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        help="fichier à écrire (défaut : à côté de la session ; « - » pour la sortie standard)",
    )
    which = export.add_mutually_exclusive_group()
    which.add_argument(
        "--project",
        metavar="PROJET",
        help="le rapport d'un seul projet (nom ou identifiant), pour ses porteurs",
    )
    which.add_argument(
        "--par-projet",
        metavar="DOSSIER",
        dest="per_project",
        help="un rapport par projet et un index, dans DOSSIER (créé s'il n'existe pas)",
    )
    which.add_argument(
        "--animateur",
        action="store_true",
        dest="facilitator",
        help="le bilan de l'animation et le programme suggéré pour la prochaine fois",
    )
    export.add_argument(
        "--eml",
        action="store_true",
        help="avec chaque rapport par projet, un brouillon de courriel .eml adressé au contact "
        "du projet (défaut du dossier : rapports-par-projet/ dans la session)",
    )
    export.add_argument(
        "--prive",
        action="store_true",
        dest="private",
        help="ajouter les notes de l'animation, les « Notes libres » et les horaires "
        "(à ne pas transférer)",
    )
    export.add_argument(
        "--force", action="store_true", help="remplacer les fichiers qui existent déjà"
    )
    export.add_argument("--content", metavar="DOSSIER_ATELIER", help=CONTENT_OPTION_HELP)
    _sessions_dir_option(export)


def add_bilan_parser(commands: argparse._SubParsersAction[FrenchArgumentParser]) -> None:
    bilan = commands.add_parser(
        "bilan",
        help="bilan de toutes les sessions d'un atelier, dans le terminal",
        add_help=False,
        description=BILAN_DESCRIPTION,
    )
    bilan.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    bilan.add_argument(
        "workshop",
        nargs="?",
        metavar="ATELIER",
        help="identifiant de l'atelier (voir « atelier sessions ») ou son dossier "
        "(défaut : chaque atelier qui a des sessions)",
    )
    _sessions_dir_option(bilan)


def review(args: argparse.Namespace) -> int:
    from atelier.report.export import check_workshop
    from atelier.store.content_cache import load_workshop_cached
    from atelier.store.content_loader import content_change_notice, resolve_session_content
    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.session_store import SessionStore
    from atelier.tui.review import ReviewApp

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    record = store.load(args.session)  # an unknown name lists the sessions there are
    folder = resolve_session_content(args.content, record)
    workshop = load_workshop_cached(folder)
    notice = content_change_notice(workshop, record, folder)
    if notice:
        _say(notice + "\n", err=True)
    check_workshop(workshop, record)
    app = ReviewApp(workshop, record)
    app.run()
    return EXIT_RUNTIME if app.return_code not in (None, 0) else EXIT_OK


def export(args: argparse.Namespace) -> int:
    """``atelier export``: find and load the session (store), build the report once (report),
    write it (store) or print it (``-o -``)."""
    from atelier.errors import BadInputError
    from atelier.report import export as ex
    from atelier.report.model import build_report
    from atelier.store.content_cache import load_workshop_cached
    from atelier.store.content_loader import content_change_notice, resolve_session_content
    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.report_files import output_path, write_report, write_report_folder
    from atelier.store.session_store import SessionStore

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    folder = store.find(args.session)
    record = store.load(folder)
    content = resolve_session_content(args.content, record)  # --content, else where it was made
    workshop = load_workshop_cached(content)
    if notice := content_change_notice(workshop, record, content):
        _say(notice + "\n", err=True)
    ex.check_workshop(workshop, record)

    if args.per_project is not None or args.eml:
        if args.project is not None or args.facilitator or args.output is not None:
            raise BadInputError(
                "--par-projet et --eml écrivent un rapport par projet dans un dossier : ils ne "
                "vont ni avec --project, ni avec --animateur, ni avec -o ; retirez ces options"
            )
        target = Path(args.per_project) if args.per_project else folder / ex.PER_PROJECT_DIR
        files = ex.per_project_files(
            workshop, record, args.format, private=args.private, eml=args.eml
        )
        write_report_folder(target, files, force=args.force)
        drafts = ex.DRAFTS_WRITTEN if args.eml else ""
        sys.stdout.write(
            ex.FOLDER_WRITTEN.format(count=len(record.projects), path=target, drafts=drafts)
        )
        return EXIT_OK

    project_id = None
    if args.facilitator:
        from atelier.report.debrief import build_debrief
        from atelier.report.debrief_render import render_debrief

        history = _workshop_history(store, record.workshop_id)
        text = render_debrief(build_debrief(workshop, history, record), args.format)
    else:
        report = build_report(workshop, record, args.project, private=args.private)
        project_id = report.projects[0].project.id if report.single_project else None
        text = ex.render(report, args.format)
    if args.output == ex.STDOUT:
        _write_stdout(text)
        return EXIT_OK
    name = ex.default_file_name(
        args.format, project_id, private=args.private, facilitator=args.facilitator
    )
    path = output_path(folder, name, args.output)
    write_report(path, text.encode("utf-8"), force=args.force)
    sys.stdout.write(ex.WRITTEN.format(path=path))
    return EXIT_OK


def _workshop_history(store: SessionStore, workshop_id: str) -> list[SessionRecord]:
    """Every readable, real (not practice) session of ``workshop_id`` in the store."""
    from atelier.store.session_store import SessionState

    records = []
    for summary in store.list_sessions():
        if summary.workshop_id != workshop_id:
            continue
        if summary.state not in (SessionState.OK, SessionState.LOCKED):
            continue
        try:
            record = store.load(summary.path)
        except AtelierError:
            continue  # changed since it was listed: the others still count
        if not record.practice:
            records.append(record)
    return records


def bilan(args: argparse.Namespace) -> int:
    """``atelier bilan [ATELIER]``: the debrief of every session of a workshop, as text."""
    from atelier.errors import SessionError
    from atelier.report.debrief import build_debrief
    from atelier.report.debrief_render import render_debrief
    from atelier.store.content_cache import load_workshop_cached
    from atelier.store.content_loader import resolve_session_content
    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.session_store import SessionStore

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    given: Workshop | None = None
    if args.workshop and ("/" in args.workshop or os.sep in args.workshop):
        given = load_workshop_cached(Path(args.workshop))
        wanted = [given.id]
    elif args.workshop:
        wanted = [args.workshop]
    else:
        wanted = sorted({s.workshop_id for s in store.list_sessions() if s.workshop_id})
    if not wanted:
        raise SessionError(
            f"aucune session lisible dans {store.root} ; --sessions-dir DOSSIER pour "
            "chercher ailleurs"
        )
    ascii_only = os.environ.get("ATELIER_ASCII", "") not in ("", "0")
    texts = []
    for workshop_id in wanted:
        history = _workshop_history(store, workshop_id)
        if not history:
            raise SessionError(
                f"aucune session de l'atelier « {workshop_id} » dans {store.root} ; "
                "« atelier sessions » les liste toutes"
            )
        # The folder the latest session recorded, else the bundled workshop of that id.
        workshop = given or load_workshop_cached(resolve_session_content(None, history[-1]))
        debrief = build_debrief(workshop, history)
        texts.append(render_debrief(debrief, "text", ascii_only=ascii_only))
    _write_stdout("\n".join(texts))
    return EXIT_OK
