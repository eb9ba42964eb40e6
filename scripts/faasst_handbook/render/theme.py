"""The site's colours (handbook.yaml, `site.colours`) as the theme's CSS variables, in a
stylesheet the build generates (`docs/handbook/site.css`) and the engine adapter adds to the
page's stylesheets, after the hand-written ones. Contrast is checked by the rule
`site-colour-contrast` (rules/site.py) before this runs."""

from __future__ import annotations

from ..source import models as m

STYLESHEET = "handbook/site.css"  # under docs/, generated with the pages


def _mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in (both #rrggbb)."""
    channels = [round(int(colour[i:i + 2], 16) * (1 - share) + int(other[i:i + 2], 16) * share)
                for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def _rgb(colour: str) -> str:
    return ", ".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))


def stylesheet(colours: m.Colours) -> str:
    primary, accent, links = (c.lower() for c in (colours.primary, colours.accent,
                                                     colours.links))
    variables = {
        "--md-primary-fg-color": primary,
        # lighter and darker shades the theme uses (the darker one under white text: the
        # footer, headings), derived so that a city gives three colours only
        "--md-primary-fg-color--light": _mix(primary, "#ffffff", 0.15),
        "--md-primary-fg-color--dark": _mix(primary, "#000000", 0.35),
        "--md-primary-bg-color": "#ffffff",
        "--md-accent-fg-color": accent,
        "--md-accent-fg-color--transparent": f"rgba({_rgb(accent)}, 0.1)",
        "--md-typeset-a-color": links,
    }
    lines = "".join(f"  {name}: {value};\n" for name, value in variables.items())
    return ("/* Generated from handbook/handbook.yaml (site.colours) by every build: change the "
            "colours there. */\n:root > * {\n" + lines + "}\n")
