"""``{{ text|highlight:query }}``: the site search's matches in ``<mark>`` (core.search)."""

from django import template

from core import search

register = template.Library()


@register.filter
def highlight(text, query):
    return search.highlight(text, query)
