"""What the zoo's real captures cannot show: the lines a rule must leave alone, and the noise a
pasted log carries read past without losing its evidence."""

from __future__ import annotations

from bringup.diagnosis import diagnose
from bringup.diagnosis.noise import strip_prefixes

PORT_TAKEN = "listen tcp :47110: bind: address already in use"


def first(text: str) -> tuple[str, str]:
    finding = diagnose(text)[0]
    return finding.kind, finding.subject


def test_each_runner_prefix_is_read_past_and_the_evidence_stays_as_printed() -> None:
    for prefix in ("web_1  | ", "web-1  | ", "13:07:24 web.1  | ", "0|api  | ", "[api] ",
                   "2026-12-05T13:07:24.000Z ", "[2026-12-05 13:07:24] ",
                   "2026-12-05T13:07:24.000Z web_1  | ", "Dec 05 13:07:24 web-01 app[4123]: ",
                   "Dec  5 13:07:24 web-01 docker/web: ", "[pod/web-5c9d8/web] ",
                   "2026-12-05T13:07:24.5Z stderr F ", "> ", ">",
                   "    ", "\t", "    web-1  | "):
        log = f"{prefix}starting server\n{prefix}app.rb:8: syntax error, unexpected end\n"
        finding = diagnose(log)[0]
        assert (finding.kind, finding.subject) == ("syntax-error", "app.rb:8"), prefix
        assert finding.evidence == f"{prefix}app.rb:8: syntax error, unexpected end".strip()


def test_a_prefix_on_a_few_lines_is_the_programs_own_and_stays() -> None:
    lines = ["[info] ready", "one", "two", "three", "four"]
    assert strip_prefixes(lines) is lines


def test_docker_json_file_records_are_read_as_the_lines_they_hold() -> None:
    record = '{{"log":"{}\\n","stream":"stderr",{}"time":"2026-12-05T13:07:24.5Z"}}'
    lines = [record.format("\\u001b[31mstarting\\u001b[0m \\u003cweb\\u003e", ""),
             record.format('app.rb:8: syntax error, unexpected \\"end\\"',
                           '"attrs":{"tag":"web"},'),
             '{"log":"a line longer than 16K, cut here","stream":"stdout","time":"x"}']
    assert strip_prefixes(lines) == ["starting <web>", 'app.rb:8: syntax error, unexpected "end"',
                                     "a line longer than 16K, cut here"]
    finding = diagnose("\n".join(lines))[0]
    assert (finding.kind, finding.subject) == ("syntax-error", "app.rb:8")
    assert finding.evidence == lines[1]
    # A program's own JSON lines are not records of the driver's.
    own = ['{"level":"info","msg":"ready"}', '{"log":"x","stream":"stderr"}']
    assert strip_prefixes(own) is own


def test_an_indent_goes_only_where_every_line_has_it_and_a_traceback_keeps_its_own() -> None:
    lines = ["    Traceback (most recent call last):", '      File "app.py", line 3',
             "", "    KeyError: 'X'"]
    assert strip_prefixes(lines) == ["Traceback (most recent call last):",
                                     '  File "app.py", line 3', "", "KeyError: 'X'"]
    unindented = ["Traceback (most recent call last):", '  File "app.py", line 3']
    assert strip_prefixes(unindented) is unindented


def test_newer_syntax_is_a_runtime_too_old_only_where_the_interpreter_predates_it() -> None:
    walrus = ('  File "/srv/app/venv/lib/python{v}/site-packages/x.py", line 3\n'
              "    if (n := len(a)) > 10\n"
              "                        ^\n"
              "SyntaxError: expected ':'\n")
    assert first(walrus.format(v="3.7")) == ("runtime-version", "python")
    assert first(walrus.format(v="3.11")) == ("syntax-error",
                                              "/srv/app/venv/lib/python3.11/site-packages/x.py:3")
    # A statement that is new in 3.12 needs no version to say so; a walrus alone does.
    alias = ('  File "main.py", line 3\n    type ItemId = int\n         ^^^^^^\n'
             "SyntaxError: invalid syntax\n")
    assert first(alias) == ("runtime-version", "python")
    assert first(walrus.replace("/srv/app/venv/lib/python{v}/site-packages/", "")) == (
        "syntax-error", "x.py:3")


def test_an_operator_node_stops_at_is_its_age_but_a_stray_brace_is_a_typo() -> None:
    old = ("/app/server.js:4\nconst port = settings?.port;\n                    ^\n\n"
           "SyntaxError: Unexpected token '.'\n")
    assert first(old) == ("runtime-version", "node")
    typo = "/app/server.js:12\n});\n^\n\nSyntaxError: Unexpected token '}'\n"
    assert first(typo) == ("syntax-error", "/app/server.js:12")


def test_a_go_position_is_a_compile_error_only_under_the_package_line_go_prints() -> None:
    assert first("# command-line-arguments\n./main.go:11:30: undefined: addr\n") == (
        "syntax-error", "./main.go:11")
    assert diagnose("./main.go:11:30: some linter said so\n") == []
    # a newer go.mod explains the compile errors it causes
    newer = "# example.com/x\n./main.go:6:13: undefined: min\nnote: module requires Go 1.21\n"
    assert first(newer) == ("runtime-version", "go")


