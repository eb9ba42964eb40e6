"""Rules on the site's configuration (handbook.yaml, `site`): a city that brings its own
colours keeps the site readable — WCAG 2.1 AA contrast, checked before anything is built."""

from __future__ import annotations

from .registry import Check, rule

WHITE = "#ffffff"
# (colour, what it is drawn against, the contrast it needs, what it is used for)
_NEEDS = {
    "primary": ("white text on it", 4.5),
    "accent": ("white", 4.5),
    "links": ("white", 4.5),
}


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@rule("site-colour-contrast", "the site's colours keep a contrast of 4.5:1 with white "
      "(WCAG 2.1 AA)", area="site")
def colour_contrast(check: Check):
    colours = check.content.info.site.colours
    for name, (against, needed) in _NEEDS.items():
        value = getattr(colours, name)
        ratio = contrast(value, WHITE)
        if ratio < needed:
            yield check.problem("handbook", None, ("site", "colours", name),
                                f"`{value}` has a contrast of {ratio:.1f}:1 with {against}; "
                                f"it needs at least {needed}:1 to stay readable (WCAG 2.1 AA): "
                                "use a darker colour.")
