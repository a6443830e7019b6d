"""The phones' pages: plain HTML (French), big buttons, a few lines of ES5 that poll.

Built as strings with every piece of content escaped; no template engine, no framework, so
an old phone's browser shows them, and without JavaScript they still work (a form that
posts, and a ``<meta refresh>`` inside ``<noscript>``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from atelier.domain.content import Quiz

# -- French texts (the phones' side of the UI) ----------------------------------------------

TITLE = "Quiz — atelier"
SPEAKER_TITLE = "Temps de parole — atelier"
WAITING = "Pas de question en cours."
WAITING_HINT = "Gardez cette page ouverte : elle suivra le quiz toute seule."
PROGRESS = "Question {index} / {count}"
CHOOSE = "Touchez votre réponse :"
CHANGE_HINT = "Vous pouvez changer d'avis jusqu'à la révélation."
YOUR_CHOICE = "Votre réponse : {label}"
CHOSEN_MARK = "✔ "
ANSWER_IS = "Réponse : {symbol} {label}"
YOU_WERE_RIGHT = "Vous avez répondu {label} : bien vu !"
YOU_WERE_WRONG = "Vous avez répondu {label}."
YOU_DID_NOT_VOTE = "Vous n'avez pas voté pour cette question."
NO_TIMER = "—"
SPEAKER_LINK = "Vous pitchez ? Votre temps de parole ici"
BACK = "Retour à la question"
NOSCRIPT = "Cette page se recharge toute seule toutes les quelques secondes."

ERRORS = {
    "closed": "Trop tard : la réponse a été révélée.",
    "not_open": "Cette question n'est plus à l'écran.",
    "unknown_statement": "Question inconnue.",
    "unknown_answer": "Réponse inconnue.",
    "address_cap": "Trop de votes depuis cet appareil ou ce réseau.",
    "bad_request": "Vote illisible.",
}

VOTE_POLL_MS = 2000
SPEAKER_POLL_MS = 1000

STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
background:#fff;color:#111;font-size:20px;line-height:1.4}
main{max-width:40em;margin:0 auto;padding:1em}
.progress,.hint,.note{color:#444;font-size:.9em}
h1{font-size:1.4em;margin:.4em 0 .8em}
form{margin:0}
button{display:block;width:100%;min-height:3.2em;margin:0 0 .7em;padding:.5em;
font-size:1.3em;font-weight:bold;border:3px solid #111;border-radius:.4em;
background:#f2f2f2;color:#111}
button.chosen{background:#111;color:#fff}
.answer{font-size:1.6em;font-weight:bold;margin:.4em 0}
.mine{font-weight:bold}
.error{border:3px solid #b00;padding:.5em;font-weight:bold}
.explanation{border-top:2px solid #ccc;margin-top:1em}
.timer{font-size:26vw;font-weight:bold;text-align:center;margin:.2em 0;
font-variant-numeric:tabular-nums;line-height:1.1}
.caption{text-align:center;font-size:1.3em;min-height:1.4em}
.step{text-align:center;color:#444}
"""

SCRIPT = """(function () {
  var body = document.body;
  var stateUrl = body.getAttribute('data-state');
  var home = body.getAttribute('data-home');
  var key = body.getAttribute('data-key');
  var kind = body.getAttribute('data-page');
  var every = parseInt(body.getAttribute('data-every'), 10) || 2000;
  function text(id, value) {
    var node = document.getElementById(id);
    if (node && node.textContent !== value) { node.textContent = value; }
  }
  // A tap votes in the background (one request, no page reload); without this script the
  // form posts and the server answers with a redirect to the page.
  var form = document.getElementById('vote');
  function choose(button) {
    var buttons = form.getElementsByTagName('button');
    for (var i = 0; i < buttons.length; i++) {
      var chosen = buttons[i] === button;
      buttons[i].className = chosen ? 'chosen' : '';
      buttons[i].textContent = (chosen ? form.getAttribute('data-mark') : '') +
        buttons[i].getAttribute('data-label');
    }
    text('mine', form.getAttribute('data-choice').replace('{label}',
      button.getAttribute('data-label')));
  }
  function send(button) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'), true);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.timeout = 8000;
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status === 200) { choose(button); } else { location.replace(home); }
    };
    xhr.send(JSON.stringify({statement: form.elements.statement.value,
                             answer: button.getAttribute('value')}));
  }
  if (form && window.JSON && form.addEventListener) {
    var buttons = form.getElementsByTagName('button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) {
        event.preventDefault();
        send(this);
      }, false);
    }
  }
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', stateUrl, true);
    xhr.timeout = 5000;
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var state = null;
      if (xhr.status === 200) {
        try { state = JSON.parse(xhr.responseText); } catch (e) { state = null; }
      }
      if (state && kind === 'vote' && state.key !== key) {
        location.replace(home);
        return;
      }
      if (state && kind === 'speaker') {
        text('label', state.label);
        text('caption', state.caption);
        text('step', state.title);
      }
      setTimeout(poll, every);
    };
    xhr.send();
  }
  setTimeout(poll, every);
})();
"""


@dataclass(frozen=True)
class SpeakerView:
    """What the speaker's phone shows: the countdown label (« 01:45 », « +0:12 »), the state
    in words, and the step's title."""

    label: str
    caption: str = ""
    title: str = ""


