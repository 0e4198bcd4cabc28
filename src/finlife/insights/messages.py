"""The words of insights: its error codes, the view's and the segments' pages (zh-CN and en)."""

MESSAGES: dict[str, dict[str, str]] = {
    "segment_unknown_fact": {
        "zh-CN": "分群规则 {path} 处的指标未知",
        "en": "The segment rule names an unknown fact at {path}",
    },
    "segment_unknown_operator": {
        "zh-CN": "分群规则 {path} 处的运算符未知",
        "en": "The segment rule uses an unknown operator at {path}",
    },
    "segment_bad_value": {
        "zh-CN": "分群规则 {path} 处的取值不能与该指标比较",
        "en": "The value at {path} cannot be compared with its fact",
    },
    "segment_bad_node": {
        "zh-CN": "分群规则 {path} 处应为 all、any、not 或一个条件",
        "en": "The segment rule at {path} must be all, any, not or a condition",
    },
    "view_reason_required": {
        "zh-CN": "工作人员查看客户全景视图须说明原因",
        "en": "Staff must give a reason to open a customer's view",
    },
    "timeline_cursor_invalid": {
        "zh-CN": "时间线游标无效",
        "en": "The timeline cursor is not valid",
    },
}
