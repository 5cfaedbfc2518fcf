"""Fake but realistic data (the Faker library, en_US) for tests, demos and seeding databases.

Seed: every node has a Seed pin. With a seed (0 or more), the node draws from a generator the run keeps for
that seed, created on first use: the same board with the same seeds gives the same values every run, while
nodes inside a loop still get a new value each time. Without a seed (-1) values differ from run to run.
"""

from typing import Annotated, Any

from flowlike_catalog.std.extra import extra

from flowlike_core import Context, NodeType, Pin, node

CATEGORY = "Utils/Faker"
CACHEABLE = False  # a new fake every run unless seeded; seeded ones are cheap (flowlike_core.cache)

Seed = Annotated[int, Pin(description="0 or more for reproducible values (one generator per seed and run); -1 "
                                      "for fresh ones", range=(-1, 2**63 - 1))]
INDUSTRIES = (
    "Energy", "Materials", "Capital Goods", "Commercial & Professional Services", "Transportation",
    "Automobiles & Components", "Consumer Durables & Apparel", "Consumer Services", "Retailing",
    "Food & Staples Retailing", "Food, Beverage & Tobacco", "Household & Personal Products",
    "Health Care Equipment & Services", "Pharmaceuticals & Biotechnology", "Banks", "Financial Services",
    "Insurance", "Software & Services", "Technology Hardware & Equipment", "Semiconductors",
    "Telecommunication Services", "Media & Entertainment", "Utilities", "Real Estate",
)
"""The 24 GICS industry groups (Faker has no industry provider)."""


def fake(ctx: Context, seed: int) -> Any:
    """The run's Faker generator for this seed (created on first use)."""
    key = ("faker", seed if seed >= 0 else None)
    generator = ctx.cache.get(key)
    if generator is None:
        generator = extra("faker").Faker("en_US")
        if seed >= 0:
            generator.seed_instance(seed)
        ctx.cache[key] = generator
    return generator


def count_between(ctx: Context, seed: int, low: int, high: int, what: str) -> int:
    if low < 0 or high < low:
        raise ValueError(f"{what}: need 0 <= min <= max, got min {low} and max {high}")
    if high > 10_000:
        raise ValueError(f"{what}: at most 10,000, got max {high}")
    return fake(ctx, seed).random_int(low, high)


ADDRESS, COMPANY, INTERNET = "Utils/Faker/Address", "Utils/Faker/Company", "Utils/Faker/Internet"
LOREM, NAME, NUMBER, PHONE = "Utils/Faker/Lorem", "Utils/Faker/Name", "Utils/Faker/Number", "Utils/Faker/Phone"


def drawn(key: str, friendly_name: str, category: str, method: str, output: str, description: str,
          kind: type = str) -> type[NodeType]:
    """The node `key` that returns what the Faker `method` (no arguments) draws, on its output pin `output`:
    most fake nodes are just that. (`@node` on a typed function, like any other; here one per Faker method.)"""

    def draw(ctx: Context, seed: Seed = -1) -> Annotated[kind, Pin(name=output)]:
        return kind(getattr(fake(ctx, seed), method)())

    draw.__doc__ = description
    return node(name=key, friendly_name=friendly_name, category=category, exec_pins=True)(draw)


def drawn_lorem(key: str, friendly_name: str, method: str, low: int, high: int, description: str) -> type[NodeType]:
    """The node `key` that returns Min to Max (from `low` to `high` by default) texts the Faker `method` draws
    (`words`, `sentences`, `paragraphs`), on an output pin of the method's name."""

    def draw(ctx: Context, min_count: int = low, max_count: int = high, seed: Seed = -1) -> Annotated[
            list[str], Pin(name=method)]:
        count = count_between(ctx, seed, min_count, max_count, f"{method.removesuffix('s')} count")
        return getattr(fake(ctx, seed), method)(nb=count)

    draw.__doc__ = description
    return node(name=key, friendly_name=friendly_name, category=LOREM, exec_pins=True)(draw)


