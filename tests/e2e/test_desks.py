"""The staff desks in a real browser (issue 14): the pickup desk and the
check-in desk, online (a typed code, the hand-over, its undo) and offline
(Playwright's offline mode: two hand-overs or check-ins queued, the page
closed and opened again, back online, synced; a conflict made meanwhile by
a second device shows in the list). And the camera's QR decoder on a still
image of a pickup code."""

import base64
import datetime as dt
import io
import re
import time

import pytest
import segno
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, wider_than_the_screen
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def counter_scene(transactional_db):
    from marketplace import services
    from tests.marketplace.factories import (
        CounterFactory,
        ProducerFactory,
        ProductFactory,
        VariantFactory,
        counter_staff,
        receive,
    )

    producer = ProducerFactory()
    counter = CounterFactory(producers=[producer])
    chestnuts = VariantFactory(
        product=ProductFactory(producer=producer, name="怀柔板栗"), unit_price="25.00"
    )
    receive(counter, chestnuts, 20)
    clerk = counter_staff(counter, "clerk")
    colleague = counter_staff(counter, "colleague")
    customers = [
        UserFactory(username=f"customer{n}", first_name=name, last_name="")
        for n, name in enumerate(["王芳", "李强", "张伟"])
    ]
    orders = [
        services.order_place(customer=customer, counter=counter, lines=[(chestnuts.pk, n + 1)])
        for n, customer in enumerate(customers)
    ]
    other = CounterFactory(producers=[producer])
    receive(other, chestnuts, 5)
    elsewhere = services.order_place(
        customer=customers[0], counter=other, lines=[(chestnuts.pk, 1)]
    )
    return {"clerk": clerk, "colleague": colleague, "orders": orders, "elsewhere": elsewhere}


@pytest.fixture
def tour_scene(transactional_db):
    from tests.tours.factories import (
        DepartureFactory,
        DeparturePriceFactory,
        OperatorFactory,
        RouteFactory,
    )
    from tours import services
    from tours.models import Departure

    operator = OperatorFactory()
    clerk = MembershipFactory(organization=operator, user=UserFactory(username="guide")).user
    colleague = MembershipFactory(organization=operator, user=UserFactory(username="guide2")).user
    departure = DepartureFactory(
        route=RouteFactory(operator=operator, title="前门+雁栖湖"), capacity=12
    )
    DeparturePriceFactory(departure=departure)
    bookings = [
        services.booking_create(
            customer=UserFactory(),
            departure_id=departure.pk,
            seats=2,
            contact_name=name,
            contact_phone="13800000000",
            travellers=[{"name": name}, {"name": f"{name}的同伴"}],
        )
        for name in ["赵敏", "钱进", "孙丽"]
    ]
    # paid in advance: the second one
    services.booking_record_payment(
        booking=bookings[1], by=clerk, method="alipay", timing="advance"
    )
    Departure.objects.filter(pk=departure.pk).update(
        date=timezone.localdate(), start_time=dt.time(23, 59)
    )
    return {"clerk": clerk, "colleague": colleague, "bookings": bookings}


def open_desk(page, path):
    page.goto(page.base_url + path)
    page.wait_for_selector("body[data-ready='1']")


