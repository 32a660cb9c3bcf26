"""Sends the same mutated status batches to two registries and compares every answer (Scripts/compare-registry-builds).

Usage: registry_answers.py OLD_URL NEW_URL PKI_DIR CAPTURE_DIR BATCHES
Seeds: the first five status batches in CAPTURE_DIR (a registry's --capture-dir). Each batch sent is one of them with
up to three random edits (a byte replaced, removed or inserted from JSON's alphabet, or a digit changed), seeded, so
about half are refused. Status and body must be equal but for `receivedAt`; exit 1 when one differs.
"""
import http.client
import os
import random
import re
import ssl
import sys

old_url, new_url, pki, capture, batches = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
context = ssl.create_default_context(cafile=f"{pki}/ca.crt")
context.load_cert_chain(f"{pki}/GW-BENCH.crt", f"{pki}/GW-BENCH.key")


def connect(url):
    host, port = url.removeprefix("https://").split(":")
    return http.client.HTTPSConnection(host, int(port), context=context)


seeds = []
for root, _, files in sorted(os.walk(capture)):
    for name in sorted(files):
        with open(os.path.join(root, name), "rb") as file:
            body = file.read()
        if body.startswith(b"[") and b'"reportId"' in body:
            seeds.append(body)
seeds = seeds[:5]
if not seeds:
    sys.exit("registry_answers: no status batch captured")
alphabet = b'0123456789-+.eE"\\/{}[],: tnfaulrsx' + "é人".encode() + b"\xff\x00\n"
random_ = random.Random(14)
connections = [connect(old_url), connect(new_url)]
same = differ = 0
statuses = {}
for index in range(batches):
    body = bytearray(random_.choice(seeds))
    for _ in range(random_.randint(0, 3)):
        at = random_.randrange(len(body))
        edit = random_.randrange(4)
        if edit == 0:
            body[at] = random_.choice(alphabet)
        elif edit == 1:
            del body[at]
        elif edit == 2:
            body.insert(at, random_.choice(alphabet))
        elif 0x30 <= body[at] <= 0x39:
            body[at] = random_.randrange(0x30, 0x3A)
    answers = []
    for connection in connections:
        connection.request("POST", "/v1/shelters/SH-BENCH/status", body=bytes(body),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answers.append((response.status, re.sub(rb'"receivedAt":"[^"]*"', b'"receivedAt":"-"', response.read())))
    statuses[answers[0][0]] = statuses.get(answers[0][0], 0) + 1
    if answers[0] == answers[1]:
        same += 1
    else:
        differ += 1
        if differ <= 5:
            print(f"batch {index}: old {answers[0][0]} {answers[0][1][:300]!r}\n"
                  f"          new {answers[1][0]} {answers[1][1][:300]!r}\n  body {bytes(body)!r}")
print(f"answers: {same} the same, {differ} different; statuses {dict(sorted(statuses.items()))}")
sys.exit(1 if differ else 0)
