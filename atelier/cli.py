"""Command line: ``atelier``, ``atelier run``, ``validate``, ``sessions``, ``review``, ``export``,
``bilan``.

The only place (with the App) where errors become output: an :class:`AtelierError` is printed
as its French message and turned into its exit code; nothing shows a traceback to a user.
Imports are lazy so ``atelier --help`` and ``validate`` never load Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from atelier import __version__
from atelier.cli_authoring import (
    AUTHORING_COMMANDS,
    add_authoring_commands,
    run_authoring_command,
)
from atelier.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_RUNTIME, AtelierError

if TYPE_CHECKING:
    from atelier.domain.clock import Clock
    from atelier.domain.content import Workshop
    from atelier.domain.session import SessionRecord
    from atelier.store.session_store import OpenSession, SessionStore
    from atelier.tui.app import AtelierApp
    from atelier.tui.vote import VoteOptions

COMMANDS = ("run", "validate", "sessions", "review", "export", "bilan", *AUTHORING_COMMANDS)

DESCRIPTION = """\
atelier anime un atelier d'innovation sociale depuis un terminal projeté :
quiz VRAI / FAUX, auto-évaluation minutée sur la grille de caractérisation,
tour de pitchs avec prise de notes, puis relecture et export des sessions.

Sans sous-commande, « atelier » lance l'atelier fourni (ATIS, 19 mai 2020) :
il reprend la session non terminée de cet atelier commencée aujourd'hui, ou en
crée une nouvelle (--new : toujours une nouvelle)."""

EPILOG = """\
Exemples :
  atelier                                  lancer l'atelier fourni (ou reprendre celui du jour)
  atelier run --new                        une nouvelle session, même si une est en cours
  atelier run --session 2020-05-19-atis    reprendre une session précise
  atelier run --practice                   quiz en solo, sans session
  atelier run --vote                       la salle vote au quiz depuis ses téléphones
  atelier new content/mon-atelier          créer un atelier à modifier (valide d'emblée)
  atelier validate content/mon-atelier     vérifier un atelier écrit à la main
  atelier import-quiz quiz.xlsx            reprendre un VRAI / FAUX d'un outil de quiz
  atelier sessions                         lister les sessions enregistrées
  atelier export MA-SESSION --format html  rapport à envoyer aux participants
  atelier export MA-SESSION --par-projet envoi --eml
                                           un rapport et un brouillon de courriel par équipe
  atelier export MA-SESSION --animateur    bilan de l'animation et programme suggéré
  atelier bilan                            bilan de toutes les sessions, dans le terminal

Variables d'environnement : ATELIER_SESSIONS_DIR (dossier des sessions, ./sessions
par défaut), ATELIER_ASCII=1 (chiffres en ASCII si la police n'a pas les blocs),
ATELIER_STATE_DIR (copies de secours, ~/.local/state/atelier par défaut).
Codes de sortie : 0 succès, 1 échec à l'exécution, 2 entrée invalide."""


CONTENT_OPTION_HELP = (
    "dossier de l'atelier (défaut : celui avec lequel la session a été faite, qu'elle retient ; "
    "à donner si ce dossier a été déplacé)"
)


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"atelier : argument invalide : {message}\n")
        sys.stderr.write("Aide : atelier --help\n")
        sys.exit(EXIT_BAD_INPUT)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"port invalide : {text!r} (0 à 65535)")
    return int(text)


