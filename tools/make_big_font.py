"""Build atelier's block-letter font, ``atelier/tui/fonts/unscii-8-fr.hex``, from unscii-8.

The big letters of the projected pages (quiz statements, titles, the timer, short pages) are drawn
from unscii-8 by viznut (https://github.com/viznut/unscii), a public-domain (CC0) 8 × 8 bitmap
font whose glyphs cover French completely: lower and upper case, every accent, « » ’ & … – — €.
Its ``.hex`` format (one ``CODEPOINT:BITMAP`` line per glyph, 16 hex digits = 8 rows of 8 pixels)
needs no parser. atelier ships only the glyphs a workshop text can use (Latin, punctuation,
arrows, ticks: about 11 KB instead of 73 KB), in the same format, plus five signs unscii-8
lacks (``EXTRA``).

    python tools/make_big_font.py path/to/unscii/fontfiles/unscii-8.hex

(unscii-8.hex only: the ``-full`` variants contain GNU Unifont glyphs, under the GPL.)
"""

from __future__ import annotations

import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "atelier" / "tui" / "fonts" / "unscii-8-fr.hex"

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A (Œ œ Ÿ)
    (0x2010, 0x205F),  # General Punctuation (’ “ ” … – — • ‹ ›, narrow no-break space)
    (0x20AC, 0x20AC),  # €
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≈ ≠ ≤ ≥)
    (0x25A0, 0x25FF),  # geometric shapes (▪ ◦ ●)
    (0x2700, 0x27BF),  # dingbats (✔ ✘ ➔)
]
"""Codepoints kept, when unscii-8 draws them."""

EXTRA = {
    0x2714: "0307060EDCF8F070",  # ✔ heavy check mark (unscii has only ✓), drawn for atelier
    0x2718: "C3E77E3C7EE7C300",  # ✘ heavy ballot X, drawn for atelier
    0x2794: "080C0EFFFF0E0C08",  # ➔ heavy arrow, drawn for atelier after unscii's →
    0x203A: "000030180C183000",  # › single right angle quotation mark (positions in messages)
    0x271A: "0018187E7E181800",  # ✚ heavy greek cross (the grid's progress mark)
}
"""Signs the bundled workshop uses (answer symbols, conclusions) that unscii-8 lacks, drawn in
its style and in the public domain like it. Only where unscii has no glyph of its own."""


def wanted(codepoint: int) -> bool:
    return any(low <= codepoint <= high for low, high in RANGES)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    source = Path(sys.argv[1])
    kept = []
    for line in source.read_text("ascii").splitlines():
        code, _, bitmap = line.strip().partition(":")
        if len(bitmap) == 16 and wanted(int(code, 16)):  # 8 × 8 glyphs only
            kept.append(f"{int(code, 16):04X}:{bitmap.upper()}\n")
    have = {int(line.split(":")[0], 16) for line in kept}
    kept += [f"{code:04X}:{bits}\n" for code, bits in EXTRA.items() if code not in have]
    kept.sort(key=lambda line: int(line.split(":")[0], 16))
    OUTPUT.write_text("".join(kept), "ascii")
    print(f"{len(kept)} glyphs → {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
