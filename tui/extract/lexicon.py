"""English word forms for the config's cue words.

Config lists base forms ("hope", "meet", "postpone"); text has "hopes",
"hoped", "meeting". The tagger's lemma is not always right ("hopes" ->
"hop"), so surface forms are matched too.
"""

from __future__ import annotations

IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "write": ["wrote", "written"],
    "speak": ["spoke", "spoken"],
    "meet": ["met"],
    "hold": ["held"],
    "make": ["made"],
    "go": ["went", "gone"],
    "take": ["took", "taken"],
    "give": ["gave", "given"],
    "seek": ["sought"],
    "put off": ["putting off"],
    "call off": ["called off", "calling off"],
}


def inflections(words: list[str] | set[str]) -> set[str]:
    """Every word with its regular -s, -ed and -ing forms (and common irregular ones)."""
    forms: set[str] = set()
    for w in words:
        w = w.lower().strip()
        if not w:
            continue
        forms.add(w)
        forms.update(IRREGULAR.get(w, []))
        if " " in w:
            continue
        forms.update({w + "s", w + "es", w + "ed", w + "d", w + "ing"})
        if w.endswith("e"):
            forms.add(w[:-1] + "ing")
        if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
            forms.update({w[:-1] + "ied", w[:-1] + "ies"})
        if len(w) > 2 and w[-1] not in "aeiouwyx" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            forms.update({w + w[-1] + "ed", w + w[-1] + "ing"})  # "plan" -> "planned"
    return forms
