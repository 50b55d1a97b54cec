"""Reading a pasted notification: each expected field filled with the line it came from, nothing invented.

The texts are in `notifications/`: the seed's, the two real notifications of `shared/reference`
(OCR noise, numbered labels, labels listed before their values), and four written in other styles
(a training course, an observational study mission in columns, a revised notification with its change
history, and one flattened into a single paragraph).
"""

import datetime
from pathlib import Path

import pytest

from apopms.notification_text import FIELDS, parse_notification

TEXTS = Path(__file__).parent / "notifications"
ALL_BUT_HOST_LK = ["BD", "KH", "TW", "FJ", "IN", "ID", "IR", "LA", "MN", "NP", "PK", "PH", "LK", "TH", "TR", "VN"]

# file -> {field: (value, a piece of the line it must come from)}. Every field found must be listed here.
EXPECTED = {
    "seed_22_psp_dmc.txt": {
        "title": ("Productivity of the Public Sector", "Productivity of the Public Sector"),
        "start_date": (datetime.date(2022, 8, 24), "24-26 August 2022"),
        "end_date": (datetime.date(2022, 8, 26), "24-26 August 2022"),
        "host_country": ("LK", "Sri Lanka"),
        "modality": ("digital_multicountry", "Digital Multicountry"),
        "implementing_organizations": (
            ["National Productivity Secretariat, Sri Lanka", "APO Secretariat"],
            "National Productivity Secretariat, Sri Lanka and APO",
        ),
        "participating_countries": ("all", "All Member Countries"),
        "quota_shape": ("overseas_local", "38"),
        "overseas_quota": (38, "38"),
        "local_quota": (12, "12"),
        "qualifications": (
            "Policymakers and government officials, representatives of local government units and government "
            "enterprises, staff of public organizations, and academics working on performance management and "
            "quality management systems in the public sector",
            "Policymakers and government officials",
        ),
        "closing_date": (datetime.date(2022, 8, 3), "3 August 2022"),
        "objectives": (
            "a. Examine existing performance management systems and public-sector productivity in APO members.\n\n"
            "b. Explore recent advances in frameworks and tools for performance management systems in the public "
            "sector in the postpandemic era.\n\n"
            "c. Formulate strategic plans for promoting advanced performance management systems in the public "
            "sector to make it more future ready.",
            "1. Objectives",
        ),
        "background": (..., "2. Background"),
        "topics_by_day": (
            [
                [
                    "Definition and evolution of performance management systems in the public sector",
                    "Linking digital transformation and performance management systems in the public sector",
                ],
                [
                    "Performance management systems and productivity in the public sector",
                    "Challenges in performance management systems during and after the pandemic",
                ],
                [
                    "Formulating strategic plans for advancing the adoption of performance management systems in "
                    "the public sector"
                ],
            ],
            "Day 1:",
        ),
    },
    "real_14_in_69_ge_wsp_b.txt": {
        "pn_issue_date": (datetime.date(2014, 7, 4), "4 July 2014"),
        "code": ("14-IN-69-GE-WSP-B", "14-IN-69-GE-WSP-B"),
        "title": (
            "Workshop on Green Productivity (GP) Manual Development: Compilation ofGP Case Studies",
            "Workshop on Green Productivity",
        ),
        "start_date": (datetime.date(2014, 11, 18), "18-21 November 2014 (four days)"),
        "end_date": (datetime.date(2014, 11, 21), "18-21 November 2014 (four days)"),
        "venue": ("Tokyo,Japan", "Tokyo,Japan"),
        "host_country": ("JP", "Tokyo,Japan"),
        "implementing_organizations": (["APO Secretariat"], "APO Secretariat"),
        "quota_shape": ("overseas_local", "Up to 15 qualified participants"),
        "overseas_quota": (15, "Up to 15 qualified participants"),
        "quota_up_to": (True, "Up to 15"),
        # "Rqiublic of China" is the Republic of China; the sentence on other member countries is not a list.
        "participating_countries": (
            ["BD", "TW", "IN", "ID", "IR", "KR", "MY", "MN", "PK", "PH", "SG", "TH", "VN"],
            "Up to 15 qualified participants from Bangladesh",
        ),
        "local_quota": (6, "Up to six qualified participants"),
        "closing_date": (datetime.date(2014, 10, 1), "1 October 2014"),
        "objectives": (..., "9. Objectives"),
        "background": (..., "10. Background"),
    },
    "real_20_rp_02_ge_spw_a.txt": {
        "pn_issue_date": (datetime.date(2020, 2, 17), "17 February 2020"),
        "code": ("20-RP-02-GE-SPW-A", "20-RP-02-GE-SPW-A"),
        "title": ("Program/Project Planning Workshop (PPP)", "Program/Project Planning Workshop"),
        "start_date": (datetime.date(2020, 6, 30), "30 June-2 July 2020"),
        "end_date": (datetime.date(2020, 7, 2), "30 June-2 July 2020"),
        "venue": ("Tokyo, Japan", "Tokyo, Japan"),
        "host_country": ("JP", "Tokyo, Japan"),
        "implementing_organizations": (["APO Secretariat"], "APO Secretariat"),
        "quota_shape": ("total", "Up to 38 participants"),
        "total_quota": (38, "Up to 38 participants"),
        "quota_up_to": (True, "Up to 38"),
        "per_country_cap": (2, "twofrom each country"),
        "cap_applies_to_all": (True, "twofrom each country"),
        "participating_countries": ("all", "APO member countries"),
        "closing_date": (datetime.date(2020, 5, 4), "4 May 2020"),
        "objectives": (..., "1. Objectives"),
    },
    "training_course_23_ag_07_ge_trc_a.txt": {
        "pn_issue_date": (datetime.date(2023, 1, 12), "PN Issue Date: 12 January 2023"),
        "code": ("23-AG-07-GE-TRC-A", "Project Code: 23-AG-07-GE-TRC-A"),
        "title": ("Training Course on Smart Farming for Agribusiness Cooperatives", "Title: Training Course"),
        "start_date": (datetime.date(2023, 3, 13), "13-17 March 2023 (five days)"),
        "end_date": (datetime.date(2023, 3, 17), "13-17 March 2023 (five days)"),
        "venue": ("Kuala Lumpur, Malaysia", "Venue: Kuala Lumpur"),
        "modality": ("in_person", "Modality: In person"),
        "host_country": ("MY", "Venue: Kuala Lumpur, Malaysia"),
        "implementing_organizations": (
            ["Malaysia Productivity Corporation", "APO Secretariat"],
            "Malaysia Productivity Corporation and APO Secretariat",
        ),
        # ROC, Iran, Turkey and Viet Nam are the usual variants of the members' names.
        "participating_countries": (
            ["BD", "KH", "FJ", "TW", "IN", "ID", "IR", "LA", "MN", "NP", "PK", "PH", "LK", "TH", "TR", "VN"],
            "Participating Countries: Bangladesh, Cambodia, Fiji, ROC",
        ),
        "quota_shape": ("overseas_local", "Up to 16 qualified participants"),
        "overseas_quota": (16, "Number of Overseas Participants: Up to 16"),
        "quota_up_to": (True, "Up to 16"),
        "local_quota": (4, "Number of Local Participants: Up to four"),
        "closing_date": (datetime.date(2023, 2, 10), "February 10, 2023"),
        "objectives": (
            "a. To introduce digital tools for precision farming in cooperatives;\n\n"
            "b. To share good practices in agribusiness value chains; and\n\n"
            "c. To develop action plans for adopting smart farming.",
            "1. Objectives",
        ),
        "qualifications": (
            "Managers of agricultural cooperatives, extension officers, and consultants with at least five years "
            "of experience in agribusiness.",
            "2. Qualifications of Participants",
        ),
        "topics_by_day": (
            [
                ["Opening session and country presentations"],
                ["Precision farming technologies", "Data for farm management"],
                ["Site visit to a smart farm in Selangor"],
                ["Cooperative business models"],
                ["Action planning and presentations"],
            ],
            "Day 1: Opening session",
        ),
    },
    "osm_24_ip_12_ge_osm_b.txt": {
        "pn_issue_date": (datetime.date(2024, 5, 5), "5 May 2024"),
        "code": ("24-IP-12-GE-OSM-B", "24-IP-12-GE-OSM-B"),
        "title": ("Observational Study Mission on Industry 4.0 for SMEs", "Observational Study Mission"),
        "start_date": (datetime.date(2024, 9, 2), "2-6 September 2024"),
        "end_date": (datetime.date(2024, 9, 6), "2-6 September 2024"),
        "venue": ("Seoul, Republic of Korea", "Seoul, Republic of Korea"),
        "host_country": ("KR", "Seoul, Republic of Korea"),
        # The label is split over two lines in the PDF's columns, its value beside the first half.
        "implementing_organizations": (["Korea Productivity Center", "APO Secretariat"], "Implementing"),
        "quota_shape": ("total", "Up to 20 participants"),
        "total_quota": (20, "Up to 20 participants"),
        "quota_up_to": (True, "Up to 20"),
        "per_country_cap": (1, "one from each member"),
        "cap_applies_to_all": (True, "one from each member"),
        "participating_countries": ("all", "from member countries"),
        "closing_date": (datetime.date(2024, 7, 15), "15 July 2024"),
        "background": (..., "Background"),
        "objectives": (
            "To observe how Korean SMEs adopt smart manufacturing and to learn from their experience.",
            "Objectives",
        ),
    },
    "revised_22_ag_03_ge_wsp_a.txt": {
        "pn_issue_date": (datetime.date(2022, 10, 18), "PN Issue Date"),
        "code": ("22-AG-03-GE-WSP-A", "22-AG-03-GE-WSP-A"),
        "title": ("Workshop on Sustainable Productivity Models in Agriculture", "Title"),
        "start_date": (datetime.date(2022, 12, 5), "5-8 December 2022 (four days)"),
        "end_date": (datetime.date(2022, 12, 8), "5-8 December 2022 (four days)"),
        "venue": ("Dhaka, Bangladesh", "Dhaka, Bangladesh"),
        "host_country": ("BD", "Dhaka, Bangladesh"),
        "modality": ("in_person", "In Person"),
        "implementing_organizations": (
            ["National Productivity Organisation, Bangladesh", "APO Secretariat"],
            "National Productivity Organisation, Bangladesh and APO Secretariat",
        ),
        "participating_countries": (
            ["KH", "TW", "FJ", "IN", "ID", "IR", "JP", "KR", "LA", "MY", "MN", "NP", "PK", "PH", "LK", "TH", "VN"],
            "Cambodia, Republic of China",
        ),
        "quota_shape": ("overseas_local", "Up to 18"),
        "overseas_quota": (18, "Overseas Participants Up to 18"),
        "quota_up_to": (True, "Up to 18"),
        "local_quota": (6, "Local Participants Up to six"),
        "closing_date": (datetime.date(2022, 11, 4), "4 November 2022"),
        "change_history": (
            [
                {
                    "date": datetime.date(2022, 10, 18),
                    "text": "18 October 2022 Timing and Duration From 21-24 November 2022 to 5-8 December 2022",
                },
                {
                    "date": datetime.date(2022, 10, 18),
                    "text": "18 October 2022 Closing Date for Nominations From 21 October 2022 to 4 November 2022",
                },
            ],
            "Change History",
        ),
        "objectives": (
            "a. Review sustainable productivity models in agriculture.\n\n"
            "b. Identify policies that support farmers' adoption of them.",
            "1. Objectives",
        ),
        "background": ("Agriculture employs a large share of the workforce in many member countries.", "2. Background"),
    },
    "flattened_23_ps_05_ge_dmc_a.txt": {
        "title": ("Digital Workshop on Public-sector Innovation Labs", "Digital Workshop"),
        "start_date": (datetime.date(2023, 6, 7), "7-9 June 2023"),
        "end_date": (datetime.date(2023, 6, 9), "7-9 June 2023"),
        "host_country": ("PH", "Philippines"),
        "modality": ("digital_multicountry", "Digital Multicountry"),
        "implementing_organizations": (
            ["Development Academy of the Philippines", "APO Secretariat"],
            "Development Academy of the Philippines",
        ),
        "participating_countries": ("all", "All Member Countries"),
        "quota_shape": ("overseas_local", "40"),
        "overseas_quota": (40, "40"),
        "local_quota": (10, "10"),
        "qualifications": (
            "Public-sector managers who lead innovation or digital transformation units.",
            "Public-sector managers",
        ),
        "closing_date": (datetime.date(2023, 5, 12), "12 May 2023"),
        "objectives": (
            "a. Share how innovation labs work in government.\n\nb. Design a lab for each participant's agency.",
            "1. Objectives",
        ),
        "background": (
            "Governments set up innovation labs to test new services before they scale.",
            "2. Background",
        ),
        "topics_by_day": (
            [
                ["What an innovation lab is", "Cases from member countries"],
                ["Methods: design thinking and experiments"],
                ["Lab design clinic"],
            ],
            "Day 1:",
        ),
    },
}


