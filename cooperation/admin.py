"""District staff edit everything at /admin/; members of an organization
edit their own organization's public details at /vendor/.

Rules stay in services: admin actions call them, fund investments are saved
through ``fund_investment_record`` (so the caps hold here too), and every
change bumps the public cache so visitors see it at once.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation.models import (
    Agreement,
    AnnualSupport,
    Field,
    Figure,
    Fund,
    FundInvestment,
    Pairing,
    Project,
    Source,
)
from core.admin_tools import ContentAdmin as BaseContentAdmin
from core.admin_tools import act_on_each
from core.errors import DomainError
from organizations.admin import AreaAdmin as BaseAreaAdmin
from organizations.models import Area

from . import services


class ContentAdmin(BaseContentAdmin):
    content_changed = staticmethod(services.content_changed)


# --- Areas: the programme's actions on villages -----------------------------------------


admin.site.unregister(Area)


@admin.register(Area)
class AreaAdmin(BaseAreaAdmin):
    """The directory's area admin, plus recording a village's way out of weak status."""

    actions = ("left_weak_status_this_year", "left_weak_status_last_year")

    def _left_weak_status(self, request, queryset, year):
        act_on_each(
            self,
            request,
            queryset,
            lambda area: services.village_end_weak_status(area=area, year=year),
            done_message=lambda n: (
                ngettext(
                    "%(count)d village recorded as out of weak status in %(year)d.",
                    "%(count)d villages recorded as out of weak status in %(year)d.",
                    n,
                )
                % {"count": n, "year": year}
            ),
        )

    @admin.action(description=_("Left weak status (脱薄) this year"))
    def left_weak_status_this_year(self, request, queryset):
        self._left_weak_status(request, queryset, timezone.localdate().year)

    @admin.action(description=_("Left weak status (脱薄) last year"))
    def left_weak_status_last_year(self, request, queryset):
        self._left_weak_status(request, queryset, timezone.localdate().year - 1)


# --- The programme -----------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ("publisher", "title", "published_on", "kind")
    list_filter = ("kind",)
    search_fields = ("publisher_zh_hans", "publisher_en", "title_zh_hans", "title_en", "url", "key")


@admin.register(Field)
class FieldAdmin(ContentAdmin):
    list_display = ("name", "code", "merged_into", "order")
    list_editable = ("order",)
    list_select_related = ("merged_into",)
    search_fields = ("name_zh_hans", "name_en", "code")


@admin.register(Agreement)
class AgreementAdmin(ContentAdmin):
    list_display = (
        "round",
        "title",
        "signed_year",
        "period_start",
        "period_end",
        "annual_commitment",
        "total_commitment",
        "is_demo",
    )
    list_display_links = ("round", "title")
    list_filter = ("is_demo", "fields")
    search_fields = ("title_zh_hans", "title_en", "slug")
    filter_horizontal = ("fields",)
    autocomplete_fields = ("source",)


@admin.register(Project)
class ProjectAdmin(ContentAdmin):
    list_display = ("title", "field", "agreement", "area", "status", "amount", "year", "is_demo")
    list_filter = ("status", "field", "agreement", "is_demo", "year")
    search_fields = ("title_zh_hans", "title_en", "summary_zh_hans", "summary_en", "slug")
    autocomplete_fields = ("field", "agreement", "area", "lead_organization", "source")
    list_select_related = ("field", "agreement", "area")
    actions = ("mark_in_progress", "mark_completed")

    def get_readonly_fields(self, request, obj=None):
        # Once a project exists its status only moves forward, through the actions.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "status") if obj is not None else readonly

    def _set_status(self, request, queryset, status):
        act_on_each(
            self,
            request,
            queryset,
            lambda project: services.project_set_status(project=project, status=status),
            done_message=lambda n: (
                ngettext("%(count)d project updated.", "%(count)d projects updated.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark as in progress"))
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, Project.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as completed"))
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, Project.Status.COMPLETED)


@admin.register(Fund)
class FundAdmin(ContentAdmin):
    list_display = ("name", "size", "per_company_cap", "established_year", "is_demo")
    search_fields = ("name_zh_hans", "name_en", "slug")
    autocomplete_fields = ("agreement", "source")


class FundInvestmentForm(forms.ModelForm):
    """Checks the fund's caps while the clerk can still correct the form; the
    save repeats the check under a lock (see services.fund_investment_record)."""

    class Meta:
        model = FundInvestment
        fields = (
            "fund",
            "company",
            "status",
            "sector",
            "stage",
            "amount",
            "listed_on",
            "invested_on",
            "note_zh_hans",
            "note_en",
            "is_demo",
        )

    def clean(self):
        data = super().clean()
        fund, company = data.get("fund"), data.get("company")
        if fund is None or company is None:
            return data
        if (
            self.instance.pk
            and self.instance.status == FundInvestment.Status.INVESTED
            and data.get("status") == FundInvestment.Status.PIPELINE
        ):
            raise ValidationError(
                {"status": _("An investment already made cannot go back to the pipeline.")}
            )
        try:
            services.fund_investment_check(
                fund=fund,
                company=company,
                status=data.get("status"),
                amount=data.get("amount"),
                invested_on=data.get("invested_on"),
                sector=data.get("sector") or "",
                stage=data.get("stage") or "",
            )
        except DomainError as error:
            raise ValidationError(str(error.message), code=error.code) from None
        return data


@admin.register(FundInvestment)
class FundInvestmentAdmin(ContentAdmin):
    form = FundInvestmentForm
    list_display = (
        "company",
        "fund",
        "sector",
        "stage",
        "status",
        "amount",
        "invested_on",
        "is_demo",
    )
    list_filter = ("status", "sector", "stage", "is_demo", "fund")
    search_fields = ("company__name_zh_hans", "company__name_en", "note_zh_hans", "note_en")
    autocomplete_fields = ("fund", "company")
    list_select_related = ("fund", "company")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        investment = services.fund_investment_record(
            fund=data["fund"],
            company=data["company"],
            status=data["status"],
            amount=data.get("amount"),
            sector=data.get("sector") or "",
            stage=data.get("stage") or "",
            listed_on=data.get("listed_on"),
            invested_on=data.get("invested_on"),
            is_demo=data.get("is_demo", False),
        )
        # The note is free text in both languages, not a rule: saved as typed.
        investment.note_zh_hans = data.get("note_zh_hans") or ""
        investment.note_en = data.get("note_en") or ""
        investment.save(update_fields=["note", "note_zh_hans", "note_en"])
        obj.pk = investment.pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form already checked the caps; a refusal here means another
        # clerk used up the fund in between. Say so instead of failing.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        # An investment made is part of the fund's record; only pipeline rows go.
        if obj is not None and obj.status == FundInvestment.Status.INVESTED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Pairing)
class PairingAdmin(ContentAdmin):
    list_display = ("__str__", "kind", "since", "is_demo")
    list_filter = ("kind", "is_demo", "since")
    search_fields = (
        "dongcheng_organization__name_zh_hans",
        "dongcheng_organization__name_en",
        "dongcheng_area__name_zh_hans",
        "dongcheng_area__name_en",
        "huairou_organization__name_zh_hans",
        "huairou_organization__name_en",
        "huairou_area__name_zh_hans",
        "huairou_area__name_en",
        "note_zh_hans",
        "note_en",
    )
    autocomplete_fields = (
        "dongcheng_organization",
        "dongcheng_area",
        "huairou_organization",
        "huairou_area",
        "source",
    )
    list_select_related = (
        "dongcheng_organization",
        "dongcheng_area",
        "huairou_organization",
        "huairou_area",
    )


@admin.register(Figure)
class FigureAdmin(ContentAdmin):
    list_display = (
        "key",
        "label",
        "value_display",
        "unit",
        "topic",
        "is_headline",
        "is_reported",
        "as_of",
        "order",
    )
    list_editable = ("is_headline", "order")
    list_filter = ("topic", "is_headline", "is_reported", "source")
    search_fields = ("key", "label_zh_hans", "label_en", "note_zh_hans", "note_en")
    autocomplete_fields = ("source", "compared_with")
    list_select_related = ("source",)

    @admin.display(description=_("value"))
    def value_display(self, obj):
        return obj.value_display


@admin.register(AnnualSupport)
class AnnualSupportAdmin(ContentAdmin):
    list_display = ("year", "amount", "basis", "agreement", "is_demo")
    list_filter = ("basis", "agreement", "is_demo")
    search_fields = ("year",)
    autocomplete_fields = ("agreement", "source")


# --- The partner panel: a member's own organization ---------------------------------------
