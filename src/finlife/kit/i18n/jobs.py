"""Words of long work shown with progress: the job itself, its progress page, and the stages of a
settlement run, a reconciliation and the demo seeding."""

MESSAGES: dict[str, dict[str, str]] = {
    "thing.job": {"zh-CN": "任务", "en": "job"},
    "job_failed": {"zh-CN": "任务未能完成，请稍后再试", "en": "The job could not finish; please try again"},
    "job_interrupted": {
        "zh-CN": "任务已中断（运行它的服务进程已停止）；可续跑的任务会由另一节点接手，否则请重新开始",
        "en": "The job was interrupted (the server process running it stopped); another node takes over work that can resume, otherwise please start it again",
    },
    "job_attempts_exhausted": {
        "zh-CN": "任务已启动 {attempts} 次，每次运行它的节点都停止了，不再自动重试；请检查后重新开始",
        "en": "The job was started {attempts} times and each time the node running it stopped; it is no longer retried by itself: please check and start it again",
    },
    "ui.jobs.resuming": {
        "zh-CN": "原节点已停止，正在另一节点上继续…",
        "en": "The node running it stopped; resuming on another node…",
    },
    "ui.jobs.resumed": {
        "zh-CN": "已在另一节点上继续（第 {attempts} 次启动）",
        "en": "Resumed on another node (start {attempts})",
    },
    "ui.jobs.waiting_for_lease": {
        "zh-CN": "同一工作正在 {holder} 上运行，等待它结束或租约到期…",
        "en": "The same work runs on {holder}; waiting for it to end or for its lease to expire…",
    },
    # The progress page
    "ui.jobs.title": {"zh-CN": "后台任务", "en": "Background job"},
    "ui.jobs.progress": {"zh-CN": "进度", "en": "Progress"},
    "ui.jobs.line": {"zh-CN": "{done} / {total} — {stage}", "en": "{done} / {total} — {stage}"},
    "ui.jobs.starting": {"zh-CN": "正在开始…", "en": "Starting…"},
    "ui.jobs.leave_hint": {
        "zh-CN": "任务在后台进行，离开本页也不会中断；完成后本页会自动跳转到结果",
        "en": "The work goes on in the background, even if you leave; this page shows the result when it is done",
    },
    "ui.jobs.refresh": {"zh-CN": "刷新进度", "en": "Refresh"},
    "ui.jobs.failed": {"zh-CN": "未能完成", "en": "Not finished"},
    "ui.jobs.interrupted": {"zh-CN": "已中断", "en": "Interrupted"},
    "ui.jobs.done": {"zh-CN": "已完成", "en": "Done"},
    "ui.jobs.back": {"zh-CN": "返回", "en": "Back"},
    # A settlement run (the net positions page's settle action)
    "ui.jobs.kind.settlement": {"zh-CN": "日终结算", "en": "End-of-day settlement"},
    "ui.jobs.settle.merchants": {"zh-CN": "正在逐户结算商户…", "en": "Settling merchants one by one…"},
    "ui.jobs.settle.interbank": {"zh-CN": "正在清算各行净额…", "en": "Settling each bank's net position…"},
    "ui.jobs.settle.hint": {
        "zh-CN": "先逐户完成商户的 T+1 结算，再清算各行净额",
        "en": "Merchants are settled first (T+1), one by one; then each bank's net position",
    },
    "ui.jobs.settle.merchants_done": {
        "zh-CN": "商户结算：{merchants} 家商户，{statements} 张结算单，净额 {net}，手续费 {fees}",
        "en": "Merchants: {merchants} settled, {statements:plural:statement:statements}, net {net}, fees {fees}",
    },
    "ui.jobs.settle.held": {
        "zh-CN": "{count} 家商户的结算账户暂不可入账，下次结算时重试",
        "en": "{count:plural:merchant:merchants} held: their settlement account cannot take money now; the next run retries",
    },
    # A reconciliation
    "ui.jobs.kind.reconciliation": {"zh-CN": "对账", "en": "Reconciliation"},
    "ui.jobs.reconcile.reading": {"zh-CN": "正在读取文件…", "en": "Reading the file…"},
    "ui.jobs.reconcile.comparing": {
        "zh-CN": "正在逐笔比对 {count} 条记录…",
        "en": "Comparing {count:plural:item:items}…",
    },
    "ui.jobs.reconcile.parking": {
        "zh-CN": "正在将差错计入暂记账户…",
        "en": "Parking the exceptions in suspense…",
    },
    # Seeding the demo world (FINLIFE_DEMO_TOOLS)
    "ui.nav.demo": {"zh-CN": "演示数据", "en": "Demo data"},
    "ui.jobs.kind.demo": {"zh-CN": "生成演示数据", "en": "Seeding demo data"},
    "ui.demo.title": {"zh-CN": "演示数据", "en": "Demo data"},
    "ui.demo.lead": {
        "zh-CN": "通过服务层生成一个演示世界：客户及其账户、商户及门店、若干天的交易。仅供试用，切勿用于生产。",
        "en": "Seed a demo world through the service layer: customers with accounts, merchants with stores, days of trading. For trying finlife out; never in production.",
    },
    "ui.demo.customers": {"zh-CN": "客户数", "en": "Customers"},
    "ui.demo.merchants": {"zh-CN": "商户数", "en": "Merchants"},
    "ui.demo.days": {"zh-CN": "历史天数", "en": "Days of history"},
    "ui.demo.limits": {
        "zh-CN": "客户 {customers}，商户 {merchants}，天数 {days}（上限）",
        "en": "At most {customers} customers, {merchants} merchants, {days} days",
    },
    "ui.demo.seed": {"zh-CN": "生成演示数据", "en": "Seed the demo world"},
    "ui.demo.not_empty": {
        "zh-CN": "本行已有客户：演示数据只能生成在空库中（与 finlife demo 相同）",
        "en": "This bank has customers already: the demo world is seeded into an empty bank only (as finlife demo does)",
    },
    "ui.demo.number_invalid": {
        "zh-CN": "请填写 {low} 到 {high} 之间的整数",
        "en": "Enter a whole number from {low} to {high}",
    },
    "ui.demo.stage.customers": {"zh-CN": "正在开立客户和账户…", "en": "Opening customers and accounts…"},
    "ui.demo.stage.merchants": {"zh-CN": "正在开设商户和门店…", "en": "Opening merchants and stores…"},
    "ui.demo.stage.days": {"zh-CN": "正在生成历史交易…", "en": "Trading the days of history…"},
    "ui.demo.made": {"zh-CN": "演示数据已生成", "en": "The demo world is seeded"},
    "ui.demo.made_counts": {
        "zh-CN": "客户 {customers}，商户 {merchants}（门店 {stores}），订单 {orders}，历史 {days} 天",
        "en": "{customers} customers, {merchants} merchants ({stores} stores), {orders} orders, {days} days of history",
    },
    "ui.demo.sign_in": {
        "zh-CN": "客户 App /app：{phone}，柜员 /bank：{teller}，密码均为 {password}",
        "en": "Customer app /app: {phone}; bank console /bank: {teller}; password {password} for both",
    },
    "ui.demo.made_partners": {
        "zh-CN": "开放平台合作方 {partners} 家，授权 {consents} 项，调用记录 {calls} 条，Webhook 投递 {deliveries} 次",
        "en": "{partners} open-API partners, {consents} consents, {calls} calls logged, {deliveries} webhook deliveries",
    },
    "ui.demo.partner_sign_in": {
        "zh-CN": "合作方控制台 /partner（{name}）：client_id {client_id}，client_secret {secret}",
        "en": "Partner console /partner ({name}): client_id {client_id}, client_secret {secret}",
    },
}
