"""The living world: conflict flow today; stakeholders, gossip and pacing build on it."""
