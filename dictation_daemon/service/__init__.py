"""The daemon as a systemd user service: the unit file from its template, and ``systemctl --user``."""
