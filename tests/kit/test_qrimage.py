"""QR codes and barcodes come out as real images: a PNG by its signature, SVGs as well-formed XML."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest

from finlife.kit.qrimage import barcode_svg, qr_code, qr_png, qr_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PAYLOAD = (
    "00020101021226260010cn.finlife0108mer_8Hq25204581253031565802CN5904CAFE6008SHANGHAI"
    "64130002ZH0103咖啡馆6304ABCD"
)
SVG = "{http://www.w3.org/2000/svg}svg"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG always has first."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_symbol_uses_error_correction_m_and_utf8_bytes() -> None:
    qr = qr_code(PAYLOAD)
    assert (qr.error, qr.mode, qr.is_micro) == ("M", "byte", False)


def test_the_png_is_a_png_of_the_symbol_with_its_quiet_zone() -> None:
    png = qr_png(PAYLOAD, scale=5)
    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png) == qr_code(PAYLOAD).symbol_size(scale=5, border=4)
    assert png_size(qr_png(PAYLOAD, scale=10)) == qr_code(PAYLOAD).symbol_size(scale=10, border=4)


def test_the_qr_svg_is_well_formed_and_inlinable() -> None:
    svg = qr_svg(PAYLOAD)
    assert svg.startswith("<svg") and "<?xml" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == SVG and int(root.attrib["width"]) == int(root.attrib["height"]) > 0


def test_the_barcode_svg_is_well_formed_and_shows_the_digits() -> None:
    svg = barcode_svg("284712345678901234")
    assert svg.startswith("<svg") and "<?xml" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == SVG
    bars = [
        rect for rect in root.iter("{http://www.w3.org/2000/svg}rect") if "black" in rect.get("style", "")
    ]
    assert len(bars) > 20
    assert any(text.text == "284712345678901234" for text in root.iter("{http://www.w3.org/2000/svg}text"))


@pytest.mark.parametrize("code", ["", "12a4", "１２３"])
def test_a_barcode_holds_digits_only(code: str) -> None:
    with pytest.raises(ValueError, match="digits only"):
        barcode_svg(code)


def test_the_barcode_scales_to_the_width_a_page_gives_it() -> None:
    root = ET.fromstring(barcode_svg("284712345678901234"))  # noqa: S314 - our own output
    width_mm = float(root.attrib["width"].removesuffix("mm"))
    _, _, box_width, box_height = (float(n) for n in root.attrib["viewBox"].split())
    assert box_width == pytest.approx(width_mm * 96 / 25.4, abs=0.01)  # CSS pixels, as SVG reads mm
    assert box_height > 0


def test_a_barcode_without_its_digits_is_shorter_and_has_no_text() -> None:
    plain = ET.fromstring(barcode_svg("284712345678901234", digits=False))  # noqa: S314 - our own output
    written = ET.fromstring(barcode_svg("284712345678901234"))  # noqa: S314
    assert not list(plain.iter("{http://www.w3.org/2000/svg}text"))
    assert float(plain.attrib["viewBox"].split()[3]) < float(written.attrib["viewBox"].split()[3])
