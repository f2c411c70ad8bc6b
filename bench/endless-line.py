#!/usr/bin/env python3
"""Peak memory and time of `tokenstorm-cli run` against a server whose stream never ends a line.

Usage: bench/endless-line.py build/bin/tokenstorm-cli [MEGABYTES]

The server (in this script, on loopback) answers with three good SSE chunks, then
`data: {"choices":[{"text":"` followed by MEGABYTES (default 500) of "a" without a newline, and
holds the connection. Prints the client's peak resident memory, its wall time and the error
its request was recorded with.
"""
import os
import resource
import socket
import subprocess
import sys
import threading
import time

cli = sys.argv[1]
megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 500


def serve(conn):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(65536)
            if not data:
                return
            head += data
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
        for _ in range(3):
            conn.sendall(b'data: {"choices":[{"text":"hi"}]}\n\n')
            time.sleep(0.05)
        conn.sendall(b'data: {"choices":[{"text":"')
        block = b"a" * (1 << 20)
        for _ in range(megabytes):
            conn.sendall(block)
        time.sleep(3600)
    except OSError:
        pass
    finally:
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
port = listener.getsockname()[1]


def accept():
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


threading.Thread(target=accept, daemon=True).start()

started = time.monotonic()
# The run's first request is its pre-flight test, so the error ends the run and is printed.
run = subprocess.run([cli, "run", "--base-url", f"http://127.0.0.1:{port}", "--model", "m", "--num-prompts", "1",
                      "--request-timeout", "20", "--disable-tqdm"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.monotonic() - started
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
error = run.stderr.decode().strip().splitlines()[-1] if run.stderr.strip() else ""
print(f"{megabytes} MB line: peak RSS {peak_mb:.0f} MB, {elapsed:.1f} s, exit {run.returncode}, error: {error}")
