#!/usr/bin/env python3
"""Resident memory of `tokenstorm-cli serve` before, during and after abusive clients.

Usage: bench/sim-abuse-rss.py build/bin/tokenstorm-cli [connections]

Phases, each followed by the server's RSS once its clients are gone:
  partial bodies   N connections announce 16,000,000-byte bodies, send 2 MB each, then close
  timed-out bodies N connections send 2 MB of a body and stall until the body timeout ends them
  slow heads       N connections trickle header bytes until the header timeout ends them
  oversized        N requests announcing 17 MB bodies (refused with 413 before reading)
  large request    one kept-alive connection sends an 8 MB prompt (400: too long), stays open
"""
import re
import socket
import subprocess
import sys
import time

HEADER_TIMEOUT_S = 3
BODY_TIMEOUT_S = 20


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def connections(port):
    # The server's own count, from its /metrics page.
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /metrics HTTP/1.1\r\nconnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    m = re.search(rb"^tokenstorm_sim_connections\{[^}]*\} (\d+)", data, re.M)
    return int(m.group(1)) if m else -1


def wait_for_connections(port, n, limit_s=30):
    deadline = time.time() + limit_s
    while time.time() < deadline:
        # /metrics itself is one connection
        if connections(port) - 1 == n:
            return True
        time.sleep(0.2)
    return False


def read_reply(s):
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head).group(1))
    while len(rest) < length:
        rest += s.recv(65536)
    return head


def normal_requests(port, n=50):
    s = socket.create_connection(("127.0.0.1", port))
    body = b'{"prompt":"hello","max_tokens":4}'
    for _ in range(n):
        s.sendall(b"POST /v1/completions HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: "
                  + str(len(body)).encode() + b"\r\n\r\n" + body)
        assert read_reply(s).startswith(b"HTTP/1.1 200")
    s.close()


def partial_bodies(port, n):
    socks = []
    head = b"POST /v1/completions HTTP/1.1\r\ncontent-length: 16000000\r\n\r\n"
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(head + b" " * 2_000_000)
        socks.append(s)
    time.sleep(1.5)   # for the server to read what the kernel holds
    return socks


def main():
    cli = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    server = subprocess.Popen([cli, "serve", "--port", "0", "--preset", "fixed", "--ttft-ms", "1", "--itl-ms", "1",
                               "--header-timeout", str(HEADER_TIMEOUT_S), "--body-timeout", str(BODY_TIMEOUT_S)],
                              stdout=subprocess.PIPE, text=True)
    port = None
    for line in server.stdout:
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    pid = server.pid
    try:
        normal_requests(port)
        print(f"baseline after 50 requests     {rss_kib(pid):>9} KiB")

        socks = partial_bodies(port, n)
        print(f"{n} partial 2 MB bodies held    {rss_kib(pid):>9} KiB ({connections(port) - 1} connections)")
        for s in socks:
            s.close()
        wait_for_connections(port, 0)
        time.sleep(0.5)
        print(f"  after the clients closed     {rss_kib(pid):>9} KiB")

        socks = partial_bodies(port, n)
        print(f"{n} partial bodies, stalled     {rss_kib(pid):>9} KiB ({connections(port) - 1} connections)")
        ok = wait_for_connections(port, 0, limit_s=BODY_TIMEOUT_S + 10)
        time.sleep(0.5)
        print(f"  after the body timeout       {rss_kib(pid):>9} KiB (all closed: {ok})")
        for s in socks:
            s.close()

        socks = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /health HTTP/1.1\r\nx-a: ")
            socks.append(s)
        for _ in range(HEADER_TIMEOUT_S * 4 + 4):
            for s in socks:
                try:
                    s.send(b"a")
                except OSError:
                    pass
            time.sleep(0.25)
        ok = wait_for_connections(port, 0)
        print(f"{n} slow heads, timed out       {rss_kib(pid):>9} KiB (all closed: {ok})")
        for s in socks:
            s.close()

        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /v1/completions HTTP/1.1\r\ncontent-length: 17000000\r\n\r\n")
            reply = s.recv(4096)
            assert reply.startswith(b"HTTP/1.1 413"), reply
            s.close()
        wait_for_connections(port, 0)
        print(f"{n} oversized bodies refused    {rss_kib(pid):>9} KiB")

        s = socket.create_connection(("127.0.0.1", port))
        body = b'{"prompt":"' + b"a" * 8_000_000 + b'"}'
        s.sendall(b"POST /v1/completions HTTP/1.1\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        assert read_reply(s).startswith(b"HTTP/1.1 400")
        time.sleep(0.5)
        print(f"8 MB request, connection open  {rss_kib(pid):>9} KiB")
        s.close()
        wait_for_connections(port, 0)
        normal_requests(port)
        print(f"end, after 50 requests         {rss_kib(pid):>9} KiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