@dataclass(frozen=True)
class VoteView:
    """What one phone's vote page shows."""

    item_id: str | None
    revealed: bool
    key: str  # PublicState.key: the page reloads when the polled key differs
    mine: str | None  # the answer id this device chose, if any
    error: str | None = None  # a key of ERRORS


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def markdown_lite(text: str) -> str:
    """The explanation's Markdown, reduced to paragraphs and bold, everything else escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        escaped = _BOLD.sub(r"<strong>\1</strong>", _e(paragraph))
        escaped = escaped.replace("*", "").replace("\n", "<br>")
        out.append(f"<p>{escaped}</p>")
    return "\n".join(out)


def _document(
    title: str,
    body: str,
    *,
    base: str,
    page: str,
    state_url: str,
    key: str,
    every_ms: int,
    refresh_s: int,
) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{STYLE}</style>\n"
        f'<noscript><meta http-equiv="refresh" content="{refresh_s}"></noscript>\n'
        "</head>\n"
        f'<body data-page="{page}" data-home="{_e(base)}" data-state="{_e(state_url)}" '
        f'data-key="{_e(key)}" data-every="{every_ms}">\n'
        f"<main>\n{body}\n</main>\n"
        f'<noscript><p class="note">{_e(NOSCRIPT)}</p></noscript>\n'
        f'<script src="{_e(base)}app.js"></script>\n'
        "</body>\n</html>\n"
    )


def vote_page(quiz: Quiz, view: VoteView, base: str) -> str:
    """The page a participant's phone shows; ``base`` is ``/<token>/``."""
    parts: list[str] = []
    if view.error:
        parts.append(f'<p class="error" role="alert">{_e(ERRORS[view.error])}</p>')
    if view.item_id is None:
        parts.append(f"<h1>{_e(WAITING)}</h1>")
        parts.append(f'<p class="hint">{_e(WAITING_HINT)}</p>')
    else:
        index = [item.id for item in quiz.items].index(view.item_id)
        item = quiz.items[index]
        progress = PROGRESS.format(index=index + 1, count=len(quiz.items))
        parts.append(f'<p class="progress">{_e(quiz.title)} · {_e(progress)}</p>')
        parts.append(f"<h1>« {_e(item.statement)} »</h1>")
        mine = quiz.answer(view.mine) if view.mine else None
        if not view.revealed:
            parts.append(f'<p class="hint">{_e(CHOOSE)}</p>')
            choice = YOUR_CHOICE.format(label="{label}")
            parts.append(
                f'<form id="vote" method="post" action="{_e(base)}vote" '
                f'data-choice="{_e(choice)}" data-mark="{_e(CHOSEN_MARK)}">'
            )
            parts.append(f'<input type="hidden" name="statement" value="{_e(item.id)}">')
            for answer in quiz.answers:
                chosen = mine is not None and answer.id == mine.id
                mark = CHOSEN_MARK if chosen else ""
                css = ' class="chosen"' if chosen else ""
                parts.append(
                    f'<button type="submit" name="answer" value="{_e(answer.id)}"{css} '
                    f'data-label="{_e(answer.label)}">{_e(mark + answer.label)}</button>'
                )
            parts.append("</form>")
            mine_text = YOUR_CHOICE.format(label=mine.label) if mine is not None else ""
            parts.append(f'<p class="mine" id="mine">{_e(mine_text)}</p>')
            parts.append(f'<p class="note">{_e(CHANGE_HINT)}</p>')
        else:
            right = quiz.answer(item.answer)
            parts.append(
                f'<p class="answer">{_e(ANSWER_IS.format(symbol=right.symbol, label=right.label))}'
                "</p>"
            )
            if mine is None:
                parts.append(f'<p class="mine">{_e(YOU_DID_NOT_VOTE)}</p>')
            elif mine.id == right.id:
                parts.append(f'<p class="mine">{_e(YOU_WERE_RIGHT.format(label=mine.label))}</p>')
            else:
                parts.append(f'<p class="mine">{_e(YOU_WERE_WRONG.format(label=mine.label))}</p>')
            if item.explanation:
                parts.append(f'<div class="explanation">{markdown_lite(item.explanation)}</div>')
    if view.error:
        parts.append(f'<p><a href="{_e(base)}">{_e(BACK)}</a></p>')
    parts.append(f'<p class="note"><a href="{_e(base)}orateur">{_e(SPEAKER_LINK)}</a></p>')
    return _document(
        TITLE,
        "\n".join(parts),
        base=base,
        page="vote",
        state_url=f"{base}etat",
        key=view.key,
        every_ms=VOTE_POLL_MS,
        refresh_s=5,
    )


def speaker_page(view: SpeakerView | None, base: str) -> str:
    """The read-only countdown for the person pitching (« — » when no countdown runs)."""
    label, caption, title = speaker_fields(view)
    body = (
        f'<p class="step" id="step">{_e(title)}</p>\n'
        f'<p class="timer" id="label" aria-live="polite">{_e(label)}</p>\n'
        f'<p class="caption" id="caption">{_e(caption)}</p>'
    )
    return _document(
        SPEAKER_TITLE,
        body,
        base=base,
        page="speaker",
        state_url=f"{base}orateur/etat",
        key="",
        every_ms=SPEAKER_POLL_MS,
        refresh_s=2,
    )


def speaker_fields(view: SpeakerView | None) -> tuple[str, str, str]:
    if view is None:
        return NO_TIMER, "", ""
    return view.label or NO_TIMER, view.caption, view.title
