"""Views of the nominations app: `nominations` (NPO officers and the review), `imports` (spreadsheets),
`selection` (the Secretariat's board), `participants`."""
