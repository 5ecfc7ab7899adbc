"""Audio on the wire: encoding what the client sends, decoding what the server receives, reading files."""
