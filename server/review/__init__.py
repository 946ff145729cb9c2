"""The chair's review: conflicts settled as operations, sign-off, findings, summaries, exports.

Operations here flush and never commit (the request boundary commits); the pages live in
server/web/review*.py and the API in server/api/review.py and server/api/exports.py.
"""
