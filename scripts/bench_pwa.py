"""Measure the offline app in Chromium: offline reload, app shell size, IndexedDB writes.

    .venv/bin/python scripts/bench_pwa.py [--reloads 15] [--answers 300]

Prints a Markdown table for docs/benchmarks.md ("Offline app"). Targets (issue 5): offline
reload to an interactive checklist ≤ 1 s; app shell ≤ 150 KB gzip; each edit's IndexedDB
write (the answer and its outbox op in one transaction) ≤ 10 ms median.
"""

import argparse
import gzip
import statistics

from pwa_live import PIN, chromium, live_app, sign_in, start_visit

from server.web.pwa import DEFAULT_DIR, shell_files

WRITE_LOOP = """async (count) => {
  const { recordAnswer } = await import('/app/js/outbox.js');
  const visit = location.hash.split('/')[2];
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await recordAnswer(visit, `bench.q${i % 60}`, i % 3 ? '' : 'strict', i);
    times.push(performance.now() - start);
  }
  return times;
}"""


def shell_size():
    """Return (files, raw bytes, gzip bytes) of the app shell."""
    files = shell_files(DEFAULT_DIR)
    raw = [(DEFAULT_DIR / name).read_bytes() for name in files]
    return len(files), sum(map(len, raw)), sum(len(gzip.compress(data, 6)) for data in raw)


def offline_reloads(page, count):
    """Reload the open checklist offline count times; return [(ms to the lock screen, ms from
    the PIN's submit to the interactive checklist)] (a start always shows the lock screen)."""
    page.context.set_offline(True)
    times = []
    for _ in range(count):
        page.reload()
        page.wait_for_selector("body[data-ready=yes] main[data-view=lockView] input[name=pin]")
        ready = int(page.evaluate("document.body.dataset.readyMs"))
        page.fill("input[name=pin]", PIN)
        page.evaluate("""() => {
            window.benchUnlock = performance.now();
            document.querySelector('form[data-form=pin] button[type=submit]').click();
        }""")
        page.wait_for_selector("main[data-view=checklistView] .question input")
        times.append((ready, int(page.evaluate("performance.now() - window.benchUnlock"))))
    page.context.set_offline(False)
    return times


def percentile(values, share):
    """Return the value below which a share of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    """Run the three measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reloads", type=int, default=15)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    files, raw, packed = shell_size()
    with live_app() as url, chromium(viewport={"width": 1024, "height": 768}) as context:
        page = context.pages[0]
        sign_in(page, url)
        start_visit(page, "almaty-minimum")
        reloads = offline_reloads(page, args.reloads)[1:]  # the first warms the worker
        context.set_offline(True)  # the benchmark's answers stay on the tablet
        writes = page.evaluate(WRITE_LOOP, args.answers)
    starts, unlocks = [r[0] for r in reloads], [r[1] for r in reloads]
    print(f"| offline reload to the lock screen | median {statistics.median(starts)} ms, "
          f"max {max(starts)} ms ({len(reloads)} reloads) |")
    print(f"| PIN unlock to interactive checklist (PBKDF2 310,000 rounds included) | median "
          f"{statistics.median(unlocks)} ms, max {max(unlocks)} ms |")
    print(f"| app shell | {files} files, {raw / 1024:.0f} KB, **{packed / 1024:.1f} KB gzip** |")
    print(f"| IndexedDB write per edit ({len(writes)} answers) | **median "
          f"{statistics.median(writes):.2f} ms**, p95 {percentile(writes, 0.95):.2f} ms, "
          f"max {max(writes):.2f} ms |")


if __name__ == "__main__":
    main()
