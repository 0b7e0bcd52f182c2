"""Customer search: ``s.customers.search`` (FTS5 prefix) over many customers, median per query."""
from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from .common import Row, books, chunks, median_ms, progress

TARGET_MS = 5.0
BATCH = 2000
FIRST = ("Maria", "Marco", "Giulia", "Luca", "Anna", "John", "Joanna", "Sofia", "Matteo", "Elena", "Peter", "Sarah",
         "Ahmed", "Fatima", "Chen", "Mei", "Olga", "Ivan", "Lucia", "Carlos", "Ana", "Tomás", "Zoë", "Noah")
LAST = ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Smith", "Johnson", "Brown", "Garcia",
        "Müller", "Schmidt", "Kowalski", "Novak", "Silva", "Santos", "Kim", "Lee", "Wang", "Nguyen", "Dubois",
        "Martin", "Jensen", "Larsen", "O'Brien", "Murphy")
QUERIES = ("mar", "jo", "ros", "smith", "anna b", "luc", "gar", "kow", "nguy", "maria rossi", "sof", "mü",
           "555", "cust-mar", "ele", "o'b", "jen", "chen w", "pet", "zo")


def customers(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        out.append({"name": f"{first} {last}", "email": f"{first}.{last}.{i}@example.com".lower().replace("'", ""),
                    "phone": f"+1 555 {rnd.randrange(1000, 9999)} {i % 10000:04d}",
                    "credit_limit": rnd.choice((0, 500, 1000, 5000)), "payment_terms": rnd.choice(("NET30", "COD"))})
    return out


def run(count: int, workdir: Path) -> list[Row]:
    hera, _org, s = books(workdir, "customer_search")
    try:
        progress(f"onboarding {count:,} customers with customers.onboard_many in batches of {BATCH}")
        start = time.perf_counter()
        for batch in chunks(customers(count), BATCH):
            s.customers.onboard_many(batch)
        built = time.perf_counter() - start
        for q in QUERIES:
            s.customers.search(q)
        samples = []
        found = 0
        for _ in range(5):
            for q in QUERIES:
                t = time.perf_counter()
                hits = s.customers.search(q, limit=20)
                samples.append(time.perf_counter() - t)
                found += len(hits)
        ms = median_ms(samples)
        return [Row("customer search (FTS5 prefix)", f"{count:,} customers", f"{ms:.2f} ms median",
                    f"<= {TARGET_MS:g} ms", ms <= TARGET_MS,
                    note=f"{len(QUERIES)} prefixes x5, up to 20 customers with details each "
                         f"(avg {found / len(samples):.1f} found); onboarding took {built:.1f} s "
                         f"({count / built:,.0f}/s)")]
    finally:
        hera.close()
