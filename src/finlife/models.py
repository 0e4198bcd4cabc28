"""Every module's tables, imported once so that Alembic and the schema check see the whole schema."""

from finlife.audit import models as audit_models
from finlife.identity import models as identity_models
from finlife.kit import idempotency, outbox
from finlife.kit.db import Base

MODULES = (audit_models, identity_models, idempotency, outbox)
metadata = Base.metadata
