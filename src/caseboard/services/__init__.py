"""The application layer, between the record store and engine below and the web and command line
above: the policy in force, the refresh queue and its drain on the engine's own connection, and
building a synthetic trust into the database."""
