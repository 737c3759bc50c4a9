"""Demo items are called one word everywhere (issue 13): 示例, never 演示,
in the catalogues, the templates and the demo data. scripts/i18n.py keeps
the catalogues so (ZH_WORDING) whichever side of a merge conflict was taken."""

from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_no_translation_calls_demo_data_yanshi():
    for language in ("zh_Hans", "zh_Hant"):
        po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
        wrong = [
            e.msgid for e in po if "演示" in e.msgstr or "演示" in "".join(e.msgstr_plural.values())
        ]
        assert wrong == [], language


def test_no_template_or_demo_loader_says_yanshi():
    files = [
        *(ROOT / "templates").rglob("*.html"),
        *ROOT.glob("*/demo*.py"),
        *ROOT.glob("*/demo/*.py"),
    ]
    assert files
    assert [str(f) for f in files if "演示" in f.read_text(encoding="utf-8")] == []


def test_the_demo_badge_says_shili():
    with translation.override("zh-hans"):
        assert translation.gettext("demo") == "示例"
        assert translation.gettext("demo data") == "示例数据"
