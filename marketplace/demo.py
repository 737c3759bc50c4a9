"""Demo data of the marketplace, loaded by `manage.py load_demo` after the
cooperation and accounts loaders.

The report names the four products (怀柔板栗, 汤河红薯, 红梨膏, 虹鳟鱼), the 3
consumption-support centres and the 4 Huairou zones and counters, but none of
their names, addresses, prices, villages or stock: all of that is invented
here and marked ``is_demo`` (shown with the "demo" badge). The products are
flagged ``is_reported`` because the report names them.

Idempotent: rows are found by natural keys (slugs, SKUs, names) and updated
in place; stock and orders go through the services once and are recognised
on the next run (the opening receipts by their reason, orders by their demo
flag), so a second run duplicates nothing.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.demo import ensure_user
from accounts.models import User
from core import gs1
from organizations.demo import area, ensure_member
from organizations.models import Area, District, Organization

from . import services
from .demo_images import illustrate
from .demo_shares import purchase_shares
from .models import (
    BulkOrder,
    BusinessBuyer,
    Category,
    Centre,
    Certification,
    Counter,
    CounterStaff,
    Lot,
    OpeningException,
    OpeningHours,
    Order,
    PriceTier,
    Product,
    ProductVariant,
    StockMovement,
)

OPENING_STOCK = "示例期初库存 / demo opening stock"
# The same receipts as written before demo items were called 示例 everywhere
# (issue 13): still recognised, so reloading an older database adds no stock.
RESTOCK = "示例补货 / demo restock"
EARLIER_OPENING_STOCK = "\u6f14\u793a期初库存 / demo opening stock"


def tr(field: str, zh: str, en: str) -> dict:
    return {f"{field}_zh_hans": zh, f"{field}_en": en}


def _upsert(model, lookup: dict, values: dict):
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj


def _district(code: str, zh: str, en: str, role: str) -> District:
    district, _ = District.objects.get_or_create(
        code=code, defaults={**tr("name", zh, en), "role": role}
    )
    return district


# --- Places ------------------------------------------------------------------------------

# (town, its English name, town coordinates if cooperation.demo has none) → the
# demo village a producer farms in, with approximate invented coordinates.
VILLAGES = {
    "chestnut": ("渤海镇", "Bohai Town", "栗香峪村", "Lixiangyu Village", "40.445", "116.552"),
    "potato": (
        "汤河口镇",
        "Tanghekou Town",
        "汤河川村",
        "Tanghechuan Village",
        "40.720",
        "116.641",
    ),
    "pear": ("怀北镇", "Huaibei Town", "红梨沟村", "Hongligou Village", "40.412", "116.702"),
    "trout": ("雁栖镇", "Yanqi Town", "鳟鱼沟村", "Zunyugou Village", "40.418", "116.655"),
}


def villages(huairou: District) -> dict[str, Area]:
    found = {}
    for key, (town_zh, town_en, zh, en, lat, lon) in VILLAGES.items():
        town = area(huairou, Area.Kind.TOWN, town_zh, town_en)
        found[key] = area(
            huairou, Area.Kind.VILLAGE, zh, en, lat=lat, lon=lon, parent=town, is_demo=True
        )
    return found


def organization(
    slug: str, kind: str, district: District, zh: str, en: str, *, area=None, **extra
) -> Organization:
    return _upsert(
        Organization,
        {"slug": slug},
        {
            "kind": kind,
            "district": district,
            "area": area,
            **tr("name", zh, en),
            "is_demo": True,
            **extra,
        },
    )


PRODUCERS = {
    "chestnut": (
        "demo-lixiangyu-chestnut-coop",
        Organization.Kind.COOPERATIVE,
        "栗香峪板栗专业合作社",
        "Lixiangyu Chestnut Cooperative",
        "村里的板栗专业合作社，四十多户栗农在山坡上种植板栗，统一采收、分级和包装。",
        "The village's chestnut cooperative: some forty households grow chestnuts on the hillsides and "
        "harvest, grade and pack them together.",
    ),
    "potato": (
        "demo-tanghechuan-farm",
        Organization.Kind.COOPERATIVE,
        "汤河川农产品合作社",
        "Tanghechuan Farm Produce Cooperative",
        "汤河沿岸沙质土壤种出的红薯，软糯香甜；合作社负责收购、储藏和销售。",
        "Sweet potatoes from the sandy soil along the Tang River; the cooperative buys, stores and sells them.",
    ),
    "pear": (
        "demo-hongligou-food",
        Organization.Kind.PRODUCER,
        "红梨沟食品加工坊",
        "Hongligou Food Workshop",
        "村办加工坊，用本村红肖梨按传统方法熬制梨膏。",
        "A village workshop that boils pear paste the traditional way from the village's red pears.",
    ),
    "trout": (
        "demo-zunyugou-fishery",
        Organization.Kind.PRODUCER,
        "鳟鱼沟冷水鱼养殖场",
        "Zunyugou Cold-Water Fishery",
        "山泉水养殖的虹鳟鱼，每天捕捞，冷链送到东城的专柜。",
        "Rainbow trout raised in mountain spring water, caught daily and sent chilled to the counters in Dongcheng.",
    ),
}


def producers(huairou: District, village: dict[str, Area]) -> dict[str, Organization]:
    return {
        key: organization(
            slug, kind, huairou, zh, en, area=village[key], **tr("description", dzh, den)
        )
        for key, (slug, kind, zh, en, dzh, den) in PRODUCERS.items()
    }


CENTRES = [
    # slug, zh, en, address zh, address en, hours zh, hours en, lat, lon, phone, Dongcheng sub-district
    # The centres are invented (the report names none) but stand on real streets: the
    # coordinates (WGS-84, as everywhere on the site: core.geo) are those street corners.
    (
        "demo-dongsi-centre",
        "东四消费扶贫双创中心",
        "Dongsi Consumption-Support Centre",
        "东城区东四北大街东侧，近东四六条路口",
        "Dongsi North Street, east side, near the Dongsi Liutiao junction, Dongcheng",
        "每天 9:00–20:00",
        "Daily 9:00–20:00",
        "39.928800",
        "116.417600",
        "010-00000001",
        "东四街道",
    ),
    (
        "demo-qianmen-centre",
        "前门消费扶贫双创中心",
        "Qianmen Consumption-Support Centre",
        "东城区前门大街东侧，鲜鱼口街口",
        "Qianmen Street, east side, at the corner of Xianyukou Street, Dongcheng",
        "周一至周六 10:00–21:00，周日 10:00–18:00",
        "Mon–Sat 10:00–21:00, Sun 10:00–18:00",
        "39.895600",
        "116.398600",
        "010-00000002",
        "前门街道",
    ),
    (
        "demo-tiantan-centre",
        "天坛消费扶贫双创中心",
        "Tiantan Consumption-Support Centre",
        "东城区天坛东路东侧，地铁天坛东门站旁",
        "Tiantan East Road, east side, by Tiantan Dongmen metro station, Dongcheng",
        "每天 8:30–19:30",
        "Daily 8:30–19:30",
        "39.882300",
        "116.421200",
        "010-00000003",
        "天坛街道",
    ),
]


def centres(dongcheng: District) -> list[Centre]:
    found = []
    for position, (slug, zh, en, azh, aen, hzh, hen, lat, lon, phone, street) in enumerate(CENTRES):
        street_area = Area.objects.filter(district=dongcheng, name_zh_hans=street).first()
        org = organization(
            slug, Organization.Kind.SUPPORT_CENTRE, dongcheng, zh, en, area=street_area, phone=phone
        )
        found.append(
            _upsert(
                Centre,
                {"organization": org},
                {
                    **tr("address", azh, aen),
                    **tr("opening_hours", hzh, hen),
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                    "phone": phone,
                    "position": position,
                },
            )
        )
    return found


def counters(centre: list[Centre], producer: dict[str, Organization]) -> list[Counter]:
    plan = [
        # centre, zh, en, kind, location zh, location en, producers carried, entrance lat/lon (WGS-84)
        (0, "怀柔专区", "Huairou zone", Counter.Kind.ZONE, "一层东侧", "Ground floor, east side", ["chestnut", "potato", "pear"], ("39.928800", "116.417750")),
        (0, "怀柔冷鲜专柜", "Huairou chilled counter", Counter.Kind.COUNTER, "一层生鲜区", "Ground floor, fresh food", ["trout", "chestnut"], ("39.928700", "116.417650")),
        (1, "怀柔专柜", "Huairou counter", Counter.Kind.COUNTER, "二层特产区", "First floor, regional specialities", ["chestnut", "pear", "potato"], ("39.895600", "116.398650")),
        (2, "怀柔专柜", "Huairou counter", Counter.Kind.COUNTER, "入口右侧", "Right of the entrance", ["chestnut", "potato", "pear", "trout"], ("39.882250", "116.421150")),
    ]  # fmt: skip
    found = []
    for position, (index, zh, en, kind, lzh, len_, carried, (lat, lon)) in enumerate(plan):
        counter = _upsert(
            Counter,
            {"centre": centre[index], "name_zh_hans": zh},
            {
                "name_en": en,
                "kind": kind,
                **tr("location", lzh, len_),
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "position": position,
                "is_demo": True,
            },
        )
        counter.producers.set([producer[key] for key in carried])
        found.append(counter)
    return found


# Weekly hours by counter position (Monday 0), and dated exceptions: (position, date,
# opens, closes or None for closed all day, note zh, note en).
WEEKLY_HOURS = {
    0: {day: [("09:00", "20:00")] for day in range(7)},
    1: {day: [("09:00", "20:00")] for day in range(1, 7)},  # closed on Mondays
    2: {**{day: [("10:00", "21:00")] for day in range(6)}, 6: [("10:00", "18:00")]},
    3: {day: [("08:30", "19:30")] for day in range(7)},
}
EXCEPTIONS: list[tuple[int, str, str | None, str | None, str, str]] = [
    (3, "2026-12-31", "08:30", "16:00", "元旦前夕", "New Year's Eve"),
    (2, "2027-01-01", None, None, "元旦", "New Year's Day"),
    (0, "2027-02-06", None, None, "春节", "Spring Festival"),
    (1, "2027-02-06", None, None, "春节", "Spring Festival"),
]


def opening_hours(counter_list: list[Counter]) -> int:
    """Every counter's weekly hours and a few dated exceptions (idempotent)."""
    rows = 0
    for position, days in WEEKLY_HOURS.items():
        counter = counter_list[position]
        keep = []
        for weekday, periods in days.items():
            for opens, closes in periods:
                keep.append(
                    _upsert(
                        OpeningHours,
                        {
                            "counter": counter,
                            "weekday": weekday,
                            "opens": time.fromisoformat(opens),
                        },
                        {"closes": time.fromisoformat(closes)},
                    ).pk
                )
        OpeningHours.objects.filter(counter=counter).exclude(pk__in=keep).delete()
        rows += len(keep)
    for position, day, start, end, zh, en in EXCEPTIONS:
        _upsert(
            OpeningException,
            {"counter": counter_list[position], "date": date.fromisoformat(day)},
            {
                "opens": time.fromisoformat(start) if start else None,
                "closes": time.fromisoformat(end) if end else None,
                **tr("note", zh, en),
            },
        )
    return rows


