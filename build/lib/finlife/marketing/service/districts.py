"""Business districts (商圈): drawn by bank staff as a circle or a polygon; their stores are computed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit import geo
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.geo import degrees, micro_degrees
from finlife.kit.ids import new_id
from finlife.marketing.errors import InvalidDistrictShape
from finlife.marketing.models import District
from finlife.marketing.schemas import DistrictIn, DistrictOut, DistrictStoreOut
from finlife.marketing.service.common import record_change
from finlife.merchants import service as merchants

CIRCLE = "circle"
POLYGON = "polygon"


def _polygon_points(data: DistrictIn) -> list[list[int]]:
    points = data.polygon or []
    if len(points) < 3:
        raise InvalidDistrictShape()
    return [
        [micro_degrees(lat, 90, f"polygon[{i}][0]"), micro_degrees(lng, 180, f"polygon[{i}][1]")]
        for i, (lat, lng) in enumerate(points)
    ]


def create_district(session: Session, actor: Actor, data: DistrictIn) -> DistrictOut:
    """Draw a district: a centre with radius_m, or a polygon of three or more points (not both)."""
    is_circle = data.centre is not None or data.radius_m is not None
    if is_circle == (data.polygon is not None):
        raise InvalidDistrictShape()
    district = District(
        public_id=new_id("dis"),
        name=data.name.strip(),
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    if is_circle:
        if data.centre is None or data.radius_m is None:
            raise InvalidDistrictShape()
        district.shape = CIRCLE
        district.centre_latitude_micro = micro_degrees(data.centre.latitude, 90, "centre.latitude")
        district.centre_longitude_micro = micro_degrees(data.centre.longitude, 180, "centre.longitude")
        district.radius_m = data.radius_m
    else:
        district.shape = POLYGON
        district.polygon = _polygon_points(data)
    session.add(district)
    session.flush()
    record_change(
        session,
        actor,
        "marketing.district_created",
        subject_type="district",
        subject_id=district.public_id,
        details={"name": district.name, "shape": district.shape},
    )
    return _out(district)


def contains(district: District, point: geo.Point) -> bool:
    """Whether a point (micro-degrees) stands in the district."""
    if district.shape == CIRCLE:
        assert district.centre_latitude_micro is not None and district.centre_longitude_micro is not None
        centre = (district.centre_latitude_micro, district.centre_longitude_micro)
        return geo.within_circle(point, centre, district.radius_m or 0)
    vertices: Sequence[geo.Point] = [(lat, lng) for lat, lng in district.polygon or []]
    return geo.within_polygon(point, vertices)


def district_test(session: Session, district_id: str) -> Callable[[geo.Point], bool]:
    """Whether a point stands in the district (404 for an unknown district), for other modules' filters."""
    district = load_district(session, district_id)
    return lambda point: contains(district, point)


def load_district(session: Session, district_id: str) -> District:
    district = session.execute(select(District).where(District.public_id == district_id)).scalar_one_or_none()
    if district is None:
        raise NotFound("district")
    return district


def list_districts(session: Session) -> list[DistrictOut]:
    """Every district, oldest first (without their stores)."""
    rows = session.execute(select(District).order_by(District.id)).scalars()
    return [_out(district) for district in rows]


def get_district(session: Session, district_id: str) -> DistrictOut:
    """One district with the open stores of active merchants that stand in it."""
    district = load_district(session, district_id)
    stores = [
        DistrictStoreOut(store_id=store.id, name=store.name, merchant_id=store.merchant_id)
        for store in merchants.stores_for_discovery(session)
        if store.merchant_status == "active"
        and store.status == "active"
        and contains(district, (store.latitude_micro, store.longitude_micro))
    ]
    return _out(district).model_copy(update={"stores": stores})


def _out(district: District) -> DistrictOut:
    centre = None
    if district.centre_latitude_micro is not None and district.centre_longitude_micro is not None:
        centre = {
            "latitude": degrees(district.centre_latitude_micro),
            "longitude": degrees(district.centre_longitude_micro),
        }
    polygon = None
    if district.polygon is not None:
        polygon = [[degrees(lat), degrees(lng)] for lat, lng in district.polygon]
    return DistrictOut(
        id=district.public_id,
        name=district.name,
        shape=district.shape,
        centre=centre,
        radius_m=district.radius_m,
        polygon=polygon,
        created_at=district.created_at,
    )
