"""Language codes Corti's ``/transcribe`` accepts for ``primaryLanguage`` (§4)."""

CORTI_LANGUAGES = frozenset(
    {"en", "en-US", "en-GB", "da", "de", "de-CH", "gsw-CH", "fr", "nl", "no", "sv", "es", "it", "pt", "hu"}
)