# --- Catalogue --------------------------------------------------------------------------------

CATEGORIES = [
    ("nuts", "干果坚果", "Nuts"),
    ("vegetables", "蔬菜薯类", "Vegetables and tubers"),
    ("preserves", "传统食品", "Traditional foods"),
    ("fish", "冷水鱼", "Cold-water fish"),
]

# slug, producer, category, zh, en, summary zh, summary en, season, shelf life, storage zh/en,
# bulk minimum, variants: (sku, zh, en, price, grams, [(min qty, price)])
PRODUCTS = [
    (
        "huairou-chestnuts",
        "chestnut",
        "nuts",
        "怀柔板栗",
        "Huairou chestnuts",
        "皮薄、果仁金黄、口感甜糯的山地板栗，秋季新栗。",
        "Thin-skinned mountain chestnuts with a golden, sweet and tender kernel: the autumn crop.",
        "怀柔的山地板栗是北京的名产。栗香峪村的栗树种在向阳的坡地上，九月中旬开杆采收，"
        "经人工挑选分级后装袋。可糖炒、煮粥、炖菜。",
        "Huairou's mountain chestnuts are a Beijing speciality. Lixiangyu's trees grow on sunny slopes; the "
        "harvest starts in mid-September, and the nuts are sorted by hand and bagged. Roast them with sugar, "
        "add them to porridge or stews.",
        (9, 12),
        60,
        ("冷藏 0–4℃，避免受潮", "Refrigerate at 0–4 °C, keep dry"),
        20,
        True,
        [
            (
                "HR-CHESTNUT-500",
                "500克袋装",
                "500 g bag",
                "25.00",
                500,
                [(50, "21.00"), (200, "19.00")],
            ),
            (
                "HR-CHESTNUT-2500",
                "2.5千克礼盒",
                "2.5 kg gift box",
                "118.00",
                2500,
                [(20, "105.00")],
            ),
        ],
    ),
    (
        "tanghe-sweet-potatoes",
        "potato",
        "vegetables",
        "汤河红薯",
        "Tanghe sweet potatoes",
        "汤河沿岸沙土种植，蒸烤皆宜，软糯香甜。",
        "Grown in the sandy soil along the Tang River; soft and sweet, steamed or roasted.",
        "汤河口一带昼夜温差大，红薯糖分足。秋收后在地窖中储藏，整个冬天都能吃到。",
        "Around Tanghekou the nights are cold and the days warm, so the sweet potatoes store a lot of sugar. "
        "After the autumn harvest they keep in cellars all winter.",
        (9, 3),
        90,
        ("阴凉干燥处常温保存，勿冷藏", "Keep cool and dry; do not refrigerate"),
        50,
        True,
        [
            ("HR-POTATO-2500", "2.5千克箱装", "2.5 kg box", "35.00", 2500, [(40, "30.00")]),
            ("HR-POTATO-5000", "5千克箱装", "5 kg box", "62.00", 5000, [(40, "54.00")]),
        ],
    ),
    (
        "red-pear-paste",
        "pear",
        "preserves",
        "红梨膏",
        "Red-pear paste",
        "本村红肖梨慢火熬制，润喉清甜，冲水即饮。",
        "Slowly boiled from the village's red pears: soothing and sweet, stirred into hot water.",
        "每瓶梨膏约用十斤鲜梨熬成，不加香精色素。冬春季节冲一杯，老北京的味道。",
        "Each jar takes about five kilograms of fresh pears, with no flavourings or colourings. A cup in "
        "winter or spring tastes of old Beijing.",
        None,
        365,
        ("开盖后冷藏，30天内食用", "Refrigerate once opened; use within 30 days"),
        30,
        True,
        [
            ("HR-PEARPASTE-250", "250克瓶装", "250 g jar", "38.00", 250, [(60, "32.00")]),
            (
                "HR-PEARPASTE-4X250",
                "4瓶礼盒",
                "Gift box of 4 jars",
                "138.00",
                1000,
                [(20, "120.00")],
            ),
        ],
    ),
    (
        "rainbow-trout",
        "trout",
        "fish",
        "虹鳟鱼",
        "Rainbow trout",
        "山泉水养殖，当天捕捞冰鲜送达，肉质细嫩。",
        "Raised in spring water, caught and sent chilled the same day; fine, tender flesh.",
        "虹鳟鱼喜冷水，鳟鱼沟的山泉常年水温十几度。适合清蒸、烤制或做刺身（请遵循食品安全建议）。",
        "Trout need cold water, and Zunyugou's springs stay at about fifteen degrees all year. Steam or grill "
        "it, or serve it raw following food-safety advice.",
        None,
        3,
        ("冰鲜 0–4℃，三天内食用", "Chilled at 0–4 °C; eat within three days"),
        30,
        True,
        [
            (
                "HR-TROUT-WHOLE",
                "整条约750克（冰鲜）",
                "Whole fish, about 750 g (chilled)",
                "45.00",
                750,
                [(30, "39.00")],
            ),
            (
                "HR-TROUT-FILLET",
                "鱼片1千克（冰鲜）",
                "Fillets, 1 kg (chilled)",
                "88.00",
                1000,
                [(20, "78.00")],
            ),
        ],
    ),
    (
        "roasted-chestnut-kernels",
        "chestnut",
        "nuts",
        "即食板栗仁",
        "Ready-to-eat chestnut kernels",
        "去壳烤熟的板栗仁，开袋即食。",
        "Shelled, roasted chestnut kernels, ready to eat from the bag.",
        "用怀柔板栗去壳烘烤，小包装方便携带。",
        "Huairou chestnuts, shelled and roasted, in small bags to carry around.",
        None,
        180,
        ("常温避光保存", "Store at room temperature away from light"),
        100,
        False,
        [
            ("HR-KERNEL-100", "100克袋装", "100 g bag", "12.80", 100, [(100, "10.50")]),
            ("HR-KERNEL-10X100", "10袋装", "Pack of 10 bags", "118.00", 1000, []),
        ],
    ),
    (
        "sweet-potato-noodles",
        "potato",
        "vegetables",
        "红薯粉条",
        "Sweet-potato noodles",
        "汤河红薯淀粉手工漏制的粉条，久煮不烂。",
        "Hand-made noodles of Tanghe sweet-potato starch that stay firm in the pot.",
        "冬闲时节村民手工制作，适合炖菜、火锅。",
        "Made by hand by the villagers in the quiet winter months; for stews and hot pot.",
        None,
        365,
        ("阴凉干燥处保存", "Keep cool and dry"),
        50,
        False,
        [
            ("HR-NOODLE-500", "500克袋装", "500 g bag", "16.00", 500, [(50, "13.50")]),
        ],
    ),
]


