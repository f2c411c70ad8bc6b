#!/usr/bin/env python3
"""How much of a reported TTFT is the client's own doing, request by request.

Reads a packet capture of a run (tcpdump -w, loopback, full packets) and the run's detailed
result JSON (--save-detailed). For every measured request it finds, on the wire, the moment
the request's POST left the client and the moment the packet with its first generated text
came back: that difference is the server's TTFT as the network saw it. The client's reported
TTFT minus the wire TTFT is what the client added: its own sending and reading. The two are
told apart with the request's start time from the result: the time from it to the POST on the
wire is the sending part, counted from the quickest request of the run (the capture's clock
and the client's differ by an unknown constant), and the rest is the reading part.

Requests are matched by their generated text, which the simulator makes different for every
prompt. Only the standard library is used.

    wire-ttft.py CAPTURE.pcap PORT RESULT.json [TRUE_TTFT_MS]
"""
import collections
import json
import struct
import sys


def packets(path, port):
    """Yields (time_s, client_port, from_client, payload) for TCP packets with a payload."""
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        scale = 1e-9 if magic == 0xa1b23c4d else 1e-6
        link = struct.unpack('<I', head[20:24])[0]
        offset = {1: 14, 113: 16, 0: 4}.get(link, 14)   # Ethernet, Linux cooked, BSD loopback
        while True:
            record = f.read(16)
            if len(record) < 16:
                return
            sec, frac, caplen, _ = struct.unpack('<IIII', record)
            data = f.read(caplen)
            ip = data[offset:]
            if not ip or ip[0] >> 4 != 4:
                continue
            ihl = (ip[0] & 15) * 4
            tcp = ip[ihl:]
            src, dst = struct.unpack('>HH', tcp[:4])
            payload = tcp[(tcp[12] >> 4) * 4:]
            if payload:
                yield sec + frac * scale, (src if dst == port else dst), dst == port, payload


def replies(path, port):
    """Per request on the wire: (post_time, first_content_time, generated_text)."""
    streams = collections.defaultdict(list)
    for t, client, from_client, payload in packets(path, port):
        streams[client].append((t, from_client, payload))
    for events in streams.values():
        post, parts = None, []
        for t, from_client, payload in events + [(None, True, b'POST')]:
            if from_client and payload.startswith(b'POST'):
                if post is not None:
                    yield reply_of(post, parts)
                post, parts = t, []
            elif not from_client and post is not None:
                parts.append((t, payload))


def reply_of(post, parts):
    first, text = None, []
    pending = b''
    for t, payload in parts:
        pending += payload
        *lines, pending = pending.split(b'\n')
        for line in lines:
            line = line.rstrip(b'\r')
            if not line.startswith(b'data: ') or line == b'data: [DONE]':
                continue
            try:
                choices = json.loads(line[6:]).get('choices') or [{}]
            except ValueError:
                continue
            piece = choices[0].get('text') or (choices[0].get('delta') or {}).get('content') or ''
            if piece:
                text.append(piece)
                if first is None:
                    first = t
    return post, first, ''.join(text)


def quantiles(values, points=(0, 50, 90, 99, 100)):
    values = sorted(values)
    out = []
    for p in points:   # numpy's linear interpolation
        k = (len(values) - 1) * p / 100
        lo = int(k)
        hi = min(lo + 1, len(values) - 1)
        out.append(values[lo] + (values[hi] - values[lo]) * (k - lo))
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    capture, port, result_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    truth = float(sys.argv[4]) if len(sys.argv) > 4 else None
    result = json.load(open(result_path))
    # The last request on the wire with a given text (warm-ups may repeat a prompt).
    wire = {}
    for post, first, text in replies(capture, port):
        if first is not None and (text not in wire or wire[text][0] < post):
            wire[text] = (post, first)
    rows, sends = [], []
    for text, ttft, start in zip(result['generated_texts'], result['ttfts'], result['start_times']):
        if text in wire and ttft > 0:
            post, first = wire[text]
            rows.append(((first - post) * 1e3, ttft * 1e3))
            sends.append((post - start) * 1e3)
    if not rows:
        sys.exit('no request of the result was found in the capture')
    print(f'{len(rows)} of {len(result["ttfts"])} requests matched; milliseconds')
    print(f'{"":34} {"min":>8} {"median":>8} {"p90":>8} {"p99":>8} {"max":>8}')
    lines = [('wire TTFT (the server)', [w for w, _ in rows]),
             ('reported TTFT', [r for _, r in rows]),
             ('client added (reported - wire)', [r - w for w, r in rows])]
    # The capture's clock and the client's differ by a constant; the earliest POST, relative to
    # its start time, stands for it, so each send delay is relative to the quickest one.
    quickest = min(sends)
    sends = [d - quickest for d in sends]
    lines += [('  of which sending (to the quickest)', sends),
              ('  of which reading', [r - w - d for (w, r), d in zip(rows, sends)])]
    if truth is not None:
        lines.insert(1, ('server added (wire - %g ms)' % truth, [w - truth for w, _ in rows]))
        lines.append(('reported - %g ms' % truth, [r - truth for _, r in rows]))
    for name, values in lines:
        print(f'{name:34} ' + ' '.join(f'{v:8.1f}' for v in quantiles(values)))


if __name__ == '__main__':
    main()