def _sessions_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sessions-dir",
        metavar="DOSSIER",
        help="dossier des sessions (défaut : $ATELIER_SESSIONS_DIR, sinon ./sessions)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="atelier",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    parser.add_argument(
        "--version",
        action="version",
        version=f"atelier {__version__}",
        help="afficher la version et quitter",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes")

    run = commands.add_parser(
        "run",
        help="animer un atelier (commande par défaut)",
        add_help=False,
        description="Anime un atelier : reprend la session non terminée du jour de cet "
        "atelier, ou celle nommée par --session ; --new en crée une nouvelle.",
    )
    run.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    run.add_argument(
        "content",
        nargs="?",
        metavar="DOSSIER_ATELIER",
        help="dossier de l'atelier (défaut : celui de la session reprise, sinon l'atelier "
        "ATIS fourni)",
    )
    run.add_argument(
        "--session",
        metavar="NOM",
        help="reprendre la session NOM (elle doit exister ; avec --new : la créer sous ce nom)",
    )
    run.add_argument(
        "--new",
        action="store_true",
        help="commencer une nouvelle session (nom par défaut : date + identifiant de l'atelier)",
    )
    _sessions_dir_option(run)
    run.add_argument(
        "--practice",
        action="store_true",
        help="mode entraînement : une personne répond seule au quiz ; rien n'est enregistré",
    )
    run.add_argument(
        "--vote",
        action="store_true",
        help="vote depuis les téléphones dès le départ (sinon : touche w pendant le quiz)",
    )
    run.add_argument(
        "--vote-host",
        metavar="ADRESSE",
        help="adresse d'écoute du vote (défaut : l'adresse du portable sur le réseau local)",
    )
    run.add_argument(
        "--vote-port", metavar="PORT", type=_port, help="port du vote (défaut : 8765, ou libre)"
    )

    validate = commands.add_parser(
        "validate",
        help="vérifier un atelier (YAML) sans le lancer",
        add_help=False,
        description="Vérifie un dossier d'atelier, ou un dossier qui contient des ateliers. "
        "Affiche un résumé (code 0) ou toutes les erreurs avec fichier:ligne:colonne (code 2).",
    )
    validate.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    validate.add_argument(
        "path", nargs="?", metavar="CHEMIN", help="défaut : l'atelier ATIS fourni"
    )

    sessions = commands.add_parser(
        "sessions",
        help="lister les sessions enregistrées",
        add_help=False,
        description="Liste les sessions : nom, atelier, date, dernière modification, "
        "projets, état.",
    )
    sessions.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    _sessions_dir_option(sessions)

    review = commands.add_parser(
        "review",
        help="relire une session (lecture seule)",
        add_help=False,
        description="Ouvre une session enregistrée en lecture seule : programme, quiz, "
        "projets, retours. « / » cherche dans toutes les notes.",
    )
    review.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    review.add_argument("session", metavar="SESSION", help="nom ou chemin de la session")
    review.add_argument("--content", metavar="DOSSIER_ATELIER", help=CONTENT_OPTION_HELP)
    _sessions_dir_option(review)

    _export_parser(commands)
    _bilan_parser(commands)
    add_authoring_commands(commands)
    return parser


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


def _export_parser(commands: argparse._SubParsersAction[FrenchArgumentParser]) -> None:
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


def _bilan_parser(commands: argparse._SubParsersAction[FrenchArgumentParser]) -> None:
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


PYDANTIC_PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"


def prepare_process() -> None:
    """Process-wide settings, before anything is validated.

    pydantic looks for third-party plugins (entry points of every installed package) the first
    time it builds a validator: ~5 ms of each start, for plugins atelier never uses. Unless the
    user set ``PYDANTIC_DISABLE_PLUGINS`` themselves, atelier turns the search off."""
    os.environ.setdefault(PYDANTIC_PLUGINS_ENV, "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    prepare_process()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in {"-h", "--help", "--version"}
    ):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "sessions":
            return _sessions(args)
        if args.command == "review":
            return _review(args)
        if args.command == "export":
            return _export(args)
        if args.command == "bilan":
            return _bilan(args)
        if args.command in AUTHORING_COMMANDS:
            return run_authoring_command(args)
        return _run(args)
    except AtelierError as error:
        sys.stderr.write(f"atelier : {error}\n")
        return error.exit_code
    except OSError as error:
        return _os_error_exit(error)
    except KeyboardInterrupt:
        return EXIT_RUNTIME


def _os_error_exit(error: OSError) -> int:
    """Any system error about a path the user gave, or met on the way: one French paragraph,
    exit 2 when the path itself is wrong (too long, missing, not a folder …), 1 otherwise."""
    import errno

    from atelier.store.atomic import UnsafeFile, failure_reason

    bad_path = isinstance(error, UnsafeFile) or error.errno in {
        errno.ENAMETOOLONG,
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.ELOOP,
        errno.EINVAL,
        errno.EEXIST,
        errno.EILSEQ,
    }
    where = f" ({error.filename})" if error.filename and not isinstance(error, UnsafeFile) else ""
    fix = "vérifiez le chemin ou le nom donné" if bad_path else "réessayez, ou changez de dossier"
    _say(f"atelier : {failure_reason(error)}{where} ; {fix}.\n", err=True)
    return EXIT_BAD_INPUT if bad_path else EXIT_RUNTIME


