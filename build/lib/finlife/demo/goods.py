"""The demo's trades: what kind of shop (MCC), when it sells, and a hand-written menu at Shanghai
prices (fen). A merchant sells a selection of its trade's menu."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class Good:
    name: str
    category: str
    variations: tuple[tuple[str, int], ...]  # (variation name, price in fen)


@dataclass(frozen=True)
class Trade:
    key: str  # the merchant's and the stores' category
    mcc: str  # ISO 18245
    legal_suffix: str  # the company's legal form, after "上海{brand}"
    brands: tuple[str, ...]
    opening_hours: str
    shift: tuple[time, time]  # when the cashier opens and closes the drawer
    peaks: tuple[tuple[time, time], ...]  # when customers come
    orders_per_day: tuple[int, int]  # per store
    lines_per_order: tuple[int, int]
    stocked: bool  # packaged goods are counted; dishes cooked to order are not
    menu: tuple[Good, ...]


def _g(name: str, category: str, *variations: tuple[str, int]) -> Good:
    return Good(name, category, variations)


RESTAURANT = Trade(
    key="restaurant",
    mcc="5812",
    legal_suffix="餐饮管理有限公司",
    brands=("老弄堂", "沪味轩", "石库门人家", "福和里", "梧桐小馆", "阿娘家"),
    opening_hours="10:30-21:30",
    shift=(time(10, 15), time(21, 45)),
    peaks=((time(11, 0), time(13, 30)), (time(17, 0), time(20, 30))),
    orders_per_day=(2, 4),
    lines_per_order=(2, 5),
    stocked=False,
    menu=(
        _g("红烧肉", "热菜", ("份", 6800)),
        _g("糖醋小排", "热菜", ("份", 4800)),
        _g("油爆虾", "热菜", ("份", 8800)),
        _g("蟹粉豆腐", "热菜", ("份", 6800)),
        _g("八宝辣酱", "热菜", ("份", 4200)),
        _g("清炒时蔬", "热菜", ("份", 2200)),
        _g("腌笃鲜", "汤羹", ("小锅", 5800), ("大锅", 9800)),
        _g("熏鱼", "凉菜", ("份", 3800)),
        _g("白斩鸡", "凉菜", ("半只", 5800), ("整只", 9800)),
        _g("桂花糖藕", "凉菜", ("份", 2800)),
        _g("小笼包", "点心", ("6只", 2200), ("12只", 4000)),
        _g("葱油拌面", "主食", ("碗", 1800)),
        _g("白米饭", "主食", ("碗", 300)),
        _g("酸梅汤", "饮品", ("杯", 800), ("扎", 2800)),
        _g("黄酒", "饮品", ("瓶", 2800)),
    ),
)

HOTPOT = Trade(
    key="hotpot",
    mcc="5812",
    legal_suffix="餐饮管理有限公司",
    brands=("蜀香", "川渝老灶", "辣府", "巴蜀印象"),
    opening_hours="11:00-23:00",
    shift=(time(10, 45), time(23, 15)),
    peaks=((time(11, 30), time(13, 30)), (time(17, 30), time(22, 0))),
    orders_per_day=(1, 3),
    lines_per_order=(4, 7),
    stocked=False,
    menu=(
        _g("鸳鸯锅底", "锅底", ("标准", 4800)),
        _g("麻辣锅底", "锅底", ("标准", 3800)),
        _g("肥牛", "荤菜", ("半份", 3200), ("整份", 5800)),
        _g("毛肚", "荤菜", ("份", 4600)),
        _g("虾滑", "荤菜", ("半份", 2800), ("整份", 4800)),
        _g("鸭血", "荤菜", ("份", 1800)),
        _g("午餐肉", "荤菜", ("份", 1800)),
        _g("土豆片", "素菜", ("份", 1200)),
        _g("宽粉", "素菜", ("份", 1000)),
        _g("冻豆腐", "素菜", ("份", 1000)),
        _g("娃娃菜", "素菜", ("份", 1200)),
        _g("酸梅汤", "饮品", ("杯", 800), ("扎", 2800)),
        _g("啤酒", "饮品", ("瓶", 1200)),
        _g("米饭", "主食", ("碗", 300)),
    ),
)

FAST_FOOD = Trade(
    key="fast_food",
    mcc="5814",
    legal_suffix="餐饮有限公司",
    brands=("弄口面馆", "阿福生煎", "金记馄饨", "小林快餐", "好运盖浇饭"),
    opening_hours="06:30-20:00",
    shift=(time(6, 20), time(20, 10)),
    peaks=((time(7, 0), time(9, 0)), (time(11, 0), time(13, 0)), (time(17, 0), time(19, 30))),
    orders_per_day=(2, 5),
    lines_per_order=(1, 3),
    stocked=False,
    menu=(
        _g("红烧牛肉面", "面食", ("小碗", 2200), ("大碗", 2600)),
        _g("雪菜肉丝面", "面食", ("小碗", 1600), ("大碗", 2000)),
        _g("大排面", "面食", ("碗", 2400)),
        _g("生煎包", "点心", ("4只", 1000), ("8只", 1800)),
        _g("鲜肉馄饨", "点心", ("小碗", 1200), ("大碗", 1600)),
        _g("鱼香肉丝盖饭", "盖饭", ("份", 2200)),
        _g("宫保鸡丁盖饭", "盖饭", ("份", 2200)),
        _g("番茄炒蛋盖饭", "盖饭", ("份", 1800)),
        _g("炸猪排", "小食", ("块", 1200)),
        _g("咖喱牛肉汤", "汤", ("碗", 800)),
        _g("豆浆", "饮品", ("甜", 400), ("咸", 500)),
        _g("油条", "小食", ("根", 300)),
        _g("可乐", "饮品", ("中杯", 600), ("大杯", 800)),
    ),
)

CAFE = Trade(
    key="cafe",
    mcc="5814",
    legal_suffix="餐饮有限公司",
    brands=("梧桐咖啡", "街角咖啡馆", "慢时光咖啡", "豆子研究所", "一杯咖啡"),
    opening_hours="07:30-20:00",
    shift=(time(7, 15), time(20, 15)),
    peaks=((time(7, 45), time(10, 0)), (time(13, 30), time(16, 30))),
    orders_per_day=(2, 4),
    lines_per_order=(1, 2),
    stocked=False,
    menu=(
        _g("美式咖啡", "咖啡", ("中杯", 2200), ("大杯", 2600)),
        _g("拿铁", "咖啡", ("中杯", 2800), ("大杯", 3200), ("燕麦奶", 3400)),
        _g("卡布奇诺", "咖啡", ("中杯", 2800), ("大杯", 3200)),
        _g("馥芮白", "咖啡", ("标准", 3200)),
        _g("冷萃咖啡", "咖啡", ("标准", 3000)),
        _g("手冲单品", "咖啡", ("埃塞俄比亚", 3800), ("哥伦比亚", 3600)),
        _g("抹茶拿铁", "茶饮", ("中杯", 3000), ("大杯", 3400)),
        _g("热巧克力", "茶饮", ("中杯", 2600)),
        _g("可颂", "烘焙", ("原味", 1800), ("杏仁", 2200)),
        _g("芝士蛋糕", "甜点", ("块", 3200)),
        _g("提拉米苏", "甜点", ("块", 3600)),
        _g("三明治", "轻食", ("火腿芝士", 2800), ("金枪鱼", 2800)),
    ),
)

TEA = Trade(
    key="tea",
    mcc="5814",
    legal_suffix="餐饮有限公司",
    brands=("茶语时光", "半糖", "鲜果茶坊", "柠檬工坊"),
    opening_hours="10:00-22:00",
    shift=(time(9, 45), time(22, 15)),
    peaks=((time(12, 0), time(14, 0)), (time(15, 0), time(21, 0))),
    orders_per_day=(2, 4),
    lines_per_order=(1, 2),
    stocked=False,
    menu=(
        _g("珍珠奶茶", "奶茶", ("中杯", 1500), ("大杯", 1800)),
        _g("黑糖波波牛乳", "奶茶", ("中杯", 1800), ("大杯", 2100)),
        _g("杨枝甘露", "果茶", ("标准", 2200)),
        _g("芝士葡萄", "果茶", ("标准", 2500)),
        _g("多肉芒芒", "果茶", ("标准", 2400)),
        _g("柠檬茶", "果茶", ("中杯", 1600), ("大杯", 1900)),
        _g("茉莉绿茶", "纯茶", ("中杯", 1200), ("大杯", 1400)),
        _g("草莓奶昔", "奶昔", ("标准", 2200)),
        _g("烧仙草", "甜品", ("标准", 1600)),
        _g("红豆双皮奶", "甜品", ("标准", 1500)),
    ),
)

BAKERY = Trade(
    key="bakery",
    mcc="5462",
    legal_suffix="食品有限公司",
    brands=("麦香坊", "面包工坊", "晨光烘焙", "小麦田", "甜蜜时光"),
    opening_hours="07:00-21:00",
    shift=(time(6, 50), time(21, 10)),
    peaks=((time(7, 30), time(9, 30)), (time(16, 30), time(19, 30))),
    orders_per_day=(1, 4),
    lines_per_order=(1, 3),
    stocked=True,
    menu=(
        _g("菠萝包", "面包", ("个", 800)),
        _g("肉松面包", "面包", ("个", 1200)),
        _g("红豆面包", "面包", ("个", 900)),
        _g("牛角包", "面包", ("个", 1200)),
        _g("法棍", "面包", ("根", 1500)),
        _g("全麦吐司", "吐司", ("半条", 1200), ("整条", 2200)),
        _g("蛋挞", "西点", ("1只", 700), ("4只", 2600)),
        _g("巧克力麦芬", "西点", ("个", 1400)),
        _g("蝴蝶酥", "西点", ("盒", 3800)),
        _g("鲜肉月饼", "中式点心", ("个", 600), ("6个装", 3500)),
        _g("奶油蛋糕", "蛋糕", ("6寸", 16800), ("8寸", 22800)),
        _g("酸奶", "饮品", ("瓶", 1000)),
    ),
)

GROCERY = Trade(
    key="grocery",
    mcc="5411",
    legal_suffix="超市有限公司",
    brands=("鲜丰", "邻家生鲜", "百味鲜", "惠民", "田园"),
    opening_hours="08:00-22:00",
    shift=(time(7, 45), time(22, 15)),
    peaks=((time(8, 0), time(10, 0)), (time(16, 30), time(20, 0))),
    orders_per_day=(1, 4),
    lines_per_order=(2, 6),
    stocked=True,
    menu=(
        _g("东北大米", "粮油", ("5kg", 3990), ("10kg", 7590)),
        _g("菜籽油", "粮油", ("5L", 6990)),
        _g("挂面", "粮油", ("1kg", 890)),
        _g("生抽酱油", "调味", ("500ml", 1250)),
        _g("鸡蛋", "蛋奶", ("10枚", 1280), ("30枚", 3480)),
        _g("鲜牛奶", "蛋奶", ("1L", 1680)),
        _g("富士苹果", "水果", ("500g", 990)),
        _g("香蕉", "水果", ("500g", 690)),
        _g("上海青", "蔬菜", ("500g", 450)),
        _g("西红柿", "蔬菜", ("500g", 590)),
        _g("老豆腐", "豆制品", ("块", 350)),
        _g("猪里脊", "肉禽", ("500g", 1880)),
        _g("鲜虾", "水产", ("500g", 4980)),
        _g("卷纸", "日用", ("10卷", 2990)),
    ),
)

CONVENIENCE = Trade(
    key="convenience",
    mcc="5499",
    legal_suffix="商贸有限公司",
    brands=("街坊便利", "星光便利", "晨曦便利", "弄堂口便利"),
    opening_hours="00:00-24:00",
    shift=(time(6, 30), time(23, 30)),
    peaks=((time(7, 0), time(9, 0)), (time(11, 30), time(13, 0)), (time(18, 0), time(23, 0))),
    orders_per_day=(2, 5),
    lines_per_order=(1, 3),
    stocked=True,
    menu=(
        _g("矿泉水", "饮料", ("550ml", 200), ("1.5L", 450)),
        _g("现煮咖啡", "饮料", ("热", 900), ("冰", 1000)),
        _g("酸奶", "乳品", ("瓶", 750)),
        _g("饭团", "鲜食", ("金枪鱼", 650), ("照烧鸡", 700)),
        _g("三明治", "鲜食", ("标准", 1280)),
        _g("便当", "鲜食", ("鸡腿饭", 2200), ("咖喱饭", 2000)),
        _g("关东煮", "热食", ("3串", 900), ("5串", 1400)),
        _g("茶叶蛋", "热食", ("个", 200)),
        _g("方便面", "零食", ("桶", 550)),
        _g("薯片", "零食", ("袋", 850)),
        _g("口香糖", "零食", ("瓶", 1000)),
        _g("纸巾", "日用", ("包", 300)),
    ),
)

# Restaurant first: the demo's first merchant (whose owner login is printed) is a restaurant.
TRADES = (RESTAURANT, CAFE, FAST_FOOD, CONVENIENCE, GROCERY, BAKERY, TEA, HOTPOT)
