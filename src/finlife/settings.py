"""Configuration from FINLIFE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FINLIFE_", env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{Path('var/finlife.db').as_posix()}")
    # A development default; production sets FINLIFE_SECRET_KEY.
    secret_key: str = "dev-only-secret-change-me-in-production-0123456789"  # noqa: S105
    admin_password: str | None = None
    token_ttl_seconds: int = 900
    # How long a node trusts the session generation it read for a login (identity.sessions): after
    # "sign out everywhere" the other nodes refuse the old tokens within this many seconds.
    session_check_seconds: float = 5.0
    # The bearer token Prometheus presents to GET /metrics; unset, /metrics is not served (404).
    metrics_token: str | None = None
    # Sign-in throttling (identity.throttle, NIST SP 800-63B 5.2.2): failures a source or an account
    # may have in a period before each further one makes the next attempt wait 2^k seconds (capped);
    # the failures in a period after which an account is frozen until its owner has it unlocked.
    login_free_failures: int = 5
    login_max_delay_seconds: int = 900
    login_failure_cap: int = 100
    login_throttle_period_seconds: int = 86_400
    # Channel planning's service quality (servicecentre.quality): answered requests are counted in
    # memory and added to channel_request_hours this often; 0 counts nothing.
    channel_quality_flush_seconds: float = 15.0
    business_timezone: str = "Asia/Shanghai"
    default_currency: str = "CNY"
    # The bank's identity on cards and account numbers (contract parameters, not law).
    bank_code: str = "FLB"
    bank_name: str = "finlife Bank"
    card_bin: str = "621999"
    account_prefix: str = "6230"
    # PBoC account-class rules (domain-rules.md); minor units of CNY.
    class_ii_max_accounts: int = 5
    class_iii_max_accounts: int = 5
    class_ii_daily_in: int = 1_000_000
    class_ii_yearly_in: int = 20_000_000
    class_ii_daily_out: int = 1_000_000
    class_ii_yearly_out: int = 20_000_000
    class_iii_balance_cap: int = 200_000
    class_iii_daily_out: int = 200_000
    class_iii_yearly_out: int = 5_000_000
    # Debit cards: years of validity from issue, wrong PINs before the card is blocked.
    card_validity_years: int = 5
    card_pin_max_failures: int = 3
    # Merchant payments (domain-rules.md): amounts in fen; fee rates in millionths of the amount.
    contactless_no_pin_limit: int = 100_000
    qr_static_daily_limit: int = 50_000  # level D: any static merchant code
    qr_dynamic_daily_limit: int = 100_000  # level C: dynamic codes and payment codes, one factor
    payment_code_ttl_seconds: int = 60
    # A cashier's refund above this (fen) waits for the merchant owner's approval (payments.approvals).
    refund_approval_threshold: int = 50_000
    merchant_fee_issuer_ppm: int = 3_500  # 0.35 % (debit cards and on-us accounts)
    merchant_fee_issuer_cap: int = 1_300
    merchant_fee_network_ppm: int = 325  # 0.0325 %
    merchant_fee_network_cap: int = 325
    merchant_fee_acquirer_ppm: int = 1_000  # 0.1 %, no cap
    # Merchants are paid T+1: the latest business day a settlement run may settle is today − lag.
    settlement_lag_days: int = 1
    # EMV QR merchant account template 26: finlife's globally unique id, and the city shown (tag 60).
    qr_network_id: str = "CN.FINLIFE"
    qr_merchant_city: str = "SHANGHAI"
    idempotency_stale_seconds: int = 60
    # Scheduled and long work holds a lease (kit.leases) renewed every third of this; a node that
    # dies holding one is taken over after at most this long.
    lease_seconds: float = 30.0
    # Page-started jobs (kit.jobs): a running job writes its heartbeat every job_heartbeat_seconds;
    # one not heard of for job_stale_seconds belongs to a dead node, and each node's claimer (looking
    # every job_claim_seconds) runs it again, at most job_max_attempts starts in all.
    job_heartbeat_seconds: float = 15.0
    job_stale_seconds: float = 60.0
    job_claim_seconds: float = 5.0
    job_max_attempts: int = 3
    job_claimer_in_server: bool = True
    # A code sent to a customer's phone to unlock their frozen login (identity.one_time_codes):
    # its life (capped at five minutes) and the wrong guesses it takes.
    one_time_code_ttl_seconds: int = 300
    one_time_code_tries: int = 5
    # Transfers to someone else above this (fen) ask for the payment password (identity.payment_password);
    # five wrong tries in a row lock it for a day. Name checks of payees are throttled per login.
    transfer_password_threshold: int = 500_000
    payment_password_tries: int = 5
    payment_password_lock_seconds: int = 86_400
    payee_check_free_failures: int = 5
    # Partners' OAuth2 (partners.oauth): access tokens live minutes and are checked on every call;
    # refresh tokens rotate and never outlive their consent; codes live a minute and work once.
    oauth_access_ttl_seconds: int = 600
    oauth_refresh_ttl_seconds: int = 30 * 86_400
    oauth_code_ttl_seconds: int = 60
    consent_max_days: int = 90
    # The bank console's demo seeding page: a production bank has no "make fake data" button.
    demo_tools: bool = False
    sql_echo: bool = False
    # The event stream (finlife.events): with a NATS URL the relay publishes the outbox to JetStream;
    # without one it delivers to this process's subscribers straight from the table.
    nats_url: str | None = None
    nats_stream: str = "FINLIFE"
    nats_subject_prefix: str = "finlife.events"
    # Re-publishes of one event id within this window are dropped by JetStream itself.
    nats_duplicate_window_seconds: int = 120
    # ``finlife serve`` runs a relay in each worker; deployments with relay nodes turn it off.
    relay_in_server: bool = True
    # Events per claim, publish and mark: each batch costs round trips to PostgreSQL and JetStream, so
    # larger ones drain a backlog faster, most of all on a busy machine (bench/events.py).
    relay_batch_size: int = 500
    # An idle relay polls again after 50 ms, doubling up to this long.
    relay_idle_max_seconds: float = 1.0
    # Signed calls (kit.httpsig, RFC 9421): a signature is accepted this long after its ``created``,
    # and this far ahead of the server's clock; its nonce is remembered for both together.
    signature_max_age_seconds: int = 300
    signature_clock_skew_seconds: int = 30
    # Partners (finlife.partners.registry): how long a rotated client secret keeps working, and how
    # long their call log is kept (JR/T 0185 asks at least six months: fewer than 183 days is refused).
    partner_secret_grace_hours: int = Field(default=24, ge=0)
    partner_call_retention_days: int = Field(default=200, ge=183)
    # Partners' webhooks (finlife.partners.webhooks). Plain http and hosts at private, loopback or
    # link-local addresses only when the operator allows them (local development and the tests).
    webhooks_allow_private: bool = False
    # Standard Webhooks' schedule: the first attempt at once, then a retry after each of these delays
    # (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); the attempts end with the list.
    webhooks_retry_schedule: tuple[int, ...] = (0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000)
    webhooks_timeout_seconds: float = 5.0
    # An endpoint that has failed without a single success for this long is disabled.
    webhooks_disable_after_seconds: int = 5 * 86_400
    # After a secret rotation deliveries carry the old secret's signature too, for this long.
    webhooks_secret_grace_seconds: int = 86_400
    # ``finlife serve`` runs a delivery worker in each worker process; ``finlife webhooks deliver``
    # runs one alone.
    webhooks_worker_in_server: bool = True
    # China's holidays for years past chinesecalendar's data (wealth.calendar): a CSV of the State
    # Council's notice, one ``YYYY-MM-DD,holiday`` or ``YYYY-MM-DD,workday`` a line (a working
    # weekend). Unset, such a year counts Monday–Friday as business days, with a warning logged.
    holiday_notice_file: Path | None = None
    # Cheap argon2 parameters for the test suite; never set this in production.
    fast_password_hashing: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
