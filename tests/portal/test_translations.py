"""The catalogues are complete, correct and up to date with the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
ZH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
HANT = ROOT / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


def _entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


@pytest.mark.parametrize("path", [ZH, HANT, EN], ids=["zh_Hans", "zh_Hant", "en"])
def test_every_string_is_translated_and_none_is_fuzzy(path):
    untranslated = [e.msgid for e in _entries(path) if not e.translated()]
    fuzzy = [e.msgid for e in _entries(path) if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("path", [ZH, HANT], ids=["zh_Hans", "zh_Hant"])
def test_chinese_translations_keep_every_placeholder(path):
    wrong = []
    for entry in _entries(path):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_catalogue_has_every_string_the_code_uses(tmp_path):
    # makemessages on a copy of the sources, so the working tree is untouched
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            "artifacts",
            "media",
            "staticfiles",
            ".git",
            "*.sqlite3",
            "tests",
            "scripts",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in _entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")}
    committed = {e.msgid for e in _entries(ZH)}
    assert sorted(fresh - committed) == [], "run scripts/i18n.py and translate the new strings"


def test_the_traditional_catalogue_is_the_simplified_one_converted():
    # zh_Hant is generated (scripts/i18n.py): the same msgids as zh_Hans, each
    # the conversion of its Simplified translation, and Traditional only
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import i18n
    finally:
        sys.path.pop(0)
    from core import hant

    simplified = {(e.msgctxt, e.msgid): e for e in _entries(ZH)}
    traditional = {(e.msgctxt, e.msgid): e for e in _entries(HANT)}
    assert sorted(traditional, key=str) == sorted(simplified, key=str)
    stale, leftovers = [], []
    for key, entry in traditional.items():
        source = simplified[key]
        pairs = (
            zip(source.msgstr_plural.values(), entry.msgstr_plural.values(), strict=True)
            if entry.msgid_plural
            else [(source.msgstr, entry.msgstr)]
        )
        for zh, text in pairs:
            if text != i18n.to_traditional(zh):
                stale.append(entry.msgid)
            if hant.still_simplified(text):
                leftovers.append((entry.msgid, text))
    assert stale == [], "run scripts/i18n.py"
    assert leftovers == []
