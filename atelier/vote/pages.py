"""The phones' pages: plain, accessible HTML (French), built as strings with every piece of
content escaped; no template engine, no framework, so an old phone's browser shows them.

- The **follow-along page** (what the QR code opens) shows what the projector shows, taken
  from the app's :class:`~atelier.domain.follow.Projection`: the step, the info page, the quiz
  statement (and its vote buttons), the answer once revealed, the running timer, the project
  on stage with a link to send it a feedback card.
- The **card page** (« Donner un retour à … ») is a form that works without any script.
- The **speaker page** is the countdown in big digits for the person pitching.

Accessibility by construction: ``lang="fr"``, one ``h1`` then headings in order, landmarks
(banner, main, contentinfo), lists, labelled controls, ``aria-pressed`` on the answers, one
polite live region for what must be heard (the vote taken, the timer's warning and its end,
a new page) and never the seconds; sizes in ``em``/``rem`` so the phone's text size and zoom
apply; long words wrap instead of pushing the page sideways; light and dark colours from the
phone's setting (:data:`LIGHT`, :data:`DARK`, contrast checked by the tests); a mark (✔) and
a border beside every colour cue. Without JavaScript the pages still read (a form that posts,
a ``<meta refresh>`` inside ``<noscript>``).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from atelier.domain.content_quiz import Quiz
from atelier.domain.follow import Projection, QuizView, StageStatus, TimerView
from atelier.vote.page_assets import STYLE

VOTE_POLL_MS = 2000
SPEAKER_POLL_MS = 1000
FOLLOW_REFRESH_S = 5
"""Without JavaScript the follow-along page reloads this often."""

# -- French texts (the phones' side of the UI) ----------------------------------------------

TITLE = "Atelier en direct"
SPEAKER_TITLE = "Temps de parole"
CARD_TITLE = "Donner un retour"
WAITING = "L'atelier va commencer."
WAITING_HINT = "Gardez cette page ouverte : elle suit l'écran de la salle toute seule."
STEP = "Étape {number}"
STEP_OF = "Étape {number}/{count}"
PAGE_POSITION = "Page {index} sur {count}"
PROGRESS = "Question {index} sur {count}"
CHOOSE = "Touchez votre réponse. Vous pouvez changer d'avis jusqu'à la révélation."
YOUR_CHOICE = "Votre réponse : {label}"
VOTE_TAKEN = "Vote enregistré : {label}."
CHOSEN_MARK = "✔ "
ANSWER_IS = "Réponse : {symbol} {label}"
YOU_WERE_RIGHT = "Vous avez répondu {label} : bien vu !"
YOU_WERE_WRONG = "Vous avez répondu {label}."
YOU_DID_NOT_VOTE = "Vous n'avez pas voté pour cette question."
EXPLANATION = "Explication"
VOTE_CLOSED_HINT = "Le vote est fermé pour cette question."
TIMER_HEADING = "Minuteur : {title}"
TIMER_LEFT = "Temps restant : "
TIMER_RUNNING = "En cours"
TIMER_PAUSED = "En pause"
TIMER_READY = "Pas encore lancé"
TIMER_WARNING = "Attention : moins de {minutes}."
TIMER_WARNING_ONE = "Attention : moins d'une minute."
TIMER_EXPIRED = "Temps écoulé."
STAGE_HEADING = "Sur scène : {name}"
STAGE_LINE = "Projet {position} sur {count} · {phase}"
STAGE_PITCH = "Pitch"
STAGE_EXCHANGE = "Échange avec la salle"
STAGE_PROMPTS_PITCH = "Le pitch doit dire"
STAGE_PROMPTS_EXCHANGE = "L'échange porte sur"
GIVE_FEEDBACK = "Donner un retour à {name}"
NO_TIMER = "—"
NO_TIMER_TEXT = (
    "Aucun minuteur ne tourne pour l'instant : il s'affichera ici dès que l'animateur le lancera."
)
SPEAKER_LINK = "Vous pitchez ? Votre temps de parole ici"
FOLLOW_LINK = "Revenir à l'écran de la salle"
OTHER_PAGES = "Autres pages"
NOSCRIPT = "Cette page se recharge toute seule toutes les quelques secondes."
PAGE_CHANGED = "Nouvel écran : {title}"

CARD_FOR = "Donner un retour à {name}"
CARD_INTRO = (
    "Votre retour va d'abord à l'animateur, qui le lit avant d'en faire quoi que ce soit : "
    "rien ne s'affiche à l'écran sans lui."
)
CARD_CATEGORY = "Sur quoi porte votre retour ?"
CARD_TEXT = "Votre retour ({limit} caractères au plus)"
CARD_SIGNATURE = "Votre prénom (facultatif)"
CARD_SEND = "Envoyer à l'animateur"
CARD_SENT = "Merci : votre retour est arrivé chez l'animateur."
CARD_ANOTHER = "Vous pouvez en envoyer un autre."
CARD_NO_STAGE = "Aucun projet n'est sur scène en ce moment."
CARD_NO_STAGE_HINT = "Les retours s'envoient pendant le pitch ou l'échange d'un projet."

ERRORS = {
    "closed": "Trop tard : la réponse a été révélée.",
    "not_open": "Cette question n'est plus à l'écran.",
    "unknown_statement": "Question inconnue.",
    "unknown_answer": "Réponse inconnue.",
    "address_cap": "Trop d'envois depuis cet appareil ou ce réseau : réessayez dans une minute.",
    "bad_request": "Envoi illisible.",
    "not_saved": "Le portable de l'animateur n'a pas pu enregistrer : réessayez dans un instant.",
    # cards
    "no_stage": "Aucun projet n'est sur scène : votre retour n'a pas été envoyé.",
    "not_on_stage": "Ce projet n'est plus sur scène : votre retour n'a pas été envoyé.",
    "unknown_category": "Choisissez sur quoi porte votre retour.",
    "empty": "Votre retour est vide.",
    "too_long": "Votre retour dépasse 500 caractères (ou votre prénom 60) : raccourcissez-le.",
    "control": "Votre retour contient des caractères invisibles : retapez-le.",
    "device_cap": "Vous avez déjà envoyé plusieurs retours à ce projet : merci !",
}


@dataclass(frozen=True)
class SpeakerView:
    """What the speaker's phone shows: the countdown label (« 01:45 », « +0:12 »), the state
    in words, the step's title, and what a screen reader hears (a warning, the end)."""

    label: str
    caption: str = ""
    title: str = ""
    announce: str = ""


