#!/usr/bin/env python3
"""Registers 2*PAIRS users, befriends each pair, writes "host port userId deviceId token" (pair members on different push nodes)."""
import json, sys, urllib.request, random, concurrent.futures as cf
pairs, out = int(sys.argv[1]), sys.argv[2]
auth, users = 'http://127.0.0.1:8601', 'http://127.0.0.1:8602'
push = [('127.0.0.1', 8621), ('127.0.0.1', 8622)]
tag = '%06x' % random.randrange(1 << 24)
def post(url, body, tok=None):
    h = {'content-type': 'application/json'}
    if tok: h['authorization'] = 'Bearer ' + tok
    req = urllib.request.Request(url, json.dumps(body).encode() if body is not None else b'', h, method='POST')
    r = urllib.request.urlopen(req, timeout=30).read()
    return json.loads(r) if r else {}
def one(u):
    name = f'p{tag}u{u}'
    post(auth + '/auth/register', {'username': name, 'password': 'bench-password-1', 'displayName': name})
    t = post(auth + '/auth/login', {'username': name, 'password': 'bench-password-1'})
    return name, t['userId'], t['accessToken']
with cf.ThreadPoolExecutor(8) as pool:
    toks = list(pool.map(one, range(2 * pairs)))
    def friend(p):
        a, b = toks[2 * p], toks[2 * p + 1]
        r = post(users + '/friends/requests', {'toUsername': b[0]}, a[2])
        if not r.get('accepted'):
            post(users + f'/friends/requests/{r["requestId"]}/accept', None, b[2])
    list(pool.map(friend, range(pairs)))
lines = [f'{push[i % 2][0]} {push[i % 2][1]} {uid} d{i} {tok}' for i, (n, uid, tok) in enumerate(toks)]
open(out, 'w').write('\n'.join(lines) + '\n')
