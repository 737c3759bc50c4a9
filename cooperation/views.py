"""Public pages of the cooperation programme. Each view parses its input,
calls one selector and renders; the numbers and their sources come from
selectors, the charts from the template tags in cooperation_tags."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.paging import paginate

from . import datasets, iati, selectors
from .forms import PairingFilterForm, ProjectFilterForm

PROJECTS_PER_PAGE = 20


@require_safe
def dashboard(request):
    return render(request, "cooperation/dashboard.html", {"dashboard": selectors.dashboard()})


@require_safe
def agreement_list(request):
    return render(
        request, "cooperation/agreement_list.html", {"agreements": selectors.agreement_list()}
    )


@require_safe
def agreement_detail(request, slug: str):
    return render(
        request,
        "cooperation/agreement_detail.html",
        {"agreement": selectors.agreement_detail(slug=slug)},
    )


@require_safe
def project_list(request):
    form = ProjectFilterForm(request.GET or None, choices=selectors.project_filter_choices())
    # A bad filter (an unknown field code, say) is the visitor's mistake: show
    # the form with its error and an empty list, answered with a 400.
    valid = not form.is_bound or form.is_valid()
    projects = (
        selectors.project_list(**form.filters()) if valid else selectors.project_list().none()
    )
    page, query = paginate(request, projects, PROJECTS_PER_PAGE)
    return render(
        request,
        "cooperation/project_list.html",
        {"form": form, "page": page, "query": query, "filtered": bool(query)},
        status=200 if valid else 400,
    )


@require_safe
def project_detail(request, slug: str):
    return render(
        request, "cooperation/project_detail.html", {"project": selectors.project_detail(slug=slug)}
    )


@require_safe
def fund(request):
    return render(request, "cooperation/fund.html", {"overviews": selectors.fund_overviews()})


@require_safe
def pairing_list(request):
    form = PairingFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    kind = form.cleaned_data.get("kind") if form.is_bound and valid else None
    groups = selectors.pairing_groups(kind=kind) if valid else []
    return render(
        request,
        "cooperation/pairing_list.html",
        {"form": form, "groups": groups, "kinds": selectors.pairing_kinds(), "kind": kind},
        status=200 if valid else 400,
    )


# --- Open data (cooperation.datasets, cooperation.iati) ---------------------------------


@require_safe
def data_index(request):
    return render(
        request,
        "cooperation/data.html",
        {"datasets": datasets.DATASETS, "iati": iati.SUMMARY},
    )


def _open_data(response: HttpResponse) -> HttpResponse:
    # Anyone's page or notebook may fetch the figures.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def datapackage(request):
    package = datasets.datapackage(
        homepage=request.build_absolute_uri(reverse("cooperation:data")),
        language=get_language(),
    )
    return _open_data(JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2}))


@require_safe
def dataset_file(request, name: str, fmt: str):
    dataset = datasets.BY_NAME.get(name)
    if dataset is None:
        raise Http404("No such dataset.")
    records = dataset.records()
    if fmt == "csv":
        response = HttpResponse(
            datasets.to_csv(dataset, records), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{dataset.name}.csv"'
        return _open_data(response)
    page = request.build_absolute_uri(reverse("cooperation:dashboard")) + f"#{dataset.anchor}"
    body = datasets.to_json(dataset, records, page_url=page, language=get_language())
    return _open_data(
        JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})
    )


@require_safe
def iati_xml(request):
    base = request.build_absolute_uri("/").rstrip("/")
    document = iati.activities_xml(selectors.iati_ledger(), base_url=base)
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dongcheng-huairou-iati-activities.xml"'
    return _open_data(response)
