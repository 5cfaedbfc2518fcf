"""Fake but realistic data (the Faker library, en_US) for tests, demos and seeding databases.

Seed: every node has a Seed pin. With a seed (0 or more), the node draws from a generator the run keeps for
that seed, created on first use: the same board with the same seeds gives the same values every run, while
nodes inside a loop still get a new value each time. Without a seed (-1) values differ from run to run.
"""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.std.extra import extra

from flowlike_core import Context, Pin, node

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


# ---- Address ---------------------------------------------------------------------------------------------

@node(friendly_name="Fake City Name", category="Utils/Faker/Address", exec_pins=True)
def faker_city_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="city")]:
    """A city name."""
    return fake(ctx, seed).city()


@node(friendly_name="Fake Country Code", category="Utils/Faker/Address", exec_pins=True)
def faker_country_code(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="code")]:
    """An ISO 3166-1 alpha-2 country code, like DE."""
    return fake(ctx, seed).country_code()


@node(friendly_name="Fake Country Name", category="Utils/Faker/Address", exec_pins=True)
def faker_country_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="country")]:
    """A country name."""
    return fake(ctx, seed).country()


@node(friendly_name="Fake Latitude", category="Utils/Faker/Address", exec_pins=True)
def faker_latitude(ctx: Context, seed: Seed = -1) -> Annotated[float, Pin(name="latitude")]:
    """A latitude in degrees, -90 to 90."""
    return float(fake(ctx, seed).latitude())


@node(friendly_name="Fake Longitude", category="Utils/Faker/Address", exec_pins=True)
def faker_longitude(ctx: Context, seed: Seed = -1) -> Annotated[float, Pin(name="longitude")]:
    """A longitude in degrees, -180 to 180."""
    return float(fake(ctx, seed).longitude())


@node(friendly_name="Fake Post Code", category="Utils/Faker/Address", exec_pins=True)
def faker_post_code(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="code")]:
    """A US ZIP code (5 digits)."""
    return fake(ctx, seed).postcode()


@node(friendly_name="Fake State Name", category="Utils/Faker/Address", exec_pins=True)
def faker_state_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="state")]:
    """A US state name."""
    return fake(ctx, seed).state()


@node(friendly_name="Fake Street Address", category="Utils/Faker/Address", exec_pins=True)
def faker_street_address(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="address")]:
    """A house number and street, with an apartment or suite now and then."""
    return fake(ctx, seed).street_address()


@node(friendly_name="Fake Street Name", category="Utils/Faker/Address", exec_pins=True)
def faker_street_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="street")]:
    """A street name."""
    return fake(ctx, seed).street_name()


# ---- Company ---------------------------------------------------------------------------------------------

@node(friendly_name="Fake Buzzword", category="Utils/Faker/Company", exec_pins=True)
def faker_buzzword(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="buzzword")]:
    """A business buzzword, like "cross-platform"."""
    generator = fake(ctx, seed)
    return generator.random_element(generator.provider("faker.providers.company").bsWords[1])


@node(friendly_name="Fake Catch Phrase", category="Utils/Faker/Company", exec_pins=True)
def faker_catch_phrase(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="phrase")]:
    """A company catch phrase."""
    return fake(ctx, seed).catch_phrase()


@node(friendly_name="Fake Company Name", category="Utils/Faker/Company", exec_pins=True)
def faker_company_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="company")]:
    """A company name."""
    return fake(ctx, seed).company()


@node(friendly_name="Fake Industry", category="Utils/Faker/Company", exec_pins=True)
def faker_industry(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="industry")]:
    """One of the 24 GICS industry groups."""
    return fake(ctx, seed).random_element(INDUSTRIES)


@node(friendly_name="Fake Profession", category="Utils/Faker/Company", exec_pins=True)
def faker_profession(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="profession")]:
    """A job title."""
    return fake(ctx, seed).job()


