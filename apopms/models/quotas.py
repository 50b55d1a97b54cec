"""A project's quotas as its notification states them: their shape, the categories, the cap's scope,
and their wording (the pages say what these say, so numbers and words never disagree)."""

from django.db.models import Q

from ..enums import CapScope, Category, QuotaShape


class QuotaShapeMixin:
    """Mixed into Project: reads `quota_shape`, the quotas, `per_country_cap` and `cap_scope`."""

    @property
    def has_total_quota(self):
        return self.quota_shape == QuotaShape.TOTAL

    @property
    def categories(self):
        """The categories of this project's quotas, in the order they are shown."""
        return (Category.ALL,) if self.has_total_quota else (Category.OVERSEAS, Category.LOCAL)

    @property
    def host_has_seats(self):
        """Whether the host nominates: one total includes it; two quotas give it the local ones."""
        return self.has_total_quota or self.local_quota > 0

    def category_for(self, country):
        if self.has_total_quota:
            return Category.ALL
        return Category.LOCAL if country.pk == self.host_country_id else Category.OVERSEAS

    def quota_for(self, category):
        if category == Category.ALL:
            return self.total_quota if self.has_total_quota else 0
        if self.has_total_quota:
            return 0
        return self.local_quota if category == Category.LOCAL else self.overseas_quota

    def category_label(self, category):
        """How a category's seats are named on pages: "overseas", "local", or "participant"."""
        return Category(category).label.lower()

    def cap_counts_country(self, country_id):
        """Whether `country_id`'s seats count against the per-country cap (the one reading of the scope)."""
        if self.per_country_cap is None:
            return False
        return self.cap_scope == CapScope.EVERYONE or country_id != self.host_country_id

    def nominating_countries(self):
        """The countries that may nominate (a MemberCountry queryset): the invited ones, and the host
        when the quotas give it seats."""
        from .people import MemberCountry  # noqa: PLC0415 - people imports nothing of this module; avoids a cycle

        cond = Q(projects=self)
        if self.host_has_seats:
            cond |= Q(pk=self.host_country_id)
        return MemberCountry.objects.filter(cond).distinct()

    def accepts_country(self, country):
        """Whether `country` may nominate: invited, or the host when the quotas give it seats."""
        if country is None:
            return False
        if country.pk == self.host_country_id and self.host_has_seats:
            return True
        return self.participating_countries.filter(pk=country.pk).exists()

    @property
    def quota_phrases(self):
        """The numbers of participants as the notification words them, e.g. ["Up to 18 overseas
        participants", "up to 6 local participants"], or ["Up to 38 participants from member countries"]."""
        up_to = "up to " if self.quotas_up_to else ""

        def phrase(n, what):
            return f"{up_to}{n} {what}participant{'s' if n != 1 else ''}"

        if self.has_total_quota:
            parts = [phrase(self.total_quota, "") + " from member countries"]
        else:
            parts = [phrase(self.overseas_quota, "overseas "), phrase(self.local_quota, "local ")]
        return [parts[0][:1].upper() + parts[0][1:], *parts[1:]]

    @property
    def cap_phrase(self):
        """The per-country cap as words ("at most 2 from each country, the host included"), or ""."""
        if self.per_country_cap is None:
            return ""
        n = self.per_country_cap
        if self.cap_scope == CapScope.EVERYONE:
            return f"at most {n} from each country, the host included"
        return f"at most {n} overseas participant{'s' if n != 1 else ''} from each country"

    @property
    def quota_summary(self):
        """One sentence of the numbers: quotas and cap."""
        text = " and ".join(self.quota_phrases)
        return f"{text}; {self.cap_phrase}" if self.cap_phrase else text
