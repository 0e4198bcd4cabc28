"""The conditions under which the marketing service says no (codes and words are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, Forbidden, RuleViolation


class InvalidDistrictShape(RuleViolation):
    """Either a centre with a radius, or a polygon of at least three points."""

    def __init__(self) -> None:
        super().__init__("invalid_district_shape")


class InvalidCampaign(RuleViolation):
    """A campaign whose terms contradict each other; ``code`` says which rule, ``field`` where."""

    def __init__(self, code: str, field: str, **params: object) -> None:
        super().__init__(code, field=field, params=params)


class MerchantFundingNeedsOwner(Forbidden):
    """Only a merchant's owner commits the merchant's money to a campaign."""

    def __init__(self) -> None:
        super().__init__("merchant_funding_needs_owner", field="funding.merchant")


class BankFundingNeedsStaff(Forbidden):
    def __init__(self, funder: str) -> None:
        super().__init__(
            "bank_funding_needs_staff", field=f"funding.{funder}", params={"field": f"funding.{funder}"}
        )


class CampaignWrongStatus(Conflict):
    def __init__(self, status: str, wanted: str) -> None:
        super().__init__("campaign_wrong_status", params={"status": status, "wanted": wanted})


class CannotApproveOwnCampaign(Forbidden):
    """Four eyes: whoever drew up a bank-funded campaign is not the one who approves it."""

    def __init__(self) -> None:
        super().__init__("cannot_approve_own_campaign")


class DraftSubmitterNotAllowed(Forbidden):
    """Submitting commits a funder's budget: only the merchant's owner, or a bank draft's author."""

    def __init__(self) -> None:
        super().__init__("draft_submitter_not_allowed")


class CampaignNotLive(Conflict):
    def __init__(self) -> None:
        super().__init__("campaign_not_live")


class CouponsOutOfStock(Conflict):
    def __init__(self) -> None:
        super().__init__("coupons_out_of_stock")


class ClaimLimitReached(Conflict):
    def __init__(self, limit: int) -> None:
        super().__init__("claim_limit_reached", params={"limit": limit})


class AccountRequired(RuleViolation):
    def __init__(self) -> None:
        super().__init__("account_required_to_buy", field="account_id")


class CouponUnusable(RuleViolation):
    """A coupon code an order cannot take: ``code`` says why (unknown, used, expired, scope, …)."""

    def __init__(self, code: str, coupon: str, **params: object) -> None:
        super().__init__(code, field="coupon_codes", params={"coupon": coupon, **params})


class CouponBudgetExhausted(Conflict):
    def __init__(self, coupon: str) -> None:
        super().__init__("coupon_budget_exhausted", field="coupon_codes", params={"coupon": coupon})


class NotInAudience(Forbidden):
    """The campaign is for the members of a segment, and the customer is not one."""

    def __init__(self) -> None:
        super().__init__("not_in_audience")


class NotANewCustomer(Forbidden):
    """The campaign is for new customers only, and this one already paid at its merchant."""

    def __init__(self) -> None:
        super().__init__("new_customers_only")


class UnknownAudience(RuleViolation):
    def __init__(self) -> None:
        super().__init__("audience_segment_unknown", field="audience.segment_id")


class AudienceNotAllowed(Forbidden):
    """Only the bank's marketing staff target segments (merchants see none)."""

    def __init__(self) -> None:
        super().__init__("audience_not_allowed", field="audience.segment_id")
