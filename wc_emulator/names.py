"""Realistic people, companies and addresses for the generated store.

Plain data tables, one per country, in the style of the real lab store
(German, Austrian, French, Dutch, Russian in Cyrillic and Persian in Arabic
script). The generator picks from them with a seeded random generator.
"""

# Each country: first names, last names, streets, (city, postcode, state),
# phone prefix, company patterns ({last} and {word} are filled in), the
# e-mail domain and the VAT id prefix (None: no EU VAT id).
COUNTRIES = {
    "DE": {
        "first": ["Thomas", "Julia", "Anna", "Lukas", "Sophie", "Laura", "Jonas", "Felix", "Lena",
                  "Maximilian", "Katharina", "Stefan", "Sabine", "Michael", "Eva", "Jan", "Petra"],
        "last": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
                 "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"],
        "streets": ["Industriestraße", "Hauptstraße", "Bahnhofstraße", "Rathausplatz", "Lindenallee",
                    "Gartenweg", "Schillerstraße", "Goethestraße", "Am Markt", "Königsallee"],
        "cities": [("München", "80339", "DE-BY"), ("Berlin", "10115", "DE-BE"), ("Hamburg", "20095", "DE-HH"),
                   ("Köln", "50667", "DE-NW"), ("Nürnberg", "90403", "DE-BY"), ("Leipzig", "04109", "DE-SN"),
                   ("Stuttgart", "70173", "DE-BW"), ("Düsseldorf", "40213", "DE-NW")],
        "phone": "+49 {area} {number}",
        "areas": ["89", "30", "40", "221", "911", "341", "711", "211"],
        "companies": ["{last} Bürotechnik GmbH", "{last} Logistik AG", "{last} & Partner Steuerberater",
                      "{last} IT-Service GmbH", "Spedition {last} KG", "{last} Immobilien GmbH"],
        "domain": "example.de",
        "vat": "DE",
        "address_2": ["Halle 3", "2. OG", "Hinterhaus", ""],
    },
    "AT": {
        "first": ["Lukas", "Anna", "Florian", "Hannah", "Tobias", "Magdalena"],
        "last": ["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Moser"],
        "streets": ["Mariahilfer Straße", "Landstraßer Hauptstraße", "Herrengasse", "Getreidegasse"],
        "cities": [("Wien", "1070", ""), ("Graz", "8010", ""), ("Salzburg", "5020", ""), ("Linz", "4020", "")],
        "phone": "+43 {area} {number}",
        "areas": ["1", "316", "662", "732"],
        "companies": ["{last} Handels GmbH", "{last} & Söhne OG"],
        "domain": "example.at",
        "vat": "ATU",
        "address_2": ["Top 4", ""],
    },
    "FR": {
        "first": ["Claire", "Julien", "Camille", "Nicolas", "Élodie", "Mathieu"],
        "last": ["Dubois", "Martin", "Bernard", "Lefèvre", "Moreau", "Laurent"],
        "streets": ["rue de la République", "avenue Victor Hugo", "boulevard Saint-Michel", "rue du Commerce"],
        "cities": [("Paris", "75005", ""), ("Lyon", "69002", ""), ("Strasbourg", "67000", ""), ("Lille", "59000", "")],
        "phone": "+33 {area} {number}",
        "areas": ["1", "4", "3"],
        "companies": ["{last} SARL", "Bureau {last} SAS"],
        "domain": "example.fr",
        "vat": "FR",
        "address_2": ["Bâtiment B", ""],
    },
    "NL": {
        "first": ["Sanne", "Daan", "Emma", "Bram", "Lotte", "Joost"],
        "last": ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit"],
        "streets": ["Keizersgracht", "Damrak", "Coolsingel", "Oudegracht"],
        "cities": [("Amsterdam", "1015 CJ", ""), ("Rotterdam", "3011 AD", ""), ("Utrecht", "3511 AB", "")],
        "phone": "+31 {area} {number}",
        "areas": ["20", "10", "30"],
        "companies": ["{last} Kantoorinrichting B.V.", "{last} Handel B.V."],
        "domain": "example.nl",
        "vat": "NL",
        "address_2": [""],
    },
    "RU": {
        "first": ["Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Наталья", "Сергей", "Екатерина"],
        "last": ["Петров", "Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Волков", "Морозова"],
        "streets": ["Невский проспект, д.", "ул. Тверская, д.", "ул. Ленина, д.", "Садовая ул., д."],
        "cities": [("Санкт-Петербург", "191186", ""), ("Москва", "125009", ""), ("Казань", "420111", ""),
                   ("Новосибирск", "630099", "")],
        "phone": "+7 {area} {number}",
        "areas": ["812", "495", "843", "383"],
        "companies": ["ООО «Север»", "ООО «Вектор»", "АО «Техснаб»", "ООО «{word}»"],
        "words": ["Восток", "Альянс", "Меридиан", "Горизонт"],
        "domain": "example.ru",
        "vat": "RU",
        "address_2": ["офис 305", "кв. 12", ""],
    },
    "IR": {
        "first": ["مریم", "علی", "زهرا", "رضا", "فاطمه", "حسین", "سارا", "محمد"],
        "last": ["کریمی", "رضایی", "احمدی", "محمدی", "حسینی", "موسوی", "جعفری", "نوری"],
        "streets": ["بلوار کشاورز، شماره", "خیابان ولیعصر، پلاک", "خیابان انقلاب، شماره", "خیابان آزادی، پلاک"],
        "cities": [("تهران", "1416753955", "THR"), ("اصفهان", "8134713111", "ESF"), ("شیراز", "7134814336", "FAR"),
                   ("مشهد", "9177948974", "RAZ")],
        "phone": "+98 {area} {number}",
        "areas": ["21", "31", "71", "51"],
        "companies": ["شرکت پارس تجارت", "شرکت {word}", "بازرگانی {word}"],
        "words": ["آریا", "سپهر", "نوین", "کیان"],
        "domain": "example.ir",
        "vat": "IR",
        "address_2": ["واحد ۳", ""],
    },
}

