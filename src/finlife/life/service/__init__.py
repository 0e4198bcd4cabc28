"""The life module's public face: the API and other modules call these functions."""

from finlife.life.service.coupon_scope import Scope, coupon_scopes
from finlife.life.service.discovery import Near, discover, open_now, store_page
from finlife.life.service.orders import my_order, my_orders
from finlife.life.service.promotions import coupons_at
from finlife.life.service.reviews import (
    customer_reviews,
    list_reviews,
    merchant_reviews,
    reply_to_review,
    reviews_by,
    reviews_of_day,
    write_review,
)
from finlife.life.service.shares import create_share, my_shares, open_share
from finlife.life.service.timeline import review_lines

__all__ = [
    "Near",
    "Scope",
    "coupon_scopes",
    "coupons_at",
    "create_share",
    "customer_reviews",
    "discover",
    "list_reviews",
    "merchant_reviews",
    "my_order",
    "my_orders",
    "my_shares",
    "open_now",
    "open_share",
    "reply_to_review",
    "review_lines",
    "reviews_by",
    "reviews_of_day",
    "store_page",
    "write_review",
]
