"""Talking to Corti's hosted service: credentials, access tokens and the URLs they go into."""
