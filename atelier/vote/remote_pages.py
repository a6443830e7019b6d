"""The facilitator's page (HTML): the remote's big buttons, then the presenter view.

Made for a phone held in one hand: the buttons used most (next page, timer, reveal) come first
and fill the width; on a tablet or a laptop the same page lays them out in a grid. Each button
is a small form (POST, then back to the page: it works without JavaScript) carrying the state
key it was drawn with. With JavaScript, the page listens to its event stream and draws its
body again within a second of any change, wherever it came from (keyboard, another phone).
Same style, same accessibility rules and same CSP as the room's pages (atelier/vote/pages.py).
"""

from __future__ import annotations

from html import escape

from atelier.domain.remote import NOTE_LINE_MAX_CHARS, PresenterView, RemoteAction
from atelier.domain.wording import format_duration, format_timer
from atelier.vote.pages import STYLE

TITLE = "Télécommande de l'animateur"
PRESENTER = "Vue de l'animateur"
REMOTE = "Commandes"
WAITING = "L'application ne montre encore aucune étape."
STEP = "Étape {number} : {title}"
NEXT = "Ensuite : {title}"
ELAPSED = "Dans l'étape depuis {value}"
FORECAST = "Fin prévue : {value}"
TIMER = "{title} : {value}"
TIMER_RUNNING = "en cours"
TIMER_PAUSED = "en pause"
STAGE = "Sur scène : {name} ({status})"
NOTES = "Notes de {name}"
NO_NOTES = "Pas encore de notes."
ADD_NOTE = "Ajouter une ligne aux notes libres"
ADD_NOTE_SEND = "Ajouter aux notes"
INBOX = "Retours de la salle en attente : {count}"
INBOX_HINT = "^Y les accepte dans les notes, ^X les écarte (sur le portable)."
TALLY = "Votes : {statement}"
TALLY_REVEALED = "révélée"
TALLY_HIDDEN = "pas encore révélée (la salle ne voit pas ces chiffres)"
TALLY_LINE = "{label} : {votes} vote(s)"
TALLY_HANDS = ", {hands} main(s)"
ROOM_MODE_ON = "Mode salle : les notes sont cachées au projecteur."
ROOM_MODE_OFF = "Mode salle arrêté : les notes sont visibles au projecteur."
TEAM_CODES = "Codes des équipes (« Mon projet »)"
TEAM_CODES_HINT = (
    "Pour une équipe dont le téléphone qui montrait le code est perdu ou éteint : "
    "à lui dire, jamais au projecteur."
)
TEAM_CODES_NONE = "Aucun projet créé depuis un téléphone pour l'instant."
TEAM_CODE_PHONES = "{count} téléphone(s)"
NOSCRIPT = "Sans JavaScript, rechargez la page pour voir les changements faits ailleurs."
BAD_REQUEST = "Commande illisible : rechargez la page."
MESSAGES = {
    "ok": "Fait.",
    "note": "Ligne ajoutée aux notes et enregistrée.",
    "stale": (
        "Refusé : l'écran a changé entre-temps (une autre télécommande ou le clavier). "
        "Voici l'état actuel ; appuyez de nouveau si c'est toujours ce que vous voulez."
    ),
    "unavailable": "Cette commande ne fait rien sur l'écran affiché.",
    "no_stage": "Ce projet n'est plus sur scène : la ligne n'a pas été ajoutée (la voici).",
    "not_saved": "Fait, mais pas encore enregistré : le disque refuse. L'application réessaie.",
}

BUTTONS: tuple[tuple[RemoteAction, str, str], ...] = (
    (RemoteAction.PAGE_NEXT, "Page suivante", "^L"),
    (RemoteAction.PAGE_PREVIOUS, "Page précédente", "^K"),
    (RemoteAction.TIMER_TOGGLE, "Lancer / pause", "^T"),
    (RemoteAction.REVEAL, "Révéler la réponse", "Entrée"),
    (RemoteAction.ONWARD, "Suite (phase, échange, projet suivant)", "^N"),
    (RemoteAction.TIMER_MINUS, "− 1 min", "^R"),
    (RemoteAction.TIMER_PLUS, "+ 1 min", "^E"),
    (RemoteAction.ROOM_MODE, "Mode salle", "^O"),
    (RemoteAction.STEP_PREVIOUS, "Étape précédente", "^U"),
    (RemoteAction.STEP_NEXT, "Étape suivante", "^D"),
)
"""In the order a thumb needs them; the keyboard's key in the button's description."""

