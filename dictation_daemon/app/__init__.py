"""The composition root: the one package that builds the daemon from its parts (controller, plugins, control
socket, backend) and rebuilds them on SIGHUP. No other package imports it, except the command line."""
