"""The control socket: JSON-RPC 2.0 over a Unix domain socket, for the command line and other programs."""
