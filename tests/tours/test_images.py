"""Attraction images go through the shared pipeline (config/images.py):
validated by content, re-encoded, small and medium WebP + JPEG renditions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import UserFactory
from tours.models import AttractionImage

pytestmark = pytest.mark.django_db


def jpeg(size=(1600, 1000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_image_on_the_route_page_and_in_the_api(client, route, media):
    lake = route.stops.get(order=2).attraction
    AttractionImage.objects.create(
        attraction=lake,
        image=SimpleUploadedFile("lake.jpg", jpeg(), content_type="image/jpeg"),
        alt_text="雁栖湖湖面",
        alt_text_en="The surface of Yanqi Lake",
    )
    image = lake.images.get()
    assert (image.width, image.height) == (1600, 1000)
    assert image.small["webp"].endswith(".webp") and image.small["jpeg"].endswith(".jpg")
    assert Image.open(media / image.small_webp.name).width == 320
    html = client.get("/en/tours/qianmen-yanqi/").content.decode()
    # every rendition is offered with its width; the browser picks by `sizes`
    srcset = f"{image.small['webp']} 320w, {image.medium['webp']} 960w"
    assert f'<source srcset="{srcset}"' in html
    assert 'width="320" height="200"' in html  # the small rendition's own size
    assert "Illustration</span>" not in html  # a photo: no illustration label
    assert 'alt="The surface of Yanqi Lake"' in html
    data = client.get("/api/v1/routes/qianmen-yanqi/").json()
    images = data["stops"][1]["attraction"]["images"]
    assert images[0]["medium"]["webp"] == image.medium["webp"] and images[0]["width"] == 1600


def test_staff_upload_of_a_non_image_is_refused(client, route, media):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="tours"))
    client.force_login(staff)
    lake = route.stops.get(order=2).attraction
    url = f"/admin/tours/attraction/{lake.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "district": lake.district_id,
            "images-TOTAL_FORMS": 1,
            "images-INITIAL_FORMS": 0,
            "images-0-position": 0,
            "images-0-image": SimpleUploadedFile(
                "evil.jpg", b"<html>not an image</html>", content_type="image/jpeg"
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert not AttractionImage.objects.exists()
