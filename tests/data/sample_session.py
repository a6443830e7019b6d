"""A realistic saved session, built in code so it fits whichever workshop it is given.

``build_sample_record(workshop)`` plays a whole morning on ``workshop``: the step log (running
late), the quiz with the room's tallies, the three grid phases with overtime, four projects
scored on every criterion of the grid, their improvement axes and pitch preparation, a pitch
round with overtime and notes per feedback category. The notes carry what breaks reports:
accents, « » and " quotes, ``<script>``, ``&``, Markdown characters, a very long note.

``build_fixture_workshop()`` is a small workshop shaped like the ATIS one (4 levels,
3 dimensions, 3 timed phases with prompts a/b/c, 3 feedback categories) for tests that must not
depend on the bundled content; ``load_bundled_workshop()`` reads the bundled one when it is there.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

from atelier.domain.content import Workshop
from atelier.domain.session import (
    CriterionScore,
    PitchRecord,
    PitchStatus,
    Project,
    QuizResult,
    SessionRecord,
    StepLogEntry,
    TallySource,
    TimerRecord,
)

PARIS_SUMMER = timezone(timedelta(hours=2))
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "content" / "atis-2020-05-19"

SCRIPT_TAG = "<script>alert(1)</script>"
MARKDOWN_TRAPS = "*gras*, _souligné_, `code`, # titre, | pipe |, [lien](http://x.invalid)"

# -- the four projects ----------------------------------------------------------------------------
# ``signature``: a word that appears in every note of that project and nowhere else, so a test
# can tell whose notes leaked into another project's report.


PROJECTS: tuple[dict[str, str], ...] = (
    {
        "name": "Épicerie solidaire « Le Panier »",
        "carriers": "Amélie Durand & Loïc Bérard",
        "signature": "Panier",
        "words": "des produits frais à prix juste, et du lien",
        "need": "précarité alimentaire et isolement dans le quartier",
        "answer": "une épicerie à double tarif, gérée avec les habitants",
    },
    {
        "name": "Ressourcerie des Chartrons",
        "carriers": "Noémie Faure",
        "signature": "Chartrons",
        "words": "réemploi et emplois d'insertion",
        "need": "déchets encombrants et chômage de longue durée",
        "answer": "collecte, tri, réparation et revente à petits prix",
    },
    {
        "name": "Atelier vélo Rustine & Cie",
        "carriers": "Jérôme Lefèvre, Inès Moreau",
        "signature": "Rustine",
        "words": "réparer ensemble pour bouger librement",
        "need": "mobilité des personnes sans voiture en zone périurbaine",
        "answer": "un atelier participatif d'autoréparation et des vélos en prêt",
    },
    {
        "name": "Habitat partagé Côté Cour",
        "carriers": "Françoise Gaillard",
        "signature": "Côté-Cour",
        "words": "vieillir chez soi, pas seul",
        "need": "isolement des personnes âgées et manque de logements étudiants",
        "answer": "une cohabitation intergénérationnelle avec services rendus",
    },
)


def _long_note(signature: str) -> str:
    paragraphs = [
        f"Retour détaillé pour {signature}, écrit pendant l'échange puis complété à la pause. "
        "Le besoin est bien identifié : les habitants du quartier n'ont pas d'accès simple à "
        "une alimentation de qualité à prix juste, et les associations présentes le confirment. "
        "La réponse proposée est lisible, mais son « innovation sociale » se voit surtout dans "
        "la gouvernance, pas encore dans le service rendu.",
        "Points forts relevés par la salle :\n"
        "- un collectif déjà constitué (six bénévoles réguliers, deux salariés en insertion) ;\n"
        "- des partenaires territoriaux engagés : centre social, bailleur, mairie de quartier ;\n"
        "- une première année d'activité avec des chiffres : 140 foyers adhérents, 35 % de "
        "bénéficiaires orientés par les travailleurs sociaux.",
        "Points à creuser :\n"
        "1. la place des bénéficiaires dans les décisions (aujourd'hui consultés une fois par "
        "an, pas associés au choix des produits) ;\n"
        "2. le modèle économique au-delà de la subvention de lancement — la marge sur les "
        "produits ne couvre que 40 % des charges ;\n"
        "3. l'accessibilité : horaires d'ouverture, mobilité, communication en plusieurs langues.",
        "Un intervenant a rappelé que « double tarification » et « adhésion solidaire » sont "
        'deux modèles différents : le premier fait payer selon les revenus, le second "lisse" '
        "les prix par une cotisation. Le choix n'est pas neutre pour l'image du lieu & pour la "
        "confidentialité des personnes aidées.",
        "Sur le financement : regarder le dispositif local d'accompagnement (DLA), les fonds "
        "d'amorçage de France Active, et les appels à projets de la Région sur l'alimentation "
        "durable. Attention au calendrier : la plupart des appels ferment avant l'été, il faut "
        "donc un dossier prêt dès le mois prochain, avec un budget prévisionnel sur trois ans.",
        "Idées lancées par les autres porteurs : une commande groupée avec la ressourcerie "
        "voisine pour les emballages consignés ; un atelier cuisine mensuel co-animé par des "
        "adhérents ; un « panier suspendu » payé par les clients solidaires pour d'autres. "
        "Chacune demande du temps bénévole : prioriser, et dire non à certaines.",
        "Questions restées ouvertes : qui porte la parole du projet auprès des financeurs si la "
        "présidente se retire ? comment mesurer l'impact sans alourdir l'accueil ? faut-il "
        "viser un second lieu, ou approfondir celui-ci ? Le groupe penche pour approfondir.",
        "Prochaine étape convenue : un rendez-vous de suivi dans six semaines pour relire "
        "ensemble la grille de caractérisation, critère par critère, avec deux bénéficiaires "
        "invités à la table. Envoyer avant la synthèse de ce jour et la liste des contacts "
        "cités pendant l'échange (fondation, banque solidaire, réseau des épiceries).",
        "Ajouté après l'atelier : les chiffres annoncés (140 foyers, 35 %) sont à vérifier "
        "avec le bilan d'activité avant toute diffusion. La présidente propose d'ouvrir le "
        "prochain conseil d'administration à deux adhérents tirés au sort, à titre d'essai "
        "pour six mois, et de faire le point en assemblée générale.",
        f"Dernier mot de l'équipe {signature} : « merci pour la franchise des retours ; on "
        "repart avec moins de certitudes et plus de pistes ».",
    ]
    return "\n\n".join(paragraphs)


def _notes_for(index: int) -> dict[str, Any]:
    """Improvement axes, pitch prep, feedback and free notes of project ``index``."""
    spec = PROJECTS[index]
    signature = spec["signature"]
    tricky = index == 0
    axes = (
        f"Axes pour {signature} :\n"
        "- ouvrir le collectif aux bénéficiaires\n"
        "- chiffrer le modèle économique à 3 ans\n"
        "# à revoir avec l'équipe\n"
        f"1. prioriser « l'accessibilité » & la mobilité ({signature})"
    )
    if tricky:
        axes += f"\n{MARKDOWN_TRAPS}"
    prep = {
        "a": f"{signature} : {spec['words']}",
        "b": f"Besoin : {spec['need']}.\nRéponse de {signature} : {spec['answer']}.",
        "c": f"Gouvernance et financement ? Comment associer les bénéficiaires de {signature} ?",
    }
    feedback = {
        0: (
            f"Pitch clair pour {signature}, « innovation sociale » bien posée ; "
            'le mot "solidaire" revient trop souvent.'
        ),
        1: f"Conseils pour {signature} : associer 2 bénéficiaires au bureau & tester un tarif.",
        2: f"Pistes pour {signature} : DLA, France Active, fondation de la Caisse d'Épargne.",
    }
    if tricky:
        feedback[0] += f"\nNote technique collée telle quelle : {SCRIPT_TAG} & <b>gras</b>"
        feedback[1] += f"\n{MARKDOWN_TRAPS}\n| colonne | autre |\n\\ antislash final"
    free = _long_note(signature) if index == 0 else f"RAS pour {signature}."
    return {"axes": axes, "prep": prep, "feedback": feedback, "free": free}


# -- building the record ----------------------------------------------------------------------


def _at(day: date, moment: time, minutes: float = 0.0) -> datetime:
    start = datetime.combine(day, moment, tzinfo=PARIS_SUMMER)
    return start + timedelta(minutes=minutes)


def _step_log(workshop: Workshop, day: date) -> list[StepLogEntry]:
    # The room starts 6 minutes late and never quite catches up.
    delays = [6.25, 9.0, 11.5, 12.0, 8.0, 10.0, 14.0, 15.0]
    entries: list[StepLogEntry] = []
    for index, step in enumerate(workshop.programme):
        started = _at(day, step.start, delays[index % len(delays)])
        if entries:
            entries[-1].ended_at = started
        entries.append(StepLogEntry(step_id=step.id, started_at=started))
    entries[-1].ended_at = _at(day, workshop.end, 20)
    return entries


def _quiz(workshop: Workshop, day: date) -> dict[str, QuizResult]:
    if workshop.quiz is None:
        return {}
    answers = [a.id for a in workshop.quiz.answers]
    results: dict[str, QuizResult] = {}
    items = workshop.quiz.items
    for index, item in enumerate(items):
        revealed_at = _at(day, time(9, 50), 2 * index)
        if index == len(items) - 1 and len(items) > 1:
            # The last statement was revealed without counting hands (time was short).
            results[item.id] = QuizResult(item_id=item.id, revealed=True, revealed_at=revealed_at)
            continue
        tally = {}
        for n, answer_id in enumerate(answers):
            tally[answer_id] = 11 - index if answer_id == item.answer else (index + n) % 5 + 1
        results[item.id] = QuizResult(
            item_id=item.id,
            tally=tally,
            source=TallySource.VOTES if index == 1 else TallySource.HANDS,
            revealed=True,
            revealed_at=revealed_at,
        )
    return results


def _phases(workshop: Workshop, day: date) -> dict[str, TimerRecord]:
    if workshop.assessment is None:
        return {}
    overruns = [90.0, -20.0, 45.0]  # seconds past (or short of) each phase
    timers: dict[str, TimerRecord] = {}
    start = _at(day, time(10, 12))
    for index, phase in enumerate(workshop.assessment.phases):
        duration = phase.minutes * 60
        elapsed = duration + overruns[index % len(overruns)]
        end = start + timedelta(seconds=elapsed)
        timers[phase.id] = TimerRecord(
            duration_s=duration, elapsed_s=elapsed, started_at=start, ended_at=end
        )
        start = end
    return timers


# Level of each project on the criteria, in grid order (a digit = a level index, capped to the
# grid's levels; the pattern repeats on longer grids). Chosen so the room's spread is uneven.
LEVEL_PATTERNS = (
    "232131223102",
    "121021112001",
    "332231323212",
    "120110211001",
)


def _scores(workshop: Workshop, index: int) -> dict[str, CriterionScore]:
    if workshop.grid is None:
        return {}
    levels = [level.id for level in workshop.grid.levels]
    pattern = LEVEL_PATTERNS[index]
    scores = {}
    for position, criterion in enumerate(workshop.grid.criteria):
        level = levels[min(int(pattern[position % len(pattern)]), len(levels) - 1)]
        comment = ""
        if position % 4 == index % 4:
            comment = f"« À discuter » avec l'équipe de {PROJECTS[index]['signature']}"
            if index == 0:
                comment += f" — {SCRIPT_TAG} | *noté* à chaud\nsur deux lignes"
        scores[criterion.id] = CriterionScore(
            level=level, comment=comment, progress=(position + index) % 3 == 0
        )
    return scores


def _pitch(workshop: Workshop, index: int, notes: dict[str, Any], day: date) -> PitchRecord:
    categories = [c.id for c in workshop.pitch.feedback_categories] if workshop.pitch else []
    if index == 3:  # not a volunteer: no pitch, no notes
        return PitchRecord(volunteer=False, status=PitchStatus.SKIPPED)
    pitch_s = (workshop.pitch.pitch_minutes if workshop.pitch else 2) * 60
    exchange_s = (workshop.pitch.exchange_minutes if workshop.pitch else 15) * 60
    pitch_elapsed = pitch_s + [23.0, -2.0, 11.0][index]
    exchange_elapsed = exchange_s + [112.0, -30.0, 5.0][index]
    start = _at(day, time(11, 32), 20 * index)
    return PitchRecord(
        volunteer=True,
        order=index + 1,
        status=PitchStatus.DONE,
        pitch_timer=TimerRecord(
            duration_s=pitch_s,
            elapsed_s=pitch_elapsed,
            started_at=start,
            ended_at=start + timedelta(seconds=pitch_elapsed),
        ),
        exchange_timer=TimerRecord(
            duration_s=exchange_s,
            elapsed_s=exchange_elapsed,
            started_at=start + timedelta(seconds=pitch_elapsed),
            ended_at=start + timedelta(seconds=pitch_elapsed + exchange_elapsed),
        ),
        notes={
            category: notes["feedback"][n % 3] + ("" if n < 3 else f" ({n + 1})")
            for n, category in enumerate(categories)
        },
        free_notes=notes["free"],
    )


def _pitch_prep(workshop: Workshop, notes: dict[str, Any]) -> dict[str, str]:
    phases = workshop.assessment.phases if workshop.assessment else ()
    prompt_ids = [prompt.id for phase in phases for prompt in phase.prompts]
    texts = list(notes["prep"].values())
    return {pid: texts[n % len(texts)] for n, pid in enumerate(prompt_ids)}


def build_sample_record(workshop: Workshop) -> SessionRecord:
    """A finished session on ``workshop``: 4 projects, every criterion scored, a pitch round."""
    day = workshop.date or date(2020, 5, 19)
    projects = []
    for index, spec in enumerate(PROJECTS):
        notes = _notes_for(index)
        projects.append(
            Project(
                id=["epicerie-le-panier", "ressourcerie-chartrons", "rustine-et-cie", "cote-cour"][
                    index
                ],
                name=spec["name"],
                carriers=spec["carriers"],
                created_at=_at(day, time(10, 5), index),
                scores=_scores(workshop, index),
                improvement_axes=notes["axes"],
                pitch_prep=_pitch_prep(workshop, notes),
                pitch=_pitch(workshop, index, notes, day),
            )
        )
    step_log = _step_log(workshop, day)
    return SessionRecord(
        name="atis-2020-05-19-matin",
        workshop_id=workshop.id,
        created_at=_at(day, time(9, 30)),
        updated_at=_at(day, time(12, 15)),
        current_step_id=step_log[-1].step_id,
        step_log=step_log,
        quiz=_quiz(workshop, day),
        phases=_phases(workshop, day),
        projects=projects,
        facilitator_notes=(
            "Salle de 18 personnes, vidéoprojecteur capricieux & micro HF.\n"
            "À refaire : plus de temps sur la grille (« trop dense » selon 3 participants)."
        ),
    )


# -- workshops --------------------------------------------------------------------------------


def _criterion(cid: str, name: str) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "descriptors": {
            "inexistant": f"{name} : absent",
            "faible": f"{name} : esquissé",
            "intermediaire": f"{name} : réel mais à renforcer",
            "fort": f"{name} : au cœur du projet",
        },
    }


FIXTURE_WORKSHOP: dict[str, Any] = {
    "id": "fixture-atelier",
    "title": "Atelier d'essai — innovation sociale",
    "subtitle": "Fixture des tests du compte rendu",
    "date": "2020-05-19",
    "organiser": "ATIS – Catalyseur d'Innovation Sociale",
    "programme": [
        {
            "id": "contexte",
            "number": 1,
            "title": "Contexte & enjeux",
            "start": "9h40",
            "kind": "quiz",
        },
        {
            "id": "analyse",
            "number": 2,
            "title": "Caractériser son projet",
            "start": "10h00",
            "kind": "assessment",
        },
        {"id": "pause", "title": "PAUSE", "start": "10h30", "kind": "pause", "pause_minutes": 10},
        {
            "id": "booster",
            "number": 3,
            "title": "Booster son projet",
            "start": "10h40",
            "kind": "pitch",
        },
    ],
    "end": "11h50",
    "quiz": {
        "title": "Le VRAI / FAUX",
        "answers": [
            {"id": "vrai", "label": "VRAI", "key": "v", "symbol": "✔"},
            {"id": "faux", "label": "FAUX", "key": "f", "symbol": "✘"},
            {"id": "pas-forcement", "label": "PAS FORCÉMENT", "key": "p", "symbol": "≈"},
        ],
        "items": [
            {
                "id": "q1",
                "statement": "L'innovation sociale répond à des besoins mal satisfaits",
                "answer": "vrai",
            },
            {
                "id": "q2",
                "statement": "Elle agit uniquement pour les publics fragiles",
                "answer": "faux",
            },
            {"id": "q3", "statement": "Elle est forcément technologique", "answer": "faux"},
            {"id": "q4", "statement": "Elle ne peut pas être rentable", "answer": "pas-forcement"},
        ],
    },
    "grid": {
        "title": "Grille de caractérisation",
        "levels": [
            {"id": "inexistant", "label": "Inexistant"},
            {"id": "faible", "label": "Faible"},
            {"id": "intermediaire", "label": "Intermédiaire"},
            {"id": "fort", "label": "Fort"},
        ],
        "dimensions": [
            {
                "id": "portage",
                "name": "Portage",
                "criteria": [
                    _criterion("collectif", "Caractère collectif du projet"),
                    _criterion("beneficiaires", "Intégration des bénéficiaires"),
                ],
            },
            {
                "id": "contenu",
                "name": "Contenu",
                "criteria": [
                    _criterion("rupture", "Rupture avec l'existant"),
                    _criterion("transformation", "Potentiel de transformation sociale"),
                ],
            },
            {
                "id": "contexte",
                "name": "Contexte",
                "criteria": [
                    _criterion("territoire", "Ancrage territorial"),
                    _criterion("viabilite", "Viabilité économique"),
                ],
            },
        ],
    },
    "assessment": {
        "title": "Analyse individuelle de son projet",
        "phases": [
            {
                "id": "autoevaluation",
                "name": "S'autoévaluer",
                "minutes": 10,
                "instructions": "S'autoévaluer sur tous les critères",
            },
            {
                "id": "amelioration",
                "name": "Axes d'amélioration",
                "minutes": 10,
                "instructions": "Noter les axes d'amélioration",
            },
            {
                "id": "preparation-pitch",
                "name": "Préparer son pitch",
                "minutes": 5,
                "instructions": "Préparer son pitch",
                "prompts": [
                    {"id": "a", "text": "Mon projet en 2 mots"},
                    {"id": "b", "text": "Mon innovation sociale (besoin + réponse)"},
                    {"id": "c", "text": "Mes axes d'amélioration + mes questions"},
                ],
            },
        ],
    },
    "pitch": {
        "title": "Booster la dimension innovation sociale",
        "pitch_minutes": 2,
        "exchange_minutes": 15,
        "feedback_categories": [
            {"id": "retour-pitch", "label": "Retour sur le pitch IS"},
            {"id": "conseils", "label": "Conseils sur les pistes d'amélioration"},
            {
                "id": "accompagnement",
                "label": "Pistes concrètes d'accompagnement et/ou de financement",
            },
        ],
    },
    "resources": [
        {"title": "Mode d'emploi « innovation sociale »", "note": "de l'AVISE, juillet 2015"},
        {
            "title": "Grille Avise & Mouves",
            "url": "https://www.avise.org/ressources/grille-innovation-sociale?x=1&y=2",
        },
    ],
    "contact": {"name": "Basile BOUBERT", "organisation": "ATIS", "email": "contact@example.org"},
    "licence": {
        "name": "CC BY-NC-SA 4.0",
        "url": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "attribution": "Contenu : ATIS – Catalyseur d'Innovation Sociale",
    },
}


def build_fixture_workshop() -> Workshop:
    return Workshop.model_validate(FIXTURE_WORKSHOP)


def load_bundled_workshop(folder: Path = BUNDLED_DIR) -> Workshop | None:
    """The bundled ATIS workshop (every ``*.yaml`` of the folder merged), or None while it is
    not there or not complete yet."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        return None
    data: dict[str, Any] = {}
    for path in files:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.update(loaded)
    try:
        return Workshop.model_validate(data)
    except ValueError:
        return None
