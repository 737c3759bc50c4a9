"""Filter forms of the public pages. They only parse the query string; the
filtering itself is in selectors.filter_projects / selectors.pairing_list."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Area

from .models import Agreement, Field, Pairing, Project


class AgreementChoiceField(forms.ModelChoiceField[Agreement]):
    def label_from_instance(self, obj: Agreement) -> str:
        return obj.title


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    field: forms.ModelChoiceField[Field] = forms.ModelChoiceField(
        label=_("Field"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Project.Status.choices], required=False
    )
    agreement = AgreementChoiceField(
        label=_("Agreement"),
        queryset=None,
        to_field_name="slug",
        required=False,
        empty_label=_("All agreements"),
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Area"), queryset=None, required=False, empty_label=_("All areas")
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        # self.fields holds copies of the ModelChoiceFields declared above.
        field = cast("forms.ModelChoiceField[Field]", self.fields["field"])
        agreement = cast(AgreementChoiceField, self.fields["agreement"])
        area = cast("forms.ModelChoiceField[Area]", self.fields["area"])
        field.queryset = choices["fields"]
        agreement.queryset = choices["agreements"]
        area.queryset = choices["areas"]
        # Filters are links people share: GET, no CSRF, ids stay stable.
        for name in ("field", "status", "agreement", "area"):
            self.fields[name].widget.attrs["class"] = "filter-select"

    def filters(self) -> dict:
        """The cleaned filters as keyword arguments for selectors.project_list."""
        if not self.is_bound:
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "field": data.get("field"),
            "status": data.get("status") or None,
            "agreement": data.get("agreement"),
            "area": data.get("area"),
        }


class PairingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Pairing.Kind.choices], required=False
    )
