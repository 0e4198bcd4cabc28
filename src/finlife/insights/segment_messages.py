"""The words of the segment pages: the rule form (facts, operators, how values are written, what is
wrong with a row), a segment's page and the channel mix of segments (zh-CN and en)."""

FACTS: dict[str, dict[str, str]] = {
    "ui.segment.fact.lifecycle": {"zh-CN": "生命周期", "en": "Lifecycle stage"},
    "ui.segment.fact.preferred_channel": {"zh-CN": "常用渠道", "en": "Preferred channel"},
    "ui.segment.fact.districts": {"zh-CN": "常去商圈", "en": "Usual districts"},
    "ui.segment.fact.rfm.r": {"zh-CN": "R 最近消费评分（1–5）", "en": "Recency score (1–5)"},
    "ui.segment.fact.rfm.f": {"zh-CN": "F 消费频次评分（1–5）", "en": "Frequency score (1–5)"},
    "ui.segment.fact.rfm.m": {"zh-CN": "M 消费金额评分（1–5）", "en": "Monetary score (1–5)"},
    "ui.segment.fact.payments_90d": {"zh-CN": "近 90 天消费笔数", "en": "Payments in 90 days"},
    "ui.segment.fact.recency_days": {"zh-CN": "距上次消费天数", "en": "Days since the last payment"},
    "ui.segment.fact.spend_30d": {"zh-CN": "近 30 天消费（元）", "en": "Spending in 30 days (yuan)"},
    "ui.segment.fact.spend_90d": {"zh-CN": "近 90 天消费（元）", "en": "Spending in 90 days (yuan)"},
    "ui.segment.fact.spend_30d_in": {
        "zh-CN": "近 30 天{category}消费（元）",
        "en": "Spending on {category} in 30 days (yuan)",
    },
    "ui.segment.fact.spend_90d_in": {
        "zh-CN": "近 90 天{category}消费（元）",
        "en": "Spending on {category} in 90 days (yuan)",
    },
    "ui.segment.op.eq": {"zh-CN": "等于", "en": "is"},
    "ui.segment.op.ne": {"zh-CN": "不等于", "en": "is not"},
    "ui.segment.op.gt": {"zh-CN": "大于", "en": "more than"},
    "ui.segment.op.gte": {"zh-CN": "不少于", "en": "at least"},
    "ui.segment.op.lt": {"zh-CN": "小于", "en": "less than"},
    "ui.segment.op.lte": {"zh-CN": "不超过", "en": "at most"},
    "ui.segment.op.in": {"zh-CN": "属于其中之一", "en": "is one of"},
    "ui.segment.op.contains": {"zh-CN": "包含", "en": "includes"},
    "ui.segment.joiner.all": {"zh-CN": " 且 ", "en": " and "},
    "ui.segment.joiner.any": {"zh-CN": " 或 ", "en": " or "},
    "ui.segment.not": {"zh-CN": "并非（{rule}）", "en": "not ({rule})"},
    "ui.segment.join.all": {"zh-CN": "满足全部条件", "en": "All of the conditions"},
    "ui.segment.join.any": {"zh-CN": "满足任一条件", "en": "Any of the conditions"},
    "ui.segment.join.none": {"zh-CN": "不满足其中任何条件", "en": "None of the conditions"},
}

