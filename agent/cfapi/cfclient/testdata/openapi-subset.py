# Extracts the GET operations tunneldoctor calls, and every component they
# reference, from Cloudflare's OpenAPI schema (cloudflare/api-schemas cca3064f).
import json, sys
src = sys.argv[1]
d = json.load(open(src))
paths = ['/user/tokens/verify', '/zones', '/zones/{zone_id}/dns_records',
         '/zones/{zone_id}/settings/{setting_id}',
         '/accounts/{account_id}/cfd_tunnel/{tunnel_id}',
         '/accounts/{account_id}/cfd_tunnel/{tunnel_id}/connections',
         '/accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations']
out = {'openapi': d['openapi'], 'info': dict(d['info']), 'paths': {}, 'components': {}}
out['info']['description'] = ('Subset of cloudflare/api-schemas openapi.json at commit cca3064f (2024-08-06): '
    'the GET operations tunneldoctor calls and the components they reference. Extracted by testdata/README.md.')
extra = ['tunnel_config', 'tunnel_ingressRule', 'tunnel_originRequest']
for p in paths:
    item = d['paths'][p]
    keep = {k: v for k, v in item.items() if k in ('get', 'parameters')}
    keep['get'] = dict(keep['get'])
    keep['get'].pop('security', None)
    out['paths'][p] = keep
need = set()
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == '$ref' and isinstance(v, str):
                need.add(v)
            else:
                walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(out['paths'])
for e in extra: need.add('#/components/schemas/' + e)
done = set()
while need - done:
    r = sorted(need - done)[0]
    done.add(r)
    _, _, kind, name = r.split('/', 3)
    obj = d['components'][kind][name]
    out['components'].setdefault(kind, {})[name] = obj
    walk(obj)
json.dump(out, open(sys.argv[2], 'w'), indent=1, sort_keys=True)
print(len(done), 'components')
