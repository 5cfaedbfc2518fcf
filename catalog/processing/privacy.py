"""PII detection and masking: checked patterns (Luhn for cards, mod 97 for IBANs, check digits for national ids,
valid octets for IPs), or a language model that lists what it finds.

Patterns run in a fixed order and a later match may not overlap an earlier one, so a card number is never
also a phone number. Identifiers with no checksum and a loose shape (passports, driving licences) are
only taken after a keyword ("Passport No: ..."), and German postcodes only before a place name.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Annotated, NamedTuple

from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, as_model
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, Pin, node

CATEGORY = "Processing/Privacy"
MONTHS = (r"(?:Jan(?:uary|uar)?|Feb(?:ruary|ruar)?|M(?:ar(?:ch)?|ärz)|Apr(?:il)?|Ma[iy]|June?|Juni|July?|Juli"
          r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|O[ck]t(?:ober)?|Nov(?:ember)?|De[cz](?:ember)?)")


class PiiDetectionOptions(BaseModel):
    """Which kinds of PII to look for; a kind it does not know is refused (a typo was ignored: the kind it meant
    stayed on)."""

    model_config = ConfigDict(extra="forbid")

    email: bool = True
    phone: bool = True
    url: bool = True
    ip_address: bool = True
    credit_card: bool = True
    iban: bool = True
    vat_eu: bool = True
    ssn: bool = True
    german_tax_id: bool = True
    ahv_swiss: bool = True
    svnr_austria: bool = True
    passport: bool = True
    drivers_license: bool = True
    address_us: bool = True
    address_de: bool = True
    postcode_uk: bool = True
    postcode_de: bool = True
    date: bool = True


class PiiDetection(BaseModel):
    kind: str
    text: str
    start: int
    end: int


def _digits(text: str) -> list[int]:
    return [int(c) for c in text if c.isdigit()]


def luhn(number: str) -> bool:
    digits = _digits(number)
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
    return len(digits) >= 12 and total % 10 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def german_tax_id_valid(text: str) -> bool:
    """ISO 7064 MOD 11,10 check digit of the 11-digit Steuer-IdNr."""
    digits = _digits(text)
    product = 10
    for digit in digits[:10]:
        total = (digit + product) % 10 or 10
        product = (total * 2) % 11
    return len(digits) == 11 and (11 - product) % 10 == digits[10]


def ean13_valid(text: str) -> bool:
    digits = _digits(text)
    return len(digits) == 13 and sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) * 9 % 10 == digits[12]


def svnr_valid(text: str) -> bool:
    """Austrian social security number: serial (3), check digit, birth date (ddmmyy)."""
    d = _digits(text)
    if len(d) != 10 or d[0] == 0 or not (1 <= d[4] * 10 + d[5] <= 31 and 1 <= d[6] * 10 + d[7] <= 12):
        return False
    check = sum(x * w for x, w in zip(d, (3, 7, 9, 0, 5, 8, 4, 2, 1, 6), strict=True)) % 11
    return check == d[3]


def ip_valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def date_valid(text: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31
    if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", text):
        return (1 <= numbers[0] <= 31 and 1 <= numbers[1] <= 12) or (1 <= numbers[0] <= 12 and 1 <= numbers[1] <= 31)
    return True


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None = None
    group: int = 0
    """The group to mask (keyword-anchored rules mask only the number)."""
    claims: bool = False
    """A match that fails the check is still no other kind's (a card number with a typo is not a phone number)."""


def _phone(text: str) -> bool:
    return 7 <= len(_digits(text)) <= 15


