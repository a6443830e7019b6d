"""Every string the app itself shows (the workshop's own words come from content/).

One place, so the UI can be proofread — or translated — without reading the screens.
"""

APP_TITLE = "atelier"

# -- keys (footer and help) -----------------------------------------------------------------
KEY_NEXT = "Suivant"
KEY_PREVIOUS = "Précédent"
KEY_NEXT_STEP = "Étape suiv."
KEY_PREVIOUS_STEP = "Étape préc."
KEY_PROGRAMME = "Programme"
KEY_HELP = "Aide"
KEY_THEME = "Contraste"
KEY_QUIT = "Quitter"
KEY_REVEAL = "Révéler"
KEY_HIDE = "Cacher la réponse"
KEY_ONWARD = "Suite"
KEY_TALLY = "Saisir le vote"
KEY_TALLY_RESET = "Remettre à 0"
KEY_SUMMARY = "Bilan"
KEY_TIMER_TOGGLE = "Lancer/pause"
KEY_PLUS_MINUTE = "+1 min"
KEY_MINUS_MINUTE = "−1 min"
KEY_GO = "Aller à l'étape"
KEY_CLOSE = "Fermer"
KEY_SAVE_ELSEWHERE = "Enregistrer ailleurs"

# -- header and status ----------------------------------------------------------------------
STEP_OF = "Étape {number}/{total}"
SESSION = "Session : {name}"
PRACTICE = "Entraînement (rien n'est enregistré)"
SAVED = "✔ enregistré"
NOT_SAVED = (
    "⚠ NON ENREGISTRÉ — {reason}. Vos saisies sont gardées en mémoire ; "
    "atelier réessaie toutes les 5 s et à chaque modification. F2 : enregistrer ailleurs."
)
QUIT_UNSAVED = "La session n'est pas enregistrée ({reason}). Quitter quand même ?"
QUIT_UNSAVED_DETAIL = (
    "Une copie de secours de tout ce qui n'est pas enregistré sera écrite dans {place} "
    "(ou, à défaut, à côté de la session, puis dans le dossier temporaire) ; "
    "« atelier run --session {name} » la reprendra. « Non » pour rester : F2 enregistre ailleurs."
)
QUIT_UNSAVED_YES = "Oui, quitter avec une copie de secours"
STALE_LOCK_NOTICE = "{notice}"
FORECAST_END = "fin prévue {time}"
SCHEDULE_SHIFTED = "plan décalé de {shift} (séance commencée à {start})"

# -- programme ------------------------------------------------------------------------------
PROGRAMME_TITLE = "Programme"
PROGRAMME_PLANNED = "Prévu"
PROGRAMME_ACTUAL = "Réel"
PROGRAMME_STEP = "Étape"
PROGRAMME_DURATION = "Durée"
PROGRAMME_NOW = "▶"
PROGRAMME_DONE = "✔"
PROGRAMME_HINT = "↑↓ choisir · Entrée aller à l'étape · Échap fermer"

# -- quiz -----------------------------------------------------------------------------------
QUIZ_PROGRESS = "{index} / {count}"
QUIZ_ANSWER_IS = "Réponse :"
QUIZ_HANDS = "{count} main(s)"
QUIZ_NOT_COUNTED = "vote non saisi"
QUIZ_TALLY_TITLE = "Votes de la salle"
QUIZ_TALLY_HINT = "Nombre de mains levées pour chaque réponse, puis Entrée."
QUIZ_SUMMARY_TITLE = "Bilan du quiz"
QUIZ_SUMMARY_STATEMENT = "Affirmation"
QUIZ_SUMMARY_ANSWER = "Réponse"
QUIZ_SUMMARY_ROOM = "La salle"
QUIZ_RIGHT_SHARE = "{share:.0%} de bonnes réponses ({right}/{total})"
QUIZ_NOT_REVEALED = "pas encore révélée"
QUIZ_EXAMPLES = "Exemples"
QUIZ_NEED = "Besoin"
QUIZ_ANSWER_HINT = "Touches : {keys} pour compter une main · Entrée pour révéler"
PRACTICE_RIGHT = "✔ Bonne réponse !"
PRACTICE_WRONG = "✘ Ce n'est pas ça."
PRACTICE_SCORE = "Votre score : {score} / {count}"
PRACTICE_HINT = "Répondez avec : {keys}"
PRACTICE_AGAIN = "Entrée : recommencer · ctrl+q : quitter"

# -- timers ---------------------------------------------------------------------------------
TIMER_READY = "Espace pour lancer"
TIMER_PAUSED = "⏸ En pause"
TIMER_WARNING = "⚠ Moins d'une minute"
TIMER_EXPIRED = "⏰ Temps écoulé"
PAUSE_TITLE = "Pause"

