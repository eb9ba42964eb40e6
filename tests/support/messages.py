"""What every message an editor gets must look like."""

from __future__ import annotations

import re

# Every message tells the editor what to do: one of these words (or a suggestion) must be in it.
ACTIONS = re.compile(r"\b(add|remove|write|put|replace|save|rename|use|align|keep|change|correct|"
                     r"create|delete|give|merge|restore|move|translate|leave|did you mean)\b", re.IGNORECASE)
PROBLEM_LINE = re.compile(r"^(?P<file>(?:handbook|scripts|overrides)/[\w./-]+):(?P<line>\d+):(?P<column>\d+): "
                          r"(?:(?P<field>[\w.\[\]]+): )?(?P<message>\S.*)$")
