"""``{% navigate latitude longitude name %}``: the "navigate" links of a place
(高德, 百度, Apple Maps; built and converted to each app's datum in
``core.geo.navigation_links``). Nothing is shown for a place without
coordinates."""

from django import template

from core.geo import navigation_links

register = template.Library()


@register.inclusion_tag("includes/navigate.html")
def navigate(latitude, longitude, name) -> dict:
    if latitude is None or longitude is None or latitude == "" or longitude == "":
        return {"links": []}
    return {"links": navigation_links(latitude, longitude, str(name)), "name": str(name)}