# -- quitting -------------------------------------------------------------------------------
QUIT_TITLE = "Quitter l'atelier ?"
QUIT_TIMER_RUNS = "Un minuteur tourne."
QUIT_ON_STAGE = "Le projet « {name} » est au pitch."
QUIT_DETAIL = "Tout est déjà enregistré. Pour reprendre plus tard : {command}"
QUIT_HINT = "^Q de nouveau : quitter · Entrée ou Échap : rester"
QUIT_YES = "Oui, quitter"
QUIT_NO = "Rester"

# -- closing --------------------------------------------------------------------------------
RESOURCES = "Ressources"
CONTACT = "Contact"
LICENCE = "Licence"

# -- help -----------------------------------------------------------------------------------
HELP_TITLE = "Aide — les touches"
HELP_FOOTER = "Toutes les touches, et pourquoi : docs/keyboard.md · Échap ou F1 pour fermer"

# -- dialogs --------------------------------------------------------------------------------
YES = "Oui"
NO = "Non"
SAVE_ELSEWHERE_TITLE = "Enregistrer la session dans un autre dossier"
SAVE_ELSEWHERE_HINT = "Chemin d'un dossier où écrire (il sera créé s'il n'existe pas) :"
SAVE_ELSEWHERE_DONE = "Session enregistrée dans {path}"
THEME_HELP = "Basculer entre le thème sombre et le thème clair à fort contraste"

# -- pitch round (séquence 4; atelier/tui/screens/pitch.py) ---------------------------------
KEY_PITCH_ROOM = "Mode salle"
KEY_PITCH_VOLUNTEERS = "Volontaires"
KEY_PITCH_TAKE = "Au pitch"
KEY_PITCH_WITHDRAW = "Retirer"
KEY_PITCH_UP = "Monter"
KEY_PITCH_DOWN = "Descendre"
KEY_PITCH_LEAVE_FIELD = "Quitter le champ"
PITCH_QUEUE_TITLE = "Ordre de passage"
PITCH_QUEUE_EMPTY = "Aucun projet volontaire. Entrée : choisir les volontaires, ajouter un projet"
PITCH_QUEUE_HINT = "Entrée : menu du projet · ⇧↑ ⇧↓ : ordre · Suppr : retirer · Échap : ici"
PITCH_ONWARD_EXCHANGE = "^N : l'échange"
PITCH_ONWARD_NEXT = "^N : projet suivant"
PITCH_MENU_TITLE = "« {name} »"
PITCH_MENU_NOBODY = "La file des pitchs"
PITCH_MENU = (
    ("enter", "take", "Entrée", "au pitch (ou y revenir)"),
    ("p", "skip", "p", "passer son tour (il pourra revenir)"),
    ("t", "done", "t", "terminé"),
    ("r", "withdraw", "r", "retirer de la file (ses notes restent)"),
    ("v", "volunteers", "v", "choisir les volontaires"),
    ("a", "add", "a", "ajouter un projet"),
)
PITCH_MENU_HINT = "Échap : fermer sans rien faire"
PITCH_PARKED = "⏸ {name} — en pause"
PITCH_NOBODY = "Personne au pitch"
PITCH_NOBODY_HINT = (
    "^T (F5) : appeler le premier projet de la file · Entrée sur la file : volontaires, ajouter"
)
PITCH_NOBODY_TO_NOTE = (
    "Personne au pitch : ce qui est tapé ne s'écrit nulle part. Appelez un projet (Entrée sur "
    "la file, ou ^T) : ses notes prennent le texte."
)
PITCH_ROUND_OVER = "Tous les projets sont passés · ^L : le bilan"
PITCH_PHASE_PITCH = "PITCH · {minutes}"
PITCH_PHASE_EXCHANGE = "ÉCHANGE · {minutes}"
PITCH_PHASE_DONE = "✔ TERMINÉ"
PITCH_POSITION = "{position}/{count}"
PITCH_BUDGET = "{projects} projet(s), {minutes} min → ~{each} min chacun"
PITCH_BUDGET_AFTER = "Après celui-ci : {projects} projet(s), {minutes} min → ~{each} min chacun"
PITCH_BUDGET_LAST = "Dernier projet · fin prévue {end}"
PITCH_BUDGET_NONE = "Fin prévue {end} · {minutes} min restantes"
PITCH_BUDGET_OVER = "⚠ Fin prévue {end} dépassée de {minutes} min"
PITCH_PREP_EMPTY = "(rien de noté pendant la préparation)"
PITCH_FREE_NOTES = "Notes libres"
PITCH_NOTES_PLACEHOLDER = "Notes…"
PITCH_VOLUNTEERS_TITLE = "Projets volontaires pour le pitch"
PITCH_VOLUNTEERS_HINT = "Espace : cocher ✓ / décocher ☐ · Entrée : valider · Échap : annuler"
PITCH_VOLUNTEERS_NONE_TICKED = (
    "⚠ Aucun projet coché : cochez au moins un projet (Espace), ou Échap pour annuler."
)
PITCH_TICKED = "✓"
PITCH_UNTICKED = "☐"
PITCH_VOLUNTEERS_NONE = (
    "La session n'a pas encore de projet : Entrée sur la file, puis a, pour en ajouter un."
)
PITCH_CANNOT_WITHDRAW = "Le projet au pitch ne peut pas être retiré : passez-le ou terminez-le."
PITCH_SUMMARY_TITLE = "Bilan des pitchs"
PITCH_SUMMARY_PROJECT = "Projet"
PITCH_SUMMARY_PITCH = "Pitch"
PITCH_SUMMARY_EXCHANGE = "Échange"
PITCH_SUMMARY_TOTAL = "Total"
PITCH_SUMMARY_STATE = "État"
PITCH_SUMMARY_OVERTIME = "⚠ +{over}"
PITCH_SUMMARY_EMPTY = "Aucun projet n'a pitché."
PITCH_SUMMARY_LEGEND = "⚠ +m:ss : dépassement du temps prévu (± minutes comprises)."

