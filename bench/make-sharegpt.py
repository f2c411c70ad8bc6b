#!/usr/bin/env python3
"""Writes a ShareGPT-format file of a given size for the large-dataset measurement in
docs/performance.md: conversations of four turns, English words with some Chinese, seeded.
    bench/make-sharegpt.py OUT.json [SIZE_BYTES]   (default 1,000,000,000)"""
import json
import random
import sys

WORDS = ("the of and to in is that for it as with was on be by at this are from or have an not they "
         "which one you had her all she there would their we him been has when who will more no if out "
         "so said what up its about into than them can only other new some could time these two may then "
         "do first any my now such like our over man me even most made after also did many before must "
         "through back years where much your way well down should because each just those people how too "
         "little state good very make world still own see men work long get here between both life being "
         "under never day same another know while last might us great old year off come since against go "
         "came right used take three").split()
CHINESE = "你好世界大模型推理服务性能测试延迟吞吐量并发请求用户对话"


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)) + " " + "".join(rng.choice(CHINESE) for _ in range(n // 4))


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000_000
    rng = random.Random(1)
    size = 0
    count = 0
    with open(out, "w", encoding="utf-8") as f:
        f.write("[")
        while size < target:
            conversation = []
            for who, lengths in (("human", (20, 300)), ("gpt", (20, 400)), ("human", 30), ("gpt", 60)):
                n = rng.randint(*lengths) if isinstance(lengths, tuple) else lengths
                conversation.append({"from": who, "value": sentence(rng, n)})
            entry = {"id": f"c{count}", "conversations": conversation}
            text = json.dumps(entry, ensure_ascii=False)
            if count:
                f.write(",")
            f.write(text)
            size += len(text.encode())
            count += 1
        f.write("]")
    print(f"{out}: {count} conversations")


if __name__ == "__main__":
    main()
