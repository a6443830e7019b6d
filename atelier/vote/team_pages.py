"""« Mon projet »: the page a team fills its own project on, during the self-assessment.

Plain HTML forms (each change is one POST answered by a redirect once it is on disk), so it
works without JavaScript; same document, styles and accessibility habits as the follow-along
page (atelier/vote/pages.py): one h1, headings in order, named buttons, ``aria-pressed`` on
the chosen level, a status line a screen reader hears. Everything from the content or typed
by a phone is escaped. A page only ever holds the projects of the phone that asks: never
another project, the facilitator's notes or pitch feedback (the view has no such field).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from atelier.domain import teams
from atelier.domain.content_grid import Assessment, Grid
from atelier.domain.follow import TimerView
from atelier.domain.teams import EditKind, TeamRefusal
from atelier.vote.pages import (
    TIMER_EXPIRED,
    TIMER_LEFT,
    VOTE_POLL_MS,
    _document,
    _e,
    timer_caption,
    timer_label,
    warning_text,
)

TITLE = "Mon projet"
BACK = "Revenir au suivi de la séance"
CLOSED = "Les projets se remplissent pendant l'auto-évaluation, quand l'animateur la lance."
TYPED = "Ce que vous aviez tapé :"
CREATE_TITLE = "Créer le projet de l'équipe"
CREATE_NAME = "Nom du projet ({limit} caractères au plus)"
CREATE_CARRIERS = "Porteurs du projet (facultatif)"
CREATE_SEND = "Créer le projet"
JOIN_TITLE = "Rejoindre le projet de son équipe"
JOIN_HINT = (
    "Le code est sur le téléphone de la personne qui a créé le projet ; l'animateur l'a aussi."
)
JOIN_CODE = "Code du projet"
JOIN_SEND = "Rejoindre"
CODE_LINE = "Code pour rejoindre ce projet : {code}"
CODE_HINT = "À donner aux membres de l'équipe, pas au reste de la salle."
SAVED = "Enregistré"
"""The style draws « ✔ » before it (``.sent``), as before every confirmation."""
NOT_SAVED = "Pas encore enregistré : l'ordinateur de l'animateur n'a pas pu écrire. Réessayez."
STATE_SAVED = "Tout est enregistré."
COMMENT = "Commentaire : {name}"
COMMENT_SEND = "Enregistrer le commentaire"
LEVEL_CHOSEN = "✔ "
PROGRESS_ON = "✚ Marge de progression : oui"
PROGRESS_OFF = "Marge de progression : non"
AXES_SEND = "Enregistrer les axes"
PREP_SEND = "Enregistrer la réponse"
PITCH_ON = "✔ Je veux pitcher"
PITCH_OFF = "Je veux pitcher"
PITCH_HINT = "Votre projet sera proposé à l'animateur pour le tour de pitchs."
OTHER_PROJECT = "Aller à mon projet « {name} »"
TIMER_NOSCRIPT = (
    "Sans JavaScript, le minuteur montre le temps restant au chargement de la page : "
    "rechargez-la pour le mettre à jour."
)
PHASE_CHANGED = (
    "L'animateur a changé de phase : enregistrez ce que vous tapez, puis rechargez la page."
)

ERRORS = {
    TeamRefusal.CLOSED: "L'auto-évaluation n'est pas en cours : rien n'a changé.",
    TeamRefusal.NO_RIGHT: "Ce téléphone ne peut modifier que le projet qu'il a créé ou rejoint.",
    TeamRefusal.BAD_CODE: "Aucun projet n'a ce code : vérifiez-le sur le téléphone de l'équipe.",
    TeamRefusal.UNKNOWN_FIELD: "Ce choix n'existe pas dans la grille : rechargez la page.",
    TeamRefusal.EMPTY: "Donnez un nom au projet.",
    TeamRefusal.TOO_LONG: "Texte trop long : raccourcissez-le.",
    TeamRefusal.CONTROL: "Le texte contient des caractères invisibles : retapez-le.",
    TeamRefusal.DEVICE_CAP: "Ce téléphone ou ce projet a atteint sa limite.",
    TeamRefusal.CODE_CAP: "Trop de codes essayés : attendez une minute.",
    TeamRefusal.NOT_SAVED: NOT_SAVED,
}
BAD_REQUEST = "Demande illisible : rechargez la page."


@dataclass(frozen=True, slots=True)
class ScoreView:
    level: str | None = None
    comment: str = ""
    progress: bool = False


@dataclass(frozen=True, slots=True)
class TeamView:
    """One project as its own phones see it: nothing but what they may edit."""

    project_id: str
    name: str
    carriers: str
    join_code: str
    scores: dict[str, ScoreView] = field(default_factory=dict)
    axes: str = ""
    prep: dict[str, str] = field(default_factory=dict)
    wants_to_pitch: bool = False


@dataclass(frozen=True, slots=True)
class TeamContext:
    """The assessment as it runs: which phase, its instructions and timer."""

    phase_index: int
    phase_count: int
    phase_name: str
    instructions: str
    timer: TimerView | None
    saved: bool = True
    """False while the app's last save failed: the page says « pas encore enregistré »."""