def test_every_text_has_its_expectations():
    assert sorted(EXPECTED) == sorted(path.name for path in TEXTS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_expected_field_is_filled_from_its_line_and_nothing_is_invented(name):
    text = (TEXTS / name).read_text(encoding="utf-8")
    draft = parse_notification(text)
    expected = EXPECTED[name]

    assert set(draft.found) == set(expected), "fields found that the notification does not state, or missed"
    lines = text.split("\n") if "\n" in text.strip() else None
    for field, (value, source) in expected.items():
        found = draft.found[field]
        if value is not ...:
            assert found.value == value, field
        assert source in found.line, f"{field} came from {found.line!r}"
        if lines:  # the line number points at that line of the text as pasted
            printed = " ".join(lines[found.number - 1].replace("\u2013", "-").split())
            assert found.line == printed, field
    assert draft.problems == []
    assert set(draft.missing) <= set(FIELDS)
    assert not set(draft.missing) & set(draft.found)


def test_what_is_not_recognised_is_listed_for_the_reviewer():
    draft = parse_notification((TEXTS / "real_20_rp_02_ge_spw_a.txt").read_text(encoding="utf-8"))
    # The text is cut off after its objectives, and states no modality.
    assert draft.missing == ["modality", "qualifications", "background", "topics_by_day"]


def test_the_background_keeps_its_paragraphs_and_ocr_words_as_printed():
    draft = parse_notification((TEXTS / "real_14_in_69_ge_wsp_b.txt").read_text(encoding="utf-8"))
    background = draft.found["background"].value
    assert background.startswith("GP is a sta'ategy for enhancing productivity")
    assert background.endswith("It also provides financial support for deve")
    objectives = draft.found["objectives"].value.split("\n\n")
    assert objectives[0].startswith("To exchange infonnation on GP implementation")
    assert objectives[1].startswith("To analyze and select GP case studies")


def test_prose_that_is_no_notification_fills_nothing():
    draft = parse_notification(
        "Dear colleagues,\nThank you for your message of 3 August 2022 about the workshop.\n"
        "We will send the list of participants from Sri Lanka and India next week.\n"
    )
    assert draft.found == {}
    assert "title" in draft.missing and "closing_date" in draft.missing


def test_a_value_that_does_not_read_as_its_label_says_is_left_out_with_a_problem():
    draft = parse_notification(
        "Title: Workshop on Quality\nTiming and Duration: to be announced\nVenue: Colombo, Sri Lanka\n"
        "Participating Countries: India, Atlantis, Nepal\nClosing Date for Nominations: soon\n"
    )
    assert "start_date" not in draft.found and "closing_date" not in draft.found
    assert draft.found["participating_countries"].value == ["IN", "NP"]
    assert ("participating_countries", "“Atlantis” is not a member country.", 4) in draft.problems
    assert ("closing_date", "“soon” is not a date.", 5) in draft.problems
    assert ("start_date", "“to be announced” is not a range of dates.", 2) in draft.problems


def test_a_duration_that_contradicts_the_dates_is_reported():
    draft = parse_notification("Title: Workshop on Quality\nTiming and Duration: 24-26 August 2022 (four days)\n")
    assert draft.found["end_date"].value == datetime.date(2022, 8, 26)
    assert draft.problems == [("end_date", "“24-26 August 2022 (four days)” says 4 days, but its dates span 3.", 2)]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Participating Countries: Türkiye, Turkey, Lao PDR and Laos", ["TR", "LA"]),
        ("Participating Countries: ROC, IR Iran, Hong Kong, China, Viet Nam", ["TW", "IR", "HK", "VN"]),
        ("Participating Countries: Republic of Korea and the Philippines", ["KR", "PH"]),
    ],
)
def test_members_are_known_by_their_usual_variants(text, codes):
    assert parse_notification(text).found["participating_countries"].value == codes


def test_an_unknown_country_is_never_matched_to_a_near_name():
    draft = parse_notification("Participating Countries: Korea DPR, Iraq, Ireland, India")
    assert draft.found["participating_countries"].value == ["IN"]
    assert {message for _, message, _ in draft.problems} == {
        "“Korea DPR” is not a member country.",
        "“Iraq” is not a member country.",
        "“Ireland” is not a member country.",
    }
