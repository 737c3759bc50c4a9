"""ModelAdmin pieces shared by the apps' admins on both sites (/admin/ and
/vendor/); each app's admin says only what is its own."""

import csv
from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin.templatetags import admin_list
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.errors import DomainError


class ProvenanceLastMixin:
    """Shows where a row comes from (its source, whether it is demo data) after
    what it says. Those fields come from abstract bases (``DemoFlag``,
    ``Sourced``), which Django would list first."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        trailing = [name for name in getattr(self.model, "PROVENANCE_FIELDS", ()) if name in fields]
        return [name for name in fields if name not in trailing] + trailing


class HandWrittenFilter(admin.SimpleListFilter):
    """Rows whose Traditional Chinese a person wrote (``hant_overrides``)."""

    title = _("Traditional Chinese written by hand")
    parameter_name = "hant_by_hand"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(hant_overrides=[])
        if self.value() == "no":
            return queryset.filter(hant_overrides=[])
        return queryset


class TraditionalFieldsMixin:
    """Says on each Traditional Chinese field of the form how it is kept (see
    core.hant): converted from the Simplified text unless staff write it.

    In the district admin (/admin/), rows with a ``hant_overrides`` record
    also show which fields a person wrote (read-only, at the end of the form),
    can be filtered by it, and can be handed back to the conversion: one field
    by clearing its Traditional text, the selected rows' every field by the
    action "Convert the Traditional Chinese again"."""

    HANT_FIELDS = ("hant_written_by_hand",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name.endswith("_zh_hant"):
            formfield.help_text = _(
                "Converted from the Simplified Chinese when saved. A text you write "
                "here is kept and never converted again; clear it to convert again."
            )
        return formfield

    def _tracks_hant(self) -> bool:
        model = self.model  # type: ignore[attr-defined]
        site = self.admin_site  # type: ignore[attr-defined]
        return site.name == admin.site.name and any(
            f.name == "hant_overrides" for f in model._meta.fields
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._tracks_hant() and obj is not None:
            fields += [f for f in self.HANT_FIELDS if f not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        readonly = self.get_readonly_fields(request, obj)
        if not (self._tracks_hant() and obj is not None and self.HANT_FIELDS[0] in readonly):
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options.get("fields", ()) if f not in self.HANT_FIELDS]
            kept.append((name, {**options, "fields": fields}))
        return [*kept, (_("Traditional Chinese"), {"fields": list(self.HANT_FIELDS)})]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self._tracks_hant():
            filters.append(HandWrittenFilter)
        return filters

    def get_actions(self, request, *args, **kwargs):
        actions = super().get_actions(request, *args, **kwargs)
        if (
            self._tracks_hant()
            and self.actions is not None
            and self.has_change_permission(request)
            and (action := self.get_action("convert_traditional_again", *args, **kwargs))
        ):
            actions[action[1]] = action
        return actions

    @admin.display(description=_("written by hand"))
    def hant_written_by_hand(self, obj):
        labels = []
        for name in obj.hant_overrides or ():
            try:
                labels.append(str(obj._meta.get_field(name).verbose_name))
            except Exception:  # a field since removed: its name
                labels.append(name)
        if not labels:
            return _("None: every Traditional text is converted from the Simplified one.")
        return ", ".join(labels)

    @admin.action(description=_("Convert the Traditional Chinese again"))
    def convert_traditional_again(self, request, queryset):
        from core import hant

        done = 0
        for obj in queryset:
            if not obj.hant_overrides:
                continue
            for name in obj.hant_overrides:
                setattr(obj, f"{name}{hant.HANT}", "")  # emptied: the conversion takes over
            obj.save()
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d row converted again from the Simplified Chinese.",
                "%(count)d rows converted again from the Simplified Chinese.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        if done and hasattr(self, "content_changed"):
            self.content_changed()


class ContentChangedMixin(TraditionalFieldsMixin):
    """Staff edits change what visitors see, so after a save (and again after
    its inlines) or a delete the app's cache-bumping service runs. Subclasses name it:
    ``content_changed = staticmethod(services.content_changed)``. Its forms say
    how their Traditional Chinese fields are kept (``TraditionalFieldsMixin``)."""

    content_changed: Callable[[], None]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.content_changed()


class ContentAdmin(ProvenanceLastMixin, ContentChangedMixin, TranslationAdmin):
    """The district staff's admin of bilingual public content: provenance
    fields last, and every save or delete bumps the cache of the pages it shows on."""


class DomainErrorsAsMessagesMixin:
    """A rule a service enforces after the form was valid (found under its
    lock, say) is shown as a message on the same page, not a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyMixin:
    """Rows that change only through services (orders, bookings, stock, the
    ledger, audit trails): nobody adds, edits or deletes them in a form."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class StatusEventColumns:
    """An audit trail (``core.models.StatusEvent``) in a list or an inline:
    the statuses by their labels and the system's reasons translated, never
    the stored values ("placed", "pickup deadline passed"). Name the columns
    ``from_display``, ``to_display`` and ``reason_display``."""

    @admin.display(description=_("from"), ordering="from_status")
    def from_display(self, obj):
        return obj.from_label or "—"

    @admin.display(description=_("to"), ordering="to_status")
    def to_display(self, obj):
        return obj.to_label

    @admin.display(description=_("why"))
    def reason_display(self, obj):
        return obj.reason_label or "—"


def status_filter(title, parameter: str, field: str, choices: Iterable) -> type:
    """A list filter on a plain status column (one without ``choices``, as
    an audit trail's), offering each status by its label."""

    class StatusFilter(admin.SimpleListFilter):
        parameter_name = parameter

        def lookups(self, request, model_admin):
            seen = {}
            for status_choices in choices:
                for value, label in status_choices.choices:
                    seen.setdefault(value, label)
            return list(seen.items())

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    StatusFilter.title = title
    return StatusFilter


class ImageInline(TranslationTabularInline):
    """Images with renditions (``core.images.ImageWithRenditions``), each
    shown by a thumbnail of its small rendition once saved."""

    extra = 0
    fields = ["image", "alt_text", "is_illustration", "position", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        url = obj.small.get("jpeg") if obj.pk else ""
        return format_html('<img src="{}" alt="" width="120">', url) if url else "—"


def act_on_each(
    model_admin,
    request,
    objects: Iterable,
    action: Callable[[object], object],
    *,
    label: Callable[[object], str] = str,
    done_message: Callable[[int], str],
) -> int:
    """An admin action over the selected rows: ``action(obj)`` (a service
    call) for each, in order. A refusal is a warning naming the row
    (``label``) and does not stop the others; the successes are counted in one
    message. Returns how many succeeded."""
    done = 0
    for obj in objects:
        try:
            action(obj)
            done += 1
        except DomainError as exc:
            model_admin.message_user(request, f"{label(obj)}: {exc.message}", messages.WARNING)
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)
    return done


def safe_cells(values: Iterable) -> list[str]:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    cells = []
    for value in values:
        text = "" if value is None else str(value)
        cells.append("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)
    return cells


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download that spreadsheet programs open as UTF-8, every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cells(row))
    return response


def translate_boolean_icons() -> None:
    """Django draws a yes/no column as an icon whose alt text is the Python
    value, "True" or "False", in every language (screen readers say it);
    these say 是, 否 or 未知 instead. Django's helpers look the function up in
    ``admin_list`` at each call, so replacing it there covers lists, read-only
    fields and inlines. Called once, from CoreConfig.ready()."""

    def boolean_icon(field_val):
        name = {True: "yes", False: "no", None: "unknown"}[field_val]
        label = {True: _("Yes"), False: _("No"), None: _("Unknown")}[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), label)

    admin_list._boolean_icon = boolean_icon  # type: ignore[attr-defined]
