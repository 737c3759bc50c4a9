"""The programme ledger in IATI shape: `/cooperation/iati.xml` (issue 16).

The programme maps onto the IATI activity standard (version 2.03) almost one
to one, so it is published as an ``iati-activities`` document, validated in
the tests against the official 2.03 schema (``cooperation/iati_schema/``):

- each **agreement** is a parent activity (``hierarchy="1"``): Dongcheng
  funds (role 1) and Huairou implements (role 4); its fields become sectors;
  its support by year becomes budgets (reported or committed: committed,
  derived from a reported total: indicative);
- each **joint project**, the **fund** and each **pairing** is a child
  activity (``hierarchy="2"``) with a ``related-activity`` back to its
  agreement where one is known; a project's amount is an outgoing commitment;
- each **fund investment** is a transaction of type 8, *purchase of equity*
  (finance type 510, common equity), received by the company; companies still
  in the pipeline are no transaction.

Identifiers. The reporting organisation is Dongcheng District. It has no IATI
organisation identifier yet, so the document uses a clearly marked
placeholder built from the district's administrative-division code (GB/T
2260): ``CN-BJ-110101`` for Dongcheng and ``CN-BJ-110116`` for Huairou.
``CN-BJ`` is **not** a registered org-id.guide prefix; when the district
registers as an IATI publisher, replace ``DISTRICT_REFS`` with its real
identifier (for a government body, ``CN-USCC-`` and its unified social credit
code). Activity identifiers are that prefix, the kind and the row's slug or
number, e.g. ``CN-BJ-110101-project-yanqi-river-ecological-corridor``.

Sectors are OECD DAC 5-digit purpose codes (vocabulary 1), mapped from the
field of cooperation by ``FIELD_SECTORS`` (an approximation: a field covers
several purposes), with the field itself as a sector of the reporting
organisation's own vocabulary (99). Demo rows carry ``dh:is-demo="true"`` in
this site's own namespace (the schema allows foreign attributes) and say so
in their description. Amounts are in yuan (CNY).
"""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from .models import Agreement, AnnualSupport, Fund, FundInvestment, Pairing, Project
from .selectors import FundOverview, Ledger

VERSION = "2.03"
NS = "urn:dongcheng-huairou:cooperation"  # this site's extension namespace
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEMO_ATTR = f"{{{NS}}}is-demo"
CURRENCY = "CNY"

# Placeholders, see the module's docstring: CN-BJ- + the GB/T 2260 code.
DISTRICT_REFS = {"dongcheng": "CN-BJ-110101", "huairou": "CN-BJ-110116"}
REPORTING_DISTRICT = "dongcheng"
ORG_TYPE_GOVERNMENT = "10"  # OrganisationType: Government
ORG_TYPE_PRIVATE = "70"  # Private sector

# IATI codelists used here (2.03).
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_CLOSED = "1", "2", "4"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
SCOPE_SUBNATIONAL_SECOND_LEVEL = "7"  # a district of a province-level city
TRANSACTION_OUTGOING_COMMITMENT, TRANSACTION_PURCHASE_OF_EQUITY = "2", "8"
FINANCE_GRANT, FINANCE_EQUITY = "110", "510"
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "2"
SECTOR_DAC5, SECTOR_REPORTING_ORG = "1", "99"
DOCUMENT_WEB_PAGE = "A12"

