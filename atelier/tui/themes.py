"""Two high-contrast themes: dark for a dim room, light for a bright one.

Textual ships no high-contrast theme; a projector washes out mid-tones, so these use pure
black and white with a few saturated accents and no grey text.
"""

from textual.theme import Theme

DARK_THEME = Theme(
    name="atelier-sombre",
    primary="#FFD400",
    secondary="#00C8FF",
    accent="#FFD400",
    warning="#FF9F00",
    error="#FF3B3B",
    success="#3BE03B",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    text_alpha=1.0,
    variables={
        "footer-background": "#000000",
        "footer-key-foreground": "#FFD400",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD400",
        "input-selection-background": "#FFD400 40%",
    },
)

LIGHT_THEME = Theme(
    name="atelier-clair",
    primary="#0033A0",
    secondary="#6A00A8",
    accent="#0033A0",
    warning="#A04800",
    error="#B00000",
    success="#006B00",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#F0F0F0",
    dark=False,
    text_alpha=1.0,
    variables={
        "footer-background": "#FFFFFF",
        "footer-key-foreground": "#0033A0",
        "footer-description-foreground": "#000000",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-background": "#0033A0",
        "input-selection-background": "#0033A0 30%",
    },
)

THEMES = (DARK_THEME, LIGHT_THEME)
