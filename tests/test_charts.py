"""apopms.charts: SVG drawn from plain data, without style attributes (CSP), with its numbers."""

import xml.etree.ElementTree as ET

from apopms import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart):
    markup = str(chart.svg)
    assert "style" not in markup.lower()
    return ET.fromstring(markup)  # noqa: S314 - markup drawn by the test itself


def test_bar_chart_draws_one_bar_per_row_with_limit_lines():
    chart = charts.bar_chart(
        [("India", 4, 2), ("Sri Lanka", 6, None)], title="Nominations per country", limit_label="Cap"
    )
    root = _parse(chart)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Nominations per country"
    assert len(root.findall(f"{SVG}rect")) == 2
    assert len(root.findall(f"{SVG}line")) == 2  # India's cap and the legend's
    assert chart.headers == ["", "Number", "Cap"]
    assert chart.rows == [["India", 4, 2], ["Sri Lanka", 6, "—"]]


def test_stacked_bar_chart_splits_each_bar_and_totals_the_table():
    chart = charts.stacked_bar_chart(
        [("Day 1", [20, 3, 0]), ("Day 2", [10, 2, 11])], ["Present", "Absent", "Not yet recorded"], title="Attendance"
    )
    root = _parse(chart)
    assert len(root.findall(f"{SVG}rect")) == 2 * 3 + 3  # segments and legend keys
    assert chart.rows == [["Day 1", 20, 3, 0, 23], ["Day 2", 10, 2, 11, 23]]
    assert charts.MUTED in str(chart.svg)  # "not yet recorded" reads as missing


def test_donut_chart_shares_and_a_whole_circle_for_one_part():
    chart = charts.donut_chart([("Female", 3), ("Male", 1), ("Other", 0)], title="Gender")
    root = _parse(chart)
    assert len(root.findall(f"{SVG}path")) == 2
    assert chart.rows == [["Female", 3, "75 %"], ["Male", 1, "25 %"], ["Other", 0, "0 %"]]
    whole = _parse(charts.donut_chart([("Female", 2)], title="Gender"))
    assert len(whole.findall(f"{SVG}circle")) == 1


def test_empty_data_draws_nothing_and_says_so():
    assert charts.bar_chart([], title="Certificates").empty
    assert charts.donut_chart([("Female", 0)], title="Gender").empty


def test_labels_are_escaped():
    chart = charts.bar_chart([("<b>R&D</b>", 1)], title="A & B")
    root = _parse(chart)
    assert "&lt;b&gt;R&amp;D" in str(chart.svg)
    assert root.find(f"{SVG}title").text == "A & B"
