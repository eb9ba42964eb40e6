"""QR codes of the print documents: inline SVG, scalable, nothing to fetch."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup, escape


def short_url(url: str) -> str:
    """The URL as printed under a QR code: without `https://`."""
    return url.split("://", 1)[-1]


@lru_cache(maxsize=4096)
def svg(url: str, label: str) -> Markup:
    """A QR code as inline SVG, named for assistive technology.

    Drawn as one filled path of module runs rather than segno's stroked lines: stroked rows
    leave hairline gaps when rasterised, which can make a printed code hard to scan."""
    code = segno.make(url, error="m")
    border = 4  # the quiet zone the QR standard asks for
    runs = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = len(code.matrix) + 2 * border
    return Markup(f'<svg class="hb-qr__code" xmlns="http://www.w3.org/2000/svg" '
                  f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}">'
                  f'<title>{escape(label)}</title><rect width="{size}" height="{size}" '
                  f'fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')