# -- review: atelier review (issue #8) ------------------------------------------------------
REVIEW_TITLE = "Relecture · {workshop} · session {session} · lecture seule"
REVIEW_OVERVIEW = "Vue d'ensemble"
REVIEW_FACILITATOR = "Animation"
PALETTE_PLACEHOLDER = "Chercher une commande, une étape…"
PAGE_PART = "partie {part} / {parts}"
PAGE_COUNTED = "{label} {span} / {count}"
QUIZ_EXAMPLES = "exemples"
KEY_PAGE_NEXT = "Page suiv."
KEY_PAGE_PREVIOUS = "Page préc."
KEY_SEARCH = "Rechercher"
SEARCH_TITLE = "Chercher dans toutes les notes"
SEARCH_PLACEHOLDER = "un mot (majuscules et accents ignorés)"
SEARCH_EMPTY = "Noms, porteurs, commentaires, axes, préparation du pitch, retours, notes."
SEARCH_NONE = "Rien trouvé."
SEARCH_COUNT = "{count} texte(s) trouvé(s)"
SEARCH_OCCURRENCES = "{count} fois"
SEARCH_HINT = "↑↓ choisir · Entrée aller au projet · Échap fermer"

# -- self-assessment on the grid (séquence 2; screens assessment, grid_entry, projects,
#    assessment_summary) ---------------------------------------------------------------------
KEY_PREVIOUS_PHASE = "Phase préc."
KEY_GRID = "Grille"
KEY_ADD_PROJECT = "Ajouter projet"
KEY_RENAME_PROJECT = "Renommer"
KEY_REMOVE_PROJECT = "Supprimer"
KEY_PROFILE = "Profil"
KEY_ROOM = "Bilan salle"
KEY_JOIN_CODE = "Code équipe"
KEY_CHOOSE_PROJECT = "Choisir le projet"
KEY_NEXT_PROJECT = "Projet suiv."
KEY_PREVIOUS_PROJECT = "Projet préc."
KEY_BACK = "Retour"
KEY_LEVEL_DOWN = "Niveau −"
KEY_LEVEL_UP = "Niveau +"
KEY_CLEAR_LEVEL = "Effacer le niveau"
KEY_PROGRESS = "Marquer ✚"
KEY_COMMENT = "Commentaire"
KEY_GRID_TEXTS = "Grille/textes"

PHASE_HEADING = "{index}/{count}  {name}"
PHASE_STRIP_ITEM = "{mark} {number} {name} {minutes}"
PHASE_STRIP_SEPARATOR = "  "
PHASE_CURRENT = "▶"
PHASE_DONE = "✔"
PHASE_TODO = "○"
PHASE_PROMPT = "{id}) {text}"