@dataclass(frozen=True)
class VoteView:
    """What one phone's vote buttons show."""

    item_id: str | None
    revealed: bool
    key: str
    mine: str | None  # the answer id this device chose, if any
    error: str | None = None  # a key of ERRORS
    open: bool = True  # the ballot box takes votes on this statement


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def markdown_lite(text: str) -> str:
    """Markdown reduced to paragraphs and bold, everything else escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        escaped = _BOLD.sub(r"<strong>\1</strong>", _e(paragraph))
        escaped = escaped.replace("*", "").replace("\n", "<br>")
        out.append(f"<p>{escaped}</p>")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _markdown_parser() -> object:
    from markdown_it import MarkdownIt

    # html=False: any HTML in the content is shown as text; links are checked by the
    # parser (no javascript:); linkify makes the resources' bare addresses real links.
    return MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
        ["linkify", "table", "strikethrough"]
    )


@lru_cache(maxsize=256)
def markdown_html(text: str, top: int = 2) -> str:
    """The content's Markdown as safe HTML, its headings moved to start at ``h{top}`` and
    never skipping a level (the page's own ``h1`` is above it)."""
    parser = _markdown_parser()
    tokens = parser.parse(text)  # type: ignore[attr-defined]
    previous = top - 1
    stack: list[str] = []
    for token in tokens:
        if token.type == "heading_open":
            level = min(int(token.tag[1]) + top - 1, previous + 1, 6)
            level = max(level, top)
            token.tag = f"h{level}"
            previous = level
            stack.append(token.tag)
        elif token.type == "heading_close" and stack:
            token.tag = stack.pop()
    return str(parser.renderer.render(tokens, parser.options, {}))  # type: ignore[attr-defined]


def timer_label(remaining: float) -> str:
    """As the projector shows it: ``MM:SS`` rounded up, then ``+M:SS`` in overtime."""
    value = round(remaining, 6)
    if value >= 0:
        return _clock(math.ceil(value), pad=True)
    over = math.floor(-value)
    return "00:00" if over == 0 else "+" + _clock(over, pad=False)


def _clock(total: int, *, pad: bool) -> str:
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}" if pad else f"{minutes}:{seconds:02d}"


