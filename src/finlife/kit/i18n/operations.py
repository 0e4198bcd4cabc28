"""Words of running finlife: why a node is not ready for traffic (``/readyz``), and the leases of
scheduled work."""

MESSAGES: dict[str, dict[str, str]] = {
    "not_ready_starting": {
        "zh-CN": "节点正在启动，尚不能接收请求",
        "en": "This node is starting and cannot take requests yet",
    },
    "not_ready_start_failed": {
        "zh-CN": "节点未能启动，请查看其日志",
        "en": "This node could not start; see its log",
    },
    "not_ready_database": {
        "zh-CN": "节点无法连接数据库",
        "en": "This node cannot reach its database",
    },
    "not_ready_schema": {
        "zh-CN": "数据库结构版本为 {current}，本节点的代码需要 {head}",
        "en": "The database schema is at {current}; this node's code needs {head}",
    },
    "lease_lost": {
        "zh-CN": "另一节点已接手这项工作（本节点未能按时续租），本节点已停止",
        "en": "Another node took this work over (this one did not renew its lease in time); it stopped here",
    },
}
