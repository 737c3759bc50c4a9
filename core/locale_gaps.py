"""Strings Django 6.1 shows in the admin that its own ``zh_Hans`` catalogue
does not translate yet (newer than the catalogue). Listed here, makemessages
puts them in the project's catalogue, which comes first (``LOCALE_PATHS``),
so the Chinese panel and admin show them translated. Nothing imports this
module; tests/organizations/test_panel_translations.py checks that every
msgid Django's admin and forms use is translated in one of the two.

The admin's JavaScript has the same gaps (the calendar's and clock's labels,
the time-zone note, an action's warning): those are in
``locale/zh_Hans/LC_MESSAGES/djangojs.po``, kept by hand, as makemessages
finds no project JavaScript to scan, and merged into ``/admin/jsi18n/`` and
``/vendor/jsi18n/`` the same way (zh_Hant's is that file converted).
"""

from django.utils.translation import gettext_noop

DJANGO_GAPS = [
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select
    gettext_noop("- Select an option -"),
    # admin/date_hierarchy.html: the label of the date links above a change list
    gettext_noop("Filter by %(field_name)s"),
]
