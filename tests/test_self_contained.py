"""The project names no path outside itself: a clone has everything its files point to.

Sources of figures are named in the files themselves or in docs/sources.md, never in a file
outside the repository (a sibling folder of shared notes, a calibration file kept elsewhere) or
at an absolute path on someone's machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"

# Outputs written by the project's own commands (`make golden`, reports, calibrations): not
# hand-written, so not held to this rule here.
GENERATED = ("docs/reports/", "docs/calibration/", "tests/golden/")

# Built from pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        [
            re.escape(".." + "/shared"),  # the sibling folder of shared notes
            re.escape("CALIBRATION" + ".md"),  # the shared calibration notes
            # an absolute path on a machine (not a URL's path: the slash must not follow a word, a
            # colon, a slash or a dot)
            r"(?<![\w:/.~-])/(?:work|home|Users|root)/",
        ]
    )
)


def project_files() -> list[Path]:
    """The project's text files: tracked by git, or new and not ignored; generated ones left out."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of the project's files")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = []
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if name.startswith(GENERATED) or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        files.append(path)
    return files


def test_no_file_names_a_path_outside_the_project() -> None:
    files = project_files()
    assert len(files) > 50, f"expected the project's files, found {len(files)}"
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in [OUTSIDE.search(line)]
        if match
    ]
    assert not offending, "expected no path outside the repository; found:\n" + "\n".join(offending)


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_pointers_into_sources_name_a_section() -> None:
    anchors = {
        github_anchor(line.lstrip("#"))
        for line in SOURCES.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }
    pointer = re.compile(r"sources\.md#([\w-]+)")
    broken = [
        f"{path.relative_to(ROOT)}:{number}: #{anchor}"
        for path in project_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for anchor in pointer.findall(line)
        if anchor not in anchors
    ]
    assert not broken, (
        f"expected every pointer into docs/sources.md to name one of {sorted(anchors)}; found:\n" + "\n".join(broken)
    )
