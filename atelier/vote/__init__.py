"""Voting from phones on the local network: an aiohttp server run inside the app's loop.

Nothing here is imported at start-up; the app loads it when voting starts."""
