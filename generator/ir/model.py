"""The intermediate representation (IR): the contract between every stage.

Scrapers produce it, the OpenAPI exporter, the SDK renderer, the differ and the
linter consume it. Everything a page said is kept as shown; where the docs are
known to be wrong the repaired value sits beside it with a `Repair` saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from generator import __version__

IR_VERSION = "1.2.0"  # 1.1: element_source on list parameters and fields; 1.2: family, inferences, not_shown


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Source(_Model):
    """Where on a page something was read: for error messages and lint reports."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class Kind(StrEnum):
    """The normalized kind of a documented type (`Integer`, `long` and `int` are all INTEGER)."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    BYTES = "bytes"
    LIST = "list"
    MAP = "map"
    OBJECT = "object"  # an object whose fields the page shows (children) or a registry type
    ENUM = "enum"  # a Java enum; its constants are the children / NamedType.enum_values
    NAMED = "named"  # a class name whose shape no page shows
    ANY = "any"


class Location(StrEnum):
    PATH = "path"
    QUERY = "query"
    BODY = "body"  # inside the body wrapper object
    BODY_TOP = "body-top"  # top level of the JSON body (systemTags, userTags, ...)


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


class Diagnostic(_Model):
    """An anomaly noticed on a page (warning) or a reason a page was left out (error)."""

    severity: Severity = Severity.WARNING
    code: str
    message: str
    source: Source

    def __str__(self) -> str:
        return f"{self.source}: {self.severity.value}: {self.message} [{self.code}]"


class Repair(_Model):
    """A documented value replaced by what the server really expects."""

    rule: str  # stable id, e.g. "lowercase-wrapper"
    target: str  # what was repaired, e.g. "body.wrapper" or "param:conditions"
    shown: JsonValue
    repaired: JsonValue
    reason: str
    source: Source | None = None


class Inference(_Model):
    """A value the page does not show, supplied where ZStack's conventions make it certain (the standard
    parameters of a Query API, the API name in a `Title (Name)` heading) or taken from another page of
    the same API (`family-merge`). Nothing is inferred without a rule saying why."""

    rule: str  # stable id, e.g. "query-standard-params"
    target: str  # what was inferred, e.g. "operation_id", "param:limit", "since"
    value: JsonValue
    reason: str
    source: Source | None = None


class ElementSource(_Model):
    """Why a list's element type is what it is: the rule that decided it and where the page said so.

    Rules (`generator/scrape/elements.py`): `documented` (`List<String>`), `request-example` (the curl
    body's elements), `curl-placeholder` (`["<systemTags>"]` for a name that reads as text), `uuid-name`
    (`l3NetworkUuids`), `query-string` (a query value is text), `field-tree` (children name the
    element's fields), `response-example` (the example's elements), `see-reference` ("See X." naming a
    registry type), `registry-shape` (children matching a registry type's fields), `registry-merge`
    (another page's description of the same type field)."""

    rule: str
    detail: str = ""  # what was read, e.g. `["<systemTags>"]` or `See VmNicInventory.`
    source: Source | None = None


class Param(_Model):
    name: str
    wire_name: str | None = None  # the name the server reads, when it differs (`q` for `conditions`)
    type: str  # as documented: "String", "List", "long", "IpRangeType", ...
    kind: Kind
    element_type: str | None = None
    element_source: ElementSource | None = None  # why `element_type` (None: documented or not known)
    required: bool = False
    # False when the page does not say (a Dev Guide row whose Chinese description carries no `Optional.`
    # marker); `required` is then the family's default, unmarked = required, or a convention's (`Inference`)
    required_shown: bool = True
    description: str = ""  # as shown, without the "Optional. " prefix
    location: Location  # where it travels on the wire (repaired)
    shown_location: Location | None = None  # the page's section, when it differs from `location`
    valid_values: list[str] = Field(default_factory=list)
    children: list[Param] = Field(default_factory=list)
    inferred: bool = False  # not shown on the page: supplied by a rule (an `Inference` of the endpoint says which)
    source: Source | None = None


class Body(_Model):
    """The JSON body: the wrapper object holding `params`, plus top-level fields."""

    wrapper: str | None = None  # the key the server expects (repaired)
    shown_wrapper: str | None = None  # the key as the page shows it
    wrapper_required: bool = True
    wrapper_description: str = ""
    params: list[Param] = Field(default_factory=list)  # inside the wrapper
    top_level: list[Param] = Field(default_factory=list)
    source: Source | None = None


class ResponseField(_Model):
    name: str
    type: str
    kind: Kind
    element_type: str | None = None
    element_type_inferred: bool = False  # not documented: a rule decided it (`element_source`)
    element_source: ElementSource | None = None
    ref: str | None = None  # name in IR.types when the shape is a registry type
    description: str = ""
    required_label: bool = True  # what the page says; never to be trusted
    recursive: bool = False  # a type already on the path, shown without children
    enum_values: list[str] = Field(default_factory=list)
    children: list[ResponseField] = Field(default_factory=list)
    source: Source | None = None


ResponseBlock = Literal["tree", "empty-object", "delete", "none"]


class Example(_Model):
    """A response example (or the DELETE success / error block)."""

    status: int | None = None
    raw: str
    parsed: JsonValue = None
    parse_error: str | None = None
    source: Source | None = None


class Response(_Model):
    status: int = 200
    block: ResponseBlock = "none"
    fields: list[ResponseField] = Field(default_factory=list)
    error_example: Example | None = None


class RequestExample(_Model):
    """The curl line, parsed."""

    raw: str
    method: str | None = None
    url: str | None = None
    path: str | None = None
    query: list[tuple[str, str]] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)
    body_raw: str | None = None
    body: JsonValue = None
    parse_error: str | None = None
    source: Source | None = None


class Endpoint(_Model):
    operation_id: str
    title: str
    description: str = ""  # the page's summary (HTML meta description), when it has one
    breadcrumb: list[str] = Field(default_factory=list)  # as shown (Chinese on zh-cn pages)
    group: str
    method: str
    path: str  # template, e.g. /zstack/v1/vm-instances/{uuid}/actions (no query string); "" when the page
    # was cut before its endpoint (a `no-endpoint` warning says so): such operations cannot be called
    shown_path: str | None = None  # the endpoint as shown, when it differs from `path`
    since: str | None = None
    documented_async: bool | None = None  # the page's label: never to be trusted
    documented_auth: bool | None = None
    is_query: bool = False
    lang: Literal["en", "zh-cn"] = "en"
    family: Literal["explorer", "devguide"] = "explorer"  # the API explorer, or the older Dev Guide / API reference
    layout: str = "bulleted"  # explorer: bulleted | flat | html | newer; devguide: devguide-html | devguide-text
    # What the page's family cannot show, so that its absence is no statement: `async` (no Dev Guide page
    # says sync or async), `query-params` (Dev Guide Query APIs list no parameters). The differ skips these.
    not_shown: list[str] = Field(default_factory=list)
    path_params: list[Param] = Field(default_factory=list)
    query_params: list[Param] = Field(default_factory=list)
    body: Body | None = None
    response: Response = Field(default_factory=Response)
    request_example: RequestExample | None = None
    response_example: Example | None = None
    repairs: list[Repair] = Field(default_factory=list)
    inferences: list[Inference] = Field(default_factory=list)
    warnings: list[Diagnostic] = Field(default_factory=list)
    source: Source

    def all_params(self) -> Iterator[Param]:
        """Every request parameter in page order: path, query, wrapped body, top-level body."""
        yield from self.path_params
        yield from self.query_params
        if self.body is not None:
            yield from self.body.params
            yield from self.body.top_level


class NamedType(_Model):
    """A class shown on one or more pages (VmCdRomInventory, ErrorCode, SdnControllerStatus)."""

    name: str
    kind: Literal["object", "enum"]
    fields: list[ResponseField] = Field(default_factory=list)  # nested named types by `ref`
    enum_values: list[str] = Field(default_factory=list)
    used_by: list[str] = Field(default_factory=list)  # operation ids
    sources: list[Source] = Field(default_factory=list)


class IR(_Model):
    ir_version: str = IR_VERSION
    generator: str = f"sdkgen {__version__}"  # the version that wrote it (package metadata)
    endpoints: list[Endpoint] = Field(default_factory=list)
    types: dict[str, NamedType] = Field(default_factory=dict)
    diagnostics: list[Diagnostic] = Field(default_factory=list)  # type conflicts, pages left out

    def callable_endpoints(self) -> list[Endpoint]:
        """Endpoints with a known method and path: what SDKs and OpenAPI can describe."""
        return [ep for ep in self.endpoints if ep.path]

    def endpoint(self, operation_id: str) -> Endpoint:
        for ep in self.endpoints:
            if ep.operation_id == operation_id:
                return ep
        raise KeyError(operation_id)
