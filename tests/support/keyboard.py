"""Walking a page with the Tab key, as a keyboard user does, and looking at each stop: its
accessible name (Chromium's own, through the DevTools protocol), whether it can be seen, and the
contrast of its focus ring against what surrounds it (WCAG 1.4.11: 3:1).

Use:
    from support.keyboard import tab_stops

    stops = tab_stops(page)          # from the top of the page, until Tab leaves it
    assert all(stop.problems() == [] for stop in stops)
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The stop in the page: what it is, where it is, its ring. The ring is the focused element's
# outline, or its label's when the element itself has no box (Material's colour-scheme radio
# buttons are 0×0: the focus ring is drawn on the visible label that follows them).
_INSPECT = r"""() => {
  const target = document.activeElement;
  if (!target || target === document.body || target === document.documentElement) return null;
  const area = e => { const r = e.getBoundingClientRect(); return r.width * r.height; };
  let ring = target;
  if (area(target) === 0) {
    const next = target.nextElementSibling;
    const labels = [...(target.labels || []), ...(next && next.tagName === 'LABEL' ? [next] : [])];
    ring = labels.find(l => area(l) > 0 && getComputedStyle(l).outlineStyle !== 'none') || target;
  }
  const style = getComputedStyle(ring);
  const rect = ring.getBoundingClientRect();
  const seen = area(ring) > 0 && ring.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth;

  const parse = text => {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, below) => ({r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1});
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  // What is painted at a point, the ring's element excluded (unless the ring is inside it).
  const background = (x, y, inside) => {
    const layers = [];
    for (const e of document.elementsFromPoint(x, y)) {
      if (!inside && (e === ring || ring.contains(e))) continue;
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let color = {r: 255, g: 255, b: 255, a: 1};  // the canvas
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const width = parseFloat(style.outlineWidth) || 0;
  const offset = parseFloat(style.outlineOffset) || 0;
  const color = parse(style.outlineColor);
  let lowest = null;
  if (style.outlineStyle !== 'none' && style.outlineStyle !== 'auto' && width > 0 && color) {
    const d = offset + width / 2;  // the middle of the ring, outside the box (inside if < 0)
    const points = [[rect.left - d, rect.top + rect.height / 2], [rect.right + d, rect.top + rect.height / 2],
                    [rect.left + rect.width / 2, rect.top - d], [rect.left + rect.width / 2, rect.bottom + d]];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const ratio = contrast(over(color, background(x, y, d < 0)), background(x, y, d < 0));
      lowest = lowest === null ? ratio : Math.min(lowest, ratio);
    }
  }
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.classList.length ? '.' + [...e.classList].slice(0, 2).join('.') : '');
  return {element: describe(target), html: target.outerHTML.slice(0, 160),
          inNavigation: !!target.closest('.md-sidebar--primary'),
          inHeader: !!target.closest('.md-header'), inArticle: !!target.closest('article'),
          id: target.id, visible: seen, ringStyle: style.outlineStyle, ringWidth: width,
          ringContrast: lowest};
}"""


@dataclass
class TabStop:
    element: str  # tag#id.class, for messages
    html: str
    name: str  # the accessible name Chromium computed
    role: str
    id: str = ""
    in_navigation: bool = False
    in_header: bool = False
    in_article: bool = False
    visible: bool = False
    ring_style: str = ""
    ring_width: float = 0.0
    ring_contrast: float | None = None
    notes: list[str] = field(default_factory=list)

    def problems(self, minimum_contrast: float = 3.0) -> list[str]:
        found = []
        if not self.name.strip():
            found.append("no accessible name")
        if not self.visible:
            found.append("not visible when focused")
        if self.ring_style in ("none", "auto") or self.ring_width < 2:
            found.append(f"no focus ring of our own ({self.ring_style} {self.ring_width}px)")
        elif self.ring_contrast is not None and self.ring_contrast < minimum_contrast:
            found.append(f"focus ring contrast {self.ring_contrast:.2f}:1")
        return [f"{self.element} «{self.name[:40]}»: {problem}  {self.html}" for problem in found]


def accessible_name(cdp) -> tuple[str, str]:
    """(name, role) of the focused element, as Chromium's accessibility tree has them."""
    handle = cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})
    node = cdp.send("Accessibility.getPartialAXTree",
                    {"objectId": handle["result"]["objectId"], "fetchRelatives": False})["nodes"][0]
    return (node.get("name") or {}).get("value", ""), (node.get("role") or {}).get("value", "")


# Focus starts transitions (Material fades the skip link and the heading permalinks in): a stop
# not seen at once is looked at again once they are over, as a reader sees it.
_SETTLE = """async () => {
  const running = document.getAnimations().filter(a => a.playState === 'running');
  const done = Promise.all(running.map(a => a.finished.catch(() => null)));
  await Promise.race([done, new Promise(resolve => setTimeout(resolve, 1000))]);
}"""


def current_stop(page, cdp) -> TabStop | None:
    seen = page.evaluate(_INSPECT)
    if seen is not None and not seen["visible"]:
        page.evaluate(_SETTLE)
        seen = page.evaluate(_INSPECT)
    if seen is None:
        return None
    name, role = accessible_name(cdp)
    return TabStop(seen["element"], seen["html"], name, role, seen["id"], seen["inNavigation"],
                   seen["inHeader"], seen["inArticle"], seen["visible"], seen["ringStyle"],
                   seen["ringWidth"], seen["ringContrast"])


def tab_stops(page, limit: int = 2000) -> list[TabStop]:
    """Every stop Tab reaches from the top of the page, in order, until focus leaves the page
    (or comes back to the first stop)."""
    cdp = page.context.new_cdp_session(page)
    stops: list[TabStop] = []
    first_html = None
    try:
        for _ in range(limit):
            page.keyboard.press("Tab")
            stop = current_stop(page, cdp)
            if stop is None or (first_html is not None and stop.html == first_html
                                and stop.element == stops[0].element):
                break
            first_html = first_html or stop.html
            stops.append(stop)
    finally:
        cdp.detach()
    return stops
