"""Two replicas behind Debian's nginx on one PostgreSQL database: a commit in one is seen in the other.

nginx runs the configuration shipped in deploy/nginx/ (its replicas' ports filled in), as the user
running the tests, with its pid, logs and temporary files in the test's folder.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import empty_postgres
from factories import FOUR_INDICATORS, FOUR_YEARS, TEST_PASSWORD, make_catalog, make_observations, make_workbook
from playwright.sync_api import expect
from support import free_port, start_app, unavailable

from hqd import store
from hqd.accounts import hash_password
from hqd.settings import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

DEPLOY = ROOT / "deploy" / "nginx"
ROUTE_COOKIE = "hqd_route"
# What the access log (log_format hqd_replicas) says of each request.
LOGGED = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) .* upstream=(?P<upstream>\S+) route=(?P<route>\S+)')


def find_nginx() -> str:
    """Return Debian's nginx, or skip (fail when browsers are required) without it."""
    # /usr/sbin is not on every user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        unavailable("nginx (apt-get install nginx)", "HQD_REQUIRE_BROWSER")
    return found


def write_nginx_conf(folder: Path, listen: int, replicas: list[str]) -> Path:
    """Write an nginx.conf around the shipped files: their upstream holding these replicas, logs in `folder`."""
    upstream = (DEPLOY / "hqd-replicas.conf").read_text(encoding="utf-8")
    servers = "".join(f"    server {address};\n" for address in replicas)
    upstream, count = re.subn(
        r"(?m)^    server 127\.0\.0\.1:\d+;\n(    server 127\.0\.0\.1:\d+;\n)*", servers, upstream
    )
    assert count == 1, "deploy/nginx/hqd-replicas.conf lists its replicas as `server 127.0.0.1:PORT;` lines"
    (folder / "hqd-replicas.conf").write_text(upstream, encoding="utf-8")
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 256; }}
http {{
{temp}
    include {folder / "hqd-replicas.conf"};
    access_log {folder / "access.log"} hqd_replicas;
    server {{
        listen 127.0.0.1:{listen};
        location / {{
            include {DEPLOY / "hqd-proxy.conf"};
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    return conf


def start_nginx(folder: Path, replicas: list[str]) -> tuple[subprocess.Popen, str]:
    """Start nginx in front of the replicas; return the process and the proxy's URL."""
    nginx = find_nginx()
    port = free_port()
    conf = write_nginx_conf(folder, port, replicas)
    # As root nginx's workers would run as nobody, who cannot write in the test's folder.
    user = ["-g", "daemon off; user root;"] if os.geteuid() == 0 else ["-g", "daemon off;"]
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(conf), *user],
        stdout=(folder / "nginx.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((folder / "nginx.out").read_text() + (folder / "error.log").read_text())
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"nginx did not start; see {folder}")


def read_access_log(folder: Path) -> list[dict[str, str]]:
    """Return the requests nginx logged, each with its request line, status, upstream and route."""
    lines = (folder / "access.log").read_text(encoding="utf-8").splitlines()
    return [match.groupdict() for line in lines if (match := LOGGED.search(line))]


def wait_for_log(folder: Path, ready: Callable[[list[dict[str, str]]], bool]) -> list[dict[str, str]]:
    """Return the access log once `ready` holds for it (or after 10 s).

    nginx writes a request's line after it has sent the response, so a client can read the response first.
    """
    deadline = time.monotonic() + 10
    while not ready(requests := read_access_log(folder)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return requests


def routes_to_each(proxy: str, folder: Path, replicas: list[str]) -> dict[str, str]:
    """Return, for each replica, a route cookie that nginx sends to it (found by asking with a few)."""
    found: dict[str, str] = {}
    for candidate in (f"pin-{n}" for n in range(64)):
        request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={candidate}"})
        with urllib.request.urlopen(request, timeout=5):
            pass
        logged = wait_for_log(folder, lambda requests, route=candidate: any(r["route"] == route for r in requests))
        served = next(r["upstream"] for r in reversed(logged) if r["route"] == candidate)
        found.setdefault(served, candidate)
        if set(found) >= set(replicas):
            return {replica: found[replica] for replica in replicas}
    raise AssertionError(f"no route found for every replica: {found}")


@pytest.fixture(scope="module")
def two_replicas(postgres_url, tmp_path_factory):
    """Start two replicas on one PostgreSQL database (four indicators, an editor) and nginx in front of them.

    Return the proxy's URL, the replicas' addresses and nginx's folder.
    """
    find_nginx()
    folder = tmp_path_factory.mktemp("replicas")
    empty_postgres(postgres_url)
    engine = store.connect(postgres_url)
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=make_catalog(FOUR_INDICATORS))
    store.commit_upload(engine, "values.xlsx", b"values", "张三", frame=make_observations(FOUR_YEARS))
    store.save_account(
        engine,
        "staff",
        "test",
        None,
        departments=["测试局"],  # the department of factories.make_catalog's indicators
        display_name="staff",
        role="editor",
        password_hash=hash_password(TEST_PASSWORD),
        disabled=False,
    )
    engine.dispose()
    started, replicas = [], []
    try:
        for n in (1, 2):
            process, url = start_app(postgres_url, folder / f"replica{n}.log")
            started.append(process)
            replicas.append(url.removeprefix("http://"))
        nginx_folder = folder / "nginx"
        nginx_folder.mkdir()
        nginx, proxy = start_nginx(nginx_folder, replicas)
        started.append(nginx)
        yield proxy, replicas, nginx_folder
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)


def overall_score(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def pinned_page(browser, proxy: str, route: str):
    """Return a page of a new browser whose route cookie sends it to one replica."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": proxy}])
    return context.new_page()


def route_cookies(response) -> list[str]:
    return [value for value in response.headers.get_all("Set-Cookie") or [] if value.startswith(f"{ROUTE_COOKIE}=")]


def test_a_new_visitor_gets_a_route_that_keeps_it_on_one_replica(two_replicas):
    proxy, replicas, nginx_folder = two_replicas
    routes = []
    for _ in range(20):
        with urllib.request.urlopen(f"{proxy}/", timeout=5) as response:
            (cookie,) = route_cookies(response)
        route = cookie.split(";")[0].removeprefix(f"{ROUTE_COOKIE}=")
        assert cookie == f"{ROUTE_COOKIE}={route}; Path=/; HttpOnly; SameSite=Lax"
        routes.append(route)
        for _ in range(3):
            request = urllib.request.Request(f"{proxy}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                assert route_cookies(response) == []  # given once only
    served: dict[str, set[str]] = {route: set() for route in routes}
    every_check = 3 * len(routes)
    logged = wait_for_log(nginx_folder, lambda requests: sum(r["route"] in served for r in requests) >= every_check)
    for request in logged:
        served.get(request["route"], set()).add(request["upstream"])
    assert all(len(upstreams) == 1 for upstreams in served.values()), served  # each visitor stays on its replica
    assert set().union(*served.values()) == set(replicas)  # and the visitors spread over both


def test_the_proxy_compresses_the_scripts_a_new_visitor_loads(two_replicas):
    proxy, (replica, _), _ = two_replicas
    with urllib.request.urlopen(f"{proxy}/", timeout=5) as response:
        script = re.search(r'src="\.?(/static/js/[^"]+\.js)"', response.read().decode()).group(1)
    with urllib.request.urlopen(f"http://{replica}{script}", timeout=5) as response:
        plain = response.read()
    request = urllib.request.Request(f"{proxy}{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        sent = response.read()
    assert gzip.decompress(sent) == plain
    assert len(sent) < len(plain) / 2


@pytest.mark.parametrize("origin", ["same", "other"])
def test_the_websocket_opens_through_the_proxy_from_the_sites_own_origin(two_replicas, origin):
    proxy, _, _ = two_replicas
    port = urllib.parse.urlsplit(proxy).port
    # A name that is not this machine's (Streamlit also lets localhost in from anywhere), on the proxy's port.
    site = f"hqd.example.gov.cn:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "GET",
        "/_stcore/stream",
        headers={
            "Host": site,
            "Origin": f"http://{site}" if origin == "same" else f"http://evil.example:{port}",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol": "streamlit",
        },
    )
    response = connection.getresponse()
    connection.close()
    assert response.status == (101 if origin == "same" else 403)


def test_a_commit_through_one_replica_is_seen_through_the_other(browser, two_replicas, tmp_path):
    proxy, (first, second), nginx_folder = two_replicas
    routes = routes_to_each(proxy, nginx_folder, [first, second])

    # B, on the second replica, reads the overview first: that replica caches the data from before the commit.
    # Both pages are asked for at once: each replica draws its first page (the slowest) while the other does.
    reader = pinned_page(browser, proxy, routes[second])
    editor = pinned_page(browser, proxy, routes[first])
    reader.goto(f"{proxy}/?year=2023")
    editor.goto(f"{proxy}/signin")
    expect(reader.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=30_000)
    before = overall_score(reader)

    # A, on the first replica, signs in as an editor and uploads a corrected figure.
    expect(editor.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    editor.get_by_role("textbox", name="用户名").fill("staff")
    editor.get_by_role("textbox", name="密码").fill(TEST_PASSWORD)
    editor.get_by_role("button", name="登录").click()
    expect(editor.get_by_text("当前用户：staff")).to_be_visible(timeout=20_000)
    editor.locator('[data-testid="stSidebarNav"] a', has_text="上传数据").click()
    expect(editor.get_by_role("heading", name="上传数据")).to_be_visible(timeout=20_000)
    workbook = tmp_path / "更正.xlsx"
    workbook.write_bytes(make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 195]]}))
    # The uploader sends the file over HTTP (/_stcore/upload_file): it must reach the replica of A's session.
    editor.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(editor.get_by_text("检查通过，没有错误")).to_be_visible(timeout=20_000)
    editor.get_by_role("button", name="提交导入").click()
    expect(editor.get_by_text("已提交：第3号上传")).to_be_visible(timeout=20_000)
    editor.get_by_role("link", name="查看总览").click()
    expect(editor.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=20_000)
    expect(editor.locator('[data-testid="stMetricValue"]').first).not_to_have_text(before, timeout=20_000)
    after = overall_score(editor)

    # B's same session (nothing restarted, no reload) goes to another page and back: the new figure.
    nav = reader.locator('[data-testid="stSidebarNav"] a')
    nav.filter(has_text="登录").click()
    expect(reader.get_by_role("heading", name="登录")).to_be_visible(timeout=20_000)
    nav.filter(has_text="总览").click()
    expect(reader.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=20_000)
    expect(reader.locator('[data-testid="stMetricValue"]').first).to_have_text(after, timeout=20_000)
    expect(reader.get_by_text("第3号上传（更正.xlsx，staff）")).to_be_visible()
    for page in (reader, editor):
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        page.context.close()

    # Each browser was served by its own replica only: its websocket, and A's upload too. nginx logs a
    # websocket when it closes, a moment after its browser.
    requests = wait_for_websockets(nginx_folder, set(routes.values()))
    for replica, route in routes.items():
        assert {r["upstream"] for r in requests if r["route"] == route} == {replica}
    assert any("/_stcore/upload_file" in r["request"] for r in requests if r["route"] == routes[first])


def wait_for_websockets(folder: Path, routes: set[str]) -> list[dict[str, str]]:
    """Return the access log once it holds a closed websocket (/_stcore/stream) of each route."""
    requests = wait_for_log(folder, lambda requests: routes <= upgraded_routes(requests))
    upgraded = upgraded_routes(requests)
    assert routes <= upgraded, f"websockets logged for {upgraded}, not all of {routes}"
    return requests


def upgraded_routes(requests: list[dict[str, str]]) -> set[str]:
    """Return the routes whose websocket (/_stcore/stream) nginx logged as upgraded."""
    return {r["route"] for r in requests if r["request"].startswith("GET /_stcore/stream ") and r["status"] == "101"}