@dataclass(frozen=True, slots=True)
class TeamNotice:
    """What the page says after a change: saved, or why not (and what was typed)."""

    saved: bool = False
    error: str | None = None
    target: str = ""
    typed: str = ""


def part_of(phase_index: int, phase_count: int) -> str:
    """What a phase asks of the teams: the grid first, the pitch preparation last, the
    progress marks and axes between (the order of the content's phases)."""
    if phase_index == 0:
        return "grid"
    if phase_index == phase_count - 1:
        return "prep"
    return "axes"


def _hidden(kind: EditKind, project_id: str, target: str = "") -> str:
    out = f'<input type="hidden" name="action" value="{_e(kind.value)}">'
    if project_id:
        out += f'<input type="hidden" name="project" value="{_e(project_id)}">'
    if target:
        out += f'<input type="hidden" name="target" value="{_e(target)}">'
    return out


def _form(base: str, anchor: str = "") -> str:
    action = f"{base}projet" + (f"#{anchor}" if anchor else "")
    return f'<form method="post" action="{_e(action)}">'


def team_page(
    context: TeamContext | None,
    projects: list[TeamView],
    selected: str | None,
    grid: Grid,
    workshop_assessment: Assessment,
    base: str,
    notice: TeamNotice | None = None,
    key: str = "",
) -> str:
    """The whole page. ``key``: the projection's key it was drawn with (the script listens
    to the follow page's event stream and fetches :func:`phase_fragment` when it changes)."""
    notice = notice or TeamNotice()
    out: list[str] = []
    project = next((p for p in projects if p.project_id == selected), None)
    if project is None and projects:
        project = projects[0]
    out.append(f"<h1>{_e(project.name if project else TITLE)}</h1>")
    out.append(_status(context, notice))
    out.append(f'<div id="phase-head">{phase_fragment(context)}</div>')
    out.append(
        '<div id="annonce" class="sr-only" role="status" aria-live="polite" '
        'aria-atomic="true"></div>'
    )
    if context is None:
        if notice.typed.strip():  # nothing typed is lost: the team can copy it elsewhere
            out.append(f"<p>{_e(TYPED)}</p><blockquote><p>{_e(notice.typed)}</p></blockquote>")
    else:
        if project is None:
            out.extend(_create_and_join(base, notice))
        else:
            out.extend(_project(context, project, grid, workshop_assessment, base, notice))
    for other in projects:
        if project is not None and other.project_id != project.project_id:
            href = f"{base}projet?p={other.project_id}"
            text = OTHER_PROJECT.format(name=other.name)
            out.append(f'<p><a href="{_e(href)}">{_e(text)}</a></p>')
    here = f"{base}projet" + (f"?p={project.project_id}" if project is not None else "")
    return _document(
        f"{project.name if project else TITLE} — {TITLE}",
        "\n".join(out),
        base=base,
        attributes={
            "page": "team",
            "state": f"{base}etat",
            "stream": f"{base}flux",
            "live": f"{base}projet/phase",
            "key": key,
            "every": str(VOTE_POLL_MS),
            "phase": phase_id(context),
            "here": here,
            "changed": PHASE_CHANGED,
            "typed": "1" if notice.typed.strip() else "",
        },
        refresh_s=None,
        links=[(base, BACK)],
    )


