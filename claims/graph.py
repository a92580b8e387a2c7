"""A claim's dispute neighbourhood drawn as a small self-contained SVG (no scripts, fonts or links out).

Plain string building. Claims are boxes with their wording wrapped inside, in columns by distance
from the centre claim (the centre on the left, claims one step away next, then two steps away), so
a label never sits on an arrow: arrows run in the gaps between columns, or curve through the gap
beside a column when two claims in it are related. Boxes are coloured by review status, disputes
drawn red and dashed, supports green; each box links to its claim's page and carries the full
wording as a tooltip. The drawing is as large as its claims need: two claims take one row.
"""

import textwrap
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
BOX_WIDTH = 230
GAP_X = 90  # between columns: where the arrows run
GAP_Y = 18
MARGIN = 12
PADDING = 8
FONT_SIZE = 12
LINE_HEIGHT = 15
LINE_CHARS = 34  # what fits in BOX_WIDTH at FONT_SIZE
MAX_LINES = 5
LEGEND_HEIGHT = 34
LEGEND_ITEM = 100
LOOP = 46  # how far an arrow between two claims of one column bulges into the gap


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


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    lines: tuple

    @property
    def middle(self):
        return self.y + self.height / 2


def wrap(label):
    """The label in lines that fit a box; past MAX_LINES the last line ends with "…" (the tooltip has it all)."""
    lines = textwrap.wrap(" ".join(label.split()), LINE_CHARS, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        lines = lines[: MAX_LINES - 1] + [(last if len(last) < LINE_CHARS else last[: LINE_CHARS - 1]) + "…"]
    return tuple(lines)


def _box_height(lines):
    return 2 * PADDING + LINE_HEIGHT * (len(lines) + 1)  # +1: the "#id · status" line


def layout(nodes):
    """{node id: Box}: one column per depth, each column's boxes stacked and centred on the tallest column."""
    columns = {}
    for node in nodes:
        columns.setdefault(node.depth, []).append(node)
    wrapped = {node.id: wrap(node.label) for node in nodes}
    heights = {
        depth: sum(_box_height(wrapped[node.id]) for node in column) + GAP_Y * (len(column) - 1)
        for depth, column in columns.items()
    }
    tallest = max(heights.values(), default=0)
    boxes = {}
    for index, depth in enumerate(sorted(columns)):
        x = MARGIN + index * (BOX_WIDTH + GAP_X)
        y = MARGIN + (tallest - heights[depth]) / 2
        for node in columns[depth]:
            height = _box_height(wrapped[node.id])
            boxes[node.id] = Box(x, round(y, 1), BOX_WIDTH, height, wrapped[node.id])
            y += height + GAP_Y
    return boxes


def size(boxes):
    """(width, height) of the drawing, legend included."""
    right = max((box.x + box.width for box in boxes.values()), default=0) + MARGIN
    bottom = max((box.y + box.height for box in boxes.values()), default=0) + MARGIN
    legend = MARGIN + LEGEND_ITEM * (len(STATUS_COLOURS) + len(EDGE_STYLES))
    return max(right + LOOP, legend), bottom + LEGEND_HEIGHT


def _sides(edge, boxes):
    """The sides of its two boxes an arrow leaves and enters by: those facing each other, or the
    right-hand sides when both claims are in one column (the arrow curves through the gap)."""
    start, end = boxes[edge.source], boxes[edge.target]
    if start.x == end.x:
        return "right", "right"
    return ("right", "left") if start.x < end.x else ("left", "right")


def ports(edges, boxes):
    """{(edge index, "source" | "target"): y}: arrows meeting one side of a box are spread along it,
    in the order of the boxes at their other ends, so neither lines nor arrowheads sit on each other."""
    by_side = {}
    for index, edge in enumerate(edges):
        source_side, target_side = _sides(edge, boxes)
        by_side.setdefault((edge.source, source_side), []).append((boxes[edge.target].middle, index, "source"))
        by_side.setdefault((edge.target, target_side), []).append((boxes[edge.source].middle, index, "target"))
    placed = {}
    for (node_id, _), ends in by_side.items():
        box = boxes[node_id]
        for rank, (_, index, end) in enumerate(sorted(ends)):
            placed[(index, end)] = round(box.y + box.height * (rank + 1) / (len(ends) + 1), 1)
    return placed


def _path(edge, boxes, y1=None, y2=None):
    start, end = boxes[edge.source], boxes[edge.target]
    y1 = start.middle if y1 is None else y1
    y2 = end.middle if y2 is None else y2
    if start.x == end.x:
        # Same column: leave and enter by the right-hand side, curving through the gap.
        x = start.x + start.width
        return f"M {x} {y1} C {x + LOOP} {y1}, {x + LOOP} {y2}, {x + 4} {y2}"
    forward = start.x < end.x
    x1 = start.x + start.width if forward else start.x
    x2 = end.x - 4 if forward else end.x + end.width + 4  # the arrowhead ends on the box's edge
    bend = (x2 - x1) / 2
    return f"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}"


def _edge(edge, boxes, y1=None, y2=None):
    colour, dash, label = EDGE_STYLES.get(edge.kind, ("#555", "", edge.kind))
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path class="edge edge-{escape(edge.kind)}" data-source="{edge.source}" data-target="{edge.target}" '
        f'd="{_path(edge, boxes, y1, y2)}" fill="none" stroke="{colour}" stroke-width="2"{dashes} '
        f'marker-end="url(#arrow-{escape(edge.kind)})">'
        f"<title>#{edge.source} {escape(label)} #{edge.target}</title></path>"
    )


