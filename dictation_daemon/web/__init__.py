"""The web side: serving the demo EHR page of the ``dictation-web`` package for trying it locally."""
