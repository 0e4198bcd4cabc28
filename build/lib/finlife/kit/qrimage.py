"""Pictures of payment codes: QR codes (segno) and Code 128 barcodes (python-barcode).

Kept apart from the EMVCo codec because drawing is a presentation concern: the codec deals in
text, and any text (an EMVCo payload, a one-use numeric payment code) can be drawn here.
"""

from __future__ import annotations

import io
import re

import segno
from barcode import Code128
from barcode.writer import SVGWriter

# Level M restores up to ~15% of damaged modules: enough for a phone screen or a scuffed sticker,
# without the larger symbol (harder to scan) that Q or H would need for a long EMVCo payload.
ERROR_CORRECTION = "m"
# The QR standard asks for four light modules around the symbol; scanners miss codes without them.
QUIET_ZONE = 4


def qr_code(payload: str) -> segno.QRCode:
    """The QR symbol itself, for outputs other than PNG and SVG (a terminal, a data URI).

    Byte mode in UTF-8, as EMVCo prescribes: segno would otherwise try Kanji mode or Latin-1.
    """
    return segno.make_qr(payload, error=ERROR_CORRECTION, mode="byte", encoding="utf-8", boost_error=False)


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """A PNG of ``payload`` as a QR code; ``scale`` is the pixel size of one module."""
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """An SVG of ``payload`` as a QR code, without XML declaration so it can be inlined in HTML."""
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, nl=False)
    return buffer.getvalue().decode("utf-8")


def barcode_svg(code: str, *, digits: bool = True) -> str:
    """An SVG Code 128 barcode of a numeric payment code, for cashier scanners that read no QR.

    Digits only: Code 128 packs them two per symbol (code set C), which keeps the bars wide enough
    to scan from a phone screen. The digits are printed underneath so a cashier can type them in,
    unless ``digits`` is false (a page that writes them out itself, larger).
    """
    if not code or not (code.isascii() and code.isdigit()):
        raise ValueError("a payment barcode holds digits only")
    writer = SVGWriter()
    writer.with_doctype = False
    rendered: bytes = Code128(code, writer=writer).render({"write_text": digits})
    svg = rendered.decode("utf-8")
    # Drop the XML declaration, like qr_svg, so both can be inlined in an HTML page.
    return _scalable(svg[svg.index("<svg") :])


_MM_SIZE = re.compile(r'width="([0-9.]+)mm" height="([0-9.]+)mm"')
PX_PER_MM = 96 / 25.4  # CSS pixels: SVG resolves "mm" in the drawing with this same ratio


def _scalable(svg: str) -> str:
    """Add a viewBox to python-barcode's SVG (sized in mm, without one), so that a page can draw the
    barcode as wide as the screen allows: a phone held under a scanner needs bars wider than 0.2 mm.
    """
    size = _MM_SIZE.search(svg[: svg.index(">")])
    if size is None:
        return svg
    width, height = (float(mm) * PX_PER_MM for mm in size.groups())
    view_box = f' viewBox="0 0 {width:.2f} {height:.2f}"'
    return svg[: size.end()] + view_box + svg[size.end() :]
