"""The official Kubernetes Python client against the fake APIServer: a real client nobody here wrote.

Run by scripts/python-client-oracle.ts, which starts the fake and passes a kubeconfig path. Each
check prints one line; the first failed assertion ends the run with a non-zero exit.
"""

import base64
import datetime
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
core, apps, coord = client.CoreV1Api(api), client.AppsV1Api(api), client.CoordinationV1Api(api)
NS = 'default'


def check(name, value, expected):
    assert value == expected, f'{name}: got {value!r}, expected {expected!r}'
    print(f'ok {name}: {value!r}')


def status_of(fn):
    try:
        fn()
    except ApiException as err:
        return err.status, err.reason
    return None


# Discovery names the subresources the typed calls below use.
check('pods/eviction in discovery', 'pods/eviction' in {r.name for r in core.get_api_resources().resources}, True)
check('deployments/scale in discovery', 'deployments/scale' in {r.name for r in apps.get_api_resources().resources}, True)

# Objects deserialize into the typed models (timestamps become datetimes).
for i in range(3):
    core.create_namespaced_pod(NS, {'metadata': {'name': f'p{i}', 'labels': {'app': 'web' if i < 2 else 'db'}},
                                    'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}})
pod = core.read_namespaced_pod('p0', NS)
check('creationTimestamp is a datetime', isinstance(pod.metadata.creation_timestamp, datetime.datetime), True)
check('label selector', sorted(p.metadata.name for p in core.list_namespaced_pod(NS, label_selector='app=web').items), ['p0', 'p1'])

# Paging: limit and continue walk every pod once.
names, token = [], None
while True:
    page = core.list_namespaced_pod(NS, limit=2, _continue=token)
    names += [p.metadata.name for p in page.items]
    token = page.metadata._continue
    if not token:
        break
check('pages of 2', names, ['p0', 'p1', 'p2'])

# A watch from the list's version sees the changes after it, in order.
since = core.list_namespaced_config_map(NS).metadata.resource_version
core.create_namespaced_config_map(NS, {'metadata': {'name': 'cm'}, 'data': {'a': '1'}})
core.patch_namespaced_config_map('cm', NS, {'data': {'a': '2'}})
core.delete_namespaced_config_map('cm', NS)
events = [(e['type'], e['object'].metadata.name) for e in
          watch.Watch().stream(core.list_namespaced_config_map, NS, resource_version=since, timeout_seconds=1)]
check('watch from a list version', events, [('ADDED', 'cm'), ('MODIFIED', 'cm'), ('DELETED', 'cm')])

# Errors: a 404 and a 409 on a stale resourceVersion.
check('read of a missing pod', status_of(lambda: core.read_namespaced_pod('missing', NS)), (404, 'Not Found'))
stale = core.read_namespaced_pod('p1', NS)
core.patch_namespaced_pod('p1', NS, {'metadata': {'labels': {'touched': 'yes'}}})
check('replace with a stale resourceVersion', status_of(lambda: core.replace_namespaced_pod('p1', NS, stale)), (409, 'Conflict'))

# The scale subresource.
deployment = {'metadata': {'name': 'web'}, 'spec': {'replicas': 1, 'selector': {'matchLabels': {'app': 'web'}},
              'template': {'metadata': {'labels': {'app': 'web'}}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}}}
apps.create_namespaced_deployment(NS, deployment)
check('scale read', apps.read_namespaced_deployment_scale('web', NS).spec.replicas, 1)
apps.patch_namespaced_deployment_scale('web', NS, {'spec': {'replicas': 3}})
check('replicas after a scale patch', apps.read_namespaced_deployment('web', NS).spec.replicas, 3)

# Eviction deletes the pod.
core.create_namespaced_pod_eviction('p2', NS, {'metadata': {'name': 'p2', 'namespace': NS}})
check('pod after its eviction', status_of(lambda: core.read_namespaced_pod('p2', NS)), (404, 'Not Found'))

# Conversions on write: stringData folds into data.
secret = core.create_namespaced_secret(NS, {'metadata': {'name': 's'}, 'stringData': {'k': 'v'}})
check('secret data', secret.data, {'k': base64.b64encode(b'v').decode()})
check('secret stringData', secret.string_data, None)

# MicroTime fields (a Lease, as leader election writes it).
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=123456)
lease = coord.create_namespaced_lease(NS, client.V1Lease(
    metadata=client.V1ObjectMeta(name='leader'),
    spec=client.V1LeaseSpec(holder_identity='a', lease_duration_seconds=15, acquire_time=now, renew_time=now)))
check('lease renewTime', lease.spec.renew_time, now)

# Server-side apply through the dynamic client: a second manager's conflict, then force. Client 22
# sends a dict body only for JSON content types, so the apply body goes as a JSON string (JSON is
# YAML), with its name and namespace given apart.
maps = DynamicClient(api).resources.get(api_version='v1', kind='ConfigMap')


def apply(data, manager, force=None):
    body = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'applied', 'namespace': NS}, 'data': data}
    return maps.server_side_apply(body=json.dumps(body), name='applied', namespace=NS, field_manager=manager, force_conflicts=force)


apply({'owner': 'first', 'kept': 'yes'}, 'first')
check('apply by a second manager', status_of(lambda: apply({'owner': 'second'}, 'second')), (409, 'Conflict'))
applied = apply({'owner': 'second'}, 'second', force=True)
check('forced apply', dict(applied.data), {'kept': 'yes', 'owner': 'second'})
check('managers after force', sorted(e.manager for e in applied.metadata.managedFields), ['first', 'second'])
applied = apply({}, 'first')
check('a field the first manager stops applying is removed', dict(applied.data), {'owner': 'second'})
print('python client: all checks passed')