def _raise_fd_limit() -> None:
    """The soft limit of open files goes up to the hard one where allowed (a desktop's 1024,
    macOS's 256): the phones' connections and the store share it."""
    from atelier.vote.connections import raise_fd_limit

    raise_fd_limit()


def _check_session_option(name: str | None) -> None:
    """``--session NOM`` must name a session: an empty or unusable name is refused, never
    silently replaced by the default one."""
    from atelier.domain.session import check_session_name
    from atelier.errors import SessionError

    if name is not None and (why := check_session_name(name)) is not None:
        raise SessionError(f"--session « {name} » refusé : {why}")


# -- sub-commands --------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from atelier.store.content_loader import find_workshops, load_workshop, summarize

    root = Path(args.path) if args.path else None
    folders = find_workshops(root)
    failures = 0
    for folder in folders:
        try:
            workshop = load_workshop(folder)
        except AtelierError as error:
            failures += 1
            sys.stderr.write(f"{error}\n\n")
            continue
        sys.stdout.write(summarize(workshop, folder) + "\n")
    return EXIT_BAD_INPUT if failures else EXIT_OK


def _sessions(args: argparse.Namespace) -> int:
    from atelier.report.listing import format_session_table
    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.session_store import SessionStore

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    sys.stdout.write(format_session_table(store.root, store.list_sessions()) + "\n")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    # The collector stays off until the app's first frame (AtelierApp turns it back on then);
    # whatever happens before, it is on again when this returns.
    gc.disable()
    try:
        return _run_workshop(args)
    finally:
        gc.enable()


def _run_workshop(args: argparse.Namespace) -> int:
    from atelier.domain.clock import SystemClock
    from atelier.store.content_cache import load_workshop_cached

    _check_session_option(args.session)
    _raise_fd_limit()
    workshop = load_workshop_cached(_content_for_run(args))
    clock = SystemClock()
    if args.practice:
        from atelier.store.settings import Settings
        from atelier.tui.app import AtelierApp

        record = _new_record(workshop, "entrainement", clock, practice=True)
        AtelierApp(workshop, None, record, clock, Settings.load(), practice=True).run()
        return EXIT_OK

    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.session_store import SessionStore

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    session, notice = choose_session(store, workshop, clock, name=args.session, new=args.new)
    vote = None
    if args.vote or args.vote_host or args.vote_port is not None:
        from atelier.tui.vote import VoteOptions

        vote = VoteOptions(host=args.vote_host, port=args.vote_port, autostart=args.vote)
    command = resume_command(session.record.name, args.content, args.sessions_dir)
    return run_app(workshop, session, clock, vote, resume=command, notice=notice)


def resume_command(name: str, content: str | None, sessions_dir: str | None = None) -> str:
    """« atelier run --session NOM »: the exact command that picks this session up again,
    with the workshop folder when it is not the bundled one (and the sessions folder when
    one was given)."""
    import shlex

    parts = ["atelier", "run"]
    if content:
        parts.append(shlex.quote(content))
    parts += ["--session", shlex.quote(name)]
    if sessions_dir:
        parts += ["--sessions-dir", shlex.quote(sessions_dir)]
    return " ".join(parts)


def choose_session(
    store: SessionStore, workshop: Workshop, clock: Clock, *, name: str | None, new: bool
) -> tuple[OpenSession, str | None]:
    """Which session ``atelier run`` opens, and what to tell the facilitator about it.

    - ``--session NOM``: that session, which must exist (else exit 2 with the list);
    - ``--new`` (with or without ``--session``): a new one;
    - neither: the latest unfinished session of this workshop started today, else a new one.
    """
    from atelier.errors import SessionError

    if new:
        if name and store.exists(name):
            raise SessionError(
                f"La session « {name} » existe déjà. Pour la reprendre : "
                f"atelier run --session {name} ; pour une nouvelle session, donnez un autre nom "
                "ou seulement --new."
            )
        return create_session(store, workshop, clock, name), None
    if name:
        if not store.exists(name):
            raise SessionError(unknown_session_message(store, name))
        return open_session(store, workshop, name), None
    today = clock.now().date()
    latest = store.latest_unfinished(workshop.id, today, workshop.programme[-1].id)
    if latest is not None:
        return open_session(store, workshop, latest), RESUMED_NOTICE.format(name=latest)
    return create_session(store, workshop, clock), None


