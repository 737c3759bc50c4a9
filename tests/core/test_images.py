"""Uploads (config/images.py): refused by content, never stored as uploaded."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core.images import process_upload, validate_image


def _jpeg(size=(64, 48), color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **save)
    return out.getvalue()


def _png(size=(32, 32), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims width×height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _code(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        validate_image(upload(data, name))
    return caught.value.code


def test_a_real_jpeg_png_and_webp_pass():
    webp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(webp, "WEBP")
    for data, name in ((_jpeg(), "a.jpg"), (_png(), "b.png"), (webp.getvalue(), "c.webp")):
        validate_image(upload(data, name))


def test_decompression_bomb_is_refused_before_decoding():
    # 20000×20000 = 400 MP in a file of a few dozen bytes.
    bomb = _png_declaring(20_000, 20_000)
    assert len(bomb) < 200
    assert _code(bomb, "bomb.png") == "image_bomb"


@override_settings(IMAGE_MAX_PIXELS=1_000_000)
def test_bomb_guard_follows_the_setting_well_below_pillows_default():
    assert _code(_png_declaring(1001, 1000), "wide.png") == "image_bomb"


def test_truncated_jpeg_is_refused():
    data = _jpeg(size=(400, 300))
    assert _code(data[: len(data) // 2]) == "image_damaged"


def test_non_image_named_png_is_refused():
    assert _code(b"<html><script>alert(1)</script></html>", "evil.png") == "image_type"


def test_gif_named_jpg_is_refused_even_by_pillow_itself():
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    assert _code(gif.getvalue() + b'/*";alert(1)//*/', "x.jpg") == "image_type"
    # Not just our validator: Pillow has no GIF (or TIFF, PSD, …) decoder left
    # in the process, so Django's own ImageField can't be steered to one.
    with pytest.raises(Image.UnidentifiedImageError):
        Image.open(io.BytesIO(gif.getvalue()))


@override_settings(IMAGE_MAX_BYTES=10_000)
def test_oversized_file_is_refused_by_size_first():
    big = _jpeg(size=(600, 600), quality=100) + b"\0" * 20_000
    with pytest.raises(ValidationError) as caught:
        validate_image(upload(big))
    assert caught.value.code == "image_too_large"
    assert "MB" in caught.value.messages[0]


@override_settings(IMAGE_MAX_BYTES=10_000)
def test_size_is_measured_on_a_bare_file_object_too():
    with pytest.raises(ValidationError):
        validate_image(io.BytesIO(_jpeg() + b"\0" * 20_000))


def test_polyglot_payload_is_not_stored():
    # A valid JPEG with HTML in its comment segment and a ZIP appended: it opens
    # as an image, but what is stored is re-encoded from the pixels alone.
    html = b"<html><script>alert(document.cookie)</script></html>"
    zip_tail = b"PK\x03\x04" + b"\0" * 26 + b"payload.txt" + b"PK\x05\x06" + b"\0" * 18
    polyglot = _jpeg(size=(120, 90), comment=html) + zip_tail
    validate_image(upload(polyglot))  # a valid image, so accepted…

    original, renditions, size = process_upload(upload(polyglot))
    stored = [original.read(), *(f.read() for f in renditions.values())]
    for data in stored:  # …but nothing of the payload survives
        assert b"<script" not in data
        assert b"PK\x03\x04" not in data
        assert b"payload.txt" not in data
    assert size == (120, 90)
    assert Image.open(io.BytesIO(stored[0])).format == "JPEG"


def _jpeg_with_exif(size, orientation: int) -> bytes:
    image = Image.new("RGB", size, (10, 20, 30))
    # Left half red so the rotation is visible in the pixels.
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {2: (39.0, 54.0, 0.0), 4: (116.0, 23.0, 0.0)}  # GPS position
    exif[0x010F] = "CameraMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"private note")
    return out.getvalue()


def test_exif_orientation_applied_and_all_metadata_stripped():
    # Stored 200×100 with "rotate 90° clockwise to display" (orientation 6).
    data = _jpeg_with_exif((200, 100), orientation=6)
    assert Image.open(io.BytesIO(data)).getexif()[0x0112] == 6

    original, renditions, size = process_upload(upload(data))
    assert size == (100, 200)  # upright now
    for content in (original, *renditions.values()):
        content.seek(0)
        stored = Image.open(io.BytesIO(content.read()))
        assert stored.width < stored.height
        assert not stored.getexif(), f"EXIF left in {content.name}"
        assert "comment" not in stored.info and "xmp" not in stored.info
        assert "icc_profile" not in stored.info
    raw = original.open().read() if hasattr(original, "open") else b""
    assert b"CameraMaker" not in raw and b"private note" not in raw


def test_renditions_are_webp_and_jpeg_at_their_sizes():
    original, renditions, _ = process_upload(upload(_jpeg(size=(3000, 1500)), "big.jpg"))
    assert Image.open(original).size == (2400, 1200)
    assert set(renditions) == {"small_webp", "small_jpeg", "medium_webp", "medium_jpeg"}
    small = Image.open(renditions["small_webp"])
    assert (small.format, small.size) == ("WEBP", (320, 160))
    assert Image.open(renditions["medium_jpeg"]).size == (960, 480)


def test_transparent_png_keeps_its_alpha_in_png_and_webp():
    original, renditions, _ = process_upload(upload(_png(), "logo.png", "image/png"))
    assert original.name.endswith(".png")
    assert Image.open(original).mode == "RGBA"
    assert Image.open(renditions["small_webp"]).mode == "RGBA"
    assert Image.open(renditions["small_jpeg"]).mode == "RGB"


# --- Serving ------------------------------------------------------------------------


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a.jpg").write_bytes(_jpeg())
    (tmp_path / "products" / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "products" / "b.svg").write_text("<svg onload='alert(1)'/>")
    (tmp_path.parent / "secret.jpg").write_bytes(b"outside the media root")
    return tmp_path


def test_media_is_served_with_a_safe_type_and_nosniff(client, media_root):
    response = client.get("/media/products/a.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/products/page.html",
        "/media/products/b.svg",
        "/media/../secret.jpg",
        "/media/products/none.jpg",
    ],
)
def test_media_serves_nothing_but_stored_images(client, media_root, path):
    assert client.get(path).status_code == 404
