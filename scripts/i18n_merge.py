"""Merge a freshly exported .pot into .po catalogues (with polib, which Odoo itself uses).

    python scripts/i18n_merge.py TEMPLATE.pot LANG.po [LANG.po ...]

Every term of the template is kept with its Odoo references (model:..., code:...); translations are
carried over by msgid; new terms are added empty and terms no longer in the code are dropped.
Prints, for each catalogue, how many terms it has and how many still lack a translation.
"""
import sys
from pathlib import Path

import polib

LANGUAGES = {"fa": ("Persian", "fa_IR"), "vi": ("Vietnamese", "vi_VN")}


def merge(template_path, po_path):
    template = polib.pofile(template_path, wrapwidth=0)
    code = Path(po_path).stem
    known = {}
    if Path(po_path).exists():
        known = {entry.msgid: entry.msgstr for entry in polib.pofile(po_path) if entry.msgstr}
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = template.header
    catalog.metadata = dict(template.metadata, Language=LANGUAGES.get(code, (code, code))[1])
    catalog.metadata["Plural-Forms"] = "nplurals=1; plural=0;" if code == "fa" or code == "vi" else \
        template.metadata.get("Plural-Forms", "")
    for entry in template:
        entry.msgstr = known.get(entry.msgid, "")
        catalog.append(entry)
    catalog.save(po_path)
    missing = sum(1 for entry in catalog if entry.msgid and not entry.msgstr)
    print(f"{po_path}: {len(catalog)} terms, {missing} untranslated")


if __name__ == "__main__":
    template, *catalogues = sys.argv[1:]
    for path in catalogues:
        merge(template, path)