def _node(node, box):
    fill, status_label = STATUS_COLOURS.get(node.status, ("#ffffff", node.status))
    stroke = 3 if node.depth == 0 else 1
    text_x = box.x + PADDING
    first = box.y + PADDING + FONT_SIZE
    lines = "".join(
        f'<tspan x="{text_x}" y="{round(first + LINE_HEIGHT * (index + 1), 1)}">{escape(line)}</tspan>'
        for index, line in enumerate(box.lines)
    )
    shape = (
        f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="6" fill="{fill}" '
        f'stroke="#333" stroke-width="{stroke}"/>'
        f'<text x="{text_x}" y="{first}" font-size="{FONT_SIZE - 1}" font-weight="bold">'
        f"#{node.id} · {escape(status_label)}</text>"
        f'<text class="label" font-size="{FONT_SIZE}">{lines}</text>'
        f"<title>#{node.id} {escape(node.label)} ({escape(status_label)})</title>"
    )
    group = f'<g class="node node-{escape(node.status)}" data-claim="{node.id}">{shape}</g>'
    return f"<a href={quoteattr(node.url)}>{group}</a>" if node.url else group


def _legend(y):
    parts = []
    x = MARGIN
    for status, (fill, label) in STATUS_COLOURS.items():
        parts.append(
            f'<g class="legend legend-{status}"><rect x="{x}" y="{y - 7}" width="14" height="14" rx="3" '
            f'fill="{fill}" stroke="#333"/><text x="{x + 20}" y="{y + 4}" font-size="11">{escape(label)}</text></g>'
        )
        x += LEGEND_ITEM
    for kind, (colour, dash, label) in EDGE_STYLES.items():
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<g class="legend legend-{kind}"><line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2"{dashes}/><text x="{x + 36}" y="{y + 4}" font-size="11">{escape(label)}</text></g>'
        )
        x += LEGEND_ITEM
    return "".join(parts)


def _markers():
    return "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
        for kind, (colour, _, _) in EDGE_STYLES.items()
    )


def dispute_svg(nodes, edges, *, title="Dispute neighbourhood"):
    """The SVG document (a string) for `nodes` (the centre has depth 0) and the `edges` between them."""
    boxes = layout(nodes)
    width, height = size(boxes)
    drawn_edges = [edge for edge in edges if edge.source in boxes and edge.target in boxes]
    at = ports(drawn_edges, boxes)
    arrows = (
        _edge(edge, boxes, at[(index, "source")], at[(index, "target")]) for index, edge in enumerate(drawn_edges)
    )
    body = "".join(_node(node, boxes[node.id]) for node in nodes) + "".join(arrows)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dispute-graph" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label={quoteattr(title)} font-family="sans-serif">'
        f"<title>{escape(title)}</title><defs>{_markers()}</defs>"
        f'<rect width="{width}" height="{height}" fill="#fafafa"/>{body}{_legend(height - LEGEND_HEIGHT / 2)}</svg>'
    )
