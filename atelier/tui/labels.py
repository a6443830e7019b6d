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
KEY_TALLY = "Saisir le vote"
KEY_TALLY_RESET = "Remettre à 0"
KEY_SUMMARY = "Bilan"
KEY_TIMER_TOGGLE = "Lancer/pause"
KEY_PLUS_MINUTE = "+1 min"
KEY_MINUS_MINUTE = "−1 min"
KEY_NEXT_PHASE = "Phase suiv."
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
    "atelier réessaie à chaque modification. Touche F2 : enregistrer ailleurs."
)
STALE_LOCK_NOTICE = "{notice}"
LATENESS = "Retard : {value}"

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
QUIZ_ANSWER_HINT = "Touches : {keys} pour compter une main · Entrée ou → pour révéler"
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

# -- closing --------------------------------------------------------------------------------
RESOURCES = "Ressources"
CONTACT = "Contact"
LICENCE = "Licence"

# -- help -----------------------------------------------------------------------------------
HELP_TITLE = "Aide — les touches"
HELP_FOOTER = "Échap ou ? pour fermer"

# -- dialogs --------------------------------------------------------------------------------
YES = "Oui"
NO = "Non"
SAVE_ELSEWHERE_TITLE = "Enregistrer la session dans un autre dossier"
SAVE_ELSEWHERE_HINT = "Chemin d'un dossier où écrire (il sera créé s'il n'existe pas) :"
SAVE_ELSEWHERE_DONE = "Session enregistrée dans {path}"
THEME_HELP = "Basculer entre le thème sombre et le thème clair à fort contraste"
