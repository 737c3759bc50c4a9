"""Uploaded images: validated by content, re-encoded, and rendered once on upload.

Only JPEG, PNG and WebP are opened (Pillow is told so, so a file's name or a
crafted header can't steer it to another decoder). The decompression-bomb guard
is an error at ``settings.IMAGE_MAX_PIXELS`` (40 MP by default, well below
Pillow's 89 MP warning / 179 MP error). What is stored is never the uploaded
bytes: the original is re-encoded (EXIF orientation applied, all metadata and
anything appended to the file — a polyglot's payload — dropped), and small and
medium renditions are written as WebP with a JPEG fallback.

Use it by subclassing the abstract model:

    class ProductImage(ImageWithRenditions):
        UPLOAD_DIR = "products"
        product = models.ForeignKey(...)

and in templates: ``{% include "includes/picture.html" with image=obj size="medium" %}``.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
RENDITIONS = {"small": 320, "medium": 960}
ORIGINAL_MAX_SIDE = 2400

# Everywhere in the process (admin forms included), a bomb is refused early.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS


def _restrict_decoders() -> None:
    """Unregisters every decoder but JPEG, PNG and WebP, process-wide.

    ``Image.open(formats=...)`` below already refuses other formats, but
    Django's and DRF's ImageField open uploads themselves, with every one of
    Pillow's ~40 parsers enabled (TIFF, PSD, EPS, …). With this, nothing in the
    process parses anything else, whoever calls Pillow.
    """
    Image.init()  # loads every plugin once; later opens don't reload them
    for fmt in [fmt for fmt in Image.OPEN if fmt not in ALLOWED_FORMATS]:
        del Image.OPEN[fmt]
    Image.ID[:] = [fmt for fmt in Image.ID if fmt in ALLOWED_FORMATS]


_restrict_decoders()

# What survives re-encoding from the uploaded file's metadata: only what the
# pixels need. EXIF (GPS position, camera serial), XMP, ICC, and JPEG comments
# (where JPEG/HTML and JPEG/JS polyglots hide their payload) are dropped.
KEPT_INFO = ("transparency",)


def _upload_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:  # a bare file object: measure it
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def _open_checked(upload) -> Image.Image:
    """Opens and fully decodes ``upload``, or raises ValidationError saying why."""
    size = _upload_size(upload)
    if size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="image_too_large",
            params={
                "size": round(size / 1024 / 1024, 1),
                "limit": round(settings.IMAGE_MAX_BYTES / 1024 / 1024, 1),
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ALLOWED_FORMATS)
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()  # decodes everything: a truncated file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image has too many pixels (the limit is %(limit)s megapixels)."),
            code="image_bomb",
            params={"limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
        ) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("The file is not a JPEG, PNG or WebP image."), code="image_type"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The image is damaged or truncated and cannot be read."), code="image_damaged"
        ) from exc
    finally:
        upload.seek(0)
    return image


def validate_image(upload) -> None:
    """Model/serializer field validator. Raises ValidationError with a clear message."""
    if upload is None or getattr(upload, "_committed", False) is True:
        return  # an already-stored file was validated when it was uploaded
    _open_checked(upload)


def _encode(image: Image.Image, fmt: str, max_side: int | None = None) -> bytes:
    image = image.copy()
    if max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if fmt == "JPEG":
        if has_alpha:
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            image = background
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.convert("RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=80, method=4)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def process_upload(upload) -> tuple[ContentFile, dict[str, ContentFile], tuple[int, int]]:
    """Returns (re-encoded original, {rendition field: file}, (width, height))."""
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)  # apply orientation, then forget EXIF
    image.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    stem = uuid.uuid4().hex
    has_alpha = image.mode in ("RGBA", "LA", "P")
    original_fmt, original_ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
    original = ContentFile(
        _encode(image, original_fmt, ORIGINAL_MAX_SIDE), name=f"{stem}.{original_ext}"
    )
    renditions = {}
    for name, side in RENDITIONS.items():
        renditions[f"{name}_webp"] = ContentFile(
            _encode(image, "WEBP", side), name=f"{stem}-{name}.webp"
        )
        renditions[f"{name}_jpeg"] = ContentFile(
            _encode(image, "JPEG", side), name=f"{stem}-{name}.jpg"
        )
    return original, renditions, image.size


def _upload_to(instance, filename: str) -> str:
    return f"{instance.UPLOAD_DIR}/{filename}"


class ImageWithRenditions(models.Model):
    """Abstract model: an uploaded image plus renditions made once, on upload."""

    UPLOAD_DIR = "images"

    image = models.ImageField(
        _("image"), upload_to=_upload_to, validators=[validate_image], max_length=200
    )
    alt_text = models.CharField(_("text alternative"), max_length=200, blank=True)
    is_illustration = models.BooleanField(
        _("illustration"),
        default=False,
        help_text=_("A drawing, not a photograph: pages label it “illustration”."),
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    small_webp = models.ImageField(upload_to=_upload_to, editable=False, blank=True, max_length=200)
    small_jpeg = models.ImageField(upload_to=_upload_to, editable=False, blank=True, max_length=200)
    medium_webp = models.ImageField(
        upload_to=_upload_to, editable=False, blank=True, max_length=200
    )
    medium_jpeg = models.ImageField(
        upload_to=_upload_to, editable=False, blank=True, max_length=200
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A new upload is not yet committed to storage: process it exactly once.
        if self.image and not getattr(self.image, "_committed", True):
            original, renditions, (self.width, self.height) = process_upload(self.image.file)
            self.image.save(original.name, original, save=False)
            for field, content in renditions.items():
                getattr(self, field).save(content.name, content, save=False)
        super().save(*args, **kwargs)

    def rendition(self, size: str = "medium") -> dict[str, str]:
        """URLs for a `<picture>`: {'webp': ..., 'jpeg': ...}."""
        webp, jpeg = getattr(self, f"{size}_webp"), getattr(self, f"{size}_jpeg")
        return {
            "webp": webp.url if webp else "",
            "jpeg": jpeg.url if jpeg else (self.image.url if self.image else ""),
        }

    def rendition_width(self, size: str) -> int:
        """The width the ``size`` rendition was drawn at (the longer side is
        scaled to the rendition's size, never up)."""
        if not self.width or not self.height:
            return RENDITIONS[size]
        return round(self.width * min(1.0, RENDITIONS[size] / max(self.width, self.height)))

    def rendition_height(self, size: str) -> int:
        if not self.width or not self.height:
            return round(RENDITIONS[size] * 3 / 4)
        return round(self.height * self.rendition_width(size) / self.width)

    @property
    def small_size(self) -> tuple[int, int]:
        """(width, height) of the small rendition, for the ``<img>``'s
        attributes, so the page keeps its layout while the picture loads."""
        return self.rendition_width("small"), self.rendition_height("small")

    @property
    def medium_size(self) -> tuple[int, int]:
        return self.rendition_width("medium"), self.rendition_height("medium")

    def srcset(self, fmt: str) -> str:
        """``srcset`` for a ``<source>``/``<img>``: every rendition of one
        format with its width, so the browser picks the smallest that fills
        the slot at the screen's pixel density."""
        parts = []
        for size in RENDITIONS:
            field = getattr(self, f"{size}_{fmt}")
            if field:
                parts.append(f"{field.url} {self.rendition_width(size)}w")
        return ", ".join(parts)

    @property
    def srcset_webp(self) -> str:
        return self.srcset("webp")

    @property
    def srcset_jpeg(self) -> str:
        return self.srcset("jpeg")

    @property
    def small(self) -> dict[str, str]:
        return self.rendition("small")

    @property
    def medium(self) -> dict[str, str]:
        return self.rendition("medium")
