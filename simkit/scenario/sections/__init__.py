"""The sections (tables) of a scenario file, by concept; :mod:`simkit.scenario.schema` assembles them into
``Scenario``."""
