"""The Menu screen: a manager's items, their prices, recipes and price history, and the products stocked."""
