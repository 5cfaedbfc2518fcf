"""How quantities read in what we print: a run of 37 nodes takes 400 µs, not "0.000s", and 1 variable is not
"1 variables". One wording for the CLI, the run history, the notebook's summaries and reprs."""

from __future__ import annotations


def raised(exc: BaseException) -> str:
    """What a node's exception says, on one line where a library's says a page: pydantic's ValidationError (a node
    validating a struct it read) lists each field over several lines, each with a link to pydantic's documentation.
    Others as `Type: message`."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return f"{type(exc).__name__}: {exc}"
    problems = "; ".join(f"field {'.'.join(map(str, error['loc'])) or '(whole)'!r}: {error['msg']}"
                         for error in exc.errors()[:5])
    more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
    return f"ValidationError: not a valid {exc.title}: {problems}{more}"


def duration(seconds: float) -> str:
    """`12 µs`, `1.23 ms`, `49.3 ms`, `493 ms`, `1.50 s`, `2 min 5 s`, `1 h 2 min`: the unit that keeps the figure
    readable; below a second, three significant figures."""
    if seconds < 0.0009995:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 0.9995:
        ms = seconds * 1e3
        return f"{ms:.2f} ms" if ms < 9.995 else f"{ms:.1f} ms" if ms < 99.95 else f"{ms:.0f} ms"
    if seconds < 59.995:
        return f"{seconds:.2f} s"
    if seconds < 3599.5:
        whole = round(seconds)
        return f"{whole // 60} min {whole % 60} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 variable`, `0 variables`, `1,234 variables` (`plural` for a noun that is not made with an s)."""
    return f"{count:,} {noun_for(count, noun, plural)}"


def noun_for(count: int, noun: str, plural: str | None = None) -> str:
    """`variable` for one, `variables` for any other count: for a text that names the things instead of counting
    them ("no keyword arguments a, b")."""
    return noun if count == 1 else plural or noun + "s"


def byte_size(count: int) -> str:
    """`0 bytes`, `1 byte`, `999 bytes`, `1.5 KiB`, `9.77 KiB`, `512 MiB`, `1 GiB`: the unit that keeps the figure
    under 1,000, in three significant figures (a count just under a unit reads as that unit: `1 MiB`)."""
    if count < 1000:
        return counted(count, "byte")
    figure = float(count)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        figure /= 1024
        if figure < 999.5:
            return f"{figure:.3g} {unit}"
    return f"{figure:,.0f} TiB"
