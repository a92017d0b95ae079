"""The nginx files in deploy/: the sample site passes `nginx -t`, and the proxy rules
retry only what is safe to send twice.

The retry test runs Debian's nginx with deploy/nginx/twitchlog-proxy.conf in front of
two stand-in app servers on loopback: the first reads each request whole and dies
without answering (a server killed mid-request), the second answers. nginx must send
a GET on to the second, and an API POST carrying an Idempotency-Key (the app writes
its entry once), but never a form POST or an API POST without a key: those may have
been saved before the first server died. Without nginx the tests are skipped, except
under CI=true, where they fail.
"""

import datetime
import http.server
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"


def find_nginx():
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing (apt-get install -y nginx-light)")
        pytest.skip("nginx is missing (apt-get install -y nginx-light)")
    return found


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main_config(folder: Path, http_block: str) -> Path:
    """An nginx.conf that keeps everything (pid, logs, temporary files) in `folder`."""
    # Root's nginx would hand its workers to nobody; keep whoever runs the tests.
    user = "user root root;" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    {http_block}
}}
"""
    )
    return config


def nginx_command(nginx, folder, config):
    return [nginx, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]


def self_signed_certificate(folder: Path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "twitchlog.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def test_the_sample_site_passes_nginx_t(tmp_path):
    nginx = find_nginx()
    self_signed_certificate(tmp_path)
    # The sample as an operator installs it, with this folder for /etc and /var/log.
    site = (
        (DEPLOY / "twitchlog.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/twitchlog.example.org/", f"{tmp_path}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("snippets/twitchlog-proxy.conf", str(DEPLOY / "twitchlog-proxy.conf"))
    )
    (tmp_path / "twitchlog.conf").write_text(site)
    config = main_config(tmp_path, f"include {tmp_path}/twitchlog.conf;")

    checked = subprocess.run(
        [*nginx_command(nginx, tmp_path, config), "-t"], capture_output=True, text=True
    )

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


class DiesMidRequest(threading.Thread):
    """Reads each request whole, as an app server does before it works on it, then
    closes the connection without a word: a server killed while working."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests = []

    def run(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(65536)
                head, body = data.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(body) < length:
                    body += connection.recv(65536)
                self.requests.append(head.split(b"\r\n")[0].decode())


class Answers(http.server.BaseHTTPRequestHandler):
    """The server that stays up: notes each request and answers 200."""

    seen: list

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self.seen.append((self.command, self.path, self.headers.get("Idempotency-Key"), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = do_PATCH = answer

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(tmp_path):
    """nginx with the deployment's proxy rules in front of a dying and a healthy server;
    yields (nginx's base URL, the dying server, what the healthy one saw)."""
    nginx = find_nginx()
    dying = DiesMidRequest()
    dying.start()
    seen = []
    handler = type("Handler", (Answers,), {"seen": seen})
    healthy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=healthy.serve_forever, daemon=True).start()
    port = free_port()
    # The dying server first, always (max_fails=0: never left out), the other behind it.
    config = main_config(
        tmp_path,
        f"""access_log off;
    upstream twitchlog {{
        server 127.0.0.1:{dying.port} max_fails=0;
        server 127.0.0.1:{healthy.server_address[1]} backup;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {DEPLOY / "twitchlog-proxy.conf"};
    }}""",
    )
    process = subprocess.Popen([*nginx_command(nginx, tmp_path, config), "-g", "daemon off;"])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield base, dying, seen
    finally:
        process.terminate()
        process.wait(timeout=10)
        healthy.shutdown()
        dying.listener.close()


def send(url, method="GET", body=None, headers=None):
    request = urllib.request.Request(url, body, headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


FORM = b"location=calf&side=left&one_time_key=k-123456789"
JSON = b'{"location": "calf"}'


def test_a_get_cut_off_is_sent_on_to_another_server(proxy):
    base, dying, seen = proxy

    assert send(f"{base}/journal/") == 200
    assert [line.split()[:2] for line in dying.requests] == [["GET", "/journal/"]]
    assert [(method, path) for method, path, _, _ in seen] == [("GET", "/journal/")]


def test_a_form_post_cut_off_is_not_sent_again(proxy):
    base, dying, seen = proxy
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    assert send(f"{base}/log/", "POST", FORM, headers) == 502
    assert len(dying.requests) == 1
    assert seen == []


def test_an_api_post_without_a_key_cut_off_is_not_sent_again(proxy):
    base, dying, seen = proxy
    headers = {"Content-Type": "application/json"}

    assert send(f"{base}/api/v1/twitches/", "POST", JSON, headers) == 502
    assert send(f"{base}/api/v1/twitches/7/", "PATCH", JSON, headers) == 502
    assert len(dying.requests) == 2
    assert seen == []


def test_an_api_post_with_an_idempotency_key_cut_off_is_sent_again_whole(proxy):
    base, dying, seen = proxy
    headers = {"Content-Type": "application/json", "Idempotency-Key": "k-123456789"}

    assert send(f"{base}/api/v1/twitches/", "POST", JSON, headers) == 200
    assert len(dying.requests) == 1
    assert seen == [("POST", "/api/v1/twitches/", "k-123456789", JSON.decode())]
    # A key makes only a POST safe to repeat: the API keeps keys for new entries.
    assert send(f"{base}/api/v1/twitches/7/", "PATCH", JSON, headers) == 502
    assert len(seen) == 1
