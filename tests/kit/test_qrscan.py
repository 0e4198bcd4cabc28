"""Reading a QR code back out of a picture: what qrimage draws, qrscan reads, whatever the format."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from finlife.kit import qrscan
from finlife.kit.qrimage import qr_code, qr_png

PAYLOAD = "00020101021229300012cn.finlife.pay0110mer_demo12345303156540418505802CN5904测试店6002上海6304ABCD"


def _saved(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


def test_the_png_qrimage_draws_reads_back_byte_for_byte() -> None:
    assert qrscan.read_qr(qr_png(PAYLOAD)) == PAYLOAD


@pytest.mark.parametrize("kind", ["JPEG", "WEBP", "GIF", "BMP"])
def test_other_picture_formats_are_read(kind: str) -> None:
    code = Image.open(io.BytesIO(qr_png(PAYLOAD, scale=6))).convert("RGB")
    assert qrscan.read_qr(_saved(code, kind)) == PAYLOAD


def test_transparent_light_modules_read_as_paper() -> None:
    buffer = io.BytesIO()
    qr_code(PAYLOAD).save(buffer, kind="png", scale=6, light=None)  # light modules left transparent
    assert qrscan.read_qr(buffer.getvalue()) == PAYLOAD


def test_a_small_code_in_a_large_rotated_photo_is_found() -> None:
    code = Image.open(io.BytesIO(qr_png(PAYLOAD, scale=4))).convert("L").rotate(90, expand=True)
    photo = Image.new("L", (1600, 1200), 205)
    photo.paste(code, (900, 500))
    assert qrscan.read_qr(_saved(photo, "PNG")) == PAYLOAD


def test_a_picture_without_a_code_and_a_file_that_is_no_picture_are_told_apart() -> None:
    with pytest.raises(qrscan.NoQrCode):
        qrscan.read_qr(_saved(Image.new("L", (300, 300), 255), "PNG"))
    with pytest.raises(qrscan.UnreadableImage):
        qrscan.read_qr(b"%PDF-1.7 not a picture")
    with pytest.raises(qrscan.UnreadableImage):
        qrscan.read_qr(qr_png(PAYLOAD)[:200])  # cut short in the middle of its pixels


def test_an_image_of_absurd_size_is_refused_before_it_is_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qrscan, "MAX_PIXELS", 100 * 100)
    with pytest.raises(qrscan.UnreadableImage, match="too large"):
        qrscan.read_qr(_saved(Image.new("L", (101, 100), 255), "PNG"))