def catalogue(
    producer: dict[str, Organization], village: dict[str, Area]
) -> dict[str, ProductVariant]:
    categories = {
        slug: _upsert(Category, {"slug": slug}, {**tr("name", zh, en), "position": position})
        for position, (slug, zh, en) in enumerate(CATEGORIES)
    }
    gi = _upsert(
        Certification,
        {"slug": "geographical-indication"},
        {
            **tr("name", "国家地理标志产品", "National geographical indication"),
            **tr(
                "description",
                "受地理标志保护的产品，产地和品质与地域相关。",
                "A product protected by a geographical indication: its origin and quality are tied to the place.",
            ),
        },
    )
    variants = {}
    item = 0
    for position, row in enumerate(PRODUCTS):
        (
            slug,
            key,
            category,
            zh,
            en,
            szh,
            sen,
            dzh,
            den,
            season,
            shelf,
            storage,
            bulk_min,
            reported,
            rows,
        ) = row
        product = _upsert(
            Product,
            {"slug": slug},
            {
                "producer": producer[key],
                "category": categories[category],
                "origin_area": village[key],
                **tr("name", zh, en),
                **tr("summary", szh, sen),
                **tr("description", dzh, den),
                **tr("storage", *storage),
                "season_start_month": season[0] if season else None,
                "season_end_month": season[1] if season else None,
                "shelf_life_days": shelf,
                "bulk_min_quantity": bulk_min,
                "is_reported": reported,
                "is_active": True,
                "position": position,
                "is_demo": True,
            },
        )
        if slug == "huairou-chestnuts":
            product.certifications.add(gi)
        for vposition, (sku, vzh, ven, price, grams, tiers) in enumerate(rows):
            item += 1
            variant = _upsert(
                ProductVariant,
                {"sku": sku},
                {
                    "product": product,
                    "gtin": demo_gtin(item),
                    **tr("name", vzh, ven),
                    "unit_price": Decimal(price),
                    "weight_grams": grams,
                    "position": vposition,
                    "is_active": True,
                },
            )
            for min_quantity, tier_price in tiers:
                _upsert(
                    PriceTier,
                    {"variant": variant, "min_quantity": min_quantity},
                    {"unit_price": Decimal(tier_price)},
                )
            variants[sku] = variant
    return variants