PROJECT_STATUS: dict[str, str] = {
    Project.Status.PLANNED: STATUS_PIPELINE,
    Project.Status.IN_PROGRESS: STATUS_IMPLEMENTATION,
    Project.Status.COMPLETED: STATUS_CLOSED,
}
# Field of cooperation → OECD DAC purpose code.
FIELD_SECTORS: dict[str, str] = {
    "ecological_protection": "41030",  # Biodiversity (nature protection)
    "green_ecology": "41030",
    "ecological_value": "41010",  # Environmental policy and administrative management
    "green_development": "32130",  # SME development (the green industries)
    "rural_revitalisation": "43040",  # Rural development
    "low_income_support": "43040",
    "livelihood": "16010",  # Social protection (public services for residents)
    "public_services": "16010",
}
DEFAULT_SECTOR = "43010"  # Multisector aid
PAIRING_SECTORS: dict[str, str] = {
    Pairing.Kind.EDUCATION: "11110",  # Education policy and administrative management
    Pairing.Kind.MEDICAL: "12220",  # Basic health care
    Pairing.Kind.TOWN_STREET: "15112",  # Decentralisation and support to subnational government
    Pairing.Kind.CHAMBER_VILLAGE: "43040",  # Rural development
    Pairing.Kind.PARTY_BUILDING: "15110",  # Public sector policy and administrative management
    Pairing.Kind.CADRE_EXCHANGE: "15110",
    Pairing.Kind.CULTURE_TOURISM: "33210",  # Tourism policy and administrative management
    Pairing.Kind.LABOUR: "16020",  # Employment creation
    Pairing.Kind.SPORTS: "16062",  # Culture and recreation
    Pairing.Kind.ELDERLY_CARE: "16010",  # Social protection
}
FUND_SECTOR = "32130"  # SME development
FIELDS_VOCABULARY_PATH = "cooperation:data"
# A pairing whose start the report does not give: the programme's first year.
PROGRAMME_START = date(2018, 1, 1)

SUMMARY = {
    "version": VERSION,
    "reporting_org": DISTRICT_REFS[REPORTING_DISTRICT],
}


def _ref(kind: str, key) -> str:
    return f"{DISTRICT_REFS[REPORTING_DISTRICT]}-{kind}-{key}"


def agreement_id(agreement: Agreement) -> str:
    return _ref("agreement", agreement.slug)


# --- Building blocks ----------------------------------------------------------------------


def _texts(obj, name: str) -> list[tuple[str, str]]:
    """(language, text) for the Chinese and English versions of a translated field."""
    zh = getattr(obj, f"{name}_zh_hans", None) or getattr(obj, name, "") or ""
    en = getattr(obj, f"{name}_en", None) or ""
    pairs = [("zh", zh)] if zh else []
    if en and en != zh:
        pairs.append(("en", en))
    return pairs


def _narratives(parent: ET.Element, texts: list[tuple[str, str]]) -> ET.Element:
    """Narratives in the activity's language (zh, no attribute) and others."""
    for language, text in texts:
        narrative = ET.SubElement(parent, "narrative")
        if language != "zh":
            narrative.set(XML_LANG, language)
        narrative.text = text
    return parent


def _el(parent: ET.Element, tag: str, text_pairs=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})
    if text_pairs:
        _narratives(element, text_pairs)
    return element


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _value(parent: ET.Element, amount: Decimal, value_date: date) -> None:
    _el(parent, "value", currency=CURRENCY, value_date=value_date.isoformat()).text = _amount(
        amount
    )


def _district_org(parent: ET.Element, code: str, role: str, districts) -> None:
    district = districts.get(code)
    texts = _texts(district, "name") if district else [("zh", code)]
    _el(
        parent,
        "participating-org",
        texts,
        ref=DISTRICT_REFS[code],
        role=role,
        type=ORG_TYPE_GOVERNMENT,
    )


def _start(
    activity: ET.Element,
    ledger: Ledger,
    *,
    title,
    description,
    is_demo: bool,
    identifier: str,
    hierarchy: int,
) -> ET.Element:
    node = _el(activity, "iati-activity", hierarchy=hierarchy)
    node.set(XML_LANG, "zh")
    node.set("default-currency", CURRENCY)
    node.set("last-updated-datetime", timezone.now().isoformat(timespec="seconds"))
    if is_demo:
        node.set(DEMO_ATTR, "true")
    _el(node, "iati-identifier").text = identifier
    reporter = ledger.districts.get(REPORTING_DISTRICT)
    _el(
        node,
        "reporting-org",
        _texts(reporter, "name") if reporter else [("zh", "东城区")],
        ref=DISTRICT_REFS[REPORTING_DISTRICT],
        type=ORG_TYPE_GOVERNMENT,
    )
    _el(node, "title", title)
    texts = list(description) or list(title)
    if is_demo:
        texts = [
            (lang, f"{'示例数据' if lang == 'zh' else 'Demo data'}: {text}") for lang, text in texts
        ]
    _el(node, "description", texts, type="1")
    return node


