#!/usr/bin/env python3
"""After a failed ctest run: what each failed test reported, at the end of the output.

ctest prints a failed test's output where the test ended, in the middle of a long run; whoever
reads only the end of the log (CI shows its tail) sees just the names. This prints, per failed
test, its assertion failures, sanitizer reports and the lines tests mark as their summary
("[... test]"), read from ctest's own log of the run.

Usage: failed-tests-summary.py BUILD_DIR
"""

import pathlib
import re
import sys

MAX_LINES_PER_TEST = 150
# What starts an excerpt, and how many lines of it to keep.
STARTS = [
    (re.compile(r": Failure$"), 12),
    (re.compile(r"(AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)|runtime error:"), 20),
    (re.compile(r"^\[[a-z ]+ test\] "), 1),
    (re.compile(r"C\+\+ exception|terminate called|Segmentation fault|Timeout"), 3),
]


def outputs_of(log_text):
    """Test name -> its output, for every test block in ctest's LastTest.log."""
    outputs = {}
    pattern = re.compile(
        r"^\d+/\d+ Test: (?P<name>.+?)\n.*?^Output:\n-+\n(?P<output>.*?)^<end of output>",
        re.S | re.M,
    )
    for match in pattern.finditer(log_text):
        outputs[match.group("name")] = match.group("output")
    return outputs


def excerpt(output):
    lines = output.splitlines()
    kept = []
    index = 0
    while index < len(lines) and len(kept) < MAX_LINES_PER_TEST:
        for start, count in STARTS:
            if start.search(lines[index]):
                kept.extend(lines[index : index + count])
                index += count - 1
                break
        index += 1
    return kept[:MAX_LINES_PER_TEST]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    temporary = pathlib.Path(sys.argv[1]) / "Testing" / "Temporary"
    failed_log = temporary / "LastTestsFailed.log"
    if not failed_log.exists():
        print(f"failed-tests-summary: no {failed_log}")
        return
    outputs = outputs_of((temporary / "LastTest.log").read_text(errors="replace"))
    print("\n=== What the failed tests reported ===")
    for line in failed_log.read_text().splitlines():
        name = line.split(":", 1)[-1]
        print(f"\n--- {name}")
        output = outputs.get(name)
        if output is None:
            print("(no output in LastTest.log)")
            continue
        kept = excerpt(output)
        print("\n".join(kept) if kept else "\n".join(output.splitlines()[-40:]))


if __name__ == "__main__":
    main()
