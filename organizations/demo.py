"""The directory of the demo data: the two districts, their areas (Huairou's
towns and villages, Dongcheng's sub-districts) and the organizations. Other
loaders (cooperation, marketplace, tours) reuse the areas through ``area(...)``."""

from decimal import Decimal

from accounts.demo import ensure_user
from core.demo import tr, upsert

from .models import Area, District, Membership, Organization


def ensure_member(username: str, organization, role: str = "manager", **extra):
    """A demo user who acts for ``organization`` in the partner panel."""
    user = ensure_user(username, **extra)
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    return user


def districts() -> dict[str, District]:
    return {
        "dongcheng": upsert(
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
        "huairou": upsert(
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


# --- Organizations -------------------------------------------------------------------------


def organization(
    slug: str, kind: str, district: District, zh: str, en: str, *, is_demo: bool, area=None
):
    return upsert(
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
