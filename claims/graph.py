"""A claim's dispute neighbourhood drawn as a small self-contained SVG (no scripts, fonts or links out).

Plain string building: the centre claim in the middle, claims one step away on an inner ring, two
steps away on an outer ring; nodes coloured by review status, disputes drawn red and dashed,
supports green; each node links to its review page.
"""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

STATUS_COLOURS = {
    "unreviewed": ("#e0e0e0", "Unreviewed"),
    "in_review": ("#ffd166", "In review"),
    "reviewed": ("#06d6a0", "Reviewed"),
}
EDGE_STYLES = {
    "disputes": ("#c0392b", "6 4", "disputes"),
    "supports": ("#2e7d32", "", "supports"),
}
WIDTH, HEIGHT = 640, 520
RINGS = (0, 150, 230)
NODE_RADIUS = 22
LABEL_LENGTH = 28


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    status: str
    url: str = ""
    depth: int = 0


@dataclass(frozen=True)
class Edge:
    source: int  # the claim that disputes or supports
    target: int
    kind: str


def layout(nodes):
    """{node id: (x, y)}: each ring's nodes spread evenly, starting at the top."""
    centre_x, centre_y = WIDTH / 2, (HEIGHT - 60) / 2 + 10
    positions = {}
    for depth in sorted({node.depth for node in nodes}):
        ring = [node for node in nodes if node.depth == depth]
        radius = RINGS[min(depth, len(RINGS) - 1)]
        offset = math.pi / len(ring) if depth > 1 else 0  # stagger the outer ring against the inner one
        # Two nodes facing each other would hide the edge between them behind the centre.
        slots = 3 if len(ring) == 2 else len(ring)
        for index, node in enumerate(ring):
            angle = -math.pi / 2 + offset + 2 * math.pi * index / slots
            positions[node.id] = (
                round(centre_x + radius * math.cos(angle), 1),
                round(centre_y + radius * math.sin(angle), 1),
            )
    return positions


def _short(text):
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _edge(edge, positions):
    (x1, y1), (x2, y2) = positions[edge.source], positions[edge.target]
    length = math.hypot(x2 - x1, y2 - y1) or 1
    # Stop the line at the target's rim so the arrowhead shows.
    x2, y2 = x2 - (x2 - x1) * NODE_RADIUS / length, y2 - (y2 - y1) * NODE_RADIUS / length
    colour, dash, _ = EDGE_STYLES.get(edge.kind, ("#555", "", edge.kind))
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="edge edge-{escape(edge.kind)}" data-source="{edge.source}" data-target="{edge.target}" '
        f'x1="{x1}" y1="{y1}" x2="{round(x2, 1)}" y2="{round(y2, 1)}" stroke="{colour}" stroke-width="2"{dashes} '
        f'marker-end="url(#arrow-{escape(edge.kind)})"><title>{escape(edge.kind)}</title></line>'
    )


def _node(node, x, y):
    fill, status_label = STATUS_COLOURS.get(node.status, ("#ffffff", node.status))
    radius = NODE_RADIUS + (6 if node.depth == 0 else 0)
    stroke = 2 if node.depth == 0 else 1
    shape = (
        f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{fill}" stroke="#333" stroke-width="{stroke}"/>'
        f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11">#{node.id}</text>'
        f'<text x="{x}" y="{y + radius + 14}" text-anchor="middle" font-size="10">{escape(_short(node.label))}</text>'
        f"<title>{escape(node.label)} ({escape(status_label)})</title>"
    )
    group = f'<g class="node node-{escape(node.status)}" data-claim="{node.id}">{shape}</g>'
    return f"<a href={quoteattr(node.url)}>{group}</a>" if node.url else group


def _legend():
    y = HEIGHT - 40
    parts = []
    x = 10
    for status, (fill, label) in STATUS_COLOURS.items():
        parts.append(
            f'<g class="legend legend-{status}"><circle cx="{x + 7}" cy="{y}" r="7" fill="{fill}" stroke="#333"/>'
            f'<text x="{x + 20}" y="{y + 4}" font-size="11">{escape(label)}</text></g>'
        )
        x += 110
    for kind, (colour, dash, label) in EDGE_STYLES.items():
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="legend legend-{kind}"><line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2"{dashes}/><text x="{x + 36}" y="{y + 4}" font-size="11">{escape(label)}</text></g>'
        )
        x += 110
    return "".join(parts)


def _markers():
    return "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
        for kind, (colour, _, _) in EDGE_STYLES.items()
    )


def dispute_svg(nodes, edges, *, title="Dispute neighbourhood"):
    """The SVG document (a string) for `nodes` (the centre has depth 0) and the `edges` between them."""
    positions = layout(nodes)
    drawn_edges = [edge for edge in edges if edge.source in positions and edge.target in positions]
    body = "".join(_edge(edge, positions) for edge in drawn_edges) + "".join(
        _node(node, *positions[node.id]) for node in nodes
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dispute-graph" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title><defs>{_markers()}</defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fafafa"/>{body}{_legend()}</svg>'
    )
