"""Demo data for the tours app, loaded by `manage.py load_demo`. Idempotent.

Real (from the report, `facts.md`): the two joint routes “前门+雁栖湖” and
“天坛+红螺寺+慕田峪” and their five places with approximate coordinates.
Invented and marked ``is_demo``: both operators, the third route, the extra
places, every price, date, capacity, booking and waitlist entry.

Departures are laid out relative to today (the next 8 weeks), so a demo loaded
on any day has bookable dates; running it again adds the new weeks' dates and
changes nothing that is already there. Demo bookings are written directly
(with an audit event saying so) rather than through the booking service, so
loading sends no e-mails.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.demo import ensure_user
from accounts.models import User
from core import codes
from core.cache import bump
from organizations.demo import ensure_member
from organizations.models import Area, District, Organization

from . import demo_trip
from .demo_images import illustrate_attractions, illustrate_routes
from .models import (
    Attraction,
    Booking,
    BookingEvent,
    BookingTraveller,
    Departure,
    DeparturePrice,
    Route,
    RouteStop,
    TravellerType,
    WaitlistEntry,
)
from .services import CODE_LENGTH

WEEKS = 8
DEMO_REASON = gettext_noop("demo data")  # shown translated (StatusEvent.reason_label)

DISTRICTS = {
    "dongcheng": {
        "name_zh_hans": "东城区",
        "name_en": "Dongcheng District",
        "role": District.Role.SUPPORTING,
    },
    "huairou": {
        "name_zh_hans": "怀柔区",
        "name_en": "Huairou District",
        "role": District.Role.SUPPORTED,
    },
}

# (district, kind, zh, en, lat, lon)
AREAS = {
    "qianmen": (
        "dongcheng",
        Area.Kind.SUBDISTRICT,
        "前门街道",
        "Qianmen Subdistrict",
        "39.8960",
        "116.3980",
    ),
    "tiantan": (
        "dongcheng",
        Area.Kind.SUBDISTRICT,
        "天坛街道",
        "Tiantan Subdistrict",
        "39.8820",
        "116.4100",
    ),
    "jiaodaokou": (
        "dongcheng",
        Area.Kind.SUBDISTRICT,
        "交道口街道",
        "Jiaodaokou Subdistrict",
        "39.9380",
        "116.4030",
    ),
    "beixinqiao": (
        "dongcheng",
        Area.Kind.SUBDISTRICT,
        "北新桥街道",
        "Beixinqiao Subdistrict",
        "39.9450",
        "116.4170",
    ),
    "yanqi": ("huairou", Area.Kind.TOWN, "雁栖镇", "Yanqi Town", "40.4000", "116.6700"),
    "huairou": ("huairou", Area.Kind.TOWN, "怀柔镇", "Huairou Town", "40.3500", "116.6300"),
    "bohai": ("huairou", Area.Kind.TOWN, "渤海镇", "Bohai Town", "40.4300", "116.5500"),
    "huaibei": ("huairou", Area.Kind.TOWN, "怀北镇", "Huaibei Town", "40.4300", "116.6600"),
}

# slug: (district, area, zh, en, lat, lon, is_demo, description zh, description en, opening zh, opening en)
ATTRACTIONS = {
    "qianmen-street": (
        "dongcheng",
        "qianmen",
        "前门大街",
        "Qianmen Street",
        "39.899",
        "116.398",
        False,
        "北京中轴线南端的老商业街，老字号店铺林立，步行街两侧是修缮后的传统建筑。",
        "The old shopping street at the southern end of Beijing's central axis, lined with time-honoured shops in restored traditional buildings.",
        "步行街全天开放；店铺营业时间各异。",
        "The pedestrian street is open all day; shop hours vary.",
    ),
    "temple-of-heaven": (
        "dongcheng",
        "tiantan",
        "天坛",
        "Temple of Heaven",
        "39.882",
        "116.407",
        False,
        "明清两代皇帝祭天、祈谷的场所，祈年殿和回音壁闻名中外，世界文化遗产。",
        "Where Ming and Qing emperors prayed for good harvests; the Hall of Prayer and the Echo Wall are a World Heritage site.",
        "公园约6:00开放；景点需另购联票，周一部分景点闭馆。",
        "The park opens around 6:00; the halls need a combined ticket, and some close on Mondays.",
    ),
    "yanqi-lake": (
        "huairou",
        "yanqi",
        "雁栖湖",
        "Yanqi Lake",
        "40.405",
        "116.675",
        False,
        "燕山脚下的湖泊，因每年春秋大雁在此栖息而得名，沿湖可骑行、泛舟。",
        "A lake at the foot of the Yan Mountains, named after the wild geese that rest here each spring and autumn; cycle or boat along its shore.",
        "全年开放，冬季部分游船项目停运。",
        "Open all year; some boat services stop in winter.",
    ),
    "hongluo-temple": (
        "huairou",
        "huairou",
        "红螺寺",
        "Hongluo Temple",
        "40.378",
        "116.627",
        False,
        "始建于东晋的古刹，背靠红螺山，以竹林、古银杏和紫藤寄松闻名。",
        "An ancient temple founded in the Eastern Jin, backed by Hongluo Mountain and known for its bamboo grove, old ginkgos and wisteria-wrapped pine.",
        "约8:00—17:00开放，旺季延长。",
        "Open about 8:00–17:00, longer in the high season.",
    ),
    "mutianyu-great-wall": (
        "huairou",
        "bohai",
        "慕田峪长城",
        "Mutianyu Great Wall",
        "40.432",
        "116.570",
        False,
        "保存完好的明长城段落，敌楼密集，四季景色分明，可乘缆车或索道上下。",
        "A well-preserved Ming section of the Great Wall with closely spaced watchtowers; a cable car and a chairlift go up and down.",
        "约7:30—17:30开放（冬季缩短），缆车另行购票。",
        "Open about 7:30–17:30 (shorter in winter); the cable car is ticketed separately.",
    ),
    "nanluoguxiang": (
        "dongcheng",
        "jiaodaokou",
        "南锣鼓巷",
        "Nanluoguxiang",
        "39.937",
        "116.403",
        True,
        "保留元代棋盘式胡同格局的老街区，两侧是四合院与小店。",
        "An old quarter that keeps the Yuan-dynasty grid of hutong lanes, with courtyard houses and small shops.",
        "街区全天开放。",
        "The lanes are open all day.",
    ),
    "yonghe-temple": (
        "dongcheng",
        "beixinqiao",
        "雍和宫",
        "Yonghe Temple (Lama Temple)",
        "39.948",
        "116.417",
        True,
        "由雍亲王府改建的藏传佛教寺院，万福阁内有巨大的檀木大佛。",
        "A Tibetan Buddhist temple converted from a prince's mansion; the Wanfu Pavilion holds a giant sandalwood Buddha.",
        "约9:00—16:30开放。",
        "Open about 9:00–16:30.",
    ),
    "qinglong-gorge": (
        "huairou",
        "huaibei",
        "青龙峡",
        "Qinglong Gorge",
        "40.465",
        "116.610",
        True,
        "怀柔北部的峡谷景区，有水库、栈道和古长城遗迹。",
        "A gorge in northern Huairou with a reservoir, cliff paths and remains of the old Wall.",
        "约8:00—17:00开放，冬季部分项目关闭。",
        "Open about 8:00–17:00; some activities close in winter.",
    ),
}

OPERATORS = {
    "dh-joint-tours": {
        "name_zh_hans": "东怀联合旅行社（示例）",
        "name_en": "Dongcheng–Huairou Joint Tours (demo)",
        "district": "dongcheng",
        "user": "operator1",
        "phone": "13800000101",
    },
    "yanshan-trails": {
        "name_zh_hans": "燕山行旅游公司（示例）",
        "name_en": "Yanshan Trails Travel (demo)",
        "district": "huairou",
        "user": "operator2",
        "phone": "13800000102",
    },
}

ROUTES: list[dict[str, Any]] = [
    {
        "slug": "qianmen-yanqi-lake",
        "operator": "dh-joint-tours",
        "title_zh_hans": "前门+雁栖湖",
        "title_en": "Qianmen + Yanqi Lake",
        "summary_zh_hans": "上午漫步前门大街的老字号，下午到怀柔雁栖湖畔骑行看山水：一天里从中轴线走到燕山脚下。",
        "summary_en": "A morning among Qianmen Street's old shops, an afternoon cycling round Huairou's Yanqi Lake: from the central axis to the Yan Mountains in one day.",
        "highlights_zh_hans": "前门大街老字号与中轴线风貌\n雁栖湖环湖骑行\n怀柔农家午餐",
        "highlights_en": "Qianmen Street's time-honoured shops and the central axis\nCycling round Yanqi Lake\nA Huairou farmhouse lunch",
        "included_zh_hans": "往返大巴\n中文导游\n农家午餐\n旅游意外险",
        "included_en": "Coach there and back\nChinese-speaking guide\nFarmhouse lunch\nTravel accident insurance",
        "meeting_point_zh_hans": "前门大街北口（正阳门箭楼南侧）",
        "meeting_point_en": "North end of Qianmen Street (south of the Zhengyangmen Arrow Tower)",
        "duration_days": 1,
        "base_price": "168.00",
        "in_report": True,
        "featured_rank": 1,
        "is_demo": False,
        "stops": [
            (
                1,
                1,
                "07:30",
                90,
                "qianmen-street",
                "导游讲解中轴线与老字号。",
                "The guide tells the story of the axis and its old shops.",
            ),
            (
                2,
                1,
                "11:30",
                240,
                "yanqi-lake",
                "午餐后环湖骑行（自行车费用自理）。",
                "Lunch, then a ride round the lake (bike hire not included).",
            ),
        ],
        "schedule": {"weekdays": (2, 5), "time": "07:30", "capacity": 30},
    },
    {
        "slug": "temple-of-heaven-hongluo-mutianyu",
        "operator": "dh-joint-tours",
        "title_zh_hans": "天坛+红螺寺+慕田峪",
        "title_en": "Temple of Heaven + Hongluo Temple + Mutianyu",
        "summary_zh_hans": "从天坛祈年殿到红螺寺的竹林古刹，第二天清晨登慕田峪长城：两天读懂东城与怀柔。",
        "summary_en": "From the Temple of Heaven's Hall of Prayer to Hongluo's bamboo-shaded temple, then the Mutianyu Great Wall at dawn: two days joining Dongcheng and Huairou.",
        "highlights_zh_hans": "天坛祈年殿与回音壁\n红螺寺古银杏与紫藤寄松\n清晨登慕田峪长城\n怀柔板栗农家宴",
        "highlights_en": "The Hall of Prayer and the Echo Wall\nHongluo Temple's old ginkgos and wisteria-wrapped pine\nMutianyu Great Wall in the early morning\nA farmhouse dinner with Huairou chestnuts",
        "included_zh_hans": "往返大巴\n怀柔民宿一晚（含早餐）\n景点首道门票\n中文导游",
        "included_en": "Coach there and back\nOne night in a Huairou guesthouse with breakfast\nEntrance tickets\nChinese-speaking guide",
        "meeting_point_zh_hans": "天坛公园东门",
        "meeting_point_en": "East Gate of the Temple of Heaven park",
        "duration_days": 2,
        "base_price": "398.00",
        "in_report": True,
        "featured_rank": 2,
        "is_demo": False,
        "stops": [
            (
                1,
                1,
                "08:00",
                120,
                "temple-of-heaven",
                "从东门进入，参观祈年殿、回音壁和圜丘。",
                "In by the East Gate: the Hall of Prayer, the Echo Wall and the Circular Mound.",
            ),
            (
                2,
                1,
                "13:30",
                150,
                "hongluo-temple",
                "午餐后游览红螺寺，晚宿怀柔民宿。",
                "After lunch, Hongluo Temple; the night in a Huairou guesthouse.",
            ),
            (
                3,
                2,
                "08:00",
                240,
                "mutianyu-great-wall",
                "乘缆车上长城，步行至14号敌楼。",
                "Up by cable car, then on foot to Watchtower 14.",
            ),
        ],
        "schedule": {"weekdays": (5,), "time": "07:30", "capacity": 20},
    },
    {
        "slug": "hutongs-temples-qinglong-gorge",
        "operator": "yanshan-trails",
        "title_zh_hans": "南锣鼓巷+雍和宫+青龙峡",
        "title_en": "Nanluoguxiang + Yonghe Temple + Qinglong Gorge",
        "summary_zh_hans": "胡同、古寺与峡谷：第一天在东城胡同与雍和宫，第二天到怀柔青龙峡徒步。（示例线路）",
        "summary_en": "Hutongs, a temple and a gorge: day one in Dongcheng's lanes and the Yonghe Temple, day two hiking Huairou's Qinglong Gorge. (A demo route.)",
        "highlights_zh_hans": "南锣鼓巷胡同漫步\n雍和宫檀木大佛\n青龙峡徒步",
        "highlights_en": "A walk through the Nanluoguxiang hutongs\nThe Yonghe Temple's sandalwood Buddha\nHiking the Qinglong Gorge",
        "included_zh_hans": "往返大巴\n怀柔民宿一晚\n中文导游",
        "included_en": "Coach there and back\nOne night in a Huairou guesthouse\nChinese-speaking guide",
        "meeting_point_zh_hans": "南锣鼓巷南口",
        "meeting_point_en": "South end of Nanluoguxiang",
        "duration_days": 2,
        "base_price": "328.00",
        "in_report": False,
        "featured_rank": None,
        "is_demo": True,
        "stops": [
            (1, 1, "09:00", 120, "nanluoguxiang", "", ""),
            (2, 1, "11:30", 120, "yonghe-temple", "", ""),
            (3, 2, "08:30", 300, "qinglong-gorge", "", ""),
        ],
        "schedule": {"weekdays": (6,), "time": "08:30", "capacity": 16},
    },
]

# Fares relative to the adult (base) price.
FARES = {
    TravellerType.ADULT: Decimal("1"),
    TravellerType.CHILD: Decimal("0.6"),
    TravellerType.SENIOR: Decimal("0.8"),
    TravellerType.STUDENT: Decimal("0.5"),
}

CUSTOMERS = [
    ("visitor", "游客", "13800000001"),
    ("traveller1", "王芳", "13800000201"),
    ("traveller2", "李强", "13800000202"),
    ("traveller3", "张敏", "13800000203"),
    ("traveller4", "刘洋", "13800000204"),
    ("traveller5", "陈静", "13800000205"),
    ("traveller6", "Anna Müller", "13800000206"),
]


def _code(*parts) -> str:
    """A stable booking code for a demo booking, from the same alphabet as real ones."""
    return codes.stable(*parts, length=CODE_LENGTH)


def _districts() -> dict[str, District]:
    result = {}
    for code, values in DISTRICTS.items():
        result[code], _ = District.objects.get_or_create(code=code, defaults=values)
    return result


def _areas(districts) -> dict[str, Area]:
    result = {}
    for key, (district, kind, zh, en, lat, lon) in AREAS.items():
        area, created = Area.objects.get_or_create(
            district=districts[district],
            kind=kind,
            name_zh_hans=zh,
            defaults={"name_en": en, "latitude": Decimal(lat), "longitude": Decimal(lon)},
        )
        if not created and area.latitude is None:  # fill in what another loader left out
            area.latitude, area.longitude = Decimal(lat), Decimal(lon)
            area.save(update_fields=["latitude", "longitude"])
        result[key] = area
    return result


def _attractions(districts, areas) -> dict[str, Attraction]:
    result = {}
    for slug, row in ATTRACTIONS.items():
        district, area, zh, en, lat, lon, is_demo, desc_zh, desc_en, open_zh, open_en = row
        result[slug], _ = Attraction.objects.update_or_create(
            slug=slug,
            defaults={
                "district": districts[district],
                "area": areas[area],
                "name_zh_hans": zh,
                "name_en": en,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "description_zh_hans": desc_zh,
                "description_en": desc_en,
                "opening_info_zh_hans": open_zh,
                "opening_info_en": open_en,
                "is_demo": is_demo,
            },
        )
    return result


def _operators(districts) -> dict[str, Organization]:
    result = {}
    for slug, values in OPERATORS.items():
        org, _ = Organization.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh_hans": values["name_zh_hans"],
                "name_en": values["name_en"],
                "kind": Organization.Kind.TOUR_OPERATOR,
                "district": districts[values["district"]],
                "phone": values["phone"],
                "is_demo": True,
            },
        )
        ensure_member(values["user"], org, first_name=values["name_zh_hans"][:30])
        result[slug] = org
    return result


def _routes(operators, attractions) -> list[Route]:
    routes = []
    for spec in ROUTES:
        fields = {
            k: v
            for k, v in spec.items()
            if k not in ("slug", "operator", "stops", "schedule", "base_price")
        }
        route, _ = Route.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **fields,
                "operator": operators[spec["operator"]],
                "base_price": Decimal(spec["base_price"]),
                "price_is_demo": True,
                "is_published": True,
            },
        )
        for order, day, time, stay, attraction, note_zh, note_en in spec["stops"]:
            RouteStop.objects.update_or_create(
                route=route,
                order=order,
                defaults={
                    "day": day,
                    "time": dt.time.fromisoformat(time),
                    "stay_minutes": stay,
                    "attraction": attractions[attraction],
                    "note_zh_hans": note_zh,
                    "note_en": note_en,
                },
            )
        routes.append(route)
    return routes


def _departures(routes, today: dt.date) -> dict[str, list[Departure]]:
    result = {}
    schedules = {spec["slug"]: spec["schedule"] for spec in ROUTES}
    for route in routes:
        schedule = schedules[route.slug]
        start = dt.time.fromisoformat(schedule["time"])
        dates = [
            today + dt.timedelta(days=offset)
            for offset in range(1, WEEKS * 7 + 1)
            if (today + dt.timedelta(days=offset)).weekday() in schedule["weekdays"]
        ]
        departures = []
        for date in dates:
            departure, created = Departure.objects.get_or_create(
                route=route,
                date=date,
                start_time=start,
                defaults={"capacity": schedule["capacity"], "cutoff_hours": 12, "is_demo": True},
            )
            # Every fare, also on departures an earlier load made without one.
            for traveller_type, factor in FARES.items():
                DeparturePrice.objects.get_or_create(
                    departure=departure,
                    traveller_type=traveller_type,
                    defaults={"amount": (route.base_price * factor).quantize(Decimal("1"))},
                )
            if created:
                BookingEvent.objects.create(
                    departure=departure, to_status=departure.status, reason=DEMO_REASON
                )
            departures.append(departure)
        result[route.slug] = departures
    return result


def _book(
    departure, user: User, seats, names, *, status=Booking.Status.CONFIRMED
) -> Booking | None:
    code = _code(departure.route.slug, departure.date, user.username)
    if Booking.objects.filter(code=code).exists():
        return None
    prices = {p.traveller_type: p.amount for p in departure.prices.all()}
    types = [TravellerType.ADULT] * seats
    if seats >= 3:
        types[-1] = TravellerType.CHILD
    booking = Booking.objects.create(
        code=code,
        customer=user,
        departure=departure,
        seats=seats,
        contact_name=names[0],
        contact_phone=user.phone or "13800000000",
        status=status,
        total_price=sum(prices[t] for t in types),
    )
    BookingTraveller.objects.bulk_create(
        BookingTraveller(booking=booking, name=name, traveller_type=t, price=prices[t])
        for name, t in zip(names, types, strict=True)
    )
    BookingEvent.objects.create(
        departure=departure, booking=booking, to_status=status, reason=DEMO_REASON
    )
    return booking


def _bookings(departures, customers, today: dt.date) -> tuple[int, int]:
    made = waiting = 0
    # A week ahead: far from any cut-off whenever the demo is looked at. A
    # route that still has demo bookings ahead (loaded on an earlier day)
    # gets no more, so reloading never piles them up.
    seeded = set(
        BookingEvent.objects.filter(
            reason=DEMO_REASON, booking__isnull=False, departure__date__gte=today
        ).values_list("departure__route__slug", flat=True)
    )
    first = {
        slug: next(d for d in deps if d.date >= today + dt.timedelta(days=7))
        for slug, deps in departures.items()
        if slug not in seeded
    }
    if not first:
        return 0, 0

    if qianmen := first.get("qianmen-yanqi-lake"):
        made += bool(_book(qianmen, customers["visitor"], 2, ["游客", "游客家属"]))
        made += bool(_book(qianmen, customers["traveller6"], 1, ["Anna Müller"]))
    if full := first.get("temple-of-heaven-hongluo-mutianyu"):
        w = _fill_with_waitlist(full, customers)
        made, waiting = made + w[0], waiting + w[1]
    if gorge := first.get("hutongs-temples-qinglong-gorge"):
        for username in ("traveller2", "traveller6"):
            user = customers[username]
            made += bool(_book(gorge, user, 2, [user.first_name, f"{user.first_name}同伴"]))
        # ...and three families more: 3 of its 16 seats left, "almost full" on the calendar.
        for username in ("traveller3", "traveller4", "traveller5"):
            user = customers[username]
            names = [user.first_name, f"{user.first_name}同伴", f"{user.first_name}孩子"]
            made += bool(_book(gorge, user, 3, names))
    return made, waiting


def _fill_with_waitlist(full: Departure, customers) -> tuple[int, int]:
    """The report's second route is full on its first demo date, with people waiting."""
    made = waiting = 0
    for username in ("traveller1", "traveller2", "traveller3", "traveller4", "traveller5"):
        user = customers[username]
        if _book(
            full,
            user,
            4,
            [
                user.first_name,
                f"{user.first_name}家人1",
                f"{user.first_name}家人2",
                f"{user.first_name}家人3",
            ],
        ):
            made += 1
    for username, seats in (("visitor", 2), ("traveller6", 1)):
        user = customers[username]
        entry, created = WaitlistEntry.objects.get_or_create(
            departure=full,
            customer=user,
            status=WaitlistEntry.Status.WAITING,
            defaults={
                "seats": seats,
                "contact_name": user.first_name,
                "contact_phone": user.phone or "",
            },
        )
        if created:
            BookingEvent.objects.create(
                departure=full, waitlist_entry=entry, to_status=entry.status, reason=DEMO_REASON
            )
            waiting += 1
    return made, waiting


def load(*, stdout=None) -> str:
    districts = _districts()
    areas = _areas(districts)
    attractions = _attractions(districts, areas)
    operators = _operators(districts)
    routes = _routes(operators, attractions)
    departures = _departures(routes, timezone.localdate())
    customers = {
        username: ensure_user(username, first_name=name, phone=phone)
        for username, name, phone in CUSTOMERS
    }
    bookings, waiting = _bookings(departures, customers, timezone.localdate())
    trip = demo_trip.load(districts["huairou"])
    pictures = illustrate_attractions(attractions.values()) + illustrate_routes(routes)
    bump("tours")
    total = sum(len(d) for d in departures.values())
    return (
        f"{len(attractions)} attractions, {len(routes)} routes, {total} departures in the next {WEEKS} weeks, "
        f"{bookings} new bookings, {waiting} new waitlist entries, {pictures} new illustrations; {trip}"
    )
