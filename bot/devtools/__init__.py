"""Developer tools that never run in production.

Why a separate package: test and rehearsal helpers (such as the local Telegram Bot API
emulator in :mod:`bot.devtools.bot_api_emulator`) must be importable by the test suite
and runnable by hand (``python -m bot.devtools.bot_api_emulator``), yet stay clearly
apart from the code the bot ships with.
"""
