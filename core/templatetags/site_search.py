"""``{{ text|highlight:query }}``: the site search's matches in ``<mark>``, and
``{% search_correction rows %}``: "Showing results for «…»" (core.search)."""

from django import template

from core import search

register = template.Library()


@register.filter
def highlight(text, query):
    return search.highlight(text, query)


@register.inclusion_tag("includes/search_correction.html")
def search_correction(rows_or_text):
    """ "Showing results for «…»" when ``rows_or_text`` (a page's rows, or the
    corrected text itself) came from a corrected search (core.search.corrected)."""
    if isinstance(rows_or_text, str):
        return {"corrected": rows_or_text}
    return {"corrected": search.corrected(rows_or_text or [])}
