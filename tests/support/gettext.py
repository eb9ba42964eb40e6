"""GNU gettext's `msgfmt --check` on a PO file: what translators' tools (Poedit, Weblate)
require of it. Without msgfmt the test is skipped with the reason on a developer machine; in
CI (`CI=true`, where .ci/run installs `gettext`) that is a failure."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .browser import in_ci


def msgfmt_check(po_file: Path) -> str:
    """Run `msgfmt --check --statistics`; assert it passes; return its statistics line."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        message = "msgfmt (GNU gettext) is missing: `apt-get install gettext`"
        if in_ci():
            pytest.fail(f"cannot check PO files in CI: {message}", pytrace=False)
        pytest.skip(message)
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", "/dev/null",
                             str(po_file)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr
