#!/usr/bin/env python3
"""A session of every operation of both services, sent through Prism's validating proxy.

make lint (tests/contract/prism.sh) starts the KOMBIT and borger.dk mocks as processes,
a Prism proxy in front of each, and this script against the proxies. Every request is a
valid use of its operation (a few ask for what does not exist, to check the error answers
too); Prism checks each request and answer against the service's /openapi.json and says
what does not match in the answer's sl-violations header. The script records every
exchange (method, path, operation, status, violations) to a JSON-lines file and fails
when Prism found a violation, when an answer was not the status the step expects, or
when some documented operation was never called.

  session.py --kombit URL --borger URL --kombit-doc FILE --borger-doc FILE \\
             --kombit-credentials FILE --borger-credentials FILE --record FILE
"""
import argparse
import http.client
import json
import sys
import traceback
import urllib.parse

TEST_PASSWORD = "test"  # BorgerOptions::test_password's default


class Service:
    """One service behind its proxy: sends, records, and remembers what Prism said."""

    def __init__(self, name, base, doc, record):
        u = urllib.parse.urlparse(base)
        self.name, self.host, self.port = name, u.hostname, u.port
        self.doc, self.record = doc, record
        self.templates = [(p, m.upper()) for p, item in doc["paths"].items() for m in item]
        self.called = set()
        self.problems = []

    def operation(self, method, path):
        """The documented operation a concrete path belongs to (literal segments first)."""
        best = None
        for template, m in self.templates:
            if m != method:
                continue
            parts, want = path.split("/"), template.split("/")
            if len(parts) != len(want):
                continue
            if all(w.startswith("{") or w == p for w, p in zip(want, parts)):
                literal = sum(1 for w in want if not w.startswith("{"))
                if best is None or literal > best[0]:
                    best = (literal, template)
        return best[1] if best else None

    def send(self, method, target, body=None, token=None, headers=None, expect=(200,), content_type=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            h["Content-Type"] = content_type or "application/json"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.request(method, target, body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        conn.close()
        path = urllib.parse.urlparse(target).path
        op = self.operation(method, path)
        if op:
            self.called.add(method + " " + op)
        violations = json.loads(r.getheader("sl-violations") or "[]")
        errors = [v for v in violations if v.get("severity") == "Error"]
        line = {"service": self.name, "method": method, "target": target, "operation": op, "status": r.status,
                "violations": violations}
        self.record.write(json.dumps(line, ensure_ascii=False) + "\n")
        if errors:
            self.problems.append(f"{self.name} {method} {target} {r.status}: " +
                                 "; ".join(f"{'.'.join(map(str, v.get('location', [])))} {v.get('message')}"
                                           for v in errors))
        if r.status not in expect:
            self.problems.append(f"{self.name} {method} {target}: {r.status}, expected {expect}: {raw[:300]!r}")
        ctype = r.getheader("Content-Type") or ""
        try:
            parsed = json.loads(raw) if ctype.startswith("application/json") and raw else None
        except ValueError:
            parsed = None
        return r.status, parsed, {k.lower(): v for k, v in r.getheaders()}

    def uncalled(self):
        return sorted(m + " " + p for p, m in self.templates if m + " " + p not in self.called)


def kombit_session(k, creds):
    system, admin = creds["system"], creds["admin"]
    k.send("GET", "/health")
    k.send("GET", "/metrics")
    k.send("GET", "/openapi.json")
    k.send("GET", "/v1/municipalities", token=system)
    code = 561
    muni = creds["municipalities"][str(code)]
    _, page, _ = k.send("GET", f"/v1/citizens?municipality={code}&limit=50", token=system)
    k.send("GET", f"/v1/citizens?municipality={code}&limit=5&after={page['items'][0]['cpr']}", token=system)
    cpr, case, grant = None, None, None
    for c in page["items"]:
        _, o, _ = k.send("GET", f"/v1/citizens/{c['cpr']}/overview", token=system)
        cases = [x for x in o["cases"]["items"] if x["municipality"] == code]
        grants = [x for x in o["grants"]["items"] if x["municipality"] == code]
        if cases and grants:
            cpr, case, grant = c["cpr"], cases[0], grants[0]
            break
    if not cpr:
        raise SystemExit("session: no citizen of 561 with both a case and a grant in the lint population")
    k.send("GET", f"/v1/citizens/{cpr}", token=system)
    k.send("GET", f"/v1/citizens/{cpr}/cases?limit=5", token=system)
    k.send("GET", f"/v1/citizens/{cpr}/grants?municipality={code}", token=system)
    k.send("GET", "/v1/changes?limit=5", token=system)
    k.send("GET", f"/v1/cases/{code}/{case['id']}", token=system)
    k.send("GET", f"/v1/grants/{code}/{grant['id']}", token=system)
    k.send("GET", f"/v1/cases/{code}/no-such-case", token=system, expect=(404,))

    base = f"/v1/municipalities/{code}"
    k.send("GET", f"{base}/cases?limit=2", token=muni)
    _, full, h = k.send("GET", f"{base}/cases/{case['id']}", token=muni)
    k.send("PUT", f"{base}/cases/{case['id']}", full, token=muni, headers={"If-Match": h["etag"]})
    new = dict(full, id="prism-case-1", case_number="PRISM-1")
    new.pop("version", None)
    k.send("PUT", f"{base}/cases/prism-case-1", new, token=muni, headers={"If-None-Match": "*"}, expect=(201,))
    k.send("PUT", f"{base}/cases/prism-case-1", new, token=muni, headers={"If-None-Match": "*"}, expect=(412,))
    k.send("PUT", f"{base}/cases/prism-case-1/documents/prism-doc-1",
           {"id": "prism-doc-1", "title": "Kvittering", "letter_date": new["status_history"][-1]["from"],
            "type": "Brev, udgaaende", "status": "Endeligt"}, token=muni)
    k.send("POST", f"{base}/cases/prism-case-1/status",
           {"status": new["status_history"][-1]["status"], "from": "2099-01-01"}, token=muni, expect=(200, 422))
    _, g, gh = k.send("GET", f"{base}/grants/{grant['id']}", token=muni)
    k.send("GET", f"{base}/grants?limit=2", token=muni)
    k.send("PUT", f"{base}/grants/{grant['id']}", g, token=muni, headers={"If-Match": gh["etag"]})
    if g.get("benefits"):
        b = g["benefits"][0]
        k.send("PUT", f"{base}/grants/{grant['id']}/benefits/{b['id']}", b, token=muni)
    if g.get("payments"):
        p = g["payments"][0]
        k.send("PUT", f"{base}/grants/{grant['id']}/payments/{p['id']}", p, token=muni)
    bulk = json.dumps({"kind": "case", "record": dict(new, id="prism-bulk-1", case_number="PRISM-B1")}) + "\n"
    k.send("POST", f"{base}/bulk", bulk, token=muni, content_type="application/x-ndjson",
           headers={"Idempotency-Key": "prism-bulk"})
    k.send("GET", f"{base}/log?limit=20", token=muni)

    contribution = {"id": "prism-contrib-1", "municipality": code, "cpr": cpr, "item_kind": "case",
                    "item_id": case["id"], "kind": "note", "text": "Jeg har sendt papirerne."}
    k.send("POST", "/v1/contributions", contribution, token=system, expect=(201,))
    k.send("POST", "/v1/contributions", contribution, token=system, expect=(200,))
    k.send("GET", "/v1/contributions/prism-contrib-1", token=system)
    k.send("GET", f"/v1/citizens/{cpr}/contributions", token=system)
    k.send("GET", f"{base}/contributions?status=received", token=muni)
    k.send("PATCH", f"{base}/contributions/prism-contrib-1", {"status": "under_review"}, token=muni)

    k.send("POST", "/admin/faults", {"route": "/v1/nothing-real/*", "error_rate": 1.0, "error_status": 503},
                        token=admin, expect=(201,))
    k.send("GET", "/admin/faults", token=admin)
    k.send("PUT", "/admin/faults", [{"route": "/v1/nothing-real/*", "latency": {"distribution": "fixed", "ms": 1}}], token=admin)
    _, rules, _ = k.send("GET", "/admin/faults", token=admin)
    for r in rules["rules"]:
        k.send("DELETE", f"/admin/faults/{r['id']}", token=admin, expect=(204,))
    k.send("DELETE", "/admin/faults", token=admin, expect=(204,))
    k.send("GET", "/admin/stats", token=admin)
    return cpr, case, grant


def borger_session(b, admin, municipality_key, cpr, case, grant):
    b.send("GET", "/health")
    b.send("GET", "/metrics")
    b.send("GET", "/openapi.json")
    b.send("GET", "/idp/users?municipality=561&limit=3", token=admin)
    _, users, _ = b.send("GET", "/idp/users?municipality=561&limit=3&after=0101000000", token=admin)
    _, s, _ = b.send("POST", "/idp/login", {"cpr": cpr, "password": TEST_PASSWORD}, expect=(201,))
    b.send("POST", "/idp/login", {"cpr": cpr, "password": "wrong"}, expect=(401,))
    t = s["token"]
    b.send("GET", "/v1/me", token=t)
    b.send("GET", "/v1/overview", token=t)
    m = case["municipality"]
    b.send("GET", f"/v1/cases/{m}/{case['id']}", token=t)
    b.send("GET", f"/v1/benefits/{m}/{grant['id']}", token=t)
    b.send("GET", f"/v1/cases/{m}/no-such-case", token=t, expect=(404,))
    b.send("GET", "/v1/export", token=t)
    b.send("GET", "/v1/export?format=csv", token=t)
    b.send("GET", "/v1/access-log?limit=10", token=t)
    b.send("POST", "/v1/contributions",
           {"municipality": m, "item_kind": "case", "item_id": case["id"], "kind": "correction",
            "field": "title", "text": "Titlen er forkert.", "id": "prism-c1"}, token=t, expect=(201,))
    b.send("GET", "/v1/contributions", token=t)
    _, share, _ = b.send("POST", "/v1/shares",
                         {"recipient": "Min søster", "purpose": "hjælp", "expires_days": 7,
                          "scope": [{"kind": "case", "municipality": m, "id": case["id"]},
                                    {"kind": "grant", "municipality": m, "id": grant["id"]}]},
                         token=t, expect=(201,))
    b.send("GET", "/v1/shares", token=t)
    b.send("GET", f"/v1/shared/{share['token']}")
    b.send("GET", f"/v1/shared/{share['token']}/cases/{m}/{case['id']}")
    b.send("GET", f"/v1/shared/{share['token']}/benefits/{m}/{grant['id']}")
    b.send("DELETE", f"/v1/shares/{share['id']}", token=t, expect=(204,))
    b.send("GET", f"/v1/shared/{share['token']}", expect=(404,))
    other = next(u["cpr"] for u in users["items"] if u["cpr"] != cpr)
    _, proxy, _ = b.send("POST", "/v1/proxies", {"grantee": other, "areas": ["32"], "expires_days": 30},
                         token=t, expect=(201,))
    b.send("GET", "/v1/proxies", token=t)
    b.send("DELETE", f"/v1/proxies/{proxy['id']}", token=t, expect=(204,))
    b.send("POST", "/v1/feedback", {"origin": "observed", "rating": 4, "text": "Let at finde.", "page": "overview"},
           token=t, headers={"Idempotency-Key": "prism-fb-1"}, expect=(201,))
    b.send("POST", "/v1/feedback", {"origin": "observed", "rating": 4, "text": "Let at finde.", "page": "overview"},
           token=t, headers={"Idempotency-Key": "prism-fb-1"}, expect=(200,))
    b.send("GET", "/admin/feedback.csv", token=admin)
    b.send("GET", "/admin/stats", token=admin)
    b.send("GET", f"/v1/preview/{cpr}", token=municipality_key)
    b.send("POST", "/v1/logout", token=t, expect=(204,))
    b.send("GET", "/v1/me", token=t, expect=(401,))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("kombit", "borger", "kombit-doc", "borger-doc", "kombit-credentials", "borger-credentials", "record"):
        ap.add_argument("--" + flag, required=True)
    a = ap.parse_args()
    kcreds = json.load(open(a.kombit_credentials))
    bcreds = json.load(open(a.borger_credentials))
    with open(a.record, "w") as record:
        k = Service("kombit", a.kombit, json.load(open(a.kombit_doc)), record)
        b = Service("borger", a.borger, json.load(open(a.borger_doc)), record)
        try:
            cpr, case, grant = kombit_session(k, kcreds)
            borger_session(b, bcreds["admin"], kcreds["municipalities"][str(case["municipality"])], cpr, case, grant)
        except (KeyError, TypeError, StopIteration) as e:
            # An answer the session needed was not there: say which exchanges went wrong
            # (status and body) rather than only where the script stopped.
            print(f"prism session: stopped, an answer lacked what the session needs ({e!r}); "
                  f"the exchanges that went wrong:", file=sys.stderr)
            for p in k.problems + b.problems:
                print("  " + p, file=sys.stderr)
            traceback.print_exc()
            return 1
    problems = k.problems + b.problems
    for s in (k, b):
        problems += [f"{s.name}: {op} was never called" for op in s.uncalled()]
    calls = sum(1 for _ in open(a.record))
    ops = len(k.templates) + len(b.templates)
    if problems:
        print(f"prism session: {len(problems)} problems in {calls} exchanges:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"prism session: {calls} exchanges covering all {ops} operations, no violations (recorded in {a.record})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
