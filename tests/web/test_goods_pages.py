"""The merchant console's goods pages: the list (search, category, archived), new items with
variations, the item page (edit, add a variation, archive), cashiers read-only, tenancy and CSRF."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.catalog.support import stock_of
from tests.web.forms import hidden_fields, submit
from tests.web.shops import Shop, open_shop, own_token

GOODS = "/merchant/goods"


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    return open_shop(client, db, settings)


def _new_item(
    shop: Shop, *, name: str = "拿铁咖啡", category: str = "咖啡", rows: list[tuple[str, str, str, str]]
) -> httpx.Response:
    """Fill the new-item form: ``rows`` are (variation name, SKU, price in yuan, stock)."""
    page = shop.owner.get(GOODS).text
    data: dict[str, object] = {"name": name, "category": category, "description": ""}
    for part, column in zip(("name", "sku", "price", "stock"), zip(*rows, strict=True), strict=True):
        data[f"variation_{part}"] = list(column) + [""] * (3 - len(rows))
    return shop.owner.post(GOODS, data={**hidden_fields(page, GOODS), **data})


def _created(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/merchant/goods/(itm_\w+)", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


def _variation_ids(page: str) -> list[str]:
    return re.findall(r'data-variation="(var_\w+)"', page)


def test_the_owner_creates_an_item_with_variations(shop: Shop) -> None:
    empty = shop.owner.get(GOODS)
    assert empty.status_code == 200 and "还没有商品" in empty.text and "添加商品" in empty.text
    item_id = _created(
        _new_item(shop, rows=[("中杯", "LATTE-M", "18.5", "40"), ("大杯", "LATTE-L", "21", "")])
    )
    page = shop.owner.get(f"{GOODS}/{item_id}")
    assert page.status_code == 200 and "商品已创建" in page.text
    assert 'value="18.50"' in page.text and 'value="21.00"' in page.text  # fen shown back in yuan
    assert 'value="40"' in page.text and "LATTE-L" in page.text
    listing = shop.owner.get(GOODS)
    assert "拿铁咖啡" in listing.text and "2 个规格" in listing.text
    assert "¥18.50 – ¥21.00" in listing.text


def test_new_item_refusals_sit_next_to_their_row(shop: Shop) -> None:
    _created(_new_item(shop, rows=[("标准", "TEA-1", "12", "")]))
    taken = _new_item(shop, name="乌龙茶", rows=[("小杯", "OOLONG-S", "8", ""), ("大杯", "TEA-1", "10", "")])
    assert taken.status_code == 409
    assert 'id="f-variation_sku_1-error"' in taken.text and "商品编码 TEA-1 已被使用" in taken.text
    assert (
        'value="OOLONG-S"' in taken.text and 'value="乌龙茶"' in taken.text
    )  # the form keeps what was typed
    bad_price = _new_item(shop, name="乌龙茶", rows=[("小杯", "OOLONG-S", "8.123", "")])
    assert bad_price.status_code == 422 and 'id="f-variation_price_0-error"' in bad_price.text
    assert "请输入大于 0 的金额，最多两位小数" in bad_price.text
    bad_stock = _new_item(shop, name="乌龙茶", rows=[("小杯", "OOLONG-S", "8", "-3")])
    assert bad_stock.status_code == 422 and 'id="f-variation_stock_0-error"' in bad_stock.text
    assert "库存须为不小于 0 的整数" in bad_stock.text
    no_sku = _new_item(shop, name="乌龙茶", rows=[("小杯", "", "8", "")])
    assert no_sku.status_code == 422 and 'id="f-variation_sku_0-error"' in no_sku.text
    no_rows = _new_item(shop, name="乌龙茶", rows=[("", "", "", "")])
    assert no_rows.status_code == 422 and "请至少填写一个规格" in no_rows.text
    no_category = _new_item(shop, name="乌龙茶", category=" ", rows=[("小杯", "OOLONG-S", "8", "")])
    assert no_category.status_code == 422 and 'id="f-category-error"' in no_category.text
    assert "乌龙茶" not in shop.owner.get(GOODS).text  # nothing was created by the refusals


def test_the_list_searches_filters_and_shows_archived_on_request(shop: Shop) -> None:
    latte = _created(_new_item(shop, name="拿铁咖啡", category="咖啡", rows=[("标准", "LATTE", "18", "")]))
    _created(_new_item(shop, name="美式咖啡", category="咖啡", rows=[("标准", "AMERICANO", "15", "")]))
    _created(_new_item(shop, name="芝士蛋糕", category="甜点", rows=[("标准", "CAKE-1", "28", "5")]))

    by_name = shop.owner.get(GOODS, params={"q": "拿铁"}).text
    assert "拿铁咖啡" in by_name and "美式咖啡" not in by_name
    by_sku = shop.owner.get(GOODS, params={"q": "cake"}).text
    assert "芝士蛋糕" in by_sku and "拿铁咖啡" not in by_sku
    by_category = shop.owner.get(GOODS, params={"category": "咖啡"}).text
    assert "拿铁咖啡" in by_category and "芝士蛋糕" not in by_category
    assert "咖啡 (2)" in by_category  # the category filter counts items
    assert "没有符合条件的商品" in shop.owner.get(GOODS, params={"q": "奶茶"}).text

    archive = f"{GOODS}/{latte}/archive"
    assert submit(shop.owner, f"{GOODS}/{latte}", archive, {}).status_code == 303
    assert "商品已下架" in shop.owner.get(f"{GOODS}/{latte}").text
    assert f'data-item="{latte}"' not in shop.owner.get(GOODS).text
    with_archived = shop.owner.get(GOODS, params={"archived": "true"}).text
    assert f'data-item="{latte}"' in with_archived and "已下架" in with_archived
    restored = submit(shop.owner, f"{GOODS}/{latte}", archive, {})  # the form now puts it back
    assert restored.status_code == 303
    assert "商品已重新上架" in shop.owner.get(f"{GOODS}/{latte}").text
    assert f'data-item="{latte}"' in shop.owner.get(GOODS).text


def test_the_owner_edits_prices_stock_and_names(shop: Shop, db: Database) -> None:
    item_id = _created(_new_item(shop, rows=[("中杯", "LATTE-M", "18", "40"), ("大杯", "LATTE-L", "21", "")]))
    path = f"{GOODS}/{item_id}"
    page = shop.owner.get(path).text
    medium, large = _variation_ids(page)
    form = {
        "name": "燕麦拿铁",
        "category": "咖啡",
        "description": "燕麦奶",
        "variation_id": [medium, large],
        "variation_name": ["中杯", "超大杯"],
        "variation_price": ["19.90", "21"],
        "variation_stock": ["", "12"],
    }
    bad = shop.owner.post(path, data={**hidden_fields(page, path), **form, "variation_price": ["19.90", "0"]})
    assert bad.status_code == 422 and 'id="f-variation_price_1-error"' in bad.text
    assert 'value="燕麦拿铁"' in bad.text and 'value="超大杯"' in bad.text
    saved = shop.owner.post(path, data={**hidden_fields(page, path), **form})
    assert saved.status_code == 303
    page = shop.owner.get(path).text
    assert "修改已保存" in page and "燕麦拿铁" in page and "燕麦奶" in page
    assert 'value="19.90"' in page and 'value="超大杯"' in page
    assert stock_of(db, medium) is None and stock_of(db, large) == 12  # empty stock: not tracked

    add = f"{path}/variations"
    taken = submit(shop.owner, path, add, {"name": "小杯", "sku": "LATTE-M", "price": "15", "stock": ""})
    assert taken.status_code == 409 and 'id="f-new_sku_0-error"' in taken.text
    added = submit(shop.owner, path, add, {"name": "小杯", "sku": "LATTE-S", "price": "15", "stock": "8"})
    assert added.status_code == 303
    page = shop.owner.get(path).text
    assert "规格已添加" in page and "LATTE-S" in page and len(_variation_ids(page)) == 3


def test_cashiers_read_goods_and_change_nothing(shop: Shop, settings: Settings) -> None:
    item_id = _created(_new_item(shop, rows=[("标准", "CAKE-1", "28", "0")]))
    listing = shop.cashier.get(GOODS)
    assert listing.status_code == 200 and "拿铁咖啡" in listing.text
    assert 'method="post" action="/merchant/goods"' not in listing.text  # no new-item form
    page = shop.cashier.get(f"{GOODS}/{item_id}")
    assert page.status_code == 200
    assert "收银员可查看商品" in page.text and "售罄" in page.text and "¥28.00" in page.text
    assert 'method="post" action="/merchant/goods/' not in page.text
    for action in (
        GOODS,
        f"{GOODS}/{item_id}",
        f"{GOODS}/{item_id}/archive",
        f"{GOODS}/{item_id}/variations",
    ):
        token = own_token(shop.cashier, settings, action)
        refused = shop.cashier.post(action, data={"csrf_token": token, "name": "改名", "archived": "1"})
        assert refused.status_code == 403, action
    assert "在售" in shop.owner.get(f"{GOODS}/{item_id}").text


def test_another_merchants_item_is_the_friendly_404_page(
    shop: Shop, client: TestClient, db: Database, settings: Settings
) -> None:
    other = open_shop(client, db, settings, legal_name="北京隔壁咖啡有限公司")
    theirs = _created(_new_item(other, name="隔壁咖啡", rows=[("标准", "NEXT-1", "9", "")]))
    for visitor in (shop.owner, shop.cashier):
        page = visitor.get(f"{GOODS}/{theirs}")
        assert page.status_code == 404 and "找不到该商品" in page.text and "隔壁咖啡" not in page.text
    action = f"{GOODS}/{theirs}/archive"
    refused = shop.owner.post(action, data={"csrf_token": own_token(shop.owner, settings, action)})
    assert refused.status_code == 404
    assert "隔壁咖啡" not in shop.owner.get(GOODS, params={"q": "隔壁"}).text
    assert "在售" in other.owner.get(f"{GOODS}/{theirs}").text


def test_goods_forms_need_their_csrf_token(shop: Shop) -> None:
    item_id = _created(_new_item(shop, rows=[("标准", "TEA-1", "12", "")]))
    for action in (
        GOODS,
        f"{GOODS}/{item_id}",
        f"{GOODS}/{item_id}/variations",
        f"{GOODS}/{item_id}/archive",
    ):
        refused = shop.owner.post(action, data={"name": "x", "sku": "X-1", "price": "1"})
        assert refused.status_code == 403 and "页面已过期" in refused.text
    assert "在售" in shop.owner.get(f"{GOODS}/{item_id}").text
