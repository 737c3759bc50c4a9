"""Product images uploaded in the partner panel: renditions made once, EXIF
orientation applied; oversized, truncated, non-image and decompression-bomb
files refused with a message and a 400, and nothing saved."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.models import ProductImage

from .test_vendor import V, product_form

pytestmark = pytest.mark.django_db


def jpeg(width=64, height=32, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (180, 90, 30))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def bomb() -> bytes:
    # 8000 × 6000 = 48 megapixels in a few kilobytes: above the 40 MP limit.
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    return out.getvalue()


def upload(world, name: str, content: bytes, content_type="image/jpeg"):
    client = Client()
    client.force_login(world.producer1_user)
    product = world.chestnut_bag.product
    data = product_form(product)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": SimpleUploadedFile(name, content, content_type=content_type),
            "images-0-alt_text_zh_hans": "板栗",
            "images-0-alt_text_en": "Chestnuts",
            "images-0-position": 0,
            "images-0-product": product.pk,
        }
    )
    return client.post(f"{V}/product/{product.pk}/change/", data)


def test_a_good_image_gets_its_renditions_and_orientation(world):
    response = upload(world, "chestnuts.jpg", jpeg(64, 32, orientation=6))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = ProductImage.objects.get()
    # EXIF 6 means "rotate 90°": the stored picture is upright, 32 wide and 64 high
    assert (image.width, image.height) == (32, 64)
    for field in ("small_webp", "small_jpeg", "medium_webp", "medium_jpeg"):
        assert getattr(image, field).name, field
    assert image.small["webp"].endswith(".webp") and image.medium["jpeg"].endswith(".jpg")
    with Image.open(image.image.path) as stored:
        assert not stored.getexif()  # metadata stripped
    # the product page shows it as <picture> with a WebP source and a JPEG fallback
    html = Client().get("/products/huairou-chestnuts/").content.decode()
    assert '<source srcset="' in html and 'type="image/webp"' in html
    data = Client().get("/api/v1/products/huairou-chestnuts/").json()
    # absolute (SITE_URL with DEBUG off: core.links.absolute_url)
    assert data["images"][0]["small"]["webp"].startswith(f"{settings.SITE_URL}/media/products/")
    assert data["image"]["medium"]["jpeg"].endswith(".jpg")


# Django's form field opens the bomb lazily (and warns) before our validator refuses it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Django's own image field says these first ("upload a valid image"), in the page's language
        ("notes.jpg", b"this is not an image at all", "请上传有效图片"),
        ("half.jpg", jpeg(400, 400)[:600], "请上传有效图片"),
        ("bomb.png", None, "图片像素过多"),  # the panel is in Chinese
        ("huge.jpg", "HUGE", "图片太大"),
    ],
)
def test_bad_images_are_refused_with_a_message(world, settings, name, content, message):
    if content is None:
        content = bomb()
    if content == "HUGE":
        settings.IMAGE_MAX_BYTES = 1000
        content = jpeg(300, 300)
        assert len(content) > 1000
    response = upload(world, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProductImage.objects.count() == 0
