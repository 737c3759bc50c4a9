"""The report's facts, and demo data for what it leaves out, loaded by
`manage.py load_demo`.

Everything stated by the 人民网 report of 2 July 2023 (see
/work/shared/facts.md) is loaded as reported data citing it; anything this
site invents (school, village and company names, which town pairs with which
street, most projects and their amounts) is marked ``is_demo``. Areas that are
real administrative divisions (Huairou's 16 towns, townships and
sub-districts, Dongcheng's 17 sub-districts) are real places and not demo;
which of them pair with which is.

Idempotent: every row is found by a natural key and updated in place, so a
second run changes nothing and duplicates nothing. Other loaders (marketplace,
tours) reuse the areas through ``area(...)``.
"""

from datetime import date
from decimal import Decimal

from .models import (
    Agreement,
    AnnualSupport,
    Area,
    District,
    Field,
    Figure,
    Fund,
    FundInvestment,
    Organization,
    Pairing,
    Project,
    Source,
)
from .services import fund_investment_record

REPORT_DATE = date(2023, 7, 2)
SECOND_SIGNED = date(2023, 6, 30)
REPORT_URL = "http://bj.people.com.cn/n2/2023/0702/c82840-40477803.html"
YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def tr(field: str, zh: str, en: str) -> dict:
    """Both language columns of a translated field."""
    return {f"{field}_zh_hans": zh, f"{field}_en": en}


def _upsert(model, lookup: dict, values: dict):
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj


# --- Sources and districts ---------------------------------------------------------------