RESUMED_NOTICE = (
    "Reprise de la session du jour « {name} » (atelier run --new pour en commencer une autre)."
)


def unknown_session_message(store: SessionStore, name: str) -> str:
    """An unknown ``--session``: nothing is created; the sessions there are, and how to start
    one under that name."""
    sessions = [s.name for s in store.list_sessions()]
    listing = (
        "\n".join(f"  {session}" for session in sessions)
        if sessions
        else "  (aucune session dans ce dossier)"
    )
    return (
        f"aucune session « {name} » dans {store.root} ; rien n'a été créé.\n"
        f"Sessions existantes :\n{listing}\n"
        f"Pour créer une session sous ce nom : atelier run --new --session {name}"
    )


def _content_for_run(args: argparse.Namespace) -> Path:
    """The workshop folder for ``atelier run``: the one given; else, to resume a session,
    the folder that session was made with; else the bundled workshop."""
    from atelier.store.content_loader import resolve_content_dir, resolve_session_content

    if args.content or args.practice or not args.session:
        return resolve_content_dir(args.content)
    from atelier.store.paths import resolve_sessions_dir
    from atelier.store.session_store import SessionStore

    store = SessionStore(resolve_sessions_dir(args.sessions_dir))
    try:
        if not store.exists(args.session):
            return resolve_content_dir(None)
        record = store.load(args.session)
    except (AtelierError, OSError, ValueError):
        return resolve_content_dir(None)  # opening the session says what is wrong with it
    return resolve_session_content(None, record)


def _new_record(
    workshop: Workshop, name: str, clock: Clock, *, practice: bool = False
) -> SessionRecord:
    from atelier.domain.session import SessionRecord
    from atelier.store.content_loader import content_folder, content_hash

    now = clock.now()
    folder = content_folder(workshop)
    return SessionRecord(
        name=name,
        workshop_id=workshop.id,
        content_hash=content_hash(workshop),
        content_dir=str(folder) if folder is not None else None,
        created_at=now,
        updated_at=now,
        practice=practice,
    )


def open_session(store: SessionStore, workshop: Workshop, name: str) -> OpenSession:
    """Open the existing session ``name`` (locked), checking it belongs to ``workshop``."""
    from atelier.errors import SessionError

    session = store.open(name)
    if session.record.workshop_id != workshop.id:
        session.close()
        raise SessionError(
            f"La session « {name} » a été créée avec l'atelier "
            f"« {session.record.workshop_id} », pas « {workshop.id} ». Donnez le bon "
            "dossier d'atelier (atelier run DOSSIER --session NOM) ou un autre nom de session."
        )
    _note_content_change(session, workshop)
    _merge_rescue_copies(session)
    return session


def create_session(
    store: SessionStore, workshop: Workshop, clock: Clock, name: str | None = None
) -> OpenSession:
    """Start a new session (``name``, or the date and the workshop's id)."""
    name = name or store.default_name(workshop.id, clock.now().date())
    record = _new_record(workshop, name, clock)
    # The room is at the first step from the start: written with the new session, the app
    # does not have to write the record again before its first frame.
    record.enter_step(workshop.programme[0].id, record.created_at)
    return store.create(record)


CONTENT_CHANGED = (
    "Le contenu de l'atelier « {workshop} » a changé depuis le dernier enregistrement de "
    "cette session (empreinte {old} → {new}) : ce qui n'existe plus est signalé, le reste "
    "reprend normalement."
)


def _note_content_change(session: OpenSession, workshop: Workshop) -> None:
    """Say at open when the content's fingerprint differs from the session's (the session
    then records the new one: it runs on this content from now on)."""
    from atelier.store.content_loader import content_hash

    current = content_hash(workshop)
    recorded = session.record.content_hash
    if recorded and recorded != current:
        session.notices.append(
            CONTENT_CHANGED.format(workshop=workshop.id, old=recorded[:8], new=current[:8])
        )
    session.record.content_hash = current


def _merge_rescue_copies(session: OpenSession) -> None:
    """A rescue copy written when this session could not be saved at exit comes back."""
    from atelier.store.rescue import merge_rescues

    session.notices.extend(merge_rescues(session))


