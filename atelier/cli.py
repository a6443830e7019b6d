"""Command line: ``atelier``, ``atelier run``, ``validate``, ``sessions``, ``review``, ``export``,
``bilan``.

The only place (with the App) where errors become output: an :class:`AtelierError` is printed
as its French message and turned into its exit code; nothing shows a traceback to a user.
Imports are lazy so ``atelier --help`` and ``validate`` never load Textual.
"""

from __future__ import annotations

import argparse
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
from atelier.cli_output import say as _say
from atelier.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_RUNTIME, AtelierError

if TYPE_CHECKING:
    pass

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
        help="reprendre la session NOM (elle doit exister ; avec --new : la créer sous ce nom) ; "
        "un chemin (sessions/NOM, ou un dossier copié) vaut --session NOM --sessions-dir "
        "son dossier",
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

    from atelier.cli_reports import add_bilan_parser, add_export_parser

    add_export_parser(commands)
    add_bilan_parser(commands)
    add_authoring_commands(commands)
    return parser


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
        if args.command in ("review", "export", "bilan"):
            from atelier import cli_reports

            return {"review": cli_reports.review, "export": cli_reports.export}.get(
                args.command, cli_reports.bilan
            )(args)
        if args.command in AUTHORING_COMMANDS:
            return run_authoring_command(args)
        from atelier.cli_run import run

        return run(args)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