EXTRA_STYLE = """
.remote{display:grid;grid-template-columns:1fr 1fr;gap:.5em}
.remote form{margin:0;display:flex}
.remote form.wide{grid-column:1/-1}
.remote button{margin:0;min-height:3.2em;flex:1 1 auto;font-size:1.05em}
.remote button:disabled{opacity:.45;cursor:not-allowed;border-style:dashed}
.key{display:block;font-size:.7em;font-weight:normal}
@media (min-width:50em){.remote{grid-template-columns:repeat(4,1fr)}
header,main,footer{max-width:60em}}
.notes{white-space:pre-wrap}
.code{font-size:1.2em;letter-spacing:.08em;font-variant-numeric:tabular-nums}
dl{margin:0}dt{font-weight:bold;margin-top:.4em}dd{margin:0 0 .3em}
"""

SCRIPT = """(function () {
  'use strict';
  var body = document.body, base = body.getAttribute('data-base'), busy = false;
  var key = body.getAttribute('data-key');
  function tick() {
    var el = document.getElementById('timer-value');
    if (!el || el.getAttribute('data-running') !== '1') { return; }
    var left = parseFloat(el.getAttribute('data-left')) - 1;
    el.setAttribute('data-left', String(left));
    var s = Math.abs(Math.round(left)), m = Math.floor(s / 60);
    var text = (m < 10 ? '0' : '') + m + ':' + (s % 60 < 10 ? '0' : '') + (s % 60);
    el.textContent = (left < 0 ? '+' : '') + text;
  }
  function redraw() {
    if (busy) { return; }
    busy = true;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', base + '/vue');
    xhr.onload = function () {
      busy = false;
      if (xhr.status !== 200) { return; }
      var main = document.getElementById('main');
      var active = document.activeElement;
      var typing = active && active.tagName === 'TEXTAREA' && active.value;
      if (typing) { return; }  /* never wipe a line being typed */
      main.innerHTML = xhr.responseText;
      key = xhr.getResponseHeader('X-Atelier-Key') || key;
    };
    xhr.onerror = function () { busy = false; };
    xhr.send();
  }
  if (window.EventSource) {
    var source = new EventSource(base + '/flux');
    source.onmessage = function (event) {
      try { var data = JSON.parse(event.data); } catch (e) { return; }
      if (data.key !== key) { redraw(); }
    };
  } else {
    setInterval(redraw, 2000);
  }
  setInterval(tick, 1000);
})();
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def remote_page(
    view: PresenterView | None, path: str, *, message: str = "", typed: str = ""
) -> str:
    """The whole page: ``path`` is ``/<secret>/animateur``."""
    key = view.key if view is not None else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="robots" content="noindex">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(TITLE)}</title>\n"
        f"<style>{STYLE}{EXTRA_STYLE}</style>\n"
        "</head>\n"
        f'<body data-base="{_e(path)}" data-key="{_e(key)}">\n'
        f'<header><p class="brand">{_e(TITLE)}</p></header>\n'
        f'<main id="main">\n{remote_body(view, path, message=message, typed=typed)}\n</main>\n'
        f'<footer><noscript><p class="note">{_e(NOSCRIPT)}</p></noscript></footer>\n'
        f'<script src="{_e(path)}/pilote.js"></script>\n'
        "</body>\n</html>\n"
    )


def remote_body(
    view: PresenterView | None, path: str, *, message: str = "", typed: str = ""
) -> str:
    """What the page redraws after a change: status, buttons, presenter view."""
    parts: list[str] = []
    live = ""
    if message:
        css = "sent" if message in (MESSAGES["ok"], MESSAGES["note"]) else "error"
        live = f'<p class="{css}">{_e(message)}</p>'
    parts.append(f'<div role="status" aria-live="polite">{live}</div>')
    if view is None:
        parts.append(f"<h1>{_e(TITLE)}</h1><p>{_e(WAITING)}</p>")
        return "\n".join(parts)
    heading = (
        STEP.format(number=view.step_number, title=view.step_title)
        if view.step_number is not None
        else view.step_title or view.workshop_title
    )
    parts.append(f"<h1>{_e(heading)}</h1>")
    if view.page:
        parts.append(f'<p class="kicker">{_e(view.page)}</p>')
    parts.append(_timer(view))
    parts.append(f'<h2 class="sr-only">{_e(REMOTE)}</h2>')
    parts.append(_buttons(view, path))
    parts.append(f"<h2>{_e(PRESENTER)}</h2>")
    parts.append(_schedule(view))
    if view.team_codes is not None:
        parts.append(_team_codes(view))
    if view.tally:
        parts.append(_tally(view))
    if view.stage_project_id:
        parts.append(_stage(view, path, typed))
    return "\n".join(parts)


def _timer(view: PresenterView) -> str:
    if view.timer_remaining_s is None:
        return ""
    remaining = view.timer_remaining_s
    sign = "+" if remaining < 0 else ""
    value = sign + format_timer(abs(round(remaining)))
    state = TIMER_RUNNING if view.timer_running else TIMER_PAUSED
    return (
        f'<div class="panel"><p class="caption">{_e(view.timer_title)} · {_e(state)}</p>'
        f'<p class="timer" id="timer-value" data-running="{1 if view.timer_running else 0}" '
        f'data-left="{remaining:.1f}">{_e(value)}</p></div>'
    )


def _buttons(view: PresenterView, path: str) -> str:
    forms: list[str] = []
    for action, label, key in BUTTONS:
        disabled = "" if action in view.available else " disabled"
        wide = ' class="wide"' if action in (RemoteAction.PAGE_NEXT, RemoteAction.REVEAL) else ""
        text = label
        if action is RemoteAction.ROOM_MODE and view.room_mode is not None:
            text = f"{label} : {'activé' if view.room_mode else 'arrêté'}"
        forms.append(
            f'<form method="post" action="{_e(path)}/commande"{wide}>'
            f'<input type="hidden" name="action" value="{_e(action.value)}">'
            f'<input type="hidden" name="key" value="{_e(view.state_key)}">'
            f'<button type="submit" data-action="{_e(action.value)}"{disabled}>{_e(text)}'
            f'<span class="key">{_e(key)}</span></button></form>'
        )
    return f'<div class="remote">{"".join(forms)}</div>'


def _schedule(view: PresenterView) -> str:
    lines = []
    if view.step_elapsed_s is not None:
        lines.append(ELAPSED.format(value=format_duration(view.step_elapsed_s)))
    if view.lateness:
        lines.append(view.lateness)
    if view.forecast_end:
        lines.append(FORECAST.format(value=view.forecast_end))
    if view.next_step:
        lines.append(NEXT.format(title=view.next_step))
    items = "".join(f"<li>{_e(line)}</li>" for line in lines)
    return f"<ul>{items}</ul>" if items else ""


def _team_codes(view: PresenterView) -> str:
    assert view.team_codes is not None
    parts = [
        f'<section class="panel" aria-labelledby="codes-h"><h3 id="codes-h">{_e(TEAM_CODES)}</h3>'
        f'<p class="hint">{_e(TEAM_CODES_HINT)}</p>'
    ]
    if view.team_codes:
        items = "".join(
            f'<dt>{_e(team.name)}</dt><dd><strong class="code">{_e(team.code)}</strong> · '
            f"{_e(TEAM_CODE_PHONES.format(count=team.phones))}</dd>"
            for team in view.team_codes
        )
        parts.append(f"<dl>{items}</dl>")
    else:
        parts.append(f"<p>{_e(TEAM_CODES_NONE)}</p>")
    parts.append("</section>")
    return "".join(parts)


def _tally(view: PresenterView) -> str:
    state = TALLY_REVEALED if view.revealed else TALLY_HIDDEN
    rows = []
    for line in view.tally:
        text = TALLY_LINE.format(label=line.label, votes=line.votes)
        if line.hands is not None:
            text += TALLY_HANDS.format(hands=line.hands)
        rows.append(f"<li>{_e(text)}</li>")
    return (
        f'<section class="panel" aria-labelledby="tally-h"><h3 id="tally-h">'
        f"{_e(TALLY.format(statement=state))}</h3>"
        f"<p>{_e(view.statement)}</p><ul>{''.join(rows)}</ul></section>"
    )


def _stage(view: PresenterView, path: str, typed: str) -> str:
    parts = [
        f'<section class="panel" aria-labelledby="stage-h"><h3 id="stage-h">'
        f"{_e(STAGE.format(name=view.stage_name, status=view.stage_status))}</h3>"
    ]
    if view.inbox is not None:
        parts.append(f"<p>{_e(INBOX.format(count=view.inbox))}</p>")
        if view.inbox:
            parts.append(f'<p class="hint">{_e(INBOX_HINT)}</p>')
    if view.room_mode is not None:
        parts.append(f"<p>{_e(ROOM_MODE_ON if view.room_mode else ROOM_MODE_OFF)}</p>")
    parts.append(f"<h4>{_e(NOTES.format(name=view.stage_name))}</h4>")
    written = [note for note in view.notes if note.text.strip()]
    if written:
        items = "".join(
            f'<dt>{_e(n.label)}</dt><dd class="notes">{_e(n.text)}</dd>' for n in written
        )
        parts.append(f"<dl>{items}</dl>")
    else:
        parts.append(f"<p>{_e(NO_NOTES)}</p>")
    parts.append(
        f'<form method="post" action="{_e(path)}/note">'
        f'<input type="hidden" name="project" value="{_e(view.stage_project_id)}">'
        f'<label for="note-text">{_e(ADD_NOTE)}</label>'
        f'<textarea id="note-text" name="text" maxlength="{NOTE_LINE_MAX_CHARS}" required>'
        f"{_e(typed)}</textarea>"
        f'<button type="submit">{_e(ADD_NOTE_SEND)}</button></form></section>'
    )
    return "".join(parts)