def warning_text(warning_s: float) -> str:
    """« Attention : moins de 2 minutes. », « … moins d'une minute. », « … de 30 secondes. »"""
    seconds = round(warning_s)
    if 60 <= seconds < 120:
        return TIMER_WARNING_ONE
    amount = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} secondes"
    return TIMER_WARNING.format(minutes=amount)


def timer_caption(timer: TimerView, remaining: float) -> str:
    if remaining <= 0:
        return TIMER_EXPIRED
    if remaining <= timer.warning_s:
        return warning_text(timer.warning_s)
    if timer.running:
        return TIMER_RUNNING
    return TIMER_PAUSED if remaining < timer.duration_s else TIMER_READY


# -- the document around every page ----------------------------------------------------------


def _document(
    title: str,
    main: str,
    *,
    base: str,
    attributes: dict[str, str],
    refresh_s: int | None,
    links: list[tuple[str, str]],
    brand: str = "",
) -> str:
    data = " ".join(f'data-{name}="{_e(value)}"' for name, value in attributes.items())
    refresh = (
        f'<noscript><meta http-equiv="refresh" content="{refresh_s}"></noscript>\n'
        if refresh_s
        else ""
    )
    items = "".join(f'<li><a href="{_e(href)}">{_e(text)}</a></li>' for href, text in links)
    footer = f'<nav aria-label="{_e(OTHER_PAGES)}"><ul>{items}</ul></nav>' if items else ""
    if refresh_s:
        footer += f'<noscript><p class="note">{_e(NOSCRIPT)}</p></noscript>'
    header = f'<header><p class="brand">{_e(brand)}</p></header>\n' if brand else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{STYLE}</style>\n"
        f"{refresh}"
        "</head>\n"
        f'<body data-home="{_e(base)}" {data}>\n'
        f"{header}"
        f"<main>\n{main}\n</main>\n"
        f"<footer>{footer}</footer>\n"
        f'<script src="{_e(base)}app.js"></script>\n'
        "</body>\n</html>\n"
    )


# -- the follow-along page -------------------------------------------------------------------


def follow_title(projection: Projection) -> str:
    if not projection.step_id:
        return WAITING
    quiz = projection.quiz
    if quiz is not None:
        return f"« {quiz.statement} »"
    if projection.stage is not None:
        return STAGE_HEADING.format(name=projection.stage.name)
    return projection.step_title


TEAM_LINK = "Mon projet : remplir la grille de l'équipe"