FORM: dict[str, dict[str, str]] = {
    "ui.segment.new": {"zh-CN": "新建分群", "en": "New segment"},
    "ui.segment.new_title": {"zh-CN": "新建客户分群", "en": "New customer segment"},
    "ui.segment.new_lead": {
        "zh-CN": "选择指标、比较方式和取值来圈定客户；保存后点“重新计算”得到成员",
        "en": "Pick facts, how to compare them and values; refresh the segment after saving to find "
        "its members",
    },
    "ui.segment.name": {"zh-CN": "分群名称", "en": "Segment name"},
    "ui.segment.join": {"zh-CN": "条件之间", "en": "Customers who meet"},
    "ui.segment.condition": {"zh-CN": "条件 {n}", "en": "Condition {n}"},
    "ui.segment.fact": {"zh-CN": "指标", "en": "Fact"},
    "ui.segment.op": {"zh-CN": "比较", "en": "Comparison"},
    "ui.segment.value": {"zh-CN": "取值", "en": "Value"},
    "ui.segment.no_fact": {"zh-CN": "（不使用此条件）", "en": "(not used)"},
    "ui.segment.value_hint": {
        "zh-CN": "金额以元填写，如 500.00；生命周期和渠道填名称，如“流失预警”“手机银行”；"
        "“属于其中之一”用逗号分隔多个取值",
        "en": "Money in yuan, e.g. 500.00; stages and channels by name, e.g. “At risk”, “Mobile”; "
        "separate the values of “is one of” with commas",
    },
    "ui.segment.create": {"zh-CN": "保存分群", "en": "Save the segment"},
    "ui.segment.created": {"zh-CN": "分群已保存", "en": "The segment is saved"},
    "ui.segment.back": {"zh-CN": "返回客户分群", "en": "Back to segments"},
    "ui.segment.name_required": {"zh-CN": "请填写分群名称", "en": "Give the segment a name"},
    "ui.segment.name_too_long": {"zh-CN": "分群名称最多 {n} 个字", "en": "At most {n} characters"},
    "ui.segment.no_condition": {"zh-CN": "请至少选择一个条件", "en": "Choose at least one condition"},
    "ui.segment.fact_unknown": {"zh-CN": "请从列表中选择指标", "en": "Choose a fact from the list"},
    "ui.segment.op_unknown": {"zh-CN": "请从列表中选择比较方式", "en": "Choose a comparison from the list"},
    "ui.segment.value_hint.money": {
        "zh-CN": "请填写以元为单位的金额，最多两位小数，如 500.00",
        "en": "Write an amount in yuan with at most two decimals, e.g. 500.00",
    },
    "ui.segment.value_hint.number": {"zh-CN": "请填写整数", "en": "Write a whole number"},
    "ui.segment.value_hint.lifecycle": {
        "zh-CN": "请填写生命周期：新客户、活跃、流失预警或已流失",
        "en": "Write a stage: New, Active, At risk or Lapsed",
    },
    "ui.segment.value_hint.channel": {
        "zh-CN": "请填写渠道名称，如手机银行、网上银行、网点",
        "en": "Write a channel by name, e.g. Mobile, Web, Branch",
    },
    "ui.segment.value_hint.district": {"zh-CN": "请填写商圈名称", "en": "Write a district's name"},
    "ui.segment.rejected.segment_unknown_fact": {
        "zh-CN": "无法按这个指标分群",
        "en": "Segments cannot use this fact",
    },
    "ui.segment.rejected.segment_unknown_operator": {
        "zh-CN": "这个比较方式不可用",
        "en": "This comparison is not available",
    },
    "ui.segment.rejected.segment_bad_value": {
        "zh-CN": "这个取值不能用这种方式与该指标比较（例如文字不能比大小，“包含”只用于商圈）",
        "en": "This value cannot be compared with the fact this way (words have no order; "
        "“includes” is for districts only)",
    },
    "ui.segment.rejected.segment_bad_node": {
        "zh-CN": "条件不完整",
        "en": "The condition is incomplete",
    },
}

PAGES: dict[str, dict[str, str]] = {
    "ui.segment.no_segments_hint": {
        "zh-CN": "点“新建分群”按客户画像定义第一个分群",
        "en": "Use “New segment” to define the first one from customers' facts",
    },
    "ui.segment.about": {"zh-CN": "分群概况", "en": "About the segment"},
    "ui.segment.rule": {"zh-CN": "规则", "en": "Rule"},
    "ui.segment.mix_one": {"zh-CN": "成员的渠道结构", "en": "Its members' channels"},
    "ui.segment.mix_title": {"zh-CN": "各分群的渠道结构", "en": "Channel mix of each segment"},
    "ui.segment.mix_lead": {
        "zh-CN": "分群成员近 90 天在各渠道的交互次数及占比（截至上次计算）",
        "en": "Interactions of each segment's members per channel over 90 days, as of the last refresh",
    },
    "ui.segment.mix_export": {"zh-CN": "导出分群渠道结构 CSV", "en": "Export the segments' channels (CSV)"},
    "ui.segment.mix_empty": {
        "zh-CN": "成员近 90 天没有交互",
        "en": "No interactions of its members in 90 days",
    },
    "ui.segment.members_n": {"zh-CN": "{n} 人", "en": "{n} members"},
    "ui.segment.interactions": {"zh-CN": "交互次数", "en": "Interactions"},
    "ui.segment.share": {"zh-CN": "占比", "en": "Share"},
    "ui.segment.preferring": {"zh-CN": "以此为常用渠道的成员", "en": "Members preferring it"},
    "ui.segment.member_list": {"zh-CN": "分群成员", "en": "Members"},
    "ui.segment.member_name": {"zh-CN": "客户", "en": "Customer"},
    "ui.segment.no_members": {"zh-CN": "暂无成员", "en": "No members yet"},
    "ui.segment.no_members_hint": {
        "zh-CN": "重新计算后，符合规则的客户会出现在这里",
        "en": "Customers who meet the rule appear here after a refresh",
    },
    "ui.segment.pages": {"zh-CN": "成员分页", "en": "Pages of members"},
    "ui.segment.previous": {"zh-CN": "上一页", "en": "Previous"},
    "ui.segment.next": {"zh-CN": "下一页", "en": "Next"},
    "ui.segment.page_of": {"zh-CN": "第 {page} / {pages} 页", "en": "Page {page} of {pages}"},
    "ui.segment.csv.segment": {"zh-CN": "分群", "en": "Segment"},
    "ui.segment.csv.members": {"zh-CN": "人数", "en": "Members"},
    "ui.segment.csv.spend": {"zh-CN": "近 90 天消费（元）", "en": "Spending in 90 days (yuan)"},
    "ui.segment.csv.prefer": {"zh-CN": "常用{channel}的人数", "en": "Preferring {channel}"},
}

MESSAGES: dict[str, dict[str, str]] = FACTS | FORM | PAGES
