"""Reading a QR code out of a picture (a screenshot, a photo of a till's display): the other half of
``qrimage``, for people who cannot point a camera at the code but can upload an image of it.

Pillow opens the image (PNG, JPEG, GIF, WebP, BMP…; its wheels carry their own codecs) and zxing-cpp
finds and decodes the symbol. Neither needs a system library. Whatever the picture holds comes back
as text; whether that text is a payment code is the caller's question.
"""

from __future__ import annotations

import io
import warnings

import zxingcpp
from PIL import Image, UnidentifiedImageError

# A phone photo is 12–50 megapixels; anything far beyond that is not a photo but an attack on the
# decoder's memory (a "decompression bomb": a few kilobytes of PNG that unpack to gigabytes).
MAX_PIXELS = 60_000_000


class UnreadableImage(ValueError):
    """Not an image Pillow can open, or one too large to decode safely."""


class NoQrCode(ValueError):
    """An image, but no readable QR code in it (or one whose bytes are not UTF-8 text)."""


def read_qr(data: bytes) -> str:
    """The text of the first QR code found in the image ``data`` (UTF-8, as EMVCo encodes it)."""
    try:
        with warnings.catch_warnings():
            # Pillow warns between MAX_IMAGE_PIXELS and twice that; the size is checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise UnreadableImage(f"{width}×{height} pixels is too large")
        # One grey channel is what the decoder reads anyway; converting also unpacks palettes,
        # transparency (a transparent PNG would read as black on black) and 16-bit greys.
        grey = _on_white(image).convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise UnreadableImage(str(exc)) from exc
    found = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    if not found:
        raise NoQrCode("no QR code in the image")
    try:
        return found[0].bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoQrCode("the QR code holds no UTF-8 text") from exc


def _on_white(image: Image.Image) -> Image.Image:
    """Transparent pixels as white paper: QR generators often leave the light modules transparent."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba)
    return image
