"""Voting from phones on the local network: an aiohttp server run inside the app's loop.

Nothing here is imported at start-up but ``connections.raise_fd_limit`` (stdlib only); the app
loads the server when voting starts."""