def _finish(
    node: ET.Element,
    *,
    status: str,
    dates: list[tuple[str, date]],
    sectors,
    budgets=(),
    transactions=(),
    links=(),
    parent_id: str | None = None,
    participants=(),
    finance: str = "",
) -> None:
    """Appends, in the schema's order, everything after the description."""
    for build in participants:
        build(node)
    _el(node, "activity-status", code=status)
    for kind, day in dates:
        _el(node, "activity-date", type=kind, iso_date=day.isoformat())
    _el(node, "activity-scope", code=SCOPE_SUBNATIONAL_SECOND_LEVEL)
    _el(node, "recipient-country", code="CN", percentage="100")
    for vocabulary, code, percentage, texts, uri in sectors:
        attrs = {"vocabulary": vocabulary, "code": code, "percentage": percentage}
        if uri:
            attrs["vocabulary_uri"] = uri
        _el(node, "sector", texts, **attrs)
    if finance:
        _el(node, "default-finance-type", code=finance)
    for status_code, start, end, amount in budgets:
        budget = _el(node, "budget", type=BUDGET_ORIGINAL, status=status_code)
        _el(budget, "period-start", iso_date=start.isoformat())
        _el(budget, "period-end", iso_date=end.isoformat())
        _value(budget, amount, start)
    for build in transactions:
        build(node)
    for url, texts in links:
        link = _el(node, "document-link", format="text/html", url=url)
        _el(link, "title", texts)
        _el(link, "category", code=DOCUMENT_WEB_PAGE)
    if parent_id:
        _el(node, "related-activity", ref=parent_id, type="1")


def _percentages(count: int) -> list[str]:
    """``count`` shares that add up to exactly 100 (two decimals)."""
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    shares = [share] * count
    shares[-1] = Decimal(100) - share * (count - 1)
    return [f"{s:.2f}".rstrip("0").rstrip(".") for s in shares]


def _field_sectors(fields, fields_uri: str) -> list:
    """DAC codes (shared evenly, merged when two fields map to one) and the
    fields themselves in the reporting organisation's vocabulary."""
    dac: dict[str, list] = {}
    for f in fields:
        dac.setdefault(FIELD_SECTORS.get(f.code, DEFAULT_SECTOR), []).append(f)
    rows: list = [
        (SECTOR_DAC5, code, share, [], "")
        for code, share in zip(dac, _percentages(len(dac)), strict=True)
    ]
    rows += [
        (SECTOR_REPORTING_ORG, f.code, share, _texts(f, "name"), fields_uri)
        for f, share in zip(fields, _percentages(len(fields)), strict=True)
    ]
    return rows


def _link(source) -> list:
    if source is None or not source.url:
        return []
    return [(source.url, _texts(source, "title"))]


def _year_start(year: int) -> date:
    return date(year, 1, 1)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


# --- Activities ---------------------------------------------------------------------------


def _agreement(root, ledger: Ledger, agreement: Agreement, base: str, fields_uri: str) -> None:
    node = _start(
        root,
        ledger,
        title=_texts(agreement, "title"),
        description=_texts(agreement, "summary"),
        is_demo=agreement.is_demo,
        identifier=agreement_id(agreement),
        hierarchy=1,
    )
    this_year = timezone.localdate().year
    start = agreement.signed_on or _year_start(agreement.period_start)
    dates = [(DATE_ACTUAL_START if start.year <= this_year else DATE_PLANNED_START, start)]
    end = _year_end(agreement.period_end)
    dates.append((DATE_ACTUAL_END if agreement.period_end < this_year else DATE_PLANNED_END, end))
    support: list[AnnualSupport] = list(agreement.annual_support.all())
    budgets = [
        (
            BUDGET_INDICATIVE if row.basis == AnnualSupport.Basis.DERIVED else BUDGET_COMMITTED,
            _year_start(row.year),
            _year_end(row.year),
            row.amount,
        )
        for row in support
    ]
    status = STATUS_CLOSED if agreement.period_end < this_year else STATUS_IMPLEMENTATION
    _finish(
        node,
        finance=FINANCE_GRANT,
        status=status,
        dates=dates,
        sectors=_field_sectors(list(agreement.fields.all()), fields_uri),
        budgets=budgets,
        links=[
            (
                base + reverse("cooperation:agreement_detail", args=[agreement.slug]),
                _texts(agreement, "title"),
            ),
            *_link(agreement.source),
        ],
        participants=[
            lambda n: _district_org(n, "dongcheng", ROLE_FUNDING, ledger.districts),
            lambda n: _district_org(n, "huairou", ROLE_IMPLEMENTING, ledger.districts),
        ],
    )