RULES = [  # order matters: earlier matches win overlaps
    Rule("email", re.compile(r"\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")),  # letters of any script
    Rule("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")),
    Rule("iban", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b"), iban_valid, claims=True),
    Rule("credit_card", re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])"), luhn, claims=True),
    Rule("ahv_swiss", re.compile(r"\b756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}\b"), ean13_valid, claims=True),
    Rule("vat_eu", re.compile(r"\b(?:ATU\d{8}|BE[01]\d{9}|DE\d{9}|FR[0-9A-HJ-NP-Z]{2}\d{9}|IT\d{11}|NL\d{9}B\d{2}"
                              r"|ES[A-Z0-9]\d{7}[A-Z0-9]|PL\d{10}|SE\d{12}|DK\d{8}|FI\d{8}|LU\d{8}|PT\d{9}"
                              r"|IE\d{7}[A-W][A-I]?|CZ\d{8,10}|EL\d{9}|HU\d{8}|SK\d{10}|SI\d{8}|RO\d{2,10}|BG\d{9,10}"
                              r"|HR\d{11}|LT(?:\d{9}|\d{12})|LV\d{11}|EE\d{9}|CY\d{8}[A-Z]|MT\d{8})\b")),
    Rule("ssn", re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")),
    Rule("german_tax_id", re.compile(r"\b[1-9]\d(?: ?\d{3}){3}\b"), german_tax_id_valid),
    Rule("svnr_austria", re.compile(r"\b\d{4} ?\d{6}\b"), svnr_valid),
    Rule("passport", re.compile(r"(?i:\b(?:passport|reisepass|passeport)(?:\s*(?:no\.?|number|nr\.?|num\.?|#))?)"
                                r"\s*[:#]?\s*([A-Z0-9]{6,9})\b"), group=1),
    Rule("drivers_license", re.compile(r"(?i:\b(?:driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|führerschein)"
                                       r"(?:\s*(?:no\.?|number|nr\.?|#))?)\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{4,15})\b"),
         group=1),
    Rule("ip_address", re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})"
                                  r"(?![\w.:])"), ip_valid),
    Rule("date", re.compile(rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}"
                            rf"|\d{{1,2}}\.?\s{MONTHS}\.?\s\d{{4}}|{MONTHS}\.?\s\d{{1,2}},?\s\d{{4}})\b"), date_valid),
    Rule("phone", re.compile(r"(?<![\w+])(?:\+\d{1,3}[ ./-]?)?(?:\(\d{1,5}\)[ ./-]?)?\d{2,5}(?:[ ./-]?\d{2,5}){1,4}"
                             r"(?!\w)"), _phone),
    Rule("address_us", re.compile(r"\b\d{1,6}\s+(?:[A-Z][a-z]+\s){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd"
                                  r"|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy)\b\.?"
                                  r"(?:,?\s(?:Apt|Suite|Unit)\.?\s?\w+)?"
                                  r"(?:,\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)*,\s[A-Z]{2}\s\d{5}(?:-\d{4})?)?")),
    Rule("address_de", re.compile(r"\b(?:[A-ZÄÖÜ][a-zäöüß]+[ -])?[A-ZÄÖÜ][a-zäöüß]*(?:straße|strasse|str\.|weg|gasse"
                                  r"|platz|allee|ring|damm| Straße| Strasse| Weg| Gasse| Platz| Allee)\s\d{1,4}[a-z]?"
                                  r"(?:,\s\d{5}\s[A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)*)?")),
    Rule("postcode_uk", re.compile(r"\b(?:GIR 0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")),
    Rule("postcode_de", re.compile(r"(?<!\d)(?:0[1-9]|[1-9]\d)\d{3}(?=\s[A-ZÄÖÜ][a-zäöüß]+)")),
]


def detect(text: str, kinds: set[str]) -> list[PiiDetection]:
    """Every PII match of the wanted kinds, in text order, none overlapping."""
    found: list[PiiDetection] = []
    claimed: list[tuple[int, int]] = []
    for rule in RULES:
        if rule.kind not in kinds and not rule.claims:
            continue
        for match in rule.pattern.finditer(text):
            start, end = match.span(rule.group)
            value = match.group(rule.group)
            if any(start < e and s < end for s, e in claimed):
                continue
            valid = rule.check is None or rule.check(value)
            if rule.claims and (not valid or rule.kind not in kinds):
                claimed.append((start, end))
            if valid and rule.kind in kinds:
                found.append(PiiDetection(kind=rule.kind, text=value, start=start, end=end))
                claimed.append((start, end))
    return sorted(found, key=lambda d: d.start)


def mask(text: str, detections: list[PiiDetection], replacement: Callable[[PiiDetection], str]) -> str:
    out, last = [], 0
    for d in sorted(detections, key=lambda d: d.start):
        out += [text[last:d.start], replacement(d)]
        last = d.end
    return "".join(out) + text[last:]


class Masked(NamedTuple):
    masked_text: str
    detection_count: int
    detections: Annotated[list[PiiDetection], Pin(description="Kind, text and position of each finding")]


@node(friendly_name="PII Detection Options")
def processing_pii_detection_options(
    email: bool = True, phone: bool = True, url: bool = True, ip_address: bool = True, credit_card: bool = True,
    iban: bool = True, vat_eu: bool = True, ssn: bool = True, german_tax_id: bool = True, ahv_swiss: bool = True,
    svnr_austria: bool = True, passport: bool = True, drivers_license: bool = True, address_us: bool = True,
    address_de: bool = True, postcode_uk: bool = True, postcode_de: bool = True, date: bool = True,
) -> Annotated[PiiDetectionOptions, Pin(name="options")]:
    """Which kinds of PII the PII Mask (Regex) node looks for."""
    return PiiDetectionOptions(**{k: v for k, v in locals().items()})


