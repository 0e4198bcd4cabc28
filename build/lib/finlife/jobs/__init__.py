"""Long work seen from outside: ``GET /v1/jobs/{id}`` and the bank console's progress page. The jobs
themselves run in the kit (``finlife.kit.jobs``); the pages that start them live with their work."""
