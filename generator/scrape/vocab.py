"""The page vocabulary, as data: section labels (en and zh-cn) and documented type names.

One place for every word the scraper recognises, so a new label on the site is a one-line change.
"""

from __future__ import annotations

import re
from typing import Final

from generator.ir.model import Kind

# Canonical section label -> the spellings seen on the site (English and zh-cn chrome).
LABELS: Final[dict[str, tuple[str, ...]]] = {
    "skip": ("Skip to main content", "跳转到主要内容"),
    "availability": ("Execution Availability", "调试可用性"),
    "try": ("Try It Out", "在线调试"),
    "try_hint": (
        "Submit a mock request using the current auth context and example-driven inputs.",
        "使用当前认证信息和示例参数提交 Mock 请求。",
    ),
    "request": ("Request Inputs", "请求参数"),
    "path": ("Path Parameters", "路径参数"),
    "query": ("Query Parameters", "查询参数"),
    "body": ("Body Fields", "请求体字段"),
    "headers": ("Header Parameters", "Request Headers", "Headers", "请求头", "请求头参数"),
    "no_params": ("This API requires no request parameters.", "此 API 无需请求参数。"),
    "responses": ("Responses", "响应状态"),
    "tree_hint": ("On success, this API returns the following response structure.", "该 API 成功时返回以下响应结构。"),
    "empty_hint": ("On success, this API returns an empty JSON object {}.", "该 API 成功时返回空 JSON 对象 {}。"),
    "delete_hint": (
        "DELETE endpoints return an empty object on success, or a standard error structure on failure.",
        "DELETE 接口成功时返回空对象，失败时返回标准错误结构。",
    ),
    "success": ("Success Response", "成功响应"),
    "error": ("Error Response", "错误响应"),
    "endpoint": ("Endpoint", "请求地址"),
    "operation_id": ("Operation ID", "操作 ID", "操作ID"),
    "permalink": ("Permalink", "永久链接"),
    "request_example": ("Request Example", "请求示例"),
    "response_example": ("Response Example", "响应示例"),
    "history": ("Change History", "变更历史"),
    "history_none": ("This API has no change history records yet.", "此 API 暂无变更历史记录。"),
    "history_all": ("View all change history", "查看全部变更历史"),
    # The newer layout (one real page so far) puts labelled values on their own lines.
    "since": ("Since", "起始版本"),
    "mode": ("Execution Mode", "执行模式"),
    "auth_context": ("Auth Context", "认证上下文"),
    "headers_hint": ("Send these values as request headers when calling this API.",),
}

LABEL_OF: Final[dict[str, str]] = {
    spelling.casefold(): label for label, spellings in LABELS.items() for spelling in spellings
}

# Labels that may be glued after JSON on the flat rendering: `{}Error Response`, `}Endpoint`.
GLUABLE: Final[tuple[str, ...]] = tuple(
    s for key in ("error", "endpoint", "history", "request_example", "response_example", "success") for s in LABELS[key]
)

# Labels the newer layout may glue after the endpoint path: `.../{uuid}Operation ID`.
AFTER_PATH: Final[tuple[str, ...]] = tuple(
    s
    for key in ("operation_id", "permalink", "request_example", "response_example", "since", "mode", "history")
    for s in LABELS[key]
)

REQUIRED_WORDS: Final[tuple[str, ...]] = ("Required", "必填")
OPTIONAL_PREFIXES: Final[tuple[str, ...]] = ("Optional. ", "Optional.", "可选。", "可选.")
VALID_VALUES_PREFIXES: Final[tuple[str, ...]] = ("Valid values:", "Valid values：", "可选值：", "可选值:")
HTTP_METHODS: Final[tuple[str, ...]] = ("DELETE", "PATCH", "POST", "HEAD", "GET", "PUT")
SYNC_WORDS: Final[dict[str, bool]] = {"Synchronous": False, "Asynchronous": True, "同步": False, "异步": True}
AUTH_WORDS: Final[dict[str, bool]] = {
    "No Auth Required": False,
    "Auth Required": True,
    "无需认证": False,
    "需要认证": True,
}

# Documented type name -> normalized kind. Class names not listed here are named types.
TYPE_KINDS: Final[dict[str, Kind]] = {
    "String": Kind.STRING,
    "string": Kind.STRING,
    "char": Kind.STRING,
    "Character": Kind.STRING,
    "int": Kind.INTEGER,
    "Integer": Kind.INTEGER,
    "integer": Kind.INTEGER,
    "long": Kind.INTEGER,
    "Long": Kind.INTEGER,
    "short": Kind.INTEGER,
    "Short": Kind.INTEGER,
    "BigInteger": Kind.INTEGER,
    "double": Kind.NUMBER,
    "Double": Kind.NUMBER,
    "float": Kind.NUMBER,
    "Float": Kind.NUMBER,
    "BigDecimal": Kind.NUMBER,
    "number": Kind.NUMBER,
    "boolean": Kind.BOOLEAN,
    "Boolean": Kind.BOOLEAN,
    "Timestamp": Kind.TIMESTAMP,
    "Date": Kind.TIMESTAMP,
    "byte[]": Kind.BYTES,
    "List": Kind.LIST,
    "ArrayList": Kind.LIST,
    "Set": Kind.LIST,
    "HashSet": Kind.LIST,
    "Collection": Kind.LIST,
    "array": Kind.LIST,
    "Map": Kind.MAP,
    "HashMap": Kind.MAP,
    "LinkedHashMap": Kind.MAP,
    "TreeMap": Kind.MAP,
    "Object": Kind.OBJECT,
    "object": Kind.OBJECT,
    "JSONObject": Kind.MAP,
}

# Longest first, so `LinkedHashMap` wins over `Map` when splitting glued text.
TYPE_NAMES_BY_LENGTH: Final[tuple[str, ...]] = tuple(sorted(TYPE_KINDS, key=len, reverse=True))

IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.\-]*")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*(?:\[\])?")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def kind_of(type_name: str) -> Kind:
    """The normalized kind of a documented type name; unknown class names are NAMED."""
    if type_name in TYPE_KINDS:
        return TYPE_KINDS[type_name]
    generic = re.match(r"(List|Set|Map|ArrayList|HashMap|LinkedHashMap)<", type_name)
    if generic:
        return TYPE_KINDS[generic.group(1)]
    return Kind.NAMED


def label_of(text: str) -> str | None:
    return LABEL_OF.get(text.strip().casefold())
