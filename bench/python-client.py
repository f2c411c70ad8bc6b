#!/usr/bin/python3
"""A Python client that sends and times streamed completions the way vLLM's serving benchmark
does, to compare its cost and accuracy with tokenstorm-cli on the same machine and server.

As there: aiohttp, a new client session (so a new connection) per request, the start time
taken just before the POST, one timestamp per streamed chunk as `async for` hands it over,
TTFT at the first chunk with choices, ITL between later ones, token counts from the usage
chunk. All requests are started at once, at most --max-concurrency in flight.

    bench/python-client.py --base-url http://127.0.0.1:8000 --model M --num-prompts 1000 \\
        --max-concurrency 1000 --output-len 60

Needs python3-aiohttp (Debian 12: apt-get install python3-aiohttp). Prints the TTFT and ITL
statistics and the process's CPU time (user + system) per output token.
"""
import argparse
import asyncio
import json
import random
import resource
import statistics
import time

import aiohttp


async def one_request(url, model, prompt, output_len, semaphore):
    async with semaphore:
        payload = {
            'model': model, 'prompt': prompt, 'max_tokens': output_len, 'temperature': 0.0,
            'ignore_eos': True, 'stream': True, 'stream_options': {'include_usage': True},
        }
        timeout = aiohttp.ClientTimeout(total=6 * 60 * 60)
        async with aiohttp.ClientSession(trust_env=True, timeout=timeout) as session:
            ttft, itl, tokens = None, [], 0
            start = time.perf_counter()
            last = start
            async with session.post(url, json=payload) as response:
                if response.status != 200:
                    return None
                async for line in response.content:
                    line = line.strip()
                    if not line:
                        continue
                    text = line.decode('utf-8').removeprefix('data: ')
                    if text == '[DONE]':
                        continue
                    data = json.loads(text)
                    now = time.perf_counter()
                    if data.get('choices'):
                        if ttft is None:
                            ttft = now - start
                        else:
                            itl.append(now - last)
                        last = now
                    elif data.get('usage'):
                        tokens = data['usage'].get('completion_tokens', 0)
            return ttft, itl, tokens


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--base-url', required=True)
    parser.add_argument('--model', required=True)
    parser.add_argument('--num-prompts', type=int, default=1000)
    parser.add_argument('--max-concurrency', type=int, default=1000)
    parser.add_argument('--output-len', type=int, default=60)
    args = parser.parse_args()

    url = args.base_url.rstrip('/') + '/v1/completions'
    rng = random.Random(0)
    words = ['load', 'token', 'server', 'stream', 'latency', '测试', '模型', '吞吐']
    prompts = [' '.join(rng.choice(words) for _ in range(32)) for _ in range(args.num_prompts)]
    semaphore = asyncio.Semaphore(args.max_concurrency)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_before = time.perf_counter()
    results = await asyncio.gather(*(one_request(url, args.model, p, args.output_len, semaphore)
                                     for p in prompts))
    wall = time.perf_counter() - wall_before
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)

    done = [r for r in results if r and r[0] is not None]
    ttfts = [r[0] * 1e3 for r in done]
    itls = [x * 1e3 for r in done for x in r[1]]
    tokens = sum(r[2] for r in done)
    print(f'completed {len(done)} of {len(results)} in {wall:.2f} s, {tokens} output tokens')
    print(f'TTFT ms: mean {statistics.mean(ttfts):.1f} median {percentile(ttfts, 50):.1f} '
          f'p99 {percentile(ttfts, 99):.1f}')
    if itls:
        print(f'ITL ms: mean {statistics.mean(itls):.1f} p99 {percentile(itls, 99):.1f}')
    print(f'client CPU {cpu:.2f} s, {cpu * 1e6 / max(tokens, 1):.1f} µs per output token, '
          f'{100 * cpu / wall:.0f} % of a core')


if __name__ == '__main__':
    asyncio.run(main())