# --- Stock, people, orders ----------------------------------------------------------------------

# Opening stock per counter (by position in counters()); a few low or empty on purpose,
# so the pages show "few left" and "out of stock".
STOCK = {
    0: {"HR-CHESTNUT-500": 40, "HR-CHESTNUT-2500": 12, "HR-POTATO-2500": 25, "HR-POTATO-5000": 4,
        "HR-PEARPASTE-250": 30, "HR-PEARPASTE-4X250": 8, "HR-KERNEL-100": 60, "HR-KERNEL-10X100": 10,
        "HR-NOODLE-500": 35},
    1: {"HR-TROUT-WHOLE": 15, "HR-TROUT-FILLET": 3, "HR-CHESTNUT-500": 20},
    2: {"HR-CHESTNUT-500": 25, "HR-CHESTNUT-2500": 6, "HR-PEARPASTE-250": 3, "HR-POTATO-2500": 18,
        "HR-KERNEL-100": 40},
    3: {"HR-CHESTNUT-500": 30, "HR-CHESTNUT-2500": 5, "HR-POTATO-2500": 20, "HR-POTATO-5000": 10,
        "HR-PEARPASTE-250": 12, "HR-TROUT-WHOLE": 10, "HR-NOODLE-500": 20},
}  # fmt: skip