# Latin spellings used for e-mail addresses and usernames of non-Latin names.
TRANSLIT = {
    "Иван": "ivan", "Мария": "maria", "Алексей": "alexey", "Ольга": "olga", "Дмитрий": "dmitry",
    "Наталья": "natalia", "Сергей": "sergey", "Екатерина": "ekaterina", "Петров": "petrov",
    "Иванова": "ivanova", "Смирнов": "smirnov", "Кузнецова": "kuznetsova", "Попов": "popov",
    "Соколова": "sokolova", "Волков": "volkov", "Морозова": "morozova",
    "مریم": "maryam", "علی": "ali", "زهرا": "zahra", "رضا": "reza", "فاطمه": "fatemeh", "حسین": "hossein",
    "سارا": "sara", "محمد": "mohammad", "کریمی": "karimi", "رضایی": "rezaei", "احمدی": "ahmadi",
    "محمدی": "mohammadi", "حسینی": "hosseini", "موسوی": "mousavi", "جعفری": "jafari", "نوری": "nouri",
}

# How often each country appears among customers (weights).
COUNTRY_WEIGHTS = {"DE": 50, "AT": 8, "FR": 6, "NL": 6, "RU": 15, "IR": 15}

CUSTOMER_NOTES = [
    "Bitte beim Nachbarn abgeben, falls niemand da ist.",
    "Lieferung bitte nur vormittags.",
    "Rechnung bitte per E-Mail an die Buchhaltung.",
    "Пожалуйста, доставьте до 18:00. Позвоните за час.",
    "Оставьте посылку у консьержа.",
    "لطفاً قبل از ارسال تماس بگیرید.",
    "تحویل در ساعات اداری",
    "Merci de livrer avant midi.",
]

REFUND_REASONS = [
    "Item damaged in transit",
    "Goodwill: late delivery",
    "Teilretoure: Ware beschädigt",
    "Возврат: неверный размер",
    "بازگشت کالا",
]

FULL_REFUND_REASON = "Order returned (full refund)"

ORDER_NOTES = [
    "Ihre Bestellung wurde verpackt und wird heute versendet.",
    "Sendungsnummer: 00340434161234567890",
    "Ваш заказ передан в службу доставки.",
    "سفارش شما ارسال شد.",
]


def latin(word):
    """A lower-case ASCII spelling of a name, for e-mail addresses and usernames."""
    if word in TRANSLIT:
        return TRANSLIT[word]
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "É": "e",
                           " ": "", "'": ""})
    return word.lower().translate(table)