def follow_fragment(
    projection: Projection, view: VoteView | None, base: str, now: float | None
) -> str:
    """This phone's part of the follow-along page (the inside of ``#live``)."""
    parts: list[str] = []
    if view is not None and view.error:
        parts.append(f'<p class="error" role="alert">{_e(ERRORS[view.error])}</p>')
    summary = PAGE_CHANGED.format(title=follow_title(projection))
    if not projection.step_id:
        parts.append(f'<h1 data-summary="{_e(summary)}">{_e(WAITING)}</h1>')
        parts.append(f'<p class="hint">{_e(WAITING_HINT)}</p>')
        return "\n".join(parts)
    if projection.step_number is not None:
        number, count = projection.step_number, projection.step_count
        step = STEP_OF.format(number=number, count=count) if count else STEP.format(number=number)
        parts.append(f'<p class="kicker">{_e(step)}</p>')
    parts.append(f'<h1 data-summary="{_e(summary)}">{_e(projection.step_title)}</h1>')
    if projection.page_position is not None:
        index, count = projection.page_position
        position = PAGE_POSITION.format(index=index, count=count)
        parts.append(f'<p class="progress">{_e(position)}</p>')
    if projection.stage is not None:
        parts.append(_stage_html(projection, base))
    if projection.teams_open:  # « Mon projet »: atelier/vote/teams.py
        parts.append(f'<p><a class="button" href="{_e(base)}projet">{_e(TEAM_LINK)}</a></p>')
    if projection.timer is not None:
        parts.append(_timer_html(projection.timer, now))
    if projection.quiz is not None:
        parts.append(_quiz_html(projection.quiz, view, base))
    page: list[str] = []
    if projection.heading:
        page.append(f'<p class="phase"><strong>{_e(projection.heading)}</strong></p>')
    if projection.page_markdown.strip():
        page.append(markdown_html(projection.page_markdown))
    if projection.extra:
        items = "".join(f"<li>{_e(line)}</li>" for line in projection.extra)
        page.append(f"<ul>{items}</ul>")
    if page:
        parts.append('<div class="page">' + "\n".join(page) + "</div>")
    return "\n".join(parts)


