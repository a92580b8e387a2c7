"""Time claims.extraction on large quote-heavy text: the work must grow linearly with the input.

    .venv/bin/python bench/extraction_speed.py [--sizes 100000,1000000,5000000] [--profile]

The text is generated (invented names and sentences, English and French reporting styles mixed,
every paragraph quoting someone), so it holds far more quotations per kilobyte than a real article.
Prints, for each size, the seconds taken (wall clock, and CPU seconds of this process: on a machine
shared with other work the CPU figure is the one to compare between runs) and the quotations
found; a linear extractor keeps the seconds per megabyte flat. `--layout` reshapes the same text:
`one-line` (no line breaks), `no-sentence-ends` (no full stops, question marks or line breaks: one
sentence as long as the text).
"""

import argparse
import cProfile
import pstats
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import KnownSpeaker, extract  # noqa: E402

FIRST = ["Awa", "Moussa", "Jane", "Pierre", "Fatoumata", "Ibrahim", "Claire", "Oumar", "Nadia", "Karim"]
LAST = ["Diallo", "Keïta", "Doe", "Martin", "Traoré", "Sangaré", "Dupont", "Cissé", "Haïdara", "Touré"]
BODIES = ["the ministry", "the army", "the mission", "the council", "the committee"]
PARAGRAPHS = [
    "“{words},” said {name}, head of the {org}.",
    "{name} told reporters: “{words}.” He added that “{short}” was likely.",
    "According to {name}, the situation is “{short}”. She warned: “{words}.”",
    "« {words} », a déclaré {name}, ministre de la {org}.",
    "Selon {name}, « {short} ». « {words} », a-t-il ajouté.",
    "{Body} said in a statement that “{words}”, calling the attack “{short}”.",
    "Mr. {last} observed that the plan was “{short}”, and Gen. {last2} insisted: “{words}.”",
]
WORDS = [
    "security",
    "situation",
    "region",
    "forces",
    "talks",
    "people",
    "government",
    "agreement",
    "attack",
    "convoy",
    "city",
    "road",
]


def generate(size, seed=16):
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        first, last, last2 = rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST)
        paragraph = rng.choice(PARAGRAPHS).format(
            name=f"{first} {last}",
            last=last,
            last2=last2,
            org=rng.choice(["Defence", "Interior", "Sahel Mission", "Reconciliation Office"]),
            Body=rng.choice(BODIES).capitalize(),
            words=" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize(),
            short=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))),
        )
        parts.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(parts)[:size]


KNOWN = [
    KnownSpeaker(key="awa-diallo", name="Awa Diallo", titles=("Head of the Sahel Mission",)),
    KnownSpeaker(key="the-army", name="Malian Armed Forces", kind="armed_forces", aliases=("FAMa",)),
]


LAYOUTS = {
    "paragraphs": lambda text: text,
    "one-line": lambda text: text.replace("\n\n", " "),
    "no-sentence-ends": lambda text: re.sub(r"[.!?:]", "", text).replace("\n\n", " "),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,80000,160000,1000000,5000000")
    parser.add_argument("--profile", action="store_true", help="Profile the largest size and print the top 25.")
    parser.add_argument("--layout", choices=LAYOUTS, default="paragraphs")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    for size in sizes:
        text = LAYOUTS[args.layout](generate(size))
        profiler = cProfile.Profile() if args.profile and size == sizes[-1] else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        found = extract(text, KNOWN)
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        megabytes = len(text.encode()) / 1e6
        print(
            f"{len(text.encode()):>9} bytes  {len(found):>6} quotations  {seconds:7.2f} s  "
            f"{seconds / megabytes:6.2f} s/MB  cpu {cpu:7.2f} s  {cpu / megabytes:6.2f} s/MB",
            flush=True,
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
