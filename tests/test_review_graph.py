"""The dispute-neighbourhood SVG: well-formed, self-contained, one node per claim and one line per relation."""

import xml.etree.ElementTree as ET

from claims import graph

SVG = "{http://www.w3.org/2000/svg}"


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


def test_svg_parses_as_xml_with_a_node_per_claim_and_a_line_per_relation():
    root = drawing()
    assert root.tag == f"{SVG}svg"
    nodes = [g for g in root.iter(f"{SVG}g") if "node" in g.get("class", "").split()]
    assert [g.get("data-claim") for g in nodes] == ["1", "2", "3", "4"]
    lines = [line for line in root.iter(f"{SVG}line") if "edge" in line.get("class", "").split()]
    assert [(line.get("data-source"), line.get("data-target")) for line in lines] == [
        ("2", "1"),
        ("3", "2"),
        ("4", "3"),
    ]
    assert {line.get("class") for line in lines} == {"edge edge-disputes", "edge edge-supports"}


def test_nodes_are_coloured_by_review_status_and_link_to_their_review_page():
    root = drawing()
    fills = {
        g.get("data-claim"): g.find(f"{SVG}circle").get("fill")
        for g in root.iter(f"{SVG}g")
        if "node" in g.get("class", "").split()
    }
    assert fills == {
        "1": graph.STATUS_COLOURS["in_review"][0],
        "2": graph.STATUS_COLOURS["reviewed"][0],
        "3": graph.STATUS_COLOURS["unreviewed"][0],
        "4": graph.STATUS_COLOURS["unreviewed"][0],
    }
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == [f"/admin/claims/claim/{n}/review/" for n in (1, 2, 3)]


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


def test_the_centre_is_in_the_middle_and_rings_do_not_overlap():
    positions = graph.layout(
        [graph.Node(1, "c", "unreviewed"), *(graph.Node(n, "x", "unreviewed", depth=1) for n in (2, 3))]
    )
    assert positions[1] == (graph.WIDTH / 2, (graph.HEIGHT - 60) / 2 + 10)
    # Two neighbours are not placed opposite each other, where their edge would cross the centre.
    (x2, y2), (x3, y3), (cx, cy) = positions[2], positions[3], positions[1]
    assert abs((x2 - cx) + (x3 - cx)) > 1 or abs((y2 - cy) + (y3 - cy)) > 1
