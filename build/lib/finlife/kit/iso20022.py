"""ISO 20022 credit transfers between banks: pacs.008 (FI-to-FI customer credit transfer) and
pacs.002 (payment status report), built and parsed with ``pyiso20022``'s xsdata models.

Amounts are integers in fen here and decimals of the currency in the XML. Banks are identified by
their clearing-system member id (the bank code); accounts by a proprietary ("Othr") account number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from pyiso20022.pacs.pacs_002_001_10 import pacs_002_001_10 as p002
from pyiso20022.pacs.pacs_008_001_08 import pacs_008_001_08 as p008
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.models.datatype import XmlDate, XmlDateTime

PACS008 = "pacs.008.001.08"
ACCEPTED = "ACSC"  # accepted, settlement completed
REJECTED = "RJCT"
CONTENT_TYPE = "application/xml"

_serializer = XmlSerializer(config=SerializerConfig(indent=None))
_parser = XmlParser()


class MessageError(ValueError):
    """The XML is not the ISO 20022 message expected, or lacks a field this exchange needs."""


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """One customer credit transfer, as the two banks both understand it."""

    msg_id: str
    uetr: str
    end_to_end_id: str
    amount: int  # fen
    currency: str
    settlement_date: date
    debtor_bank: str
    debtor_account: str
    debtor_name: str
    creditor_bank: str
    creditor_account: str
    creditor_name: str


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The creditor bank's answer to one transfer: ACSC, or RJCT with an ISO reason code."""

    msg_id: str
    original_msg_id: str
    end_to_end_id: str
    uetr: str
    status: str
    reason: str | None = None


def _now() -> XmlDateTime:
    return XmlDateTime.from_datetime(datetime.now(UTC).replace(microsecond=0))


def _agent(bank_code: str) -> p008.BranchAndFinancialInstitutionIdentification6:
    return p008.BranchAndFinancialInstitutionIdentification6(
        fin_instn_id=p008.FinancialInstitutionIdentification18(
            clr_sys_mmb_id=p008.ClearingSystemMemberIdentification2(mmb_id=bank_code)
        )
    )


def _account(number: str) -> p008.CashAccount38:
    return p008.CashAccount38(
        id=p008.AccountIdentification4Choice(othr=p008.GenericAccountIdentification1(id=number))
    )


def build_pacs008(transfer: CreditTransfer) -> bytes:
    """The pacs.008 document of one transfer, settled through the clearing system (CLRG)."""
    settlement_date = XmlDate.from_date(transfer.settlement_date)
    document = p008.Document(
        fito_ficstmr_cdt_trf=p008.FitoFicustomerCreditTransferV08(
            grp_hdr=p008.GroupHeader93(
                msg_id=transfer.msg_id,
                cre_dt_tm=_now(),
                nb_of_txs="1",
                sttlm_inf=p008.SettlementInstruction7(sttlm_mtd=p008.SettlementMethod1Code.CLRG),
            ),
            cdt_trf_tx_inf=[
                p008.CreditTransferTransaction39(
                    pmt_id=p008.PaymentIdentification7(
                        instr_id=transfer.msg_id,
                        end_to_end_id=transfer.end_to_end_id,
                        uetr=transfer.uetr,
                    ),
                    intr_bk_sttlm_amt=p008.ActiveCurrencyAndAmount(
                        value=Decimal(transfer.amount).scaleb(-2), ccy=transfer.currency
                    ),
                    intr_bk_sttlm_dt=settlement_date,
                    chrg_br=p008.ChargeBearerType1Code.SLEV,
                    dbtr=p008.PartyIdentification135(nm=transfer.debtor_name),
                    dbtr_acct=_account(transfer.debtor_account),
                    dbtr_agt=_agent(transfer.debtor_bank),
                    cdtr_agt=_agent(transfer.creditor_bank),
                    cdtr=p008.PartyIdentification135(nm=transfer.creditor_name),
                    cdtr_acct=_account(transfer.creditor_account),
                )
            ],
        )
    )
    return _serializer.render(document).encode()


def _member(agent: p008.BranchAndFinancialInstitutionIdentification6 | None) -> str:
    member = None if agent is None else agent.fin_instn_id.clr_sys_mmb_id
    if member is None:
        raise MessageError("agent without clearing member id")
    return str(member.mmb_id)