# ---- Address ---------------------------------------------------------------------------------------------

faker_city_name = drawn("faker_city_name", "Fake City Name", ADDRESS, "city", "city", "A city name.")
faker_country_code = drawn("faker_country_code", "Fake Country Code", ADDRESS, "country_code", "code",
                           "An ISO 3166-1 alpha-2 country code, like DE.")
faker_country_name = drawn("faker_country_name", "Fake Country Name", ADDRESS, "country", "country", "A country name.")
faker_latitude = drawn("faker_latitude", "Fake Latitude", ADDRESS, "latitude", "latitude",
                       "A latitude in degrees, -90 to 90.", float)
faker_longitude = drawn("faker_longitude", "Fake Longitude", ADDRESS, "longitude", "longitude",
                        "A longitude in degrees, -180 to 180.", float)
faker_post_code = drawn("faker_post_code", "Fake Post Code", ADDRESS, "postcode", "code", "A US ZIP code (5 digits).")
faker_state_name = drawn("faker_state_name", "Fake State Name", ADDRESS, "state", "state", "A US state name.")
faker_street_address = drawn("faker_street_address", "Fake Street Address", ADDRESS, "street_address", "address",
                             "A house number and street, with an apartment or suite now and then.")
faker_street_name = drawn("faker_street_name", "Fake Street Name", ADDRESS, "street_name", "street", "A street name.")


# ---- Company ---------------------------------------------------------------------------------------------

@node(friendly_name="Fake Buzzword", category=COMPANY, exec_pins=True)
def faker_buzzword(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="buzzword")]:
    """A business buzzword, like "cross-platform"."""
    generator = fake(ctx, seed)
    return generator.random_element(generator.provider("faker.providers.company").bsWords[1])


faker_catch_phrase = drawn("faker_catch_phrase", "Fake Catch Phrase", COMPANY, "catch_phrase", "phrase",
                           "A company catch phrase.")
faker_company_name = drawn("faker_company_name", "Fake Company Name", COMPANY, "company", "company", "A company name.")


@node(friendly_name="Fake Industry", category=COMPANY, exec_pins=True)
def faker_industry(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="industry")]:
    """One of the 24 GICS industry groups."""
    return fake(ctx, seed).random_element(INDUSTRIES)


faker_profession = drawn("faker_profession", "Fake Profession", COMPANY, "job", "profession", "A job title.")


# ---- Internet --------------------------------------------------------------------------------------------

faker_domain_suffix = drawn("faker_domain_suffix", "Fake Domain Suffix", INTERNET, "tld", "suffix",
                            'A top-level domain, like "com".')
faker_email = drawn("faker_email", "Fake Email", INTERNET, "email", "email",
                    "An email address on a free-mail or example domain.")
faker_ipv4 = drawn("faker_ipv4", "Fake IPv4", INTERNET, "ipv4", "ip", "An IPv4 address.")
faker_ipv6 = drawn("faker_ipv6", "Fake IPv6", INTERNET, "ipv6", "ip", "An IPv6 address.")


@node(friendly_name="Fake Password", category=INTERNET, exec_pins=True)
def faker_password(ctx: Context, min_length: int = 8, max_length: int = 16, seed: Seed = -1) -> Annotated[
        str, Pin(name="password")]:
    """A password of Min to Max characters with upper and lower case letters, digits and special characters
    (at least 4 characters: one of each)."""
    length = count_between(ctx, seed, max(min_length, 4), max(max_length, 4), "password length")
    return fake(ctx, seed).password(length=length)


faker_user_agent = drawn("faker_user_agent", "Fake User Agent", INTERNET, "user_agent", "user_agent",
                         "A browser User-Agent header.")
faker_username = drawn("faker_username", "Fake Username", INTERNET, "user_name", "username", "A user name.")


# ---- Lorem -----------------------------------------------------------------------------------------------

