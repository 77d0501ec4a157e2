"""Developer tools: the local Telegram Bot API emulator, the benchmark, the README pictures.

They live outside `bot/` so that neither the wheel nor the image carries them: the bot never
needs them, and the emulator's dependency (aiohttp) is a development one. Run them from the
repository root (`python -m devtools.emulator`, `python -m devtools.bench`), where the tests
import them too.
"""
