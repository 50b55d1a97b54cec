import datetime

from django import template
from django.templatetags.tz import do_timezone
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from apopms import confirm, fragments, privacy
from apopms.deadlines import deadline_in_zone, deadline_sentence
from apopms.names import RTL_LANGS, native_lang
from apopms.timezones import _zone, zone_label

register = template.Library()


@register.filter
def in_zone(value, zone):
    """An aware datetime converted to `zone` (a ZoneInfo or an IANA name), marked so that the
    `time` and `date` filters after it keep that zone: a plain converted datetime would be
    turned back into the site's zone (UTC) before they format it."""
    if not value or not zone:
        return value
    return do_timezone(value, _zone(zone))


@register.filter
def zlabel(value, zone):
    """The readable label of `zone` at the instant `value`: 'Kathmandu (UTC+05:45)'."""
    if not zone:
        return ""
    return zone_label(zone, value if isinstance(value, datetime.datetime) else None)


@register.simple_tag
def zoned(value, zone, fmt="j M Y, H:i"):
    """'24 Aug 2022, 10:00 Colombo (UTC+05:30)'."""
    if not value:
        return ""
    local = value.astimezone(_zone(zone))
    return f"{date_format(local, fmt)} {zone_label(zone, value)}"


@register.filter
def date_range(project):
    """'24–26 August 2022' / '30 August–2 September 2022' / '30 Dec 2022–2 Jan 2023'."""
    start, end = project.start_date, project.end_date
    if start == end:
        return date_format(start, "j F Y")
    if start.year != end.year:
        return f"{date_format(start, 'j F Y')}–{date_format(end, 'j F Y')}"
    if start.month != end.month:
        return f"{date_format(start, 'j F')}–{date_format(end, 'j F Y')}"
    return f"{start.day}–{date_format(end, 'j F Y')}"


@register.filter
def days_until(value):
    if not value:
        return None
    return (value - timezone.now()).days


@register.simple_tag
def deadline(project):
    """The project's nomination deadline as the one sentence every page uses (apopms.deadlines)."""
    return deadline_sentence(project)


@register.simple_tag
def native_script(text, country_iso2=""):
    """A name in its own script, tagged with its language (so the page's stylesheet picks the
    font for it, the regional forms of Han characters included) and its direction."""
    if not text:
        return ""
    lang = native_lang(text, country_iso2) or "und"
    if lang in RTL_LANGS:
        return format_html('<span lang="{}" dir="rtl">{}</span>', lang, text)
    return format_html('<span lang="{}">{}</span>', lang, text)


@register.simple_tag
def deadline_in(project, zone):
    """The deadline's instant in another zone, in the same words: 'the end of 3 August 2022, Kolkata time'."""
    return deadline_in_zone(project, zone)


@register.simple_tag(takes_context=True)
def confirm_attrs(context, url, message):
    """`data-confirm` and `data-confirm-token` for a form whose action is irreversible (apopms/confirm.py):
    with JavaScript the dialog asks, without it the server asks on a page."""
    return format_html(
        'data-confirm="{}" data-confirm-token="{}"', message, confirm.token(context["request"], path=url)
    )


@register.simple_tag
def retention_limits(project=None):
    """The retention limits in force for `project` (or the portal's defaults), for the privacy notices."""
    return privacy.limits(project)


class VisitorFragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        return fragments.kept(fragments.fragment_key("visitor", *parts), lambda: self.nodelist.render(context))


@register.tag
def visitor_fragment(parser, token):
    """`{% visitor_fragment "name" part ... %}...{% endvisitor_fragment %}`: for an anonymous visitor,
    the enclosed HTML kept (apopms.fragments) under its name and parts, which must name everything
    it shows; rendered afresh for a signed-in person. For the frame of every page (the assets, the
    navigation, the footer), which visitors all see alike."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("visitor_fragment needs a name.")
    nodelist = parser.parse(("endvisitor_fragment",))
    parser.delete_first_token()
    return VisitorFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
