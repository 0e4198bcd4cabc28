"""The merchant console's home until the merchants capability brings its own dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from finlife.web.pages import PageAccess
from finlife.web.render import render
from finlife.web.shells import MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)


@router.get("/merchant", response_class=HTMLResponse, dependencies=[Depends(PageAccess(MERCHANT_CONSOLE))])
def merchant_home(request: Request) -> HTMLResponse:
    return render(request, "merchant/home.html")
