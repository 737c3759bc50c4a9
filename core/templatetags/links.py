"""``{% absolute path %}``: a site path (or a MEDIA_URL) as an absolute URL by
core.links.absolute_url's rule, for what other machines read (Open Graph tags,
canonical links)."""

from django import template

from core.links import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute(context: template.Context, path: str) -> str:
    return absolute_url(str(path or ""), context.get("request"))
