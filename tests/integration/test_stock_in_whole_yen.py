"""Stock in a currency without decimals: its movements are valued in whole units of that currency."""
from __future__ import annotations

from decimal import Decimal

import hera_desktop


def test_stock_received_in_yen_is_valued_in_whole_yen(hera: hera_desktop.Hera) -> None:
    org = hera.create_organization("Sushi Bar Kyo", currency="JPY")
    s = hera.scope(org.id)
    rice = s.inventory.add_product(name="Rice (kg)", code="P-RICE")
    store = s.universal.create_entity(entity_type="location", entity_name="Store room",
                                      smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    done = s.inventory.adjust(product_id=rice.id, adjustment_type="receipt", quantity="3", unit_cost="333.5",
                              reason="Delivery", location_id=store.id)
    line = s.txn.read(done.transaction.transaction_id).lines[0]
    assert line.line_amount == Decimal("1001")  # 1000.5 rounded half-up to whole yen, not to cents
    assert s.inventory.level(rice.id, store.id) == Decimal("3")
