"""Amounts in Chinese capital numerals (大写金额), as bank vouchers and cheques write them.

Capitals cannot be altered by adding a stroke, which is why vouchers print them beside the figures.
The rules: digits 零壹贰叁肆伍陆柒捌玖 with the units 拾佰仟 inside each group of four digits and 万亿兆
between groups; one 零 stands for any run of zeros between two written digits (壹万零伍元, 壹仟零壹拾元),
none at the end (壹拾万元); 角 and 分 follow 元, with 零 before 分 when there are yuan but no 角
(壹元零伍分); an amount without 分 ends in 整.
"""

from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
GROUPS = ("", "万", "亿", "兆")


def _group(number: int) -> str:
    """0 < number < 10,000, without the zeros before its first digit."""
    text, zero = "", False
    for power, unit in PLACES:
        digit = number // 10**power % 10
        if digit == 0:
            zero = bool(text)
        else:
            text += ("零" if zero else "") + DIGITS[digit] + unit
            zero = False
    return text


def _yuan(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10_000)
        number //= 10_000
    if len(groups) > len(GROUPS):
        raise ValueError("amount too large for capitals")
    text, zero = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            zero = bool(text)
            continue
        if text and (zero or group < 1_000):
            text += "零"
        text += _group(group) + GROUPS[index]
        zero = False
    return text


def capitals(fen: int) -> str:
    """``fen`` (≥ 0) in capitals: 123450 → 壹仟贰佰叁拾肆元伍角整."""
    if fen < 0:
        raise ValueError("capitals are written for amounts, not signs")
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    text = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif cents and yuan:
        text += "零"
    if cents:
        text += DIGITS[cents] + "分"
    return (text or "零元") + ("" if cents else "整")