def open_or_create_session(
    store: SessionStore, workshop: Workshop, name: str | None, clock: Clock
) -> OpenSession:
    """Resume the session called ``name`` if it exists, otherwise start a new one (tests and
    tools; ``atelier run`` decides with :func:`choose_session`)."""
    if name and store.exists(name):
        return open_session(store, workshop, name)
    return create_session(store, workshop, clock, name)


def run_app(
    workshop: Workshop,
    session: OpenSession,
    clock: Clock,
    vote: VoteOptions | None = None,
    *,
    resume: str | None = None,
    notice: str | None = None,
) -> int:
    """Run the TUI on an open session; whatever happens, the record is saved at the end and
    the command that resumes it is printed."""
    from atelier.store.settings import Settings
    from atelier.tui.app import AtelierApp

    resume = resume or resume_command(session.record.name, None)
    app = AtelierApp(
        workshop, session, session.record, clock, Settings.load(), vote=vote, resume_command=resume
    )
    if notice:
        app.start_notice = notice
    _quit_on_signals(app, session, resume)
    try:
        app.run()
    finally:
        code = _final_save(session, resume)
    if app.return_code not in (None, 0):
        return EXIT_RUNTIME
    return code


SIGNAL_GRACE_S = 3.0
"""After SIGTERM or SIGHUP, how long the app has to quit by itself before the record is saved
and the process ended without it."""


def _quit_on_signals(app: AtelierApp, session: OpenSession, resume: str) -> None:
    """SIGTERM, and SIGHUP when the terminal is closed, save and leave.

    The app is asked to quit as ctrl+q would. When the terminal is gone, Textual's output
    thread dies on the first failed write and the event loop then blocks on its full queue,
    so the request may never run: a watchdog thread saves the record (complete in memory),
    releases the lock and ends the process after :data:`SIGNAL_GRACE_S`."""
    import signal
    import threading

    def force_exit() -> None:
        os._exit(_final_save(session, resume))  # 1 when only a rescue copy could be written

    def on_signal(signum: int, frame: object) -> None:
        loop = app.event_loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(app.request_quit)
        watchdog = threading.Timer(SIGNAL_GRACE_S, force_exit)
        watchdog.daemon = True
        watchdog.start()

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), on_signal)


RESUME_LINE = "Pour reprendre : {command}\n"


def _final_save(session: OpenSession, resume: str) -> int:
    """The last line of defence: the record in memory is complete, write it all; then say
    where it is and the exact command that resumes it."""
    if session.closed:
        return EXIT_OK
    try:
        session.save_all()
    except AtelierError as error:
        _say(f"atelier : la session n'a pas pu être enregistrée à la sortie : {error}\n", err=True)
        _write_rescue_copy(session, error.message)
        _say(RESUME_LINE.format(command=resume), err=True)
        return EXIT_RUNTIME
    finally:
        session.close()
    _say(f"Session enregistrée : {session.path}\n")
    _say(RESUME_LINE.format(command=resume))
    return EXIT_OK


def _write_rescue_copy(session: OpenSession, reason: str) -> None:
    """Nothing typed is lost: the record (complete in memory) goes to a second place, and the
    facilitator reads where; the next ``atelier run --session`` merges it."""
    from datetime import datetime

    from atelier.store.rescue import write_rescue

    result = write_rescue(session.record, session.path, reason, datetime.now().astimezone())
    if result.path is not None:
        _say(
            f"atelier : copie de secours de tout ce qui n'était pas enregistré : {result.path}\n"
            f"« atelier run --session {session.name} » la reprendra (fusion automatique).\n",
            err=True,
        )
        return
    refused = " ; ".join(result.failures)
    _say(
        f"atelier : même la copie de secours n'a pas pu être écrite ({refused}). "
        "Dernier recours, la session est affichée ci-dessous : copiez-la.\n",
        err=True,
    )
    with contextlib.suppress(Exception):
        from atelier.store.rescue import rescue_text

        now = datetime.now().astimezone()
        _say(rescue_text(session.record, session.path, reason, now), err=True)


def _say(text: str, *, err: bool = False) -> None:
    """Print, unless the terminal is gone (closed window): saving matters, the message not."""
    with contextlib.suppress(OSError, ValueError):
        (sys.stderr if err else sys.stdout).write(text)


def _review(args: argparse.Namespace) -> int:
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


def _export(args: argparse.Namespace) -> int:
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


def _bilan(args: argparse.Namespace) -> int:
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


def _write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (« | head »): not an error; keep Python quiet at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
