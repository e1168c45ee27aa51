#!/usr/bin/env python3
"""Registers USERS users on the cluster's auth, writes "host port userId deviceId token" lines, DEVICES per user, alternating push nodes."""
import json, sys, urllib.request, random, concurrent.futures as cf
users, devices, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
auth = 'http://127.0.0.1:8601'
push = [('127.0.0.1', 8621), ('127.0.0.1', 8622)]
tag = '%06x' % random.randrange(1 << 24)
def post(path, body):
    req = urllib.request.Request(auth + path, json.dumps(body).encode(), {'content-type': 'application/json'})
    return json.load(urllib.request.urlopen(req, timeout=30))
def one(u):
    name = f'r{tag}u{u}'
    post('/auth/register', {'username': name, 'password': 'bench-password-1', 'displayName': name})
    t = post('/auth/login', {'username': name, 'password': 'bench-password-1'})
    return t['userId'], t['accessToken']
with cf.ThreadPoolExecutor(8) as pool:
    toks = list(pool.map(one, range(users)))
lines = []
i = 0
for u, (uid, tok) in enumerate(toks):
    for d in range(devices):
        h, p = push[i % len(push)]; i += 1
        lines.append(f'{h} {p} {uid} d{u}-{d} {tok}')
open(out, 'w').write('\n'.join(lines) + '\n')