# ---- Internet --------------------------------------------------------------------------------------------

@node(friendly_name="Fake Domain Suffix", category="Utils/Faker/Internet", exec_pins=True)
def faker_domain_suffix(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="suffix")]:
    """A top-level domain, like "com"."""
    return fake(ctx, seed).tld()


@node(friendly_name="Fake Email", category="Utils/Faker/Internet", exec_pins=True)
def faker_email(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="email")]:
    """An email address on a free-mail or example domain."""
    return fake(ctx, seed).email()


@node(friendly_name="Fake IPv4", category="Utils/Faker/Internet", exec_pins=True)
def faker_ipv4(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="ip")]:
    """An IPv4 address."""
    return fake(ctx, seed).ipv4()


@node(friendly_name="Fake IPv6", category="Utils/Faker/Internet", exec_pins=True)
def faker_ipv6(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="ip")]:
    """An IPv6 address."""
    return fake(ctx, seed).ipv6()


@node(friendly_name="Fake Password", category="Utils/Faker/Internet", exec_pins=True)
def faker_password(ctx: Context, min_length: int = 8, max_length: int = 16, seed: Seed = -1) -> Annotated[
        str, Pin(name="password")]:
    """A password of Min to Max characters with upper and lower case letters, digits and special characters
    (at least 4 characters: one of each)."""
    length = count_between(ctx, seed, max(min_length, 4), max(max_length, 4), "password length")
    return fake(ctx, seed).password(length=length)


@node(friendly_name="Fake User Agent", category="Utils/Faker/Internet", exec_pins=True)
def faker_user_agent(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="user_agent")]:
    """A browser User-Agent header."""
    return fake(ctx, seed).user_agent()


@node(friendly_name="Fake Username", category="Utils/Faker/Internet", exec_pins=True)
def faker_username(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="username")]:
    """A user name."""
    return fake(ctx, seed).user_name()


# ---- Lorem -----------------------------------------------------------------------------------------------

@node(friendly_name="Fake Word", category="Utils/Faker/Lorem", exec_pins=True)
def faker_word(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="word")]:
    """A lorem ipsum word."""
    return fake(ctx, seed).word()


@node(friendly_name="Fake Words", category="Utils/Faker/Lorem", exec_pins=True)
def faker_words(ctx: Context, min_count: int = 3, max_count: int = 6, seed: Seed = -1) -> Annotated[
        list[str], Pin(name="words")]:
    """Min to Max lorem ipsum words."""
    return fake(ctx, seed).words(nb=count_between(ctx, seed, min_count, max_count, "word count"))


@node(friendly_name="Fake Sentence", category="Utils/Faker/Lorem", exec_pins=True)
def faker_sentence(ctx: Context, min_words: int = 4, max_words: int = 10, seed: Seed = -1) -> Annotated[
        str, Pin(name="sentence")]:
    """A sentence of Min to Max words."""
    words = count_between(ctx, seed, max(min_words, 1), max(max_words, 1), "words per sentence")
    return fake(ctx, seed).sentence(nb_words=words, variable_nb_words=False)


@node(friendly_name="Fake Sentences", category="Utils/Faker/Lorem", exec_pins=True)
def faker_sentences(ctx: Context, min_count: int = 2, max_count: int = 5, seed: Seed = -1) -> Annotated[
        list[str], Pin(name="sentences")]:
    """Min to Max sentences."""
    return fake(ctx, seed).sentences(nb=count_between(ctx, seed, min_count, max_count, "sentence count"))


@node(friendly_name="Fake Paragraph", category="Utils/Faker/Lorem", exec_pins=True)
def faker_paragraph(ctx: Context, min_sentences: int = 3, max_sentences: int = 7, seed: Seed = -1) -> Annotated[
        str, Pin(name="paragraph")]:
    """A paragraph of Min to Max sentences."""
    sentences = count_between(ctx, seed, max(min_sentences, 1), max(max_sentences, 1), "sentences per paragraph")
    return fake(ctx, seed).paragraph(nb_sentences=sentences, variable_nb_sentences=False)


