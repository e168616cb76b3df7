"""Hand-made pages in the layouts of the live site that the corpus does not render
(read off real pages: ../reference/real-site-layouts.md), kept here as data for the tests."""

NEWER_LAYOUT = """UnsubscribeEvent
UnsubscribeEvent
DELETE
/zstack/v1/zwatch/events/subscriptions/{uuid}
Operation ID
UnsubscribeEvent
Since
3.6.0
Execution Mode
Synchronous
Auth Context
Auth Required
Send these values as request headers when calling this API.
AuthorizationstringRequiredBearer Token
X-Tenant-IDstringX-Tenant-ID
Request Inputs
application/jsonPath Parameters
uuidStringRequiredThe resource UUID.
Body Fields
deleteModeStringOptional. The delete mode.
Responses
200 OKDELETE endpoints return an empty object on success, or a standard error structure on failure.
Success Response
{}Error Response
{"error":{"code":"SYS.1001","description":"A message or a operation timeout","details":"Delete resource timeout after 300s"}}
"""

TRUNCATED = """Skip to main content
Resource Center/Resource Pool/VM Instance Operations
PUTVM Instance OperationsSince 0.6SynchronousAuth Required

StartVmInstance

StartVmInstance

Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs.

Path Parameters

Request Inputs

Path Parameters

  • uuidStringRequired

    The VM instance UUID.

Body Fields

  • startvminstanceObjectRequired

    startvminstance request body object.

    • clusterUuidString

      Optional. The cluster UUID.

    • hostUuidString

      Optional. The ho"""

BUGGY_BULLETED = """Skip to main content
Platform O&M/Cloud Monitoring/Monitoring and Alarm/SNS/ZWatch Operations/Alarm Operations
PUTAlarm OperationsSince 3.10.0SynchronousAuth Required

UpdateAlarm

UpdateAlarm

Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs.

Path Parameters

Request Inputs

Path Parameters

  • uuidStringRequired

    The resource UUID.

Body Fields

  • updatealarmObjectRequired

    updatealarm request body object.

    • repeatCountInteger

      Optional. The repeat count.

    • repeatCountInteger

      Optional. The repeat count.

  • systemTagsList

    Optional. The system tags.

Responses

200 OK

On success, this API returns the following response structure.

  • inventoryAlarmInventoryRequired

    Seeinventory.

    • uuidStringRequired

      The resource UUID.

    • typestateRequired

      状态。

    • statusAlarmStatusRequired

      The status.

      • OKAlarmStatusRequired

        OK.

      • AlarmAlarmStatusRequired

        Alarm.

Endpoint

PUT/zstack/v1/zwatch/alarms/6e1a3bdbe38045658546a6b7fb3df990/actions?

/zstack/v1/zwatch/alarms/6e1a3bdbe38045658546a6b7fb3df990/actions?

Operation ID

UpdateAlarm

Permalink

Request Example

curl -X PUT 'http://{host}/zstack/v1/zwatch/alarms/{uuid}/actions' -H 'Authorization: OAuth {sessionUuid}' -H 'Content-Type: application/json;charset=UTF-8' -d '{"updatealarm":{"repeatCount":1},"systemTags":["<systemTags>"]}'

Response Example

200
{ "inventory": { "uuid": "a", "type": "x" } } }

Change History

This API has no change history records yet.

View all change history"""

TWO_WRAPPERS_FLAT = """Resource Center/Hardware/Primary Storage Operations
PUTPrimary Storage OperationsSince 2.4.0SynchronousAuth Required
PrimaryStorageMigrateVm
PrimaryStorageMigrateVm
Execution Availability
Try It Out
Submit a mock request using the current auth context and example-driven inputs.
Request Inputs
Body Fields
primarystoragemigratevmObjectRequiredprimarystoragemigratevm request body object.
vmInstanceUuidStringRequiredThe VM instance UUID.
dstPrimaryStorageUuidStringRequiredThe destination primary storage UUID.
systemTagsListOptional. The system tags.
userTagsListOptional. The user tags.
Responses
Endpoint
PUT/zstack/v1/primary-storage/vm-instances/actions
/zstack/v1/primary-storage/vm-instances/actions
Request Example
curl -X PUT 'http://{host}/zstack/v1/primary-storage/vm-instances/actions' -H 'Authorization: OAuth {sessionUuid}' -H 'Content-Type: application/json;charset=UTF-8' -d '{"primarystoragemigratevm":{"vmInstanceUuid":"<vmInstanceUuid>","dstPrimaryStorageUuid":"<dstPrimaryStorageUuid>"},"systemTags":["<systemTags>"],"userTags":["<userTags>"]}'
Response Example
200{}Change History
This API has no change history records yet.
"""

GET_WITH_WRAPPER = """Skip to main content
Operations Management/Tenant Management (Plus)/Organization Operations
GETOrganization OperationsSince 3.2.0SynchronousAuth Required

UpdateOrganizationQuota

UpdateOrganizationQuota

Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs.

Request Inputs

Body Fields

  • updateorganizationquotaObjectRequired

    updateorganizationquota request body object.

    • identityUuidStringRequired

      The identity UUID.

    • valueLongRequired

      The value.

Responses

200 OK

On success, this API returns an empty JSON object {}.

Endpoint

GET/zstack/v1/iam2/organizations/quotas/actions

/zstack/v1/iam2/organizations/quotas/actions

Request Example

curl -X GET 'http://{host}/zstack/v1/iam2/organizations/quotas/actions' -H 'Authorization: OAuth {sessionUuid}' -H 'Content-Type: application/json;charset=UTF-8' -d '{"updateorganizationquota":{"identityUuid":"<identityUuid>","value":1}}'

Response Example

200
{}

Change History

This API has no change history records yet."""