def demo_gtin(item: int) -> str:
    """An invented GTIN-14 with a correct check digit: 0, the 690 prefix of
    GS1 China, an invented company 1234 and the item number (no real product
    has it; a scanner reads it as what it is, a demo)."""
    return gs1.with_check_digit(f"06901234{item:05d}")


# The lots of the opening stock: harvested (or made) some days before they
# arrived, and the certificate each product's lots carry. The chestnuts carry
# the geographical indication (怀柔板栗); the others a commitment compliance
# certificate (承诺达标合格证), numbered by the producer (numbers invented).
LOT_CERTIFICATES = {
    "HR-CHESTNUT": Lot.Certificate.GEOGRAPHICAL_INDICATION,
    "HR-KERNEL": Lot.Certificate.GEOGRAPHICAL_INDICATION,
}


def _lot_details(sku: str, counter_index: int, received: datetime) -> services.LotDetails:
    family = sku.rsplit("-", 1)[0]
    certificate = LOT_CERTIFICATES.get(family, Lot.Certificate.COMPLIANCE)
    number = (
        f"示例-{family[3:]}-{counter_index + 1:02d}"
        if certificate == Lot.Certificate.COMPLIANCE
        else ""
    )
    # Fish keeps three days: the demo's trout, stocked weeks ago, gives no date.
    harvested = None if family == "HR-TROUT" else timezone.localdate(received)
    return services.LotDetails(
        harvested_on=harvested and harvested - timedelta(days=7 + 3 * counter_index),
        certificate=certificate,
        certificate_number=number,
    )


