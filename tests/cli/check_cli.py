#!/usr/bin/env python3
"""Run the content-client program against an HTTP server on 127.0.0.1.

Usage: check_cli.py PATH_TO_CONTENT_CLIENT

The server runs in this process on an ephemeral port. Each case runs the
program once or twice and checks its exit status, standard output, standard
error and what the server received. Timing checks use wide bounds, because
the machine may be loaded. Prints one line per case and a Boost.Test-style
summary ("N test cases out of M passed") that scripts/count_test_results.py
counts.
"""

import http.server
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

# Each program run gets this long before the case fails; no case needs more than a few seconds.
RUN_TIMEOUT_SECONDS = 60

SECRET = "Cli-Secret-7f3a"


class ApiState:
    """What the server received, and the counters of its stateful routes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.counters = {}
        self.token_requests = 0

    def next_count(self, key):
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.counters.clear()
            self.token_requests = 0


STATE = ApiState()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, value, headers=()):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, field in headers:
            self.send_header(name, field)
        self.end_headers()
        self.wfile.write(body)

    def record(self, body=""):
        url = urllib.parse.urlsplit(self.path)
        entry = {
            "method": self.command,
            "path": url.path,
            "query": urllib.parse.parse_qs(url.query),
            "headers": dict(self.headers.items()),
            "body": body,
        }
        with STATE.lock:
            STATE.requests.append(entry)
        return entry

    def do_GET(self):
        entry = self.record()
        path = entry["path"]
        if path == "/items":
            return self.reply(200, {"items": [1, 2, 3]})
        if path == "/missing":
            return self.reply(404, {"error": "not found"})
        if path == "/flaky":
            # 503 twice, then 200, counted per query string so that cases do not interfere.
            count = STATE.next_count("flaky" + self.path)
            if count <= 2:
                return self.reply(503, {"error": "busy"})
            return self.reply(200, {"attempt": count})
        if path == "/fail":
            return self.reply(500, {"error": "down"})
        if path == "/slow-down":
            return self.reply(429, {"error": "slow down"}, [("Retry-After", "30")])
        if path == "/echo":
            # Echo every header and the query back, as some test services do.
            return self.reply(int(entry["query"].get("status", ["200"])[0]),
                              {"headers": entry["headers"], "query": entry["query"]})
        if path == "/protected":
            with STATE.lock:
                expected = f"Bearer token-{STATE.token_requests}"
            if entry["headers"].get("Authorization") == expected:
                return self.reply(200, {"ok": True})
            return self.reply(401, {"error": "invalid token"})
        return self.reply(404, {"error": "no route"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        entry = self.record(body)
        if entry["path"] != "/oauth2/token":
            return self.reply(404, {"error": "no route"})
        form = urllib.parse.parse_qs(body)
        if form.get("client_secret") != [SECRET]:
            # Echo the form, secret included, as a careless token endpoint might.
            return self.reply(401, {"error": "invalid_client", "received": body})
        with STATE.lock:
            STATE.token_requests += 1
            token = f"token-{STATE.token_requests}"
        return self.reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})


class Runner:
    def __init__(self, program, base_url):
        self.program = program
        self.base_url = base_url
        self.passed = 0
        self.failed = 0

    def run(self, *args, env=None):
        """Run the program; return (exit status, stdout, stderr, seconds)."""
        full_env = {key: value for key, value in os.environ.items() if not key.startswith("CONTENT_CLIENT_")}
        full_env.update(env or {})
        # The server is local: a proxy from the environment must not apply.
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            full_env.pop(name, None)
        start = time.monotonic()
        done = subprocess.run([self.program, *args], capture_output=True, text=True, env=full_env,
                              timeout=RUN_TIMEOUT_SECONDS, check=False)
        return done.returncode, done.stdout, done.stderr, time.monotonic() - start

    def url(self, path):
        return self.base_url + path

    def case(self, name, function):
        STATE.reset()
        try:
            function(self)
        except Exception:  # a failed check or an unexpected error: report it and go on
            self.failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            return
        self.passed += 1
        print(f"ok   {name}", flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_status(result, expected):
    status, out, err, _ = result
    expect(status == expected, f"exit status {status}, expected {expected}\nstdout: {out}\nstderr: {err}")


def get_json_prints_compact_line(r):
    result = r.run("GET", r.url("/items"))
    expect_status(result, 0)
    expect(result[1] == '{"items":[1,2,3]}\n', f"stdout: {result[1]!r}")


def not_found_exits_10(r):
    result = r.run("GET", r.url("/missing"))
    expect_status(result, 10)
    expect(result[1] == "", "nothing on stdout")
    expect("Error in API call [404] - Not Found" in result[2], result[2])


def exponential_retry_shows_delays(r):
    result = r.run("-v", "--max-attempts", "3", "--initial-delay", "0.1", "--jitter", "0", "GET",
                   r.url("/flaky?case=verbose"))
    expect_status(result, 0)
    lines = [line for line in result[2].splitlines() if "attempt" in line]
    expect(len(lines) == 3, f"three attempt lines: {result[2]}")
    expect("-> 503" in lines[0] and "next attempt in 0.100 s" in lines[0], lines[0])
    expect("-> 503" in lines[1] and "next attempt in 0.200 s" in lines[1], lines[1])
    expect("-> 200" in lines[2], lines[2])
    expect("case=verbose" not in result[2], "the query is not printed")
    expect(result[3] >= 0.25, f"the delays were waited: {result[3]:.3f} s")


def base_client_mode_does_not_retry(r):
    result = r.run("GET", r.url("/flaky?case=base"))
    expect_status(result, 10)
    expect(len(STATE.requests) == 1, f"one request, got {len(STATE.requests)}")


def long_retry_after_fails_at_once(r):
    result = r.run("--max-attempts", "3", "--max-retry-after", "5", "GET", r.url("/slow-down"))
    expect_status(result, 12)
    expect(len(STATE.requests) == 1, f"one request, got {len(STATE.requests)}")
    expect(result[3] < 20, f"no 30 s wait: {result[3]:.1f} s")


def breaker_opens_across_calls(r):
    result = r.run("--repeat", "4", "--breaker-threshold", "2", "--breaker-recovery", "60", "GET", r.url("/fail"))
    expect_status(result, 14)
    expect(len(STATE.requests) == 2, f"two requests reached the server, got {len(STATE.requests)}")
    expect("call 3 of 4: Circuit breaker is open" in result[2], result[2])


def rate_limit_spaces_calls(r):
    result = r.run("--repeat", "4", "--rate", "10", "GET", r.url("/items"))
    expect_status(result, 0)
    expect(result[1].count("\n") == 4, f"four responses: {result[1]!r}")
    # Three waits of 0.1 s; the bound is wide because only the lower one is exact.
    expect(result[3] >= 0.25, f"calls were spaced: {result[3]:.3f} s")


def execution_deadline_stops_retry(r):
    result = r.run("--execution", "3", "--safety-buffer", "1", "--max-attempts", "5", "--initial-delay", "10",
                   "GET", r.url("/fail"))
    expect_status(result, 13)
    expect("execution deadline reached" in result[2], result[2])
    expect(result[3] < 20, f"no 10 s sleep: {result[3]:.1f} s")


def bearer_from_environment(r):
    result = r.run("GET", r.url("/echo"), env={"CONTENT_CLIENT_BEARER": SECRET})
    expect_status(result, 0)
    received = STATE.requests[-1]["headers"].get("Authorization")
    expect(received == f"Bearer {SECRET}", f"Authorization: {received}")


def basic_and_api_key_flags(r):
    result = r.run("--basic", "svc:pw:1", "GET", r.url("/echo"))
    expect_status(result, 0)
    expect(STATE.requests[-1]["headers"].get("Authorization") == "Basic c3ZjOnB3OjE=", "Basic credentials")

    result = r.run("--api-key", "k-9", "--api-key-param", "api_key", "GET", r.url("/echo"))
    expect_status(result, 0)
    expect(STATE.requests[-1]["query"].get("api_key") == ["k-9"], f"query: {STATE.requests[-1]['query']}")


def oauth2_token_reused_from_state_file(r):
    with tempfile.TemporaryDirectory() as directory:
        state_file = os.path.join(directory, "state.json")
        args = ("--oauth2-token-url", r.url("/oauth2/token"), "--client-id", "collector", "--state-file", state_file,
                "GET", r.url("/protected"))
        env = {"CONTENT_CLIENT_CLIENT_SECRET": SECRET}
        for run_number in (1, 2):
            result = r.run(*args, env=env)
            expect_status(result, 0)
            expect(STATE.token_requests == 1, f"run {run_number}: {STATE.token_requests} token requests")
        mode = stat.S_IMODE(os.stat(state_file).st_mode)
        expect(mode == 0o600, f"state file mode {oct(mode)}")
        with open(state_file, encoding="utf-8") as contents:
            expect(SECRET not in contents.read(), "the client secret is not stored")


def oauth2_rejected_secret_hidden(r):
    wrong = SECRET + "-wrong"
    result = r.run("--oauth2-token-url", r.url("/oauth2/token"), "--client-id", "collector", "--client-secret",
                   wrong, "GET", r.url("/protected"))
    expect_status(result, 11)
    expect("Token refresh failed with status 401" in result[2], result[2])
    expect(wrong not in result[2], f"secret in stderr: {result[2]}")


def echoed_credentials_hidden(r):
    for flags in (("--bearer", SECRET), ("--api-key", SECRET, "--api-key-header", "X-Key"),
                  ("--api-key", SECRET, "--api-key-param", "key"), ("--basic", "user:" + SECRET)):
        result = r.run("-v", *flags, "GET", r.url("/echo?status=500"))
        expect_status(result, 10)
        expect(SECRET not in result[2], f"{flags[0]}: secret in stderr: {result[2]}")
        # base64 of "user:" + SECRET
        expect("dXNlcjpDbGktU2VjcmV0LTdmM2E=" not in result[2], f"{flags[0]}: Basic value in stderr")


def conflicting_schemes_rejected(r):
    result = r.run("--bearer", SECRET, "--basic", "u:" + SECRET, "GET", r.url("/items"))
    expect_status(result, 2)
    expect("choose different authentication schemes" in result[2], result[2])
    expect(SECRET not in result[2], "no secret in the usage error")
    expect(len(STATE.requests) == 0, "nothing was sent")


CASES = [
    get_json_prints_compact_line,
    not_found_exits_10,
    exponential_retry_shows_delays,
    base_client_mode_does_not_retry,
    long_retry_after_fails_at_once,
    breaker_opens_across_calls,
    rate_limit_spaces_calls,
    execution_deadline_stops_retry,
    bearer_from_environment,
    basic_and_api_key_flags,
    oauth2_token_reused_from_state_file,
    oauth2_rejected_secret_hidden,
    echoed_credentials_hidden,
    conflicting_schemes_rejected,
]


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} PATH_TO_CONTENT_CLIENT", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    runner = Runner(sys.argv[1], f"http://127.0.0.1:{server.server_address[1]}")
    try:
        for function in CASES:
            runner.case(function.__name__, function)
    finally:
        server.shutdown()
        server.server_close()

    total = runner.passed + runner.failed
    print(f"  {runner.passed} test cases out of {total} passed")
    if runner.failed:
        print(f"  {runner.failed} test cases out of {total} failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