def _stage_html(projection: Projection, base: str) -> str:
    stage = projection.stage
    assert stage is not None
    pitching = stage.status is StageStatus.PITCH
    line = STAGE_LINE.format(
        position=stage.position,
        count=stage.count,
        phase=STAGE_PITCH if pitching else STAGE_EXCHANGE,
    )
    out = [
        '<section class="panel" aria-labelledby="scene">',
        f'<h2 id="scene">{_e(STAGE_HEADING.format(name=stage.name))}</h2>',
        f"<p>{_e(line)}</p>",
    ]
    if stage.prompts:
        heading = STAGE_PROMPTS_PITCH if pitching else STAGE_PROMPTS_EXCHANGE
        items = "".join(f"<li>{_e(prompt)}</li>" for prompt in stage.prompts)
        out.append(f"<h3>{_e(heading)}</h3><ul>{items}</ul>")
    if stage.categories:
        out.append(
            f'<p><a class="button" href="{_e(base)}retour">'
            f"{_e(GIVE_FEEDBACK.format(name=stage.name))}</a></p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _timer_html(timer: TimerView, now: float | None) -> str:
    remaining = timer.remaining_s
    if timer.running and timer.end_s is not None and now is not None:
        remaining = timer.end_s - now
    digits = timer_label(remaining)
    caption = timer_caption(timer, remaining)
    return (
        '<section class="panel" aria-labelledby="minuteur">\n'
        f'<h2 id="minuteur">{_e(TIMER_HEADING.format(title=timer.title))}</h2>\n'
        f'<p class="timer" id="timer" data-remaining="{remaining:.3f}" '
        f'data-running="{1 if timer.running else 0}" data-warning="{timer.warning_s:g}" '
        f'data-warn="{_e(warning_text(timer.warning_s))}" data-zero="{_e(TIMER_EXPIRED)}">'
        f'<span class="sr-only">{_e(TIMER_LEFT)}</span><span id="timer-digits">{_e(digits)}</span>'
        "</p>\n"
        f'<p class="caption" id="timer-caption">{_e(caption)}</p>\n'
        "</section>"
    )


def _quiz_html(quiz: QuizView, view: VoteView | None, base: str) -> str:
    progress = PROGRESS.format(index=quiz.index, count=quiz.count)
    out = [
        '<section aria-labelledby="question">',
        f'<p class="progress">{_e(quiz.quiz_title)} · {_e(progress)}</p>',
        f'<h2 id="question">« {_e(quiz.statement)} »</h2>',
    ]
    mine_id = view.mine if view is not None and view.item_id == quiz.item_id else None
    mine = next((a for a in quiz.answers if a.id == mine_id), None)
    if not quiz.revealed:
        if view is not None and view.item_id == quiz.item_id and view.open:
            choice = YOUR_CHOICE.format(label="{label}")
            taken = VOTE_TAKEN.format(label="{label}")
            out.append(f'<p class="hint" id="consigne">{_e(CHOOSE)}</p>')
            out.append(
                f'<form id="vote" method="post" action="{_e(base)}vote" '
                f'aria-describedby="consigne" data-choice="{_e(choice)}" '
                f'data-taken="{_e(taken)}" data-mark="{_e(CHOSEN_MARK)}">'
            )
            out.append(f'<input type="hidden" name="statement" value="{_e(quiz.item_id)}">')
            out.append('<ul class="answers">')
            for answer in quiz.answers:
                chosen = mine is not None and answer.id == mine.id
                mark = CHOSEN_MARK if chosen else ""
                out.append(
                    f'<li><button type="submit" name="answer" value="{_e(answer.id)}" '
                    f'aria-pressed="{"true" if chosen else "false"}" '
                    f'data-label="{_e(answer.label)}">{_e(mark + answer.label)}</button></li>'
                )
            out.append("</ul></form>")
            mine_text = YOUR_CHOICE.format(label=mine.label) if mine is not None else ""
            out.append(f'<p class="mine" id="mine">{_e(mine_text)}</p>')
        else:
            labels = "".join(f"<li>{_e(a.label)}</li>" for a in quiz.answers)
            out.append(f"<ul>{labels}</ul>")
    else:
        right = quiz.right
        if right is not None:
            answer = ANSWER_IS.format(symbol=right.symbol, label=right.label)
            out.append(f'<p class="answer">{_e(answer)}</p>')
            if view is not None:
                if mine is None:
                    out.append(f'<p class="mine">{_e(YOU_DID_NOT_VOTE)}</p>')
                elif mine.id == right.id:
                    out.append(f'<p class="mine">{_e(YOU_WERE_RIGHT.format(label=mine.label))}</p>')
                else:
                    out.append(f'<p class="mine">{_e(YOU_WERE_WRONG.format(label=mine.label))}</p>')
        if quiz.reveal_markdown.strip():
            out.append(f'<h3 id="explication">{_e(EXPLANATION)}</h3>')
            out.append(markdown_html(quiz.reveal_markdown, top=4))
    out.append("</section>")
    return "\n".join(out)


def follow_page(projection: Projection, view: VoteView | None, base: str, now: float | None) -> str:
    """The page the QR code opens; ``base`` is ``/<token>/``."""
    fragment = follow_fragment(projection, view, base, now)
    main = (
        f'<div id="live">\n{fragment}\n</div>\n'
        '<div id="annonce" class="sr-only" role="status" aria-live="polite" '
        'aria-atomic="true"></div>'
    )
    title = projection.step_title or TITLE
    return _document(
        f"{title} — {TITLE}",
        main,
        base=base,
        attributes={
            "page": "follow",
            "state": f"{base}etat",
            "stream": f"{base}flux",
            "live": f"{base}suivi",
            "key": projection.key,
            "every": str(VOTE_POLL_MS),
        },
        refresh_s=FOLLOW_REFRESH_S,
        links=[(f"{base}orateur", SPEAKER_LINK)],
        brand=projection.workshop_title,
    )


def quiz_projection(quiz: Quiz, item_id: str | None, revealed: bool) -> Projection:
    """The projection when only the ballot box is known (the server without the app)."""
    from atelier.domain.follow import AnswerView

    if item_id is None:
        return Projection(quiz.title, step_id="quiz", step_title=quiz.title)
    index = [item.id for item in quiz.items].index(item_id)
    item = quiz.items[index]
    right = quiz.answer(item.answer)
    return Projection(
        quiz.title,
        step_id="quiz",
        step_title=quiz.title,
        quiz=QuizView(
            item_id=item.id,
            quiz_title=quiz.title,
            index=index + 1,
            count=len(quiz.items),
            statement=item.statement,
            answers=tuple(AnswerView(a.id, a.label, a.symbol) for a in quiz.answers),
            revealed=revealed,
            right=AnswerView(right.id, right.label, right.symbol) if revealed else None,
            reveal_markdown=(item.explanation or "") if revealed else "",
        ),
    )


# -- the card page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CardForm:
    """What the card form shows again after a refusal: nothing typed is lost."""

    category: str = ""
    text: str = ""
    signature: str = ""
    error: str | None = None
    sent: bool = False


def card_page(
    projection: Projection, form: CardForm, base: str, *, text_limit: int, signature_limit: int
) -> str:
    stage = projection.stage
    out: list[str] = []
    if stage is None or not stage.categories:
        out.append(f"<h1>{_e(CARD_NO_STAGE)}</h1>")
        if form.error:
            out.append(f'<p class="error" role="alert">{_e(ERRORS[form.error])}</p>')
        out.append(f'<p class="hint">{_e(CARD_NO_STAGE_HINT)}</p>')
        if form.text:
            out.append(f"<p>{_e(form.text)}</p>")
        return _card_document(out, base)
    out.append(f"<h1>{_e(CARD_FOR.format(name=stage.name))}</h1>")
    if form.sent:
        out.append(f'<p class="sent" role="status">{_e(CARD_SENT)} {_e(CARD_ANOTHER)}</p>')
    if form.error:
        out.append(f'<p class="error" role="alert">{_e(ERRORS[form.error])}</p>')
    out.append(f'<p class="hint">{_e(CARD_INTRO)}</p>')
    out.append(f'<form method="post" action="{_e(base)}retour">')
    out.append(f'<input type="hidden" name="project" value="{_e(stage.project_id)}">')
    out.append(f"<fieldset><legend>{_e(CARD_CATEGORY)}</legend>")
    for index, category in enumerate(stage.categories):
        checked = " checked" if category.id == form.category else ""
        required = " required" if index == 0 else ""
        out.append(
            f'<label><input type="radio" name="category" value="{_e(category.id)}"'
            f"{checked}{required}> <span>{_e(category.label)}</span></label>"
        )
    out.append("</fieldset>")
    out.append(
        f'<label for="texte">{_e(CARD_TEXT.format(limit=text_limit))}</label>'
        f'<textarea id="texte" name="text" maxlength="{text_limit}" required rows="5">'
        f"{_e(form.text)}</textarea>"
    )
    out.append(
        f'<label for="signature">{_e(CARD_SIGNATURE)}</label>'
        f'<input type="text" id="signature" name="signature" maxlength="{signature_limit}" '
        f'autocomplete="given-name" value="{_e(form.signature)}">'
    )
    out.append(f'<p><button type="submit">{_e(CARD_SEND)}</button></p>')
    out.append("</form>")
    return _card_document(out, base)


def _card_document(parts: list[str], base: str) -> str:
    return _document(
        f"{CARD_TITLE} — {TITLE}",
        "\n".join(parts),
        base=base,
        attributes={"page": "card"},
        refresh_s=None,
        links=[(base, FOLLOW_LINK), (f"{base}orateur", SPEAKER_LINK)],
    )


# -- the speaker's page ----------------------------------------------------------------------


def speaker_page(view: SpeakerView | None, base: str) -> str:
    """The read-only countdown for the person pitching; a sentence when none runs."""
    label, caption, title = speaker_fields(view)
    body = (
        f"<h1>{_e(SPEAKER_TITLE)}</h1>\n"
        f'<p class="kicker" id="step">{_e(title)}</p>\n'
        f'<p class="timer" id="label">{_e(label)}</p>\n'
        f'<p class="caption" id="caption">{_e(caption)}</p>\n'
        '<div id="annonce" class="sr-only" role="status" aria-live="polite" '
        'aria-atomic="true"></div>'
    )
    return _document(
        f"{SPEAKER_TITLE} — {TITLE}",
        body,
        base=base,
        attributes={
            "page": "speaker",
            "state": f"{base}orateur/etat",
            "key": "",
            "every": str(SPEAKER_POLL_MS),
            "announce": view.announce if view is not None else "",
        },
        refresh_s=2,
        links=[(base, FOLLOW_LINK)],
    )


def speaker_fields(view: SpeakerView | None) -> tuple[str, str, str]:
    if view is None:
        return NO_TIMER, NO_TIMER_TEXT, ""
    return view.label or NO_TIMER, view.caption, view.title
