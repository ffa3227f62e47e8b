from sales_tools import schema


def test_every_table_has_unique_sheet_and_excel_names():
    sheets = [t.sheet for t in schema.TABLES.values()]
    names = [t.excel_name for t in schema.TABLES.values()]
    assert len(set(sheets)) == len(sheets) and len(set(names)) == len(names)
    assert all(len(s) <= 31 for s in sheets)  # Excel's limit on sheet titles


def test_refs_point_at_real_columns():
    for t in schema.TABLES.values():
        for c in t.columns:
            if c.ref:
                target, col = c.ref.split(".")
                assert col in schema.TABLES[target].names, f"{t.name}.{c.name} -> {c.ref}"


def test_lookup_by_sheet_or_excel_name():
    assert schema.table("Orders") is schema.table("tblOrders") is schema.TABLES["orders"]


def test_template_columns_are_columns_of_the_master_table_they_feed():
    for name, feeds in schema.TEMPLATE_FEEDS.items():
        master = schema.TABLES[feeds]
        assert set(schema.TEMPLATE_TABLES[name].names) - set(schema.TEMPLATE_DISPLAY) <= set(master.names), name
        assert not set(schema.TEMPLATE_DISPLAY) & set(master.names), name  # the master gains no column
    assert set(schema.TEMPLATE_FORMULAS) <= set(schema.TEMPLATE_TABLES)
