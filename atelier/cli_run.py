"""``atelier run``: choose the session (resume today's, ``--session``, ``--new``), run the app
on it, and on every way out save it, write a rescue copy if the disk refuses, and print the
command that resumes it. Imports are lazy: nothing here loads Textual before the app starts."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

from atelier.cli_output import say as _say
from atelier.errors import EXIT_OK, EXIT_RUNTIME, AtelierError

if TYPE_CHECKING:
    from atelier.domain.clock import Clock
    from atelier.domain.content import Workshop
    from atelier.domain.session import SessionRecord
    from atelier.store.session_store import OpenSession, SessionStore
    from atelier.tui.app import AtelierApp
    from atelier.tui.vote import VoteOptions


def run(args: argparse.Namespace) -> int:
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

    _session_path_as_folder(args)
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


def _raise_fd_limit() -> None:
    """The soft limit of open files goes up to the hard one where allowed (a desktop's 1024,
    macOS's 256): the phones' connections and the store share it."""
    from atelier.vote.connections import raise_fd_limit

    raise_fd_limit()


def _session_path_as_folder(args: argparse.Namespace) -> None:
    """``--session`` given as a path (``sessions/2020-05-19-atis``, a copied folder, or its
    ``session.yaml``), as ``review`` and ``export`` take it: the session of that name in that
    folder. Said otherwise (``--sessions-dir`` elsewhere too), it is refused, not guessed."""
    from atelier.errors import SessionError
    from atelier.store.session_format import SESSION_FILE

    text = args.session
    if not text or ("/" not in text and os.sep not in text):
        return
    folder = Path(text)
    if folder.name == SESSION_FILE:
        folder = folder.parent
    if not folder.name or folder.name in (".", ".."):
        raise SessionError(
            f"--session « {text} » refusé : ce chemin ne nomme pas un dossier de session "
            "(atelier sessions les liste)"
        )
    parent = folder.parent
    if args.sessions_dir is not None and Path(args.sessions_dir).resolve() != parent.resolve():
        raise SessionError(
            f"--session « {text} » est dans {parent}, pas dans --sessions-dir "
            f"{args.sessions_dir} : donnez l'un ou l'autre (--session {folder.name} "
            f"--sessions-dir {parent})"
        )
    args.sessions_dir = str(parent)
    args.session = folder.name


def _check_session_option(name: str | None) -> None:
    """``--session NOM`` must name a session: an empty or unusable name is refused, never
    silently replaced by the default one."""
    from atelier.domain.session import check_session_name
    from atelier.errors import SessionError

    if name is not None and (why := check_session_name(name)) is not None:
        raise SessionError(f"--session « {name} » refusé : {why}")
