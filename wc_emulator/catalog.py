"""The generated store's product catalogue (modelled on the real lab store).

Simple products: (name, sku, regular price, sale price or None, tax class,
category slug, stock or None when stock is not managed, weight, virtual).
Variable products: (name, sku, category slug, weight, attributes, variation
prices by first attribute option). Prices are entered excluding tax.
"""

SIMPLE_PRODUCTS = [
    ("Ballpoint Pen Black (10-pack)", "LAB-PEN-BLK", "7.90", None, "", "office-supplies", 250, "0.12", False),
    ("Copy Paper A4 80g (500 sheets)", "LAB-PAPER-A4", "5.49", "4.99", "", "office-supplies", 400, "2.5", False),
    ("Heavy Duty Stapler", "LAB-STAPLER", "24.90", None, "", "office-supplies", 80, "0.9", False),
    ("Notebook A5 dotted", "LAB-NOTEBOOK", "8.50", None, "", "office-supplies", 120, "0.3", False),
    ("Ergonomic Office Chair", "LAB-CHAIR-ERG", "349.00", "299.00", "", "furniture", 12, "18", False),
    ("LED Desk Lamp", "LAB-LAMP-LED", "59.00", None, "", "furniture", 41, "1.4", False),
    ('27" 4K Monitor', "LAB-MONITOR-27", "429.00", None, "", "electronics", 6, "6.5", False),
    ("Wireless Keyboard (DE layout)", "LAB-KEYB-DE", "49.90", "44.90", "", "electronics", 60, "0.7", False),
    ("Wireless Mouse", "LAB-MOUSE", "29.90", None, "", "electronics", 35, "0.1", False),
    ("USB-C Hub 7-in-1", "LAB-USB-HUB", "39.00", None, "", "electronics", 20, "0.2", False),
    ("Espresso Beans 1 kg", "LAB-COFFEE-1KG", "18.90", None, "reduced-rate", "coffee-tea", 90, "1.0", False),
    ("Green Tea Sencha 250 g", "LAB-TEA-GREEN", "7.90", None, "reduced-rate", "coffee-tea", 70, "0.25", False),
    ("Кофе Арабика «Утро» 500 г", "LAB-COFFEE-RU", "11.50", None, "reduced-rate", "coffee-tea", 40, "0.5", False),
    ("چای زعفرانی ۲۰۰ گرم", "LAB-TEA-SAFFRON", "12.40", None, "reduced-rate", "coffee-tea", 30, "0.2", False),
    ("Fachbuch Buchhaltung", "LAB-BOOK-ACC", "34.99", None, "reduced-rate", "office-supplies", 25, "0.8", False),
    ("On-site Installation (per hour)", "LAB-SETUP", "85.00", None, "", "services", None, "", True),
    ("Gift Card 25 EUR", "LAB-GIFT-25", "25.00", None, "zero-rate", "services", None, "", True),
]

VARIABLE_PRODUCTS = [
    ("Company T-Shirt", "LAB-TSHIRT", "apparel", "",
     [("pa_color", "Color", ["Black", "Blue", "White"]), ("pa_size", "Size", ["L", "M", "S", "XL"])],
     {"Black": ("19.90", None), "Blue": ("19.90", "17.90"), "White": ("19.90", None)}),
    ("Hoodie Premium", "LAB-HOODIE", "apparel", "",
     [("pa_color", "Color", ["Grey", "Red"]), ("pa_size", "Size", ["L", "M", "S", "XL"])],
     {"Grey": ("49.00", None), "Red": ("49.00", None)}),
    ("Standing Desk", "LAB-DESK", "furniture", "",
     [("pa_color", "Color", ["Black", "White"])],
     {"Black": ("599.00", None), "White": ("549.00", None)}),
    ("Coffee Mug 350 ml", "LAB-MUG", "coffee-tea", "",
     [("pa_color", "Color", ["Blue", "White"])],
     {"Blue": ("9.50", None), "White": ("9.50", None)}),
]

# Extra simple products when more are asked for than the catalogue holds.
EXTRA_PRODUCT_WORDS = ["Ordner", "Locher", "Whiteboard", "Kabel", "Adapter", "Tasse", "Regal", "Lampe"]

# Coupons: (code, discount_type, amount, description, minimum_amount, free_shipping, individual_use)
COUPONS = [
    ("welcome10", "percent", "10.00", "10% welcome discount", "0.00", False, True),
    ("b2b50", "fixed_cart", "50.00", "50 EUR off orders over 300 EUR (corporate)", "300.00", False, False),
    ("rabatt5", "fixed_cart", "5.00", "5 EUR Rabatt", "0.00", False, False),
    ("sommer15", "percent", "15.00", "Sommeraktion 15 %", "0.00", False, False),
    ("coffee2", "fixed_product", "2.00", "", "0.00", False, False),
]
