"""The license identifiers the Hugging Face Hub accepts in a card's `license:` field.

From the Hub's documentation (huggingface/hub-docs `docs/hub/repositories-licenses.md`, the
`region licenses` table, read 2026-11-29; https://huggingface.co/docs/hub/repositories-licenses).
No installed library ships this list (huggingface_hub only links to that page), hence it is written
out here. `other` needs a `license_name` (and a LICENSE file) in the repo.
"""

from __future__ import annotations

HUB_LICENSES = frozenset({
    "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
    "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
    "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
    "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0",
    "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1",
    "lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0",
    "odc-by", "odbl", "openmdw-1.0", "openmdw-1.1", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa",
    "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license", "llama2",
    "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "grok2-community", "gemma", "unknown", "other",
})
LICENSES_PAGE = "https://huggingface.co/docs/hub/repositories-licenses"


def check_hub_license(license: str) -> str:
    """`license` unchanged when the Hub knows it.

    Raises:
        ValueError: an id the Hub does not list (one line; a case-only mismatch names the right spelling).
    """
    if license in HUB_LICENSES:
        return license
    if license.strip().lower() in HUB_LICENSES:
        raise ValueError(f"--license {license!r} is not a Hugging Face Hub license id: did you mean "
                         f"{license.strip().lower()}?")
    raise ValueError(f"--license {license!r} is not a Hugging Face Hub license id ({LICENSES_PAGE}), "
                     "e.g. apache-2.0, mit, cc-by-4.0, other")
