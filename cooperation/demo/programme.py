"""Fields, agreements, joint projects, the fund and pairings of the demo data."""

from datetime import date

from cooperation.models import Agreement, Field, Fund, FundInvestment, Pairing, Project, Source
from organizations.demo import DONGCHENG_AREAS, HUAIROU_AREAS, organization, villages
from organizations.models import Area, District, Organization

from ..services import fund_investment_record
from .common import SECOND_SIGNED, WAN, YI, tr, upsert

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

# The first round's fields that the second round's cover (Field.merged_into):
# the dashboard counts their projects under the later field (issue 13). Public
# services are the second round's 服务民生; low-income support of villages went
# on as rural revitalisation (nationally, poverty relief became part of rural
# revitalisation in 2021); green ecology is the 2023 agreement's ecological
# protection.
MERGED_FIELDS = {
    "public_services": "livelihood",
    "low_income_support": "rural_revitalisation",
    "green_ecology": "ecological_protection",
}


def fields() -> dict[str, Field]:
    rows = {
        code: upsert(Field, {"code": code}, {**tr("name", zh, en), "order": order})
        for order, (code, zh, en) in enumerate(FIELDS, start=1)
    }
    for code, field in rows.items():
        target = rows.get(MERGED_FIELDS.get(code, ""))
        if field.merged_into_id != (target.pk if target else None):
            field.merged_into = target
            field.save(update_fields=["merged_into"])
    return rows


def agreements(s: dict[str, Source], f: dict[str, Field]) -> dict[int, Agreement]:
    first = upsert(
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
    second = upsert(
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
        upsert(
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
        upsert(
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
            upsert(
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
                        "示例项目：名称、地点、金额和年份均为示例而编，并非报道内容。",
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
    return upsert(
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
    return upsert(
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