def opening_stock(
    counter_list: list[Counter], variants: dict[str, ProductVariant], by: User
) -> int:
    done = 0
    for index, levels in STOCK.items():
        counter = counter_list[index]
        for sku, quantity in levels.items():
            already = StockMovement.objects.filter(
                stock__counter=counter,
                stock__variant=variants[sku],
                kind=StockMovement.Kind.RECEIPT,
                reason__in=(OPENING_STOCK, EARLIER_OPENING_STOCK),
            ).exists()
            if not already:
                services.stock_receive(
                    counter=counter,
                    variant=variants[sku],
                    quantity=quantity,
                    by=by,
                    reason=OPENING_STOCK,
                    now=_at(45, 8),
                    lot=_lot_details(sku, index, _at(45, 8)),
                )
                done += 1
    # A second, fresher delivery of chestnuts at the first counter: sales
    # draw the older lot first (it expires first), then this one.
    counter, variant = counter_list[0], variants["HR-CHESTNUT-500"]
    if not StockMovement.objects.filter(
        stock__counter=counter, stock__variant=variant, reason=RESTOCK
    ).exists():
        services.stock_receive(
            counter=counter,
            variant=variant,
            quantity=20,
            by=by,
            reason=RESTOCK,
            now=_at(12, 8),
            lot=_lot_details("HR-CHESTNUT-500", 0, _at(6, 8)),
        )
        done += 1
    return done


def people(producer: dict[str, Organization], counter_list: list[Counter], centre: list[Centre]):
    users = {
        "producer1": ensure_member("producer1", producer["chestnut"], first_name="栗农代表"),
        "producer2": ensure_member("producer2", producer["potato"], first_name="红薯合作社"),
        "producer3": ensure_member("producer3", producer["pear"], first_name="梨膏坊"),
        "producer4": ensure_member("producer4", producer["trout"], first_name="养鱼场"),
        "counter1": ensure_member(
            "counter1", centre[0].organization, role="staff", first_name="东四专区店员"
        ),
        "counter2": ensure_member(
            "counter2", centre[1].organization, role="staff", first_name="前门专柜店员"
        ),
        "centre1": ensure_member(
            "centre1", centre[0].organization, role="manager", first_name="东四中心经理"
        ),
    }
    CounterStaff.objects.get_or_create(counter=counter_list[0], user=users["counter1"])
    CounterStaff.objects.get_or_create(counter=counter_list[2], user=users["counter2"])
    return users


