"""Where the daemon may put what belongs to the user alone: the socket, its token, audio waiting for the network."""
