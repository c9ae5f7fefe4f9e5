"""The data contract, pure Python: every table's declaration (schema), their serialisations
(formats, the Arrow loader). The Django models, the engine, the generator and the importers all
follow it."""
