"""Small hand-made pages in the bulleted layout: clean ones, and helpers to break them one way.

Each clean page is consistent in every respect the linter checks (fields, curl, example), so a
test that breaks one thing expects exactly one rule.
"""

from __future__ import annotations

from pathlib import Path

from generator.ir.model import Endpoint
from generator.lint import Finding, lint_endpoint, lint_paths
from generator.scrape import scrape_page_file

_CHROME = """Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs."""

_HISTORY = """Change History

This API has no change history records yet.

View all change history"""

CLEAN_PUT = f"""Skip to main content
Resource Center/Hardware/Zone Operations
PUTZone OperationsSince 0.6SynchronousAuth Required

ChangeZoneState

ChangeZoneState

{_CHROME}

Path Parameters

Request Inputs

Path Parameters

  • uuidStringRequired

    The zone UUID.

Body Fields

  • changeZoneStateObjectRequired

    Request body object.

    • stateEventStringRequired

      The state event. Options: enable | disable.

  • systemTagsList

    Optional. The system tags.

Responses

200 OK

On success, this API returns the following response structure.

  • successbooleanRequired

    Whether the operation succeeded.

  • inventoryZoneInventoryRequired

    See inventory.

    • uuidStringRequired

      The resource UUID.

    • stateStringRequired

      The state.

    • createDateTimestampRequired

      The creation date.

    • capacityLongRequired

      The capacity.

Endpoint

PUT/zstack/v1/zones/{{uuid}}/actions

/zstack/v1/zones/{{uuid}}/actions

Operation ID

ChangeZoneState

Permalink

Request Example

curl -X PUT 'http://{{host}}/zstack/v1/zones/{{uuid}}/actions' -H 'Authorization: OAuth {{sessionUuid}}' \
-H 'Content-Type: application/json;charset=UTF-8' \
-d '{{"changeZoneState":{{"stateEvent":"<stateEvent>"}},"systemTags":["<systemTags>"]}}'

Response Example

200
{{ "success": true, "inventory": {{ "uuid": "b3c0ffee00000000000000000000abcd", "state": "Enabled", \
"createDate": "Nov 14, 2017 10:20:57 PM", "capacity": 1.0E10 }} }}

{_HISTORY}""".replace(" \\\n", " ")

CLEAN_GET = f"""Skip to main content
Resource Center/Hardware/Zone Operations
GETZone OperationsSince 0.6SynchronousAuth Required

GetZoneCapacity

GetZoneCapacity

{_CHROME}

Query Parameters

Request Inputs

Query Parameters

  • zoneUuidStringRequired

    The zone UUID.

  • allboolean

    Optional. Whether to count every zone.

  • systemTagsList

    Optional. The system tags.

Responses

200 OK

On success, this API returns the following response structure.

  • totalCapacityLongRequired

    The total capacity.

Endpoint

GET/zstack/v1/zones/capacities

/zstack/v1/zones/capacities

Operation ID

GetZoneCapacity

Permalink

Request Example

curl -X GET 'http://{{host}}/zstack/v1/zones/capacities?zoneUuid=<zoneUuid>&all=<all>&systemTags=<systemTags>' \
-H 'Authorization: OAuth {{sessionUuid}}'

Response Example

200
{{ "totalCapacity": 8.589934592E9 }}

{_HISTORY}""".replace(" \\\n", " ")

CLEAN_DELETE = (
    CLEAN_GET.replace("GETZone Operations", "DELETEZone Operations")
    .replace("GET/zstack", "DELETE/zstack")
    .replace("curl -X GET", "curl -X DELETE")
)


def write(tmp_path: Path, text: str, name: str = "Page.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def findings_of(tmp_path: Path, text: str, name: str = "Page.txt") -> list[Finding]:
    return lint_paths([write(tmp_path, text, name)])


def rules_of(tmp_path: Path, text: str, *, infos: bool = False) -> set[str]:
    """The rules a page trips (warnings and errors; info too when asked)."""
    return {f.rule for f in findings_of(tmp_path, text) if infos or f.severity.value != "info"}


def endpoint_of(tmp_path: Path, text: str) -> Endpoint:
    result = scrape_page_file(write(tmp_path, text))
    assert isinstance(result, Endpoint), result
    return result


def endpoint_rules(endpoint: Endpoint) -> set[str]:
    return {f.rule for f in lint_endpoint(endpoint)}