def test_the_first_of_the_settings_fields_is_the_variable_named() -> None:
    log = ("pydantic_core._pydantic_core.ValidationError: 2 validation errors for Settings\n"
           "POSTGRES_SERVER\n  Field required [type=missing, input_value={}, input_type=dict]\n"
           "SECRET_KEY\n  Field required [type=missing, input_value={}, input_type=dict]\n")
    assert first(log) == ("missing-env", "POSTGRES_SERVER")


def test_a_client_target_said_long_before_the_refusal_is_its_subject_but_a_bind_address_is_not(
) -> None:
    filler = "".join(f"  frame {n}\n" for n in range(40))
    said = (f"fetching http://127.0.0.1:44615/health\n{filler}"
            "httpx.ConnectError: [Errno 111] Connection refused\n")
    assert first(said) == ("connection-refused", "127.0.0.1:44615")
    bound = said.replace("fetching http://127.0.0.1:44615/health", "listening on 0.0.0.0:8000")
    assert first(bound) == ("connection-refused", "unknown")


def test_a_go_port_taken_reads_its_port() -> None:
    assert first(f"2026/12/05 13:04:16 {PORT_TAKEN}\n") == ("port-in-use", "47110")


def test_why_a_dependency_never_came_up_comes_before_the_refusals_it_causes() -> None:
    unresolved = ('web_1 | could not translate host name "db" to address: Name or service not '
                  "known\nweb_1 | retrying\nweb_1 | connect ECONNREFUSED 127.0.0.1:5432\n")
    assert first(unresolved) == ("unresolvable-host", "db")
    no_server = ("db_1  | /usr/local/bin/docker-entrypoint.sh: line 5: exec: postgres: not found\n"
                 "db_1 exited with code 127\n"
                 'web_1 | psycopg2.OperationalError: connection to server at "db" (172.18.0.2), '
                 "port 5432 failed: Connection refused\n")
    assert first(no_server) == ("missing-binary", "postgres")
    # a wrapper's missing tool it did without explains no later failure of another kind
    ran_anyway = ("sh: 1: yarn: command not found\n> next dev\n"
                  "Error: listen EADDRINUSE: address already in use :::3000\n")
    assert first(ran_anyway) == ("port-in-use", "3000")


def test_a_package_npm_found_is_a_conflict_only_when_npm_refuses_the_tree() -> None:
    refused = ("npm error code ERESOLVE\nnpm error ERESOLVE unable to resolve dependency tree\n"
               "npm error\nnpm error Found: react@17.0.2\n")
    assert first(refused) == ("dependency-conflict", "react")
    assert diagnose("npm error Found: react@17.0.2\n") == []


def test_what_an_older_node_lacks_is_its_age_only_where_that_node_predates_it() -> None:
    at = ("/app/latest.js:2\nconst latest = releases.at(-1);\n                        ^\n\n"
          "TypeError: releases.at is not a function\n    at Object.<anonymous> (/app/a.js:2)\n")
    assert first(at) == ("runtime-version", "node")
    # Node 17 and later print their version under a crash: there .at exists, the value is wrong
    assert diagnose(at + "\nNode.js v20.11.1\n")[0].kind != "runtime-version"
    # a method of people's own, or a static called on something else, is no runtime's age
    assert first("TypeError: client.connectNow is not a function\n") == ("crashed", "unknown")
    assert first("TypeError: config.any is not a function\n") == ("crashed", "unknown")
    assert first("TypeError: Promise.any is not a function\n") == ("runtime-version", "node")
    fetch = "ReferenceError: fetch is not defined\n    at poll (/app/worker.js:4:15)\n"
    assert first(fetch) == ("runtime-version", "node")
    assert diagnose(fetch + "\nNode.js v18.20.8\n")[0].kind != "runtime-version"
    assert first("ReferenceError: userName is not defined\n") == ("crashed", "unknown")


def test_a_module_node_cannot_find_is_its_age_only_when_it_is_one_of_nodes_own() -> None:
    missing = "Error: Cannot find module '{}'\nRequire stack:\n- /app/index.js\n"
    assert first(missing.format("worker_threads")) == ("runtime-version", "node")
    assert first(missing.format("node:fs")) == ("runtime-version", "node")
    assert first(missing.format("lodash")) == ("missing-node-module", "lodash")
    assert first(missing.format("fs")) != ("runtime-version", "node")
    assert first(missing.format("./routes")) == ("missing-path", "./routes")
    newer = missing.format("fs/promises") + "\nNode.js v20.11.1\n"
    assert first(newer) != ("runtime-version", "node")


def test_a_validators_list_names_its_first_variable_and_only_a_variable() -> None:
    assert first("Invalid environment variables: { S3_BUCKET: [ 'Required' ] }\n") == (
        "missing-env", "S3_BUCKET")
    assert first(" Missing environment variables:\n    JWT_SECRET: undefined\n") == (
        "missing-env", "JWT_SECRET")
    # a header whose list is not there says nothing about which variable
    bare = "Error: Invalid environment variables\n    at createEnv (/app/env.js:3:9)\n"
    assert first(bare) == ("crashed", "unknown")
