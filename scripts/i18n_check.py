#!/usr/bin/env python3
"""List the msgids of i18n/woocommerce_connector.pot that i18n/fa.po or i18n/ru.po does not translate.

    scripts/i18n_check.py [LANG ...]      (default: fa ru)

Prints one block per language (the missing msgids, one per line, escaped as
in the .po) and exits 1 when any is missing. An entry counts as translated
when the .po has the msgid with a non-empty msgstr. No dependencies.
"""

import ast
import sys
from pathlib import Path

I18N = Path(__file__).resolve().parent.parent / "i18n"
POT = I18N / "woocommerce_connector.pot"


def entries(path):
    """``{msgid: msgstr}`` of a .po/.pot file (header and obsolete entries left out)."""
    result, current, key = {}, {}, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if line.startswith(("msgid ", "msgstr ")):
            key, _space, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line:
            if current.get("msgid"):
                result[current["msgid"]] = current.get("msgstr", "")
            current, key = {}, None
        elif line.startswith("msgctxt") or line.startswith("msgid_plural"):
            key = None
    return result


def missing(lang):
    po = I18N / f"{lang}.po"
    translated = entries(po) if po.exists() else {}
    return [msgid for msgid in entries(POT) if not translated.get(msgid)]


def main(langs):
    status = 0
    for lang in langs or ["fa", "ru"]:
        gaps = missing(lang)
        print(f"{lang}: {len(gaps)} msgids without a translation")
        for msgid in gaps:
            print("  " + msgid.encode("unicode_escape").decode("ascii") if "\n" in msgid else "  " + msgid)
        status = status or (1 if gaps else 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
