"""Partners of the open API: their registration and credentials, the consents customers give them,
and the tokens they call with (``tokens``). OAuth2 endpoints, signed calls, webhooks and accounts
opened for partners' users build on these records."""