def buyers(dongcheng: District) -> dict[str, Organization]:
    supermarket = organization(
        "demo-jingdong-fresh-market",
        Organization.Kind.SUPERMARKET,
        dongcheng,
        "东城示例生鲜超市",
        "Dongcheng Demo Fresh Market",
    )
    restaurant = organization(
        "demo-hutong-kitchen",
        Organization.Kind.RESTAURANT,
        dongcheng,
        "胡同示例餐厅",
        "Demo Hutong Kitchen",
    )
    _upsert(
        BusinessBuyer,
        {"organization": supermarket},
        {
            "delivery_address": "东城区示例路1号（收货部）",
            "contact_name": "采购部",
            "contact_phone": "010-00000011",
        },
    )
    _upsert(
        BusinessBuyer,
        {"organization": restaurant},
        {
            "delivery_address": "东城区示例胡同9号（后厨）",
            "contact_name": "厨师长",
            "contact_phone": "010-00000012",
        },
    )
    ensure_member("buyer1", supermarket, first_name="超市采购")
    ensure_member("buyer2", restaurant, first_name="餐厅采购")
    return {"supermarket": supermarket, "restaurant": restaurant}


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


class DemoOrder(TypedDict):
    is_demo: bool
    notify: bool


def orders(counter_list: list[Counter], variants: dict[str, ProductVariant], users: dict) -> int:
    """A few orders of the demo visitor and another customer, in every state.
    Skipped once there are demo orders (the loader must not add more each run)."""
    if Order.objects.filter(is_demo=True).exists():
        return 0
    visitor = ensure_user("visitor", phone="13800000001", first_name="游客")
    neighbour = ensure_user("neighbour", first_name="东城居民")
    v = variants
    staff0, staff2 = users["counter1"], users["counter2"]
    place = services.order_place
    move = services.order_transition
    common: DemoOrder = {"is_demo": True, "notify": False}

    # Collected in the last weeks: the sales report and the dashboard have figures.
    history = [
        (
            neighbour,
            0,
            staff0,
            [(v["HR-CHESTNUT-500"], 2), (v["HR-PEARPASTE-250"], 1)],
            20,
            "wechat",
        ),
        (visitor, 2, staff2, [(v["HR-CHESTNUT-2500"], 1)], 12, "alipay"),
        (neighbour, 0, staff0, [(v["HR-POTATO-2500"], 2), (v["HR-KERNEL-100"], 3)], 6, "cash"),
        (visitor, 2, staff2, [(v["HR-POTATO-2500"], 1), (v["HR-CHESTNUT-500"], 2)], 3, "card"),
    ]
    for customer, index, staff, lines, days_ago, method in history:
        placed = _at(days_ago, 10)
        order = place(
            customer=customer, counter=counter_list[index], lines=lines, now=placed, **common
        )
        move(order=order, to="ready", by=staff, now=placed + timedelta(hours=3), notify=False)
        move(
            order=order,
            to="collected",
            by=staff,
            payment_method=method,
            now=placed + timedelta(days=1),
            notify=False,
        )

    # Cancelled by the customer, and one that was never collected.
    placed = _at(9, 15)
    order = place(
        customer=neighbour,
        counter=counter_list[2],
        lines=[(v["HR-PEARPASTE-250"], 2)],
        now=placed,
        **common,
    )
    move(order=order, to="cancelled", by=neighbour, now=placed + timedelta(hours=2), notify=False)
    placed = _at(8, 11)
    order = place(
        customer=visitor,
        counter=counter_list[0],
        lines=[(v["HR-NOODLE-500"], 2)],
        now=placed,
        **common,
    )
    move(
        order=order,
        to="expired",
        by=None,
        reason=gettext_noop("pickup deadline passed"),
        now=placed + timedelta(days=4),
        notify=False,
    )

    # Open now: one reserved, one ready at the counter.
    now = timezone.now()
    place(
        customer=visitor,
        counter=counter_list[0],
        lines=[(v["HR-CHESTNUT-500"], 2), (v["HR-POTATO-5000"], 1)],
        now=now - timedelta(hours=2),
        **common,
    )
    order = place(
        customer=visitor,
        counter=counter_list[2],
        lines=[(v["HR-PEARPASTE-250"], 1)],
        now=now - timedelta(days=1),
        **common,
    )
    move(order=order, to="ready", by=staff2, now=now - timedelta(hours=20), notify=False)
    return 8


