"""The admin pieces the three apps share (cooperation/admin_tools.py)."""

from django.contrib import admin
from django.test import RequestFactory

from accounts.models import User
from cooperation.models import Agreement, Figure
from core.admin_tools import safe_cells
from organizations.models import Area
from tours.models import Route


def test_csv_cells_cannot_run_as_formulas():
    assert safe_cells(["=1+1", "-2", "@x", "plain", None, 3]) == [
        "'=1+1",
        "'-2",
        "'@x",
        "plain",
        "",
        "3",
    ]


def test_forms_list_source_and_demo_flag_after_the_content():
    # given a district staff request (get_fields builds the form; no database needed)
    request = RequestFactory().get("/admin/")
    request.user = User(is_staff=True, is_superuser=True)

    def fields(model):
        return admin.site._registry[model].get_fields(request)

    # then the fields of the abstract bases come last, as on the models they qualify
    assert fields(Agreement)[-2:] == ["source", "is_demo"]
    assert fields(Area)[-1] == "is_demo"
    assert fields(Route)[-1] == "is_demo"
    # and a model without them keeps its own order
    assert fields(Figure).index("source") < fields(Figure).index("is_reported")


def test_a_staff_delete_makes_public_pages_fresh(admin_client, django_capture_on_commit_callbacks):
    from core.cache import versions
    from tests.cooperation.factories import ProjectFactory

    # given a project visitors can see, and the cache version pages were stored under
    project = ProjectFactory()
    before = versions("cooperation")
    # when district staff delete it in /admin/
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/cooperation/project/{project.pk}/delete/", {"post": "yes"}
        )
    # then it is gone and every cached cooperation page is out of date at once
    assert response.status_code == 302
    assert not type(project).objects.filter(pk=project.pk).exists()
    assert versions("cooperation") != before
