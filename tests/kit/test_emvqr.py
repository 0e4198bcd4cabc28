"""The EMVCo merchant-presented QR codec against the specification's own example and random codes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from finlife.kit.emvqr import (
    ADDITIONAL_DATA_IDS,
    InvalidQrPayload,
    MerchantLanguage,
    MerchantPresentedQr,
    TipIndicator,
    crc16_ccitt_false,
    decode,
    encode,
    parse_tlv,
)
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import translate
from finlife.kit.money import NUMERIC_CODES

SPEC_VECTOR = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
    "0708A60086670902ME91320016A0112233449988770708123456786304A13A"
)
# A short valid body (without 63) to build broken payloads from: only the broken part varies.
BODY = "000201010211" + "15121234567890AB" + "52045812" + "5303156" + "5802CN" + "5904CAFE" + "6008SHANGHAI"


def seal(body: str) -> str:
    """Append a correct CRC, so a test sees the complaint it is about rather than a CRC mismatch."""
    body += "6304"
    return body + f"{crc16_ccitt_false(body.encode()):04X}"


def reason_for(payload: str) -> str:
    with pytest.raises(InvalidQrPayload) as caught:
        decode(payload)
    return caught.value.reason


def bitwise_crc(data: bytes) -> int:
    """CRC-16/CCITT-FALSE straight from its definition, as the oracle for the library call."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def test_crc_check_values() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(SPEC_VECTOR[:-4].encode("utf-8")) == 0xA13A


@given(st.binary(max_size=600))
def test_crc_matches_its_bitwise_definition(data: bytes) -> None:
    assert crc16_ccitt_false(data) == bitwise_crc(data)


def test_the_specification_example_decodes() -> None:
    qr = decode(SPEC_VECTOR)
    assert qr.point_of_initiation == "dynamic"
    assert qr.merchant_accounts == {
        "29": {"00": "D15600000000", "05": "A93FO3230Q"},
        "31": {"00": "D15600000001", "03": "12345678"},
    }
    assert (qr.mcc, qr.currency, qr.amount, qr.tip) == ("4111", "156", 2372, "prompt")
    assert (qr.country, qr.merchant_name, qr.merchant_city) == ("CN", "BEST TRANSPORT", "BEIJING")
    assert qr.language == MerchantLanguage(language="ZH", name="最佳运输", city="北京")
    assert qr.additional_data == {"03": "1234", "06": "***", "07": "A6008667", "09": "ME"}
    assert qr.extra == {"91": "0016A011223344998877070812345678"}


def test_the_specification_example_round_trips_to_the_same_text() -> None:
    assert encode(decode(SPEC_VECTOR)) == SPEC_VECTOR


def test_lengths_count_characters_not_bytes() -> None:
    language = dict(parse_tlv(SPEC_VECTOR))["64"]
    assert parse_tlv(language) == [("00", "ZH"), ("01", "最佳运输"), ("02", "北京")]
    assert len(language) == 20 and len(language.encode("utf-8")) == 32


def test_one_changed_character_is_a_crc_mismatch() -> None:
    assert reason_for(SPEC_VECTOR.replace("BEST", "BUST")) == "crc_mismatch"
    assert reason_for(SPEC_VECTOR[:-4] + "a13a") == "crc_mismatch"


def test_every_single_character_change_of_the_example_is_refused() -> None:
    for position, original in enumerate(SPEC_VECTOR):
        replacement = "X" if original != "X" else "Y"
        changed = SPEC_VECTOR[:position] + replacement + SPEC_VECTOR[position + 1 :]
        assert reason_for(changed) in ("malformed", "crc_mismatch"), position


@pytest.mark.parametrize("cut", [1, 4, 9, 100, len(SPEC_VECTOR) - 1])
def test_a_truncated_payload_is_malformed(cut: int) -> None:
    assert reason_for(SPEC_VECTOR[:-cut]) == "malformed"


@pytest.mark.parametrize(
    "body",
    [
        BODY.replace("5904CAFE", "5905CAFE"),  # one character too long: swallows the next ID
        BODY.replace("5904CAFE", "5903CAFE"),  # one too short: leaves a stray "E"
        BODY + "6299",  # runs past the end
        BODY + "6200",  # empty value
        BODY.replace("5904", "59٠4"),  # a non-ASCII digit in the length
    ],
)
def test_a_wrong_length_is_malformed(body: str) -> None:
    assert reason_for(seal(body)) == "malformed"


def test_the_envelope_is_enforced() -> None:
    assert reason_for(seal(BODY[6:] + "000201")) == "malformed"  # 00 not first
    sealed = seal(BODY)
    assert reason_for(sealed + "6102AB") == "malformed"  # 63 not last
    assert reason_for(seal(BODY + "5802CN")) == "malformed"  # a tag twice
    assert reason_for(seal("000202" + BODY[6:])) == "invalid_tag_00"
    assert reason_for(BODY) == "malformed"  # no CRC at all
    assert reason_for(seal(BODY + "9990" + "X" * 500)) == "too_long"


