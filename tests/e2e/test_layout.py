"""The main public pages in a real browser at a phone's and a laptop's width
(390 and 1280 px), in Chinese and English (issue 13's "done when"): no page
scrolls sideways, and none logs a console error or throws (a CSP refusal, a
failed request, a script error). Each page is saved as a full-page
screenshot under artifacts/screenshots/layout-*.png for a person to look at.

One test walks every page so the demo data is loaded once; it reports every
problem of every page together, then fails.
"""

from django.core.management import call_command

from cooperation.models import Project
from marketplace.models import Product
from tours.models import Route

WIDTHS = (390, 1280)
LANGUAGES = ("", "/en")
PAGES = [
    ("home", "/"),
    ("tours", "/tours/"),
    ("route", "{route}"),
    ("products", "/products/"),
    ("product", "{product}"),
    ("centres", "/centres/"),
    ("cooperation", "/cooperation/"),
    ("projects", "/cooperation/projects/"),
    ("project", "{project}"),
    ("search", "/search/?q=%E6%9D%BF%E6%A0%97"),  # 板栗: results in every group
    ("cart", "/cart/"),
    ("sign-in", "/account/login/"),
    ("register", "/account/register/"),
    ("not-found", "/no-such-page/"),
]


def test_main_pages_fit_the_screen_without_console_errors(page, transactional_db, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    links = {
        "route": Route.objects.order_by("pk").first().get_absolute_url(),
        "product": Product.objects.order_by("pk").first().get_absolute_url(),
        "project": Project.objects.order_by("pk").first().get_absolute_url(),
    }
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    problems: dict[str, list[str]] = {}
    visited = 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
        for prefix in LANGUAGES:
            for name, path in PAGES:
                # get_absolute_url() answers in the active language (zh-hans):
                # the English page is the same path under /en/.
                url = page.base_url + prefix + path.format(**links)
                label = f"{name} {prefix.strip('/') or 'zh-hans'} {width}px"
                errors.clear()
                response = page.goto(url)
                page.wait_for_load_state("networkidle")
                visited += 1
                found: list[str] = []
                expected = 404 if name == "not-found" else 200
                if response is None or response.status != expected:
                    found.append(f"HTTP {response.status if response else 'no answer'}")
                scroll_width, inner_width = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll_width > inner_width:
                    found.append(f"scrolls sideways: {scroll_width} px wide in {inner_width} px")
                # A 404 page's own request is logged as a failed load: expected there.
                found += [
                    e
                    for e in errors
                    if not (name == "not-found" and "404" in e and "Failed to load" in e)
                ]
                screenshot(page, f"layout-{name}-{prefix.strip('/') or 'zh-hans'}-{width}")
                if found:
                    problems[f"{label} ({url.removeprefix(page.base_url)})"] = found
    assert visited == len(WIDTHS) * len(LANGUAGES) * len(PAGES)
    report = "\n".join(f"{label}:\n  " + "\n  ".join(items) for label, items in problems.items())
    assert not problems, "layout or console problems:\n" + report
