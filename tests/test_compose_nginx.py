"""nginx in front of replicas, from a compose file that mounts a conf fragment and a static
folder into the nginx image: init writes nginx's own main config around the fragment (loopback,
the replicas on their ports here, the folder read where it is), and the stack is proven with no
edit; requests through nginx reach both replicas and the static file."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from bringup.discover.nginx import local

from helpers import (
    REPLICA,
    free_port,
    invoke,
    quicker,
    statuses,
    walk_all,
    write_file,
    written,
)

FRAGMENT = """
upstream app {
    server web1:5000;
    server web2:5000;
}
server {
    listen 80 default_server;
    listen [::]:80 default_server;
    resolver 127.0.0.11 valid=10s;
    location /static/ { alias /usr/share/nginx/html/; }
    location /direct { proxy_pass http://web1:5000/; }
    location / { proxy_pass http://app; }
}
"""


def test_a_fragment_is_rewritten_for_this_machine(tmp_path: Path) -> None:
    text = local(FRAGMENT, 8123, {"web1": (5000, 9001), "web2": (5000, 9002)},
                 (("/usr/share/nginx/html", tmp_path),))
    assert "listen 127.0.0.1:8123 default_server;" in text and "[::]" not in text
    assert "server 127.0.0.1:9001;" in text and "server 127.0.0.1:9002;" in text
    assert "proxy_pass http://127.0.0.1:9001/;" in text and "proxy_pass http://app;" in text
    assert f"alias {tmp_path}/;" in text and "resolver" not in text


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_in_front_of_replicas_comes_up_with_no_edit(
        open_root: Path, compose_reader: str) -> None:
    one, two, proxy = free_port(), free_port(), free_port()
    write_file(open_root, "compose.yaml", f"""
        services:
          web1:
            build: ./web
            command: python app.py
            ports: ["{one}:5000"]
          web2:
            build: ./web
            command: python app.py
            ports: ["{two}:5000"]
          proxy:
            image: nginx:1.25-alpine
            ports: ["{proxy}:80"]
            volumes:
              - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
              - ./static:/usr/share/nginx/html:ro
        """)
    write_file(open_root, "web/app.py", REPLICA)
    write_file(open_root, "nginx/default.conf", FRAGMENT)
    write_file(open_root, "static/hello.txt", "hello, static\n")
    made = invoke("init", "--yes", "--workspace", str(open_root))
    assert made.code == 0, made.output
    assert written(open_root) == {
        "web1": (("python", "app.py"), "web", one, {"PORT": str(one)}, (), False),
        "web2": (("python", "app.py"), "web", two, {"PORT": str(two)}, (), False),
        "proxy": ('nginx -p "$(pwd)/" -c var/proxy/nginx.conf -e stderr', ".", proxy, {},
                  ("web1", "web2"), False)}
    config = (open_root / "var/proxy/nginx.conf").read_text()
    assert f"server 127.0.0.1:{one};" in config and f"listen 127.0.0.1:{proxy}" in config
    quicker(open_root)
    walk_all(open_root)
    assert statuses(open_root) == {"web1": "proven", "web2": "proven", "proxy": "proven"}
    seen = {httpx.get(f"http://127.0.0.1:{proxy}/", timeout=5).text for _ in range(6)}
    assert seen == {f"replica on {one}", f"replica on {two}"}  # both, through the upstream
    static = httpx.get(f"http://127.0.0.1:{proxy}/static/hello.txt", timeout=5)
    assert static.text == "hello, static\n"
