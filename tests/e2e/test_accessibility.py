"""axe-core on the public pages, with the demo data, in both languages.

One test walks every page so the demo data is loaded once; it reports every
serious or critical violation of every page together, then fails. It also
fails on any Content-Security-Policy violation the browser reports, and on
any request to another host (the `page` fixture).
"""

import pytest
from django.core.management import call_command

from cooperation.models import Agreement, Project
from marketplace.models import Lot, Product
from tours.models import Route

PAGES = [
    ("home", "/"),
    ("tours list", "/tours/"),
    ("route detail", "{route}"),
    ("product list", "/products/"),
    ("product detail", "{product}"),
    ("centres", "/centres/"),
    ("cooperation dashboard", "/cooperation/"),
    ("agreements", "/cooperation/agreements/"),
    ("agreement detail", "{agreement}"),
    ("projects", "/cooperation/projects/"),
    ("project detail", "{project}"),
    ("fund", "/cooperation/fund/"),
    ("pairings", "/cooperation/pairings/"),
    ("search", "/search/?q=%E6%9D%BF%E6%A0%97"),  # 板栗: every group with marked matches
    ("lot trace", "{lot}"),  # a bag's QR code: the GS1 Digital Link path
]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "route": Route.objects.order_by("pk").first().get_absolute_url(),
        "product": Product.objects.order_by("pk").first().get_absolute_url(),
        "agreement": Agreement.objects.order_by("pk").first().get_absolute_url(),
        "project": Project.objects.order_by("pk").first().get_absolute_url(),
        "lot": Lot.objects.filter(recorded=True)
        .exclude(variant__gtin="")
        .order_by("pk")
        .first()
        .trace_path,
    }


def _axe(page, source: str) -> list[str]:
    page.evaluate(source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violations(page, demo, screenshot):
    from tests.e2e.conftest import AXE

    source = AXE.read_text()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    problems: dict[str, list[str]] = {}
    for prefix in ("", "/en"):
        for name, path in PAGES:
            url = page.base_url + prefix + path.format(**demo).removeprefix("/en")
            response = page.goto(url)
            label = f"{name} [{prefix or 'zh'}] {url.removeprefix(page.base_url)}"
            if response is None or response.status != 200:
                problems[label] = [f"HTTP {response.status if response else 'no answer'}"]
                continue
            found = _axe(page, source)
            if found:
                problems[label] = found
                screenshot(
                    page,
                    "a11y-" + label.split(" [")[0].replace(" ", "-") + ("-en" if prefix else ""),
                )
    report = "\n".join(f"{label}:\n  " + "\n  ".join(items) for label, items in problems.items())
    assert not problems, "accessibility problems:\n" + report
    assert not csp_errors, "CSP violations:\n" + "\n".join(csp_errors)


@pytest.mark.parametrize("path", ["/api/docs/", "/admin/login/", "/vendor/login/"])
def test_staff_and_docs_pages_run_under_the_csp_in_a_real_browser(page, transactional_db, path):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(page.base_url + path)
    assert response.status == 200
    if path == "/api/docs/":
        # Swagger UI rendered from our own files, fed by our own schema.
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert page.locator(".opblock").count() > 10
    else:
        page.wait_for_selector("form#login-form")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


ADMIN_PAGES = [
    "/admin/",
    "/admin/marketplace/product/add/",
    "/admin/tours/route/add/",
    "/admin/cooperation/agreement/add/",
    "/vendor/",
]


def test_admin_and_vendor_pages_run_under_the_csp_in_a_real_browser(page, transactional_db):
    from tests.factories import UserFactory

    UserFactory(username="root", is_staff=True, is_superuser=True)
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.goto(page.base_url + "/admin/login/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for path in ADMIN_PAGES:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    csp = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert not csp, "\n".join(csp)
