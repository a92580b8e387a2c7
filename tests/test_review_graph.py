"""The dispute-neighbourhood SVG: well-formed, self-contained, readable labels, sized to its claims."""

import xml.etree.ElementTree as ET

from claims import graph

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Islamic State claimed the Indelimane attack that killed forty-nine Malian soldiers near the Niger border"


def drawing():
    nodes = [
        graph.Node(
            1, "France forbade the Malian army from entering Kidal", "in_review", "/admin/claims/claim/1/review/"
        ),
        graph.Node(2, 'The army "could always" enter Kidal <b>', "reviewed", "/admin/claims/claim/2/review/", 1),
        graph.Node(3, "Foreign media decide Mali's fate & more", "unreviewed", "/admin/claims/claim/3/review/", 1),
        graph.Node(4, "Two steps away", "unreviewed", "", 2),
    ]
    edges = [graph.Edge(2, 1, "disputes"), graph.Edge(3, 2, "supports"), graph.Edge(4, 3, "disputes")]
    return ET.fromstring(graph.dispute_svg(nodes, edges, title="Claims around #1"))


def node_groups(root):
    return [g for g in root.iter(f"{SVG}g") if "node" in g.get("class", "").split()]


def test_svg_parses_as_xml_with_a_node_per_claim_and_an_arrow_per_relation():
    root = drawing()
    assert root.tag == f"{SVG}svg"
    assert [g.get("data-claim") for g in node_groups(root)] == ["1", "2", "3", "4"]
    arrows = [path for path in root.iter(f"{SVG}path") if "edge" in path.get("class", "").split()]
    assert [(arrow.get("data-source"), arrow.get("data-target")) for arrow in arrows] == [
        ("2", "1"),
        ("3", "2"),
        ("4", "3"),
    ]
    assert {arrow.get("class") for arrow in arrows} == {"edge edge-disputes", "edge edge-supports"}
    assert [arrow.find(f"{SVG}title").text for arrow in arrows] == [
        "#2 disputes #1",
        "#3 supports #2",
        "#4 disputes #3",
    ]


def test_nodes_are_coloured_by_review_status_and_link_to_their_review_page():
    root = drawing()
    fills = {g.get("data-claim"): g.find(f"{SVG}rect").get("fill") for g in node_groups(root)}
    assert fills == {
        "1": graph.STATUS_COLOURS["in_review"][0],
        "2": graph.STATUS_COLOURS["reviewed"][0],
        "3": graph.STATUS_COLOURS["unreviewed"][0],
        "4": graph.STATUS_COLOURS["unreviewed"][0],
    }
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == [f"/admin/claims/claim/{n}/review/" for n in (1, 2, 3)]


def test_long_labels_wrap_inside_their_box_and_the_tooltip_has_the_whole_claim():
    root = ET.fromstring(graph.dispute_svg([graph.Node(7, LONG, "unreviewed")], []))
    [group] = node_groups(root)
    lines = [tspan.text for tspan in group.iter(f"{SVG}tspan")]
    assert len(lines) > 1
    assert " ".join(lines) == LONG  # every word shown: nothing cut at 25 characters
    assert all(len(line) <= graph.LINE_CHARS for line in lines)
    assert group.find(f"{SVG}title").text == f"#7 {LONG} (Unreviewed)"
    box = group.find(f"{SVG}rect")
    last_baseline = max(float(tspan.get("y")) for tspan in group.iter(f"{SVG}tspan"))
    assert last_baseline < float(box.get("y")) + float(box.get("height"))


def test_two_claims_that_begin_alike_are_told_apart():
    first = "JNIM's blockade cut Bamako's fuel supply in September 2025"
    second = "JNIM's blockade cut Bamako's fuel supply for three months"
    root = ET.fromstring(
        graph.dispute_svg([graph.Node(1, first, "unreviewed"), graph.Node(2, second, "unreviewed", depth=1)], [])
    )
    shown = [" ".join(t.text for t in g.iter(f"{SVG}tspan")) for g in node_groups(root)]
    assert shown == [first, second]


def test_a_label_longer_than_the_box_ends_with_an_ellipsis():
    lines = graph.wrap("word " * 200)
    assert len(lines) == graph.MAX_LINES
    assert lines[-1].endswith("…")


def test_a_two_claim_graph_is_small_and_grows_with_the_neighbourhood():
    pair = [graph.Node(1, "a claim", "unreviewed"), graph.Node(2, "its counter-claim", "unreviewed", depth=1)]
    small = ET.fromstring(graph.dispute_svg(pair, [graph.Edge(2, 1, "disputes")]))
    assert float(small.get("height")) < 200
    crowd = pair + [graph.Node(n, LONG, "unreviewed", depth=1 + n % 2) for n in range(3, 13)]
    large = ET.fromstring(graph.dispute_svg(crowd, []))
    assert float(large.get("height")) > float(small.get("height"))
    assert small.get("viewBox") == f"0 0 {small.get('width')} {small.get('height')}"


def _overlaps(a, b):
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def test_boxes_never_overlap_and_arrows_between_columns_run_in_the_gaps():
    nodes = [graph.Node(1, LONG, "unreviewed")] + [
        graph.Node(n, LONG[: 20 + 7 * n], "unreviewed", depth=1 + n % 2) for n in range(2, 12)
    ]
    boxes = graph.layout(nodes)
    assert len(boxes) == len(nodes)
    for first in boxes.values():
        for second in boxes.values():
            assert first is second or not _overlaps(first, second)
    # Arrows start and end on box edges facing the gap between two columns, never inside a box.
    path = graph._path(graph.Edge(2, 1, "disputes"), boxes)
    start_x, end_x = float(path.split()[1]), float(path.split()[-2])
    assert start_x == boxes[2].x and end_x >= boxes[1].x + boxes[1].width


def test_labels_are_escaped_and_there_are_no_external_assets():
    text = graph.dispute_svg([graph.Node(1, 'A <script>alert("x")</script> & b', "unreviewed")], [])
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")


def test_legend_names_every_status_and_relation_kind():
    legend_text = " ".join(
        t.text for g in drawing().iter(f"{SVG}g") if "legend" in g.get("class", "") for t in g.iter(f"{SVG}text")
    )
    for _, label in graph.STATUS_COLOURS.values():
        assert label in legend_text
    assert "disputes" in legend_text and "supports" in legend_text


def test_arrows_meeting_one_box_arrive_at_distinct_points_along_its_side():
    nodes = [graph.Node(1, "centre", "unreviewed")] + [
        graph.Node(n, f"claim {n}", "unreviewed", depth=1) for n in range(2, 6)
    ]
    edges = [graph.Edge(n, 1, "supports") for n in range(2, 6)]
    root = ET.fromstring(graph.dispute_svg(nodes, edges))
    ends = [path.get("d").split()[-2:] for path in root.iter(f"{SVG}path") if "edge" in path.get("class", "")]
    assert len({tuple(end) for end in ends}) == 4
    centre = graph.layout(nodes)[1]
    assert all(centre.y < float(y) < centre.y + centre.height for _, y in ends)
