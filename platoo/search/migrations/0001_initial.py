from django.db import migrations, models

# The index tables are vendor-specific and live outside the ORM; search/backends.py reads and writes them.
SQLITE_CREATE = [
    # Pre-segmented tokens: letters, digits and combining marks (Thai vowels and tone marks) stay
    # together; spaces written by the segmenter separate words. remove_diacritics 0 keeps marks.
    """CREATE VIRTUAL TABLE search_words USING fts5(
        title, keywords, body, tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co Mn Mc'")""",
    "CREATE VIRTUAL TABLE search_substrings USING fts5(text, tokenize='trigram')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_words", "DROP TABLE IF EXISTS search_substrings"]
POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # No foreign key: test flushes TRUNCATE Django's tables only, and index writes delete explicitly.
    """CREATE TABLE search_terms (
        document_id bigint PRIMARY KEY,
        terms tsvector NOT NULL,
        freqs jsonb NOT NULL,
        length integer NOT NULL,
        text text NOT NULL
    )""",
    "CREATE INDEX search_terms_terms ON search_terms USING gin (terms)",
    "CREATE INDEX search_terms_text ON search_terms USING gin (text gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_terms"]


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