def _project(root, ledger: Ledger, project: Project, base: str, fields_uri: str) -> None:
    node = _start(
        root,
        ledger,
        title=_texts(project, "title"),
        description=_texts(project, "summary"),
        is_demo=project.is_demo,
        identifier=_ref("project", project.slug),
        hierarchy=2,
    )
    agreement = project.agreement
    if project.year:
        dates = [
            (
                DATE_ACTUAL_START
                if project.status != Project.Status.PLANNED
                else DATE_PLANNED_START,
                _year_start(project.year),
            )
        ]
    else:
        dates = [(DATE_ACTUAL_START, _year_start(agreement.period_start))]
    if project.status == Project.Status.COMPLETED:
        dates.append((DATE_ACTUAL_END, _year_end(agreement.period_end)))
    budgets, transactions = [], []
    if project.amount:
        year = project.year or agreement.period_start
        budgets.append((BUDGET_COMMITTED, _year_start(year), _year_end(year), project.amount))

        first_day = _year_start(year)

        def commitment(n, amount=project.amount, day=first_day):
            transaction = _el(n, "transaction")
            _el(transaction, "transaction-type", code=TRANSACTION_OUTGOING_COMMITMENT)
            _el(transaction, "transaction-date", iso_date=day.isoformat())
            _value(transaction, amount, day)
            _el(
                transaction,
                "receiver-org",
                _texts(ledger.districts.get("huairou"), "name"),
                ref=DISTRICT_REFS["huairou"],
                type=ORG_TYPE_GOVERNMENT,
            )

        transactions.append(commitment)

    def implementer(n):
        if project.lead_organization is not None:
            _el(
                n,
                "participating-org",
                _texts(project.lead_organization, "name"),
                role=ROLE_IMPLEMENTING,
            )
        else:
            _district_org(n, "huairou", ROLE_IMPLEMENTING, ledger.districts)

    _finish(
        node,
        finance=FINANCE_GRANT,
        status=PROJECT_STATUS.get(project.status, STATUS_IMPLEMENTATION),
        dates=dates,
        sectors=_field_sectors([project.field], fields_uri) if project.field_id else [],
        budgets=budgets,
        transactions=transactions,
        links=[
            (
                base + reverse("cooperation:project_detail", args=[project.slug]),
                _texts(project, "title"),
            ),
            *_link(project.source),
        ],
        parent_id=agreement_id(agreement),
        participants=[
            lambda n: _district_org(n, "dongcheng", ROLE_FUNDING, ledger.districts),
            implementer,
        ],
    )


