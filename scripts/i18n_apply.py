"""Fill .po catalogues from reviewed translation files.

    python scripts/i18n_apply.py LANG.po TRANSLATIONS.json [...]

Each JSON file maps msgid -> msgstr. Placeholders (%(name)s, %s, {{ ... }}) and markup tags must be
the same in both, or the translation is refused and reported.
"""
import json
import re
import sys

import polib

TOKENS = re.compile(r"%\([a-z_0-9]+\)[sdf]|%[sd]|\{\{.*?\}\}|<[^>]+>|&[a-z]+;|\{[a-z_0-9]*\}")


def apply(po_path, json_paths):
    catalog = polib.pofile(po_path, wrapwidth=0)
    translations = {}
    for path in json_paths:
        with open(path, encoding="utf-8") as handle:
            translations.update(json.load(handle))
    refused = filled = 0
    for entry in catalog:
        text = translations.get(entry.msgid)
        if not text:
            continue
        if sorted(TOKENS.findall(entry.msgid)) != sorted(TOKENS.findall(text)):
            print(f"refused (placeholders differ): {entry.msgid!r} -> {text!r}")
            refused += 1
            continue
        entry.msgstr = text
        filled += 1
    catalog.save(po_path)
    missing = sum(1 for entry in catalog if entry.msgid and not entry.msgstr)
    print(f"{po_path}: {filled} filled, {refused} refused, {missing} untranslated of {len(catalog)}")


if __name__ == "__main__":
    apply(sys.argv[1], sys.argv[2:])
