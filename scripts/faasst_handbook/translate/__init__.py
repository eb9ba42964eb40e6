"""Translations that stay true (issue 12): which translation was reviewed against which
source text (lock.py), what is translated, missing or out of date (status.py), PO files for
translators (po.py) and their import back into the YAML (po_import.py, yaml_writer.py).

Every text is named by a stable id, `<entry id>:<field path>` (fields.py), e.g.
`wp1-01:steps[2].description`, `role.lead:name`, `ui:permalink`.
"""
