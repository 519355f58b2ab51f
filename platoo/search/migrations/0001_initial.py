from django.db import migrations, models

# The index tables are vendor-specific and live outside the ORM; search/backends.py reads and writes them.
SQLITE_CREATE = [
    # Pre-segmented tokens: letters, digits and combining marks (Thai vowels and tone marks) stay
    # together; spaces written by the segmenter separate words. remove_diacritics 0 keeps marks.
    """CREATE VIRTUAL TABLE search_words USING fts5(
        title, keywords, body, tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co Mn Mc'")""",
    # Neighbouring-word pairs, one token each, in a table of their own so they do not count in bm25().
    """CREATE VIRTUAL TABLE search_pairs USING fts5(
        pairs, detail=none, tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co Mn Mc'")""",
    "CREATE VIRTUAL TABLE search_substrings USING fts5(text, tokenize='trigram')",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {table}" for table in ("search_words", "search_pairs", "search_substrings")]
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # No foreign keys: test flushes TRUNCATE Django's tables only, and index writes delete explicitly.
    # Folded text for substring search, and each document's length in tokens.
    """CREATE TABLE search_terms (
        document_id bigint PRIMARY KEY,
        length integer NOT NULL,
        text text NOT NULL
    )""",
    "CREATE INDEX search_terms_text ON search_terms USING gin (text gin_trgm_ops)",
    # One row per term of a document: tf is weighted by field; length repeats the document's, so that
    # BM25 reads this index only.
    """CREATE TABLE search_postings (
        term text NOT NULL,
        document_id bigint NOT NULL,
        tf float8 NOT NULL,
        length integer NOT NULL,
        PRIMARY KEY (term, document_id) INCLUDE (tf, length)
    )""",
    "CREATE INDEX search_postings_document ON search_postings (document_id)",
    """CREATE TABLE search_pairs (
        pair text NOT NULL,
        document_id bigint NOT NULL,
        PRIMARY KEY (pair, document_id)
    )""",
    "CREATE INDEX search_pairs_document ON search_pairs (document_id)",
    # BM25's N and total length, so no query counts the table.
    "CREATE TABLE search_stats (rows bigint NOT NULL, length bigint NOT NULL)",
    "INSERT INTO search_stats VALUES (0, 0)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_terms, search_postings, search_pairs, search_stats"]


def create_index_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop_index_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=32, verbose_name="type")),
                ("object_id", models.BigIntegerField()),
                ("title", models.TextField()),
                ("keywords", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("date", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "search document", "verbose_name_plural": "search documents"},
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(fields=("label", "object_id"), name="unique_search_document"),
        ),
        migrations.RunPython(create_index_tables, drop_index_tables),
    ]
