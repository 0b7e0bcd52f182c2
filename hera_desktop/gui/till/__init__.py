"""The till: taking restaurant orders and payments."""