def bulk_orders(
    buyer: dict[str, Organization], variants: dict[str, ProductVariant], users: dict
) -> int:
    if BulkOrder.objects.filter(is_demo=True).exists():
        return 0
    user_model = get_user_model()
    buyer1 = user_model.objects.get(username="buyer1")
    buyer2 = user_model.objects.get(username="buyer2")
    v = variants
    # A settled farm-to-supermarket order of last month...
    requested = _at(30, 9)
    settled = services.bulk_order_request(
        buyer=buyer["supermarket"],
        requested_by=buyer1,
        lines=[(v["HR-CHESTNUT-500"], 200), (v["HR-CHESTNUT-2500"], 20)],
        requested_delivery_date=date.fromordinal(requested.date().toordinal() + 5),
        note="国庆节前到货",
        is_demo=True,
        notify=False,
        now=requested,
    )
    producer1 = users["producer1"]
    services.bulk_order_transition(
        bulk_order=settled,
        to="confirmed",
        by=producer1,
        notify=False,
        now=requested + timedelta(days=1),
    )
    services.bulk_order_transition(
        bulk_order=settled,
        to="delivered",
        by=producer1,
        notify=False,
        now=requested + timedelta(days=5),
    )
    services.bulk_order_transition(
        bulk_order=settled,
        to="settled",
        by=producer1,
        notify=False,
        now=requested + timedelta(days=20),
    )
    # ...and a farm-to-restaurant request waiting for the trout farm.
    services.bulk_order_request(
        buyer=buyer["restaurant"],
        requested_by=buyer2,
        lines=[(v["HR-TROUT-WHOLE"], 40)],
        requested_delivery_date=timezone.localdate() + timedelta(days=5),
        note="每周二、周五各送一半",
        is_demo=True,
        notify=False,
    )
    return 2


def load(*, stdout=None) -> str:
    huairou = _district("huairou", "怀柔区", "Huairou District", District.Role.SUPPORTED)
    dongcheng = _district("dongcheng", "东城区", "Dongcheng District", District.Role.SUPPORTING)
    village = villages(huairou)
    producer = producers(huairou, village)
    centre = centres(dongcheng)
    counter_list = counters(centre, producer)
    hours = opening_hours(counter_list)
    variants = catalogue(producer, village)
    images = illustrate(Product.objects.filter(is_demo=True))
    users = people(producer, counter_list, centre)
    buyer = buyers(dongcheng)
    # Opening stock is recorded by district staff (accounts' loader made the account).
    district_staff = ensure_user("district", first_name="区级管理员", is_staff=True)
    receipts = opening_stock(counter_list, variants, district_staff)
    order_count = orders(counter_list, variants, users)
    bulk_count = bulk_orders(buyer, variants, users)
    presale_count = presales(counter_list, variants, users)
    share_count = purchase_shares(buyer, dongcheng, organization)
    return (
        f"{len(centre)} centres, {len(counter_list)} counters ({hours} weekly opening periods), "
        f"{len(producer)} producers, "
        f"{len(variants)} variants, {images} illustrations, {receipts} stock receipts, {order_count} orders, "
        f"{bulk_count} bulk orders, {presale_count} harvest presale pledges, "
        f"{share_count} institutional purchase shares"
    )


def presales(counter_list: list[Counter], variants: dict[str, ProductVariant], users) -> int:
    """Next season's chestnuts on presale, with pledges from the demo visitor
    and a neighbour; the producer (producer1) records the yield and allocates
    in the partner panel."""
    from .models import Pledge, Presale

    variant = next(v for v in variants.values() if v.product.slug == "huairou-chestnuts")
    presale = Presale.objects.filter(variant=variant, is_demo=True).first()
    if presale is None:
        now = timezone.now()
        presale = Presale.objects.create(
            variant=variant,
            price=(variant.unit_price * Decimal("0.9")).quantize(Decimal("0.01")),
            expected_yield=400,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=40),
            harvest_note="九月中旬开杆采收 · picked from mid-September",
            created_by=users["producer1"],
            is_demo=True,
        )
    carrying = [
        c for c in counter_list if c.producers.filter(pk=variant.product.producer_id).exists()
    ]
    for username, quantity, counter in (
        ("visitor", 6, carrying[0]),
        ("neighbour", 10, carrying[-1]),
    ):
        Pledge.objects.get_or_create(
            presale=presale,
            customer=ensure_user(username),
            defaults={"counter": counter, "quantity": quantity},
        )
    return presale.pledges.count()
