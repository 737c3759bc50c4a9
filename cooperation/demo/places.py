"""The sources of the demo data (the report, and this site for what it invents)."""

from cooperation.models import Source

from .common import REPORT_DATE, REPORT_URL, tr, upsert

# --- Sources and districts ---------------------------------------------------------------


def sources() -> dict[str, Source]:
    report = upsert(
        Source,
        {"key": "people-2023-07-02"},
        {
            **tr("publisher", "人民网", "People's Daily Online"),
            **tr(
                "title",
                "怀柔东城结对协作五年 经济社会多领域结硕果",
                "Huairou and Dongcheng: five years of paired cooperation bear fruit in many fields",
            ),
            "published_on": REPORT_DATE,
            "url": REPORT_URL,
            "kind": Source.Kind.REPORTED,
        },
    )
    demo = upsert(
        Source,
        {"key": "demo"},
        {
            **tr("publisher", "本站", "This site"),
            **tr("title", "示例数据（并非报道内容）", "Demo data (not from the report)"),
            "published_on": None,
            "url": "",
            "kind": Source.Kind.DEMO,
        },
    )
    return {"report": report, "demo": demo}
