"""Every malformed recipe gets one message naming the file, the key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import invoke, write_recipe

OK = 'command = "true"\n'


def one(text: str, name: str = "api") -> dict[str, str]:
    return {name: text}


CASES = [
    ("unknown-top-key", one(OK + "colour = 1"), ["recipes/api.toml", "colour", "unknown key"]),
    ("unknown-verify-key", one(OK + "[verify]\ntcpp = 1"),
     ["recipes/api.toml", "verify.tcpp", "unknown key", "tcp"]),
    ("unknown-needs-key", one(OK + '[[needs]]\nbinary = "x"\nvenv = ".v"'),
     ["recipes/api.toml", "needs[0].venv", "unknown key", "install"]),
    ("command-int", one("command = 5"), ["command", "a string or an array", "an integer (5)"]),
    ("port-string", one(OK + 'port = "80"'), ["port", "expected an integer", "'80'"]),
    ("port-zero", one(OK + "port = 0"), ["port", "from 1 to 65535", "got 0"]),
    ("port-too-high", one(OK + "port = 70000"), ["port", "from 1 to 65535", "got 70000"]),
    ("oneshot-string", one(OK + 'oneshot = "yes"'), ["oneshot", "true or false", "'yes'"]),
    ("after-not-array", one(OK + 'after = "db"'), ["after", "expected an array"]),
    ("after-number", one(OK + "after = [1]"), ["after", "array of non-empty strings", "(1)"]),
    ("env-value-int", one(OK + "env = { PORT = 5050 }"), ["env.PORT", "expected a string"]),
    ("env-not-table", one(OK + 'env = "PORT=1"'), ["env", "expected a table"]),
    ("stable-for-negative", one(OK + "[verify]\nstable_for = -1"),
     ["verify.stable_for", "at least 0", "-1"]),
    ("interval-zero", one(OK + "[verify]\ninterval = 0"), ["verify.interval", "above 0"]),
    ("startup-timeout-string", one(OK + '[verify]\nstartup_timeout = "10"'),
     ["verify.startup_timeout", "expected a number", "'10'"]),
    ("command-missing", one('port = 5050'), ["command", "missing"]),
    ("skip-empty", one('skip = " "'), ["skip", "expected a non-empty string"]),
    ("skip-not-text", one(OK + "skip = true"), ["skip", "expected a string"]),
    ("command-empty-string", one('command = "  "'), ["command", "non-empty string"]),
    ("command-empty-array", one("command = []"), ["command", "non-empty array of strings"]),
    ("restart-unknown", one(OK + 'restart = "sometimes"'),
     ["restart", "'on-failure', 'always', 'no'", "'sometimes'"]),
    ("needs-two-kinds", one(OK + '[[needs]]\nbinary = "x"\nnpm = "package.json"'),
     ["needs[0]", "exactly one of binary, python, npm, env", "got binary, npm"]),
    ("needs-no-kind", one(OK + '[[needs]]\ninstall = { apt = "x" }'),
     ["needs[0]", "exactly one of", "got none"]),
    ("needs-env-bad-name", one(OK + '[[needs]]\nenv = "MY-VAR"'),
     ["needs[0].env", "environment variable name", "'MY-VAR'"]),
    ("template-on-dir", one(OK + '[[paths]]\ndir = "var"\ntemplate = "t"'),
     ["paths[0].template", "only goes with a file"]),
    ("http-not-url", one(OK + '[verify]\nhttp = "localhost:80/health"'),
     ["verify.http", "http:// or https://", "'localhost:80/health'"]),
    ("http-port-out-of-range", one(OK + '[verify]\nhttp = "http://127.0.0.1:99999/"'),
     ["verify.http", "up to 65535"]),
    ("command-escapes", one('command = "../outside/evil.sh"\n'),
     ["command", "inside the workspace"]),
    ("http-status-42", one(OK + "[verify]\nhttp = \"http://x/\"\nhttp_status = 42"),
     ["verify.http_status", "100 to 599", "42"]),
    ("log-error-bad-regex", one(OK + '[verify]\nlog_error = "(unclosed"'),
     ["verify.log_error", "regular expression"]),
    ("tcp-no-port", one(OK + '[verify]\ntcp = "nohost"'),
     ["verify.tcp", '"host:port"', "'nohost'"]),
    ("tcp-zero", one(OK + "[verify]\ntcp = 0"), ["verify.tcp", "from 1 to 65535", "got 0"]),
    ("tcp-send-alone", one(OK + '[verify]\ntcp_send = "PING"\nhttp = "http://x/"'),
     ["verify.tcp_send", "goes with tcp"]),
    ("tcp-send-no-port", one(OK + '[verify]\ntcp_expect = "+PONG"'),
     ["verify.tcp_expect", "goes with tcp"]),
    ("http-expect-alone", one(OK + '[verify]\nhttp_expect = "ok"'),
     ["verify.http_expect", "goes with http"]),
    ("exec-expect-alone", one(OK + '[verify]\nexec_expect = "ok"'),
     ["verify.exec_expect", "goes with exec"]),
    ("stable-for-inf", one(OK + "[verify]\nstable_for = inf"),
     ["verify.stable_for", "finite number"]),
    ("stop-grace-nan", one(OK + "stop_grace = nan"), ["stop_grace", "finite number"]),
    ("env-bad-key", one(OK + 'env = { "MY-VAR" = "x" }'),
     ["env", "environment variable names", "'MY-VAR'"]),
    ("cwd-nul", one(OK + 'cwd = "sub\\u0000x"'), ["cwd", "NUL character"]),
    ("after-unknown", {"api": OK + 'after = ["db"]', "cache": OK},
     ["recipes/api.toml", "after", "'db'", "known services: api, cache"]),
    ("cycle", {"a": OK + 'after = ["b"]', "b": OK + 'after = ["c"]', "c": OK + 'after = ["a"]'},
     ["after", "dependency cycle", "a -> b -> c -> a"]),
    ("after-itself", one(OK + 'after = ["api"]'), ["after", "after itself (api)"]),
    ("http-two-bodies", one(OK + '[verify]\nhttp = "http://x/"\nhttp_data = "a"\n'
                               'http_form = { b = "c" }'),
     ["verify.http_form", "instead of http_data", "one body"]),
    ("http-form-number", one(OK + '[verify]\nhttp = "http://x/"\nhttp_form = { n = 1 }'),
     ["verify.http_form.n", "expected a string"]),
    ("http-headers-alone", one(OK + '[verify]\nhttp_headers = { A = "b" }'),
     ["verify.http_headers", "goes with http"]),
    ("connects-unknown", {"api": OK + '[verify]\nconnects = ["db"]', "cache": OK},
     ["recipes/api.toml", "verify.connects", "'db'", "known services: api, cache"]),
    ("connects-not-names", one(OK + '[verify]\nconnects = ["Not A Name"]'),
     ["verify.connects", "array of service names"]),
    ("cwd-escapes", one(OK + 'cwd = "../elsewhere"'), ["cwd", "inside the workspace"]),
    ("paths-dir-escapes", one(OK + '[[paths]]\ndir = "../../etc"'),
     ["paths[0].dir", "inside the workspace"]),
    ("permissions-absolute", one(OK + '[[permissions]]\nwritable = "/etc/passwd"'),
     ["permissions[0].writable", "inside the workspace", "/etc/passwd"]),
    ("env-file-escapes", one(OK + 'env_file = "../../.env"'), ["env_file", "inside the workspace"]),
    ("invalid-toml", one('command = "true'), ["recipes/api.toml", "not valid TOML"]),
    ("bad-file-name", one(OK, name="Bad Name"),
     ["recipes/Bad Name.toml", "file name", "lowercase letters, digits"]),
    ("verify-not-table", one('verify = "tcp"\n' + OK), ["verify", "expected a table"]),
    ("needs-not-tables", one(OK + 'needs = ["redis-cli"]'), ["needs[0]", "expected a table"]),
]


def report_errors(root: Path, recipes: dict[str, str]) -> str:
    for name, text in recipes.items():
        write_recipe(root, name, text)
    result = invoke("report", "--no-check", "--workspace", str(root))
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr


@pytest.mark.parametrize(("recipes", "fragments"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_malformed_recipe_is_named(ws: Path, recipes: dict[str, str], fragments: list[str]) -> None:
    message = report_errors(ws, recipes)
    for fragment in fragments:
        assert fragment in message


def test_message_is_one_line(ws: Path) -> None:
    message = report_errors(ws, one(OK + "port = 0"))
    expected = "recipes/api.toml: port: expected an integer from 1 to 65535, got 0 (line 2)"
    assert message.strip() == f"bringup: {expected}"


@pytest.mark.parametrize(("text", "key", "line"), [
    ('command = "true"\nafterr = ["x"]\n', "afterr: unknown key; did you mean 'after'?", 2),
    ('command = "true"\n[verify]\n# a comment\ntcpp = 1\n', "verify.tcpp: unknown key; did "
     "you mean 'tcp'?", 4),
    ('command = "true"\n[[needs]]\nenv = "A"\n[[needs]]\npython = "r.txt"\nvenvv = "x"\n',
     "needs[1].venvv: unknown key; did you mean 'venv'?", 6),
    ('command = "true"\nenv = { A = 1 }\n', "env.A: expected a string", 2),
    ('command = "true"\ncolour = 1\n', "colour: unknown key; expected one of", 2),
])
def test_a_misspelt_key_is_named_with_its_line_and_the_key_meant(
        ws: Path, text: str, key: str, line: int) -> None:
    message = report_errors(ws, one(text))
    assert f"recipes/api.toml: {key}" in message and message.strip().endswith(f"(line {line})")