PROJECTS_TITLE = "{projects}, {complete} — ↑↓ choisir · Entrée : sa grille"
PROJECTS_TITLE_PHONES = PROJECTS_TITLE + " · c : code d'équipe"
PROJECTS_COUNT = ("{count} projet", "{count} projets")
PROJECTS_COMPLETE = ("{count} grille complète", "{count} grilles complètes")
PROJECT_FROM_PHONE = " · téléphone"
PROJECTS_NONE = "Aucun projet saisi · a : ajouter un projet (le minuteur marche sans)"
PROJECT_CHOSEN = "▶ "
PROJECT_NOT_CHOSEN = "  "
PROJECT_CARRIERS_SUFFIX = " ({carriers})"
PROJECT_SCORED = " · {scored}/{total} critères"
PROJECT_PROGRESS_COUNT = " · ✚ {count}"
JOIN_CODE_TITLE = "Code pour rejoindre « {name} »"
JOIN_CODE_ORIGIN = "Projet créé depuis un téléphone · {phones}."
JOIN_CODE_PHONES = ("{count} téléphone", "{count} téléphones")
JOIN_CODE_HIDDEN = "•••• ••••"
JOIN_CODE_PRIVATE = (
    "Le code est caché : l'écran du portable est souvent celui du projecteur, et le code "
    "ouvre ce projet à qui le tape. Coupez le projecteur avant de le montrer, ou lisez-le "
    "sur la télécommande (F12), dans « Codes des équipes »."
)
JOIN_CODE_SHOWN = "À dire à l'équipe seulement. Échap le cache de nouveau."
JOIN_CODE_KEYS_HIDDEN = "v  voir le code    Échap  fermer"
JOIN_CODE_KEYS_SHOWN = "Échap  fermer"
PROJECT_ADD_TITLE = "Nouveau projet"
PROJECT_RENAME_TITLE = "Renommer le projet"
PROJECT_NAME = "Nom du projet"
PROJECT_CARRIERS = "Porteur·euse(s)"
PROJECT_CARRIERS_PLACEHOLDER = "facultatif"
PROJECT_EMAIL = "Courriel de contact (pour envoyer son compte rendu)"
PROJECT_EMAIL_PLACEHOLDER = "facultatif, ex. equipe@exemple.fr"
PROJECT_DIALOG_HINT = "Entrée : champ suivant, puis valider · Échap : annuler"
PROJECT_NAME_EMPTY = "⚠ Le nom du projet est vide."
PROJECT_ADDED = "Projet « {name} » ajouté"
PROJECT_REMOVED = "Projet « {name} » supprimé (fichier gardé dans deleted/)"
PROJECT_REMOVE_QUESTION = "Supprimer le projet « {name} » ?"
PROJECT_REMOVE_DETAIL = (
    "Sa grille, ses textes et ses notes quittent la session ; "
    "son fichier est déplacé dans le dossier deleted/ de la session."
)
PROJECT_REMOVE_YES = "Oui, supprimer"
CONFIRM_HINT = "{key} de nouveau : {yes} · n, Entrée ou Échap : non"

GRID_SCORED = "{scored}/{total} critères notés"
GRID_NOT_SCORED = "non noté"
GRID_BAR_FULL = "█"
GRID_BAR_EMPTY = "░"
GRID_BAR_NONE = "·"
GRID_CHOSEN = "▶ "
GRID_NOT_CHOSEN = "  "
GRID_PROGRESS_MARK = "✚"
GRID_COMMENT_MARK = "✎"
GRID_PROGRESS_SUFFIX = "   ✚ {label}"  # the workshop's Workshop.progress_label
GRID_CRITERION_TITLE = "{dimension} › {criterion}"
GRID_COMMENT_LABEL = "✎ Commentaire : "
GRID_COMMENT_PLACEHOLDER = "facultatif (c ou Entrée pour écrire, Entrée pour revenir)"
GRID_KEYS_HINT = "1–{count} ← → niveau · 0 effacer · m ✚ · lettre ou c : commentaire · ^F textes"
GRID_PHASE_SEPARATOR = " · "
GRID_TEXTS_HINT = "Tab : champ suivant · ^F : la grille · Échap : fermer — tout est enregistré"

SUMMARY_BAR_FULL = "█"
SUMMARY_BAR_LOWER = "▀"
SUMMARY_BAR_REST = "░"
SUMMARY_BAR_NONE = "·"
SUMMARY_LEVELS = "{levels}"
SUMMARY_LEVEL_SEPARATOR = " · "
PROFILE_TITLE = "Profil — {name}"
PROFILE_PROGRESS = " · ✚ {count} « {label} »"
PROFILE_LEGEND_PROGRESS = "   ✚ {label}"
ROOM_TITLE = "La salle — {count} projet(s)"
ROOM_SUBTITLE = "Du critère le plus faible au plus fort : ce que le pitch peut creuser"
ROOM_NO_PROJECT = "Aucun projet saisi : rien à montrer."
ROOM_CRITERION = "Critère"
ROOM_UNSCORED = "?"
ROOM_LEGEND = "   ? non noté   ✚ {label}"