@pytest.mark.parametrize("tag", ["01", "52", "53", "58", "59", "60"])
def test_a_missing_required_tag_is_named(tag: str) -> None:
    objects = [(t, v) for t, v in parse_tlv(BODY) if t != tag]
    assert reason_for(seal("".join(f"{t}{len(v):02d}{v}" for t, v in objects))) == f"missing_tag_{tag}"


def test_a_code_without_merchant_account_is_refused() -> None:
    assert reason_for(seal(BODY.replace("15121234567890AB", ""))) == "missing_merchant_account"


def test_static_codes_have_no_amount_and_dynamic_codes_have_one() -> None:
    static = decode(seal(BODY))
    assert static.point_of_initiation == "static" and static.amount is None
    dynamic = decode(seal(BODY.replace("010211", "010212") + "540588.00"))
    assert dynamic.point_of_initiation == "dynamic" and dynamic.amount == 8800
    assert reason_for(seal(BODY + "540588.00")) == "static_with_amount"
    assert reason_for(seal(BODY.replace("010211", "010212"))) == "dynamic_without_amount"
    assert reason_for(seal(BODY.replace("010211", "010213"))) == "invalid_tag_01"


@pytest.mark.parametrize(
    ("currency", "text", "minor_units"),
    [("156", "23.72", 2372), ("156", "23.7", 2370), ("156", "23", 2300), ("392", "500", 500)],
)
def test_amounts_become_minor_units(currency: str, text: str, minor_units: int) -> None:
    body = BODY.replace("010211", "010212").replace("5303156", f"5303{currency}")
    assert decode(seal(body + f"54{len(text):02d}{text}")).amount == minor_units


@pytest.mark.parametrize(
    "text", ["23.725", "23,72", ".5", "2e3", "-1", "0.00", "5.", "１２", "12345678901.00"]
)
def test_a_badly_written_amount_is_refused(text: str) -> None:
    body = BODY.replace("010211", "010212") + f"54{len(text):02d}{text}"
    assert reason_for(seal(body)) == "invalid_tag_54"


def test_an_amount_in_an_unknown_currency_is_refused() -> None:
    body = BODY.replace("010211", "010212").replace("5303156", "5303999") + "54031.5"
    assert reason_for(seal(body)) == "unsupported_currency"


def cafe(**changes: object) -> MerchantPresentedQr:
    base: dict[str, object] = {
        "point_of_initiation": "dynamic",
        "merchant_accounts": {"26": {"00": "cn.finlife", "01": "mer_8Hq2"}},
        "mcc": "5812",
        "currency": "156",
        "amount": 2372,
        "merchant_name": "Finlife Cafe",
        "merchant_city": "Shanghai",
    }
    return MerchantPresentedQr(**(base | changes))  # type: ignore[arg-type]


def test_encoding_writes_tags_in_id_order_and_renders_minor_units() -> None:
    bill = {ADDITIONAL_DATA_IDS["bill_number"]: "INV-7"}
    qr = cafe(additional_data=bill, language=MerchantLanguage("ZH", "咖啡馆"))
    payload = encode(qr)
    assert payload[:-4] == (
        "000201" + "010212" + "26260010cn.finlife0108mer_8Hq2" + "52045812" + "5303156" + "540523.72"
        "5802CN" + "5912Finlife Cafe" + "6008Shanghai" + "62090105INV-7" + "64130002ZH0103咖啡馆" + "6304"
    )
    assert int(payload[-4:], 16) == bitwise_crc(payload[:-4].encode()) and decode(payload) == qr