faker_word = drawn("faker_word", "Fake Word", LOREM, "word", "word", "A lorem ipsum word.")
faker_words = drawn_lorem("faker_words", "Fake Words", "words", 3, 6, "Min to Max lorem ipsum words.")


@node(friendly_name="Fake Sentence", category=LOREM, exec_pins=True)
def faker_sentence(ctx: Context, min_words: int = 4, max_words: int = 10, seed: Seed = -1) -> Annotated[
        str, Pin(name="sentence")]:
    """A sentence of Min to Max words."""
    words = count_between(ctx, seed, max(min_words, 1), max(max_words, 1), "words per sentence")
    return fake(ctx, seed).sentence(nb_words=words, variable_nb_words=False)


faker_sentences = drawn_lorem("faker_sentences", "Fake Sentences", "sentences", 2, 5, "Min to Max sentences.")


@node(friendly_name="Fake Paragraph", category=LOREM, exec_pins=True)
def faker_paragraph(ctx: Context, min_sentences: int = 3, max_sentences: int = 7, seed: Seed = -1) -> Annotated[
        str, Pin(name="paragraph")]:
    """A paragraph of Min to Max sentences."""
    sentences = count_between(ctx, seed, max(min_sentences, 1), max(max_sentences, 1), "sentences per paragraph")
    return fake(ctx, seed).paragraph(nb_sentences=sentences, variable_nb_sentences=False)


faker_paragraphs = drawn_lorem("faker_paragraphs", "Fake Paragraphs", "paragraphs", 2, 4, "Min to Max paragraphs.")


# ---- Name ------------------------------------------------------------------------------------------------

faker_first_name = drawn("faker_first_name", "Fake First Name", NAME, "first_name", "name", "A first name.")
faker_last_name = drawn("faker_last_name", "Fake Last Name", NAME, "last_name", "name", "A last name.")
faker_full_name = drawn("faker_full_name", "Fake Full Name", NAME, "name", "name",
                        "A full name, now and then with a prefix or suffix.")
faker_title = drawn("faker_title", "Fake Title", NAME, "prefix", "title", 'A name prefix, like "Dr.".')


# ---- Number ----------------------------------------------------------------------------------------------

@node(friendly_name="Fake Boolean", category=NUMBER, exec_pins=True)
def faker_boolean(ctx: Context, probability: Annotated[float, Pin(range=(0, 1))] = 0.5, seed: Seed = -1) -> \
        Annotated[bool, Pin(name="value")]:
    """True with the probability (0 to 1)."""
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be from 0 to 1, got {probability}")
    return fake(ctx, seed).random.random() < probability


faker_digit = drawn("faker_digit", "Fake Digit", NUMBER, "random_digit", "digit", "A digit, 0 to 9.", int)


@node(friendly_name="Fake Float", category=NUMBER, exec_pins=True)
def faker_float(ctx: Context, min: float = 0.0, max: float = 100.0, seed: Seed = -1) -> Annotated[
        float, Pin(name="number")]:
    """A number from Min to Max, uniformly."""
    if max < min:
        raise ValueError(f"fake float: min {min} is greater than max {max}")
    return fake(ctx, seed).random.uniform(min, max)


@node(friendly_name="Fake Integer", category=NUMBER, exec_pins=True)
def faker_integer(ctx: Context, min: int = 0, max: int = 100, seed: Seed = -1) -> Annotated[
        int, Pin(name="number")]:
    """An integer from Min to Max (both included), uniformly."""
    if max < min:
        raise ValueError(f"fake integer: min {min} is greater than max {max}")
    return fake(ctx, seed).random_int(min, max)


# ---- Phone -----------------------------------------------------------------------------------------------

faker_phone_number = drawn("faker_phone_number", "Fake Phone Number", PHONE, "phone_number", "phone",
                           "A US phone number in one of its many written forms (with extension now and then).")
faker_cell_number = drawn("faker_cell_number", "Fake Cell Number", PHONE, "basic_phone_number", "phone",
                          "A plain 10-digit US number, like 276-931-7066 or (591)990-7483 (no extension).")
