"""Infrastructure every layer stands on: settings, the database, the data version, domain errors."""