# -- unexpected errors ----------------------------------------------------------------------
CRASHED = (
    "atelier s'est arrêté sur une erreur inattendue. Ce qui avait été saisi est enregistré "
    "dans la session ; reprenez là où vous en étiez avec « {command} ». "
    "Les détails pour les développeurs sont dans {log}."
)
CRASH_LOG_UNAVAILABLE = "(journal impossible à écrire)"

# -- voting from phones (atelier/tui/vote.py, widgets/vote_panel.py) --------------------------
KEY_VOTE = "Vote mobiles"
VOTE_SCAN = "Votez depuis votre téléphone"
VOTE_COUNT_ZERO = "0 vote"
VOTE_COUNT_ONE = "1 vote"
VOTE_COUNT_MANY = "{count} votes"
VOTE_CLOSED = "votes clos"
VOTE_WAITING = "en attente de la question"
VOTE_SHARE = "{count} · {share:.0%}"
VOTE_STARTED = "Vote depuis les téléphones : {url}"
VOTE_STOPPED = "Vote depuis les téléphones arrêté."
VOTE_FAILED = "Le vote depuis les téléphones n'a pas pu démarrer : {error}"
VOTE_NO_QUIZ = "Cet atelier n'a pas de quiz : rien à voter."
VOTE_LOOPBACK_ONLY = "⚠ adresse locale (127.0.0.1) : les téléphones ne pourront pas se connecter"

# Textual's own bindings, shown in the help in French.
TEXTUAL_KEYS = {
    "Focus Next": "Champ suivant",
    "Focus Previous": "Champ précédent",
    "Copy selected text": "Copier la sélection",
    "Quit": KEY_QUIT,
    "Palette": "Palette de commandes",
}

# -- the room's phones: follow-along page and feedback cards (atelier/tui/vote.py) --------------
KEY_PHONES = "Téléphones de la salle"
PHONES_HELP = "Démarrer ou arrêter la page que suivent les téléphones (vote, retours)"
KEY_CARD_ACCEPT = "Accepter la carte de la salle"
KEY_CARD_SET_ASIDE = "Écarter la carte de la salle"
PITCH_INBOX_TITLE = "Retours de la salle ({count})"
PITCH_INBOX_KEYS = "^Y dans la note · ^X écarter"
PITCH_INBOX_MORE = "  … et {count} de plus, puis :"
PITCH_INBOX_MORE_END = "  … et {count} de plus"
FOLLOW_PITCH = "Pitch"
FOLLOW_EXCHANGE = "Échange"
REVIEW_ROOM_CARDS = "Retours de la salle"
REVIEW_CARD_STATUS = {"pending": "en attente", "accepted": "accepté", "set_aside": "écarté"}


def _typeset() -> None:
    """Every label with its no-break spaces (« Retard : … » never breaks before « : »)."""
    from atelier.tui.typography import french_spacing

    for name, value in list(globals().items()):
        if not name.isupper():
            continue
        if isinstance(value, str):
            globals()[name] = french_spacing(value)
        elif isinstance(value, dict):
            globals()[name] = {
                key: french_spacing(item) if isinstance(item, str) else item
                for key, item in value.items()
            }


_typeset()

# -- the facilitator's remote (atelier/tui/remote.py, screens/remote_dialog.py) -------------------

KEY_REMOTE = "Télécommande de l'animateur"
REMOTE_HELP = "Piloter depuis un téléphone : adresse privée (QR code), à ne pas projeter"
REMOTE_TITLE = "Télécommande de l'animateur"
REMOTE_PRIVATE = (
    "Adresse privée : elle pilote l'atelier. Ne la projetez pas et ne la partagez pas "
    "avec la salle."
)
REMOTE_KEYS = "n  nouveau lien (l'ancien ne marche plus)    Échap  fermer"
REMOTE_REVOKED = "Nouveau lien de télécommande : l'ancien est refusé."
REMOTE_NEEDS_SERVER = (
    "La télécommande passe par le serveur des téléphones : il faut un atelier avec un quiz "
    "(voir docs/vote.md)."
)
REMOTE_PAGE = "Page {index} / {count}"
REMOTE_STATEMENT = "Affirmation {index} / {count}"
REMOTE_FREE_NOTES = "Notes libres"
REMOTE_STAGE_STATUS = {"pitch": "pitch", "exchange": "échange"}


def counted(forms: tuple[str, str], count: int) -> str:
    """« 1 projet », « 0 grille complète », « 5 projets » (French: plural from 2)."""
    return forms[0 if count < 2 else 1].format(count=count)