def _status(context: TeamContext | None, notice: TeamNotice) -> str:
    if notice.error is not None:
        text = (
            ERRORS.get(TeamRefusal(notice.error), BAD_REQUEST)
            if notice.error in set(TeamRefusal)
            else BAD_REQUEST
        )
        return f'<p class="error" role="alert">{_e(text)}</p>'
    if context is not None and not context.saved:
        return f'<p class="error" role="alert">{_e(NOT_SAVED)}</p>'
    if notice.saved:
        return f'<p class="sent" role="status">{_e(SAVED)}</p>'
    return f'<p class="hint" role="status">{_e(STATE_SAVED)}</p>'


def phase_id(context: TeamContext | None) -> str:
    """Which form the page holds (« 0/3 »…, empty when closed): a page whose phase is no
    longer the one in progress reloads (or says so, when something is being typed)."""
    return "" if context is None else f"{context.phase_index}/{context.phase_count}"


def phase_fragment(context: TeamContext | None) -> str:
    """The top of the page (the inside of ``#phase-head``): the phase in progress, its live
    timer and its instructions; what the script puts in place when the projector changes."""
    if context is None:
        return f'<p class="hint">{_e(CLOSED)}</p>'
    parts = [
        f'<section aria-labelledby="phase" data-phase="{_e(phase_id(context))}">'
        f'<h2 id="phase">'
        f"{_e(f'{context.phase_index + 1}/{context.phase_count} {context.phase_name}')}</h2>"
    ]
    timer = context.timer
    if timer is not None:
        remaining = timer.remaining_s
        parts.append(
            f'<div class="panel"><p class="timer" id="timer" data-remaining="{remaining:.3f}" '
            f'data-running="{1 if timer.running else 0}" data-warning="{timer.warning_s:g}" '
            f'data-warn="{_e(warning_text(timer.warning_s))}" data-zero="{_e(TIMER_EXPIRED)}">'
            f'<span class="sr-only">{_e(TIMER_LEFT)}</span>'
            f'<span id="timer-digits">{_e(timer_label(remaining))}</span></p>'
            f'<p class="caption" id="timer-caption">{_e(timer_caption(timer, remaining))}</p>'
            f'<noscript><p class="hint">{_e(TIMER_NOSCRIPT)}</p></noscript></div>'
        )
    if context.instructions:
        parts.append(f"<p>{_e(context.instructions)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _create_and_join(base: str, notice: TeamNotice) -> list[str]:
    typed_name = notice.typed if notice.target == "name" else ""
    typed_code = notice.typed if notice.target == "code" else ""
    return [
        f'<section aria-labelledby="creer"><h2 id="creer">{_e(CREATE_TITLE)}</h2>',
        _form(base),
        _hidden(EditKind.CREATE, ""),
        f'<label for="nom">{_e(CREATE_NAME.format(limit=teams.NAME_MAX))}</label>'
        f'<input type="text" id="nom" name="value" required maxlength="{teams.NAME_MAX}" '
        f'value="{_e(typed_name)}">',
        f'<label for="porteurs">{_e(CREATE_CARRIERS)}</label>'
        f'<input type="text" id="porteurs" name="carriers" maxlength="{teams.CARRIERS_MAX}">',
        f'<p><button type="submit">{_e(CREATE_SEND)}</button></p></form></section>',
        f'<section aria-labelledby="rejoindre"><h2 id="rejoindre">{_e(JOIN_TITLE)}</h2>',
        f'<p class="hint">{_e(JOIN_HINT)}</p>',
        _form(base),
        _hidden(EditKind.JOIN, ""),
        f'<label for="code">{_e(JOIN_CODE)}</label>'
        f'<input type="text" id="code" name="value" required maxlength="16" '
        f'autocomplete="off" autocapitalize="characters" value="{_e(typed_code)}">',
        f'<p><button type="submit">{_e(JOIN_SEND)}</button></p></form></section>',
    ]


def _project(
    context: TeamContext,
    project: TeamView,
    grid: Grid,
    workshop_assessment: Assessment,
    base: str,
    notice: TeamNotice,
) -> list[str]:
    code = teams.display_code(project.join_code)
    out = [
        f'<p class="code"><strong>{_e(CODE_LINE.format(code=code))}</strong></p>'
        f'<p class="hint">{_e(CODE_HINT)}</p>'
    ]
    part = part_of(context.phase_index, context.phase_count)
    pid = project.project_id

    def typed(target: str, stored: str) -> str:
        return notice.typed if notice.error and notice.target == target else stored

    if part == "grid":
        for dimension in grid.dimensions:
            out.append(f"<h2>{_e(dimension.name)}</h2>")
            for criterion in dimension.criteria:
                score = project.scores.get(criterion.id, ScoreView())
                out.append(
                    f'<section id="{_e(criterion.id)}" aria-labelledby="t-{_e(criterion.id)}">'
                    f'<h3 id="t-{_e(criterion.id)}">{_e(criterion.name)}</h3>'
                )
                for level in grid.levels:
                    chosen = score.level == level.id
                    mark = LEVEL_CHOSEN if chosen else ""
                    descriptor = criterion.descriptors.get(level.id, "")
                    out.append(
                        _form(base, criterion.id)
                        + _hidden(EditKind.LEVEL, pid, criterion.id)
                        + f'<button type="submit" name="value" value="{_e(level.id)}" '
                        f'class="level" aria-pressed="{"true" if chosen else "false"}">'
                        f"<strong>{_e(mark + level.label)}</strong> "
                        f"<span>{_e(descriptor)}</span></button></form>"
                    )
                field_id = f"c-{criterion.id}"
                out.append(
                    _form(base, criterion.id)
                    + _hidden(EditKind.COMMENT, pid, criterion.id)
                    + f'<label for="{_e(field_id)}">{_e(COMMENT.format(name=criterion.name))}'
                    f'</label><textarea id="{_e(field_id)}" name="value" rows="2" '
                    f'maxlength="{teams.COMMENT_MAX}">'
                    f"{_e(typed(criterion.id, score.comment))}</textarea>"
                    f'<p><button type="submit">{_e(COMMENT_SEND)}</button></p></form></section>'
                )
    elif part == "axes":
        for criterion in grid.criteria:
            score = project.scores.get(criterion.id, ScoreView())
            label = PROGRESS_ON if score.progress else PROGRESS_OFF
            out.append(
                f'<section id="{_e(criterion.id)}"><h2>{_e(criterion.name)}</h2>'
                + _form(base, criterion.id)
                + _hidden(EditKind.PROGRESS, pid, criterion.id)
                + f'<button type="submit" name="value" value="{"" if score.progress else "1"}" '
                f'aria-pressed="{"true" if score.progress else "false"}">{_e(label)}</button>'
                "</form></section>"
            )
        out.append(
            f'<section id="axes"><h2>{_e(workshop_assessment.axes_heading)}</h2>'
            + _form(base, "axes")
            + _hidden(EditKind.AXES, pid)
            + f'<label for="t-axes">{_e(workshop_assessment.axes_heading)}</label>'
            f'<textarea id="t-axes" name="value" rows="6" maxlength="{teams.AXES_MAX}">'
            f"{_e(typed('', project.axes))}</textarea>"
            f'<p><button type="submit">{_e(AXES_SEND)}</button></p></form></section>'
        )
    else:
        phase = workshop_assessment.phases[context.phase_index]
        out.append(f"<h2>{_e(workshop_assessment.pitch_prep_heading)}</h2>")
        for prompt in phase.prompts:
            field_id = f"p-{prompt.id}"
            out.append(
                f'<section id="{_e(field_id)}">'
                + _form(base, field_id)
                + _hidden(EditKind.PREP, pid, prompt.id)
                + f'<label for="t-{_e(field_id)}">{_e(prompt.id)}. {_e(prompt.text)}</label>'
                f'<textarea id="t-{_e(field_id)}" name="value" rows="4" '
                f'maxlength="{teams.PREP_MAX}">'
                f"{_e(typed(prompt.id, project.prep.get(prompt.id, '')))}</textarea>"
                f'<p><button type="submit">{_e(PREP_SEND)}</button></p></form></section>'
            )
        label = PITCH_ON if project.wants_to_pitch else PITCH_OFF
        out.append(
            '<section id="pitcher">'
            + _form(base, "pitcher")
            + _hidden(EditKind.VOLUNTEER, pid)
            + f'<button type="submit" name="value" value="{"" if project.wants_to_pitch else "1"}"'
            f' aria-pressed="{"true" if project.wants_to_pitch else "false"}">{_e(label)}</button>'
            f'</form><p class="hint">{_e(PITCH_HINT)}</p></section>'
        )
    return out