def _fund(root, ledger: Ledger, overview: FundOverview, base: str) -> None:
    fund: Fund = overview.fund
    node = _start(
        root,
        ledger,
        title=_texts(fund, "name"),
        description=_texts(fund, "description"),
        is_demo=fund.is_demo,
        identifier=_ref("fund", fund.slug),
        hierarchy=2,
    )
    start_year = fund.established_year or (
        fund.agreement.period_start if fund.agreement else PROGRAMME_START.year
    )
    invested = overview.invested

    def investment(row: FundInvestment):
        def build(n):
            day = row.invested_on or _year_start(start_year)
            transaction = _el(n, "transaction", ref=_ref("investment", row.pk))
            if row.is_demo:
                transaction.set(DEMO_ATTR, "true")
            _el(transaction, "transaction-type", code=TRANSACTION_PURCHASE_OF_EQUITY)
            _el(transaction, "transaction-date", iso_date=day.isoformat())
            _value(transaction, row.amount or Decimal(0), day)
            _el(transaction, "receiver-org", _texts(row.company, "name"), type=ORG_TYPE_PRIVATE)
            _el(transaction, "finance-type", code=FINANCE_EQUITY)

        return build

    _finish(
        node,
        finance=FINANCE_EQUITY,
        status=STATUS_IMPLEMENTATION,
        dates=[(DATE_ACTUAL_START, _year_start(start_year))],
        sectors=[(SECTOR_DAC5, FUND_SECTOR, "100", [], "")],
        budgets=[],
        transactions=[investment(row) for row in invested],
        links=[(base + reverse("cooperation:fund"), _texts(fund, "name")), *_link(fund.source)],
        parent_id=agreement_id(fund.agreement) if fund.agreement else None,
        participants=[
            lambda n: _district_org(n, "dongcheng", ROLE_FUNDING, ledger.districts),
            lambda n: _el(n, "participating-org", _texts(fund, "name"), role=ROLE_IMPLEMENTING),
        ],
    )


def _side(obj) -> list[tuple[str, str]]:
    return _texts(obj, "name") if obj is not None else []


def _pairing(root, ledger: Ledger, pairing: Pairing, base: str, parent_id: str | None) -> None:
    kind_label = str(pairing.get_kind_display())
    dongcheng = pairing.dongcheng_organization or pairing.dongcheng_area
    huairou = pairing.huairou_organization or pairing.huairou_area
    title = [
        (
            "zh",
            f"{_side(dongcheng)[0][1] if _side(dongcheng) else ''} ↔ "
            f"{_side(huairou)[0][1] if _side(huairou) else ''}",
        )
    ]
    description = [("zh", f"{kind_label}{'：' + pairing.note if pairing.note else ''}")]
    node = _start(
        root,
        ledger,
        title=title,
        description=description,
        is_demo=pairing.is_demo,
        identifier=_ref("pairing", pairing.pk),
        hierarchy=2,
    )
    start = _year_start(pairing.since) if pairing.since else None
    _finish(
        node,
        status=STATUS_IMPLEMENTATION,
        dates=[(DATE_ACTUAL_START, start)] if start else [(DATE_ACTUAL_START, PROGRAMME_START)],
        sectors=[(SECTOR_DAC5, PAIRING_SECTORS.get(pairing.kind, DEFAULT_SECTOR), "100", [], "")],
        links=[(base + pairing.get_absolute_url(), title), *_link(pairing.source)],
        parent_id=parent_id,
        participants=[
            lambda n: _el(n, "participating-org", _side(dongcheng), role=ROLE_EXTENDING),
            lambda n: _el(n, "participating-org", _side(huairou), role=ROLE_IMPLEMENTING),
        ],
    )


def activities_xml(ledger: Ledger, *, base_url: str = "") -> bytes:
    """The ledger as an IATI 2.03 ``iati-activities`` document (UTF-8 bytes).

    ``base_url`` (scheme and host) makes the links to this site's pages absolute.
    """
    ET.register_namespace("dh", NS)
    root = ET.Element(
        "iati-activities",
        {"version": VERSION, "generated-datetime": timezone.now().isoformat(timespec="seconds")},
    )
    fields_uri = base_url + reverse(FIELDS_VOCABULARY_PATH)
    for agreement in ledger.agreements:
        _agreement(root, ledger, agreement, base_url, fields_uri)
    for project in ledger.projects:
        _project(root, ledger, project, base_url, fields_uri)
    for overview in ledger.funds:
        _fund(root, ledger, overview, base_url)
    # Pairings belong to the programme as a whole: the current agreement.
    current = max(ledger.agreements, key=lambda a: a.round, default=None)
    for pairing in ledger.pairings:
        _pairing(root, ledger, pairing, base_url, agreement_id(current) if current else None)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
