#!/usr/bin/env python
"""Refresh the translation catalogues.

    .venv/bin/python scripts/i18n.py            # makemessages + fill + report
    .venv/bin/python scripts/i18n.py --check    # exit 1 if anything is missing

Source strings are English. `locale/zh_Hans` carries the Chinese translation
of every string (the site's default language); `locale/en` is the English
catalogue, kept complete by copying each msgid, so a reviewer can see at a
glance that nothing is left out. `locale/zh_Hant` (Traditional Chinese) is
generated from zh_Hans every run with OpenCC's `s2twp` (Taiwan characters and
phrasing), then the reviewed corrections in HANT_FIXES; never edit it by hand
(change zh_Hans, or add a correction here). New Chinese translations go straight into
zh_Hans's django.po, or, when several people translate at once, into JSON
fragments (`locale/fragments/<name>.json`, {msgid: chinese}) that this script
merges; delete a fragment once merged (the .po is the source of truth). A string
with a context (pgettext) is keyed "<context>\u0004<msgid>" in a fragment.
"""

import functools
import json
import subprocess
import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# Where s2twp's Taiwan phrasing is wrong for this site, after review. Applied,
# in order, to the converted text (each left side is s2twp's output).
HANT_FIXES: list[tuple[str, str]] = [
    ("專案", "項目"),  # the programme's 共建項目 and items in general: not "a project plan"
    ("釋出", "發布"),  # 發布方/發布日期 (published): 釋出 is "release (software)"
    ("批次", "批量"),  # bulk orders (批量訂單), not orders of a production lot
    ("型別", "類型"),  # kinds of pairing, traveller: 型別 is a programming type
    ("程式碼", "代碼"),  # a district's or field's code, not source code
    ("支援", "支持"),  # 支持資金: the report's term for the funds
    ("社群", "社區"),  # 社區衛生服務中心 (community health centre)
    ("感測器", "傳感器"),  # the 儀器傳感器產業發展基金 is a name
    ("人工智慧", "人工智能"),  # a field's name as the report gives it (as in the content)
    ("高階", "高端"),  # 高端儀器裝備: a field's name as the report gives it
    ("政策檔案", "政策文件"),  # a policy document, not a computer file
    ("引數", "參數"),  # a query parameter, not a function argument
    ("畫素", "像素"),  # the usual word in Taiwan and Hong Kong alike
    ("隻能", "只能"),  # s2t's 只→隻 (a measure word) misread in 訂單只能
    ("賬", "帳"),  # 帳戶, 帳號, 轉帳, 帳面: Taiwan's standard form, which s2twp leaves
]

# One word for demo items in Simplified Chinese (issue 13): 示例, never 演示.
# Applied to every zh_Hans translation on every run, in order, so a catalogue
# taken from either side of a merge conflict comes out right after this script.
ZH_WORDING: list[tuple[str, str]] = [
    ("为演示编造", "系虚构的示例数据"),
    ("演示用的虚构数据", "虚构的示例数据"),
    ("演示", "示例"),
]

IGNORE = [".venv", "node_modules", "artifacts", "staticfiles", "media", "tests", "scripts"]


def makemessages() -> None:
    cmd = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "zh_Hans",
        "-l",
        "zh_Hant",
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


def zh_wording(text: str) -> str:
    for wrong, right in ZH_WORDING:
        text = text.replace(wrong, right)
    return text


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
            # A string with a context (pgettext) is keyed "context\u0004msgid", as
            # gettext itself keys it, so 订单 and 顺序 can both translate "order".
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if key in known:
                entry.msgstr = known[key]
                filled += 1
            else:
                missing.append(entry.msgid)
        entry.msgstr = zh_wording(entry.msgstr)
        entry.msgstr_plural = {k: zh_wording(v) for k, v in entry.msgstr_plural.items()}
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
    fill_traditional(zh)
    return missing, filled


@functools.cache
def _s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


def to_traditional(text: str, converter=None) -> str:
    """``text`` (a zh_Hans translation) as zh_Hant shows it."""
    text = (converter or _s2twp()).convert(text)
    for wrong, right in HANT_FIXES:
        text = text.replace(wrong, right)
    return text


def fill_traditional(zh: polib.POFile) -> None:
    """zh_Hant's django.po: every zh_Hans translation, converted."""
    converter = _s2twp()
    source = {(e.msgctxt, e.msgid): e for e in zh if not e.obsolete}
    path = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    hant = polib.pofile(str(path))
    hant.metadata["Language"] = "zh_Hant"
    hant.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    hant.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in hant:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        found = source.get((entry.msgctxt, entry.msgid))
        if found is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {
                index: to_traditional(text, converter)
                for index, text in found.msgstr_plural.items()
                if text
            }
        else:
            entry.msgstr = to_traditional(found.msgstr, converter)
    hant.save()


def main() -> int:
    makemessages()
    missing, filled = fill()
    print(f"filled {filled} from fragments; {len(missing)} without a Chinese translation")
    for msgid in missing:
        print("  missing:", msgid.replace("\n", "\\n")[:120])
    return 1 if ("--check" in sys.argv and missing) else 0


if __name__ == "__main__":
    sys.exit(main())
