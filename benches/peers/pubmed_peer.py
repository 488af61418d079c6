#!/usr/bin/env python3
"""pubmed_parser on the PubMed XML .gz files byline reads: records and seconds, as JSON.

    pubmed_peer.py FILE.xml.gz [FILE.xml.gz ...]

Uses `parse_medline_xml` with authors and references on (byline's reader builds both), one process.
"""

import argparse

import pubmed_parser

from _common import Clock, emit, peak_rss_bytes, version


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    clock = Clock()
    records = 0
    authors = 0
    for path in args.files:
        for article in pubmed_parser.parse_medline_xml(
            path, year_info_only=False, author_list=True, reference_list=True
        ):
            records += 1
            authors += len(article.get("authors") or [])
    seconds = clock.lap()
    emit(
        {
            "peers": [
                {
                    "name": "pubmed_parser",
                    "package": "pubmed_parser",
                    "version": version("pubmed_parser"),
                    "threads": 1,
                    "seconds": seconds,
                    "records": records,
                    "authors": authors,
                }
            ],
            "peak_rss_bytes": peak_rss_bytes(),
        }
    )


if __name__ == "__main__":
    main()
