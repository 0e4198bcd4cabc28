"""A person's CSV: a BOM, headers in the page's language, money in yuan, codes in words."""

from __future__ import annotations

from finlife.kit.csvfile import BOM, for_people, table_csv, yuan


def test_money_is_in_yuan_with_two_decimals() -> None:
    assert [yuan(123_450), yuan(5), yuan(-5), yuan(0)] == ["1234.50", "0.05", "-0.05", "0.00"]


def test_a_table_starts_with_the_bom_and_ends_lines_with_crlf() -> None:
    assert table_csv(["名称", "金额"], [["咖啡", "12.50"]]) == BOM + "名称,金额\r\n咖啡,12.50\r\n"


def test_a_programs_csv_becomes_a_persons() -> None:
    machine = "section,key,name,count,gross\r\ntotals,2026-03-02,gross,3,11400\r\ntender,cash,cash,1,-250\r\n"
    words = {"section": ("csv.daily.section.",), "name": ("csv.daily.name.", "ui.pos.tender.")}
    zh = for_people(machine, language="zh-CN", words="csv.daily.", money=("gross",), worded=words)
    assert (
        zh
        == BOM
        + "部分,代码,名称,笔数,收款（元）\r\n合计,2026-03-02,收款,3,114.00\r\n支付方式,cash,现金,1,-2.50\r\n"
    )
    en = for_people(machine, language="en", words="csv.daily.", money=("gross",), worded=words)
    assert en.splitlines()[0] == BOM + "Part,Code,Name,Payments,Takings (yuan)"
    assert en.splitlines()[2] == "Tender,cash,Cash,1,-2.50"
