"""Public pages of the cooperation programme. Each view parses its input,
calls one selector and renders; the numbers and their sources come from
selectors, the charts from the template tags in cooperation_tags."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.paging import paginate

from . import selectors
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
