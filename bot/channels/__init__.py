"""The channels (Telegram, the terminal) and what every channel shows the same way."""


def stars(difficulty: int) -> str:
    """A persona's difficulty (1 to 3) as filled and empty stars, alike in every channel."""
    return "★" * difficulty + "☆" * (3 - difficulty)
