#!/usr/bin/env python
"""Refresh the translation catalogues.

    .venv/bin/python scripts/i18n.py            # makemessages + fill + report
    .venv/bin/python scripts/i18n.py --check    # exit 1 if anything is missing

Source strings are English. `locale/zh_Hans` carries the Chinese translation
of every string (the site's default language); `locale/en` is the English
catalogue, kept complete by copying each msgid, so a reviewer can see at a
glance that nothing is left out. New Chinese translations go straight into
zh_Hans's django.po, or, when several people translate at once, into JSON
fragments (`locale/fragments/<name>.json`, {msgid: chinese}) that this script
merges; delete a fragment once merged (the .po is the source of truth).
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
IGNORE = [".venv", "node_modules", "artifacts", "staticfiles", "media", "tests", "scripts"]


def makemessages() -> None:
    cmd = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "zh_Hans",
        "-l",
        "en",
        "--no-obsolete",
        "--no-location",
    ]
    for pattern in IGNORE:
        cmd += ["--ignore", pattern]
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def fragments() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALE / "fragments").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill() -> tuple[list[str], int]:
    known = fragments()
    zh = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    zh.metadata["Language"] = "zh_Hans"
    zh.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    zh.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing, filled = [], 0
    for entry in zh:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                text = known.get(entry.msgid) or known.get(entry.msgid_plural)
                if text:
                    entry.msgstr_plural = {0: text}
                    filled += 1
                else:
                    missing.append(entry.msgid)
        elif not entry.msgstr:
            if entry.msgid in known:
                entry.msgstr = known[entry.msgid]
                filled += 1
            else:
                missing.append(entry.msgid)
    zh.save()

    en = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    en.metadata["Language"] = "en"
    en.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in en:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    en.save()
    return missing, filled


def main() -> int:
    makemessages()
    missing, filled = fill()
    print(f"filled {filled} from fragments; {len(missing)} without a Chinese translation")
    for msgid in missing:
        print("  missing:", msgid.replace("\n", "\\n")[:120])
    return 1 if ("--check" in sys.argv and missing) else 0


if __name__ == "__main__":
    sys.exit(main())
