"""Exit 0 when a PostgreSQL server answers at the given URL, 1 otherwise."""

import sys

import psycopg


def main(url: str) -> int:
    """Try to connect once with a short timeout."""
    try:
        with psycopg.connect(url, connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