def test_tips_round_trip() -> None:
    for qr in (
        cafe(tip="fixed", tip_fixed=150),
        cafe(tip="percentage", tip_percentage=Decimal("5.50")),
        cafe(tip="prompt"),
    ):
        assert decode(encode(qr)) == qr
    assert "5604" + "1.50" in encode(cafe(tip="fixed", tip_fixed=150))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"merchant_name": "N" * 26}, "invalid_tag_59"),
        ({"merchant_city": "C" * 16}, "invalid_tag_60"),
        ({"additional_data": {"01": "B" * 100}}, "invalid_tag_62_01"),
        ({"amount": 23.72}, "invalid_tag_54"),
        ({"amount": 0}, "invalid_tag_54"),
        ({"amount": None}, "dynamic_without_amount"),
        ({"point_of_initiation": "static"}, "static_with_amount"),
        ({"mcc": "58a2"}, "invalid_tag_52"),
        ({"country": "cn"}, "invalid_tag_58"),
        ({"merchant_accounts": {}}, "missing_merchant_account"),
        ({"merchant_accounts": {"26": {"01": "no-guid"}}}, "invalid_tag_26"),
        ({"merchant_accounts": {"26": "0010cn.finlife"}}, "invalid_tag_26"),
        ({"merchant_accounts": {"15": {"00": "x"}}}, "invalid_tag_15"),
        ({"tip": "fixed"}, "invalid_tag_56"),
        ({"tip": "percentage", "tip_percentage": Decimal("100")}, "invalid_tag_57"),
        ({"tip_percentage": Decimal("5")}, "invalid_tag_57"),
        ({"extra": {"62": "x"}}, "invalid_tag_62"),
        ({"postal_code": "200000\n"}, "invalid_tag_61"),
        ({"extra": {f"{n}": "V" * 90 for n in range(80, 86)}}, "too_long"),
    ],
)
def test_an_invalid_model_is_refused(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(InvalidQrPayload) as caught:
        cafe(**changes)
    assert caught.value.reason == reason


def test_a_language_template_with_reserved_ids_is_refused() -> None:
    assert reason_for(seal(BODY + "64170002ZH0101店0302xx")) == "invalid_tag_64"


def test_the_error_is_a_422_value_error_with_a_translated_reason() -> None:
    with pytest.raises(InvalidQrPayload) as caught:
        decode(SPEC_VECTOR[:-1] + "B")
    error = caught.value
    assert isinstance(error, FinlifeError) and isinstance(error, ValueError)
    assert (error.code, error.status, error.params) == ("invalid_qr_payload", 422, {"reason": "crc_mismatch"})
    assert "crc_mismatch" in error.message("en") and "crc_mismatch" in error.message("zh-CN")
    assert translate("invalid_qr_payload", "en", {"reason": "x"}) != translate(
        "invalid_qr_payload", "zh-CN", {"reason": "x"}
    )


# Random valid codes. Tags other than 64 take printable ASCII (EMVCo's "ans"); 64 takes any script.
ANS = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
ANY_SCRIPT = st.characters(categories=("L", "N", "P", "S"), include_characters=" ")
SUB_IDS = st.integers(1, 99).map("{:02d}".format)


def ans(longest: int) -> st.SearchStrategy[str]:
    return st.text(ANS, min_size=1, max_size=longest)


@st.composite
def models(draw: st.DrawFn) -> MerchantPresentedQr:
    accounts: dict[str, str | dict[str, str]] = {}
    for number in draw(st.lists(st.integers(2, 51), min_size=1, max_size=3, unique=True)):
        extra_data = draw(st.dictionaries(SUB_IDS, ans(20), max_size=2))
        accounts[f"{number:02d}"] = {"00": draw(ans(32))} | extra_data if number >= 26 else draw(ans(30))
    dynamic = draw(st.booleans())
    tips: list[TipIndicator | None] = [None, "prompt", "fixed", "percentage"]
    tip = draw(st.sampled_from(tips))
    text = st.text(ANY_SCRIPT, min_size=1, max_size=15)
    try:
        qr = MerchantPresentedQr(
            point_of_initiation="dynamic" if dynamic else "static",
            merchant_accounts=accounts,
            mcc=draw(st.from_regex(r"\A[0-9]{4}\Z")),
            currency=draw(st.sampled_from(sorted(NUMERIC_CODES.values()))),
            merchant_name=draw(ans(25)),
            merchant_city=draw(ans(15)),
            country=draw(st.from_regex(r"\A[A-Z]{2}\Z")),
            amount=draw(st.integers(1, 10**10)) if dynamic else None,
            tip=tip,
            tip_fixed=draw(st.integers(1, 10**6)) if tip == "fixed" else None,
            tip_percentage=draw(st.decimals(Decimal("0.01"), Decimal("99.99"), places=2))
            if tip == "percentage"
            else None,
            postal_code=draw(st.none() | ans(10)),
            additional_data=draw(st.dictionaries(SUB_IDS, ans(20), max_size=3)),
            language=draw(
                st.none() | st.builds(MerchantLanguage, st.from_regex(r"\A[A-Z]{2}\Z"), text, text)
            ),
            extra=draw(st.dictionaries(st.integers(65, 99).map(str), ans(40), max_size=2)),
        )
    except InvalidQrPayload as error:
        if error.reason != "too_long":
            raise
        reject()
    order = draw(st.permutations([tag for tag, _ in qr.data_objects()]))
    return dataclasses.replace(qr, tag_order=tuple(order))


@given(models())
def test_random_codes_round_trip(qr: MerchantPresentedQr) -> None:
    payload = encode(qr)
    assert decode(payload) == qr
    assert encode(decode(payload)) == payload


@given(models(), st.data())
def test_any_single_character_change_is_refused(qr: MerchantPresentedQr, data: st.DataObject) -> None:
    # A changed ASCII character changes one byte, a burst CRC-16 always detects; so every such change
    # must either break the structure or fail the CRC.
    payload = encode(qr)
    position = data.draw(st.sampled_from([i for i, char in enumerate(payload) if char.isascii()]))
    replacement = data.draw(ANS.filter(lambda char: char != payload[position]))
    changed = payload[:position] + replacement + payload[position + 1 :]
    assert reason_for(changed) in ("malformed", "crc_mismatch")
