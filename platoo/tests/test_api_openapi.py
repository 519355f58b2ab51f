"""API v1's OpenAPI document is a contract: any change to it must show up in review as a change to the snapshot.

After an intended change to the API, refresh the snapshot and commit it with the change:

    .venv/bin/python manage.py export_openapi_schema --api platoo.api.api --indent 2 --sorted \
        --output platoo/tests/openapi-v1.json
"""

import json
from pathlib import Path

from django.test import TestCase

SNAPSHOT = Path(__file__).with_name("openapi-v1.json")


class OpenApiSnapshotTests(TestCase):
    def test_it_serves_the_document_in_the_snapshot(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            json.loads(SNAPSHOT.read_text()),
            "API v1 changed; if that was intended, refresh the snapshot (see this module's docstring).",
        )

    def test_it_serves_the_interactive_docs_without_a_cdn(self) -> None:
        response = self.client.get("/api/v1/docs")
        self.assertContains(response, "/static/ninja/swagger-ui-bundle.js")
        self.assertNotContains(response, "cdn.jsdelivr.net")