@node(friendly_name="Fake Paragraphs", category="Utils/Faker/Lorem", exec_pins=True)
def faker_paragraphs(ctx: Context, min_count: int = 2, max_count: int = 4, seed: Seed = -1) -> Annotated[
        list[str], Pin(name="paragraphs")]:
    """Min to Max paragraphs."""
    return fake(ctx, seed).paragraphs(nb=count_between(ctx, seed, min_count, max_count, "paragraph count"))


# ---- Name ------------------------------------------------------------------------------------------------

@node(friendly_name="Fake First Name", category="Utils/Faker/Name", exec_pins=True)
def faker_first_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="name")]:
    """A first name."""
    return fake(ctx, seed).first_name()


@node(friendly_name="Fake Last Name", category="Utils/Faker/Name", exec_pins=True)
def faker_last_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="name")]:
    """A last name."""
    return fake(ctx, seed).last_name()


@node(friendly_name="Fake Full Name", category="Utils/Faker/Name", exec_pins=True)
def faker_full_name(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="name")]:
    """A full name, now and then with a prefix or suffix."""
    return fake(ctx, seed).name()


@node(friendly_name="Fake Title", category="Utils/Faker/Name", exec_pins=True)
def faker_title(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="title")]:
    """A name prefix, like "Dr."."""
    return fake(ctx, seed).prefix()


# ---- Number ----------------------------------------------------------------------------------------------

@node(friendly_name="Fake Boolean", category="Utils/Faker/Number", exec_pins=True)
def faker_boolean(ctx: Context, probability: Annotated[float, Pin(range=(0, 1))] = 0.5, seed: Seed = -1) -> \
        Annotated[bool, Pin(name="value")]:
    """True with the probability (0 to 1)."""
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be from 0 to 1, got {probability}")
    return fake(ctx, seed).random.random() < probability


@node(friendly_name="Fake Digit", category="Utils/Faker/Number", exec_pins=True)
def faker_digit(ctx: Context, seed: Seed = -1) -> Annotated[int, Pin(name="digit")]:
    """A digit, 0 to 9."""
    return fake(ctx, seed).random_digit()


@node(friendly_name="Fake Float", category="Utils/Faker/Number", exec_pins=True)
def faker_float(ctx: Context, min: float = 0.0, max: float = 100.0, seed: Seed = -1) -> Annotated[
        float, Pin(name="number")]:
    """A number from Min to Max, uniformly."""
    if max < min:
        raise ValueError(f"fake float: min {min} is greater than max {max}")
    return fake(ctx, seed).random.uniform(min, max)


@node(friendly_name="Fake Integer", category="Utils/Faker/Number", exec_pins=True)
def faker_integer(ctx: Context, min: int = 0, max: int = 100, seed: Seed = -1) -> Annotated[
        int, Pin(name="number")]:
    """An integer from Min to Max (both included), uniformly."""
    if max < min:
        raise ValueError(f"fake integer: min {min} is greater than max {max}")
    return fake(ctx, seed).random_int(min, max)


# ---- Phone -----------------------------------------------------------------------------------------------

@node(friendly_name="Fake Phone Number", category="Utils/Faker/Phone", exec_pins=True)
def faker_phone_number(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="phone")]:
    """A US phone number in one of its many written forms (with extension now and then)."""
    return fake(ctx, seed).phone_number()


@node(friendly_name="Fake Cell Number", category="Utils/Faker/Phone", exec_pins=True)
def faker_cell_number(ctx: Context, seed: Seed = -1) -> Annotated[str, Pin(name="phone")]:
    """A plain 10-digit US number, like 276-931-7066 or (591)990-7483 (no extension)."""
    return fake(ctx, seed).basic_phone_number()