def wait_for_offline_shell(page):
    """Until the service worker controls the page and keeps the desk and its files."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        kept = page.evaluate(
            "caches.open('desk-shell-v1').then(c => c.keys()).then(k => k.map(r => r.url))"
        )
        if any(url.endswith("desk.js") for url in kept) and any("/vendor/desk/" in u for u in kept):
            return kept
        page.wait_for_timeout(200)
    raise AssertionError(f"the desk was not kept for offline use: {kept}")


def find(page, code):
    page.fill("#desk-code", code)
    page.click("button.desk-btn-find")
    page.wait_for_selector(f"#desk-result .desk-card >> text={code[:3]}")


def act(page, payment=None):
    if payment:
        page.locator(f"#desk-result input[name=payment_method][value={payment}]").check()
    page.click("#desk-result .desk-btn-primary")
    page.wait_for_selector("#desk-result .desk-done")


def test_the_pickup_desk_online_typed_code_hand_over_and_undo(
    page, counter_scene, screenshot, axe_check
):
    order = counter_scene["orders"][0]
    sign_in(page, "clerk", PASSWORD)
    open_desk(page, "/vendor/desk/pickup/")
    axe_check(page)
    # today's list: three expected, none collected; not the other counter's order
    assert page.inner_text("#count-expected") == "3"
    assert page.locator("#desk-list li").count() == 3
    assert counter_scene["elsewhere"].pickup_code not in page.inner_text("#desk-list")
    # the code typed in lower case with a space, as read aloud
    code = order.pickup_code
    find(page, f"{code[:3].lower()} {code[3:]}")
    card = page.locator("#desk-result .desk-card")
    assert "王芳" in card.inner_text() and "怀柔板栗" in card.inner_text()
    screenshot(page, "desk-pickup-found-390")
    # no payment chosen: the desk asks, nothing happens
    page.click("#desk-result .desk-btn-primary")
    assert page.locator("#desk-result .desk-error").inner_text()
    # the big targets are at least 48 px high
    for selector in ("#desk-code", "#desk-result .desk-btn-primary", "#desk-result .desk-pay"):
        assert page.locator(selector).first.bounding_box()["height"] >= 48, selector
    assert wider_than_the_screen(page) == []
    act(page, "wechat")
    expect(page.locator("#count-queued")).to_have_text("0", timeout=20000)
    expect(page.locator("#count-done")).to_have_text("1")
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("collected", "wechat")
    screenshot(page, "desk-pickup-done-390")
    # a mistaken hand-over: undo, and the order is ready again
    page.click("#desk-result .desk-undo")
    page.wait_for_selector("#desk-result .desk-btn-primary")
    order.refresh_from_db()
    assert (order.status, order.payment_method) == ("ready", "")
    # the counter screen: two columns
    page.set_viewport_size({"width": 1280, "height": 800})
    find(page, code)
    screenshot(page, "desk-pickup-1280")
    work = page.locator(".desk-work").bounding_box()
    today = page.locator(".desk-today").bounding_box()
    assert today["x"] > work["x"] + work["width"] - 1


def test_the_pickup_desk_offline_queue_survives_a_closed_tab_and_syncs(
    page, counter_scene, screenshot
):
    from core.models import OfflineAction
    from marketplace import services
    from marketplace.models import Order

    first, second, third = counter_scene["orders"]
    sign_in(page, "clerk", PASSWORD)
    open_desk(page, "/vendor/desk/pickup/")
    wait_for_offline_shell(page)
    context = page.context

    # offline: hand over three orders from the kept copy
    context.set_offline(True)
    expect(page.locator("#desk-net")).to_have_class(re.compile("is-offline"))
    for order, payment in ((first, "cash"), (second, "alipay"), (third, "card")):
        find(page, order.pickup_code)
        act(page, payment)
    assert page.inner_text("#count-queued") == "3"
    assert "3" in page.inner_text("#desk-net")
    screenshot(page, "desk-pickup-offline-390")
    assert Order.objects.filter(status="collected").count() == 0

    base = page.base_url
    # the tab is closed; meanwhile a colleague's device hands the third one over
    page.close()
    services.order_hand_over(order=third, by=counter_scene["colleague"], payment_method="cash")
    # reopened while still offline: the desk comes from the service worker, the queue from IndexedDB
    page = context.new_page()
    page.goto(base + "/vendor/desk/pickup/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#count-queued") == "3"
    assert page.locator("#desk-list li[data-status=collected]").count() == 3
    # the last one is still undoable: the undo window outlives the closed tab
    find(page, third.pickup_code)
    assert page.locator("#desk-result .desk-undo").count() == 1

    # back online: two synced, the third a conflict in the list
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#count-queued")).to_have_text("0", timeout=20000)
    page.wait_for_selector(f"#desk-conflicts li[data-code='{third.pickup_code}']")
    screenshot(page, "desk-pickup-conflict-390")
    assert set(Order.objects.filter(status="collected").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
    }
    assert OfflineAction.objects.filter(result="applied").count() == 2
    conflict = OfflineAction.objects.get(result="conflict")
    assert (conflict.code, conflict.conflict_code) == (third.pickup_code, "already_collected")
    # the clerk resolves it
    page.click(f"#desk-conflicts li[data-code='{third.pickup_code}'] button.desk-resolve")
    page.wait_for_selector("#desk-conflicts", state="hidden")
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None


def test_the_check_in_desk_offline_then_synced_with_a_conflict(page, tour_scene, screenshot):
    from core.models import OfflineAction
    from tours import services
    from tours.models import Booking

    unpaid, paid, third = tour_scene["bookings"]
    sign_in(page, "guide", PASSWORD)
    open_desk(page, "/vendor/desk/check-in/")
    assert page.inner_text("#count-expected") == "3"
    wait_for_offline_shell(page)
    context = page.context

    context.set_offline(True)
    expect(page.locator("#desk-net")).to_have_class(re.compile("is-offline"))
    # the unpaid booking needs the payment choice; the paid one does not ask
    find(page, unpaid.code)
    assert "赵敏的同伴" in page.inner_text("#desk-result")
    act(page, "cash")
    find(page, paid.code)
    assert page.locator("#desk-result input[name=payment_method]").count() == 0
    act(page)
    find(page, third.code)
    act(page, "later")
    assert page.inner_text("#count-queued") == "3"
    screenshot(page, "desk-check-in-offline-390")

    base = page.base_url
    # closed; the third booking is cancelled meanwhile (a second device)
    page.close()
    services.booking_cancel(booking=third, by=tour_scene["colleague"], reason="改期")
    page = context.new_page()
    page.goto(base + "/vendor/desk/check-in/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#count-queued") == "3"

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#count-queued")).to_have_text("0", timeout=20000)
    page.wait_for_selector(f"#desk-conflicts li[data-code='{third.code}']")
    assert page.inner_text("#count-done") == "2"
    screenshot(page, "desk-check-in-synced-390")
    statuses = dict(Booking.objects.values_list("code", "status"))
    assert (statuses[unpaid.code], statuses[paid.code], statuses[third.code]) == (
        "checked_in",
        "checked_in",
        "cancelled",
    )
    assert Booking.objects.get(pk=unpaid.pk).payment_method == "cash"
    assert OfflineAction.objects.get(result="conflict").conflict_code == "cancelled"


def test_the_camera_decoder_reads_a_pickup_code_from_a_still_image(page, counter_scene):
    code = counter_scene["orders"][0].pickup_code
    buffer = io.BytesIO()
    # A standard QR code (jsQR reads no Micro QR, which segno picks for short text)
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    data_url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    sign_in(page, "clerk", PASSWORD)
    open_desk(page, "/vendor/desk/pickup/")
    read = page.evaluate(
        """(src) => new Promise((resolve) => {
            const img = new Image();
            img.onload = () => resolve(window.deskDecode(img, img.naturalWidth, img.naturalHeight));
            img.src = src;
        })""",
        data_url,
    )
    assert read == code
    # what the camera reads goes into the same box and finds the order
    page.evaluate("(text) => window.deskScanned(text)", read)
    page.wait_for_selector("#desk-result .desk-card")
    assert "王芳" in page.inner_text("#desk-result")


def fake_camera_file(path, text: str) -> None:
    """A Y4M video (what Chromium's fake camera plays) showing a QR code of ``text``."""
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    qr = Image.open(buffer).convert("L")
    frame = Image.new("L", (320, 240), 255)
    frame.paste(qr, ((320 - qr.width) // 2, (240 - qr.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (160 * 120)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W320 H240 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_phone_camera_scans_the_code(browser, live_server, counter_scene, tmp_path):
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    order = counter_scene["orders"][1]
    video = tmp_path / "qr.y4m"
    fake_camera_file(video, order.pickup_code)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", permissions=["camera"]
        )
        page = context.new_page()
        page.base_url = live_server.url
        sign_in(page, "clerk", PASSWORD)
        open_desk(page, "/vendor/desk/pickup/")
        page.click("#desk-camera")
        # the camera reads the code: the order is shown, the camera stops
        page.wait_for_selector("#desk-result .desk-card", timeout=20000)
        assert "李强" in page.inner_text("#desk-result")
        assert page.input_value("#desk-code") == order.pickup_code
        expect(page.locator("#desk-video-box")).to_be_hidden()
    finally:
        camera.close()
