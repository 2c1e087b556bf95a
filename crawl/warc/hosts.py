"""Which site profile a WARC record belongs to, from its target URI's host alone (before any parsing)."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from crawl.sites import get_profile

# A host name or a shell pattern of one: labels of letters, digits, hyphens and wildcards, dot-separated
# (no scheme, port, path or user: `http://x/` is a URL, not a host).
_HOST_PATTERN = re.compile(r"[\w*?\[\]!-]+(\.[\w*?\[\]!-]+)*")


class HostMatcher:
    """Maps a URL's host to a site profile name.

    A site's hosts are the hosts of its profile's start URLs, plus the patterns given for it
    (`--host`): a host name (`vnexpress.net`; `www.` is ignored on both sides, as the spider does)
    or a shell pattern (`*.vnexpress.net`). A host claimed by two sites goes to the first.

    Raises:
        ValueError: an unknown site, a site left without any host (`generic` needs `--host`), or a
            given host that is no host name or pattern (a URL, a host with a port).
    """

    def __init__(self, sites: list[str], extra_hosts: dict[str, list[str]] | None = None):
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[str, str]] = []
        for site in sites:
            profile = get_profile(site)
            hosts = [urlsplit(url).hostname or "" for url in profile.start_urls]
            for host in (extra_hosts or {}).get(site, []):
                if not _HOST_PATTERN.fullmatch(host.strip()):
                    raise ValueError(f"--host {host!r} is not a host or a host pattern (e.g. vnexpress.net, *.vnexpress.net)")
                hosts.append(host)
            if not hosts:
                raise ValueError(f"site {site!r} has no hosts of its own; give its hosts with --host")
            for host in hosts:
                host = host.strip().lower().removeprefix("www.")
                if any(char in host for char in "*?["):
                    self.patterns.append((host, site))
                else:
                    self.exact.setdefault(host, site)

    def site_for(self, url: str) -> str | None:
        """The site whose hosts include `url`'s host, or None (a malformed URL included)."""
        try:
            host = (urlsplit(url).hostname or "").removeprefix("www.")
        except ValueError:
            return None
        site = self.exact.get(host)
        if site is None and self.patterns:
            site = next((name for pattern, name in self.patterns if fnmatchcase(host, pattern)), None)
        return site
