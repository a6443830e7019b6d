"""The authoring commands: ``atelier new``, ``atelier schema``, ``atelier import-quiz``.

For facilitators who write their own workshop: start from a valid one, get completion and
checking in their editor, bring a quiz over from an online quiz tool. Errors are
:class:`~atelier.errors.AtelierError` like everywhere else (cli.py prints them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from atelier.errors import EXIT_OK

AUTHORING_COMMANDS = ("new", "schema", "import-quiz")


def add_authoring_commands(commands: Any) -> None:
    """Add the three sub-commands to ``commands`` (argparse sub-parsers)."""
    new = commands.add_parser(
        "new",
        help="créer un nouvel atelier à modifier (valide dès le départ)",
        add_help=False,
        description="Écrit dans DOSSIER un petit atelier commenté et valide (toutes les sortes "
        "d'étapes, un quiz à deux réponses, une grille 2 × 3, un tour de pitchs), ou une copie "
        "de l'atelier donné par --from. L'identifiant de l'atelier devient le nom du dossier ; "
        "le schéma atelier.schema.json est écrit à côté pour l'éditeur.",
    )
    new.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    new.add_argument("folder", metavar="DOSSIER", help="le nouveau dossier (absent ou vide)")
    new.add_argument(
        "--from",
        dest="source",
        metavar="ATELIER",
        help="copier cet atelier (un dossier, ex. content/atis-2020-05-19) au lieu du modèle",
    )

    schema = commands.add_parser(
        "schema",
        help="écrire le schéma JSON des fichiers d'atelier (complétion dans l'éditeur)",
        add_help=False,
        description="Écrit atelier.schema.json dans DOSSIER (défaut : le dossier courant). "
        "Une première ligne « # yaml-language-server: $schema=atelier.schema.json » dans "
        "chaque fichier YAML permet à l'éditeur (VS Code avec l'extension YAML, Neovim, "
        "Helix…) de compléter et de vérifier pendant la frappe.",
    )
    schema.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    schema.add_argument("folder", nargs="?", default=".", metavar="DOSSIER")

    quiz = commands.add_parser(
        "import-quiz",
        help="importer un quiz VRAI / FAUX depuis un tableur (CSV ou XLSX)",
        add_help=False,
        description="Lit le modèle courant des outils de quiz en ligne (une question par "
        "ligne ; colonnes Question, Answer 1…4 ou Option 1…, Correct answer, et Explanation "
        "facultative), garde les questions VRAI / FAUX (et « pas forcément ») et écrit "
        "quiz.yaml ; chaque ligne ignorée est citée avec son numéro.",
    )
    quiz.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    quiz.add_argument("file", metavar="FICHIER", help="le tableur (.csv ou .xlsx)")
    quiz.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        default="quiz.yaml",
        help="fichier à écrire (défaut : quiz.yaml dans le dossier courant)",
    )
    quiz.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")


def run_authoring_command(args: argparse.Namespace) -> int:
    if args.command == "new":
        return _new(args)
    if args.command == "schema":
        return _schema(args)
    return _import_quiz(args)


def _new(args: argparse.Namespace) -> int:
    from atelier.store.content_loader import summarize
    from atelier.store.scaffold import create_workshop

    target = Path(args.folder)
    workshop = create_workshop(target, Path(args.source) if args.source else None)
    sys.stdout.write(
        summarize(workshop, target)
        + "\n\nÀ vous : modifiez les fichiers .yaml du dossier (le guide : content/README.md),\n"
        f"puis  atelier validate {target}\n"
        f"et    atelier run {target}\n"
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from atelier.store.content_schema import SCHEMA_FILE_NAME, modeline, write_schema

    written = write_schema(Path(args.folder))
    sys.stdout.write(
        f"Schéma écrit : {written}\n"
        "Pour que l'éditeur complète et vérifie un fichier d'atelier, mettez en première "
        "ligne :\n"
        f"  {modeline(SCHEMA_FILE_NAME)}\n"
        "(chemin relatif au fichier YAML, par exemple ../atelier.schema.json depuis un "
        "sous-dossier).\n"
    )
    return EXIT_OK


def _import_quiz(args: argparse.Namespace) -> int:
    from atelier.store.quiz_import import import_quiz, write_quiz

    source = Path(args.file)
    result = import_quiz(source)
    out = sys.stdout
    if args.output == "-":
        out.write(result.text)
    else:
        target = Path(args.output)
        write_quiz(result, target, force=args.force)
        out.write(f"✔ {target} : {len(result.kept)} question(s) importée(s) de {source.name}.\n")
    if result.skipped:
        sys.stderr.write(
            f"{len(result.skipped)} ligne(s) ignorée(s) (notées aussi en commentaire) :\n"
            + "".join(f"  - ligne {n} : {why}\n" for n, why in result.skipped)
        )
    if args.output != "-":
        out.write(
            "Placez ce fichier dans le dossier de l'atelier (à la place de sa section "
            "« quiz: »), puis : atelier validate DOSSIER\n"
        )
    return EXIT_OK