def sources() -> dict[str, Source]:
    report = _upsert(
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
    demo = _upsert(
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


def districts() -> dict[str, District]:
    return {
        "dongcheng": _upsert(
            District,
            {"code": "dongcheng"},
            {
                **tr("name", "东城区", "Dongcheng District"),
                **tr(
                    "description",
                    "北京中心城区，结对协作中的支持方。",
                    "A central Beijing district; the supporting side of the pairing.",
                ),
                "role": District.Role.SUPPORTING,
            },
        ),
        "huairou": _upsert(
            District,
            {"code": "huairou"},
            {
                **tr("name", "怀柔区", "Huairou District"),
                **tr(
                    "description",
                    "北京北部的生态涵养区，结对协作中的受援方。",
                    "Beijing's northern ecological-conservation district; the supported side of the pairing.",
                ),
                "role": District.Role.SUPPORTED,
            },
        ),
    }


def area(
    district: District,
    kind: str,
    zh: str,
    en: str,
    *,
    lat: str | None = None,
    lon: str | None = None,
    parent: Area | None = None,
    is_demo: bool = False,
    **extra,
) -> Area:
    """Finds or creates an area by (district, kind, Chinese name) and brings its
    other attributes up to date. Other apps' loaders call this too."""
    values = {
        "name_en": en,
        "latitude": Decimal(lat) if lat else None,
        "longitude": Decimal(lon) if lon else None,
        "parent": parent,
        "is_demo": is_demo,
        **extra,
    }
    obj, created = Area.objects.get_or_create(
        district=district, kind=kind, name_zh_hans=zh, defaults=values
    )
    if not created:
        changed = [
            name
            for name, value in values.items()
            if value is not None and getattr(obj, name) != value
        ]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save()
    return obj


# Huairou's 16 towns, townships and sub-districts (镇乡街道) — the "16" of the
# report — with approximate coordinates where the other apps need them.
HUAIROU_AREAS = [
    ("town", "雁栖镇", "Yanqi Town", "40.40", "116.67"),
    ("town", "怀柔镇", "Huairou Town", "40.32", "116.63"),
    ("town", "渤海镇", "Bohai Town", "40.43", "116.57"),
    ("town", "汤河口镇", "Tanghekou Town", "40.73", "116.63"),
    ("town", "怀北镇", "Huaibei Town", "40.40", "116.69"),
    ("town", "九渡河镇", "Jiuduhe Town", "40.36", "116.45"),
    ("town", "北房镇", "Beifang Town", None, None),
    ("town", "杨宋镇", "Yangsong Town", None, None),
    ("town", "庙城镇", "Miaocheng Town", None, None),
    ("town", "桥梓镇", "Qiaozi Town", None, None),
    ("town", "琉璃庙镇", "Liulimiao Town", None, None),
    ("town", "宝山镇", "Baoshan Town", None, None),
    ("township", "长哨营满族乡", "Changshaoying Manchu Township", None, None),
    ("township", "喇叭沟门满族乡", "Labagoumen Manchu Township", None, None),
    ("subdistrict", "泉河街道", "Quanhe Sub-district", None, None),
    ("subdistrict", "龙山街道", "Longshan Sub-district", None, None),
]

# Dongcheng's 17 sub-districts (街道) — the "17" of the report.
DONGCHENG_AREAS = [
    ("前门街道", "Qianmen Sub-district", "39.899", "116.398"),
    ("天坛街道", "Tiantan Sub-district", "39.882", "116.407"),
    ("东华门街道", "Donghuamen Sub-district", None, None),
    ("景山街道", "Jingshan Sub-district", None, None),
    ("交道口街道", "Jiaodaokou Sub-district", None, None),
    ("安定门街道", "Andingmen Sub-district", None, None),
    ("北新桥街道", "Beixinqiao Sub-district", None, None),
    ("东四街道", "Dongsi Sub-district", None, None),
    ("朝阳门街道", "Chaoyangmen Sub-district", None, None),
    ("建国门街道", "Jianguomen Sub-district", None, None),
    ("东直门街道", "Dongzhimen Sub-district", None, None),
    ("和平里街道", "Hepingli Sub-district", None, None),
    ("崇文门外街道", "Chongwenmenwai Sub-district", None, None),
    ("东花市街道", "Donghuashi Sub-district", None, None),
    ("龙潭街道", "Longtan Sub-district", None, None),
    ("体育馆路街道", "Tiyuguanlu Sub-district", None, None),
    ("永定门外街道", "Yongdingmenwai Sub-district", None, None),
]

WEAK_VILLAGES = 26


def areas(d: dict[str, District]) -> dict[str, Area]:
    found = {}
    for kind, zh, en, lat, lon in HUAIROU_AREAS:
        found[zh] = area(d["huairou"], kind, zh, en, lat=lat, lon=lon)
    for zh, en, lat, lon in DONGCHENG_AREAS:
        found[zh] = area(d["dongcheng"], Area.Kind.SUBDISTRICT, zh, en, lat=lat, lon=lon)
    # The report counts 26 collectively weak villages, all out of weak status
    # in 2022, but names none: these are demo villages spread over the towns.
    towns = [found[zh] for kind, zh, *_ in HUAIROU_AREAS if kind != "subdistrict"]
    for number in range(1, WEAK_VILLAGES + 1):
        zh = f"示例村{number:02d}"
        found[zh] = area(
            d["huairou"],
            Area.Kind.VILLAGE,
            zh,
            f"Demo Village {number:02d}",
            parent=towns[(number - 1) % len(towns)],
            is_demo=True,
            collectively_weak=True,
            weak_status_ended=2022,
        )
    return found


def villages(found: dict[str, Area]) -> list[Area]:
    return [found[f"示例村{n:02d}"] for n in range(1, WEAK_VILLAGES + 1)]


# --- Fields and agreements -----------------------------------------------------------------

FIELDS = [
    # The five fields of the 2023–2027 agreement…
    ("ecological_protection", "生态保护", "Ecological protection"),
    ("ecological_value", "生态产品价值实现", "Realising the value of ecological products"),
    ("green_development", "绿色发展", "Green development"),
    ("rural_revitalisation", "乡村振兴", "Rural revitalisation"),
    ("livelihood", "服务民生", "Public livelihood services"),
    # …and the key fields of the first round.
    ("public_services", "公共服务", "Public services"),
    ("low_income_support", "低收入帮扶", "Low-income support"),
    ("green_ecology", "绿色生态", "Green ecology"),
]


def fields() -> dict[str, Field]:
    return {
        code: _upsert(Field, {"code": code}, {**tr("name", zh, en), "order": order})
        for order, (code, zh, en) in enumerate(FIELDS, start=1)
    }


def agreements(s: dict[str, Source], f: dict[str, Field]) -> dict[int, Agreement]:
    first = _upsert(
        Agreement,
        {"slug": "first-round-2018"},
        {
            "round": 1,
            **tr(
                "title",
                "怀柔、东城两区结对协作框架协议（首轮）",
                "Huairou–Dongcheng paired-cooperation framework agreement (first round)",
            ),
            "signed_year": 2018,
            "signed_on": None,
            "period_start": 2018,
            "period_end": 2022,
            "annual_commitment": None,
            "annual_commitment_is_minimum": False,
            "total_commitment": 4 * YI,
            **tr(
                "basis",
                "北京市委、市政府《关于推动生态涵养区生态保护与绿色发展的实施意见》",
                "The Beijing Party Committee and Government's Implementation Opinions on Promoting "
                "Ecological Protection and Green Development in the Ecological Conservation Areas",
            ),
            **tr(
                "summary",
                "2018年，怀柔、东城两区签订首轮结对协作框架协议。五年来，两区在公共服务、低收入帮扶、"
                "绿色生态等重点领域开展深入协作。利用东城区4亿元支持资金，怀柔区先后落地了雁栖河生态廊道、"
                "仪器传感器产业发展等近20个共建项目，绿色发展内生动力不断增强，公共服务水平不断提高。",
                "In 2018 Huairou and Dongcheng signed their first paired-cooperation framework agreement. "
                "Over five years the districts worked closely on public services, low-income support and "
                "green ecology. With 400 million yuan of Dongcheng support, Huairou landed nearly 20 joint "
                "projects, among them the Yanqi River ecological corridor and instrument & sensor industry "
                "development; green growth gained momentum and public services improved.",
            ),
            "source": s["report"],
            "is_demo": False,
        },
    )
    first.fields.set([f["public_services"], f["low_income_support"], f["green_ecology"]])
    second = _upsert(
        Agreement,
        {"slug": "2023-2027"},
        {
            "round": 2,
            **tr(
                "title",
                "新时代高质量推动生态涵养区生态保护和绿色发展结对协作框架协议（2023—2027年）",
                "Framework Agreement on Paired Cooperation for High-Quality Ecological Protection and "
                "Green Development of the Ecological Conservation Area in the New Era (2023–2027)",
            ),
            "signed_year": 2023,
            "signed_on": SECOND_SIGNED,
            "period_start": 2023,
            "period_end": 2027,
            "annual_commitment": YI,
            "annual_commitment_is_minimum": True,
            "total_commitment": None,
            **tr("basis", "", ""),
            **tr(
                "summary",
                "2023年6月30日签署。东城区每年支持怀柔区不低于1亿元资金，围绕生态保护、生态产品价值实现、"
                "绿色发展、乡村振兴、服务民生等领域，选择条件较为成熟的重点项目作为切入点，推进两区深度协作。"
                "怀柔区发改委提出的下一步重点：强化功能疏解承接和产业合作、持续提升公共服务能力、"
                "加快推动乡村振兴、加强文化和旅游对接。",
                "Signed on 30 June 2023. Dongcheng supports Huairou with no less than 100 million yuan "
                "every year in ecological protection, realising the value of ecological products, green "
                "development, rural revitalisation and public livelihood services, starting from key "
                "projects whose conditions are mature. Next priorities named by the Huairou Development and "
                "Reform Commission: taking over relocated functions and industrial cooperation, "
                "public-service capacity, rural revitalisation, and culture and tourism links.",
            ),
            "source": s["report"],
            "is_demo": False,
        },
    )
    second.fields.set([f[code] for code, *_ in FIELDS[:5]])
    return {1: first, 2: second}


# --- Organizations -------------------------------------------------------------------------


def organization(
    slug: str, kind: str, district: District, zh: str, en: str, *, is_demo: bool, area=None
):
    return _upsert(
        Organization,
        {"slug": slug},
        {
            "kind": kind,
            "district": district,
            "area": area,
            **tr("name", zh, en),
            "is_demo": is_demo,
        },
    )


def organizations(d: dict[str, District], a: dict[str, Area]) -> dict[str, list[Organization]]:
    hr, dc = d["huairou"], d["dongcheng"]
    K = Organization.Kind
    orgs: dict[str, list[Organization]] = {}
    orgs["government"] = [
        organization(
            "huairou-drc",
            K.GOVERNMENT,
            hr,
            "怀柔区发展和改革委员会",
            "Huairou District Development and Reform Commission",
            is_demo=False,
        )
    ]
    # The report counts four Huairou schools/kindergartens and three Dongcheng
    # ones but names none.
    orgs["huairou_schools"] = [
        organization(f"demo-huairou-school-{n}", kind, hr, zh, en, is_demo=True, area=a[town])
        for n, (kind, zh, en, town) in enumerate(
            [
                (K.SCHOOL, "怀柔示例第一小学", "Huairou Demo Primary School No. 1", "怀柔镇"),
                (K.SCHOOL, "怀柔示例第二小学", "Huairou Demo Primary School No. 2", "雁栖镇"),
                (K.SCHOOL, "怀柔示例中学", "Huairou Demo Middle School", "泉河街道"),
                (K.KINDERGARTEN, "怀柔示例幼儿园", "Huairou Demo Kindergarten", "龙山街道"),
            ],
            start=1,
        )
    ]
    orgs["dongcheng_schools"] = [
        organization(f"demo-dongcheng-school-{n}", kind, dc, zh, en, is_demo=True, area=a[street])
        for n, (kind, zh, en, street) in enumerate(
            [
                (K.SCHOOL, "东城示例小学", "Dongcheng Demo Primary School", "东四街道"),
                (K.SCHOOL, "东城示例中学", "Dongcheng Demo Middle School", "交道口街道"),
                (K.KINDERGARTEN, "东城示例幼儿园", "Dongcheng Demo Kindergarten", "和平里街道"),
            ],
            start=1,
        )
    ]
    orgs["huairou_medical"] = [
        organization(
            f"demo-huairou-health-{n}",
            K.HEALTH_CENTRE,
            hr,
            f"怀柔示例卫生院{n}",
            f"Huairou Demo Health Clinic {n}",
            is_demo=True,
            area=a[town],
        )
        for n, town in enumerate(["汤河口镇", "九渡河镇", "渤海镇"], start=1)
    ]
    orgs["dongcheng_medical"] = [
        organization(
            f"demo-dongcheng-health-{n}",
            K.HEALTH_CENTRE,
            dc,
            f"东城示例社区卫生服务中心{n}",
            f"Dongcheng Demo Community Health Centre {n}",
            is_demo=True,
            area=a[street],
        )
        for n, street in enumerate(["东华门街道", "建国门街道", "龙潭街道"], start=1)
    ]
    orgs["chambers"] = [
        organization(
            f"demo-dongcheng-chamber-{n}",
            K.CHAMBER,
            dc,
            f"东城示例商会{n}",
            f"Dongcheng Demo Chamber of Commerce {n}",
            is_demo=True,
        )
        for n in range(1, 9)
    ]
    return orgs


# --- Projects ------------------------------------------------------------------------------

# (slug, field, town, amount in 万元, year, status, zh, en). The report names
# only the first two; the rest, their places and amounts are demo data.
FIRST_ROUND_DEMO_PROJECTS = [
    ("bohai-chestnut-orchard-restoration", "green_ecology", "渤海镇", 1200, 2019,
     "渤海镇板栗林生态修复", "Chestnut-orchard ecological restoration in Bohai Town"),
    ("tanghekou-sweet-potato-industry", "low_income_support", "汤河口镇", 800, 2019,
     "汤河口镇红薯产业提升", "Sweet-potato industry upgrade in Tanghekou Town"),
    ("huairou-town-community-health", "public_services", "怀柔镇", 1500, 2019,
     "怀柔镇社区卫生服务能力提升", "Community health services upgrade in Huairou Town"),
    ("weak-village-collective-industry", "low_income_support", None, 3000, 2019,
     "薄弱村集体产业帮扶", "Collective-industry support for weak villages"),
    ("jiuduhe-village-roads", "low_income_support", "九渡河镇", 2000, 2020,
     "九渡河镇乡村道路改造", "Village road renewal in Jiuduhe Town"),
    ("huaibei-wastewater", "green_ecology", "怀北镇", 2500, 2020,
     "怀北镇污水处理设施建设", "Wastewater treatment works in Huaibei Town"),
    ("yanqi-guesthouse-upgrade", "low_income_support", "雁栖镇", 600, 2020,
     "雁栖镇民宿提质", "Guesthouse quality upgrade in Yanqi Town"),
    ("miaocheng-river-management", "green_ecology", "庙城镇", 2200, 2020,
     "庙城镇河道治理", "River management in Miaocheng Town"),
    ("smart-classrooms", "public_services", None, 1800, 2021,
     "中小学智慧教室建设", "Smart classrooms for primary and middle schools"),
    ("liulimiao-forest-fire-prevention", "green_ecology", "琉璃庙镇", 900, 2021,
     "琉璃庙镇山林防火", "Forest fire prevention in Liulimiao Town"),
    ("baoshan-drinking-water", "public_services", "宝山镇", 1300, 2021,
     "宝山镇饮水安全工程", "Safe drinking water in Baoshan Town"),
    ("rainbow-trout-farm-upgrade", "low_income_support", "汤河口镇", 700, 2021,
     "虹鳟鱼养殖基地升级", "Rainbow-trout farm upgrade"),
    ("qiaozi-red-pear-orchards", "low_income_support", "桥梓镇", 500, 2021,
     "桥梓镇红梨种植提升", "Red-pear orchard upgrade in Qiaozi Town"),
    ("changshaoying-culture-centre", "public_services", "长哨营满族乡", 500, 2022,
     "长哨营满族乡文化活动中心", "Cultural activity centre in Changshaoying Manchu Township"),
    ("labagoumen-forest-trails", "green_ecology", "喇叭沟门满族乡", 1100, 2022,
     "喇叭沟门满族乡森林步道", "Forest trails in Labagoumen Manchu Township"),
    ("beifang-elderly-care-station", "public_services", "北房镇", 400, 2022,
     "北房镇养老驿站", "Elderly-care station in Beifang Town"),
    ("yangsong-cold-chain", "low_income_support", "杨宋镇", 1600, 2022,
     "杨宋镇农产品冷链", "Farm-produce cold chain in Yangsong Town"),
]  # fmt: skip

SECOND_ROUND_DEMO_PROJECTS = [
    ("chestnut-ecological-value-accounting", "ecological_value", "渤海镇", 800, 2023, "in_progress",
     "怀柔板栗生态产品价值核算", "Ecological-product value accounting for Huairou chestnuts"),
    ("yanqi-lake-ecological-protection", "ecological_protection", "雁栖镇", 3000, 2023, "in_progress",
     "雁栖湖周边生态保护提升", "Better ecological protection around Yanqi Lake"),
    ("science-city-low-carbon-park", "green_development", "怀北镇", 2500, 2024, "planned",
     "科学城绿色低碳园区", "Green low-carbon park near the Science City"),
    ("model-village-revitalisation", "rural_revitalisation", "九渡河镇", 1500, 2024, "planned",
     "示范村乡村振兴", "Rural revitalisation of model villages"),
    ("integrated-community-medical-services", "livelihood", "怀柔镇", 1200, 2024, "planned",
     "社区医疗服务一体化", "Integrated community medical services"),
]  # fmt: skip


def projects(s, f, ag, a) -> list[Project]:
    report, demo = s["report"], s["demo"]
    rows = [
        _upsert(
            Project,
            {"slug": "yanqi-river-ecological-corridor"},
            {
                **tr("title", "雁栖河生态廊道", "Yanqi River ecological corridor"),
                "field": f["green_ecology"],
                "agreement": ag[1],
                "area": a["雁栖镇"],
                "lead_organization": None,
                "amount": None,
                "status": Project.Status.COMPLETED,
                "year": None,
                **tr(
                    "summary",
                    "首轮结对协作中利用东城区支持资金在怀柔落地的共建项目之一，报道点名。"
                    "报道未给出金额和年份。",
                    "One of the joint projects landed in Huairou with Dongcheng's first-round support, "
                    "named in the report. The report gives no amount or year.",
                ),
                "source": report,
                "is_demo": False,
            },
        ),
        _upsert(
            Project,
            {"slug": "instrument-sensor-industry"},
            {
                **tr("title", "仪器传感器产业发展", "Instrument & sensor industry development"),
                "field": f["green_development"],
                "agreement": ag[1],
                "area": None,
                "lead_organization": None,
                "amount": YI,
                "status": Project.Status.COMPLETED,
                "year": None,
                **tr(
                    "summary",
                    "首轮结对协作的重大成果：仪器传感器产业发展基金利用1亿元东城区支持资金，以股权直接投资方式，"
                    "对高端仪器装备、传感器、人工智能、新能源、新材料、生命科学、商业航天等领域种子期、"
                    "天使期科技创新型项目给予300万元以内的基金投入，促进怀柔科学城创新生态体系构建。",
                    "A major result of the first round: the Instrument & Sensor Industry Development Fund "
                    "uses 100 million yuan of Dongcheng support to invest directly, up to 3 million yuan a "
                    "company, in seed- and angel-stage technology companies in high-end instruments, "
                    "sensors, AI, new energy, new materials, life sciences and commercial aerospace, "
                    "building the innovation ecosystem of Huairou Science City.",
                ),
                "source": report,
                "is_demo": False,
            },
        ),
    ]
    demo_rows = [
        (*row[:5], Project.Status.COMPLETED, *row[5:], 1) for row in FIRST_ROUND_DEMO_PROJECTS
    ] + [(*row, 2) for row in SECOND_ROUND_DEMO_PROJECTS]
    for slug, field_code, town, wan, year, status, zh, en, round_ in demo_rows:
        rows.append(
            _upsert(
                Project,
                {"slug": slug},
                {
                    **tr("title", zh, en),
                    "field": f[field_code],
                    "agreement": ag[round_],
                    "area": a[town] if town else None,
                    "lead_organization": None,
                    "amount": wan * WAN,
                    "status": status,
                    "year": year,
                    **tr(
                        "summary",
                        "示例项目：名称、地点、金额和年份均为演示而编，并非报道内容。",
                        "Demo project: its name, place, amount and year are invented for the demo, "
                        "not taken from the report.",
                    ),
                    "source": demo,
                    "is_demo": True,
                },
            )
        )
    return rows


# --- The fund ------------------------------------------------------------------------------

PIPELINE_COMPANIES = 28
# The report names two of the 28 pipeline companies; the others are demo.
REAL_PIPELINE = [
    ("fund-duochang-diwen", "多场低温（北京）", "Duochang Diwen (Beijing)"),
    ("fund-zhongke-aikemi", "中科艾科米", "Zhongke Aikemi"),
]
# Demo companies the fund has invested in, to show the caps at work:
# (amount in 万元, date).
DEMO_INVESTMENTS = [
    (300, date(2021, 9, 15)),
    (250, date(2022, 3, 10)),
    (200, date(2022, 8, 22)),
    (300, date(2022, 12, 5)),
    (150, date(2023, 4, 18)),
]


def fund(s, ag) -> Fund:
    return _upsert(
        Fund,
        {"slug": "instrument-sensor-fund"},
        {
            **tr("name", "仪器传感器产业发展基金", "Instrument & Sensor Industry Development Fund"),
            **tr(
                "description",
                "首轮结对协作的重大成果。基金利用1亿元东城区支持资金，采用股权直接投资模式，对高端仪器装备、"
                "传感器、人工智能、新能源、新材料、生命科学、商业航天等领域的种子期、天使期科技创新型项目"
                "给予300万元以内的基金投入，帮助企业快速成长，促进怀柔科学城创新生态体系构建。",
                "A major result of the first round. The fund invests 100 million yuan of Dongcheng money "
                "as direct equity, up to 3 million yuan a company, in seed- and angel-stage technology "
                "companies in high-end instruments, sensors, AI, new energy, new materials, life sciences "
                "and commercial aerospace, helping them grow and building the innovation ecosystem of "
                "Huairou Science City.",
            ),
            "size": YI,
            "per_company_cap": 300 * WAN,
            "established_year": None,
            "agreement": ag[1],
            "source": s["report"],
            "is_demo": False,
        },
    )


def fund_investments(the_fund: Fund, d: dict[str, District]) -> list[FundInvestment]:
    hr = d["huairou"]
    K = Organization.Kind
    sectors = list(FundInvestment.Sector)
    stages = list(FundInvestment.Stage)
    rows = []
    for slug, zh, en in REAL_PIPELINE:
        company = organization(slug, K.FUND_COMPANY, hr, zh, en, is_demo=False)
        # Sector and stage are not reported for these two: left empty.
        rows.append(fund_investment_record(fund=the_fund, company=company, is_demo=False))
    for number in range(1, PIPELINE_COMPANIES - len(REAL_PIPELINE) + 1):
        company = organization(
            f"demo-fund-company-{number:02d}",
            K.FUND_COMPANY,
            hr,
            f"示例科创企业{number:02d}",
            f"Demo Tech Start-up {number:02d}",
            is_demo=True,
        )
        rows.append(
            fund_investment_record(
                fund=the_fund,
                company=company,
                sector=sectors[(number - 1) % len(sectors)],
                stage=stages[(number - 1) % len(stages)],
                listed_on=date(2022, 1 + (number - 1) % 12, 1),
                is_demo=True,
            )
        )
    for number, (wan, invested_on) in enumerate(DEMO_INVESTMENTS, start=1):
        company = organization(
            f"demo-portfolio-company-{number}",
            K.FUND_COMPANY,
            hr,
            f"示例已投企业{number}",
            f"Demo Portfolio Company {number}",
            is_demo=True,
        )
        rows.append(
            fund_investment_record(
                fund=the_fund,
                company=company,
                status=FundInvestment.Status.INVESTED,
                amount=wan * WAN,
                sector=sectors[(number * 2) % len(sectors)],
                stage=stages[number % len(stages)],
                listed_on=date(invested_on.year - 1, invested_on.month, 1),
                invested_on=invested_on,
                is_demo=True,
            )
        )
    return rows


# --- Pairings ------------------------------------------------------------------------------


def pairing(kind, *, dongcheng, huairou, since, note=("", ""), source, is_demo=True) -> Pairing:
    sides = {
        "dongcheng_organization": dongcheng if isinstance(dongcheng, Organization) else None,
        "dongcheng_area": dongcheng if isinstance(dongcheng, Area) else None,
        "huairou_organization": huairou if isinstance(huairou, Organization) else None,
        "huairou_area": huairou if isinstance(huairou, Area) else None,
    }
    return _upsert(
        Pairing,
        {"kind": kind, **sides},
        {"since": since, **tr("note", *note), "source": source, "is_demo": is_demo},
    )


def pairings(s, a, orgs) -> list[Pairing]:
    """The report's counts, with demo partners where it names none:
    4 Huairou schools ↔ 3 Dongcheng schools, 3 ↔ 3 health institutions,
    16 towns ↔ 17 sub-districts, 8 chambers ↔ 26 villages, plus one or two
    demo pairs in each of the other fields."""
    K = Pairing.Kind
    demo = s["demo"]
    rows = []
    names_demo = (
        "报道给出数量，未给出名单：结对双方为示例。",
        "The report gives the count, not the names: both sides are demo.",
    )
    for index, school in enumerate(orgs["huairou_schools"]):
        partner = orgs["dongcheng_schools"][index % len(orgs["dongcheng_schools"])]
        rows.append(
            pairing(
                K.EDUCATION,
                dongcheng=partner,
                huairou=school,
                since=2018,
                note=names_demo,
                source=demo,
            )
        )
    for clinic, centre in zip(orgs["huairou_medical"], orgs["dongcheng_medical"], strict=True):
        rows.append(
            pairing(
                K.MEDICAL,
                dongcheng=centre,
                huairou=clinic,
                since=2018,
                note=names_demo,
                source=demo,
            )
        )
    huairou_areas = [a[zh] for _kind, zh, *_ in HUAIROU_AREAS]
    dongcheng_areas = [a[zh] for zh, *_ in DONGCHENG_AREAS]
    which = (
        "报道给出16个镇乡街道与17个街道全面协作；具体配对为示例。",
        "The report pairs 16 towns with 17 sub-districts; which with which is demo.",
    )
    for index, street in enumerate(dongcheng_areas):
        town = huairou_areas[index % len(huairou_areas)]
        rows.append(
            pairing(
                K.TOWN_STREET, dongcheng=street, huairou=town, since=2018, note=which, source=demo
            )
        )
    chambers = orgs["chambers"]
    for index, village in enumerate(villages(a)):
        rows.append(
            pairing(
                K.CHAMBER_VILLAGE,
                dongcheng=chambers[index % len(chambers)],
                huairou=village,
                since=2018,
                note=(
                    "村于2022年“脱薄”（报道）；村名与商会名为示例。",
                    "The village left weak status in 2022 (reported); village and chamber names are demo.",
                ),
                source=demo,
            )
        )
    route_1 = (
        "依托报道中的精品旅游线路“前门+雁栖湖”；作为结对为本站示例。",
        "Based on the reported joint route “Qianmen + Yanqi Lake”; shown as a pairing by this site.",
    )
    route_2 = (
        "依托报道中的精品旅游线路“天坛+红螺寺+慕田峪”；作为结对为本站示例。",
        "Based on the reported joint route “Temple of Heaven + Hongluo Temple + Mutianyu”; shown as a pairing by this site.",
    )
    others = [
        (K.CULTURE_TOURISM, "前门街道", "雁栖镇", 2019, route_1),
        (K.CULTURE_TOURISM, "天坛街道", "怀柔镇", 2019, route_2),
        (K.CULTURE_TOURISM, "天坛街道", "渤海镇", 2019, route_2),
        (K.PARTY_BUILDING, "东四街道", "琉璃庙镇", 2019, ("示例结对。", "Demo pairing.")),
        (K.CADRE_EXCHANGE, "东华门街道", "怀北镇", 2019, ("示例结对。", "Demo pairing.")),
        (K.LABOUR, "朝阳门街道", "北房镇", 2020, ("示例结对。", "Demo pairing.")),
        (K.SPORTS, "体育馆路街道", "杨宋镇", 2020, ("示例结对。", "Demo pairing.")),
        (K.ELDERLY_CARE, "和平里街道", "庙城镇", 2021, ("示例结对。", "Demo pairing.")),
    ]
    for kind, dc, hr, since, note in others:
        rows.append(
            pairing(kind, dongcheng=a[dc], huairou=a[hr], since=since, note=note, source=demo)
        )
    return rows


# --- Figures -------------------------------------------------------------------------------

T = Figure.Topic
Q = Figure.Qualifier
# (key, topic, headline, value, qualifier, unit zh/en, label zh/en, note zh/en).
# Every one is stated by the report; as of its date (the commitment: signing).
FIGURES = [
    ("annual-commitment", T.OVERVIEW, True, YI, Q.AT_LEAST, ("元", "yuan"),
     ("东城区每年支持怀柔区资金（2023—2027年）", "Dongcheng's support to Huairou each year, 2023–2027"),
     ("2023年6月30日签署的新一轮框架协议约定。", "Set by the agreement signed on 30 June 2023.")),
    ("first-round-support", T.OVERVIEW, True, 4 * YI, Q.EXACT, ("元", "yuan"),
     ("首轮结对协作东城区支持资金（五年）", "Dongcheng's support in the first round (five years)"),
     ("", "")),
    ("joint-projects", T.OVERVIEW, True, Decimal(20), Q.NEARLY, ("个", "projects"),
     ("首轮落地怀柔的共建项目", "Joint projects landed in Huairou in the first round"),
     ("其中包括雁栖河生态廊道、仪器传感器产业发展。", "Among them the Yanqi River ecological corridor and instrument & sensor industry development.")),
    ("fund-size", T.OVERVIEW, True, YI, Q.EXACT, ("元", "yuan"),
     ("仪器传感器产业发展基金中的东城区资金", "Dongcheng money in the Instrument & Sensor Industry Development Fund"),
     ("", "")),
    ("fund-pipeline", T.OVERVIEW, True, Decimal(28), Q.EXACT, ("家", "companies"),
     ("基金储备项目库中的注册公司", "Registered companies in the fund's pipeline"),
     ("包括多场低温（北京）、中科艾科米。", "Among them Duochang Diwen (Beijing) and Zhongke Aikemi.")),
    ("villages-out-of-weak-status", T.OVERVIEW, True, Decimal(26), Q.EXACT, ("个村", "villages"),
     ("集体经济薄弱村2022年全部“脱薄”", "Collectively weak villages, all out of weak status in 2022"),
     ("", "")),
    ("teaching-exchanges", T.OVERVIEW, True, Decimal(100), Q.MORE_THAN, ("次", "exchanges"),
     ("两区教育教学交流", "Teaching exchanges between the districts"), ("", "")),
    ("teacher-trainings", T.OVERVIEW, True, Decimal(6000), Q.MORE_THAN, ("人次", "person-times"),
     ("五年来怀柔区参训教师", "Teacher trainings in Huairou over five years"), ("", "")),
    ("tcm-clinics", T.OVERVIEW, True, Decimal(150), Q.MORE_THAN, ("次", "clinics"),
     ("名中医团队到怀柔出诊", "Clinics held in Huairou by renowned TCM doctors' teams"), ("", "")),
    ("student-grants", T.OVERVIEW, True, 40 * WAN, Q.EXACT, ("元", "yuan"),
     ("向108名低保、低收入家庭学生发放的慈善助学金", "Charity grants to 108 students from low-income families"),
     ("东城区协调的慈善资金。", "Charity money arranged by Dongcheng.")),
    ("agreement-fields", T.OVERVIEW, False, Decimal(5), Q.EXACT, ("个", "fields"),
     ("新一轮协议的协作领域", "Fields of the 2023–2027 agreement"),
     ("生态保护、生态产品价值实现、绿色发展、乡村振兴、服务民生。", "Ecological protection, realising the value of ecological products, green development, rural revitalisation, public livelihood services.")),
    ("other-fields", T.OVERVIEW, False, Decimal(6), Q.EXACT, ("个", "fields"),
     ("其他开展合作的领域", "Other fields of cooperation named"),
     ("党建、干部人才交流、文化旅游、劳务协作、体育、养老。", "Party building, cadre and talent exchange, culture and tourism, labour cooperation, sports, elderly care.")),
    ("fund-cap-per-company", T.FUND, False, 300 * WAN, Q.AT_MOST, ("元", "yuan"),
     ("基金对每个项目的投入上限", "Most the fund puts into one company"), ("", "")),
    ("fund-sectors", T.FUND, False, Decimal(7), Q.EXACT, ("个", "sectors"),
     ("基金投资领域", "Sectors the fund invests in"),
     ("高端仪器装备、传感器、人工智能、新能源、新材料、生命科学、商业航天；种子期、天使期；股权直接投资。", "High-end instruments, sensors, AI, new energy, new materials, life sciences, commercial aerospace; seed and angel stage; direct equity.")),
    ("schools-huairou", T.EDUCATION, False, Decimal(4), Q.EXACT, ("所", "schools"),
     ("签订教育帮扶协议的怀柔区学校、幼儿园", "Huairou schools and kindergartens with an education-support agreement"), ("", "")),
    ("schools-dongcheng", T.EDUCATION, False, Decimal(3), Q.EXACT, ("所", "schools"),
     ("结对的东城区学校、幼儿园", "Dongcheng schools and kindergartens in the pairs"), ("", "")),
    ("resident-teachers", T.EDUCATION, False, Decimal(20), Q.MORE_THAN, ("人", "people"),
     ("东城区向怀柔派出的常驻干部教师", "Resident cadres and teachers Dongcheng posted to Huairou"), ("", "")),
    ("teaching-visits", T.EDUCATION, False, Decimal(39), Q.EXACT, ("批次", "visits"),
     ("东城区送教", "Teaching visits sent by Dongcheng"), ("", "")),
    ("teaching-visit-teachers", T.EDUCATION, False, Decimal(300), Q.EXACT, ("人次", "person-times"),
     ("送教教师", "Teachers on those visits"), ("", "")),
    ("shadow-training", T.EDUCATION, False, Decimal(43), Q.EXACT, ("人", "people"),
     ("赴东城区跟岗培训的怀柔区干部教师", "Huairou cadres and teachers shadow-training in Dongcheng"), ("", "")),
    ("medical-huairou", T.MEDICAL, False, Decimal(3), Q.EXACT, ("家", "institutions"),
     ("与东城区结对的怀柔区医疗卫生机构", "Huairou medical institutions paired with Dongcheng"), ("", "")),
    ("medical-dongcheng", T.MEDICAL, False, Decimal(3), Q.EXACT, ("家", "centres"),
     ("结对的东城区卫生服务中心", "Dongcheng community health centres in the pairs"), ("", "")),
    ("tcm-teams", T.MEDICAL, False, Decimal(10), Q.EXACT, ("个", "teams"),
     ("到怀柔出诊的北京中医医院名中医团队", "Renowned-TCM-doctor teams of Beijing Hospital of TCM holding clinics in Huairou"),
     ("北京市中医医院整体托管怀柔区中医院，助力其成功创建三甲医院。", "Beijing Hospital of Traditional Chinese Medicine took over the running of Huairou TCM Hospital, which became a Grade-3A hospital.")),
    ("towns-huairou", T.LOW_INCOME, False, Decimal(16), Q.EXACT, ("个", "towns"),
     ("与东城区街道全面协作的怀柔区镇乡街道", "Huairou towns, townships and sub-districts in full cooperation with Dongcheng"), ("", "")),
    ("streets-dongcheng", T.LOW_INCOME, False, Decimal(17), Q.EXACT, ("个", "sub-districts"),
     ("结对的东城区街道", "Dongcheng sub-districts in the pairs"), ("", "")),
    ("chambers", T.LOW_INCOME, False, Decimal(8), Q.EXACT, ("家", "chambers"),
     ("与薄弱村结对帮扶的东城区商会", "Dongcheng chambers of commerce supporting weak villages"), ("", "")),
    ("weak-villages", T.LOW_INCOME, False, Decimal(26), Q.EXACT, ("个村", "villages"),
     ("结对帮扶的集体经济薄弱村", "Collectively weak villages supported"), ("", "")),
    ("grant-students", T.LOW_INCOME, False, Decimal(108), Q.EXACT, ("名", "students"),
     ("获助学金的低保、低收入家庭学生", "Students from subsistence-allowance and low-income families given grants"), ("", "")),
    ("support-centres", T.CONSUMPTION, False, Decimal(3), Q.EXACT, ("个", "centres"),
     ("设立怀柔专区、专柜的东城区消费扶贫双创中心", "Dongcheng consumption-support centres with Huairou zones"), ("", "")),
    ("huairou-counters", T.CONSUMPTION, False, Decimal(4), Q.EXACT, ("个", "zones and counters"),
     ("怀柔专区、专柜", "Huairou zones and counters"), ("", "")),
    ("named-products", T.CONSUMPTION, False, Decimal(4), Q.EXACT, ("种", "products"),
     ("销量和知名度提升的怀柔特色农产品", "Huairou specialities whose sales and renown grew"),
     ("怀柔板栗、汤河红薯、红梨膏、虹鳟鱼；通过农超对接、餐饮对接。", "Huairou chestnuts, Tanghe sweet potatoes, red-pear paste and rainbow trout, through farm-to-supermarket and farm-to-restaurant links.")),
    ("joint-routes", T.TOURISM, False, Decimal(2), Q.EXACT, ("条", "routes"),
     ("报道点名的联合精品旅游线路（共多条）", "Joint boutique tourism routes named in the report (of several)"),
     ("“前门+雁栖湖”“天坛+红螺寺+慕田峪”。", "“Qianmen + Yanqi Lake” and “Temple of Heaven + Hongluo Temple + Mutianyu”.")),
]  # fmt: skip


def figures(s) -> list[Figure]:
    rows = []
    for order, (key, topic, headline, value, qualifier, unit, label, note) in enumerate(
        FIGURES, start=1
    ):
        rows.append(
            _upsert(
                Figure,
                {"key": key},
                {
                    **tr("label", *label),
                    **tr("unit", *unit),
                    **tr("note", *note),
                    "value": value,
                    "qualifier": qualifier,
                    "topic": topic,
                    "is_headline": headline,
                    "as_of": SECOND_SIGNED if key == "annual-commitment" else REPORT_DATE,
                    "source": s["report"],
                    "is_reported": True,
                    "order": order * 10,
                },
            )
        )
    # 26 villages out of weak status, measured against the 26 supported.
    weak = next(f for f in rows if f.key == "weak-villages")
    Figure.objects.filter(key="villages-out-of-weak-status").update(compared_with=weak)
    return rows


def annual_support(s, ag) -> list[AnnualSupport]:
    """2018–2022: the reported 4亿元 over five years, as an average (the report
    gives no yearly amounts); 2023–2027: the agreed floor of 1亿元 a year."""
    rows = []
    first, second = ag[1], ag[2]
    average = first.total_commitment / first.years
    for year in range(first.period_start, first.period_end + 1):
        rows.append(
            _upsert(
                AnnualSupport,
                {"year": year},
                {
                    "amount": average,
                    "basis": AnnualSupport.Basis.DERIVED,
                    "agreement": first,
                    **tr("note", "4亿元 ÷ 5年（平均）", "400 million yuan ÷ 5 years (average)"),
                    "source": s["report"],
                    "is_demo": False,
                },
            )
        )
    for year in range(second.period_start, second.period_end + 1):
        rows.append(
            _upsert(
                AnnualSupport,
                {"year": year},
                {
                    "amount": second.annual_commitment,
                    "basis": AnnualSupport.Basis.COMMITTED,
                    "agreement": second,
                    **tr("note", "协议约定的下限", "the agreed floor"),
                    "source": s["report"],
                    "is_demo": False,
                },
            )
        )
    return rows


# --- Entry point -----------------------------------------------------------------------------


def load(*, stdout=None) -> str:
    first = [True]

    def step(label: str, count: int) -> None:
        # One line a step; the command has already written "[1/4] cooperation …"
        # without a line break, so the first step starts a new line.
        if stdout is not None:
            stdout.write(("\n" if first[0] else "") + f"    {label}: {count}\n")
            first[0] = False

    s = sources()
    d = districts()
    a = areas(d)
    step("districts and areas", len(d) + len(a))
    f = fields()
    ag = agreements(s, f)
    step("fields and agreements", len(f) + len(ag))
    orgs = organizations(d, a)
    step("organizations", sum(len(v) for v in orgs.values()))
    project_rows = projects(s, f, ag, a)
    step("joint projects", len(project_rows))
    the_fund = fund(s, ag)
    investment_rows = fund_investments(the_fund, d)
    step("fund companies", len(investment_rows))
    pairing_rows = pairings(s, a, orgs)
    step("pairings", len(pairing_rows))
    figure_rows = figures(s)
    support_rows = annual_support(s, ag)
    step("figures and yearly support", len(figure_rows) + len(support_rows))
    return (
        f"{len(figure_rows)} figures, {len(project_rows)} projects, {len(investment_rows)} fund companies, "
        f"{len(pairing_rows)} pairings"
    )
