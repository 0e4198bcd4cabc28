"""The words of journeys, in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "thing.journey": {"zh-CN": "办理进度", "en": "journey"},
    "journey_step_unknown": {
        "zh-CN": "该流程没有“{step}”这一步",
        "en": "This journey has no step “{step}”",
    },
}