def _number(account: p008.CashAccount38 | None) -> str:
    if account is None or account.id.othr is None:
        raise MessageError("account without an identification")
    return str(account.id.othr.id)


def parse_pacs008(xml: bytes) -> CreditTransfer:
    """The one transfer a pacs.008 carries; MessageError when it is not one we can apply."""
    try:
        document = _parser.from_bytes(xml, p008.Document)
    except (ParserError, ValueError, TypeError) as exc:
        raise MessageError(str(exc)) from exc
    body = document.fito_ficstmr_cdt_trf
    if len(body.cdt_trf_tx_inf) != 1:
        raise MessageError("exactly one transaction per message")
    tx = body.cdt_trf_tx_inf[0]
    amount = tx.intr_bk_sttlm_amt.value.scaleb(2)
    if amount != amount.to_integral_value() or amount <= 0:
        raise MessageError("amount")
    if tx.pmt_id.uetr is None or tx.dbtr.nm is None or tx.cdtr.nm is None:
        raise MessageError("UETR and both parties' names are required")
    settled = tx.intr_bk_sttlm_dt or body.grp_hdr.intr_bk_sttlm_dt
    return CreditTransfer(
        msg_id=body.grp_hdr.msg_id,
        uetr=tx.pmt_id.uetr,
        end_to_end_id=tx.pmt_id.end_to_end_id,
        amount=int(amount),
        currency=tx.intr_bk_sttlm_amt.ccy,
        settlement_date=settled.to_date() if settled is not None else datetime.now(UTC).date(),
        debtor_bank=_member(tx.dbtr_agt),
        debtor_account=_number(tx.dbtr_acct),
        debtor_name=tx.dbtr.nm,
        creditor_bank=_member(tx.cdtr_agt),
        creditor_account=_number(tx.cdtr_acct),
        creditor_name=tx.cdtr.nm,
    )


def build_pacs002(report: StatusReport) -> bytes:
    """The status report of one transfer (a reason only with RJCT)."""
    reasons = (
        [p002.StatusReasonInformation12(rsn=p002.StatusReason6Choice(cd=report.reason))]
        if report.reason
        else []
    )
    document = p002.Document(
        fito_fipmt_sts_rpt=p002.FitoFipaymentStatusReportV10(
            grp_hdr=p002.GroupHeader91(msg_id=report.msg_id, cre_dt_tm=_now()),
            orgnl_grp_inf_and_sts=[
                p002.OriginalGroupHeader17(orgnl_msg_id=report.original_msg_id, orgnl_msg_nm_id=PACS008)
            ],
            tx_inf_and_sts=[
                p002.PaymentTransaction110(
                    orgnl_end_to_end_id=report.end_to_end_id,
                    orgnl_uetr=report.uetr,
                    tx_sts=report.status,
                    sts_rsn_inf=reasons,
                )
            ],
        )
    )
    return _serializer.render(document).encode()


def parse_pacs002(xml: bytes) -> StatusReport:
    """The status of the one transfer a pacs.002 reports on."""
    try:
        document = _parser.from_bytes(xml, p002.Document)
    except (ParserError, ValueError, TypeError) as exc:
        raise MessageError(str(exc)) from exc
    body = document.fito_fipmt_sts_rpt
    if len(body.tx_inf_and_sts) != 1 or not body.orgnl_grp_inf_and_sts:
        raise MessageError("exactly one transaction status per report")
    tx = body.tx_inf_and_sts[0]
    if tx.tx_sts not in (ACCEPTED, REJECTED) or tx.orgnl_uetr is None or tx.orgnl_end_to_end_id is None:
        raise MessageError("status, UETR and end-to-end id are required")
    reason = next((info.rsn.cd for info in tx.sts_rsn_inf if info.rsn is not None), None)
    return StatusReport(
        msg_id=body.grp_hdr.msg_id,
        original_msg_id=body.orgnl_grp_inf_and_sts[0].orgnl_msg_id,
        end_to_end_id=tx.orgnl_end_to_end_id,
        uetr=tx.orgnl_uetr,
        status=tx.tx_sts,
        reason=reason,
    )