SWITCHES = {"email": "email", "phone": "phone", "credit_card": "credit_card", "iban": "iban", "ssn": "ssn",
            "url": "url", "ip_address": "ip", "address_us": "address", "address_de": "address",
            "postcode_uk": "address", "postcode_de": "address"}


@node(friendly_name="PII Mask (Regex)", exec_pins=True)
def processing_pii_mask_regex(
    text: str = "", options: Annotated[PiiDetectionOptions, Pin(description="Kinds to look for (all)")] = None,
    detect_email: bool = True, detect_phone: bool = True, detect_credit_card: bool = True, detect_iban: bool = True,
    detect_address: bool = True, detect_ssn: bool = True, detect_url: bool = True, detect_ip: bool = True,
    mask_char: str = "*",
    preserve_length: Annotated[bool, Pin(description="Mask each character (else the whole match)")] = True,
    mask_text: Annotated[str, Pin(description="What replaces a match when the length is not kept")] = "[REDACTED]",
) -> Masked:
    """Finds PII with checked patterns and masks it: a kind is looked for when its option and its detect switch
    (where it has one) are both on."""
    chosen = PiiDetectionOptions.model_validate(options or {})
    switches = {"email": detect_email, "phone": detect_phone, "credit_card": detect_credit_card, "iban": detect_iban,
                "address": detect_address, "ssn": detect_ssn, "url": detect_url, "ip": detect_ip}
    kinds = {kind for kind, on in chosen.model_dump().items() if on and switches.get(SWITCHES.get(kind, ""), True)}
    if preserve_length and len(mask_char) != 1:
        raise ValueError(f"mask_char must be one character, got {mask_char!r}")
    detections = detect(text, kinds)
    masked = mask(text, detections, lambda d: mask_char * len(d.text) if preserve_length else mask_text)
    return Masked(masked, len(detections), detections)


SENSITIVITY = {
    "low": "Only direct identifiers: names of people, email addresses, phone numbers, account, card and id numbers.",
    "medium": "Direct identifiers and addresses, dates of birth, IP addresses, vehicle plates and usernames.",
    "high": "Everything that could identify a person alone or combined: also employers, job titles, ages, places, "
            "health details and any rare detail.",
}
FINDINGS = {"type": "object", "required": ["detections"], "properties": {"detections": {"type": "array", "items": {
    "type": "object", "required": ["text", "kind"],
    "properties": {"text": {"type": "string", "description": "Exactly as written in the text"},
                   "kind": {"type": "string"}}}}}}


@node(friendly_name="PII Mask (AI)", category="AI/Processing", exec_pins=True, capabilities=["network"])
async def processing_pii_mask_ai(
    ctx: Context, model: LanguageModel, text: str = "", mask_text: str = "[REDACTED]",
    additional_context: Annotated[str, Pin(description="What else counts as sensitive here")] = "",
    sensitivity: Annotated[str, Pin(valid_values=("low", "medium", "high"))] = "medium",
) -> Masked:
    """A language model lists the PII in the text (names, addresses, anything the patterns cannot know); every
    occurrence of each finding is masked. Findings not found verbatim in the text are reported as warnings."""
    from flowlike_catalog.llm.structured import extract

    level = SENSITIVITY.get(sensitivity.lower())
    if level is None:
        raise ValueError(f"sensitivity must be low, medium or high, got {sensitivity!r}")
    hint = f"List the personal data in the text, each exactly as written, with its kind. {level}" + \
        (f" Also: {additional_context}" if additional_context else "")
    answer = await extract(as_model(model), History(messages=[HistoryMessage(role="user", content=text)]),
                           FINDINGS, hint)
    detections: list[PiiDetection] = []
    for finding in answer["detections"]:
        value = finding["text"]
        spans = [m.span() for m in re.finditer(re.escape(value), text)] if value else []
        if not spans:
            ctx.warn(f"the model reported {value!r} ({finding['kind']}), which is not in the text")
        detections += [PiiDetection(kind=finding["kind"], text=value, start=s, end=e) for s, e in spans
                       if not any(s < d.end and d.start < e for d in detections)]
    detections.sort(key=lambda d: d.start)
    return Masked(mask(text, detections, lambda d: mask_text), len(detections), detections)
