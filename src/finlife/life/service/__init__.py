"""The life module's public face: the API and other modules call these functions."""

from finlife.life.service.discovery import Near, discover, open_now, store_page
from finlife.life.service.reviews import list_reviews, reply_to_review, write_review

__all__ = [
    "Near",
    "discover",
    "list_reviews",
    "open_now",
    "reply_to_review",
    "store_page",
    "write_review",
]
