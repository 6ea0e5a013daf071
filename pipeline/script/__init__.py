"""What a broadcast script says and who says it: line roles, quotes, reporters and credits.

Pure functions over one document's body lines (their text, language and, for quotes, document
offsets), driven by the role rules in pipeline/roles (book.py):

    book = load_roles()
    roles(texts, langs, book, outlet)                 # a role per line (roles.py)
    quotes(texts, starts, langs, roles, book)         # Quote rows (quotes.py, blocks.py)
    reporters(texts, roles, book), credits(texts, roles)   # people.py
"""

from pipeline.script.book import ROLES, RoleBook, RoleRule, load_roles
from pipeline.script.people import credits, reporters
from pipeline.script.quotes import Quote, quotes
from pipeline.script.roles import read, roles

__all__ = [
    "ROLES",
    "Quote",
    "RoleBook",
    "RoleRule",
    "credits",
    "load_roles",
    "quotes",
    "read",
    "reporters",
    "roles",
]
