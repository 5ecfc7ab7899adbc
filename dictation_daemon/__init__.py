"""Medical dictation into any application, over Corti's ``/transcribe`` protocol or an embedded offline engine."""

__version__ = "0.1.0"