NO_PARAMS_WITH_PATH_VAR = """Skip to main content
Resource Center/Network Resource/L2 Network Operations
PUTL2 Network OperationsSince 0.6SynchronousAuth Required

UpdateL2Network

UpdateL2Network

Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs.

Request Inputs

This API requires no request parameters.

Responses

200 OK

On success, this API returns an empty JSON object {}.

Endpoint

PUT/zstack/v1/l2-networks/{uuid}/actions

/zstack/v1/l2-networks/{uuid}/actions

Request Example

curl -X PUT 'http://{host}/zstack/v1/l2-networks/{uuid}/actions' -H 'Authorization: OAuth {sessionUuid}'

Response Example

200
{}

Change History

This API has no change history records yet."""

# The same page as the corpus HTML of CreateVmCdRom, in other markup: no classes, other tags,
# a definition-list header, description rows as divs, table-free. Same structure -> same IR.
VARIANT_HTML = """<!doctype html><html lang="en"><head><title>x</title>
<link rel="canonical" href="https://docs.example.com/explorer/CreateVmCdRom/"></head>
<body><header><nav aria-label="Main"><ul><li><a href="/">Home</a></li></ul></nav></header>
<aside><ul><li><a href="./CreateVmInstance">CreateVmInstance</a></li><li><a href="./X">X</a></li></ul></aside>
<div role="main"><div aria-label="breadcrumbs" role="navigation">
<nav aria-label="Breadcrumb trail"><ol><li><a>Resource Center</a></li><li><a>Resource Pool</a></li>
<li><span>VM Instance Operations</span></li></ol></nav></div>
<div><b>POST</b><i>VM Instance Operations</i><em>Since 3.3.0</em><em>Synchronous</em><em>Auth Required</em></div>
<h1>CreateVmCdRom</h1><div>CreateVmCdRom</div>
<h2>Execution Availability</h2><h4>Try It Out</h4><div>Submit a mock request using the current auth context and example-driven inputs.</div>
<h2>Request Inputs</h2><h4>Body Fields</h4>
<ol><li><code>params</code><kbd>Object</kbd><strong>Required</strong><div>Request body parameter object.</div>
 <ol><li><code>name</code><kbd>String</kbd><strong>Required</strong><div>The VM CD-ROM name.</div></li>
 <li><code>vmInstanceUuid</code><kbd>String</kbd><strong>Required</strong><div>The UUID of the VM instance.</div></li>
 <li><code>isoUuid</code><kbd>String</kbd><div>Optional. The ISO UUID.</div></li></ol></li>
<li><code>systemTags</code><kbd>List</kbd><div>Optional. The system tags.</div></li></ol>
<h2>Responses</h2><h4>200 OK</h4><div>On success, this API returns the following response structure.</div>
<ol><li><p><code>inventory</code> <kbd>VmCdRomInventory</kbd> <strong>Required</strong></p><p>See inventory.</p>
<ol><li><p><code>uuid</code> <kbd>String</kbd> <strong>Required</strong></p><p>The resource UUID.</p></li></ol></li></ol>
<h2>Endpoint</h2><div><b>POST</b><tt>/zstack/v1/vm-instances/cdroms</tt></div><pre>/zstack/v1/vm-instances/cdroms</pre>
<h2>Request Example</h2><pre><code>curl -X POST 'http://{host}/zstack/v1/vm-instances/cdroms' -H 'Authorization: OAuth {sessionUuid}' -d '{"params":{"name":"&lt;name&gt;","vmInstanceUuid":"&lt;vmInstanceUuid&gt;","isoUuid":"&lt;isoUuid&gt;"},"systemTags":["&lt;systemTags&gt;"]}'</code></pre>
<h2>Response Example</h2><div><span>200</span><pre><code>{ "inventory": { "uuid": "u1" } }</code></pre></div>
<h2>Change History</h2><p>This API has no change history records yet.</p></div>
<footer><ul><li>Copyright</li></ul></footer></body></html>"""

VARIANT_TEXT = """Skip to main content
Resource Center/Resource Pool/VM Instance Operations
POSTVM Instance OperationsSince 3.3.0SynchronousAuth Required

CreateVmCdRom

CreateVmCdRom

Execution Availability

Try It Out

Submit a mock request using the current auth context and example-driven inputs.

Request Inputs

Body Fields

  • paramsObjectRequired

    Request body parameter object.

    • nameStringRequired

      The VM CD-ROM name.

    • vmInstanceUuidStringRequired

      The UUID of the VM instance.

    • isoUuidString

      Optional. The ISO UUID.

  • systemTagsList

    Optional. The system tags.

Responses

200 OK

On success, this API returns the following response structure.

  • inventoryVmCdRomInventoryRequired

    See inventory.

    • uuidStringRequired

      The resource UUID.

Endpoint

POST/zstack/v1/vm-instances/cdroms

/zstack/v1/vm-instances/cdroms

Request Example

curl -X POST 'http://{host}/zstack/v1/vm-instances/cdroms' -H 'Authorization: OAuth {sessionUuid}' -d '{"params":{"name":"<name>","vmInstanceUuid":"<vmInstanceUuid>","isoUuid":"<isoUuid>"},"systemTags":["<systemTags>"]}'

Response Example

200
{ "inventory": { "uuid": "u1" } }

Change History

This API has no change history records yet.

View all change history"""
